"""A network's weights as a JavaScript file, for the book's "draw a digit" page.

The page runs the forward pass in the reader's browser. Its weights are
written by :func:`weights_script` while the book is built (conf.py calls
:func:`write_weights_script` with :func:`digitnet.pretrained`), so the page
always computes with exactly the weights the rest of the book uses -- and
with the same preparation constants (:mod:`digitnet.images`) and the same
"no digit" and "not sure" thresholds (:mod:`digitnet.answer`) as
``digitnet predict``. The script also carries a few real MNIST test digits
(:func:`mnist_examples`), which the page's buttons put into its drawing box, so
a reader without a mouse, a pen or a finger can try the network too.

The file assigns a global variable rather than holding JSON: a page opened
from disk (a ``file://`` address) may load a ``<script>`` but may not
``fetch()`` a neighbouring file.
"""

import hashlib
import json
import os
from pathlib import Path

import numpy as np

from . import answer, images
from .network import Network

#: The global variable the script assigns, ``window.DIGITNET_WEIGHTS``.
GLOBAL_NAME = "DIGITNET_WEIGHTS"


def _numbers(array):
    """`array` as nested lists of Python floats (``repr`` round-trips them exactly)."""
    return np.asarray(array, dtype=np.float64).tolist()


def _weights_cmap():
    """The book's weights colormap as 256 ``#rrggbb`` strings, low to high."""
    import matplotlib

    from .plotting import WEIGHTS_CMAP

    cmap = matplotlib.colormaps[WEIGHTS_CMAP].resampled(256)
    return [matplotlib.colors.to_hex(cmap(i)) for i in range(256)]


def network_digest(network):
    """A SHA-256 fingerprint of a network's sizes, weights and biases.

    Parameters
    ----------
    network : Network
        The network to fingerprint.

    Returns
    -------
    str
        64 hexadecimal digits; equal networks (same sizes, same float64
        values) give the same digest.

    Examples
    --------
    >>> from digitnet import Network
    >>> from digitnet.export import network_digest
    >>> network_digest(Network(seed=0)) == network_digest(Network(seed=0))
    True
    >>> network_digest(Network(seed=0)) == network_digest(Network(seed=1))
    False
    """
    digest = hashlib.sha256(np.array(network.sizes, dtype=np.int64).tobytes())
    for W, b in zip(network.weights, network.biases):
        digest.update(np.ascontiguousarray(W, dtype=np.float64).tobytes())
        digest.update(np.ascontiguousarray(b, dtype=np.float64).tobytes())
    return digest.hexdigest()


def mnist_examples():
    """The first MNIST test image of each digit, for the page's "load a digit" buttons.

    They come from :func:`digitnet.datasets.load_sample` (the first 1,000 MNIST
    test images, bundled with the package), so every build exports the same
    ten, with or without the MNIST files.

    Returns
    -------
    list of dict
        One per digit 0-9: ``"digit"`` (the label), ``"index"`` (its position
        in the MNIST test set) and ``"pixels"``, its 784 values 0 (paper) to
        255 (ink), row by row.

    Examples
    --------
    >>> from digitnet.export import mnist_examples
    >>> examples = mnist_examples()
    >>> [e["digit"] for e in examples] == list(range(10))
    True
    >>> examples[7]["index"], len(examples[7]["pixels"]), max(examples[7]["pixels"])
    (0, 784, 255)
    """
    from .datasets import load_sample

    pictures, labels = load_sample()
    picks = [int(np.flatnonzero(labels == digit)[0]) for digit in range(10)]
    return [{"digit": int(labels[i]), "index": i, "pixels": pictures[i].ravel().tolist()}
            for i in picks]


