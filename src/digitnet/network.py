"""The network: layers of sigmoid neurons, their weights and biases.

``Network((784, 16, 16, 10))`` is the network of the book: 784 input neurons
(one per pixel), two hidden layers of 16 and 10 output neurons (one per digit).
"""

import os
import tempfile
import zipfile
from typing import NamedTuple

import numpy as np

from ._checks import (
    as_real_array, check_dtype, check_finite, check_ndim, check_sizes, check_unit_interval,
)
from .activations import sigmoid
from .translation import translate

#: Rows per block when a big batch goes through :meth:`Network.activations`.
BLOCK = 1024

#: How to fix float input outside 0.0..1.0, said when it is refused.
SCALE_FIX = "divide by 255, or turn pixels 0-255 into activations with digitnet.normalize(pixels)"


class ParameterRow(NamedTuple):
    """One row of a :class:`ParameterTable`: the parameters between two layers.

    Examples
    --------
    >>> from digitnet.network import ParameterRow
    >>> row = ParameterRow(from_size=784, to_size=16, weights=784 * 16, biases=16)
    >>> row.subtotal
    12560
    """

    from_size: int
    to_size: int
    weights: int
    biases: int

    @property
    def subtotal(self):
        """Weights plus biases of this pair of layers."""
        return self.weights + self.biases


class ParameterTable:
    """How many weights and biases sit between each pair of adjacent layers.

    Shown as an HTML table in a notebook and as plain text in a terminal.

    Parameters
    ----------
    sizes : sequence of int
        The layer sizes, input layer first.

    Attributes
    ----------
    rows : list of ParameterRow
        One row per pair of adjacent layers.
    weights, biases, total : int
        The totals over all rows.

    Examples
    --------
    >>> from digitnet.network import ParameterTable
    >>> table = ParameterTable((784, 16, 16, 10))
    >>> print(table)
    from   to  weights  biases  subtotal
    784    16   12,544      16    12,560
    16     16      256      16       272
    16     10      160      10       170
    total       12,960      42    13,002
    >>> table.total
    13002
    """

    def __init__(self, sizes):
        sizes = check_sizes(sizes)
        self.rows = [ParameterRow(n, m, m * n, m) for n, m in zip(sizes[:-1], sizes[1:])]
        self.weights = sum(row.weights for row in self.rows)
        self.biases = sum(row.biases for row in self.rows)
        self.total = self.weights + self.biases

    def _cells(self):
        """The table as strings: the header, one list per row, the total row."""
        header = ["from", "to", "weights", "biases", "subtotal"]
        body = [
            [str(r.from_size), str(r.to_size), f"{r.weights:,}", f"{r.biases:,}", f"{r.subtotal:,}"]
            for r in self.rows
        ]
        total = ["total", "", f"{self.weights:,}", f"{self.biases:,}", f"{self.total:,}"]
        return header, body, total

    def __str__(self):
        header, body, total = self._cells()
        lines = [header, *body, total]
        widths = [max(len(line[k]) for line in lines) for k in range(5)]
        return "\n".join(
            "  ".join([line[0].ljust(widths[0])] + [c.rjust(w) for c, w in zip(line[1:], widths[1:])])
            for line in lines
        )

    def __repr__(self):
        return str(self)

    def _repr_html_(self):
        # The table a notebook shows, in the book's edition's language (English elsewhere).
        header, body, total = self._cells()
        header = [translate(cell) for cell in header]
        total = [translate(total[0]), *total[1:]]
        sizes = "-".join(str(row.from_size) for row in self.rows) + f"-{self.rows[-1].to_size}"
        caption = translate(f"The weights and biases of a {sizes} network, pair of layers by pair of layers")
        head = "".join(f'<th scope="col">{cell}</th>' for cell in header)
        rows = "".join(
            "<tr>" + "".join(f"<td>{cell}</td>" for cell in line) + "</tr>" for line in body
        )
        # Only "total" labels the row; the sums are data.
        foot = f'<th scope="row">{total[0]}</th>' + "".join(f"<td>{cell}</td>" for cell in total[1:])
        return (
            f'<table class="digitnet-parameters"><caption>{caption}</caption>'
            f"<thead><tr>{head}</tr></thead><tbody>{rows}</tbody>"
            f"<tfoot><tr>{foot}</tr></tfoot></table>"
        )


