"""Ink and paper: which pixels of a picture are the digit's strokes.

MNIST's digits were scanned from clean forms: white paper, black ink, nothing
else. A photo or a drawing someone hands to the network is not so clean: the
paper is gray, tinted, shaded or grainy, the strokes may be faint or one pixel
thin, and the frame may hold more than the digit (a fragment of the next
digit, the lines of ruled paper, a speck of dust). :func:`find_ink` separates
the digit's ink from everything else, in steps that each answer one of those
problems:

1. **Paper level.** The picture is cut into a 3x3 grid of blocks, and the
   paper's gray level is estimated in each (the median: the ink of a digit
   covers less than half of a block) and interpolated between the blocks'
   centres, so a lamp's gradient across the page is part of the paper, not
   of the ink (Bertin & Arnouts 1996, the background map of SExtractor, at a
   coarse grid). A shadow with a sharp edge (a hand's, the phone's) is
   followed by a gray-level opening wider than the strokes (Serra 1982),
   where it reaches in from the frame's edge.
2. **Polarity.** Ink is what stands out from the paper around it. Dark ink on light paper makes a long dark tail in the differences
   from the paper level, light ink on dark paper a long light tail; the
   heavier tail decides -- unless the ink it finds runs along most of the
   frame's edge, which is the paper's place (a scribble covering most of the
   picture): then the other way. (A fixed cut-off such as "the border is
   brighter than mid-gray" fails on gray paper.)
3. **Noise.** The paper's own variation (grain, texture, JPEG noise) is
   measured from the paper side of the histogram, which ink never reaches.
4. **Threshold, from the picture itself.** A pixel is surely ink when it is
   at least :data:`HALF_CONTRAST` of the way from the paper to the strokes'
   typical darkness, and clearly above the noise (:data:`NOISE_SIGMAS`
   standard deviations). Weaker pixels connected to sure ones are kept too
   (hysteresis thresholding, Canny 1986), so a faint stretch does not break a
   stroke; grain never reaches the threshold, so it cannot set the crop box.
5. **Ruled lines.** Straight lines that run across the frame, far longer
   than the digit, are removed (found with the Hough transform).
6. **Connected components.** The ink falls apart into connected pieces. The
   digit is the largest stroke-like piece (one longer than it is thick),
   preferring pieces near the frame's centre and pieces that do not touch the
   frame, and passing over pieces that lie along its edge, with every other stroke-like piece near it that is
   more than a speck (a 4 or a 5 may come in two pieces); specks, blobs (a
   button in a screenshot) and objects farther away (the edge of a
   neighbouring digit) are dropped.
7. **Ink level.** The strokes' darkness is rescaled so a typical stroke pixel
   is 1.0 and the paper 0.0, keeping the soft edges of the strokes.

The result, an :class:`Ink`, goes on to :func:`digitnet.images.place_digit`,
which scales and centres the digit as MNIST did.
"""

from dataclasses import dataclass

import numpy as np

#: The picture is cut into this many blocks along each side to estimate the
#: paper level: few enough that a block is larger than any stroke (so its
#: median is paper), enough to follow a shadow across the page.
BLOCKS = 3

#: The paper's level under each pixel is measured over a square this fraction
#: of the frame's longer side wide: wider than any stroke of a digit that fills
#: the frame, narrower than a shadow across the page.
PAPER_SQUARE = 0.25

#: How many standard deviations of the paper's noise a pixel must stand out
#: to count as ink (4: grain and paper texture almost never do).
NOISE_SIGMAS = 4.0

#: A pixel is surely ink when it lies at least this fraction of the way from
#: the paper level to the strokes' typical level (0.4: a little under the
#: half-way mark, so the strokes keep their width).
HALF_CONTRAST = 0.4

#: The least contrast that counts as ink on a noiseless picture, as a fraction
#: of black to white (0.02, about 5 of 255 gray levels): a faint pencil line on
#: clean paper is ink, invisible rounding differences are not.
MIN_CONTRAST = 0.02

