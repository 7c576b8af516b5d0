"""One weighted sum, one neuron, one layer: values, the W[i, j] convention, bad input."""

import math

import numpy as np
import pytest

from digitnet import layer, neuron, sigmoid, weighted_sum


def logistic(x):
    return 1 / (1 + math.exp(-x))


# ---------------------------------------------------------------- weighted_sum


def test_weighted_sum_hand_computed():
    # 2*1 + (-4)*0.5 + 100*0 = 0
    assert weighted_sum([1.0, 0.5, 0.0], [2.0, -4.0, 100.0]) == 0.0
    # 1*3 + 2*(-1) + 3*0.5 = 2.5
    assert weighted_sum([1, 2, 3], [3, -1, 0.5]) == 2.5
    assert weighted_sum(np.array([0.25]), np.array([8.0])) == 2.0


def test_weighted_sum_returns_python_float():
    out = weighted_sum(np.array([1, 2], dtype=np.float32), np.array([3, 4], dtype=np.float32))
    assert type(out) is float
    assert out == 11.0


def test_weighted_sum_order_of_arguments_does_not_matter_for_value():
    a, w = [0.1, 0.7, 0.2], [5.0, -1.0, 3.0]
    assert weighted_sum(a, w) == pytest.approx(0.1 * 5 - 0.7 + 0.2 * 3)
    assert weighted_sum(a, w) == pytest.approx(weighted_sum(w, a))


def test_weighted_sum_length_mismatch():
    with pytest.raises(ValueError, match=r"same length.*3 activations and 2 weights"):
        weighted_sum([1.0, 2.0, 3.0], [1.0, 2.0])


@pytest.mark.parametrize("argument", ["activations", "weights"])
@pytest.mark.parametrize("bad", [np.ones((2, 2)), 1.0, np.ones((1, 2, 2))])
def test_weighted_sum_wrong_ndim(argument, bad):
    good = np.ones(np.size(bad))
    args = {"activations": good, "weights": good, argument: bad}
    with pytest.raises(ValueError, match=rf"{argument} must be a 1-D vector, got an array of shape"):
        weighted_sum(**args)


@pytest.mark.parametrize("argument", ["activations", "weights"])
@pytest.mark.parametrize("bad_value", [np.nan, np.inf, -np.inf])
def test_weighted_sum_not_finite(argument, bad_value):
    bad = np.array([1.0, bad_value, 0.0])
    args = {"activations": np.ones(3), "weights": np.ones(3), argument: bad}
    with pytest.raises(ValueError, match=rf"{argument} contains NaN or infinite values \(first at index \(1,\)\)"):
        weighted_sum(**args)


@pytest.mark.parametrize("argument", ["activations", "weights"])
@pytest.mark.parametrize(
    ("bad", "match"),
    [
        (["a", "b"], "must hold real numbers, got an array of dtype <U1"),
        (np.array([object(), object()], dtype=object), "must hold real numbers, got an array of dtype object"),
        (np.array([1 + 1j, 2.0]), "must hold real numbers, got complex dtype complex128"),
        ([[1.0], [1.0, 2.0]], "could not be read as a numeric array"),
    ],
)
def test_weighted_sum_non_real(argument, bad, match):
    args = {"activations": [1.0, 1.0], "weights": [1.0, 1.0], argument: bad}
    with pytest.raises(TypeError, match=rf"^{argument} {match}"):
        weighted_sum(**args)


# ---------------------------------------------------------------- neuron


def test_neuron_hand_computed():
    assert neuron([1.0, 1.0], [3.0, 2.0], -5.0) == 0.5  # σ(0)
    assert neuron([1.0, 1.0], [3.0, 2.0], -10.0) == pytest.approx(logistic(-5.0), rel=1e-15)
    assert neuron([0.5, 0.25], [2.0, 4.0], 1.0) == pytest.approx(logistic(3.0), rel=1e-15)
    assert neuron([0.0, 0.0], [7.0, -9.0], 0.0) == 0.5


def test_neuron_returns_python_float_between_0_and_1():
    out = neuron(np.array([1.0, 0.0]), np.array([40.0, 1.0]), np.float64(2.0))
    assert type(out) is float
    assert 0.0 < out <= 1.0


def test_neuron_bias_shifts_threshold():
    a, w = [1.0] * 10, [1.0] * 10  # weighted sum 10
    assert neuron(a, w, -10.0) == 0.5
    assert neuron(a, w, -9.0) > 0.5 > neuron(a, w, -11.0)


def test_neuron_precision_does_not_depend_on_bias_dtype():
    # The weighted sum is a Python float (double precision); a float32 bias
    # must not pull the whole computation down to float32.
    a, w = [1.0], [0.1]
    assert neuron(a, w, np.float32(0.5)) == neuron(a, w, 0.5)
    assert neuron(a, w, np.array(0.5, dtype=np.float32)) == pytest.approx(logistic(0.6), rel=1e-15)


