"""Learning: the cost, its gradient by backpropagation, and stochastic gradient descent.

The network learns by nudging every weight and bias downhill on a cost ``C``
that measures how far the output activations ``a`` are from the desired
output ``y`` (1 for the right digit, 0 for the nine others). Backpropagation
computes the gradient of ``C`` for a whole mini-batch at once; :func:`train`
repeats ``w -> w - eta * dC/dw`` over shuffled mini-batches, epoch after epoch.
"""

import math
import time
from dataclasses import dataclass, field

import numpy as np

from ._checks import as_real_array, check_finite, check_unit_interval
from .datasets import _scale_pixels
from .network import BLOCK

#: How many images :func:`evaluate` and friends convert and push through the
#: network at once: the block of rows that ``feedforward`` works in, so that the
#: converted pixels are still in the CPU's cache when the first layer reads them
#: (measured 1.3x faster than 10,000 rows at a time for 60,000 images).
CHUNK = BLOCK


# ---------------------------------------------------------------------------
# Costs
# ---------------------------------------------------------------------------


class QuadraticCost:
    """The quadratic cost ``C = ½‖a − y‖²`` of one example (summed over outputs).

    Its output-layer error is ``δ^(L) = (a − y) σ'(z^(L))``: a saturated output
    neuron (``σ'`` near 0) learns slowly even when it is badly wrong.

    Examples
    --------
    >>> import numpy as np
    >>> from digitnet.training import QuadraticCost
    >>> a, y = np.array([0.8, 0.1]), np.array([1.0, 0.0])
    >>> round(float(QuadraticCost.value(a, y)), 4)          # ½ (0.2² + 0.1²)
    0.025
    >>> QuadraticCost.delta(a, y).round(4)                   # (a − y) a (1 − a)
    array([-0.032,  0.009])
    """

    name = "quadratic"

    @staticmethod
    def value(a, y):
        """The cost of each example: ``½ Σ_j (a_j − y_j)²`` over the last axis."""
        return 0.5 * np.sum((a - y) ** 2, axis=-1)

    @staticmethod
    def delta(a, y):
        """``δ^(L) = ∂C/∂z^(L) = (a − y) σ'(z^(L))``, with ``σ'(z^(L)) = a (1 − a)``."""
        return (a - y) * a * (1 - a)


class CrossEntropyCost:
    """The cross-entropy cost ``C = −Σ_j [y_j ln a_j + (1 − y_j) ln(1 − a_j)]``.

    Its output-layer error is simply ``δ^(L) = a − y``: the ``σ'(z^(L))`` of the
    quadratic cost cancels, so a confidently wrong neuron learns fast.

    Notes
    -----
    The value clips ``a`` to ``[ε/2, 1 − ε/2]`` of its dtype (``ε/2`` is
    ``numpy.finfo(dtype).epsneg``, the gap below 1) before taking logarithms, so
    an output that has rounded to exactly 0 or 1 gives a large finite cost
    instead of ``inf`` or ``nan``, and no warning. The clip is symmetric, so a
    neuron saturated the wrong way costs the same at either end:
    ``−ln(ε/2)``, about 36.7 in float64 and 16.6 in float32. Only the value
    is clipped; :meth:`delta`, which training follows, is not.

    Examples
    --------
    >>> import numpy as np
    >>> from digitnet.training import CrossEntropyCost
    >>> a, y = np.array([0.8, 0.1]), np.array([1.0, 0.0])
    >>> round(float(CrossEntropyCost.value(a, y)), 4)       # −ln 0.8 − ln 0.9
    0.3285
    >>> CrossEntropyCost.delta(a, y)
    array([-0.2,  0.1])

    The most one saturated neuron can cost, at a = 0 for y = 1 and at a = 1
    for y = 0:

    >>> for dtype in (np.float64, np.float32):
    ...     zero, one = np.array([0.0], dtype), np.array([1.0], dtype)
    ...     print(dtype.__name__, round(float(CrossEntropyCost.value(zero, one)), 4),
    ...           round(float(CrossEntropyCost.value(one, zero)), 4))
    float64 36.7368 36.7368
    float32 16.6355 16.6355
    """

    name = "cross-entropy"

    @staticmethod
    def value(a, y):
        """The cost of each example, summed over the last axis."""
        info = np.finfo(a.dtype)
        a = np.clip(a, info.epsneg, 1 - info.epsneg)
        return -np.sum(y * np.log(a) + (1 - y) * np.log1p(-a), axis=-1)

    @staticmethod
    def delta(a, y):
        """``δ^(L) = ∂C/∂z^(L) = a − y``."""
        return a - y


COSTS = {cost.name: cost for cost in (QuadraticCost, CrossEntropyCost)}


