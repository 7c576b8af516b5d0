"""Preparing a picture of a digit like MNIST: prepare_digit and load_image."""

import numpy as np
import pytest
from PIL import Image

from digitnet.datasets import load_sample
from digitnet.images import load_image, prepare_digit

from conftest import correlation

# A "7": a top bar and a long diagonal, in coordinates relative to its box
# (row, column), 1.0 high and 0.6 wide.
SEVEN = [((0.0, 0.0), (0.0, 0.6)), ((0.0, 0.6), (1.0, 0.2))]


def draw(canvas_shape, top, left, height, shape=SEVEN, thickness=0.12):
    """Ink (0..1) of `shape` scaled to `height` pixels, its box's corner at (top, left)."""
    rows, columns = np.indices(canvas_shape, dtype=np.float64)
    y, x = (rows - top) / height, (columns - left) / height
    distance = np.full(canvas_shape, np.inf)
    for (y0, x0), (y1, x1) in shape:
        dy, dx = y1 - y0, x1 - x0
        t = np.clip(((y - y0) * dy + (x - x0) * dx) / (dy * dy + dx * dx), 0, 1)
        distance = np.minimum(distance, np.hypot(y - y0 - t * dy, x - x0 - t * dx))
    return (distance <= thickness / 2).astype(np.float64)


def centre_of_mass(image):
    rows, columns = np.indices(image.shape)
    return (rows * image).sum() / image.sum(), (columns * image).sum() / image.sum()


def box_size(image):
    rows, columns = np.nonzero(image > 0)
    return np.ptp(rows) + 1, np.ptp(columns) + 1


def aligned_correlation(a, b):
    """The best correlation of `a` and `b` shifted by at most one pixel each way.

    Centring rounds the shift to whole pixels, so the same digit drawn twice
    may land one pixel apart: its centre of mass is within half a pixel of
    (14, 14) either way.
    """
    return max(
        correlation(np.roll(a, (dy, dx), axis=(0, 1)), b)
        for dy in (-1, 0, 1)
        for dx in (-1, 0, 1)
    )


def check_mnist_like(digit):
    assert digit.shape == (28, 28) and digit.dtype == np.float64
    assert digit.min() >= 0.0 and digit.max() == pytest.approx(1.0)
    row, column = centre_of_mass(digit)
    assert abs(row - 14) <= 0.5 and abs(column - 14) <= 0.5
    assert max(box_size(digit)) <= 20


@pytest.fixture(scope="module")
def reference():
    """The "7" drawn at a moderate size, centred, white on black."""
    return prepare_digit((draw((120, 120), 20, 30, 80) * 255).astype(np.uint8))


def variants():
    ink_small = draw((40, 36), 8, 10, 24)  # just above MNIST's size
    ink_large = draw((700, 500), 150, 100, 400)
    ink_corner = draw((300, 400), 5, 330, 60)  # top right corner, touching nothing
    return {
        "small": (ink_small * 255).astype(np.uint8),
        "large": (ink_large * 255).astype(np.uint8),
        "off-centre": (ink_corner * 255).astype(np.uint8),
        "dark on light": (255 - ink_large * 255).astype(np.uint8),
        "float 0-1, dark on light": 1.0 - ink_corner,
        "gray pencil on gray paper": 0.8 - 0.45 * ink_large,
        "boolean mask": ink_small > 0.5,
    }


@pytest.mark.parametrize("name", list(variants()))
def test_same_digit_whatever_size_place_and_polarity(name, reference):
    digit = prepare_digit(variants()[name])
    check_mnist_like(digit)
    assert box_size(digit)[0] == 20  # the longer side (the height) fills the box
    assert 10 <= box_size(digit)[1] <= 14  # and the aspect ratio (0.6 + stroke) is kept
    assert aligned_correlation(digit, reference) > 0.9, name


def test_wide_digit_keeps_its_aspect_ratio():
    dash = np.zeros((100, 100), dtype=np.uint8)
    dash[40:50, 10:90] = 255
    digit = prepare_digit(dash)
    check_mnist_like(digit)
    assert box_size(digit)[1] == 20 and box_size(digit)[0] <= 4


