"""Reading the digit in a picture: read_digit, on the bug reports' failing files and on arrays."""

import numpy as np
import pytest

from digitnet import Network, pretrained
from digitnet.reading import read_digit

from conftest import CASES, shared_folder

#: Each file of ../shared/cases and the right answer: a digit, or None for "no digit".
EXPECTED = {
    "blank-image-predicts-5.png": None,
    "single-dot-predicted-as-digit.png": None,
    "exif-orientation-6-seven-read-as-0.jpg": 7,
    "float-tiff-mode-F-0to1-read-as-blank.tif": 7,
    "photo-clean-seven-reference.png": 7,
    "photo-grain-3.8-levels-seven-misread.png": 7,
}


def test_every_case_is_listed():
    folder = shared_folder(CASES)
    assert sorted(path.name for path in folder.iterdir()) == sorted(EXPECTED)


@pytest.mark.parametrize("name", list(EXPECTED))
def test_the_failing_cases_are_read_right(name):
    reading = read_digit(shared_folder(CASES) / name)
    if EXPECTED[name] is None:
        assert reading.status == "no digit" and reading.digit is None
    else:
        assert reading.status == "digit" and reading.digit == EXPECTED[name]


def test_read_digit_takes_an_array_or_a_path(tmp_path):
    from PIL import Image

    picture = np.full((60, 40), 255, dtype=np.uint8)
    picture[8:52, 18:23] = 0
    Image.fromarray(picture).save(tmp_path / "one.png")
    from_array, from_file = read_digit(picture), read_digit(tmp_path / "one.png")
    assert from_array.digit == from_file.digit == 1
    np.testing.assert_array_equal(from_array.image, from_file.image)
    assert from_array.output.shape == (10,) and from_array.image.shape == (28, 28)
    assert from_array.message == f"digit: 1 (confidence {from_array.confidence:.2f})"


def test_read_digit_checks_the_network():
    picture = np.zeros((28, 28))
    with pytest.raises(ValueError, match="784 inputs"):
        read_digit(picture, Network((100, 10), seed=0))
    with pytest.raises(TypeError, match="digitnet.Network"):
        read_digit(picture, "pretrained")
    assert read_digit(picture, pretrained()).status == "no digit"


@pytest.mark.parametrize("radius", [1.5, 2.5, 4, 10, 30, 60])
@pytest.mark.parametrize("offset", [0.0, 0.3, 0.5])
def test_a_round_dot_of_any_size_is_no_digit(radius, offset):
    """Anti-aliased dots, on and off the pixel grid: "no digit", never a crash or a digit."""
    rows, columns = np.mgrid[0:200, 0:200]
    distance = np.hypot(rows - 100.4 + offset, columns - 99.7 - offset)
    picture = np.clip(255 * (distance - radius + 0.5), 0, 255).astype(np.uint8)
    reading = read_digit(picture)
    assert (reading.status, reading.reason) == ("no digit", "blob")


def test_a_scribble_that_covers_most_of_the_frame_is_no_digit():
    """Ink over more than half the picture must not flip it into "paper" (a ring, read as 0)."""
    scribble = np.zeros((280, 280), dtype=np.uint8)
    for k in range(25):
        y = 40 + 8 * k
        scribble[y : y + 18, 31:249] = 255            # back and forth with an 18-pixel pen
    reading = read_digit(scribble)
    assert reading.status == "no digit" and reading.reason in ("blob", "scribble")
