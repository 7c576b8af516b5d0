"""The trained 784-16-16-10 network that ships with digitnet, and how it was made.

The weights in ``digitnet/data/pretrained.npz`` were written by the command
recorded in ``digitnet/data/pretrained.json`` (``digitnet train --recipe
pretrained ...``); running it again on the same machine remakes them bit for bit.
"""

import json
from importlib import resources

import numpy as np

from .network import Network

WEIGHTS = "pretrained.npz"
RECIPE = "pretrained.json"
SIZES = (784, 16, 16, 10)


def _data_file(name):
    return resources.files("digitnet") / "data" / name


def pretrained(dtype=np.float64):
    """The packaged network, trained on MNIST: a fresh copy on every call.

    Parameters
    ----------
    dtype : {numpy.float64, numpy.float32}, optional
        The floating type to compute in. The weights were trained and are
        stored in float32 (see :func:`pretrained_recipe`); float64, the
        package's default, holds exactly the same values and computes with
        less rounding.

    Returns
    -------
    Network
        Sizes (784, 16, 16, 10), loaded and checked by :meth:`Network.load`;
        changing it does not change the next call's copy.

    Raises
    ------
    FileNotFoundError
        If the package was installed without its data files.
    ValueError
        If the packaged file is damaged or has other sizes.

    Examples
    --------
    >>> from digitnet import pretrained
    >>> net = pretrained()
    >>> net.sizes, net.parameter_count(), net.dtype
    ((784, 16, 16, 10), 13002, dtype('float64'))
    """
    source = _data_file(WEIGHTS)
    if not source.is_file():
        raise FileNotFoundError(
            f"the pretrained weights {WEIGHTS} are missing from the digitnet package; "
            "reinstall digitnet, or make them with `digitnet train --recipe pretrained`"
        )
    with resources.as_file(source) as path:
        network = Network.load(path)
    if network.sizes != SIZES:
        raise ValueError(f"the packaged {WEIGHTS} has sizes {network.sizes}, expected {SIZES}")
    return network.astype(dtype)


def pretrained_recipe():
    """How the packaged network was made: the record written by ``digitnet train``.

    Returns
    -------
    dict
        The command line (``"command"``), every hyperparameter (``"epochs"``,
        ``"batch_size"``, ``"eta"``, ``"cost"``, ``"lmbda"``, ``"schedule"``,
        ``"shift"``, ``"seed"``, ...), the data used, the final
        ``"validation_accuracy"``, ``"training_seconds"``, the versions, and the
        per-epoch ``"history"`` (lists as in :class:`digitnet.training.History`).
        The test-set accuracy is deliberately not in it: training never sees
        the test images.

    Examples
    --------
    >>> from digitnet.pretrained import pretrained_recipe
    >>> recipe = pretrained_recipe()
    >>> recipe["command"].startswith("digitnet train")
    True
    >>> recipe["sizes"], recipe["cost"]
    ([784, 16, 16, 10], 'cross-entropy')
    >>> len(recipe["history"]["epoch"]) == recipe["epochs"]
    True
    """
    return json.loads(_data_file(RECIPE).read_text(encoding="utf-8"))
