"""The book's figures: each returns its Axes, never shows, and draws what it claims."""

import subprocess
import sys

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.axes import Axes
from matplotlib.colors import to_rgba

import digitnet.plotting as plotting
from digitnet import sigmoid
from digitnet.patterns import horizontal_edge, horizontal_stroke
from digitnet.plotting import plot_activations, plot_sigmoid, show_image


@pytest.fixture(autouse=True)
def no_show(monkeypatch):
    """Fail any test whose code calls plt.show()."""

    def show(*args, **kwargs):
        raise AssertionError("plt.show() was called")

    monkeypatch.setattr(plt, "show", show)


def test_backend_is_agg():
    assert plt.get_backend().lower() == "agg"


def test_lazy_plotting_attribute_in_a_fresh_interpreter():
    code = "import digitnet; print(digitnet.plotting.__name__)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr[-500:]
    assert result.stdout.strip() == "digitnet.plotting"


# ---------------------------------------------------------------- plot_sigmoid


def test_plot_sigmoid_returns_axes_with_the_curve():
    ax = plot_sigmoid()
    assert isinstance(ax, Axes)
    z, y = ax.lines[0].get_data()
    assert z[0] == -10 and z[-1] == 10
    np.testing.assert_allclose(y, sigmoid(z), rtol=1e-15)
    assert ax.get_xlabel() == "weighted input z = S + b"
    assert ax.get_xlim() == (-10.0, 10.0)


def test_plot_sigmoid_marks_one_half_and_the_limits():
    ax = plot_sigmoid(z_min=-4, z_max=6)
    points = [line.get_data() for line in ax.lines]
    assert any(list(x) == [0] and list(y) == [0.5] for x, y in points)
    levels = {line.get_ydata()[0] for line in ax.lines if len(set(line.get_ydata())) == 1}
    assert {0.0, 1.0} <= levels
    assert ax.get_xlim() == (-4.0, 6.0)


def test_plot_sigmoid_draws_on_the_given_axes():
    fig, ax = plt.subplots()
    assert plot_sigmoid(ax) is ax
    assert len(plt.get_fignums()) == 1


@pytest.mark.parametrize(("z_min", "z_max"), [(5, 5), (10, -10)])
def test_plot_sigmoid_bad_range(z_min, z_max):
    with pytest.raises(ValueError, match="z_min must be less than z_max"):
        plot_sigmoid(z_min=z_min, z_max=z_max)


# ---------------------------------------------------------------- show_image


def test_show_image_weights_symmetric_limits_and_colorbar():
    w = horizontal_edge(strength=0.3)
    w[0, 0] = 0.8  # the largest magnitude is positive here
    ax = show_image(w, kind="weights")
    assert isinstance(ax, Axes)
    vmin, vmax = ax.images[0].get_clim()
    assert vmin == -vmax == -0.8
    assert ax.images[0].get_cmap().name == plotting.WEIGHTS_CMAP
    assert ax.images[0].colorbar is not None
    assert len(ax.figure.axes) == 2  # the image and its colorbar


def test_show_image_weights_limits_follow_the_most_negative_weight():
    w = np.zeros(784)
    w[5], w[6] = -3.0, 1.0
    vmin, vmax = show_image(w, kind="weights").images[0].get_clim()
    assert (vmin, vmax) == (-3.0, 3.0)


def test_show_image_weights_all_zero():
    ax = show_image(np.zeros((28, 28)), kind="weights")
    assert ax.images[0].get_clim() == (-1.0, 1.0)


def test_show_image_digit_grayscale_no_colorbar():
    image = horizontal_stroke()
    ax = show_image(image)
    cmap = ax.images[0].get_cmap()
    assert cmap.name == plotting.DIGIT_CMAP
    # Grayscale: every colour of the map has equal R, G and B; ink (1.0) is dark.
    colours = cmap(np.linspace(0, 1, 11))
    np.testing.assert_allclose(colours[:, 0], colours[:, 1])
    np.testing.assert_allclose(colours[:, 1], colours[:, 2])
    assert colours[-1, 0] < colours[0, 0]
    assert ax.images[0].get_clim() == (0.0, 1.0)
    assert ax.images[0].colorbar is None
    assert len(ax.figure.axes) == 1


def test_show_image_colorbar_overrides():
    assert show_image(np.zeros(784), colorbar=True).images[0].colorbar is not None
    assert show_image(np.zeros(784), kind="weights", colorbar=False).images[0].colorbar is None


