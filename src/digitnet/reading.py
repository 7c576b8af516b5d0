"""Reading a digit from a picture: prepare it, feed it forward, judge the answer.

:func:`read_digit` is what ``digitnet predict`` does for each picture: the
picture is prepared like MNIST (:mod:`digitnet.images`), the network computes
its ten output activations, and the rule of :mod:`digitnet.answer` decides
whether the best of them is an answer, or the picture holds no digit, or the
network is not sure.
"""

import os
from dataclasses import dataclass

import numpy as np

from .answer import judge


@dataclass(frozen=True, eq=False)
class Reading:
    """What the network read in one picture.

    Attributes
    ----------
    digit : int or None
        The answer, 0-9; None when the picture holds no digit or the network
        is not sure (see `status`).
    status : {"digit", "not sure", "no digit"}
        Whether there is an answer, and if not, why not.
    reason : {"sure", "unsure", "blank", "blob", "scribble"}
        The part of the rule (:func:`digitnet.answer.judge`) that decided.
    best : int
        The digit with the largest output activation, the answer or not.
    confidence : float
        That activation, 0.0 to 1.0.
    message : str
        The verdict in plain words, e.g. ``"digit: 7 (confidence 0.98)"`` or
        ``"no digit (the picture is blank)"``.
    output : numpy.ndarray of float, shape (10,)
        The network's ten output activations.
    image : numpy.ndarray of float64, shape (28, 28)
        The prepared picture, as the network's input layer saw it.
    """

    digit: object
    status: str
    reason: str
    best: int
    confidence: float
    message: str
    output: np.ndarray
    image: np.ndarray


def read_digit(picture, network=None):
    """Read the handwritten digit in a picture, or say that there is none.

    Parameters
    ----------
    picture : str, os.PathLike or array_like
        An image file (read by :func:`digitnet.images.load_image`), or a
        grayscale picture as an array (prepared by
        :func:`digitnet.images.prepare_digit`: uint8 0-255 or float 0.0-1.0,
        any size, dark ink on light paper or light on dark).
    network : Network, optional
        A 784-...-10 network; default :func:`digitnet.pretrained`.

    Returns
    -------
    Reading
        ``reading.digit`` is the answer, or None with ``reading.status``
        "no digit" (blank, a dot or blob, a scribble) or "not sure" (the
        largest output activation is below
        :data:`digitnet.answer.MIN_CONFIDENCE`).

    Raises
    ------
    FileNotFoundError, ValueError, TypeError
        As :func:`~digitnet.images.load_image` and
        :func:`~digitnet.images.prepare_digit` raise them for a missing or
        unreadable file or a bad array; ValueError also if `network` does
        not have 784 inputs and 10 outputs.

    Examples
    --------
    >>> import numpy as np
    >>> from digitnet.reading import read_digit
    >>> from digitnet.datasets import load_sample
    >>> images, labels = load_sample()
    >>> reading = read_digit(255 - images[0])     # dark ink on white paper
    >>> int(labels[0]), reading.digit, reading.status
    (7, 7, 'digit')
    >>> blank = read_digit(np.full((100, 100), 255, dtype=np.uint8))
    >>> blank.digit, blank.status, blank.message
    (None, 'no digit', 'no digit (the picture is blank)')
    """
    from .images import digit_ink, place_digit
    from .network import Network
    from .picture import read_picture
    from .pretrained import pretrained

    if network is None:
        network = pretrained()
    elif not isinstance(network, Network):
        raise TypeError(f"network must be a digitnet.Network, got {type(network).__name__}")
    if network.sizes[0] != 784 or network.sizes[-1] != 10:
        raise ValueError(
            f"the network has sizes {network.sizes}; reading a digit needs 784 inputs "
            "(28x28 pixels) and 10 outputs"
        )
    if isinstance(picture, (str, os.PathLike)):
        picture = read_picture(picture)
    ink = digit_ink(picture)
    image = place_digit(ink)
    output = np.asarray(network.feedforward(image.reshape(-1)), dtype=np.float64)
    verdict = judge(image, output, ink.level)
    return Reading(
        verdict.digit, verdict.status, verdict.reason, verdict.best, verdict.confidence,
        verdict.message, output, image,
    )
