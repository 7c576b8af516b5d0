"""The sigmoid, its derivative and ReLU: values, dtypes, shapes, accuracy, extremes."""

import decimal
import math
import warnings

import numpy as np
import pytest
from numpy.testing import assert_array_max_ulp

from digitnet import sigmoid, sigmoid_prime
from digitnet.activations import relu, relu_prime

CONTEXT = decimal.Context(prec=60, Emax=decimal.MAX_EMAX, Emin=decimal.MIN_EMIN)


def exact_sigmoid(z):
    """σ(z) for the float `z`, computed with 60 significant digits, rounded to float64."""
    d = decimal.Decimal(float(z))  # exact binary value of z
    return float(CONTEXT.divide(1, CONTEXT.add(1, CONTEXT.exp(-d))))


def exact_sigmoid_prime(z):
    """σ'(z) = e^-|z| / (1 + e^-|z|)^2 with 60 significant digits, rounded to float64."""
    d = decimal.Decimal(float(z))
    e = CONTEXT.exp(-abs(d))
    return float(CONTEXT.divide(e, CONTEXT.power(CONTEXT.add(1, e), 2)))


def no_warnings(function, *args):
    """Call `function` with every warning, overflow, division and invalid operation raised.

    Underflow stays at NumPy's default (ignored): ``e^-1000`` rounding to 0 is
    the intended result, not an error.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with np.errstate(over="raise", divide="raise", invalid="raise", under="ignore"):
            return function(*args)


# ---------------------------------------------------------------- sigmoid


def test_sigmoid_of_zero_is_exactly_one_half():
    assert sigmoid(0) == 0.5
    assert sigmoid(0.0) == 0.5
    assert sigmoid(-0.0) == 0.5
    assert sigmoid(np.float32(0)) == np.float32(0.5)


def test_sigmoid_known_values():
    z = np.array([-2.0, -1.0, 1.0, 2.0, 10.0])
    expected = 1 / (1 + np.exp(-z))  # safe range: the textbook formula is fine here
    np.testing.assert_allclose(sigmoid(z), expected, rtol=1e-15)
    assert sigmoid(1.0) == pytest.approx(0.7310585786300049, rel=1e-15)


@pytest.mark.parametrize(
    ("value", "dtype"),
    [
        (np.float32(1.5), np.float32),
        (np.array([1.5, -2.0], dtype=np.float32), np.float32),
        (np.float64(1.5), np.float64),
        (np.array([1.5, -2.0]), np.float64),
        (3, np.float64),
        (np.array([3, -4], dtype=np.int32), np.float64),
        (np.array([3, 4], dtype=np.uint8), np.float64),
        ([1, 2, 3], np.float64),
        (True, np.float64),
    ],
)
def test_sigmoid_dtype(value, dtype):
    assert np.asarray(sigmoid(value)).dtype == dtype


def test_sigmoid_float32_is_computed_in_float32():
    z = np.linspace(-20, 20, 101).astype(np.float32)
    out = sigmoid(z)
    assert out.dtype == np.float32
    # Rounded from an accurate value, not float64 results merely cast.
    reference = np.array([exact_sigmoid(x) for x in z]).astype(np.float32)
    assert_array_max_ulp(out, reference, maxulp=4)


@pytest.mark.parametrize("shape", [(), (1,), (5,), (3, 4), (2, 3, 4), (0,)])
def test_sigmoid_keeps_shape(shape):
    z = np.arange(int(np.prod(shape)), dtype=float).reshape(shape) - 3
    out = sigmoid(z)
    assert np.shape(out) == shape
    np.testing.assert_allclose(out, 1 / (1 + np.exp(-z)), rtol=1e-15)


def test_sigmoid_of_a_scalar_is_a_numpy_scalar():
    out = sigmoid(2.0)
    assert np.ndim(out) == 0
    assert isinstance(out, np.floating)
    assert float(out) == pytest.approx(0.8807970779778823, rel=1e-15)


def test_sigmoid_accepts_a_list():
    np.testing.assert_array_equal(sigmoid([0.0, 0.0]), [0.5, 0.5])


def test_sigmoid_accuracy_float64_from_minus_700_to_700():
    z = np.linspace(-700.0, 700.0, 4001)
    reference = np.array([exact_sigmoid(x) for x in z])
    assert_array_max_ulp(sigmoid(z), reference, maxulp=4)


def test_sigmoid_accuracy_float64_random_points():
    rng = np.random.default_rng(12345)
    z = np.concatenate([rng.uniform(-40, 40, 1500), rng.uniform(-1, 1, 500), [1e-300, -1e-300]])
    reference = np.array([exact_sigmoid(x) for x in z])
    assert_array_max_ulp(sigmoid(z), reference, maxulp=4)


def test_sigmoid_accuracy_float32():
    # float32 results stay normal down to about e^-87.
    z = np.linspace(-87.0, 87.0, 3001).astype(np.float32)
    reference = np.array([exact_sigmoid(x) for x in z]).astype(np.float32)
    out = sigmoid(z)
    assert out.dtype == np.float32
    assert_array_max_ulp(out, reference, maxulp=4)


def test_sigmoid_small_tail_keeps_relative_accuracy():
    # The naive 1 - 1/(1+e^z) would give 0 or garbage here; σ(-z) ≈ e^-z.
    for z in (40.0, 100.0, 300.0, 700.0):
        assert sigmoid(-z) == pytest.approx(np.exp(-z), rel=1e-14)
        assert sigmoid(-z) > 0


@pytest.mark.parametrize(
    ("z", "expected"),
    [
        (1000.0, 1.0), (-1000.0, 0.0), (1e308, 1.0), (-1e308, 0.0),
        (710.0, 1.0), (800.0, 1.0), (-800.0, 0.0),
        (-710.0, math.exp(-710.0)),  # ≈ 4.5e-309: still a (subnormal) float, not 0
    ],
)
def test_sigmoid_no_warning_at_extremes(z, expected):
    out = no_warnings(sigmoid, z)
    assert out == pytest.approx(expected, rel=1e-6, abs=0)


def test_sigmoid_no_warning_at_extremes_array_and_float32():
    z = np.array([-1e308, -1000.0, -745.5, 745.5, 1000.0, 1e308, np.finfo(float).max])
    np.testing.assert_array_equal(no_warnings(sigmoid, z), [0, 0, 0, 1, 1, 1, 1])
    z32 = np.array([-3e38, -1000, -200, 200, 1000, 3e38], dtype=np.float32)
    out = no_warnings(sigmoid, z32)
    assert out.dtype == np.float32
    np.testing.assert_array_equal(out, [0, 0, 0, 1, 1, 1])


def test_sigmoid_limits_at_infinity():
    out = no_warnings(sigmoid, np.array([-np.inf, np.inf]))
    np.testing.assert_array_equal(out, [0.0, 1.0])


def test_sigmoid_stays_in_unit_interval_and_is_monotone():
    z = np.linspace(-50, 50, 10001)
    out = sigmoid(z)
    assert np.all((out > 0) & (out <= 1))
    assert np.all(np.diff(out) >= 0)
    assert np.all(out[z < 36] < 1)  # not yet rounded to 1


def test_sigmoid_symmetry():
    z = np.linspace(0, 700, 2001)
    # σ(z) + σ(-z) = 1 to within rounding of the larger term.
    np.testing.assert_allclose(sigmoid(z) + sigmoid(-z), 1.0, rtol=0, atol=3e-16)
    # Where 1 - σ(z) keeps its digits (σ(-z) not tiny), it equals σ(-z) to a few ulp.
    small = np.linspace(0, 1, 201)
    assert_array_max_ulp(1 - sigmoid(small), sigmoid(-small), maxulp=4)
    # The tiny tail: σ(-z) = σ(z) e^-z, both computed directly.
    np.testing.assert_allclose(sigmoid(-z), sigmoid(z) * np.exp(-z), rtol=1e-13)


def test_sigmoid_nan_propagates_without_warning():
    assert np.isnan(no_warnings(sigmoid, np.nan))


@pytest.mark.parametrize("bad", ["0.5", np.array(["a", "b"]), np.array([object()], dtype=object)])
def test_sigmoid_rejects_non_numeric(bad):
    with pytest.raises(TypeError, match="must hold real numbers"):
        sigmoid(bad)


def test_sigmoid_rejects_complex():
    with pytest.raises(TypeError, match="complex"):
        sigmoid(np.array([1 + 2j]))


# ---------------------------------------------------------------- sigmoid_prime


def test_sigmoid_prime_at_zero_is_one_quarter():
    assert sigmoid_prime(0) == 0.25
    assert sigmoid_prime(np.float32(0)) == np.float32(0.25)


def test_sigmoid_prime_matches_central_difference():
    h = 1e-5
    z = np.linspace(-15, 15, 301)
    numeric = (sigmoid(z + h) - sigmoid(z - h)) / (2 * h)
    # Absolute error of the difference quotient: about eps / h, plus a term of order h^2.
    np.testing.assert_allclose(sigmoid_prime(z), numeric, rtol=1e-7, atol=1e-10)
    # Relative check on the left tail, where σ is small and nothing cancels.
    left = np.linspace(-30, 0, 301)
    numeric = (sigmoid(left + h) - sigmoid(left - h)) / (2 * h)
    np.testing.assert_allclose(sigmoid_prime(left), numeric, rtol=1e-7)


def test_sigmoid_prime_equals_sigma_times_one_minus_sigma():
    z = np.linspace(-8, 8, 401)  # 1 - σ(z) keeps enough digits here
    s = sigmoid(z)
    np.testing.assert_allclose(sigmoid_prime(z), s * (1 - s), rtol=1e-11)
    # σ(z)σ(-z) is the same product without the cancellation, accurate everywhere.
    wide = np.linspace(-700, 700, 1401)
    np.testing.assert_allclose(sigmoid_prime(wide), sigmoid(wide) * sigmoid(-wide), rtol=1e-13)


def test_sigmoid_prime_accuracy_against_reference():
    z = np.linspace(-700, 700, 2801)
    reference = np.array([exact_sigmoid_prime(x) for x in z])
    assert_array_max_ulp(sigmoid_prime(z), reference, maxulp=6)


def test_sigmoid_prime_is_even_and_largest_at_zero():
    z = np.linspace(-30, 30, 601)
    out = sigmoid_prime(z)
    np.testing.assert_array_equal(out, sigmoid_prime(-z))
    assert out.max() == 0.25
    assert np.all(out[z != 0] < 0.25)


def test_sigmoid_prime_tail_not_rounded_to_zero():
    assert sigmoid_prime(40.0) == pytest.approx(np.exp(-40.0), rel=1e-15)
    assert sigmoid_prime(-700.0) > 0


@pytest.mark.parametrize("z", [1000.0, -1000.0, 1e308, -1e308, np.inf, -np.inf])
def test_sigmoid_prime_no_warning_at_extremes(z):
    assert no_warnings(sigmoid_prime, z) == 0.0


def test_sigmoid_prime_dtype_and_shape():
    z32 = np.zeros((2, 3), dtype=np.float32)
    out = sigmoid_prime(z32)
    assert out.dtype == np.float32 and out.shape == (2, 3)
    assert sigmoid_prime(np.array([1, 2])).dtype == np.float64
    assert np.ndim(sigmoid_prime(1.0)) == 0


def test_sigmoid_prime_rejects_strings():
    with pytest.raises(TypeError, match="real numbers"):
        sigmoid_prime("1")


# ---------------------------------------------------------------- relu


def test_relu_values():
    out = relu(np.array([-3.0, -0.5, 0.0, 0.5, 7.0]))
    np.testing.assert_array_equal(out, [0.0, 0.0, 0.0, 0.5, 7.0])
    assert relu(-2) == 0.0 and relu(2) == 2.0


def test_relu_prime_values():
    out = relu_prime(np.array([-3.0, 0.0, 1e-300, 7.0]))
    np.testing.assert_array_equal(out, [0.0, 0.0, 1.0, 1.0])


def test_relu_dtypes_and_shapes():
    z32 = np.array([[-1.0, 2.0]], dtype=np.float32)
    assert relu(z32).dtype == np.float32 and relu(z32).shape == (1, 2)
    assert relu_prime(z32).dtype == np.float32
    assert relu([1, -1]).dtype == np.float64
    assert relu_prime([1, -1]).dtype == np.float64
    assert np.ndim(relu(3.0)) == 0 and np.ndim(relu_prime(3.0)) == 0


def test_relu_rejects_strings():
    with pytest.raises(TypeError, match="real numbers"):
        relu(["a"])
    with pytest.raises(TypeError, match="real numbers"):
        relu_prime(["a"])
