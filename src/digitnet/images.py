"""Your own handwriting, prepared the way MNIST prepared its digits.

An MNIST digit holds each pixel's amount of ink, from 0 (blank paper) to 255
(full ink) -- the book draws it dark on white paper. The digit was cropped to
its ink, scaled to fit a 20x20 box (keeping its aspect ratio, with
anti-aliasing) and placed in a 28x28 image so that its centre of mass lies at
the centre, pixel (14, 14). A network trained on MNIST only recognises digits
prepared the same way, so a photo or drawing goes through the same steps
first: :func:`prepare_digit` for an array, :func:`load_image` for an image
file.

A photo holds more than ink on white, so before MNIST's steps the digit's ink is
separated from the paper (:func:`digitnet.ink.find_ink`: a threshold from the
picture itself, polarity, specks and stray objects dropped), and after them
strokes far thinner or thicker than MNIST's are brought within MNIST's range.
Preparing an image needs the ``images`` extra (scikit-image and SciPy):
``pip install "digitnet[images]"``.
"""

from pathlib import Path

import numpy as np

from ._checks import check_finite
from .datasets import _scale_pixels
from .extras import require

#: The side of the prepared image, in pixels.
SIZE = 28

#: The side of the square the digit is scaled to fit, as in MNIST.
BOX = 20

#: A pixel counts as ink for the bounding box when its ink level exceeds this
#: (0.05: faint noise is cropped away, the soft edges of strokes are kept).
INK_THRESHOLD = 0.05

#: The least stroke width, in pixels of the 20x20 box, that a prepared digit
#: gets: the lower quartile of MNIST's digits' stroke widths as
#: :func:`digitnet.ink.find_ink` measures them (their median is 2.7). Thinner
#: strokes (a fine pen, a 1-pixel line in a paint program) are thickened to
#: it. A quarter of MNIST's digits are thinner, and are thickened a little
#: too, at no cost on MNIST's test digits; thickening only to the 1st
#: percentile (1.5) left drawings made with a 1-pixel pen too thin to read.
MIN_STROKE = 2.3

#: Strokes are thickened on the digit scaled to this many times the box, so
#: their width can grow by a quarter of a pixel of the box. (Thick strokes are
#: left alone: thinning a marker's strokes to MNIST's widest cost 0.14 points
#: on MNIST's test digits and gained nothing on real pictures.)
FINE = 4


def _as_gray(pixels):
    """`pixels` as a float64 array in 0..1, checked: 2-D, finite, in range."""
    raw = np.asarray(pixels)
    if raw.dtype == np.bool_:
        gray = raw.astype(np.float64)
    elif np.issubdtype(raw.dtype, np.integer):
        if raw.size and (raw.min() < 0 or raw.max() > 255):
            raise ValueError(
                f"integer pixels must lie between 0 and 255, got values from {raw.min()} "
                f"to {raw.max()}"
            )
        gray = _scale_pixels(raw, np.float64)
    elif np.issubdtype(raw.dtype, np.floating):
        gray = check_finite(raw.astype(np.float64), "pixels")
        if gray.size and (gray.min() < 0 or gray.max() > 1):
            raise ValueError(
                f"float pixels must lie between 0.0 and 1.0, got values from {gray.min()} "
                f"to {gray.max()}; for values 0-255 pass an integer array (e.g. uint8) "
                "or divide by 255"
            )
    else:
        raise TypeError(
            f"pixels must be a numeric array (uint8 0-255 or float 0.0-1.0), "
            f"got dtype {raw.dtype}"
        )
    if gray.ndim != 2 or gray.size == 0:
        shape = gray.shape
        if shape == (784,):
            fix = "a flattened 28x28 digit: pass pixels.reshape(28, 28)"
        elif gray.ndim == 3 and shape[-1] in (3, 4):
            fix = "a colour image: convert it to gray first (or read the file with load_image)"
        elif gray.ndim == 3:
            fix = "several pictures: prepare one at a time, e.g. pixels[0]"
        else:
            fix = "give one grayscale picture as a 2-D array (rows, columns)"
        raise ValueError(
            f"pixels must be one grayscale image, a non-empty 2-D array (rows, columns), "
            f"got shape {shape}: {fix}"
        )
    return gray


def _resize(ink, height, width):
    """`ink` (float 0..1) resized to (height, width) with Pillow's Lanczos filter."""
    from PIL import Image

    picture = Image.fromarray(ink.astype(np.float32))  # Pillow mode "F"
    resized = picture.resize((width, height), Image.Resampling.LANCZOS)
    return np.clip(np.asarray(resized, dtype=np.float64), 0.0, 1.0)


def _cropped(level):
    """`level` cropped to the bounding box of its pixels above INK_THRESHOLD (or None)."""
    inked = level > INK_THRESHOLD
    rows = np.flatnonzero(inked.any(axis=1))
    columns = np.flatnonzero(inked.any(axis=0))
    if rows.size == 0:
        return None
    return level[rows[0] : rows[-1] + 1, columns[0] : columns[-1] + 1]