#: Straight lines are ruled lines when there are at least two of them, parallel,
#: each with ink along at least this fraction of the frame's width (or height)...
RULED_LINE_SPAN = 0.9

#: ...and the ink without such lines spans at most this fraction of the
#: longest of them.
RULED_LINE_DIGIT = 0.6

#: Pieces of ink nearer to the digit than this fraction of its size belong to
#: it (the bar of a 5, the stem of a 4 written in two strokes).
NEAR = 0.15

#: A piece of ink smaller than this fraction of the digit's largest piece is a
#: speck, however near it is.
SPECK = 0.01

#: A piece that is not stroke-like (no longer than 3 times its width) and more
#: than this many times as thick as the digit's strokes is a blob (a button, a
#: sticker), not part of the digit.
BLOB = 1.5

#: A piece covering at least this share of its bounding box, less than four
#: times as long as it is wide, is a filled box (a button), not a stroke.
FILLED = 0.75

#: How much less a piece of ink counts, as the digit, in a corner of the frame
#: than at its centre (0.7: its area counts 30%).
OFF_CENTRE = 0.7

#: On a picture with noise, pieces of ink smaller than this many pixels are the
#: noise's own tail (among a million pixels of grain, a few stand out by more
#: than NOISE_SIGMAS), not ink.
NOISE_SPECK = 3

#: A piece lying along the frame's edge for at least this share of its
#: bounding box's outline is an edge object (a table beside the page, a
#: window's title bar), not the digit.
EDGE_HUGGING = 0.3


@dataclass(frozen=True, eq=False)
class Ink:
    """The digit's ink found in a picture.

    Attributes
    ----------
    level : numpy.ndarray of float64, shape (rows, columns)
        The picture's shape; 0.0 where there is no ink of the digit (paper,
        specks, ruled lines, other objects), up to 1.0 for a typical stroke
        pixel, soft at the strokes' edges.
    strokes : numpy.ndarray of bool, shape (rows, columns)
        The pixels taken as the digit's strokes.
    paper : numpy.ndarray of float64, shape (rows, columns)
        The paper's gray level (0.0 to 1.0) under every pixel, as estimated:
        the picture as it would be without any ink.
    stroke_width : float
        The strokes' mean width in pixels of the picture, where their ink
        level is above one half (:func:`stroke_width`); 0.0 if there are none.
    dark : bool
        Whether the ink is darker than the paper.
    noise : float
        The standard deviation of the paper's gray level around its local
        mean (0.0 to 1.0 scale).
    """

    level: np.ndarray
    strokes: np.ndarray
    paper: np.ndarray
    stroke_width: float
    dark: bool
    noise: float

    @property
    def found(self):
        """Whether there is any ink at all."""
        return bool(self.strokes.any())

    @property
    def extent(self):
        """The longer side of the strokes' bounding box, in pixels (0 if none)."""
        if not self.found:
            return 0
        rows = np.flatnonzero(self.strokes.any(axis=1))
        columns = np.flatnonzero(self.strokes.any(axis=0))
        return int(max(rows[-1] - rows[0], columns[-1] - columns[0]) + 1)