def get_cost(cost):
    """The cost class for a name ``"quadratic"`` or ``"cross-entropy"`` (or a cost class).

    Examples
    --------
    >>> from digitnet.training import get_cost
    >>> get_cost("cross-entropy").__name__
    'CrossEntropyCost'
    """
    if isinstance(cost, str):
        if cost not in COSTS:
            raise ValueError(f"cost must be one of {sorted(COSTS)}, got {cost!r}")
        return COSTS[cost]
    if hasattr(cost, "value") and hasattr(cost, "delta"):
        return cost
    raise TypeError(
        f"cost must be a name {sorted(COSTS)} or a class with value(a, y) and "
        f"delta(a, y), got {cost!r}"
    )


# ---------------------------------------------------------------------------
# Checking the data
# ---------------------------------------------------------------------------


def _check_labels(labels, n, n_out, name="labels"):
    """`labels` as an int64 array of `n` digits in ``0 .. n_out - 1``."""
    labels = np.asarray(labels)
    if labels.dtype == np.bool_ or not np.issubdtype(labels.dtype, np.integer):
        if np.issubdtype(labels.dtype, np.floating) and labels.size and np.all(
            np.isfinite(labels) & (labels == np.round(labels))
        ):
            hint = f"; convert with {name}.astype(int)"
        else:
            hint = ""
        raise TypeError(
            f"{name} must be integer class indices (digits 0-{n_out - 1}), "
            f"got dtype {labels.dtype}{hint}"
        )
    if labels.ndim != 1:
        raise ValueError(f"{name} must be a 1-D array of digits, got shape {labels.shape}")
    if len(labels) != n:
        raise ValueError(
            f"{name} has {len(labels)} entries but there are {n} images; "
            "give exactly one label per image"
        )
    if labels.size and (labels.min() < 0 or labels.max() >= n_out):
        raise ValueError(
            f"{name} must lie between 0 and {n_out - 1} (one per output neuron), "
            f"got values from {labels.min()} to {labels.max()}"
        )
    return labels.astype(np.int64, copy=False)


def _check_images(images, network, name="images", allow_pixels=True):
    """`images` as a 2-D array with one row of ``n_in`` values per image.

    Floating arrays are activations (0.0–1.0, checked once here, so that the
    network need not check them again) and are cast to the network's dtype.
    With `allow_pixels`, uint8 arrays are pixel values 0–255, kept as they are
    (scaled later, a chunk at a time); ``(n, 28, 28)`` is flattened.
    """
    n_in = network.sizes[0]
    raw = np.asarray(images)
    if raw.dtype == np.uint8 and allow_pixels:
        array = raw
    elif np.issubdtype(raw.dtype, np.integer) or raw.dtype == np.bool_:
        fix = "pass uint8 pixels or " if allow_pixels else ""
        raise TypeError(
            f"{name} has integer dtype {raw.dtype}; the input layer takes activations "
            f"0.0-1.0, so {fix}convert pixel values with digitnet.normalize(pixels)"
        )
    else:
        array = check_finite(as_real_array(raw, name, network.dtype), name)
        check_unit_interval(array, name, (
            "divide by 255 or pass the uint8 array, which is scaled for you" if allow_pixels
            else "divide by 255 (digitnet.normalize(pixels) does it for uint8 pixels)"
        ))
    if array.ndim == 3 and allow_pixels and array.shape[1] * array.shape[2] == n_in:
        array = array.reshape(len(array), n_in)
    if array.ndim != 2 or array.shape[1] != n_in:
        raise ValueError(
            f"{name} must have shape (n, {n_in}) (one row per image), got {array.shape}"
        )
    return array


def _activations(images, dtype):
    """Rows of `images` as input activations: uint8 pixels are divided by 255."""
    if images.dtype == np.uint8:
        return _scale_pixels(images, dtype)
    return images


def _one_hot(labels, n_out, dtype):
    """The desired outputs ``y``: one row per label, 1 at the label, 0 elsewhere."""
    y = np.zeros((len(labels), n_out), dtype=dtype)
    y[np.arange(len(labels)), labels] = 1
    return y


# ---------------------------------------------------------------------------
# Backpropagation
# ---------------------------------------------------------------------------


def _backprop(weights, activations, y, cost):
    """``(nabla_w, nabla_b)`` of the mean cost, from a forward pass's activations."""
    m = len(y)
    # δ^(L) = ∂C/∂z^(L) of each example (rows), divided by m for the mean.
    delta = cost.delta(activations[-1], y)
    delta /= m
    nabla_w = [None] * len(weights)
    nabla_b = [None] * len(weights)
    # List index l holds W^(l+1), the weights that feed layer l + 1, and activations[l]
    # holds a^(l); on entering the loop body, delta is δ^(l+1).
    for l in range(len(weights) - 1, -1, -1):
        nabla_w[l] = delta.T @ activations[l]
        nabla_b[l] = delta.sum(axis=0)
        if l > 0:
            a = activations[l]
            # δ^(l) = (W^(l+1))^T δ^(l+1) ⊙ σ'(z^(l)), with σ'(z^(l)) = a^(l) (1 − a^(l)).
            delta = (delta @ weights[l]) * a * (1 - a)
    return nabla_w, nabla_b


