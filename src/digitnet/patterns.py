"""Hand-built weights and images: edge detectors and their test strokes.

A hidden neuron that detects a horizontal edge gives positive weights to a
band of pixels and negative weights to the pixels just above and below it. It
lights up when the band is inked and its surroundings are blank -- a
horizontal stroke -- and stays quiet for a vertical stroke, which covers twice
as much of the negative flanks as of the positive band.

:func:`oriented_edge` turns, shortens and moves the same detector, and
:func:`edge_bank` makes many of them at once, to compare with what a trained
network's hidden neurons look for.
"""

import numpy as np

from .images import SIZE

#: A bias that makes the edge detector of :func:`horizontal_edge` fire only on
#: real evidence: the weighted sum must exceed 10 (ten more inked pixels on
#: the band than on the flanks) before the activation passes 0.5.
EDGE_BIAS = -10.0


def _check_span(name, start, stop):
    if not (isinstance(start, (int, np.integer)) and isinstance(stop, (int, np.integer))):
        raise TypeError(f"{name} must be given by integers, got {start!r} and {stop!r}")
    if not 0 <= start < stop <= SIZE:
        raise ValueError(
            f"{name} must satisfy 0 <= start < stop <= {SIZE}, got start={start}, stop={stop}"
        )


def horizontal_edge(row=13, thickness=2, *, left=4, right=24, strength=1.0):
    """The 28x28 weights of a neuron that detects a horizontal edge.

    Rows ``row`` to ``row + thickness - 1`` (the band) get weight
    ``+strength``; the ``thickness`` rows just above and just below it get
    ``-strength``; everything else is 0. Only columns ``left`` to ``right - 1``
    take part.

    Parameters
    ----------
    row : int, default 13
        The first row of the positive band (0 is the top of the image).
    thickness : int, default 2
        How many rows the band, and each negative flank, spans.
    left, right : int, default 4 and 24
        The columns covered, ``left <= column < right``.
    strength : float, default 1.0
        The size of every non-zero weight.

    Returns
    -------
    numpy.ndarray, shape (28, 28)
        The weights, laid out like the image; ``.ravel()`` gives the 784
        incoming weights of the neuron.

    Raises
    ------
    ValueError
        If the band or its flanks would leave the 28x28 image.

    Examples
    --------
    >>> from digitnet.patterns import horizontal_edge
    >>> w = horizontal_edge(row=13, thickness=2)
    >>> w[11:17, 10]          # flank, band, flank down one column
    array([-1., -1.,  1.,  1., -1., -1.])
    >>> int((w > 0).sum()), int((w < 0).sum())   # 2 rows of 20, and 4 rows of 20
    (40, 80)
    """
    if not isinstance(thickness, (int, np.integer)) or thickness < 1:
        raise ValueError(f"thickness must be a positive integer, got {thickness!r}")
    _check_span("the band with its flanks (rows)", row - thickness, row + 2 * thickness)
    _check_span("the columns left, right", left, right)
    w = np.zeros((SIZE, SIZE))
    w[row - thickness : row, left:right] = -strength
    w[row : row + thickness, left:right] = strength
    w[row + thickness : row + 2 * thickness, left:right] = -strength
    return w


def horizontal_stroke(row=13, thickness=2, *, left=4, right=24, value=1.0):
    """A 28x28 image holding one horizontal bar, as input activations.

    Parameters
    ----------
    row : int, default 13
        The first row of the bar.
    thickness : int, default 2
        Its height in rows.
    left, right : int, default 4 and 24
        Its columns, ``left <= column < right``.
    value : float, default 1.0
        The activation of its pixels (1.0 is full ink).

    Returns
    -------
    numpy.ndarray, shape (28, 28)
        Zeros with the bar set to `value`.

    Examples
    --------
    >>> from digitnet.patterns import horizontal_stroke
    >>> float(horizontal_stroke(row=13, thickness=2).sum())   # 2 rows x 20 columns
    40.0
    """
    _check_span("the stroke's rows", row, row + thickness)
    _check_span("the stroke's columns", left, right)
    image = np.zeros((SIZE, SIZE))
    image[row : row + thickness, left:right] = value
    return image


def vertical_stroke(column=13, thickness=2, *, top=4, bottom=24, value=1.0):
    """A 28x28 image holding one vertical bar: the horizontal bar turned on its side.

    Parameters
    ----------
    column : int, default 13
        The first column of the bar.
    thickness : int, default 2
        Its width in columns.
    top, bottom : int, default 4 and 24
        Its rows, ``top <= row < bottom``.
    value : float, default 1.0
        The activation of its pixels.

    Returns
    -------
    numpy.ndarray, shape (28, 28)
        Zeros with the bar set to `value`.

    Examples
    --------
    >>> import numpy as np
    >>> from digitnet.patterns import horizontal_stroke, vertical_stroke
    >>> np.array_equal(vertical_stroke(), horizontal_stroke().T)
    True
    """
    return horizontal_stroke(column, thickness, left=top, right=bottom, value=value).T


#: The kinds of :func:`oriented_edge`, a band between two negative flanks, as
#: :func:`horizontal_edge` (``"bar"``), or a positive band beside one negative
#: band (``"step"``), which fires on the border between ink and paper.
EDGE_KINDS = ("bar", "step")