def find_ink(gray):
    """Find the ink of one handwritten digit in a picture.

    The steps and why each is there are in the module's description
    (:mod:`digitnet.ink`).

    Parameters
    ----------
    gray : numpy.ndarray of float, shape (rows, columns)
        Gray levels, 0.0 (black) to 1.0 (white); the ink may be darker or
        lighter than the paper.

    Returns
    -------
    Ink
        The digit's ink level, strokes and stroke width. A picture without
        ink (blank, or nothing above the paper's noise) gives an ``Ink``
        with ``found`` false and a level of zeros.

    Raises
    ------
    ValueError
        If `gray` is not a 2-D array of finite values in 0.0 to 1.0.

    References
    ----------
    J. Canny, "A computational approach to edge detection", IEEE Trans.
    PAMI 8 (1986), 679-698 (hysteresis thresholds). E. Bertin and S. Arnouts,
    "SExtractor: software for source extraction", Astron. Astrophys. Suppl.
    117 (1996), 393-404 (a background map from block statistics). R. Duda and
    P. Hart, "Use of the Hough transformation to detect lines and curves in
    pictures", Comm. ACM 15 (1972), 11-15.

    Examples
    --------
    A faint pencil "1" (20 gray levels darker than the paper) on gray paper
    with a shadow across it, grain, and a speck of dust in a corner:

    >>> import numpy as np
    >>> from digitnet.ink import find_ink
    >>> rng = np.random.default_rng(0)
    >>> rows, columns = np.mgrid[0:120, 0:100]
    >>> gray = 0.55 - 0.15 * columns / 100 + rng.normal(0, 0.01, (120, 100))
    >>> gray[20:100, 48:52] -= 20 / 255        # the stroke
    >>> gray[5:7, 90:92] -= 0.3                # the speck
    >>> ink = find_ink(np.clip(gray, 0, 1))
    >>> ink.found, ink.dark, ink.extent, round(ink.stroke_width)
    (True, True, 80, 4)
    >>> bool(ink.level[5:7, 90:92].any())     # the speck is not the digit's
    False
    >>> find_ink(np.full((50, 50), 0.8)).found
    False
    """
    from scipy import ndimage

    gray = _checked(gray)
    paper = _block_level(gray, 50)
    difference = gray - paper
    spread = _spread(difference)
    dark_tail = np.clip(-difference - 3 * spread, 0, None).sum()
    light_tail = np.clip(difference - 3 * spread, 0, None).sum()
    dark = bool(dark_tail >= light_tail)
    found = _ink_of(-difference if dark else difference)
    if _frame_share(found[0]) > 0.5:
        # "Ink" along most of the frame's edge is the paper: the ink covers
        # more than half the picture (a scribble), and the tails misled.
        other = _ink_of(difference if dark else -difference)
        if _frame_share(other[0]) < _frame_share(found[0]):
            found, dark = other, not dark
    strokes, lines, ink, mean, noise = found
    paper = np.clip(gray + (ink - mean if dark else mean - ink), 0.0, 1.0)
    if not strokes.any():
        empty = np.zeros(gray.shape)
        return Ink(empty, strokes, paper, 0.0, dark, float(noise))

    typical = np.percentile(ink[strokes], 90)
    level = np.clip((ink - mean) / max(typical - mean, MIN_CONTRAST), 0.0, 1.0)
    near = ndimage.binary_dilation(strokes, iterations=2) & ~lines
    level = np.where(near, level, 0.0)
    # The width at half the strokes' darkness, as a pen's line is measured:
    # the faint fringe that the weak threshold keeps does not widen it.
    width = stroke_width(strokes & (level > 0.5)) or stroke_width(strokes)
    return Ink(level, strokes, paper, width, dark, float(noise))


def _frame(image):
    """The pixels along the frame's edge of `image`, each once."""
    return np.concatenate([image[0], image[-1], image[1:-1, 0], image[1:-1, -1]])


def _frame_share(strokes):
    """The share of the frame's edge pixels that are in `strokes`."""
    return float(_frame(strokes).mean())


def _ink_of(raw):
    """Steps 3 to 6 for `raw`, the differences from the paper with the ink positive.

    Returns the strokes, the ruled lines removed, the ink with the paper at 0,
    and the paper's mean and noise.
    """
    # The paper level again, now on the paper side of each block: robust to
    # blocks where thick strokes are most of the block.
    blocks = _block_level(raw, 25)
    ink = raw - blocks
    strokes, lines, mean, noise = _strokes(ink)
    # A shadow with a sharp edge is not smooth enough for the blocks: the
    # paper under each pixel is also measured by an opening wider than the
    # strokes found (if any: a shadow can hide them all at first), where it
    # reaches in from the frame's edge.
    side = PAPER_SQUARE * max(raw.shape)
    if strokes.any():
        side = max(side, 3 * _typical_width(strokes))
    shade = _shadows(_paper_under(raw, round(side)) - blocks)
    if shade.any():
        ink = raw - blocks - shade
        strokes, lines, mean, noise = _strokes(ink)
    return strokes, lines, ink, mean, noise


