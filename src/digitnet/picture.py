"""An image file as an array of gray levels, as every viewer shows it.

A user's picture of a digit comes from a phone, a scanner or a drawing
program, and reading it with Pillow's defaults gets several kinds wrong.
:func:`read_picture` reads each one as a viewer shows it:

- **Orientation.** A phone stores a photo as its sensor saw it and records in
  the EXIF orientation tag how to turn it for display. Viewers obey the tag,
  so the pixels are turned (or mirrored) the same way, as
  ``PIL.ImageOps.exif_transpose`` does.
- **Range.** Pillow's conversion to 8-bit gray clips 16- and 32-bit pictures
  and turns a float picture of 0.0-1.0 into black, so each mode is scaled from
  its own range to 0.0-1.0 instead.
- **Transparency.** A drawing on a transparent background has no paper colour
  of its own (a viewer shows a checkerboard, white or black), so the paper is
  chosen to differ from the ink: white strokes on transparency are not laid
  on white and lost.
- **Size.** A photo may have 100 megapixels; the digit ends up 20 pixels high.
  The picture is reduced to at most :data:`MAX_SIDE` pixels by the JPEG
  decoder itself and by box-averaging in Pillow's compact pixels, a band at a
  time, so no full-size array of floats is ever made.
- **Messages.** Pillow's warnings and errors speak of its internals and often
  name the file twice; each becomes one line that names the file once and
  says what happened or what to do.
"""

import math
import re
import sys
import warnings
from pathlib import Path

import numpy as np
from PIL import Image, UnidentifiedImageError, features

__all__ = ["MAX_SIDE", "PictureWarning", "luma", "read_picture"]

#: The longest side, in pixels, of a picture as :func:`read_picture` returns it.
#: A larger picture is reduced by a whole factor to between half this and this.
#: The digit is scaled to a 20x20 box in the end, so 1,024 pixels keep far more
#: detail than needed, and still enough for a small digit in a big photo (one
#: that is a tenth of the photo's width is still 100 pixels wide).
MAX_SIDE = 1024

#: Pixels converted at a time while reducing (about 1 to 4 MB per band).
_BAND_PIXELS = 1 << 20

#: A pixel at least this opaque counts as part of an opaque sheet of paper.
_NEARLY_OPAQUE = 0.95

#: EXIF orientation tag -> how to turn the stored pixels for display, as in
#: PIL.ImageOps.exif_transpose (applied to the reduced array, not to a
#: full-size copy of the picture).
_ORIENT = {
    2: lambda a: a[:, ::-1],  # mirrored
    3: lambda a: a[::-1, ::-1],  # upside down
    4: lambda a: a[::-1],  # mirrored upside down
    5: lambda a: a.swapaxes(0, 1),  # mirrored, turned 90 degrees
    6: lambda a: np.rot90(a, -1),  # turned 90 degrees clockwise
    7: lambda a: a[::-1, ::-1].swapaxes(0, 1),  # mirrored, turned 90 the other way
    8: lambda a: np.rot90(a),  # turned 90 degrees anticlockwise
}