def _oriented(angle, length, thickness, row, column, kind):
    """The detectors for every combination of the broadcast arguments, (..., 28, 28)."""
    rows, columns = np.indices((SIZE, SIZE), dtype=np.float64)
    theta = np.deg2rad(angle)
    dx, dy = columns - column, rows - row
    along = dx * np.cos(theta) + dy * np.sin(theta)
    across = dy * np.cos(theta) - dx * np.sin(theta)
    inside = np.abs(along) < length / 2
    if kind == "bar":
        positive = inside & (np.abs(across) < thickness / 2)
        negative = inside & (np.abs(across) >= thickness / 2) & (np.abs(across) < 1.5 * thickness)
    elif kind == "step":
        positive = inside & (across >= 0) & (across < thickness)
        negative = inside & (across < 0) & (across >= -thickness)
    else:
        raise ValueError(f"kind must be one of {EDGE_KINDS}, got {kind!r}")
    return positive.astype(np.float64) - negative


def oriented_edge(angle=0.0, length=20.0, thickness=2.0, *, centre=(13.5, 13.5), kind="bar"):
    """The 28x28 weights of an edge detector at any angle, length, width and place.

    Pixel ``(r, c)`` is measured from `centre` along the detector's direction
    (``u``) and across it (``v``); the pixels with ``|u| < length / 2`` take
    part. For ``kind="bar"`` those with ``|v| < thickness / 2`` get +1 and
    those with ``thickness / 2 <= |v| < 1.5 thickness`` (the flanks) get -1:
    :func:`horizontal_edge` is the case ``angle=0``. For ``kind="step"`` the
    ``thickness`` pixels on one side of the line get +1 and those on the other
    side -1.

    Parameters
    ----------
    angle : float, default 0.0
        The direction of the detector in degrees: 0 horizontal, 90 vertical
        (rows grow downwards, so 45 runs from the top left to the bottom right).
    length : float, default 20.0
        Its length in pixels.
    thickness : float, default 2.0
        The width of the positive band (and of each negative one).
    centre : (float, float), default (13.5, 13.5)
        The (row, column) of its centre; 13.5 is the middle of the image.
    kind : {"bar", "step"}, default "bar"
        A band between two flanks, or one band beside another.

    Returns
    -------
    numpy.ndarray, shape (28, 28)
        Weights +1, -1 and 0, laid out like the image.

    Examples
    --------
    >>> import numpy as np
    >>> from digitnet.patterns import horizontal_edge, oriented_edge
    >>> np.array_equal(oriented_edge(), horizontal_edge(row=13, thickness=2))
    True
    >>> np.array_equal(oriented_edge(90), horizontal_edge(row=13, thickness=2).T)
    True
    >>> w = oriented_edge(0, length=6, thickness=2, centre=(7.5, 19.5), kind="step")
    >>> w[5:10, 19]                    # down one column: blank, then 2 minus, 2 plus
    array([ 0., -1., -1.,  1.,  1.])
    >>> int((w != 0).sum())            # 4 rows of 6 pixels
    24
    """
    if not (length > 0 and thickness > 0):
        raise ValueError(f"length and thickness must be positive, got {length} and {thickness}")
    row, column = centre
    return _oriented(float(angle), float(length), float(thickness), float(row), float(column), kind)


def edge_bank(angles=tuple(range(0, 180, 15)), lengths=(6, 10, 14, 20), thicknesses=(1, 2, 3),
              *, step=2, kinds=EDGE_KINDS):
    """Many :func:`oriented_edge` detectors: every angle, length, width, place and kind.

    The centres lie on a grid of `step` pixels over the image (rows and
    columns 3.5, 3.5 + step, ... up to 24.5). A detector that would have no
    pixel inside the image, or whose weights would all be equal, is left out.

    Parameters
    ----------
    angles : sequence of float, default 0, 15, ..., 165
        Directions in degrees.
    lengths, thicknesses : sequence of float
        As in :func:`oriented_edge`.
    step : int, default 2
        The spacing of the grid of centres, in pixels.
    kinds : sequence of {"bar", "step"}, default both

    Returns
    -------
    detectors : numpy.ndarray of float32, shape (n, 784)
        One detector per row, flattened like an image.
    settings : list of dict
        For each row: its ``angle``, ``length``, ``thickness``, ``centre`` and ``kind``.

    Examples
    --------
    >>> import numpy as np
    >>> from digitnet.patterns import edge_bank, oriented_edge
    >>> detectors, settings = edge_bank(angles=(0, 90), lengths=(6,), thicknesses=(2,), step=4)
    >>> detectors.shape            # 2 angles x 6 x 6 centres x 2 kinds
    (144, 784)
    >>> settings[0]
    {'angle': 0, 'length': 6, 'thickness': 2, 'centre': (3.5, 3.5), 'kind': 'bar'}
    >>> np.array_equal(detectors[0], oriented_edge(0, 6, 2, centre=(3.5, 3.5)).ravel())
    True
    """
    centres = np.arange(3.5, SIZE - 3, step, dtype=np.float64)
    rows = centres[:, None, None, None]
    columns = centres[None, :, None, None]
    detectors, settings = [], []
    for angle in angles:
        for length in lengths:
            for thickness in thicknesses:
                for kind in kinds:
                    block = _oriented(float(angle), float(length), float(thickness), rows, columns, kind)
                    block = block.reshape(-1, SIZE * SIZE)
                    keep = block.min(axis=1) < block.max(axis=1)
                    detectors.append(block[keep].astype(np.float32))
                    settings += [
                        dict(angle=angle, length=length, thickness=thickness,
                             centre=(float(r), float(c)), kind=kind)
                        for (r, c), kept in zip(
                            ((r, c) for r in centres for c in centres), keep) if kept
                    ]
    return np.concatenate(detectors), settings