def test_neuron_int_bias():
    assert neuron([1.0], [2.0], -2) == 0.5


def test_neuron_equals_sigmoid_of_weighted_sum_plus_bias():
    rng = np.random.default_rng(3)
    a, w = rng.random(784), rng.normal(size=784) / 28
    b = -0.3
    assert neuron(a, w, b) == pytest.approx(float(sigmoid(weighted_sum(a, w) + b)), rel=1e-15)
    assert neuron(a, w, b) == pytest.approx(logistic(float(np.dot(w, a)) + b), rel=1e-14)


@pytest.mark.parametrize("bias", [[1.0], np.ones(2), np.ones((1, 1))])
def test_neuron_bias_must_be_a_single_number(bias):
    with pytest.raises(ValueError, match="bias of one neuron must be a single number, got shape"):
        neuron([1.0], [1.0], bias)


@pytest.mark.parametrize("bias", [np.nan, np.inf, -np.inf])
def test_neuron_bias_not_finite(bias):
    with pytest.raises(ValueError, match="bias contains NaN or infinite values"):
        neuron([1.0], [1.0], bias)


@pytest.mark.parametrize(
    ("bias", "match"),
    [("1", "an array of dtype <U1"), (1j, "complex dtype"), (None, "an array of dtype object")],
)
def test_neuron_bias_not_real(bias, match):
    with pytest.raises(TypeError, match=f"^bias must hold real numbers, got {match}"):
        neuron([1.0], [1.0], bias)


@pytest.mark.parametrize(
    ("a", "w", "error", "match"),
    [
        ([1.0, 2.0], [1.0], ValueError, "same length"),
        ([[1.0]], [1.0], ValueError, "activations must be a 1-D vector"),
        ([1.0], [[1.0]], ValueError, "weights must be a 1-D vector"),
        ([np.nan], [1.0], ValueError, "activations contains NaN"),
        ([1.0], [np.inf], ValueError, "weights contains NaN or infinite"),
        (["x"], [1.0], TypeError, "activations must hold real numbers"),
        ([1.0], [2j], TypeError, "weights must hold real numbers, got complex"),
    ],
)
def test_neuron_bad_activations_or_weights(a, w, error, match):
    with pytest.raises(error, match=match):
        neuron(a, w, 0.0)


# ---------------------------------------------------------------- layer


W_EXAMPLE = np.array([[1.0, -1.0], [0.0, 2.0], [0.5, 0.5]])  # 2 inputs -> 3 neurons
B_EXAMPLE = np.array([0.0, -1.0, 0.0])


def test_layer_hand_computed_vector():
    out = layer(np.array([1.0, 1.0]), W_EXAMPLE, B_EXAMPLE)
    # W a + b = [0, 1, 1]
    np.testing.assert_allclose(out, [0.5, logistic(1.0), logistic(1.0)], rtol=1e-15)
    assert out.shape == (3,)
    out = layer(np.array([2.0, 0.0]), W_EXAMPLE, B_EXAMPLE)
    # W a + b = [2, -1, 1]
    np.testing.assert_allclose(out, [logistic(2.0), logistic(-1.0), logistic(1.0)], rtol=1e-15)


def test_layer_hand_computed_batch():
    a = np.array([[1.0, 1.0], [0.0, 0.0], [2.0, 0.0]])
    out = layer(a, W_EXAMPLE, B_EXAMPLE)
    assert out.shape == (3, 3)
    expected = [
        [0.5, logistic(1.0), logistic(1.0)],
        [0.5, logistic(-1.0), 0.5],
        [logistic(2.0), logistic(-1.0), logistic(1.0)],
    ]
    np.testing.assert_allclose(out, expected, rtol=1e-15)


def test_layer_weight_convention_w_i_j_from_j_to_i():
    # Only W[2, 0] is non-zero: neuron 0 of the previous layer drives neuron 2 of this one.
    W = np.zeros((3, 4))
    W[2, 0] = 5.0
    b = np.zeros(3)
    out = layer(np.array([1.0, 0.0, 0.0, 0.0]), W, b)
    np.testing.assert_allclose(out, [0.5, 0.5, logistic(5.0)], rtol=1e-15)
    # Lighting up a different input neuron (j = 1) changes nothing.
    out = layer(np.array([0.0, 1.0, 0.0, 0.0]), W, b)
    np.testing.assert_array_equal(out, [0.5, 0.5, 0.5])


def test_layer_row_i_holds_neuron_i_weights():
    rng = np.random.default_rng(7)
    a, W, b = rng.random(6), rng.normal(size=(4, 6)), rng.normal(size=4)
    out = layer(a, W, b)
    for i in range(4):
        assert out[i] == pytest.approx(neuron(a, W[i], b[i]), rel=1e-14)