def gradients(network, images, labels, cost="quadratic"):
    """Backpropagation: the gradient of the mean cost over a mini-batch.

    All examples go through the network together as the rows of one matrix,
    so each layer costs two matrix products, not a Python loop.

    Parameters
    ----------
    network : Network
        The network whose weights and biases are differentiated (unchanged).
    images : array_like, shape (m, n_in)
        Input activations (0.0–1.0), one row per example of the mini-batch.
    labels : array_like of int, shape (m,)
        The right digit of each example, ``0 <= label < n_out``.
    cost : {"quadratic", "cross-entropy"} or cost class, default "quadratic"
        The cost ``C`` whose mean over the ``m`` examples, ``(1/m) Σ_x C_x``,
        is differentiated.

    Returns
    -------
    nabla_w : list of numpy.ndarray
        ``∂C/∂W`` for each layer, shaped like ``network.weights``.
    nabla_b : list of numpy.ndarray
        ``∂C/∂b`` for each layer, shaped like ``network.biases``.

    Raises
    ------
    TypeError
        If `images` is not floating-point or `labels` not integer.
    ValueError
        If shapes disagree, a label is out of range, or an image holds NaN or
        values outside 0.0..1.0 (float pixels 0-255 must be divided by 255).

    Examples
    --------
    >>> import numpy as np
    >>> from digitnet import Network
    >>> from digitnet.training import gradients
    >>> net = Network((4, 3, 2), seed=0)
    >>> x = np.array([[0.0, 0.5, 1.0, 0.5], [1.0, 1.0, 0.0, 0.0]])
    >>> nabla_w, nabla_b = gradients(net, x, [1, 0])
    >>> [g.shape for g in nabla_w], [g.shape for g in nabla_b]
    ([(3, 4), (2, 3)], [(3,), (2,)])
    """
    cost = get_cost(cost)
    x = _check_images(images, network, allow_pixels=False)
    labels = _check_labels(labels, len(x), network.sizes[-1])
    if len(x) == 0:
        raise ValueError("images is empty; the gradient needs at least one example")
    y = _one_hot(labels, network.sizes[-1], network.dtype)
    return _backprop(network.weights, network._activations(x, check_range=False), y, cost)


# ---------------------------------------------------------------------------
# Measuring
# ---------------------------------------------------------------------------


def _outputs(network, images):
    """Output activations for (checked) `images`, CHUNK rows at a time."""
    if len(images) == 0:
        return np.zeros((0, network.sizes[-1]), network.dtype)
    # The images were checked once by the caller: the network need not check each chunk.
    return np.concatenate([
        network._activations(_activations(images[k : k + CHUNK], network.dtype), check_range=False)[-1]
        for k in range(0, len(images), CHUNK)
    ])


def _measure(network, images, labels, cost):
    """Mean cost and accuracy on checked data."""
    a = _outputs(network, images)
    y = _one_hot(labels, network.sizes[-1], network.dtype)
    return float(np.mean(cost.value(a, y))), float(np.mean(a.argmax(axis=1) == labels))


def evaluate(network, images, labels):
    """The fraction of images whose digit the network predicts correctly.

    Parameters
    ----------
    network : Network
        The network to test.
    images : array_like, shape (n, n_in), or uint8 of shape (n, 28, 28)
        Input activations 0.0–1.0, or uint8 pixel values 0–255 (divided by 255
        here, a chunk at a time).
    labels : array_like of int, shape (n,)
        The right digits.

    Returns
    -------
    float
        Accuracy between 0.0 and 1.0.

    Raises
    ------
    TypeError
        If `images` are integers other than uint8, or `labels` not integers.
    ValueError
        If `images` is empty, shapes disagree, a label is out of range, or
        float images hold NaN or values outside 0.0..1.0 (float pixels 0-255:
        divide by 255, or pass the uint8 array, which is scaled here).

    Examples
    --------
    >>> import numpy as np
    >>> from digitnet import Network
    >>> from digitnet.training import evaluate
    >>> net = Network((2, 2), seed=0)
    >>> net.weights[0] = np.array([[5.0, -5.0], [-5.0, 5.0]])   # bigger input wins
    >>> evaluate(net, np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 0.0]]), [0, 1, 1])
    0.6666666666666666
    """
    counts = confusion_matrix(network, images, labels)
    if counts.sum() == 0:
        raise ValueError("images is empty; accuracy needs at least one example")
    return float(np.trace(counts) / counts.sum())


