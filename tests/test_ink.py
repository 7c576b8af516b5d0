"""Separating a digit's ink from the paper (digitnet.ink), one kind of real-world fault at a time.

The pictures are made by code (digitnet.specimens.photo writes MNIST digits on
photo-like paper), so every kind of fault is tested on many digits, not on one
example. Before digitnet.ink, the preparation read about 1 in 10 of these right.
"""

import numpy as np
import pytest
from scipy import ndimage

from digitnet import pretrained
from digitnet.datasets import load_sample, mnist_is_local
from digitnet.ink import find_ink, stroke_width
from digitnet.picture import luma
from digitnet.reading import read_digit
from digitnet.specimens import photo

#: How many of the sample's digits each kind is tried on, and how many must be read right
#: (before digitnet.ink: 0 to 6 of 30, depending on the kind).
COUNT, RIGHT = 30, 26


def shadow_patch(picture):
    """A hard-edged shadow (the phone's own) over the top left of the page."""
    picture = picture.astype(np.float64)
    height, width = picture.shape[:2]
    picture[: int(0.4 * height), : int(0.5 * width)] *= 0.55
    return picture.astype(np.uint8)


def screenshot(picture):
    """An app's screenshot: a title bar at the top, three buttons under the digit."""
    picture = picture.copy()
    height = picture.shape[0]
    picture[:30] = (60, 60, 70)
    for k in range(3):
        picture[height - 45 : height - 15, 15 + 80 * k : 75 + 80 * k] = (40, 90, 200)
    return picture


def app_screen(picture):
    """A phone app's screen: a title bar, the digit on a white canvas, two big labelled buttons."""
    from PIL import Image, ImageDraw

    digit = Image.fromarray(picture).convert("L").resize((180, 200))
    screen = Image.new("RGB", (400, 640), "white")
    screen.paste(Image.merge("RGB", [digit] * 3), (110, 170))
    draw = ImageDraw.Draw(screen)
    draw.rectangle([0, 0, 400, 80], fill=(30, 100, 220))
    draw.text((20, 40), "Digit Recognizer", fill="white")
    for left, label, colour in [(30, "Clear", (40, 120, 220)), (220, "Predict", (40, 160, 80))]:
        draw.rounded_rectangle([left, 540, left + 150, 600], radius=12, fill=colour)
        draw.text((left + 45, 565), label, fill="white")
    return np.asarray(screen)


KINDS = {
    "plain photo": ({}, None),
    "gray paper (level 0.45)": ({"paper": 0.45}, None),
    "dark gray paper (level 0.3)": ({"paper": 0.3, "strength": 0.7}, None),
    "a shadow across the page": ({"shadow": 0.7}, None),
    "a hard-edged shadow": ({}, shadow_patch),
    "sensor grain (8 gray levels)": ({"grain": 0.03}, None),
    "a 1-pixel pen": ({"pen": 1}, None),
    "faint pencil": ({"ink": "pencil", "strength": 0.35}, None),
    "ruled paper": ({"ruled": True}, None),
    "the next digit at the edge": ({"neighbour": True}, None),
    "a small digit in a big frame": ({"size": 60}, None),
    "an app's buttons": ({"ink": "black"}, screenshot),
    "an app's screen, buttons bigger than the digit": (
        {"ink": "black", "paper": 1.0, "tint": (1, 1, 1), "texture": 0, "grain": 0, "shadow": 0},
        app_screen),
    "light ink on a dark screen": ({"ink": "black"}, lambda picture: 255 - picture),
}


@pytest.fixture(scope="module")
def net():
    return pretrained()


@pytest.mark.parametrize("kind", list(KINDS))
def test_each_kind_of_photo_is_read(kind, net):
    options, change = KINDS[kind]
    images, labels = load_sample()
    right = 0
    for k in range(COUNT):
        settings = dict(options)
        if settings.pop("neighbour", False):
            settings["neighbour"] = images[k + 1]
        picture = photo(images[k], seed=k, **settings)
        if change is not None:
            picture = change(picture)
        right += read_digit(luma(picture), net).digit == labels[k]
    assert right >= RIGHT, f"{kind}: {right} of {COUNT} read right"


def seven(shape=(120, 100), level=0.45, ink=-0.25, width=4):
    """A "7" (bar and diagonal) of `width` pixels drawn `ink` away from paper at `level`."""
    gray = np.full(shape, level)
    rows, columns = np.indices(shape)
    bar = (np.abs(rows - 25) < width / 2) & (columns > 25) & (columns < 75)
    diagonal = (np.abs((columns - 75) + 0.45 * (rows - 25)) < width / 2) & (rows > 25) & (rows < 100)
    gray[bar | diagonal] += ink
    return gray, bar | diagonal