def test_layer_batch_agrees_row_by_row_with_neuron_loop():
    rng = np.random.default_rng(11)
    A, W, b = rng.random((5, 8)), rng.normal(size=(3, 8)), rng.normal(size=3)
    out = layer(A, W, b)
    assert out.shape == (5, 3)
    for k in range(5):
        np.testing.assert_allclose(out[k], layer(A[k], W, b), rtol=1e-14)
        for i in range(3):
            assert out[k, i] == pytest.approx(neuron(A[k], W[i], b[i]), rel=1e-14)


def test_layer_the_book_shape():
    rng = np.random.default_rng(0)
    a, W, b = rng.random(784), rng.normal(size=(16, 784)) / 28, np.zeros(16)
    out = layer(a, W, b)
    assert out.shape == (16,)
    np.testing.assert_allclose(out, 1 / (1 + np.exp(-(W @ a + b))), rtol=1e-14)


def test_layer_float32_stays_float32():
    a = np.ones(2, dtype=np.float32)
    out = layer(a, W_EXAMPLE.astype(np.float32), B_EXAMPLE.astype(np.float32))
    assert out.dtype == np.float32


def test_layer_accepts_lists():
    out = layer([1.0, 1.0], W_EXAMPLE.tolist(), B_EXAMPLE.tolist())
    np.testing.assert_allclose(out, layer(np.ones(2), W_EXAMPLE, B_EXAMPLE), rtol=0)


def test_layer_b_wrong_length():
    with pytest.raises(ValueError, match=r"b has 2 biases but W has 3 rows"):
        layer(np.ones(2), W_EXAMPLE, np.zeros(2))


@pytest.mark.parametrize("a", [np.ones(3), np.ones((4, 3)), np.ones(1)])
def test_layer_a_wrong_width(a):
    with pytest.raises(ValueError, match=rf"a has {a.shape[-1]} activations per example but W has 2 columns"):
        layer(a, W_EXAMPLE, B_EXAMPLE)


def test_layer_transposed_W_is_caught():
    # A common slip: W stored as (n_in, n_out).
    with pytest.raises(ValueError, match="b has 3 biases but W has 2 rows"):
        layer(np.ones(2), W_EXAMPLE.T, B_EXAMPLE)


@pytest.mark.parametrize(
    ("a", "W", "b", "match"),
    [
        (np.ones(2), np.ones(2), B_EXAMPLE, r"W must be a matrix of shape \(n_out, n_in\), got an array of shape \(2,\)"),
        (np.ones(2), np.ones((3, 2, 1)), B_EXAMPLE, r"W must be a matrix"),
        (np.ones(2), W_EXAMPLE, np.zeros((3, 1)), r"b must be a vector of shape \(n_out,\), got an array of shape \(3, 1\)"),
        (np.ones(2), W_EXAMPLE, 0.0, r"b must be a vector of shape \(n_out,\)"),
        (np.ones((2, 2, 2)), W_EXAMPLE, B_EXAMPLE, r"a must be a vector \(n_in,\) or a batch \(n, n_in\), got an array of shape \(2, 2, 2\)"),
        (1.0, W_EXAMPLE, B_EXAMPLE, r"a must be a vector \(n_in,\) or a batch"),
    ],
)
def test_layer_wrong_ndim(a, W, b, match):
    with pytest.raises(ValueError, match=match):
        layer(a, W, b)


@pytest.mark.parametrize("argument", ["a", "W", "b"])
@pytest.mark.parametrize("bad_value", [np.nan, np.inf, -np.inf])
def test_layer_not_finite(argument, bad_value):
    args = {"a": np.ones(2), "W": W_EXAMPLE.copy(), "b": B_EXAMPLE.copy()}
    args[argument] = args[argument].copy()
    args[argument].flat[-1] = bad_value
    with pytest.raises(ValueError, match=rf"^{argument} contains NaN or infinite values"):
        layer(**args)


@pytest.mark.parametrize("argument", ["a", "W", "b"])
@pytest.mark.parametrize(
    ("make_bad", "match"),
    [
        (lambda x: x.astype(str), "an array of dtype <U"),
        (lambda x: x.astype(object), "an array of dtype object"),
        (lambda x: x.astype(complex), "complex dtype complex128"),
    ],
)
def test_layer_non_real(argument, make_bad, match):
    args = {"a": np.ones(2), "W": W_EXAMPLE, "b": B_EXAMPLE}
    args[argument] = make_bad(args[argument])
    with pytest.raises(TypeError, match=rf"^{argument} must hold real numbers, got {match}"):
        layer(**args)


def test_layer_ragged_input_is_a_type_error():
    with pytest.raises(TypeError, match="a could not be read as a numeric array"):
        layer([[1.0, 1.0], [1.0]], W_EXAMPLE, B_EXAMPLE)