def test_lopsided_digit_stays_in_the_frame():
    """Ink piled up at the top: the shift is limited so that nothing is cut off."""
    tee = np.zeros((100, 100))
    tee[0:45, 0:100] = 1.0  # a thick top bar
    tee[45:100, 48:52] = 1.0  # a thin stem
    tee = np.pad(tee, 20)
    digit = prepare_digit(tee)
    assert box_size(digit) == (20, 20)
    # centring would have put the stem's foot below the frame; it stops at the edge
    assert centre_of_mass(digit)[0] < 13.5
    assert digit[27].max() > 0.3 and digit[7].max() == 0


@pytest.mark.parametrize(
    "blank",
    [
        np.zeros((28, 28)),
        np.full((50, 80), 255, dtype=np.uint8),
        np.full((10, 10), 0.5),
        np.zeros((1, 1), dtype=np.uint8),
        # gray paper with sensor grain of 3 gray levels, and nothing on it
        np.clip(np.random.default_rng(0).normal(200, 3, (120, 90)), 0, 255).astype(np.uint8),
    ],
)
def test_blank_picture_gives_zeros(blank):
    digit = prepare_digit(blank)
    assert digit.shape == (28, 28) and not digit.any()


def test_a_faint_line_on_clean_paper_is_ink():
    """10 gray levels of contrast (below the old 0.1 minimum) on noiseless paper is a stroke."""
    paper = np.full((40, 40), 200, dtype=np.uint8)
    paper[5:35, 20:22] -= 10
    digit = prepare_digit(paper)
    check_mnist_like(digit)
    assert box_size(digit)[0] == 20


def test_a_single_dot_does_not_crash():
    dot = np.zeros((300, 300), dtype=np.uint8)
    dot[150, 150] = 255
    digit = prepare_digit(dot)
    check_mnist_like(digit)


def test_shape_errors_say_what_to_do_with_the_shape_in_hand():
    for shape, fix in [((784,), r"reshape\(28, 28\)"), ((3, 28, 28), r"one at a time"),
                       ((5, 5, 4), "colour image"), ((), "2-D array")]:
        with pytest.raises(ValueError, match=fix):
            prepare_digit(np.zeros(shape))


def test_input_is_not_modified():
    pixels = (255 - draw((60, 60), 10, 10, 40) * 255).astype(np.uint8)
    before = pixels.copy()
    prepare_digit(pixels)
    np.testing.assert_array_equal(pixels, before)


@pytest.mark.parametrize(
    "pixels, error, message",
    [
        (np.zeros((28, 28, 3)), ValueError, "2-D array.*shape \\(28, 28, 3\\).*colour image: convert it to gray"),
        (np.zeros(784), ValueError, "2-D array"),
        (np.zeros((0, 5)), ValueError, "non-empty"),
        (np.full((5, 5), 200.0), ValueError, "float pixels must lie between 0.0 and 1.0.*uint8"),
        (np.full((5, 5), -1.0), ValueError, "between 0.0 and 1.0"),
        (np.full((5, 5), 256), ValueError, "integer pixels must lie between 0 and 255"),
        (np.full((5, 5), np.nan), ValueError, "NaN"),
        (np.full((5, 5), "a"), TypeError, "numeric"),
        (np.zeros((5, 5), dtype=complex), TypeError, "numeric"),
    ],
)
def test_prepare_digit_rejects_bad_input(pixels, error, message):
    with pytest.raises(error, match=message):
        prepare_digit(pixels)


def save(array, path, mode=None):
    Image.fromarray(array).convert(mode or Image.fromarray(array).mode).save(path)
    return path