@pytest.mark.parametrize("level", [0.40, 0.45, 0.50])
@pytest.mark.parametrize("ink", [-0.25, +0.25])
def test_polarity_on_gray_paper(level, ink):
    """Gray paper near mid-gray: the ink is found whether it is darker or lighter."""
    gray, strokes = seven(level=level, ink=ink)
    found = find_ink(gray)
    assert found.dark == (ink < 0)
    assert (found.strokes == strokes).mean() > 0.99


def test_grain_does_not_set_the_crop_box():
    """Grain of 2.6 gray levels, invisible to the eye, is not ink: the box is the digit's."""
    gray, strokes = seven(level=0.9, ink=-0.6)
    grainy = np.clip(gray + np.random.default_rng(0).normal(0, 2.6 / 255, gray.shape), 0, 1)
    found = find_ink(grainy)
    assert found.extent == find_ink(gray).extent
    near = ndimage.binary_dilation(strokes, iterations=3)
    assert not found.level[~near].any()           # no haze of grain around the digit


@pytest.mark.parametrize("sigma", [2.0, 3.0, 8.0])
def test_paper_with_nothing_on_it_has_no_ink(sigma):
    rng = np.random.default_rng(1)
    for shape in [(60, 40), (1000, 800)]:
        gray = np.clip(rng.normal(200, sigma, shape).round(), 0, 255) / 255
        assert not find_ink(gray).found, (sigma, shape)


def test_a_faint_thin_line_on_clean_paper_is_ink():
    gray, strokes = seven(level=1.0, ink=-12 / 255, width=1)
    found = find_ink(gray)
    assert found.found and (found.strokes == strokes).all()
    assert stroke_width(found.strokes) < 1.6


def test_a_speck_far_away_is_dropped_a_second_piece_nearby_is_kept():
    gray, strokes = seven(level=0.9, ink=-0.6)
    gray[5:8, 92:95] = 0.2                         # a speck of dust in the corner
    gray[60:64, 30:50] = 0.3                       # a stroke near the digit (a 4's bar, say)
    found = find_ink(gray)
    assert not found.strokes[5:8, 92:95].any()
    assert found.strokes[60:64, 30:50].all()


def test_the_edge_of_the_next_digit_is_dropped():
    gray, strokes = seven(shape=(120, 130), level=0.9, ink=-0.6)
    gray[30:90, 122:130] = 0.3                     # a stroke cut by the frame, to the right
    found = find_ink(gray)
    assert not found.strokes[:, 110:].any()
    assert (found.strokes == strokes).mean() > 0.99


def test_ruled_lines_are_removed_but_a_digit_filling_the_frame_is_kept():
    gray, strokes = seven(shape=(160, 200), level=0.9, ink=-0.6)
    ruled = gray.copy()
    ruled[[10, 55, 100, 145], :] = 0.5             # lines across the whole page
    found = find_ink(ruled)
    assert not found.strokes[[10, 100, 145]].any()
    assert found.extent <= 80                      # the digit's, not the lines'
    assert not found.level[55, :20].any() and not found.level[55, 90:].any()
    one = np.full((100, 40), 0.9)
    one[2:98, 18:22] = 0.2                         # a "1" from the top of the frame to the bottom
    assert find_ink(one).extent == 96
    seven_bar = np.full((60, 60), 0.9)
    seven_bar[2:6, 0:60] = 0.2                     # the bar of a 7 spanning a tight crop
    seven_bar[6:58, 40:44] = 0.2
    assert find_ink(seven_bar).strokes[3].sum() == 60


def test_find_ink_refuses_bad_input():
    with pytest.raises(ValueError, match="2-D"):
        find_ink(np.zeros((3, 4, 3)))
    with pytest.raises(ValueError, match="values from 255.0 to 255.0; divide pixels 0-255 by 255"):
        find_ink(np.full((5, 5), 255.0))
    with pytest.raises(TypeError, match="complex"):
        find_ink(np.zeros((5, 5), dtype=complex))


@pytest.mark.skipif(not mnist_is_local(), reason="needs the MNIST files")
def test_min_stroke_is_the_lower_quartile_of_mnists_strokes():
    from digitnet.datasets import load_mnist
    from digitnet.images import BOX, MIN_STROKE

    images, _ = load_mnist("train", download=False)
    widths = []
    for image in images[:2000]:
        ink = find_ink(image / 255)
        widths.append(ink.stroke_width * BOX / ink.extent)
    assert np.percentile(widths, 25) == pytest.approx(MIN_STROKE, abs=0.05)
    assert np.median(widths) == pytest.approx(2.7, abs=0.05)        # as the docstring says
    assert np.percentile(widths, 1) == pytest.approx(1.5, abs=0.05)
