"""Hand-built weights and images: the horizontal-edge detector and its test strokes.

A hidden neuron that detects a horizontal edge gives positive weights to a
band of pixels and negative weights to the pixels just above and below it. It
lights up when the band is bright and its surroundings are dark -- a
horizontal stroke -- and stays quiet for a vertical stroke, which covers as
much of the negative flanks as of the positive band.
"""

import numpy as np

from .images import SIZE

#: A bias that makes the edge detector of :func:`horizontal_edge` fire only on
#: real evidence: the weighted sum must exceed 10 (ten bright pixels of the
#: band more than of the flanks) before the activation passes 0.5.
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
