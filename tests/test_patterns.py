"""The hand-built horizontal-edge detector and the strokes it is shown."""

import numpy as np
import pytest

from digitnet import neuron, patterns
from digitnet.patterns import EDGE_BIAS, horizontal_edge, horizontal_stroke, vertical_stroke


@pytest.mark.parametrize(("row", "thickness"), [(13, 2), (2, 2), (1, 1), (24, 2), (9, 3), (7, 7), (26, 1)])
def test_horizontal_edge_band_flanks_and_zeros(row, thickness):
    w = horizontal_edge(row=row, thickness=thickness)
    assert w.shape == (28, 28)
    rows = np.arange(28)[:, None]
    cols = np.arange(28)[None, :]
    in_cols = (cols >= 4) & (cols < 24)
    band = (rows >= row) & (rows < row + thickness) & in_cols
    flanks = (
        ((rows >= row - thickness) & (rows < row)) | ((rows >= row + thickness) & (rows < row + 2 * thickness))
    ) & in_cols
    assert np.all(w[band] == 1.0)
    assert np.all(w[flanks] == -1.0)
    assert np.all(w[~band & ~flanks] == 0.0)
    assert band.sum() == 20 * thickness and flanks.sum() == 40 * thickness


def test_horizontal_edge_default_column():
    w = horizontal_edge()
    np.testing.assert_array_equal(w[11:17, 10], [-1, -1, 1, 1, -1, -1])
    assert w[10, 10] == 0 and w[17, 10] == 0
    assert int((w > 0).sum()) == 40 and int((w < 0).sum()) == 80
    # The weights sum to -40: a uniformly bright image inhibits the neuron.
    assert w.sum() == -40.0


def test_horizontal_edge_columns_and_strength():
    w = horizontal_edge(row=10, thickness=1, left=0, right=28, strength=2.5)
    np.testing.assert_array_equal(w[10], np.full(28, 2.5))
    np.testing.assert_array_equal(w[9], np.full(28, -2.5))
    np.testing.assert_array_equal(w[11], np.full(28, -2.5))
    assert np.count_nonzero(w) == 3 * 28
    w = horizontal_edge(left=10, right=12)
    assert np.array_equal(np.nonzero(w.any(axis=0))[0], [10, 11])


@pytest.mark.parametrize(
    ("row", "thickness"),
    [(1, 2), (0, 1), (25, 2), (27, 1), (26, 2), (10, 10), (-1, 1), (28, 1)],
)
def test_horizontal_edge_band_leaving_the_image(row, thickness):
    with pytest.raises(ValueError, match=r"0 <= start < stop <= 28"):
        horizontal_edge(row=row, thickness=thickness)


@pytest.mark.parametrize("thickness", [0, -1, 2.0, None])
def test_horizontal_edge_bad_thickness(thickness):
    with pytest.raises(ValueError, match="thickness must be a positive integer"):
        horizontal_edge(thickness=thickness)


@pytest.mark.parametrize(("left", "right"), [(10, 10), (20, 5), (-1, 5), (0, 29)])
def test_horizontal_edge_bad_columns(left, right):
    with pytest.raises(ValueError, match="columns"):
        horizontal_edge(left=left, right=right)


def test_horizontal_edge_non_integer_row():
    with pytest.raises(TypeError, match="must be given by integers"):
        horizontal_edge(row=13.0)


def test_horizontal_stroke():
    image = horizontal_stroke()
    assert image.shape == (28, 28)
    assert image.sum() == 40.0
    assert np.all(image[13:15, 4:24] == 1.0)
    image[13:15, 4:24] = 0
    assert not image.any()
    half = horizontal_stroke(row=3, thickness=1, left=0, right=28, value=0.5)
    np.testing.assert_array_equal(half[3], np.full(28, 0.5))
    assert half.sum() == 14.0


@pytest.mark.parametrize(("row", "thickness"), [(27, 2), (-1, 2), (5, 0)])
def test_horizontal_stroke_outside_the_image(row, thickness):
    with pytest.raises(ValueError, match="stroke's rows"):
        horizontal_stroke(row=row, thickness=thickness)


def test_vertical_stroke_is_the_transposed_horizontal_stroke():
    np.testing.assert_array_equal(vertical_stroke(), horizontal_stroke().T)
    image = vertical_stroke(column=5, thickness=3, top=0, bottom=10, value=0.7)
    assert np.all(image[0:10, 5:8] == 0.7)
    assert image.sum() == pytest.approx(0.7 * 30)