#: The brand in a HEIF-family file's ftyp box -> what to call the picture.
_HEIF = {
    **dict.fromkeys([b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis"],
                    "a HEIC picture (the iPhone's format)"),
    **dict.fromkeys([b"mif1", b"msf1"], "a HEIF picture"),
}

#: How common formats begin. A file that begins so but that Pillow cannot
#: identify was probably cut short or damaged.
_SIGNATURES = {
    b"\x89PNG": "PNG",
    b"\xff\xd8\xff": "JPEG",
    b"GIF8": "GIF",
    b"BM": "BMP",
    b"II*\x00": "TIFF",
    b"MM\x00*": "TIFF",
}


#: The weights of red, green and blue in a gray level (ITU-R 601-2 luma), as
#: Pillow's convert("L") and so read_picture use them.
LUMA = (0.299, 0.587, 0.114)


def luma(rgb):
    """An RGB picture held in an array, as gray levels 0.0-1.0 (ITU-R 601-2 luma).

    The same conversion :func:`read_picture` makes of a colour file, for a
    picture already in memory (one made by :mod:`digitnet.specimens`, say).

    Parameters
    ----------
    rgb : array_like of uint8, shape (rows, columns, 3) or (rows, columns, 4)
        Red, green and blue 0-255 (an alpha channel is ignored).

    Returns
    -------
    numpy.ndarray of float64, shape (rows, columns)

    Raises
    ------
    ValueError
        If `rgb` does not have 3 or 4 channels in its last axis.

    Examples
    --------
    >>> import numpy as np
    >>> from digitnet.picture import luma
    >>> luma(np.array([[[255, 255, 255], [0, 0, 255]]], dtype=np.uint8)).round(3)
    array([[1.   , 0.114]])
    """
    rgb = np.asarray(rgb)
    if rgb.ndim != 3 or rgb.shape[-1] not in (3, 4):
        raise ValueError(f"rgb must have shape (rows, columns, 3 or 4), got {rgb.shape}")
    return (rgb[..., :3].astype(np.float64) @ LUMA) / 255


class PictureWarning(UserWarning):
    """Something odd about a picture file that :func:`read_picture` read anyway."""


def read_picture(path):
    """Read an image file as gray levels, as every viewer shows it.

    Parameters
    ----------
    path : str or os.PathLike
        An image file in any format Pillow reads (PNG, JPEG, GIF, BMP,
        TIFF, WebP, ...). Of an animation or a multi-page file, the first
        frame is read.

    Returns
    -------
    numpy.ndarray of float64, shape (rows, columns)
        Gray levels, 0.0 (black) to 1.0 (white), upright as a viewer shows
        the picture (EXIF orientation applied), transparency laid on paper
        (see Notes). A picture whose longer side exceeds :data:`MAX_SIDE` is
        reduced by a whole factor to a longer side between ``MAX_SIDE / 2``
        and ``MAX_SIDE``.

    Raises
    ------
    FileNotFoundError
        If there is no file at `path`.
    ValueError
        If `path` is a folder; if the file is not a picture Pillow can read
        (HEIC, an unknown format, an empty, truncated or damaged file); if
        it has more than twice ``PIL.Image.MAX_IMAGE_PIXELS`` pixels (179
        megapixels by default); or if its values lie outside the range of
        its mode (see Notes). The message names the file once and the fix.

    Warns
    -----
    PictureWarning
        For each warning Pillow gives while reading, in one line naming the
        file: a picture over ``PIL.Image.MAX_IMAGE_PIXELS`` (89.5 megapixels
        by default), damaged metadata or animation chunks, and the like.

    Notes
    -----
    **Modes.** Each of Pillow's modes is read at its own range:

    ==================  ==================================================
    Mode                Gray level
    ==================  ==================================================
    1, L, P             the 8-bit level (P through its palette) / 255
    RGB, CMYK, YCbCr    ITU-R 601-2 luma (Pillow's ``convert("L")``) / 255
    LA, PA, RGBA        the same, laid on paper by the transparency rule
    I;16, I;16B, ...    the 16-bit level / 65535
    I (32-bit integer)  / 65535 if every value is at most 65535 (a 16-bit
                        picture that Pillow opened as I), else / (2**31 - 1),
                        the largest value mode I holds; a negative value is
                        an error
    F (32-bit float)    as is (clipped to 0.0-1.0) if every value lies in
                        0.0-1.0 or overshoots it a little (a largest
                        value below 2, a least above -1: rounding or
                        filtering); / 255 if the largest is 2 or more and
                        every value lies in 0-255;
                        NaN, infinity or any other value is an error
    ==================  ==================================================

    A transparency colour or palette index (``info["transparency"]``) makes
    a picture transparent too; 16-bit, I and F pictures are read without
    transparency.

    **Transparency.** The transparent part has no gray of its own; it is
    given that of the paper, and the ink is whatever differs from it, dark
    or light. With alpha 0 (transparent) to 1 (opaque):

    - if no pixel has alpha below 1, alpha is ignored;
    - if the opaque part covers less than half the picture (mean alpha below
      0.5), the transparent part is the paper, and it takes the gray
      opposite to the ink's: if the alpha-weighted mean gray of the picture
      is above 0.5 (light ink, such as white strokes) the paper is black
      (0.0), else white (1.0); a fully transparent picture is all white;
    - otherwise the opaque part is the paper (a sheet with transparent
      margins or holes), and the transparent part takes the median gray of
      the pixels at least 95% opaque (or, if there are none, of the most
      opaque ones).

    Each pixel is then ``alpha * gray + (1 - alpha) * paper``.

    **Memory.** The largest allocation is Pillow's decoded picture, once, at
    its own bytes per pixel: 4 for RGB, RGBA and F (Pillow keeps RGB in four
    bytes too: 400 MB for a 100-megapixel RGB PNG), 2 for 16-bit gray, 1 for
    L. A JPEG more than twice
    :data:`MAX_SIDE` is decoded already scaled down by 2, 4 or 8 (a quarter
    to 1/64 of the pixels), and a colour JPEG straight to gray at 1 byte per
    pixel. Beyond that, about a
    megapixel at a time is converted and reduced, and the result is at most
    :data:`MAX_SIDE` squared float64 values (8 MB, a few times that while a
    transparent picture is laid on paper): no full-size NumPy array is made.

    Examples
    --------
    A white "1" drawn on a transparent canvas comes out light on black:

    >>> import tempfile
    >>> from pathlib import Path
    >>> import numpy as np
    >>> from PIL import Image
    >>> from digitnet.picture import read_picture
    >>> canvas = np.zeros((60, 40, 4), dtype=np.uint8)  # transparent RGBA
    >>> canvas[10:50, 18:24] = (255, 255, 255, 255)     # an opaque white stroke
    >>> path = Path(tempfile.mkdtemp()) / "one.png"
    >>> Image.fromarray(canvas).save(path)
    >>> gray = read_picture(path)
    >>> gray.shape, gray.dtype, float(gray[30, 20]), float(gray[0, 0])
    ((60, 40), dtype('float64'), 1.0, 0.0)
    >>> read_picture(path.with_name("missing.png"))
    Traceback (most recent call last):
    ...
    FileNotFoundError: no image file at .../missing.png
    """
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"no image file at {path}")
    if path.is_dir():
        raise ValueError(
            f"{path} is a folder, not an image file; give the path of a PNG or JPEG file "
            "of one handwritten digit"
        )
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        picture, size, factor = _open(path)
        with picture:
            turn = _ORIENT.get(picture.getexif().get(0x0112), lambda a: a)
            gray, alpha = _reduced(picture, factor, path)
    gray = np.ascontiguousarray(_on_paper(turn(gray), None if alpha is None else turn(alpha)))
    for message in dict.fromkeys(_plain(path, w, size, gray.shape) for w in caught):
        warnings.warn(message, PictureWarning, stacklevel=2)
    return gray