def confusion_matrix(network, images, labels):
    """Counts of (true digit, predicted digit) pairs.

    Parameters
    ----------
    network : Network
        The network to test.
    images : array_like, shape (n, n_in), or uint8 of shape (n, 28, 28)
        As for :func:`evaluate`.
    labels : array_like of int, shape (n,)
        The right digits.

    Returns
    -------
    numpy.ndarray of int64, shape (n_out, n_out)
        Entry ``[i, j]`` counts the images of digit ``i`` predicted as ``j``;
        the diagonal holds the correct predictions, row sums the digit counts,
        so ``diag / row sums`` is the accuracy per digit.

    Raises
    ------
    TypeError, ValueError
        As :func:`evaluate`.

    Examples
    --------
    >>> import numpy as np
    >>> from digitnet import Network
    >>> from digitnet.training import confusion_matrix
    >>> net = Network((2, 2), seed=0)
    >>> net.weights[0] = np.array([[5.0, -5.0], [-5.0, 5.0]])
    >>> confusion_matrix(net, np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 0.0]]), [0, 1, 1])
    array([[1, 0],
           [1, 1]])
    """
    images = _check_images(images, network)
    labels = _check_labels(labels, len(images), network.sizes[-1])
    n_out = network.sizes[-1]
    predicted = _outputs(network, images).argmax(axis=1)
    return np.bincount(labels * n_out + predicted, minlength=n_out * n_out).reshape(n_out, n_out)


# ---------------------------------------------------------------------------
# Stochastic gradient descent
# ---------------------------------------------------------------------------


def _constant(epoch, epochs):
    return 1.0


def _cosine(epoch, epochs):
    return 0.5 * (1 + math.cos(math.pi * epoch / epochs))


SCHEDULES = {"constant": _constant, "cosine": _cosine}


@dataclass
class History:
    """What :func:`train` measured at the end of each epoch (one entry per epoch).

    Attributes
    ----------
    epoch : list of int
        1, 2, ...
    eta : list of float
        The learning rate used during the epoch.
    training_cost, training_accuracy : list of float
        Mean cost (without the L2 term) and accuracy on the (unaugmented)
        training images, or the sample of them that ``measure`` asked for,
        measured after the epoch; empty with ``measure=None``.
    validation_cost, validation_accuracy : list of float
        The same on the validation images; empty without ``validation``.
    seconds : list of float
        Wall-clock time since training started.
    """

    epoch: list = field(default_factory=list)
    eta: list = field(default_factory=list)
    training_cost: list = field(default_factory=list)
    training_accuracy: list = field(default_factory=list)
    validation_cost: list = field(default_factory=list)
    validation_accuracy: list = field(default_factory=list)
    seconds: list = field(default_factory=list)

    def as_dict(self):
        """The lists as a plain dict (of plain Python numbers), e.g. for JSON."""
        return {name: list(values) for name, values in vars(self).items()}


def _check_positive_int(value, name, minimum=1):
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{name} must be an integer, got {value!r}")
    if value < minimum:
        raise ValueError(f"{name} must be at least {minimum}, got {value}")
    return int(value)


def _check_number(value, name, positive=False):
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise TypeError(f"{name} must be a number, got {value!r}")
    value = float(value)
    if not math.isfinite(value) or value < 0 or (positive and value == 0):
        bound = "positive" if positive else "zero or positive"
        raise ValueError(f"{name} must be a finite {bound} number, got {value}")
    return value


def _shift_images(images, shifts, side, out):
    """Move each ``side x side`` image (a row of `images`) by its ``(dy, dx)``.

    Pixels moved out of the frame are lost, the uncovered ones become 0. The
    moved images are written into `out` (same shape and dtype as `images`)
    grouped by their shift, not in the order of `images`: the returned
    ``where`` says that image ``i`` moved is ``out[where[i]]``.

    Grouped, the images that share a shift are one block of whole rows, and
    moving a row-major image by ``dy`` rows and ``dx`` columns is moving its
    row of pixels by ``dy * side + dx`` places, plus blanking the ``|dx|``
    columns that wrapped round from the other side: two slice copies per
    block, no per-pixel indexing (2-3x faster than copying each shift's
    ``rows, dy-range, dx-range`` by fancy indexing, for the same numbers).
    """
    n, size = images.shape
    span = int(np.abs(shifts).max(initial=0))
    width = 2 * span + 1
    group = (shifts[:, 0] + span) * width + (shifts[:, 1] + span)
    by_group = np.argsort(group, kind="stable")
    images.take(by_group, 0, out, "wrap")
    start = 0
    for g, count in enumerate(np.bincount(group, minlength=width * width)):
        block = out[start : start + count]
        start += count
        dy, dx = divmod(g, width)
        dy, dx = dy - span, dx - span
        places = dy * side + dx
        if places > 0:
            block[:, places:] = block[:, :-places]
            block[:, :places] = 0
        elif places < 0:
            block[:, :places] = block[:, -places:]
            block[:, places:] = 0
        grid = block.reshape(count, side, side)
        if dx > 0:
            grid[:, :, :dx] = 0
        elif dx < 0:
            grid[:, :, dx:] = 0
    where = np.empty(n, dtype=np.intp)
    where[by_group] = np.arange(n)
    return where