def _fitted(crop, longest):
    """`crop` scaled so its longer side is `longest` pixels, keeping its aspect ratio."""
    height, width = crop.shape
    scale = longest / max(height, width)
    return _resize(
        crop,
        min(longest, max(1, round(height * scale))),
        min(longest, max(1, round(width * scale))),
    )


def _restroked(crop, stroke_width):
    """`crop` fitted into the box, its strokes at least MIN_STROKE wide.

    `stroke_width` is the strokes' width in pixels of `crop`. If it would be
    below MIN_STROKE once the crop is scaled into the box, the crop is scaled
    to FINE times the box, grown there by a gray-level dilation with a disk
    (Soille, *Morphological Image Analysis*, 2003, ch. 3), as if drawn with a
    wider pen, and then fitted into the box.
    """
    from scipy import ndimage
    from skimage.morphology import disk

    width = stroke_width * BOX / max(crop.shape)  # in pixels of the box
    radius = round(max(MIN_STROKE - width, 0.0) * FINE / 2)
    if radius == 0:
        return _fitted(crop, BOX)
    fine = np.pad(_fitted(crop, BOX * FINE), radius)
    return _fitted(ndimage.grey_dilation(fine, footprint=disk(radius)), BOX)


def _centred(box):
    """`box` (at most 20x20) in a 28x28 image with its centre of mass at (14, 14)."""
    height, width = box.shape
    rows, columns = np.indices(box.shape)
    total = box.sum()
    # Rounded to a millionth of a pixel: a digit exactly half a pixel off centre
    # is then shifted the same way by NumPy and by the draw page's JavaScript,
    # whose sums differ in the last bits.
    centre_row = round(float((rows * box).sum() / total), 6)
    centre_column = round(float((columns * box).sum() / total), 6)
    top = int(np.floor(SIZE / 2 - centre_row + 0.5))
    left = int(np.floor(SIZE / 2 - centre_column + 0.5))
    top = min(max(top, 0), SIZE - height)
    left = min(max(left, 0), SIZE - width)
    digit = np.zeros((SIZE, SIZE))
    digit[top : top + height, left : left + width] = box
    return digit


def place_digit(ink):
    """The digit's ink, scaled and centred as MNIST's digits are: 28x28.

    The steps after the ink is found (:func:`digitnet.ink.find_ink`):

    1. **Crop** to the bounding box of the pixels whose ink level exceeds
       :data:`INK_THRESHOLD`.
    2. **Scale** the box so its longer side is 20 pixels, keeping the
       aspect ratio, with Pillow's anti-aliasing Lanczos filter; then
       stretch the levels so the strongest ink is 1.
    3. **Stroke width.** If the strokes would end up thinner than
       :data:`MIN_STROKE` pixels (the lower quartile of MNIST's own digits),
       they are thickened to that width first, so a fine pen or a 1-pixel
       line gives the strokes MNIST has.
    4. **Centre**: paste it into a 28x28 blank (all-zero) image, shifted so that its
       centre of mass lands on pixel (14, 14) -- the shift is rounded to
       whole pixels, so the centre of mass ends within half a pixel of
       (14, 14) in each direction. (Pixel (14, 14) is also where the centre
       of mass of the real MNIST digits lies: their mean is (13.99, 14.01).)
       Only if that would push part of the digit out of the frame (a digit
       whose ink is piled up at one end) is the shift reduced just enough to
       keep the whole digit inside.

    Parameters
    ----------
    ink : digitnet.ink.Ink
        The digit's ink, as :func:`digitnet.ink.find_ink` returns it.

    Returns
    -------
    numpy.ndarray of float64, shape (28, 28)
        Values 0.0 (background) to 1.0 (ink); all zeros if there is no ink.

    Examples
    --------
    A 1-pixel line is thickened to MNIST's strokes:

    >>> import numpy as np
    >>> from digitnet.images import MIN_STROKE, place_digit
    >>> from digitnet.ink import find_ink
    >>> canvas = np.ones((200, 200))
    >>> canvas[20:180, 100] = 0.0                  # a "1" drawn with a 1-pixel pen
    >>> digit = place_digit(find_ink(canvas))
    >>> int(np.count_nonzero(digit[14] > 0.5)) >= MIN_STROKE - 1
    True
    """
    if not ink.found:
        return np.zeros((SIZE, SIZE))
    crop = _cropped(ink.level)
    box = None if crop is None else _restroked(crop, ink.stroke_width)
    if box is None or box.max() <= 0:  # only possible for a vanishing speck
        return np.zeros((SIZE, SIZE))
    return _centred(box / box.max())


