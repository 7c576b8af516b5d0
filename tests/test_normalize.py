"""normalize: pixel values 0-255 in any of four shapes to input activations 0.0-1.0."""

import numpy as np
import pytest

from digitnet import Network, normalize


@pytest.mark.parametrize(
    ("shape", "expected"),
    [
        ((28, 28), (784,)),
        ((784,), (784,)),
        ((5, 28, 28), (5, 784)),
        ((5, 784), (5, 784)),
        ((1, 28, 28), (1, 784)),
        ((1, 784), (1, 784)),
        ((0, 28, 28), (0, 784)),
        ((0, 784), (0, 784)),
    ],
)
def test_accepted_shapes(shape, expected):
    out = normalize(np.zeros(shape, dtype=np.uint8))
    assert out.shape == expected
    assert out.dtype == np.float64


def test_image_flattened_row_by_row():
    image = np.arange(784).reshape(28, 28) % 256
    out = normalize(image)
    np.testing.assert_array_equal(out, image.ravel() / 255)
    image = np.zeros((28, 28), dtype=np.uint8)
    image[14, 10] = 255
    assert normalize(image)[14 * 28 + 10] == 1.0
    assert normalize(image).sum() == 1.0


def test_batch_rows_are_the_images():
    rng = np.random.default_rng(0)
    batch = rng.integers(0, 256, size=(4, 28, 28), dtype=np.uint8)
    out = normalize(batch)
    for k in range(4):
        np.testing.assert_array_equal(out[k], normalize(batch[k]))
    np.testing.assert_array_equal(normalize(batch.reshape(4, 784)), out)


def test_every_uint8_value_divided_by_255_exactly():
    values = np.arange(256, dtype=np.uint8)
    pixels = np.resize(values, 784)
    out = normalize(pixels)
    np.testing.assert_array_equal(out, pixels.astype(np.float64) / 255.0)
    assert out[0] == 0.0
    assert out[255] == 1.0
    assert out[51] == 0.2
    assert out.min() == 0.0 and out.max() == 1.0


@pytest.mark.parametrize("dtype", [np.uint8, np.int16, np.int64, np.float32, np.float64])
def test_input_dtypes(dtype):
    pixels = np.full((2, 784), 255, dtype=dtype)
    pixels[1] = 0
    out = normalize(pixels)
    assert out.dtype == np.float64
    np.testing.assert_array_equal(out[0], 1.0)
    np.testing.assert_array_equal(out[1], 0.0)


def test_list_input():
    out = normalize([[0] * 784, [255] * 784])
    assert out.shape == (2, 784)
    assert out[1, 0] == 1.0


def test_float32_option():
    pixels = np.resize(np.arange(256, dtype=np.uint8), (28, 28))
    out = normalize(pixels, dtype=np.float32)
    assert out.dtype == np.float32
    np.testing.assert_array_equal(out, pixels.ravel().astype(np.float32) / np.float32(255))
    assert out.max() == np.float32(1.0)
    assert normalize(np.zeros(784), dtype="float32").dtype == np.float32
    assert normalize(np.zeros(784), dtype=np.float64).dtype == np.float64


def test_does_not_modify_input():
    pixels = np.full((28, 28), 200, dtype=np.uint8)
    normalize(pixels)
    assert np.all(pixels == 200)
    floats = np.full(784, 200.0)
    normalize(floats)
    assert np.all(floats == 200.0)


def test_output_feeds_the_network():
    network = Network(seed=0)
    pixels = np.random.default_rng(1).integers(0, 256, size=(3, 28, 28), dtype=np.uint8)
    assert network.feedforward(normalize(pixels)).shape == (3, 10)
    assert type(network.predict(normalize(pixels[0]))) is int


@pytest.mark.parametrize("shape", [(27, 28), (28, 27), (10,), (783,), (785,), (3, 783), (2, 28, 27), (2, 2, 28, 28), (), (784, 1)])
def test_wrong_shape(shape):
    with pytest.raises(ValueError, match=r"pixels must have shape \(28, 28\) or \(784,\) .*got"):
        normalize(np.zeros(shape, dtype=np.uint8))


@pytest.mark.parametrize("bad", [-1, -0.5, 256, 255.5, 1000, 1e300])
def test_values_outside_0_255(bad):
    pixels = np.zeros(784)
    pixels[7] = bad
    with pytest.raises(ValueError, match="pixel values must lie between 0 and 255"):
        normalize(pixels)


def test_negative_integers():
    pixels = np.zeros((28, 28), dtype=np.int8)
    pixels[0, 0] = -3
    with pytest.raises(ValueError, match=r"between 0 and 255, got values from -3"):
        normalize(pixels)


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_not_finite(bad):
    pixels = np.zeros((2, 784))
    pixels[1, 3] = bad
    with pytest.raises(ValueError, match="pixels contains NaN or infinite values"):
        normalize(pixels)


@pytest.mark.parametrize(
    "bad",
    [
        np.array(["0"] * 784),
        ["255"] * 784,
        np.zeros(784, dtype=object),
        np.zeros(784, dtype=complex),
    ],
)
def test_non_numeric(bad):
    with pytest.raises(TypeError, match="pixels must be numeric"):
        normalize(bad)


@pytest.mark.parametrize("dtype", [np.int32, int, np.float16, "float16", "uint8", np.complex64, "nonsense"])
def test_bad_dtype(dtype):
    with pytest.raises(TypeError, match="dtype must be numpy.float32 or numpy.float64"):
        normalize(np.zeros(784), dtype=dtype)


def test_huge_value_with_float32_is_a_value_error_not_a_warning():
    # 1e300 does not fit in float32: it must be reported as too large, not as an
    # overflow RuntimeWarning followed by "NaN or infinite".
    with pytest.raises(ValueError, match="too large|between 0 and 255"):
        normalize(np.full(784, 1e300), dtype=np.float32)


def test_activations_are_not_divided_by_255_again():
    """A prepared digit is 0.0-1.0 already: normalize says so instead of dividing again."""
    from digitnet.datasets import load_sample
    from digitnet.images import prepare_digit

    digit = prepare_digit(load_sample()[0][0])
    with pytest.raises(ValueError, match=r"activations 0.0-1.0 already.*reshape\(-1\)"):
        normalize(digit)
    assert not normalize(np.zeros((28, 28))).any()      # all black: fine either way