def _flat(shapes, dtype):
    """One flat array, and views of it shaped as `shapes`, one after the other.

    Keeping all weights, then all biases, in one array lets the update touch
    every parameter with one NumPy call instead of one call per array.
    """
    flat = np.zeros(sum(math.prod(shape) for shape in shapes), dtype=dtype)
    views, start = [], 0
    for shape in shapes:
        size = math.prod(shape)
        views.append(flat[start : start + size].reshape(shape))
        start += size
    return flat, views


def _take_activations(source, batch, pixels, x, by_255):
    """The rows `batch` of `source` as input activations, written into `x`.

    uint8 `source` rows are gathered into `pixels` (same shape as `x`), cast
    into `x` and multiplied by `by_255` (1/255 as a 0-d array of `x`'s dtype):
    a plain cast then a multiply in the working dtype gives the same numbers
    as one mixed-type multiply, which NumPy runs through a slower buffered
    casting loop. Floating rows are gathered into `x` directly. Nothing is
    allocated: this runs once per mini-batch.
    """
    # mode="wrap" skips the bounds-checked (buffered) copy of the default "raise";
    # the indices come from a permutation, so they are always in range.
    if source.dtype == np.uint8:
        source.take(batch, 0, pixels, "wrap")
        np.copyto(x, pixels, casting="unsafe")
        np.multiply(x, by_255, x)
    else:
        source.take(batch, 0, x, "wrap")