def weights_data(network, *, source=None, examples=None):
    """A network's sizes, weights and biases as a JSON-ready dictionary.

    Parameters
    ----------
    network : Network
        The network to export.
    source : str, optional
        Where the weights come from, shown on the page (e.g.
        ``"digitnet.pretrained()"``).
    examples : list of dict, optional
        Digits for the page's buttons (:func:`mnist_examples`), exported as
        ``"examples"``; an empty list if omitted.

    Returns
    -------
    dict
        ``"sizes"`` (list of int); ``"weights"``, one nested list per layer
        with ``weights[l - 1][i][j]`` the weight from neuron j of layer l - 1
        to neuron i of layer l (``W^(l)_ij``), as in :attr:`Network.weights`;
        ``"biases"``;
        ``"dtype"``, the network's floating type (the numbers are written as
        float64 either way, exactly: every float32 is a float64 too);
        ``"sha256"`` (:func:`network_digest`); ``"source"``;
        ``"version"`` of digitnet; ``"weights_cmap"``, the 256 colours
        (``"#rrggbb"``) of the colormap the book draws weights with;
        ``"preparation"``, the constants of :func:`digitnet.images.place_digit`
        (``size``, ``box``, ``ink_threshold``, ``min_stroke``, ``fine``); and
        ``"rule"``, the thresholds of :func:`digitnet.answer.judge`
        (:func:`digitnet.answer.rule`); ``"examples"``.

    Examples
    --------
    >>> from digitnet import Network
    >>> from digitnet.export import weights_data
    >>> data = weights_data(Network((4, 3, 2), seed=0))
    >>> data["sizes"], len(data["weights"][0]), len(data["weights"][0][0])
    ([4, 3, 2], 3, 4)
    >>> cmap = data["weights_cmap"]      # RdBu_r: dark blue, near white, dark red
    >>> len(cmap), cmap[0], cmap[128], cmap[-1]
    (256, '#053061', '#f7f6f6', '#67001f')
    """
    if not isinstance(network, Network):
        raise TypeError(f"network must be a digitnet.Network, got {type(network).__name__}")
    from . import __version__

    return {
        "sizes": [int(n) for n in network.sizes],
        "weights": [_numbers(W) for W in network.weights],
        "biases": [_numbers(b) for b in network.biases],
        "dtype": np.dtype(network.dtype).name,
        "sha256": network_digest(network),
        "source": source,
        "version": __version__,
        "weights_cmap": _weights_cmap(),
        "preparation": {
            "size": images.SIZE, "box": images.BOX, "ink_threshold": images.INK_THRESHOLD,
            "min_stroke": images.MIN_STROKE, "fine": images.FINE,
        },
        "rule": answer.rule(),
        "examples": list(examples or []),
    }


def weights_script(network, *, source=None, examples=None):
    """A JavaScript file that hands a network's weights to a web page.

    The script assigns ``window.DIGITNET_WEIGHTS`` (see :data:`GLOBAL_NAME`)
    the dictionary of :func:`weights_data`. Every number is written with
    Python's ``repr``, the shortest text that reads back as the same float64,
    so JavaScript (whose numbers are float64 too) gets the weights bit for bit.

    Parameters
    ----------
    network : Network
        The network to export.
    source : str, optional
        Where the weights come from, shown on the page.
    examples : list of dict, optional
        Digits for the page's buttons (:func:`mnist_examples`).

    Returns
    -------
    str
        The text of the script.

    Examples
    --------
    >>> import json
    >>> from digitnet import Network
    >>> from digitnet.export import weights_script
    >>> net = Network((4, 3, 2), seed=0)
    >>> script = weights_script(net)
    >>> script.splitlines()[1][:34]
    'window.DIGITNET_WEIGHTS = {"sizes"'
    >>> body = script.split(" = ", 1)[1].rstrip().rstrip(";")
    >>> json.loads(body)["weights"][1][0] == net.weights[1][0].tolist()   # bit for bit
    True
    """
    data = weights_data(network, source=source, examples=examples)
    body = json.dumps(data, separators=(",", ":"), allow_nan=False)
    return (
        f"/* digitnet {data['version']}: the weights of {source or 'a network'}, "
        f"sha256 {data['sha256']}. Written by digitnet.export; do not edit. */\n"
        f"window.{GLOBAL_NAME} = {body};\n"
    )


def write_weights_script(network, path, *, source=None, examples=None):
    """Write :func:`weights_script` to a file, creating its folder.

    Parameters
    ----------
    network : Network
        The network to export.
    path : str or os.PathLike
        The file to write (replaced if it exists).
    source : str, optional
        Where the weights come from, shown on the page.
    examples : list of dict, optional
        Digits for the page's buttons (:func:`mnist_examples`).

    Returns
    -------
    pathlib.Path
        The file written.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> from digitnet import Network
    >>> from digitnet.export import write_weights_script
    >>> path = Path(tempfile.mkdtemp()) / "draw" / "weights.js"
    >>> write_weights_script(Network(seed=0), path).name
    'weights.js'
    >>> path.stat().st_size > 13002 * 10     # 13,002 numbers at full precision
    True
    """
    path = Path(os.fspath(path))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(weights_script(network, source=source, examples=examples), encoding="utf-8")
    return path