def _open(path, retry=True):
    """The picture at `path`, loaded (a JPEG already scaled down by its decoder).

    Returns the open Pillow image, its size in the file, and the whole factor by
    which it is still to be reduced so its longer side is at most MAX_SIDE.
    """
    try:
        picture = Image.open(path)
    except Image.DecompressionBombError as error:
        raise ValueError(_too_big(path, error)) from None
    except (OSError, SyntaxError, ValueError, EOFError) as error:
        if retry and _heif_kind(_head(path)) and _register_heif():
            return _open(path, retry=False)
        raise ValueError(_unreadable(path, error)) from None
    size = picture.size
    try:
        factor = math.ceil(max(size) / MAX_SIDE)
        if factor > 1:  # the JPEG decoder scales by 1/2, 1/4 or 1/8 on its own
            draft = "L" if picture.mode in ("L", "RGB") else None
            picture.draft(draft, tuple(math.ceil(side / factor) for side in size))
            factor = math.ceil(max(picture.size) / MAX_SIDE)
        picture.load()
    except Image.DecompressionBombError as error:
        picture.close()
        raise ValueError(_too_big(path, error)) from None
    except (OSError, SyntaxError, ValueError, EOFError) as error:
        picture.close()
        raise ValueError(_unreadable(path, error)) from None
    return picture, size, factor