def _strokes(ink):
    """The digit's strokes in `ink` (paper at 0): steps 3 to 6 of the module.

    Returns the strokes, the ruled lines removed, and the paper's mean and noise.
    """
    mean, noise = _paper_noise(ink)
    floor = mean + max(NOISE_SIGMAS * noise, MIN_CONTRAST)
    strokes = lines = np.zeros(ink.shape, dtype=bool)
    if ink.max() > floor:
        typical = np.percentile(ink[ink > floor], 90)
        sure = max(floor, mean + HALF_CONTRAST * (typical - mean))
        weak = min(sure, mean + max(3 * noise, MIN_CONTRAST))
        strokes = _hysteresis(ink, weak, sure)
        if noise > 0:  # a pixel or two above the threshold is the noise's own tail
            strokes = _without_specks(strokes)
        lines = _ruled_lines(strokes)
        strokes = _digit_pieces(strokes & ~lines)
    return strokes, lines, mean, noise


def stroke_width(strokes):
    """The mean width of strokes, in pixels, from their area and their skeleton.

    A pen stroke of width w whose centre line (its skeleton, one pixel wide)
    is L pixels long covers w * L pixels, plus a half disc of area
    pi w^2 / 8 beyond each of the skeleton's ends; w is the positive root of
    that quadratic. (Without the ends, a short stroke would seem wider than
    its pen.)

    Parameters
    ----------
    strokes : numpy.ndarray of bool, shape (rows, columns)

    Returns
    -------
    float
        0.0 if there are no strokes.

    Examples
    --------
    >>> import numpy as np
    >>> from digitnet.ink import stroke_width
    >>> rows, columns = np.indices((60, 100))
    >>> centre = np.clip(columns, 20, 80)
    >>> stroke = np.hypot(rows - 30, columns - centre) <= 6     # 13 pixels across, 60 long
    >>> round(stroke_width(stroke), 1)
    12.9
    """
    from scipy import ndimage
    from skimage.morphology import skeletonize

    area = int(np.count_nonzero(strokes))
    if area == 0:
        return 0.0
    skeleton = skeletonize(strokes)
    length = int(np.count_nonzero(skeleton))
    neighbours = ndimage.convolve(skeleton.astype(int), np.ones((3, 3), int), mode="constant")
    ends = int(np.count_nonzero(skeleton & (neighbours == 2)))
    if length <= 1 or ends == 0:
        return area / max(length, 1)
    cap = ends * np.pi / 8
    return float((-length + np.sqrt(length**2 + 4 * cap * area)) / (2 * cap))


def _typical_width(strokes):
    """The median width of `strokes`: twice the distance to the paper along their skeleton.

    Unlike :func:`stroke_width` (a mean), a large blob among thin strokes (a
    shadow taken for ink) barely moves it.
    """
    from scipy import ndimage
    from skimage.morphology import skeletonize

    distance = ndimage.distance_transform_edt(strokes)
    return 2 * float(np.median(distance[skeletonize(strokes)]))


def _checked(gray):
    raw = np.asarray(gray)
    if not (np.issubdtype(raw.dtype, np.floating) or np.issubdtype(raw.dtype, np.integer)
            or raw.dtype == np.bool_):
        raise TypeError(
            f"gray must hold real gray levels 0.0-1.0, got dtype {raw.dtype}; for pixels of "
            "any dtype and range use digitnet.images.prepare_digit"
        )
    gray = raw.astype(np.float64)
    if gray.ndim != 2 or gray.size == 0:
        raise ValueError(f"gray must be a non-empty 2-D array (rows, columns), got shape {gray.shape}")
    if not np.isfinite(gray).all():
        raise ValueError("gray holds NaN or infinite values; give finite gray levels 0.0-1.0")
    if gray.min() < 0 or gray.max() > 1:
        raise ValueError(
            f"gray must hold gray levels from 0.0 to 1.0, got values from {gray.min()} to "
            f"{gray.max()}; divide pixels 0-255 by 255 (or pass them to "
            "digitnet.images.prepare_digit, which scales by dtype)"
        )
    return gray