def test_edge_bias_value():
    assert patterns.EDGE_BIAS == -10.0


# ---------------------------------------------------------------- the teaching claim


def test_edge_detector_fires_on_a_horizontal_stroke():
    # Weighted sum 40 (the whole band lit, no flank), plus the bias -10: σ(30).
    out = neuron(horizontal_stroke().ravel(), horizontal_edge().ravel(), EDGE_BIAS)
    assert out > 0.99


def test_edge_detector_quiet_on_a_vertical_stroke():
    # The vertical bar crosses 4 flank rows and 2 band rows in 2 columns: sum -4, σ(-14).
    out = neuron(vertical_stroke().ravel(), horizontal_edge().ravel(), EDGE_BIAS)
    assert out < 0.01


def test_edge_detector_quiet_on_a_blank_image():
    out = neuron(np.zeros(784), horizontal_edge().ravel(), EDGE_BIAS)
    assert out < 0.01
    assert out == pytest.approx(1 / (1 + np.exp(10.0)), rel=1e-15)


def test_without_bias_a_blank_image_gives_exactly_one_half():
    assert neuron(np.zeros(784), horizontal_edge().ravel(), 0.0) == 0.5
    assert neuron(np.zeros(784), horizontal_edge().ravel(), 0) == 0.5


def test_the_bias_is_what_silences_weak_evidence():
    # A faint horizontal stroke: the band sum is 40 * 0.2 = 8 < 10, so the neuron stays below 0.5.
    faint = horizontal_stroke(value=0.2).ravel()
    w = horizontal_edge().ravel()
    assert neuron(faint, w, EDGE_BIAS) < 0.5 < neuron(faint, w, 0.0)


@pytest.mark.parametrize(("row", "thickness"), [(5, 2), (20, 3), (13, 1)])
def test_matching_edge_and_stroke_fire_everywhere(row, thickness):
    w = horizontal_edge(row=row, thickness=thickness).ravel()
    assert neuron(horizontal_stroke(row=row, thickness=thickness).ravel(), w, EDGE_BIAS) > 0.99
    # The stroke moved off the band onto a flank inhibits instead.
    moved = horizontal_stroke(row=row + thickness, thickness=thickness).ravel()
    assert neuron(moved, w, EDGE_BIAS) < 0.01


# --- turned, shortened and moved detectors -------------------------------------


@pytest.mark.parametrize("thickness", [1, 2, 3])
def test_oriented_edge_at_zero_and_ninety_degrees_is_the_horizontal_edge(thickness):
    row = 13 if thickness < 3 else 12
    centre = row + thickness / 2 - 0.5
    w = patterns.oriented_edge(0, 20, thickness, centre=(centre, 13.5))
    np.testing.assert_array_equal(w, horizontal_edge(row=row, thickness=thickness))
    w = patterns.oriented_edge(90, 20, thickness, centre=(13.5, centre))
    np.testing.assert_array_equal(w, horizontal_edge(row=row, thickness=thickness).T)


def test_oriented_edge_step_has_one_positive_and_one_negative_side():
    w = patterns.oriented_edge(45, 10, 2, centre=(13.5, 13.5), kind="step")
    assert (w > 0).sum() == (w < 0).sum() > 0
    # turned half a turn, a step detector is its own negative
    np.testing.assert_array_equal(patterns.oriented_edge(225, 10, 2, kind="step")[w != 0], -w[w != 0])


def test_oriented_edge_bad_settings():
    with pytest.raises(ValueError, match="kind must be one of"):
        patterns.oriented_edge(kind="blob")
    with pytest.raises(ValueError, match="must be positive"):
        patterns.oriented_edge(length=0)


def test_edge_bank_rows_are_the_detectors_their_settings_name():
    detectors, settings = patterns.edge_bank(angles=(0, 45, 90), lengths=(6, 20), thicknesses=(1, 3))
    assert detectors.dtype == np.float32 and detectors.shape == (len(settings), 784)
    for k in range(0, len(settings), 97):
        s = settings[k]
        expected = patterns.oriented_edge(s["angle"], s["length"], s["thickness"],
                                          centre=s["centre"], kind=s["kind"])
        np.testing.assert_array_equal(detectors[k], expected.ravel())
    # none is constant (a correlation with it would divide by zero)
    assert np.all(detectors.min(axis=1) < detectors.max(axis=1))
