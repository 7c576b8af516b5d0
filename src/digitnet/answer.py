"""When the network's answer is an answer: "no digit" and "not sure".

The network always puts out ten activations, and one of them is always the
largest -- even for a blank page or a lone dot, which it has never seen. So
whether a picture holds a digit, and whether the network is sure enough of
it, is decided by a rule beside the network. This module is that rule,
defined once: :func:`judge` is used by :func:`digitnet.reading.read_digit`
(and so by ``digitnet predict``), and the book's draw page runs the same rule
with the same thresholds, exported with its weights (:func:`rule`).

The rule looks at the digit's ink in the picture, at the prepared 28x28
digit (what the network sees) and at the network's output:

1. **Blank**: no ink at all was found in the picture.
2. **Blob**: the ink, in the picture at its own size, is less than
   :data:`MIN_ELONGATION` stroke widths long -- a dot, a speck, a smudge.
   (Measured before scaling: a dot of a few pixels blown up to 20x20 by the
   preparation takes odd shapes.) Every one of MNIST's 60,000 training
   digits is at least 2.9 stroke widths long by this measure
   (:func:`elongation`).
3. **Scribble**: the ink covers more than :data:`MAX_COVERAGE` of the 28x28
   image, more than all but a handful of MNIST's training digits do.
4. **Not sure**: the largest output activation is below
   :data:`MIN_CONFIDENCE`. At such confidence the network's answers on
   MNIST digits it was not trained on are wrong more often than right
   (:func:`confidence_threshold` finds the level).
5. Otherwise the largest activation's digit is the answer.
"""

from dataclasses import dataclass

import numpy as np

#: The least elongation (length in stroke widths, :func:`elongation`) of a
#: digit. A filled disc is 2.2, a square 2.0, a bar twice as long as it is
#: thick 3.0; MNIST's training digits are all 2.9 or more.
MIN_ELONGATION = 2.8

#: The largest share of the 28x28 image a digit's ink may cover (its mean
#: level). MNIST's training digits cover 0.13 in the median and 0.29 at the
#: 99.9th percentile.
MAX_COVERAGE = 0.35

#: The least top output activation of an answer, as :func:`confidence_threshold`
#: finds it for the pretrained network on MNIST's 10,000 validation images (a test
#: checks it whenever the MNIST files are at hand).
MIN_CONFIDENCE = 0.3

#: The status of the verdict for each reason.
STATUS = {
    "sure": "digit",
    "unsure": "not sure",
    "blank": "no digit",
    "blob": "no digit",
    "scribble": "no digit",
}


@dataclass(frozen=True)
class Verdict:
    """What to make of one picture's output.

    Attributes
    ----------
    status : {"digit", "not sure", "no digit"}
        Whether the network's best guess is the answer.
    reason : {"sure", "unsure", "blank", "blob", "scribble"}
        Which part of the rule decided.
    best : int
        The digit with the largest output activation (the best guess, even
        when it is not the answer).
    confidence : float
        That activation, 0.0 to 1.0.
    message : str
        The verdict in plain words: ``"digit: 7 (confidence 0.98)"``,
        ``"not sure (best guess 1, confidence 0.12)"``, or ``"no digit"`` and
        why, e.g. ``"no digit (the picture is blank)"``.
    """

    status: str
    reason: str
    best: int
    confidence: float
    message: str

    @property
    def digit(self):
        """The answer, the digit if the status is "digit", else None."""
        return self.best if self.status == "digit" else None


def elongation(level):
    """How many stroke widths long the ink of a picture is.

    Measured on the ink levels themselves (0 to 1), not on a thresholded
    mask, so the soft edge of a dot does not make it longer by a pixel:

    - the ink's **area** A is the sum of the levels, and its **perimeter** P
      the sum of the level's changes between neighbouring pixels, across and
      down (the frame counts as paper);
    - the mean **stroke width** is 2A/P (a stroke of width w and length L
      has area wL and a perimeter of about 2L);
    - the **length** is sqrt(12) times the standard deviation of the ink
      along its principal axis (that of a bar of length L is L/sqrt(12));

    and the elongation is the length over the stroke width. A filled disc
    measures 2.2 at any size, a square 2.0, a bar twice as long as it is
    wide 3.0.

    Parameters
    ----------
    level : numpy.ndarray, shape (rows, columns)
        Ink levels, 0.0 (none) to 1.0: a prepared digit, or the ink a
        picture holds (:attr:`digitnet.ink.Ink.level`).

    Returns
    -------
    float
        0.0 if there is no ink.

    Examples
    --------
    >>> import numpy as np
    >>> from digitnet.answer import elongation
    >>> one = np.zeros((28, 28))
    >>> one[4:24, 13:16] = 1.0          # a "1": 20 long, 3 wide
    >>> round(elongation(one), 2)
    7.66
    >>> square = np.zeros((28, 28))
    >>> square[4:24, 4:24] = 1.0        # a square blob
    >>> round(elongation(square), 2)
    2.0
    """
    ink = np.asarray(level, dtype=np.float64)
    area = float(ink.sum())
    if area <= 0:
        return 0.0
    padded = np.pad(ink, 1)
    perimeter = float(np.abs(np.diff(padded, axis=0)).sum() + np.abs(np.diff(padded, axis=1)).sum())
    rows, columns = np.indices(ink.shape)
    mean_row, mean_column = (rows * ink).sum() / area, (columns * ink).sum() / area
    var_row = ((rows - mean_row) ** 2 * ink).sum() / area
    var_column = ((columns - mean_column) ** 2 * ink).sum() / area
    covariance = ((rows - mean_row) * (columns - mean_column) * ink).sum() / area
    major = (var_row + var_column) / 2 + np.hypot((var_row - var_column) / 2, covariance)
    return float(np.sqrt(12 * major) * perimeter / (2 * area))


