"""Your own handwriting, prepared the way MNIST prepared its digits.

MNIST digits are white ink on black, cropped to the ink, scaled to fit a 20x20
box (keeping their aspect ratio, with anti-aliasing) and placed in a 28x28
image so that their centre of mass lies at the centre, pixel (14, 14). A
network trained on MNIST only recognises digits prepared the same way, so a
photo or drawing goes through the same steps first: :func:`prepare_digit` for
an array, :func:`load_image` for an image file.
"""

from pathlib import Path

import numpy as np

from ._checks import check_finite
from .datasets import _scale_pixels

#: The side of the prepared image, in pixels.
SIZE = 28

#: The side of the square the digit is scaled to fit, as in MNIST.
BOX = 20

#: A pixel counts as ink for the bounding box when, after the background is
#: subtracted, its ink exceeds this fraction of the strongest ink (0.05: faint
#: noise is cropped away, the soft edges of strokes are kept).
INK_THRESHOLD = 0.05

#: An image whose ink differs from its background by less than this fraction
#: of the full range (0.1 is about 25 of 255 gray levels) is taken as blank.
MIN_CONTRAST = 0.1


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
        raise ValueError(
            f"pixels must be one grayscale image, a non-empty 2-D array (rows, columns), "
            f"got shape {gray.shape}; convert a colour image to grayscale first"
        )
    return gray


def _border(image):
    return np.concatenate([image[0], image[-1], image[:, 0], image[:, -1]])


def _resize(ink, height, width):
    """`ink` (float 0..1) resized to (height, width) with Pillow's Lanczos filter."""
    from PIL import Image  # imported here: only preparing an image needs Pillow

    picture = Image.fromarray(ink.astype(np.float32))  # Pillow mode "F"
    resized = picture.resize((width, height), Image.Resampling.LANCZOS)
    return np.clip(np.asarray(resized, dtype=np.float64), 0.0, 1.0)


def _centre_of_mass(image):
    rows, columns = np.indices(image.shape)
    total = image.sum()
    return (rows * image).sum() / total, (columns * image).sum() / total


def prepare_digit(pixels):
    """A picture of one handwritten digit as a 28x28 MNIST-style image.

    The steps, those of MNIST's own preparation:

    1. **Polarity.** If the median of the border pixels is brighter than
       mid-gray, the picture is dark ink on light paper and is inverted, so
       that ink is bright (1) and the background dark (0), as in MNIST.
    2. **Background.** The median border value is taken as the background
       and subtracted, and the contrast is stretched so the strongest ink is
       1: gray paper and faint pencil give the same result as a clean scan.
       If the ink differs from the background by less than
       :data:`MIN_CONTRAST`, the picture is blank.
    3. **Crop** to the bounding box of the pixels whose ink exceeds
       :data:`INK_THRESHOLD`.
    4. **Scale** the box so its longer side is 20 pixels, keeping the
       aspect ratio, with Pillow's anti-aliasing Lanczos filter (the result is
       clipped to 0..1 and stretched again so the strongest ink is 1: a thin
       pen line shrunk a lot stays visible).
    5. **Centre**: paste it into a 28x28 black image, shifted so that its
       centre of mass lands on pixel (14, 14) -- the shift is rounded to
       whole pixels, so the centre of mass ends within half a pixel of
       (14, 14) in each direction. (Pixel (14, 14) is also where the centre
       of mass of the real MNIST digits lies: their mean is (13.99, 14.01).)
       Only if that would push part of the digit out of the frame (a digit
       whose ink is piled up at one end) is the shift reduced just enough to
       keep the whole digit inside.

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
        Values 0.0 (background) to 1.0 (ink). A blank picture (nothing but
        background) gives all zeros rather than an error.

    Raises
    ------
    TypeError
        If `pixels` is not numeric.
    ValueError
        If `pixels` is not a non-empty 2-D array, holds NaN or infinity, or
        has values outside the range of its dtype (0-255 for integers,
        0.0-1.0 for floats).

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
    gray = _as_gray(pixels)
    ink = 1.0 - gray if np.median(_border(gray)) > 0.5 else gray
    background = float(np.median(_border(ink)))
    contrast = float(ink.max()) - background
    if contrast < MIN_CONTRAST:
        return np.zeros((SIZE, SIZE))
    ink = np.clip((ink - background) / contrast, 0.0, 1.0)

    inked = ink > INK_THRESHOLD
    rows = np.flatnonzero(inked.any(axis=1))
    columns = np.flatnonzero(inked.any(axis=0))
    ink = ink[rows[0] : rows[-1] + 1, columns[0] : columns[-1] + 1]

    height, width = ink.shape
    scale = BOX / max(height, width)
    height = min(BOX, max(1, round(height * scale)))
    width = min(BOX, max(1, round(width * scale)))
    ink = _resize(ink, height, width)
    if ink.max() <= 0:  # only possible for a vanishing speck
        return np.zeros((SIZE, SIZE))
    ink /= ink.max()

    centre_row, centre_column = _centre_of_mass(ink)
    top = int(np.floor(SIZE / 2 - centre_row + 0.5))
    left = int(np.floor(SIZE / 2 - centre_column + 0.5))
    top = min(max(top, 0), SIZE - height)
    left = min(max(left, 0), SIZE - width)
    digit = np.zeros((SIZE, SIZE))
    digit[top : top + height, left : left + width] = ink
    return digit


def load_image(path):
    """Read a picture of a handwritten digit and prepare it like MNIST.

    The file is read with Pillow, so PNG, JPEG, BMP and the other formats
    Pillow knows all work (of an animation, the first frame), at any size.
    A colour image is converted to gray (ITU-R 601-2 luma); a transparent
    one is first laid on white paper, so dark strokes on a transparent
    background work -- but white strokes on a transparent background become
    white on white, a blank image. 16-bit grayscale keeps its full range.
    The gray picture then goes through :func:`prepare_digit`.

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
        inputs of the network. A blank picture gives all zeros.

    Raises
    ------
    FileNotFoundError
        If there is no file at `path`.
    ValueError
        If the file cannot be read as an image (the message names it).

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
    from PIL import Image, UnidentifiedImageError

    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"no image file at {path}")
    if not path.is_file():
        raise ValueError(f"{path} is not a file; give the path of an image file")
    try:
        with Image.open(path) as picture:
            picture.load()
            gray = _gray_pixels(picture)
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError) as error:
        raise ValueError(
            f"{path} could not be read as an image ({error}); give a PNG or JPEG file "
            "of one handwritten digit"
        ) from None
    return prepare_digit(gray)


def _gray_pixels(picture):
    """The Pillow image `picture` as a 2-D array: uint8 0-255, or float 0-1 for 16 bits.

    (Pillow's own conversion of 16-bit gray to 8 bits clips instead of scaling.)
    """
    from PIL import Image

    if picture.mode.startswith("I;16") or picture.mode == "I":
        return np.asarray(picture, dtype=np.float64).clip(0, 65535) / 65535
    has_alpha = picture.mode in ("RGBA", "LA", "PA", "La", "RGBa") or (
        "transparency" in picture.info
    )
    if has_alpha:
        picture = picture.convert("RGBA")
        paper = Image.new("RGBA", picture.size, (255, 255, 255, 255))
        picture = Image.alpha_composite(paper, picture)
    return np.asarray(picture.convert("L"), dtype=np.uint8)
