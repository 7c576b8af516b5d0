"""Input validation shared by every public function.

Each check turns bad input into a ``TypeError`` or ``ValueError`` whose message
names the argument, what was wrong and, where possible, the fix -- so that a
mistake is caught at the boundary, not as a broadcasting error deep in NumPy.
"""

import numpy as np

FLOAT_DTYPES = (np.float32, np.float64)

#: For each floating dtype, the unsigned integers of its size and the bit pattern of 1.0.
_UNIT_BITS = {np.dtype(t): (u, int(np.array(1, t).view(u))) for t, u in
              ((np.float32, np.uint32), (np.float64, np.uint64))}


def as_real_array(x, name, dtype=None):
    """Return `x` as a floating NumPy array, refusing non-numeric data.

    Integers and booleans are accepted and converted (to `dtype`, or float64);
    strings, objects and complex numbers raise ``TypeError``.
    """
    try:
        array = np.asarray(x)
    except Exception as error:  # ragged lists and the like
        raise TypeError(f"{name} could not be read as a numeric array: {error}") from None
    if not (np.issubdtype(array.dtype, np.number) or array.dtype == np.bool_):
        raise TypeError(f"{name} must hold real numbers, got an array of dtype {array.dtype}")
    if np.issubdtype(array.dtype, np.complexfloating):
        raise TypeError(f"{name} must hold real numbers, got complex dtype {array.dtype}")
    if dtype is None:
        dtype = array.dtype if array.dtype in FLOAT_DTYPES else np.float64
    try:
        with np.errstate(over="raise"):
            return array.astype(dtype, copy=False)
    except FloatingPointError:  # e.g. 1e300 does not fit in float32
        raise ValueError(
            f"{name} holds values too large for {np.dtype(dtype).name} "
            f"(largest magnitude {np.max(np.abs(array))})"
        ) from None


def check_finite(array, name):
    """Raise ``ValueError`` if `array` holds NaN or an infinity."""
    if not np.all(np.isfinite(array)):
        bad = np.argwhere(~np.isfinite(np.atleast_1d(array)))[0]
        where = tuple(int(i) for i in bad)
        raise ValueError(
            f"{name} contains NaN or infinite values (first at index {where}); "
            "every value must be a finite number"
        )
    return array


def check_unit_interval(array, name, fix):
    """Raise ``ValueError`` unless every value of the float32/float64 `array` lies in 0.0..1.0.

    Input activations are pixels scaled to 0-1; float pixels 0-255 would be
    taken as activations up to 255 without a word. The message gives the range
    found and ends with `fix`. NaN and infinities are left to the finiteness
    checks (which name their index).

    Cost: one pass over `array`, a maximum of its bits read as unsigned
    integers. The bit patterns of 0.0 .. 1.0 are the integers 0 .. bits(1.0),
    and every other value lies above them (a negative number has its sign bit
    set); only when that test fails is the exact range computed, which also
    lets -0.0 through.
    """
    unsigned, one = _UNIT_BITS[array.dtype]
    # (int(): NumPy scalars compare ten times slower than Python ints.)
    if array.size == 0 or int(array.view(unsigned).max()) <= one:
        return array
    low, high = array.min(), array.max()
    if (low < 0 or high > 1) and np.isfinite(low) and np.isfinite(high):
        found = " and ".join([f"down to {low}"] * bool(low < 0) + [f"up to {high}"] * bool(high > 1))
        if low > -0.01 and high < 1.01:  # a rounding error, not pixels 0-255
            fix = "clip them to 0.0-1.0 with numpy.clip(x, 0.0, 1.0)"
        raise ValueError(
            f"{name}: float pixels must lie between 0.0 and 1.0, got values {found}; {fix}"
        )
    return array


def check_ndim(array, name, allowed, expected):
    """Raise ``ValueError`` unless ``array.ndim`` is in `allowed`."""
    if array.ndim not in allowed:
        raise ValueError(f"{name} must be {expected}, got an array of shape {array.shape}")
    return array


def check_dtype(dtype):
    """Return `dtype` as a NumPy dtype if it is float32 or float64."""
    try:
        dtype = np.dtype(dtype)
    except TypeError:
        raise TypeError(f"dtype must be numpy.float32 or numpy.float64, got {dtype!r}") from None
    if dtype not in FLOAT_DTYPES:
        raise TypeError(f"dtype must be numpy.float32 or numpy.float64, got {dtype}")
    return dtype


def check_sizes(sizes):
    """Return `sizes` as a tuple of at least two positive Python ints."""
    try:
        sizes = tuple(sizes)
    except TypeError:
        raise TypeError(
            f"sizes must be a sequence of layer sizes such as (784, 16, 16, 10), got {sizes!r}"
        ) from None
    if len(sizes) < 2:
        raise ValueError(
            f"sizes must name at least two layers (an input and an output), got {sizes!r}"
        )
    for i, size in enumerate(sizes):
        if isinstance(size, (bool, np.bool_)) or not isinstance(size, (int, np.integer)):
            raise TypeError(f"sizes[{i}] must be a positive integer, got {size!r}")
        if size < 1:
            raise ValueError(f"sizes[{i}] must be a positive integer, got {size}")
    return tuple(int(size) for size in sizes)