def judge(digit, output, ink=None):
    """The verdict on a prepared digit and the network's output for it.

    Parameters
    ----------
    digit : numpy.ndarray, shape (28, 28)
        The prepared digit the network was given (0.0 to 1.0).
    output : array_like, shape (10,)
        The network's output activations for it.
    ink : numpy.ndarray, shape (rows, columns), optional
        The digit's ink levels in the picture at its own size (0.0 to 1.0),
        for the blob test; by default the prepared digit stands in for it.

    Returns
    -------
    Verdict

    Examples
    --------
    >>> import numpy as np
    >>> from digitnet.answer import judge
    >>> one = np.zeros((28, 28))
    >>> one[4:24, 13:16] = 1.0
    >>> output = np.full(10, 0.01)
    >>> output[1] = 0.97
    >>> judge(one, output).message
    'digit: 1 (confidence 0.97)'
    >>> output[1] = 0.12
    >>> judge(one, output).message
    'not sure (best guess 1, confidence 0.12)'
    >>> verdict = judge(np.zeros((28, 28)), output)
    >>> verdict.status, verdict.digit, verdict.message
    ('no digit', None, 'no digit (the picture is blank)')
    """
    digit = np.asarray(digit, dtype=np.float64)
    output = np.asarray(output, dtype=np.float64).ravel()
    best = int(output.argmax())
    confidence = float(output[best])
    if not (digit > 0.5).any():
        reason, message = "blank", "no digit (the picture is blank)"
    elif elongation(digit if ink is None else ink) < MIN_ELONGATION:
        reason, message = "blob", "no digit (a dot or a blob of ink, not the strokes of a digit)"
    elif digit.mean() > MAX_COVERAGE:
        reason, message = "scribble", "no digit (more ink than any digit has)"
    elif confidence < MIN_CONFIDENCE:
        reason = "unsure"
        message = f"not sure (best guess {best}, confidence {confidence:.2f})"
    else:
        reason, message = "sure", f"digit: {best} (confidence {confidence:.2f})"
    return Verdict(STATUS[reason], reason, best, confidence, message)


def rule():
    """The rule's thresholds, for the book's draw page (written with its weights).

    Returns
    -------
    dict
        ``min_elongation``, ``max_coverage``, ``min_confidence``.

    Examples
    --------
    >>> from digitnet.answer import rule
    >>> sorted(rule())
    ['max_coverage', 'min_confidence', 'min_elongation']
    """
    return {
        "min_elongation": MIN_ELONGATION,
        "max_coverage": MAX_COVERAGE,
        "min_confidence": MIN_CONFIDENCE,
    }


def confidence_threshold(network, images, labels, *, step=0.1):
    """The confidence below which the network's answers are more often wrong than right.

    The confidence (the top output activation) is cut into steps of `step`,
    and in each step the share of `images` whose answer is right is measured.
    The threshold is the top of the highest step where that share is below
    one half: an answer with less confidence than that is, on these images,
    a worse guess than a coin toss between right and wrong. Use images the
    network was not trained on (for the pretrained network, MNIST's
    validation images: training images 50,000-59,999).

    Parameters
    ----------
    network : Network
    images : numpy.ndarray, shape (n, 28, 28) or (n, 784)
        uint8 pixels 0-255 or activations 0.0-1.0.
    labels : numpy.ndarray of int, shape (n,)
    step : float, default 0.1

    Returns
    -------
    float
        A multiple of `step`; 0.0 if the answers are mostly right at every
        confidence.

    Examples
    --------
    >>> import numpy as np
    >>> from digitnet import pretrained
    >>> from digitnet.answer import confidence_threshold
    >>> from digitnet.datasets import load_sample
    >>> images, labels = load_sample()
    >>> threshold = confidence_threshold(pretrained(), images, labels)
    >>> bool(0.0 <= threshold < 1.0), bool(np.isclose(threshold * 10, round(threshold * 10)))
    (True, True)
    """
    from .datasets import normalize

    images = np.asarray(images)
    if np.issubdtype(images.dtype, np.integer):
        inputs = normalize(images)
    else:
        inputs = images.reshape(len(images), -1)
    outputs = network.feedforward(inputs)
    steps = np.floor(outputs.max(axis=1) / step + 1e-9).astype(int)
    right = outputs.argmax(axis=1) == np.asarray(labels)
    threshold = 0.0
    for k in np.unique(steps):
        if right[steps == k].mean() < 0.5:
            threshold = max(threshold, (k + 1) * step)
    return round(min(threshold, 1.0), 10)
