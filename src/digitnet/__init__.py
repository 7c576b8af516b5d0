"""digitnet: the classic 784-16-16-10 handwritten-digit network in NumPy.

The names a reader of the book types are available here directly::

    from digitnet import Network, sigmoid, layer, normalize
"""

import importlib
import os

from . import patterns
from .activations import sigmoid, sigmoid_prime
from .datasets import normalize
from .network import Network
from .neuron import layer, neuron, weighted_sum
from .pretrained import pretrained, pretrained_recipe

__version__ = "0.1.0"

if os.environ.get("DIGITNET_BOOK_LANGUAGE", "en") != "en":
    # A page of a translated edition of the book: its figures speak its language.
    from . import figuretext

    figuretext.install()


def __getattr__(name):
    # matplotlib is imported only when a figure is wanted: ``digitnet.plotting``.
    if name == "plotting":
        return importlib.import_module(".plotting", __name__)
    raise AttributeError(f"module 'digitnet' has no attribute {name!r}")

__all__ = [
    "Network",
    "layer",
    "neuron",
    "normalize",
    "patterns",
    "plotting",
    "pretrained",
    "pretrained_recipe",
    "sigmoid",
    "sigmoid_prime",
    "weighted_sum",
]
