"""From one neuron to one layer: the weighted sum, the bias and the squash.

A neuron of layer l looks at every activation ``a_j`` of layer l-1, weighs it
by ``w_j``, adds the results (the weighted sum ``S``), adds its bias ``b`` and
squashes the total, the weighted input ``z = S + b``, with the sigmoid. Doing
that for every neuron of the layer at once is one matrix product:
``a^(l) = σ(W^(l) a^(l-1) + b^(l))``. Indices count from 0, as in Python; the
book's notation page lists every symbol.
"""

import numpy as np

from ._checks import as_real_array, check_finite, check_ndim
from .activations import sigmoid


def _vector(x, name):
    x = check_finite(as_real_array(x, name), name)
    return check_ndim(x, name, (1,), "a 1-D vector")


def weighted_sum(activations, weights):
    """The weighted sum ``S = w_0·a_0 + w_1·a_1 + … + w_(n-1)·a_(n-1)`` of one neuron.

    Parameters
    ----------
    activations : array_like, shape (n,)
        The activations ``a_0 … a_(n-1)`` of the previous layer.
    weights : array_like, shape (n,)
        The weight ``w_j`` of the connection from neuron j of the previous
        layer to this neuron. A positive weight excites, a negative one
        inhibits, zero ignores.

    Returns
    -------
    float
        The weighted sum ``S``.

    Examples
    --------
    >>> from digitnet import weighted_sum
    >>> weighted_sum([1.0, 0.5, 0.0], [2.0, -4.0, 100.0])
    0.0
    """
    a = _vector(activations, "activations")
    w = _vector(weights, "weights")
    if a.shape != w.shape:
        raise ValueError(
            f"activations and weights must have the same length, got {a.shape[0]} "
            f"activations and {w.shape[0]} weights"
        )
    return float(np.dot(w, a))


def neuron(activations, weights, bias):
    """The activation ``σ(z) = σ(S + b)`` of one neuron, with ``S`` its weighted sum.

    Parameters
    ----------
    activations : array_like, shape (n,)
        The activations of the previous layer.
    weights : array_like, shape (n,)
        This neuron's incoming weights.
    bias : float
        Added to the weighted sum before the squash: a bias of -10 means the
        weighted sum must exceed about 10 before the neuron lights up.

    Returns
    -------
    float
        The neuron's activation, between 0 and 1.

    Examples
    --------
    >>> from digitnet import neuron
    >>> neuron([1.0, 1.0], [3.0, 2.0], bias=-5.0)   # S + b = 0
    0.5
    >>> round(neuron([1.0, 1.0], [3.0, 2.0], bias=-10.0), 4)
    0.0067
    """
    b = check_finite(as_real_array(bias, "bias", np.float64), "bias")
    if b.ndim != 0:
        raise ValueError(f"bias of one neuron must be a single number, got shape {b.shape}")
    return float(sigmoid(weighted_sum(activations, weights) + b))


def layer(a, W, b):
    """The activations of a whole layer, ``σ(W a + b)``.

    Parameters
    ----------
    a : array_like, shape (n_in,) or (n, n_in)
        The previous layer's activations: one vector, or a batch whose rows are
        examples.
    W : array_like, shape (n_out, n_in)
        ``W[i, j]`` is the weight from neuron j of the previous layer to
        neuron i of this one, so row i holds neuron i's incoming weights.
    b : array_like, shape (n_out,)
        One bias per neuron of this layer.

    Returns
    -------
    numpy.ndarray, shape (n_out,) or (n, n_out)
        ``σ(W a + b)`` for one vector; for a batch ``σ(A Wᵀ + b)``, whose row k
        is ``σ(W a_k + b)`` for the k-th example.

    Examples
    --------
    >>> import numpy as np
    >>> from digitnet import layer
    >>> W = np.array([[1.0, -1.0], [0.0, 2.0], [0.5, 0.5]])  # 2 inputs -> 3 neurons
    >>> b = np.array([0.0, -1.0, 0.0])
    >>> layer(np.array([1.0, 1.0]), W, b).round(3)
    array([0.5  , 0.731, 0.731])
    >>> layer(np.array([[1.0, 1.0], [0.0, 0.0]]), W, b).round(3)   # a batch of two
    array([[0.5  , 0.731, 0.731],
           [0.5  , 0.269, 0.5  ]])
    """
    a = check_finite(as_real_array(a, "a"), "a")
    W = check_finite(as_real_array(W, "W"), "W")
    b = check_finite(as_real_array(b, "b"), "b")
    check_ndim(W, "W", (2,), "a matrix of shape (n_out, n_in)")
    check_ndim(b, "b", (1,), "a vector of shape (n_out,)")
    check_ndim(a, "a", (1, 2), "a vector (n_in,) or a batch (n, n_in)")
    n_out, n_in = W.shape
    if b.shape[0] != n_out:
        raise ValueError(f"b has {b.shape[0]} biases but W has {n_out} rows (one per neuron)")
    if a.shape[-1] != n_in:
        raise ValueError(
            f"a has {a.shape[-1]} activations per example but W has {n_in} columns "
            f"(one per neuron of the previous layer); shapes a {a.shape}, W {W.shape}"
        )
    z = W @ a if a.ndim == 1 else a @ W.T
    return sigmoid(z + b)