def prepare_digit(pixels):
    """A picture of one handwritten digit as a 28x28 MNIST-style image.

    The digit's ink is separated from the paper by
    :func:`digitnet.ink.find_ink` (the paper's level and noise measured in
    the picture, a threshold from the picture itself, polarity decided by
    which way the ink stands out, ruled lines, specks and stray objects
    dropped), then scaled and centred by :func:`place_digit` as MNIST's
    digits were (crop, fit into 20x20, strokes at least as wide as MNIST's, centre
    of mass at (14, 14)).

    Parameters
    ----------
    pixels : array_like, 2-D, any size
        A grayscale picture, either dark ink on light paper or light on dark.
        The scale follows the dtype, strictly: integer arrays (typically
        uint8) hold 0 (black) to 255 (white); float arrays hold 0.0 (black)
        to 1.0 (white); boolean arrays are 0 or 1. A float array with values
        above 1 is refused rather than guessed at.

    Returns
    -------
    numpy.ndarray of float64, shape (28, 28)
        Values 0.0 (background) to 1.0 (ink). A picture with no ink (nothing
        but paper and its noise) gives all zeros rather than an error; to
        learn whether a picture holds a digit at all, use
        :func:`digitnet.reading.read_digit`.

    Raises
    ------
    TypeError
        If `pixels` is not numeric.
    ValueError
        If `pixels` is not a non-empty 2-D array, holds NaN or infinity, or
        has values outside the range of its dtype (0-255 for integers,
        0.0-1.0 for floats).
    ImportError
        If the ``images`` extra (scikit-image) is not installed; the message
        says how to install it.

    See Also
    --------
    load_image : The same for an image file.

    Examples
    --------
    A thick dark "1" drawn off-centre on a white 100x60 canvas:

    >>> import numpy as np
    >>> from digitnet.images import prepare_digit
    >>> canvas = np.full((100, 60), 255, dtype=np.uint8)
    >>> canvas[10:70, 40:48] = 0
    >>> digit = prepare_digit(canvas)
    >>> digit.shape, float(digit.min()), float(digit.max())
    ((28, 28), 0.0, 1.0)
    >>> rows, columns = np.nonzero(digit > 0.1)
    >>> int(np.ptp(rows)) + 1           # scaled to 20 pixels high
    20
    >>> bool(abs(np.average(rows, weights=digit[rows, columns]) - 14) <= 0.5)
    True
    >>> float(prepare_digit(np.zeros((50, 50))).max())   # blank: all zeros
    0.0
    """
    return place_digit(digit_ink(pixels))


def digit_ink(pixels):
    """The digit's ink in a picture given as an array: :func:`digitnet.ink.find_ink`
    after the checks and scaling of :func:`prepare_digit`.

    Parameters
    ----------
    pixels : array_like, 2-D, any size
        As for :func:`prepare_digit`.

    Returns
    -------
    digitnet.ink.Ink

    Raises
    ------
    TypeError, ValueError, ImportError
        As :func:`prepare_digit` raises them.

    Examples
    --------
    >>> import numpy as np
    >>> from digitnet.images import digit_ink
    >>> canvas = np.full((100, 60), 255, dtype=np.uint8)
    >>> canvas[10:70, 40:48] = 0
    >>> ink = digit_ink(canvas)
    >>> ink.dark, ink.extent
    (True, 60)
    """
    gray = _as_gray(pixels)
    require("images")
    from .ink import find_ink

    return find_ink(gray)


def load_image(path):
    """Read a picture of a handwritten digit and prepare it like MNIST.

    The file is read by :func:`digitnet.picture.read_picture` (any format
    Pillow reads, turned upright by its EXIF orientation, every mode at its
    own range, transparency taken as paper, a very large picture reduced as
    it is read) and prepared by :func:`prepare_digit`.

    Parameters
    ----------
    path : str or os.PathLike
        The image file.

    Returns
    -------
    numpy.ndarray of float64, shape (28, 28)
        Values 0.0 (background) to 1.0 (ink), already scaled like the
        input layer's activations (do not pass it through
        :func:`~digitnet.datasets.normalize`): ``digit.ravel()`` is the 784
        inputs of the network. A picture with no ink gives all zeros.

    Raises
    ------
    FileNotFoundError
        If there is no file at `path`.
    ValueError
        If the file cannot be read as an image (the message names it once,
        and the fix).

    Warns
    -----
    digitnet.picture.PictureWarning
        If Pillow warned while reading the file (e.g. a very large picture).

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> import numpy as np
    >>> from PIL import Image
    >>> from digitnet.images import load_image
    >>> canvas = np.zeros((200, 300, 4), dtype=np.uint8)     # transparent RGBA
    >>> canvas[40:160, 100:120] = (20, 20, 200, 255)         # an opaque blue "1"
    >>> path = Path(tempfile.mkdtemp()) / "one.png"
    >>> Image.fromarray(canvas).save(path)
    >>> digit = load_image(path)
    >>> digit.shape, float(digit.max()), float(digit[0, 0])
    ((28, 28), 1.0, 0.0)
    >>> load_image(path.with_name("missing.png"))
    Traceback (most recent call last):
    ...
    FileNotFoundError: no image file at .../missing.png
    """
    from .picture import read_picture

    return prepare_digit(read_picture(Path(path)))