class _SGD:
    """Stochastic gradient descent for :func:`train`, with no temporary arrays.

    A 784-16-16-10 network does little arithmetic per mini-batch, so at small
    batch sizes a step's time goes to Python calls and to allocating
    temporaries, not to arithmetic. This class therefore

    - allocates every array a step writes once, and has NumPy write into it
      (``out=``); the last, smaller mini-batch of an epoch uses row-slices;
    - keeps all parameters in one flat array (all weights, then all biases)
      and all gradients in another, so the update is one or two NumPy calls
      for the whole network, not one per array;
    - keeps each weight matrix transposed, as ``W.T`` of shape ``(n_in, n_out)``,
      so that both large products of a step, ``x @ W.T`` forward and
      ``x.T @ δ`` for the gradient, read C-ordered memory (the first layer's
      gradient product is about 1.5x faster so at batch 128 on these machines);
    - calls the cheapest spelling of each operation: ``np.dot`` rather than
      ``np.matmul``, the ``take`` method rather than ``np.take``, constants
      as 0-d arrays rather than Python floats; on arrays this small each
      saves 0.5-1 µs of a call's overhead, and a step makes about 40 calls;
    - stores half of every weight and bias, ``W/2`` and ``b/2``. Since
      ``σ(z) = ½ + ½ tanh(z/2)``, the matrix product then delivers ``z/2``
      itself and the sigmoid costs three passes instead of four; halving is
      exact in binary floating point, so nothing is lost. In half units the
      update is ``W/2 -> W/2 - (η/2) ∇W``, and ``σ'(z) = a (1 − a)`` becomes
      ``2 σ'(z) = a (1 − t)`` with ``t = tanh(z/2)``, kept from the forward pass;
    - scales the output error by ``η / 2m`` at once, so the gradients come out
      of backpropagation as the step itself (no separate ``η ∇C`` pass).

    The arithmetic is that of :meth:`Network.activations`, :func:`_backprop`
    and the update in :func:`train`'s docstring; only the order of a few roundings
    differs (checked against a plain loop over :func:`gradients` in the tests).
    The network's own arrays are written after every epoch (:meth:`epoch`).
    """

    def __init__(self, network, batch_size, cost, lmbda, momentum, n):
        dtype = network.dtype
        sizes = network.sizes
        self.network, self.cost, self.momentum, self.lmbda, self.n = network, cost, momentum, lmbda, n
        pairs = list(zip(sizes[:-1], sizes[1:]))
        shapes = pairs + [(n_out,) for _, n_out in pairs]   # every W.T, then every b
        self.params, views = _flat(shapes, dtype)
        self.grads, grad_views = _flat(shapes, dtype)
        layers = len(pairs)
        for WT, W in zip(views[:layers], network.weights):
            np.multiply(W.T, 0.5, out=WT)
        for mine, b in zip(views[layers:], network.biases):
            np.multiply(b, 0.5, out=mine)
        #: (W.T/2, b/2, step of W.T/2, step of b/2) of each layer, views into params and grads.
        self.layers = list(zip(views[:layers], views[layers:], grad_views[:layers], grad_views[layers:]))
        n_weights = sum(a * b for a, b in pairs)
        self.all_w, self.all_grad_w = self.params[:n_weights], self.grads[:n_weights]
        self.velocity = np.zeros_like(self.params) if momentum else None
        self.decay = np.empty_like(self.all_w) if momentum and lmbda else None
        self.eye = np.eye(sizes[-1], dtype=dtype)  # y for digit d is eye[d]
        self.pixels = np.empty((batch_size, sizes[0]), dtype=np.uint8)
        self.x = np.empty((batch_size, sizes[0]), dtype=dtype)
        self.y = np.empty((batch_size, sizes[-1]), dtype=dtype)
        # For each layer above the input: its activations a, its error δ, and
        # t = tanh(z/2) (then 1 − t), one row per example.
        self.rows_of = [
            tuple(np.empty((batch_size, n_out), dtype=dtype) for _ in range(3)) for _, n_out in pairs
        ]
        self.ones = np.ones(batch_size, dtype=dtype)
        # Constants as 0-d arrays: NumPy takes them about 2x faster than
        # Python floats, which matters at ~1 µs per call on arrays this small.
        self.number = lambda value: np.array(value, dtype=dtype)
        self.half, self.one, self.by_255 = self.number(0.5), self.number(1), self.number(1 / 255)
        self._cut = {}

    def rows(self, m):
        """The buffers of a mini-batch of `m` examples, made once per `m`: the
        row-slices of the per-example arrays, grouped as each layer uses them
        going forward and going backward (a plan that the step just follows)."""
        if m not in self._cut:
            x = self.x[:m]
            layers = [tuple(array[:m] for array in arrays) for arrays in self.rows_of]
            inputs = [x] + [a for a, _, _ in layers[:-1]]
            forward = [(below, WT, b, t, a) for below, (WT, b, _, _), (a, _, t) in zip(inputs, self.layers, layers)]
            # (transposed views are made here once: making one costs ~0.1 µs)
            backward = [
                (below, below.T, d, grad_WT, grad_b, (WT.T,) + layers[l - 1][1:] if l else None)
                for l, (below, (WT, _, grad_WT, grad_b), (_, d, _)) in enumerate(zip(inputs, self.layers, layers))
            ][::-1]
            self._cut[m] = (self.pixels[:m], x, self.y[:m], self.ones[:m], layers[-1], forward, backward)
        return self._cut[m]

    def epoch(self, source, labels, order, eta, bar=None, source_rows=None):
        """One pass over the examples in the given `order`, then store the new weights.

        Example ``order[j]`` has the digit ``labels[order[j]]`` and is the row
        ``source_rows[j]`` of `source` (by default ``order[j]`` itself).
        """
        batch_size = len(self.x)
        digits = labels[order]
        source_rows = order if source_rows is None else source_rows
        number = self.number
        # L2 weight decay: W -> W - η (lmbda / n) W, a shrink by one factor per step.
        shrink = number(1 - eta * self.lmbda / self.n) if self.lmbda and not self.momentum else None
        decay = number(eta * self.lmbda / self.n) if self.lmbda and self.momentum else None
        scales = {}
        for k in range(0, len(order), batch_size):
            batch = source_rows[k : k + batch_size]
            m = len(batch)
            if m not in scales:
                scales[m] = number(eta / (2 * m))
            self.step(source, batch, digits[k : k + batch_size], scales[m])
            if shrink is not None:
                self.all_w *= shrink
            self.update(decay)
            if bar is not None:
                bar.update(m)
        for W, b, (WT, mine, _, _) in zip(self.network.weights, self.network.biases, self.layers):
            np.multiply(WT.T, 2, out=W)
            np.multiply(mine, 2, out=b)

    def step(self, source, batch, digits, scale):
        """Backpropagate the rows `batch` of `source` (right answers `digits`):
        leaves in :attr:`grads` the step of the halved parameters, `scale`
        (``η/2m``) times the gradient of the summed cost."""
        pixels, x, y, ones, (a, d, t), forward, backward = self.rows(len(batch))
        half, one = self.half, self.one
        _take_activations(source, batch, pixels, x, self.by_255)
        self.eye.take(digits, 0, y, "wrap")

        # Forward, l = 1 .. L: a^(l) = σ(z^(l)) = ½ + ½ tanh(z^(l)/2), where
        # z^(l)/2 = a^(l-1) (W^(l).T/2) + b^(l)/2 (`below` is a^(l-1), `t_` is tanh(z^(l)/2)).
        for below, WT, b, t_, a_ in forward:
            np.dot(below, WT, t_)
            np.add(t_, b, t_)
            np.tanh(t_, t_)
            np.multiply(t_, half, a_)
            np.add(a_, half, a_)

        # The output error δ^(L), times η/2m.
        if self.cost is CrossEntropyCost:     # a − y
            np.subtract(a, y, d)
        elif self.cost is QuadraticCost:      # (a − y) a (1 − a)
            np.subtract(a, y, d)
            d *= a
            d *= np.subtract(one, a, t)
        else:                                 # any other cost: its own formula
            d[...] = self.cost.delta(a, y)
        d *= scale

        # Backward: each layer's gradient, then the error of the layer below,
        # δ^(l-1) = δ^(l) W^(l) ⊙ σ'(z^(l-1)) = δ^(l) (W^(l)/2) ⊙ a^(l-1) (1 − t^(l-1)),
        # for l = L .. 2 (`d` is δ^(l), `below` is a^(l-1)).
        for below, below_T, d, grad_WT, grad_b, lower in backward:
            np.dot(below_T, d, grad_WT)
            np.dot(ones, d, grad_b)          # the sum over examples
            if lower is not None:
                W, d_below, t_below = lower
                np.dot(d, W, d_below)
                d_below *= below
                d_below *= np.subtract(one, t_below, t_below)

    def update(self, decay=None):
        """Move every parameter by the step in :attr:`grads` (plus momentum)."""
        if self.momentum:
            # v -> momentum v − η (∇C + (lmbda / n) W),  W -> W + v
            if decay is not None:
                self.all_grad_w += np.multiply(self.all_w, decay, self.decay)
            self.velocity *= self.momentum
            self.velocity -= self.grads
            self.params += self.velocity
        else:
            self.params -= self.grads


