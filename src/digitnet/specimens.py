"""Pictures of handwritten digits as people make them, made by code.

The book and the tests need photos and drawings of digits that look like what
readers give ``digitnet predict`` -- gray or tinted paper, a shadow across the
page, paper texture and sensor grain, blue ink, a thin pen, ruled lines, the
edge of the next digit -- and they must be able to show them and make new ones
at will. :func:`photo` writes an MNIST digit onto such a page. Every picture
is computed from its arguments and a seed, so it is the same on every build.
"""

import numpy as np

from .extras import require

#: Ink colours (RGB, 0-1) of common pens.
INKS = {"blue": (0.12, 0.18, 0.55), "black": (0.08, 0.08, 0.1), "pencil": (0.35, 0.35, 0.38)}


def photo(
    digit,
    *,
    seed=0,
    frame=(300, 260),
    size=200,
    offset=(0, 0),
    paper=0.85,
    tint=(1.0, 0.97, 0.92),
    texture=0.015,
    grain=0.01,
    shadow=0.35,
    ink="blue",
    strength=0.85,
    pen=None,
    ruled=False,
    neighbour=None,
    blur=0.8,
):
    """A photo-like picture of an MNIST digit written on paper.

    Parameters
    ----------
    digit : numpy.ndarray of uint8, shape (28, 28)
        An MNIST digit (white on black) to write.
    seed : int, default 0
        Seeds the paper's texture, grain and the shadow's direction.
    frame : (int, int), default (300, 260)
        The picture's height and width, in pixels.
    size : int, default 200
        The side of the square the 28x28 digit is enlarged to.
    offset : (int, int), default (0, 0)
        Where the digit's square sits, down and across from the centre.
    paper : float, default 0.85
        The paper's brightness where the light is brightest, 0 to 1.
    tint : (float, float, float), default (1.0, 0.97, 0.92)
        The paper's colour (a warm white).
    texture : float, default 0.015
        Standard deviation of the paper's texture (blotches a few pixels wide).
    grain : float, default 0.01
        Standard deviation of the sensor's grain (independent per pixel and colour).
    shadow : float, default 0.35
        How much darker the page gets from one side to the other (a gradient
        in a random direction).
    ink : str or (float, float, float), default "blue"
        A key of :data:`INKS` or an RGB colour.
    strength : float, default 0.85
        How much of the paper's light the ink absorbs (1: all of it).
    pen : float, optional
        Rewrite the digit with a pen this many pixels wide (its skeleton,
        widened); by default the enlarged MNIST strokes are used as they are.
    ruled : bool, default False
        Draw the faint horizontal lines of ruled paper.
    neighbour : numpy.ndarray of uint8, shape (28, 28), optional
        A second MNIST digit written to the right, cut by the frame's edge.
    blur : float, default 0.8
        The lens's blur (Gaussian standard deviation, pixels).

    Returns
    -------
    numpy.ndarray of uint8, shape (frame[0], frame[1], 3)
        An RGB picture.

    Raises
    ------
    ImportError
        If scikit-image and SciPy (the ``images`` extra) are not installed.

    Examples
    --------
    >>> from digitnet.datasets import load_sample
    >>> from digitnet.specimens import photo
    >>> images, labels = load_sample()
    >>> picture = photo(images[0], seed=1, paper=0.45, pen=2, ruled=True)
    >>> picture.shape, picture.dtype
    ((300, 260, 3), dtype('uint8'))
    >>> bool((photo(images[0], seed=1) == photo(images[0], seed=1)).all())   # deterministic
    True
    """
    require("images")
    from PIL import Image
    from scipy import ndimage

    rng = np.random.default_rng(seed)
    height, width = frame
    colour = np.array(INKS.get(ink, ink) if isinstance(ink, str) else ink, dtype=np.float64)

    def enlarged(image):
        picture = Image.fromarray(np.asarray(image, dtype=np.float32) / 255)
        big = picture.resize((size, size), Image.Resampling.BICUBIC)
        return np.clip(np.asarray(big, dtype=np.float64), 0, 1)

    strokes = enlarged(digit)
    if pen is not None:
        from skimage.morphology import disk, skeletonize

        centre = skeletonize(strokes > 0.5)
        radius = max(int(round((pen - 1) / 2)), 0)
        strokes = ndimage.binary_dilation(centre, disk(radius)) if radius else centre
        strokes = strokes.astype(np.float64)
    ink_map = np.zeros((height, width))
    top = (height - size) // 2 + offset[0]
    left = (width - size) // 2 + offset[1]
    _paste(ink_map, strokes, top, left)
    if neighbour is not None:
        _paste(ink_map, enlarged(neighbour), top, left + int(0.85 * size))
    if ruled:
        for row in range(15, height, 45):
            ink_map[row : row + 2] = np.maximum(ink_map[row : row + 2], 0.3)

    rows, columns = np.mgrid[0:height, 0:width] / max(height, width)
    angle = rng.uniform(0, 2 * np.pi)
    gradient = np.cos(angle) * columns + np.sin(angle) * rows
    gradient = (gradient - gradient.min()) / max(np.ptp(gradient), 1e-12)
    blotches = ndimage.gaussian_filter(rng.standard_normal((height, width)), 3)
    light = paper * (1 - shadow * gradient) + texture * blotches / blotches.std()
    page = light[..., None] * np.asarray(tint)

    absorbed = strength * ndimage.gaussian_filter(ink_map, blur)[..., None]
    picture = page * (1 - absorbed) + absorbed * colour * page
    picture += rng.normal(0, grain, picture.shape)
    return np.round(np.clip(picture, 0, 1) * 255).astype(np.uint8)


def _paste(target, source, top, left):
    """Paste `source` into `target` at (top, left), keeping the darker ink, clipped to the frame."""
    height, width = target.shape
    rows = slice(max(top, 0), min(top + source.shape[0], height))
    columns = slice(max(left, 0), min(left + source.shape[1], width))
    if rows.start >= rows.stop or columns.start >= columns.stop:
        return
    piece = source[rows.start - top : rows.stop - top, columns.start - left : columns.stop - left]
    target[rows, columns] = np.maximum(target[rows, columns], piece)