def _reduced(picture, factor, path):
    """The picture reduced `factor` times, as (alpha * gray, alpha or None) in 0..1.

    A band of rows at a time is converted to a mode Pillow can box-average --
    L (gray), La (gray premultiplied by alpha, and alpha) or F (32-bit float)
    -- and reduced, so that only bands and the result exist besides the
    decoded picture.
    """
    mode = picture.mode
    if mode in ("I", "F") or mode.startswith("I;16"):
        working, scale = "F", _scale(picture, path)
    elif mode in ("LA", "La", "PA", "RGBA", "RGBa") or "transparency" in picture.info:
        working, scale = "La", 255
    else:
        working, scale = "L", 255
    width, height = picture.size
    rows = factor * max(1, _BAND_PIXELS // (width * factor))
    bands = []
    for top in range(0, height, rows):
        band = picture.crop((0, top, width, min(top + rows, height)))
        if working == "La" and band.mode != "LA":
            band = band.convert("RGBA").convert("LA")  # Pillow's RGBA -> La drops alpha
        try:
            band = band.convert(working)
        except ValueError:
            raise ValueError(
                f"{path} is a {mode} picture, which Pillow cannot convert to gray; "
                "save it as PNG or JPEG"
            ) from None
        bands.append(np.asarray(band.reduce(factor)))
    levels = np.concatenate(bands).astype(np.float64) / scale
    if not np.isfinite(levels).all():  # NaN escapes getextrema, not reduce
        raise ValueError(
            f"{path} holds NaN or infinite values; digitnet reads 0.0-1.0 (or 0-255) as "
            "black to white: replace them with gray levels in one of those ranges"
        )
    np.clip(levels, 0.0, 1.0, out=levels)  # mode I's 2**31 - 1 is 2**31 in float32
    if working == "La":
        return levels[..., 0], levels[..., 1]
    return levels, None


def _scale(picture, path):
    """The value that white has in `picture`, a 16-bit, I or F picture; checks its range."""
    if picture.mode.startswith("I;16"):
        return 65535
    low, high = picture.getextrema()
    if picture.mode == "F":
        if not (math.isfinite(low) and math.isfinite(high)) or low <= -1 or high > 255:
            raise ValueError(
                f"{path} is a floating-point picture with values from {low:g} to {high:g}; "
                "digitnet reads 0.0-1.0 (or 0-255) as black to white: rescale it to one of "
                "those ranges"
            )
        return 1.0 if high < 2 else 255.0
    if low < 0:
        raise ValueError(
            f"{path} is a 32-bit integer picture with values from {low} to {high}; gray "
            "levels cannot be negative: rescale it to 0-65535 (16-bit) or 0-255 (8-bit)"
        )
    return 65535 if high <= 65535 else 2**31 - 1


def _on_paper(gray, alpha):
    """`gray` (premultiplied by `alpha`) laid on paper, by the rule in read_picture."""
    if alpha is None or alpha.min() >= 1:
        return gray
    if alpha.mean() < 0.5:  # mostly transparent: the transparent part is the paper
        covered = alpha.sum()
        ink = gray.sum() / covered if covered > 0 else 0.0
        paper = 0.0 if ink > 0.5 else 1.0
    else:  # mostly opaque: the opaque part is the paper
        solid = alpha >= min(_NEARLY_OPAQUE, alpha.max())
        paper = float(np.median(np.clip(gray[solid] / alpha[solid], 0.0, 1.0)))
    return np.clip(gray + (1.0 - alpha) * paper, 0.0, 1.0)


def _without(text, path):
    """Pillow's message `text` without the file's name (the message names it already)."""
    text = text.replace(repr(str(path)), "")
    if "." in str(path) or "/" in str(path):  # a bare word might be part of Pillow's text
        text = text.replace(str(path), "")
    return " ".join(text.split())


def _plain(path, caught, size, shape):
    """One line for a warning Pillow gave while reading the picture at `path`."""
    if issubclass(caught.category, Image.DecompressionBombWarning):
        reduced = (
            f"reduced to {max(shape):,} pixels on its longer side"
            if max(shape) < max(size)
            else "whole"
        )
        return (
            f"{path}: {size[0] * size[1] / 1e6:.1f} megapixels, more than the "
            f"{Image.MAX_IMAGE_PIXELS / 1e6:.1f} Pillow reads without warning; read it {reduced}"
        )
    return f"{path}: read, but Pillow warned: {_without(str(caught.message), path)}"


def _too_big(path, error):
    """The message for Pillow's DecompressionBombError."""
    found = re.search(r"\((\d+) pixels\)", str(error))
    size = f" {int(found[1]) / 1e6:.1f} megapixels," if found else ""
    return (
        f"{path} is{size} more than the {2 * Image.MAX_IMAGE_PIXELS / 1e6:.1f} megapixels that "
        "digitnet reads safely; shrink it (e.g. to 2,000 pixels on the longer side) and try again"
    )


def _head(path):
    """The first bytes of the file at `path`."""
    with open(path, "rb") as file:
        return file.read(16)


def _heif_kind(head):
    """What to call a file beginning with `head` if it is a HEIF-family picture, else None."""
    return _HEIF.get(head[8:12]) if head[4:8] == b"ftyp" else None


def _register_heif():
    """Let Pillow read HEIF pictures with pillow-heif, if it is installed; whether it is."""
    try:
        from pillow_heif import register_heif_opener
    except ImportError:
        return False
    register_heif_opener()
    return True


def _unreadable(path, error):
    """The one-line message for a file Pillow could not open or decode."""
    head = _head(path)
    said = _without(str(error), path)
    kind = _heif_kind(head)
    if head[4:12] in (b"ftypavif", b"ftypavis") and not features.check("avif"):
        return (
            f"{path} is an AVIF picture, which this Pillow cannot read: export it as JPEG "
            "or PNG (or install a Pillow built with AVIF support)"
        )
    if kind and sys.modules.get("pillow_heif"):  # imported by _register_heif
        return (
            f"{path} is {kind} that even pillow-heif could not read ({said}); export it as "
            "JPEG or PNG"
        )
    if kind:
        return (
            f"{path} is {kind}, which Pillow cannot read without a plugin: export it as "
            "JPEG or PNG (or `pip install pillow-heif`)"
        )
    if "truncated" in said.lower() or isinstance(error, EOFError):
        return (
            f"{path} is truncated: the file ends before the picture does (an interrupted "
            "download or copy?); copy or export it again"
        )
    known = next((name for start, name in _SIGNATURES.items() if head.startswith(start)), None)
    if known and isinstance(error, UnidentifiedImageError):
        return (
            f"{path} begins like a {known} file, but Pillow cannot read it: it is probably "
            "truncated or damaged; copy or export it again"
        )
    if isinstance(error, UnidentifiedImageError):
        what = "the file is empty" if not head else "no format Pillow knows begins like it"
        return (
            f"{path} is not a picture Pillow can read ({what}); give a PNG or JPEG file of "
            "one handwritten digit"
        )
    return (
        f"{path} could not be decoded ({said}); the file may be damaged: export it again "
        "as PNG or JPEG"
    )