class Network:
    """A fully connected network of sigmoid neurons.

    Layer ``l`` is computed from layer ``l - 1`` by ``a^(l) = σ(W^(l) a^(l-1) + b^(l))``,
    for ``l = 1, ..., L``; layer 0 is the input. Python counts the weight
    matrices from 0, so ``weights[l - 1]`` is ``W^(l)`` and ``biases[l - 1]``
    is ``b^(l)``, while ``activations(x)[l]`` is ``a^(l)``.

    Parameters
    ----------
    sizes : sequence of int, default (784, 16, 16, 10)
        Number of neurons per layer, input layer first.
    seed : int or None, optional
        Seed of the random initial weights; the same seed gives the same network.
    dtype : {numpy.float64, numpy.float32}, optional
        Floating type of the weights, the biases and every computation.

    Attributes
    ----------
    sizes : tuple of int
        The layer sizes.
    weights : list of numpy.ndarray
        ``weights[l - 1]`` is ``W^(l)``, of shape ``(sizes[l], sizes[l - 1])``; its
        entry ``[i, j]`` connects neuron j of layer l-1 to neuron i of layer l.
    biases : list of numpy.ndarray
        ``biases[l - 1]`` is ``b^(l)``, of shape ``(sizes[l],)``.
    dtype : numpy.dtype
        The floating type used throughout.

    Notes
    -----
    The initial weights are drawn from a normal distribution with mean 0 and
    standard deviation ``1 / sqrt(n_in)``, where ``n_in`` is the number of
    neurons feeding the layer, and the biases start at 0. With inputs between
    0 and 1 this keeps each weighted sum of order 1, where the sigmoid is still
    steep: a neuron that starts saturated (its sum far from 0) learns slowly,
    because ``σ'`` is nearly 0 there. Drawing every weight from N(0, 1) instead
    would give the first hidden layer weighted sums of size ~10.

    Examples
    --------
    >>> import numpy as np
    >>> from digitnet import Network
    >>> net = Network((784, 16, 16, 10), seed=0)
    >>> [W.shape for W in net.weights]
    [(16, 784), (16, 16), (10, 16)]
    >>> net.parameter_count()
    13002
    >>> image = np.zeros(784)          # a blank image
    >>> net.feedforward(image).shape   # ten output activations
    (10,)
    """

    def __init__(self, sizes=(784, 16, 16, 10), *, seed=None, dtype=np.float64):
        self.sizes = check_sizes(sizes)
        self.dtype = check_dtype(dtype)
        rng = np.random.default_rng(seed)
        self.weights = [
            (rng.standard_normal((n_out, n_in)) / np.sqrt(n_in)).astype(self.dtype)
            for n_in, n_out in zip(self.sizes[:-1], self.sizes[1:])
        ]
        self.biases = [np.zeros(n_out, dtype=self.dtype) for n_out in self.sizes[1:]]

    def __repr__(self):
        sizes = ", ".join(str(n) for n in self.sizes)
        return f"Network(sizes=({sizes}), dtype={self.dtype.name})"

    def _input(self, x):
        """Check `x` is one input vector or a batch of them, in the network's dtype."""
        try:
            x = np.asarray(x)
        except ValueError as error:  # ragged nested lists
            raise TypeError(f"x could not be read as a numeric array: {error}") from None
        if np.issubdtype(x.dtype, np.integer) or x.dtype == np.bool_:
            raise TypeError(
                f"x has integer dtype {x.dtype}; the input layer takes activations between "
                "0.0 and 1.0, so convert pixel values first with digitnet.normalize(pixels)"
            )
        # Finiteness and the range 0..1 are checked in activations(), block by block.
        x = as_real_array(x, "x", self.dtype)
        n_in = self.sizes[0]
        if x.ndim not in (1, 2) or x.shape[-1] != n_in:
            hint = ""
            if x.shape[-2:] == (28, 28) and n_in == 784:
                if x.size and x.max() > 1:   # pixels 0-255, as floats
                    hint = "; scale and flatten pixels 0-255 with digitnet.normalize(pixels)"
                else:                        # already activations: only the shape is wrong
                    hint = f"; flatten it with {'x.reshape(-1)' if x.ndim == 2 else 'x.reshape(-1, 784)'}"
            raise ValueError(
                f"x must have shape ({n_in},) for one input or (n, {n_in}) for a batch, "
                f"got {x.shape}{hint}"
            )
        return x

    def astype(self, dtype):
        """A copy of this network computing in another floating type.

        Parameters
        ----------
        dtype : {numpy.float64, numpy.float32}
            The floating type of the copy's weights, biases and computations.

        Returns
        -------
        Network
            A new network; float32 to float64 keeps every value exactly.

        Examples
        --------
        >>> import numpy as np
        >>> from digitnet import Network
        >>> net = Network((4, 3, 2), seed=0)
        >>> small = net.astype(np.float32)
        >>> small.dtype, small.weights[0].dtype
        (dtype('float32'), dtype('float32'))
        >>> bool(np.array_equal(small.astype(np.float64).weights[1], net.weights[1].astype(np.float32)))
        True
        """
        dtype = check_dtype(dtype)
        weights = [W.astype(dtype) for W in self.weights]
        biases = [b.astype(dtype) for b in self.biases]
        return Network._holding(self.sizes, dtype, weights, biases)

    @classmethod
    def _holding(cls, sizes, dtype, weights, biases):
        """A network with these (already checked) weights and biases; draws no random numbers."""
        network = cls.__new__(cls)
        network.sizes, network.dtype = sizes, dtype
        network.weights, network.biases = weights, biases
        return network

    def activations(self, x):
        """The activations of every layer, input layer first.

        Parameters
        ----------
        x : array_like of float, shape (n_in,) or (n, n_in)
            One input vector, or a batch whose rows are inputs: activations
            between 0.0 and 1.0 (pixels 0-255 divided by 255, as
            :func:`digitnet.normalize` does).

        Returns
        -------
        list of numpy.ndarray
            ``len(sizes)`` arrays; entry l has shape ``(sizes[l],)`` or
            ``(n, sizes[l])``.

        Raises
        ------
        TypeError
            If `x` is not floating-point (integer pixels must be scaled first).
        ValueError
            If `x` has the wrong shape (a 28x28 image gets the fix for its
            values), holds NaN or infinity, or values outside 0.0..1.0.

        Examples
        --------
        >>> import numpy as np
        >>> from digitnet import Network
        >>> net = Network((784, 16, 16, 10), seed=0)
        >>> [a.shape for a in net.activations(np.zeros(784))]
        [(784,), (16,), (16,), (10,)]
        >>> [a.shape for a in net.activations(np.zeros((5, 784)))]
        [(5, 784), (5, 16), (5, 16), (5, 10)]
        >>> net.activations(np.full(784, 255.0))
        Traceback (most recent call last):
        ...
        ValueError: x: float pixels must lie between 0.0 and 1.0, got values up to 255.0; divide by 255, ...
        """
        return self._activations(self._input(x), check_range=True)

    def _activations(self, a, check_range):
        """:meth:`activations` of the input `a`, of the right shape and dtype.

        With `check_range`, each block of `a` is checked to lie in 0..1 just
        before the first layer reads it, which then finds it in the CPU's cache:
        for 10,000 images on one thread this costs nothing measurable in
        float32 and about 10 % in float64 (a separate min and max
        over the whole input first cost 25-35 %). A caller that has checked
        `a` itself, or made it from uint8 pixels, passes False.
        """
        if a.ndim == 2 and len(a) > BLOCK:
            # A big batch goes through in blocks of rows, so that each block's
            # activations are still in the CPU's cache when the next layer
            # reads them (6-14 % faster for 10,000 images on these machines).
            blocks = [self._above(a[k : k + BLOCK], a, check_range) for k in range(0, len(a), BLOCK)]
            return [a] + [np.concatenate(layer) for layer in zip(*blocks)]
        return [a] + self._above(a, a, check_range)

    def _above(self, a, x, check_range):
        """The activations of every layer above the input `a` (rows of `x`)."""
        if check_range:
            check_unit_interval(a, "x", SCALE_FIX)
        layers = []
        for W, b in zip(self.weights, self.biases):
            z = W @ a if a.ndim == 1 else np.dot(a, W.T)
            z += b
            if not layers and not np.isfinite(z).all():
                # A NaN or infinite input makes its whole row of z non-finite, so
                # checking the small z is enough; only then is the whole x
                # searched, so the error names the index in x (z may also
                # overflow from huge finite inputs, which is no error).
                check_finite(x, "x")
            a = sigmoid(z)
            layers.append(a)
        return layers

    def feedforward(self, x):
        """The output activations for one input or a batch.

        Parameters
        ----------
        x : array_like of float, shape (n_in,) or (n, n_in)
            One input vector, or a batch whose rows are inputs: activations
            between 0.0 and 1.0.

        Returns
        -------
        numpy.ndarray, shape (n_out,) or (n, n_out)
            The last layer's activations.

        Raises
        ------
        TypeError, ValueError
            As :meth:`activations` does, for input that is not float
            activations 0.0-1.0 of the right shape.

        Examples
        --------
        >>> import numpy as np
        >>> from digitnet import Network
        >>> net = Network((3, 2), seed=0)
        >>> net.weights[0] = np.array([[2.0, 0.0, 0.0], [0.0, 0.0, 0.0]])
        >>> net.feedforward(np.array([1.0, 0.5, 0.5])).round(4)   # σ(2), σ(0)
        array([0.8808, 0.5   ])
        """
        return self.activations(x)[-1]

    def predict(self, x):
        """The digit (index of the output neuron) with the highest activation.

        Parameters
        ----------
        x : array_like of float, shape (n_in,) or (n, n_in)
            One input vector, or a batch whose rows are inputs: activations
            between 0.0 and 1.0.

        Returns
        -------
        int or numpy.ndarray of int
            One index for one input; an array of ``n`` indices for a batch.

        Raises
        ------
        TypeError, ValueError
            As :meth:`activations` does, for input that is not float
            activations 0.0-1.0 of the right shape.

        Examples
        --------
        >>> import numpy as np
        >>> from digitnet import Network
        >>> net = Network((2, 3), seed=0)
        >>> net.biases[0] = np.array([0.0, 5.0, 0.0])   # neuron 1 is always on
        >>> net.predict(np.array([0.0, 0.0]))
        1
        >>> net.predict(np.zeros((4, 2)))
        array([1, 1, 1, 1])
        """
        output = self.feedforward(x)
        winner = np.argmax(output, axis=-1)
        return int(winner) if output.ndim == 1 else winner

    def parameter_count(self):
        """The number of weights plus biases.

        Returns
        -------
        int
            ``sum(n_in * n_out + n_out)`` over pairs of adjacent layers.

        Examples
        --------
        >>> from digitnet import Network
        >>> Network((784, 16, 16, 10)).parameter_count()
        13002
        """
        return sum(W.size + b.size for W, b in zip(self.weights, self.biases))

    def parameter_table(self):
        """The weights and biases between each pair of layers, as a table.

        Returns
        -------
        ParameterTable
            One row per pair of adjacent layers plus totals; an HTML table in
            a notebook, plain text in a terminal.

        Examples
        --------
        >>> from digitnet import Network
        >>> table = Network((784, 16, 16, 10)).parameter_table()
        >>> [row.weights for row in table.rows]
        [12544, 256, 160]
        >>> table.weights, table.biases, table.total
        (12960, 42, 13002)
        """
        return ParameterTable(self.sizes)

    def save(self, path, *, overwrite=False):
        """Write the sizes, weights and biases to a ``.npz`` file (no pickle).

        Parameters
        ----------
        path : str or os.PathLike
            The file to write, used exactly as given.
        overwrite : bool, default False
            Replace an existing file. Without it an existing file is left
            untouched and ``FileExistsError`` is raised.

        Examples
        --------
        >>> import os, tempfile
        >>> from digitnet import Network
        >>> path = os.path.join(tempfile.mkdtemp(), "net.npz")
        >>> Network((4, 3, 2), seed=1).save(path)
        >>> Network.load(path).sizes
        (4, 3, 2)
        """
        path = os.fspath(path)
        if os.path.exists(path) and not overwrite:
            raise FileExistsError(f"{path} exists; pass overwrite=True to replace it")
        arrays = {"sizes": np.array(self.sizes, dtype=np.int64)}
        for l, (W, b) in enumerate(zip(self.weights, self.biases)):
            arrays[f"W{l}"], arrays[f"b{l}"] = W, b
        # Write beside the target, then rename: a crash never leaves half a file.
        folder = os.path.dirname(os.path.abspath(path))
        fd, tmp = tempfile.mkstemp(dir=folder, suffix=".npz.tmp")
        try:
            with os.fdopen(fd, "wb") as file:
                np.savez(file, **arrays)
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes 0600; give the usual mode
            os.replace(tmp, path)
        except BaseException:
            os.unlink(tmp)
            raise

    @classmethod
    def load(cls, path):
        """Read a network written by :meth:`save`, checking every array.

        Parameters
        ----------
        path : str or os.PathLike
            A ``.npz`` file. Pickled objects are refused, never executed.

        Returns
        -------
        Network
            A network with the file's sizes, dtype, weights and biases.

        Raises
        ------
        ValueError
            If the file is not a ``.npz`` archive, holds pickled objects, or its
            arrays are missing, of the wrong shape or dtype, or not finite.

        Examples
        --------
        >>> import os, tempfile
        >>> import numpy as np
        >>> from digitnet import Network
        >>> path = os.path.join(tempfile.mkdtemp(), "net.npz")
        >>> net = Network((784, 16, 16, 10), seed=0)
        >>> net.save(path)
        >>> again = Network.load(path)
        >>> all(np.array_equal(W, V) for W, V in zip(net.weights, again.weights))
        True
        """
        path = os.fspath(path)
        try:
            # Opened here, not by np.load, which leaves the file open if it is a broken zip.
            with open(path, "rb") as file:
                archive = np.load(file, allow_pickle=False)
                if not isinstance(archive, np.lib.npyio.NpzFile):
                    raise ValueError("it holds a single .npy array, not a .npz archive")
                with archive:
                    arrays = {key: archive[key] for key in archive.files}
        except FileNotFoundError:
            raise
        except ValueError as error:
            if "Object arrays" in str(error):  # a .npz archive holding pickled objects
                raise ValueError(
                    f"{path} holds pickled Python objects, which digitnet never loads "
                    "(unpickling can run arbitrary code); save weights with Network.save"
                ) from None
            if "pickle" in str(error):  # NumPy's answer for a file neither .npz nor .npy
                with open(path, "rb") as file:
                    if file.read(1) == b"\x80":  # the opcode every binary pickle starts with
                        raise ValueError(
                            f"{path} is a Python pickle, which digitnet never loads "
                            "(unpickling can run arbitrary code); save weights with Network.save"
                        ) from None
                raise ValueError(
                    f"{path} is not a .npz weights file: it is neither a .npz archive nor a "
                    ".npy array (digitnet never unpickles a file: that can run arbitrary code)"
                ) from None
            raise ValueError(f"{path} is not a readable .npz weights file: {error}") from None
        except (OSError, zipfile.BadZipFile, EOFError) as error:
            raise ValueError(f"{path} is not a readable .npz weights file: {error}") from None
        if not isinstance(arrays, dict) or "sizes" not in arrays:
            raise ValueError(f"{path} is not a digitnet weights file: it has no 'sizes' array")
        return cls._from_arrays(arrays, path)

    @classmethod
    def _from_arrays(cls, arrays, source):
        sizes = arrays["sizes"]
        if sizes.ndim != 1 or not np.issubdtype(sizes.dtype, np.integer):
            raise ValueError(f"{source}: 'sizes' must be a 1-D integer array, got {sizes!r}")
        sizes = check_sizes(sizes.tolist())
        expected = {"sizes"}
        dtypes = set()
        weights, biases = [], []
        for l, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:])):
            for name, shape, store in (
                (f"W{l}", (n_out, n_in), weights),
                (f"b{l}", (n_out,), biases),
            ):
                expected.add(name)
                if name not in arrays:
                    raise ValueError(f"{source}: array {name!r} is missing for sizes {sizes}")
                array = arrays[name]
                if array.shape != shape:
                    raise ValueError(
                        f"{source}: {name} has shape {array.shape}, but sizes {sizes} "
                        f"need {shape}"
                    )
                if array.dtype not in (np.float32, np.float64):
                    raise ValueError(
                        f"{source}: {name} has dtype {array.dtype}; expected float32 or float64"
                    )
                check_finite(array, f"{source}: {name}")
                dtypes.add(array.dtype)
                store.append(array)
        extra = sorted(set(arrays) - expected)
        if extra:
            raise ValueError(f"{source}: unexpected arrays {extra} for sizes {sizes}")
        if len(dtypes) != 1:
            raise ValueError(f"{source}: the arrays mix dtypes {sorted(map(str, dtypes))}")
        return cls._holding(sizes, dtypes.pop(), weights, biases)