def colour_pictures(ink):
    """The ink (0..1, white on black) as files of several kinds, all dark on light."""
    level = np.round(255 * (1 - ink)).astype(np.uint8)
    green = np.array([0, 100, 0])  # dark green ink on white paper
    rgb = np.round(255 - ink[..., None] * (255 - green)).astype(np.uint8)
    rgba = np.zeros(ink.shape + (4,), dtype=np.uint8)  # black ink on transparency
    rgba[..., 3] = np.round(255 * ink).astype(np.uint8)
    return {
        "gray.png": (level, None),
        "rgb.png": (rgb, None),
        "rgba.png": (rgba, None),
        "gray-alpha.png": (rgba, "LA"),
        "palette.png": (rgb, "P"),
        "16-bit.png": (level.astype(np.uint16) * 257, None),
        "photo.jpg": (rgb, None),
        "bilevel.bmp": (level, "1"),
    }


@pytest.mark.parametrize("name", list(colour_pictures(np.zeros((1, 1)))))
def test_load_image_formats(tmp_path, name, reference):
    array, mode = colour_pictures(draw((240, 320), 60, 150, 150))[name]
    digit = load_image(save(array, tmp_path / name, mode))
    check_mnist_like(digit)
    assert aligned_correlation(digit, reference) > 0.9


def test_load_image_blank(tmp_path):
    white = np.full((50, 50, 3), 255, dtype=np.uint8)
    assert not load_image(save(white, tmp_path / "white.png")).any()
    transparent = np.zeros((50, 50, 4), dtype=np.uint8)
    assert not load_image(save(transparent, tmp_path / "transparent.png")).any()


def test_load_image_missing_file(tmp_path):
    with pytest.raises(FileNotFoundError, match="no image file at .*nothing.png"):
        load_image(tmp_path / "nothing.png")


def test_load_image_folder(tmp_path):
    with pytest.raises(ValueError, match="is a folder, not an image file"):
        load_image(tmp_path)


@pytest.mark.parametrize("content", [b"", b"hello, not a picture", "truncated"])
def test_load_image_unreadable(tmp_path, content):
    path = tmp_path / "digit.png"
    if content == "truncated":
        save(np.full((64, 64), 255, dtype=np.uint8), path)
        content = path.read_bytes()[:60]
    path.write_bytes(content)
    with pytest.raises(ValueError, match="digit.png (is not a picture|is truncated|begins like)"):
        load_image(path)


@pytest.mark.parametrize("index", [0, 1, 2, 3, 4, 7, 8, 11])
def test_real_mnist_digit_survives_the_round_trip(tmp_path, index):
    """An MNIST digit, 4x larger, dark on white and off-centre, comes back as itself."""
    images, labels = load_sample()
    original = images[index].astype(np.float64) / 255
    large = np.kron(255 - images[index], np.ones((4, 4), dtype=np.uint8))  # 112x112
    canvas = np.full((200, 260), 255, dtype=np.uint8)
    canvas[70:182, 140:252] = large
    rgb = np.repeat(canvas[..., None], 3, axis=-1)
    digit = load_image(save(rgb, tmp_path / f"mnist-{index}.png"))
    check_mnist_like(digit)
    assert correlation(digit, original) > 0.95, labels[index]


def test_mnist_digits_are_fixed_points():
    """MNIST's own digits, 4x larger and dark on light, come back as themselves.

    Up to one pixel of shift: a digit whose centre of mass lies almost exactly
    half a pixel off (14, 14) may be rounded the other way. Digits thinner
    than MIN_STROKE (a quarter of MNIST's) come back a little thicker, and
    still close to themselves.
    """
    from digitnet.images import BOX, FINE, INK_THRESHOLD, MIN_STROKE
    from digitnet.ink import find_ink

    images, _ = load_sample()
    thickened = 0
    for image in images[:100]:
        large = np.kron(255 - image, np.ones((4, 4), dtype=np.uint8))
        digit = prepare_digit(large)
        check_mnist_like(digit)
        ink = find_ink(large / 255)
        crop_side = max(np.ptp(np.nonzero(ink.level > INK_THRESHOLD), axis=1)) + 1
        if round((MIN_STROKE - ink.stroke_width * BOX / crop_side) * FINE / 2) >= 1:
            thickened += 1
            assert aligned_correlation(digit, image / 255) > 0.8
            assert (digit > 0.5).sum() >= (image > 127).sum()
        else:
            assert aligned_correlation(digit, image / 255) > 0.98
    assert 5 <= thickened <= 50