def train(
    network,
    images,
    labels,
    *,
    epochs,
    batch_size,
    eta,
    cost="quadratic",
    lmbda=0.0,
    momentum=0.0,
    schedule="constant",
    shift=0,
    seed=None,
    validation=None,
    measure="all",
    progress=False,
):
    """Train `network` in place by mini-batch stochastic gradient descent.

    Each epoch shuffles the training images, cuts them into mini-batches of
    `batch_size` and, for each mini-batch, computes the gradient of the mean
    cost by backpropagation and steps every weight and bias downhill::

        v -> momentum * v - eta * (∇C + (lmbda / n) W)
        W -> W + v                      (the same for b, without the lmbda term)

    Parameters
    ----------
    network : Network
        Updated in place; its dtype (float64 or float32) is used throughout.
    images : array_like, shape (n, n_in), or uint8 of shape (n, 28, 28)
        Training inputs: activations 0.0–1.0, or uint8 pixels 0–255 which are
        kept as uint8 (8x less memory) and scaled one mini-batch at a time.
    labels : array_like of int, shape (n,)
        The right digit of each training image.
    epochs : int
        Passes over the training data (0 returns an empty history).
    batch_size : int
        Examples per gradient step; the last mini-batch of an epoch may be smaller.
    eta : float
        The learning rate ``η`` (at the start, if a schedule decays it).
    cost : {"quadratic", "cross-entropy"} or cost class, default "quadratic"
        The cost to minimise.
    lmbda : float, default 0.0
        L2 regularisation: the cost gains ``(lmbda / 2n) Σ w²`` over all weights
        (not biases), ``n`` the number of training images, which shrinks the
        weights by ``eta * lmbda / n`` of themselves at every step.
    momentum : float, default 0.0
        Fraction of the previous step kept in the next (0.0 is plain SGD).
    schedule : {"constant", "cosine"} or callable, default "constant"
        How ``η`` changes from epoch to epoch: ``"cosine"`` decays it from
        `eta` towards 0 along half a cosine, ``η_e = eta (1 + cos(π e / epochs)) / 2``
        for epoch ``e = 0, 1, ...``; a callable ``f(e, epochs)`` returns the factor.
    shift : int, default 0
        Data augmentation for square images (28x28 for MNIST): every epoch,
        move each training image by a random whole number of pixels between
        ``-shift`` and ``shift`` down and across (filling with 0). The shifted
        images of an epoch are written into one buffer the size of `images`.
    seed : int or None
        Seeds the shuffling, the shifts and the sample that `measure` picks;
        the same seed and the same starting network give the same trained
        network, whatever is measured.
    validation : (images, labels) or None
        Data measured (never trained on) after every epoch.
    measure : "all", int or None, default "all"
        What of the training data to measure after every epoch, for
        ``History.training_cost`` and ``training_accuracy``: ``"all"`` the
        (unaugmented) training images; an int ``k``, a random sample of ``k``
        of them (all if there are fewer), picked once, before the first epoch,
        and the same every epoch; None, nothing (the two lists stay empty).
        Measuring is a forward pass over the images measured: over all of
        them, a large part of an epoch's time at mini-batches of 50 and more,
        so measure a sample, or nothing, when only the validation curve or
        the trained network matters.
    progress : bool, default False
        Show a tqdm progress bar with the training cost and the validation
        accuracy (those that are measured).

    Returns
    -------
    History
        Per-epoch learning rate, training and validation cost and accuracy;
        the lists of what was not measured are empty.

    Raises
    ------
    TypeError, ValueError
        For a bad setting, or training or validation data that :func:`evaluate`
        would refuse -- float pixels 0-255 among them, which would otherwise be
        taken as activations. The data is checked once, before the first epoch.

    Examples
    --------
    >>> import numpy as np
    >>> from digitnet import Network
    >>> from digitnet.training import train, evaluate
    >>> rng = np.random.default_rng(0)
    >>> x = rng.random((200, 2))
    >>> digits = (x[:, 0] > x[:, 1]).astype(int)      # which coordinate is bigger
    >>> net = Network((2, 4, 2), seed=0)
    >>> history = train(net, x, digits, epochs=30, batch_size=10, eta=3.0,
    ...                 cost="cross-entropy", schedule="cosine", seed=0)
    >>> len(history.epoch), history.training_cost[-1] < history.training_cost[0]
    (30, True)
    >>> evaluate(net, x, digits) > 0.95
    True

    Measuring only the validation data, or a sample of the training data,
    leaves the training itself unchanged:

    >>> same = Network((2, 4, 2), seed=0)
    >>> quiet = train(same, x, digits, epochs=30, batch_size=10, eta=3.0,
    ...               cost="cross-entropy", schedule="cosine", seed=0,
    ...               validation=(x[:50], digits[:50]), measure=None)
    >>> quiet.training_cost, len(quiet.validation_accuracy)
    ([], 30)
    >>> all(np.array_equal(a, b) for a, b in zip(same.weights, net.weights))
    True
    >>> len(train(Network((2, 4, 2), seed=0), x, digits, epochs=2, batch_size=10,
    ...           eta=3.0, seed=0, measure=50).training_accuracy)
    2
    """
    cost = get_cost(cost)
    epochs = _check_positive_int(epochs, "epochs", minimum=0)
    batch_size = _check_positive_int(batch_size, "batch_size")
    eta = _check_number(eta, "eta", positive=True)
    lmbda = _check_number(lmbda, "lmbda")
    momentum = _check_number(momentum, "momentum")
    if momentum >= 1:
        raise ValueError(f"momentum must be below 1 (e.g. 0.9), got {momentum}")
    if callable(schedule):
        factor = schedule
    elif schedule in SCHEDULES:
        factor = SCHEDULES[schedule]
    else:
        raise ValueError(f"schedule must be one of {sorted(SCHEDULES)} or a callable, got {schedule!r}")
    shift = _check_positive_int(shift, "shift", minimum=0)
    side = math.isqrt(network.sizes[0])
    if shift and side * side != network.sizes[0]:
        raise ValueError(f"shift needs square images, but the input layer has {network.sizes[0]} neurons")
    if isinstance(measure, (int, np.integer)) and not isinstance(measure, (bool, np.bool_)):
        measure = _check_positive_int(measure, "measure")
    elif not (measure is None or (isinstance(measure, str) and measure == "all")):
        raise TypeError(f'measure must be "all", a number of training images or None, got {measure!r}')

    images = _check_images(images, network)
    labels = _check_labels(labels, len(images), network.sizes[-1])
    n = len(images)
    if n == 0:
        raise ValueError("images is empty; training needs at least one example")
    if validation is not None:
        try:
            val_images, val_labels = validation
        except (TypeError, ValueError):
            raise TypeError("validation must be a pair (images, labels) or None") from None
        val_images = _check_images(val_images, network, "validation images")
        val_labels = _check_labels(val_labels, len(val_images), network.sizes[-1], "validation labels")

    sgd = _SGD(network, batch_size, cost, lmbda, momentum, n)
    shifted = np.empty_like(images) if shift else None   # this epoch's shifted images
    rng = np.random.default_rng(seed)
    if measure == "all":
        measured = (images, labels)
    elif measure is None:
        measured = None
    else:
        # The sample's own generator, spawned: it leaves rng's stream, and so the training, as it was.
        sample = np.sort(rng.spawn(1)[0].choice(n, size=min(measure, n), replace=False))
        measured = (images[sample], labels[sample])
    history = History()
    start = time.perf_counter()

    bar = None
    if progress:
        from tqdm import tqdm

        bar = tqdm(total=epochs * n, unit="img", unit_scale=True, desc="training")
    try:
        for epoch in range(epochs):
            eta_e = eta * float(factor(epoch, epochs))
            order = rng.permutation(n)
            if shift:
                shifts = rng.integers(-shift, shift + 1, size=(n, 2))
                where = _shift_images(images, shifts, side, out=shifted)
                sgd.epoch(shifted, labels, order, eta_e, bar, source_rows=where[order])
            else:
                sgd.epoch(images, labels, order, eta_e, bar)

            history.epoch.append(epoch + 1)
            history.eta.append(eta_e)
            if measured is not None:
                c, acc = _measure(network, *measured, cost)
                history.training_cost.append(c)
                history.training_accuracy.append(acc)
            if validation is not None:
                c, acc = _measure(network, val_images, val_labels, cost)
                history.validation_cost.append(c)
                history.validation_accuracy.append(acc)
            history.seconds.append(time.perf_counter() - start)
            if bar is not None:
                shown = {"epoch": epoch + 1}
                line = f"epoch {epoch + 1}/{epochs}: eta {eta_e:.4g}"
                if measured is not None:
                    shown["cost"] = f"{history.training_cost[-1]:.4f}"
                    line += f", training cost {history.training_cost[-1]:.4f}"
                if validation is not None:
                    shown["val_acc"] = f"{history.validation_accuracy[-1]:.4f}"
                    line += f", validation accuracy {history.validation_accuracy[-1]:.4f}"
                bar.set_postfix(shown)
                bar.write(line)
    finally:
        if bar is not None:
            bar.close()
    return history