def test_show_image_flat_vector_laid_out_row_by_row():
    values = np.arange(784) / 783
    ax = show_image(values)
    shown = np.asarray(ax.images[0].get_array())
    assert shown.shape == (28, 28)
    np.testing.assert_array_equal(shown, values.reshape(28, 28))
    assert shown[1, 0] == values[28]


def test_show_image_title_and_given_axes():
    fig, ax = plt.subplots()
    assert show_image(np.zeros(784), ax=ax, title="blank") is ax
    assert ax.get_title() == "blank"
    assert len(plt.get_fignums()) == 1


@pytest.mark.parametrize("shape", [(27, 28), (783,), (1, 784), (28, 28, 1), ()])
def test_show_image_bad_shape(shape):
    with pytest.raises(ValueError, match=r"values must have shape \(28, 28\) or \(784,\)"):
        show_image(np.zeros(shape))


@pytest.mark.parametrize("kind", ["weight", "Digit", "", None])
def test_show_image_bad_kind(kind):
    with pytest.raises(ValueError, match="kind must be 'digit' or 'weights'"):
        show_image(np.zeros(784), kind=kind)


def test_show_image_bad_values():
    values = np.zeros(784)
    values[3] = np.nan
    with pytest.raises(ValueError, match="values contains NaN"):
        show_image(values)
    with pytest.raises(TypeError, match="values must hold real numbers"):
        show_image(np.zeros(784).astype(str))


def test_show_image_makes_no_figure_on_error():
    with pytest.raises(ValueError):
        show_image(np.zeros(10))
    assert plt.get_fignums() == []


# ---------------------------------------------------------------- plot_activations


def test_plot_activations_highlights_the_argmax():
    values = [0.1, 0.3, 0.05, 0.92, 0.4, 0.0, 0.2, 0.6, 0.1, 0.3]
    ax = plot_activations(values)
    assert isinstance(ax, Axes)
    bars = ax.patches
    assert len(bars) == 10
    np.testing.assert_allclose([bar.get_height() for bar in bars], values)
    colours = [bar.get_facecolor() for bar in bars]
    assert colours[3] == to_rgba("C1")
    assert all(colour == to_rgba("C0") for i, colour in enumerate(colours) if i != 3)


def test_plot_activations_ties_highlight_only_the_first():
    ax = plot_activations([0.2, 0.9, 0.9])
    colours = [bar.get_facecolor() for bar in ax.patches]
    assert colours == [to_rgba("C0"), to_rgba("C1"), to_rgba("C0")]


def test_plot_activations_labels_and_title():
    ax = plot_activations([0.1, 0.8], labels=["no", "yes"], title="output")
    assert [t.get_text() for t in ax.get_xticklabels()] == ["no", "yes"]
    assert ax.get_title() == "output"
    default = plot_activations(np.zeros(10))
    assert [t.get_text() for t in default.get_xticklabels()] == [str(d) for d in range(10)]
    assert default.get_ylim() == (0.0, 1.05)


def test_plot_activations_draws_on_the_given_axes():
    fig, ax = plt.subplots()
    assert plot_activations([0.5, 0.2], ax=ax) is ax
    assert len(plt.get_fignums()) == 1


@pytest.mark.parametrize(
    ("values", "kwargs", "match"),
    [
        (np.zeros((2, 10)), {}, r"one layer's activations \(1-D\), got shape \(2, 10\)"),
        (0.5, {}, r"1-D\), got shape \(\)"),
        ([0.1, 0.2], {"labels": ["a"]}, "got 1 labels for 2 activations"),
        ([0.1, np.inf], {}, "values contains NaN or infinite"),
    ],
)
def test_plot_activations_bad_input(values, kwargs, match):
    with pytest.raises(ValueError, match=match):
        plot_activations(values, **kwargs)


def test_show_image_weights_limit_clips_the_colour_scale():
    from digitnet.plotting import show_image

    w = np.zeros((28, 28))
    w[5, 5], w[6, 6] = 4.0, -1.0
    assert show_image(w, kind="weights").images[0].get_clim() == (-4.0, 4.0)
    assert show_image(w, kind="weights", limit=1.0).images[0].get_clim() == (-1.0, 1.0)
    for bad in (0.0, -1.0, float("nan")):
        with pytest.raises(ValueError, match="limit must be a positive number"):
            show_image(w, kind="weights", limit=bad)