def _block_level(image, percentile):
    """A smooth map of `image`'s `percentile` in each block of a BLOCKS x BLOCKS grid."""
    from scipy import ndimage

    height, width = image.shape
    side = max(1, -(-max(height, width) // BLOCKS))
    rows, columns = -(-height // side), -(-width // side)
    padded = np.full((rows * side, columns * side), np.nan)
    padded[:height, :width] = image
    blocks = padded.reshape(rows, side, columns, side).swapaxes(1, 2).reshape(rows, columns, -1)
    grid = np.nanpercentile(blocks, percentile, axis=2)
    if min(rows, columns) >= 3:  # a block that is mostly ink takes its neighbours' level
        grid = ndimage.median_filter(grid, size=3, mode="nearest")
    # Bilinear interpolation between the blocks' centres, constant beyond them.
    centre_rows = (np.arange(height) + 0.5) / side - 0.5
    centre_columns = (np.arange(width) + 0.5) / side - 0.5
    coordinates = np.meshgrid(
        np.clip(centre_rows, 0, rows - 1), np.clip(centre_columns, 0, columns - 1), indexing="ij"
    )
    return ndimage.map_coordinates(grid, coordinates, order=1)


def _paper_under(ink, side):
    """What is left of `ink` after an opening by a `side` x `side` square.

    An opening (an erosion, then a dilation: Serra 1982) by a square wider
    than the strokes erases them and keeps everything wider -- a shadow with
    a sharp edge, which stays where it is.
    """
    from scipy import ndimage

    return ndimage.grey_opening(ink, size=(side, side), mode="nearest")


def _shadows(excess):
    """The parts of `excess` (the opening's paper level minus the blocks') to correct.

    Where a shadow's sharp edge runs through a block, the block's level is
    too light on one side of it and too dark on the other; the opening
    follows the edge. A shadow falls across the page from outside it -- a
    hand, the phone -- so such regions reach the frame's edge; a region wider
    than the strokes in the middle of the frame is a blob of ink (a filled
    scribble), not a shadow, and is left alone.
    """
    from scipy import ndimage

    def reaching_the_frame(region):
        labels, count = ndimage.label(region)
        touching = np.zeros(count + 1, dtype=bool)
        touching[np.unique(_frame(labels))] = True
        touching[0] = False
        return touching[labels]

    shadow = reaching_the_frame(excess > MIN_CONTRAST)
    if not shadow.any():  # no shadow: the opening's lower levels are only its noise
        return np.zeros(excess.shape)
    # Beside a shadow, the blocks are too dark on its lit side: correct that too.
    return np.where(shadow | reaching_the_frame(excess < -MIN_CONTRAST), excess, 0.0)


def _spread(values):
    """A robust standard deviation: the median absolute deviation, scaled for a normal law."""
    return 1.4826 * float(np.median(np.abs(values - np.median(values)))) + 1e-9


def _paper_noise(ink):
    """The paper's mean and standard deviation, from the paper side of the histogram.

    Ink only adds to the high side, so the 5th and 25th percentiles (1.645 and
    0.674 standard deviations below the mean of a normal law) belong to the
    paper as long as ink covers less than three quarters of the picture.

    Most pictures hold whole gray levels (0-255), and the percentiles of such
    values jump from level to level: grain of 3 levels can measure as 2. So
    the values are spread evenly over their gray level's width first (a fixed
    pseudo-random jitter of up to half a level), which makes the percentiles
    those of the underlying continuous noise. A picture without noise still
    measures as noiseless: its paper is one level, and its jitter is dropped.
    """
    jitter = (np.random.default_rng(0).random(ink.shape) - 0.5) / 255
    p5, p25 = np.percentile(ink + jitter, [5, 25])
    noise = (p25 - p5) / (1.645 - 0.674)
    if noise <= np.sqrt(1 / 12) / 255 * 1.5:  # no more than the jitter's own spread
        p5, p25 = np.percentile(ink, [5, 25])
        noise = max((p25 - p5) / (1.645 - 0.674), 0.0)
    return p25 + 0.674 * noise, noise


def _edge_objects(labels, count, boxes):
    """Which labelled pieces lie along the frame's edge (see EDGE_HUGGING)."""
    contact = np.bincount(_frame(labels), minlength=count + 1)[1:]
    outline = np.array([
        2 * (b[0].stop - b[0].start + b[1].stop - b[1].start) for b in boxes
    ])
    return contact >= EDGE_HUGGING * outline


def _hysteresis(ink, weak, sure):
    """Pixels above `sure`, and those above `weak` connected to them nearby.

    The weak pixels must lie within a few stroke widths of sure ones, and what
    they add must be about as thick as a stroke: enough to bridge a faint
    stretch of a stroke, not to follow a faint ruled line or a shadow's edge
    across the frame.
    """
    from scipy import ndimage
    from skimage.filters import apply_hysteresis_threshold
    from skimage.morphology import disk

    certain = ink > sure
    # The median width, capped: a filled blob (a dot) has no strokes to bridge.
    width = min(_typical_width(certain), max(ink.shape) / 8) if certain.any() else 0.0
    reach = max(2, int(round(2 * width)))
    near = ndimage.binary_dilation(certain, iterations=reach)
    grown = apply_hysteresis_threshold(np.where(near, ink, -np.inf), weak, sure)
    # What the weak pixels add must be as thick as a stroke (a faint stretch of
    # one), not a thin line running off it: an opening by a disk a quarter of
    # the strokes' width removes the thinner parts.
    radius = int(round(width / 4))
    if radius >= 1:
        grown = certain | ndimage.binary_opening(grown, disk(radius))
    return grown


def _ruled_lines(strokes):
    """The pixels of straight lines that span the frame and dwarf the rest of the ink."""
    from skimage.transform import hough_line, hough_line_peaks

    lines = np.zeros(strokes.shape, dtype=bool)
    height, width = strokes.shape
    if min(height, width) < 20 or not strokes.any():
        return lines
    rows, columns = np.indices(strokes.shape)
    for centre, span in ((np.pi / 2, width), (0.0, height)):  # horizontal, vertical
        angles = centre + np.deg2rad(np.linspace(-10, 10, 41))
        accumulator, angles, distances = hough_line(strokes, theta=angles)
        peaks = list(zip(*hough_line_peaks(
            accumulator, angles, distances, threshold=RULED_LINE_SPAN * span,
            min_distance=5, num_peaks=20,
        )))
        if len(peaks) < 2:  # one long straight stroke may be the digit's own bar
            continue
        for votes, angle, distance in peaks:
            offset = columns * np.cos(angle) + rows * np.sin(angle) - distance
            # The line's thickness: the neighbouring distances that also hold
            # at least half as many votes.
            column = accumulator[:, list(angles).index(angle)]
            index = int(np.argmin(np.abs(distances - distance)))
            half = 1
            while index - half >= 0 and index + half < len(column) and (
                column[index - half] >= votes / 2 or column[index + half] >= votes / 2
            ):
                half += 1
            lines |= strokes & (np.abs(offset) <= half + 0.5)
    rest = _largest_piece(strokes & ~lines)
    if not lines.any() or not rest.any():
        return np.zeros(strokes.shape, dtype=bool)
    # Remove the lines only if the digit without them is clearly shorter than
    # they are: a "1" that fills the frame, or the bar of a 7 in a tight crop,
    # is the digit, not a ruled line.
    rest_rows = np.flatnonzero(rest.any(axis=1))
    rest_columns = np.flatnonzero(rest.any(axis=0))
    line_rows = np.flatnonzero(lines.any(axis=1))
    line_columns = np.flatnonzero(lines.any(axis=0))
    horizontal = np.ptp(line_columns) >= np.ptp(line_rows)
    rest_span = np.ptp(rest_columns if horizontal else rest_rows) + 1
    line_span = np.ptp(line_columns if horizontal else line_rows) + 1
    if rest_span > RULED_LINE_DIGIT * line_span:
        return np.zeros(strokes.shape, dtype=bool)
    return lines


def _without_specks(mask):
    """`mask` without its pieces of fewer than NOISE_SPECK pixels."""
    from skimage.morphology import remove_small_objects

    return remove_small_objects(mask, max_size=NOISE_SPECK - 1, connectivity=2)


def _largest_piece(mask):
    """The largest 8-connected piece of `mask` (all False if it is empty)."""
    from scipy import ndimage

    labels, count = ndimage.label(mask, structure=np.ones((3, 3)))
    if count <= 1:
        return mask
    areas = ndimage.sum_labels(mask, labels, np.arange(1, count + 1))
    return labels == 1 + int(np.argmax(areas))


def _digit_pieces(strokes):
    """The connected pieces of `strokes` that make up the digit (see the module's step 6)."""
    from scipy import ndimage
    from skimage.morphology import skeletonize

    labels, count = ndimage.label(strokes, structure=np.ones((3, 3)))
    if count <= 1:
        return strokes
    index = np.arange(1, count + 1)
    areas = ndimage.sum_labels(strokes, labels, index)
    lengths = ndimage.sum_labels(skeletonize(strokes), labels, index)
    boxes = ndimage.find_objects(labels)
    sizes = np.array([max(b[0].stop - b[0].start, b[1].stop - b[1].start) for b in boxes])
    widths = areas / np.maximum(lengths, 1)
    height, width = strokes.shape
    touches = np.array([
        b[0].start == 0 or b[1].start == 0 or b[0].stop == height or b[1].stop == width
        for b in boxes
    ])
    edge = _edge_objects(labels, count, boxes)
    # Stroke-like: longer than thick -- and not a filled box (a button with a
    # label, whose letters' holes would make its skeleton long).
    box_areas = np.array([(b[0].stop - b[0].start) * (b[1].stop - b[1].start) for b in boxes])
    sides = np.array([sorted((b[0].stop - b[0].start, b[1].stop - b[1].start)) for b in boxes])
    filled_box = (areas >= FILLED * box_areas) & (sides[:, 1] < 4 * sides[:, 0])
    stroke_like = (sizes >= 3 * widths) & ~filled_box
    # The main piece: the largest stroke-like one, passing over edge objects
    # and preferring pieces inside the frame to pieces cut by it (unless those
    # are far larger).
    for wanted in (stroke_like & ~edge, stroke_like, np.ones(count, dtype=bool)):
        if wanted.any():
            break
    candidates = np.flatnonzero(wanted)
    # People put the digit near the middle of the frame: a piece's area
    # counts less the farther it lies from the centre (an app's buttons).
    centres = np.array([((b[0].start + b[0].stop) / 2, (b[1].start + b[1].stop) / 2) for b in boxes])
    distance = np.hypot(centres[:, 0] - height / 2, centres[:, 1] - width / 2)
    central = 1 - OFF_CENTRE * distance / np.hypot(height / 2, width / 2)
    score = areas[candidates] * np.where(touches[candidates], 0.25, 1.0) * central[candidates]
    main = candidates[np.argmax(score)]

    box = [boxes[main][0].start, boxes[main][0].stop, boxes[main][1].start, boxes[main][1].stop]
    keep = {main}
    grown = True
    while grown:
        grown = False
        margin = NEAR * max(box[1] - box[0], box[3] - box[2])
        for i in range(count):
            blob = not stroke_like[i] and widths[i] > BLOB * widths[main]
            if (i in keep or areas[i] < SPECK * areas[main] or sizes[i] < 1.5 * widths[main]
                    or blob or edge[i]):
                continue
            rows, columns = boxes[i]
            if (rows.stop < box[0] - margin or rows.start > box[1] + margin
                    or columns.stop < box[2] - margin or columns.start > box[3] + margin):
                continue
            keep.add(i)
            grown = True
            box = [min(box[0], rows.start), max(box[1], rows.stop),
                   min(box[2], columns.start), max(box[3], columns.stop)]
    chosen = np.zeros(count + 1, dtype=bool)
    chosen[[i + 1 for i in keep]] = True
    return chosen[labels]
