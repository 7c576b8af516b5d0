"""Activation functions: the squash that turns a weighted input into an activation.

A neuron's weighted input is ``z = S + b``, its weighted sum plus its bias.

The network of the book uses the sigmoid ``σ(z) = 1 / (1 + e^(-z))``. ReLU is
here too, for the chapter that compares the two.
"""

import numpy as np

from ._checks import as_real_array


def _exp_minus_abs(z):
    """``z`` as an array and ``e^(-|z|)``, which lies in (0, 1] and never overflows."""
    z = as_real_array(z, "z")
    e = np.abs(z, out=np.empty_like(z))   # an array even for a 0-d z
    np.negative(e, out=e)
    return z, np.exp(e, out=e)


def sigmoid(z):
    """The logistic sigmoid ``σ(z) = 1 / (1 + e^(-z))``, elementwise.

    It squashes any real number into the open interval (0, 1): large positive
    weighted inputs give activations near 1, large negative ones near 0, and
    ``σ(0) = 0.5`` exactly.

    Parameters
    ----------
    z : float or array_like
        Weighted inputs ``z = S + b`` (weighted sums plus biases). Integers are converted to float64;
        float32 input stays float32.

    Returns
    -------
    numpy.ndarray or numpy scalar
        ``σ(z)``, with the shape and floating dtype of `z`.

    Notes
    -----
    The textbook formula overflows in ``e^(-z)`` for ``z < -709`` (float64).
    Here only ``e^(-|z|)`` is ever computed, which lies in (0, 1], and
    ``σ(z) = 1 / (1 + e^(-z))`` for ``z >= 0`` and ``σ(z) = e^(z) / (1 + e^(z))``
    for ``z < 0``. Both branches are accurate to a few units in the last place
    and give no warning for any finite input, even ``±1e308``.

    Examples
    --------
    >>> import numpy as np
    >>> from digitnet import sigmoid
    >>> float(sigmoid(0))
    0.5
    >>> sigmoid(np.array([-10.0, 0.0, 10.0]))
    array([4.53978687e-05, 5.00000000e-01, 9.99954602e-01])
    >>> sigmoid(np.array([-1000.0, 1000.0]))   # no overflow warning
    array([0., 1.])
    >>> sigmoid(np.float32(2.0)).dtype
    dtype('float32')
    """
    z, e = _exp_minus_abs(z)
    one_plus_e = 1 + e
    positive = 1 / one_plus_e          # σ(z) for z >= 0
    e /= one_plus_e                    # σ(z) for z < 0, in place: one array fewer
    np.copyto(e, positive, where=z >= 0)
    return e[()]


def sigmoid_prime(z):
    """The derivative of the sigmoid, ``σ'(z) = σ(z) (1 - σ(z))``.

    It is largest at ``z = 0`` (where it is 0.25) and tends to 0 on both sides:
    a saturated neuron barely changes when its weighted input changes.

    Parameters
    ----------
    z : float or array_like
        Weighted inputs ``z = S + b`` (weighted sums plus biases).

    Returns
    -------
    numpy.ndarray or numpy scalar
        ``σ'(z)``, with the shape and floating dtype of `z`.

    Notes
    -----
    Computed as ``e^(-|z|) / (1 + e^(-|z|))^2``, the same value written so
    that nothing overflows and nothing cancels (``1 - σ(z)`` would lose all
    its digits for large ``z``).

    Examples
    --------
    >>> from digitnet import sigmoid_prime
    >>> float(sigmoid_prime(0))
    0.25
    >>> float(sigmoid_prime(40.0))   # tiny, but not rounded to zero
    4.248354255291589e-18
    """
    z, e = _exp_minus_abs(z)
    return (e / (1 + e) ** 2)[()]


def relu(z):
    """The rectified linear unit ``max(0, z)``, elementwise.

    Parameters
    ----------
    z : float or array_like
        Weighted inputs ``z = S + b`` (weighted sums plus biases).

    Returns
    -------
    numpy.ndarray or numpy scalar
        ``max(0, z)`` with the shape and floating dtype of `z`.

    Examples
    --------
    >>> from digitnet.activations import relu
    >>> relu([-2.0, 0.0, 3.0])
    array([0., 0., 3.])
    """
    z = as_real_array(z, "z")
    return np.maximum(z, 0)[()]


def relu_prime(z):
    """The derivative of ReLU: 1 where ``z > 0``, else 0.

    Parameters
    ----------
    z : float or array_like
        Weighted inputs ``z = S + b`` (weighted sums plus biases).

    Returns
    -------
    numpy.ndarray or numpy scalar
        1.0 where `z` is positive, 0.0 elsewhere.

    Examples
    --------
    >>> from digitnet.activations import relu_prime
    >>> relu_prime([-2.0, 0.0, 3.0])
    array([0., 0., 1.])
    """
    z = as_real_array(z, "z")
    return (z > 0).astype(z.dtype)[()]
