"""The Network: construction, feedforward, predict, counting parameters, save and load."""

import gc
import os
import pickle
import warnings
import zipfile

import numpy as np
import pytest

from digitnet import Network, layer
from digitnet.network import ParameterRow, ParameterTable

from conftest import assert_same_network, flip_byte

BOOK = (784, 16, 16, 10)


@pytest.fixture(scope="module")
def net():
    """The book's network with fixed random weights and non-zero biases."""
    network = Network(seed=1)
    rng = np.random.default_rng(2)
    network.biases = [rng.normal(size=b.shape) for b in network.biases]
    return network


@pytest.fixture(scope="module")
def images():
    return np.random.default_rng(3).random((6, 784))


# ---------------------------------------------------------------- construction


def test_default_sizes_are_the_books():
    network = Network()
    assert network.sizes == BOOK
    assert type(network.sizes) is tuple
    assert all(type(n) is int for n in network.sizes)


def test_weight_and_bias_shapes():
    network = Network(BOOK, seed=0)
    assert [W.shape for W in network.weights] == [(16, 784), (16, 16), (10, 16)]
    assert [b.shape for b in network.biases] == [(16,), (16,), (10,)]
    assert network.dtype == np.float64
    assert all(W.dtype == np.float64 for W in network.weights + network.biases)


def test_biases_start_at_zero():
    network = Network(BOOK, seed=0)
    assert all(np.array_equal(b, np.zeros_like(b)) for b in network.biases)


def test_other_sizes():
    network = Network([3, 5, 2], seed=0)
    assert network.sizes == (3, 5, 2)
    assert [W.shape for W in network.weights] == [(5, 3), (2, 5)]
    network = Network(np.array([4, 1]), seed=0)
    assert network.sizes == (4, 1)
    assert all(type(n) is int for n in network.sizes)


def test_seed_reproducible():
    assert_same_network(Network(seed=42), Network(seed=42))


def test_different_seeds_differ():
    a, b = Network(seed=1), Network(seed=2)
    for W, V in zip(a.weights, b.weights):
        assert not np.array_equal(W, V)


def test_no_seed_differs_between_networks():
    assert not np.array_equal(Network().weights[0], Network().weights[0])


def test_init_std_is_one_over_sqrt_n_in():
    network = Network(BOOK, seed=123)
    W = network.weights[0]  # 12,544 draws with std 1/28
    assert abs(W.mean()) < 0.05 / 28
    assert W.std() == pytest.approx(1 / np.sqrt(784), rel=0.05)
    # Not N(0, 1): that would be 28 times larger.
    assert W.std() < 0.1
    # Layers 2 and 3 hold only 256 and 160 weights: one network's sample std is
    # off by 1/sqrt(2n) = 4.4% and 5.6% (one standard error), and by more than
    # 10% for 7% of seeds. Pooled over 20 networks (5,120 and 3,200 draws) the
    # standard error is 1.0% and 1.25%, so rel=0.05 is four of them (the worst of
    # 300 such pools is 3.4% off). It tells 1/sqrt(n_in) = 0.25 from
    # 1/sqrt(n_out) = 0.32 for the 10x16 layer.
    pooled = [Network(BOOK, seed=seed).weights for seed in range(123, 143)]
    for l, n_in in [(1, 16), (2, 16)]:
        W = np.concatenate([weights[l].ravel() for weights in pooled])
        assert W.size == 20 * BOOK[l + 1] * n_in
        assert W.std() == pytest.approx(1 / np.sqrt(n_in), rel=0.05)


def test_init_keeps_first_hidden_sums_of_order_one():
    # Inputs uniform on [0, 1] have E[x^2] = 1/3, so z = W x has std sqrt(1/3) ≈ 0.58
    # with std 1/sqrt(784) weights; N(0, 1) weights would give sqrt(784/3) ≈ 16.
    network = Network(BOOK, seed=5)
    x = np.random.default_rng(0).random((200, 784))
    z = x @ network.weights[0].T
    assert z.std() == pytest.approx(np.sqrt(1 / 3), rel=0.25)


@pytest.mark.parametrize("dtype", [np.float32, "float32", np.dtype("float32")])
def test_float32_network_keeps_everything_float32(dtype, images):
    network = Network(BOOK, seed=0, dtype=dtype)
    assert network.dtype == np.float32
    assert all(W.dtype == np.float32 for W in network.weights)
    assert all(b.dtype == np.float32 for b in network.biases)
    for x in (images[0], images, images.astype(np.float32), images[0].tolist()):
        assert network.feedforward(x).dtype == np.float32
        assert all(a.dtype == np.float32 for a in network.activations(x))


def test_float32_and_float64_agree(images):
    n64 = Network(BOOK, seed=9)
    n32 = Network(BOOK, seed=9, dtype=np.float32)
    np.testing.assert_allclose(n32.feedforward(images), n64.feedforward(images), atol=1e-5)


@pytest.mark.parametrize("dtype", [int, np.int32, "float16", np.float16, np.complex128, bool])
def test_bad_dtype(dtype):
    with pytest.raises(TypeError, match="dtype must be numpy.float32 or numpy.float64"):
        Network((2, 2), dtype=dtype)


def test_unknown_dtype_name():
    with pytest.raises(TypeError, match="dtype must be numpy.float32 or numpy.float64, got 'nonsense'"):
        Network((2, 2), dtype="nonsense")


@pytest.mark.parametrize(
    ("sizes", "error", "match"),
    [
        (784, TypeError, r"sizes must be a sequence of layer sizes such as \(784, 16, 16, 10\), got 784"),
        (None, TypeError, "sizes must be a sequence"),
        ((784,), ValueError, r"at least two layers \(an input and an output\), got \(784,\)"),
        ((), ValueError, "at least two layers"),
        ((784, 0, 10), ValueError, r"sizes\[1\] must be a positive integer, got 0"),
        ((784, 16, -10), ValueError, r"sizes\[2\] must be a positive integer, got -10"),
        ((784, 16.0, 10), TypeError, r"sizes\[1\] must be a positive integer, got 16.0"),
        ((784, True, 10), TypeError, r"sizes\[1\] must be a positive integer, got True"),
        ((np.bool_(True), 10), TypeError, r"sizes\[0\] must be a positive integer"),
        ((784, "16", 10), TypeError, r"sizes\[1\] must be a positive integer, got '16'"),
        ((784, None), TypeError, r"sizes\[1\] must be a positive integer, got None"),
    ],
)
def test_bad_sizes(sizes, error, match):
    with pytest.raises(error, match=match):
        Network(sizes)


def test_repr():
    assert repr(Network((3, 2), dtype=np.float32)) == "Network(sizes=(3, 2), dtype=float32)"


# ---------------------------------------------------------------- feedforward


def test_feedforward_one_vector_and_batch_shapes(net, images):
    assert net.feedforward(images[0]).shape == (10,)
    assert net.feedforward(images).shape == (6, 10)
    assert net.feedforward(images[:1]).shape == (1, 10)


def test_feedforward_outputs_between_0_and_1(net, images):
    out = net.feedforward(images)
    assert np.all((out > 0) & (out < 1))


def test_batch_rows_equal_single_results(net, images):
    batch = net.feedforward(images)
    for k, x in enumerate(images):
        np.testing.assert_allclose(batch[k], net.feedforward(x), rtol=1e-13, atol=0)


def test_activations_layers_input_first(net, images):
    layers = net.activations(images[0])
    assert len(layers) == len(BOOK)
    assert [a.shape for a in layers] == [(784,), (16,), (16,), (10,)]
    np.testing.assert_array_equal(layers[0], images[0])
    batch = net.activations(images)
    assert [a.shape for a in batch] == [(6, 784), (6, 16), (6, 16), (6, 10)]


def test_activations_match_manual_layer_by_layer(net, images):
    for x in (images[0], images):
        expected = [x]
        for W, b in zip(net.weights, net.biases):
            expected.append(layer(expected[-1], W, b))
        got = net.activations(x)
        for e, g in zip(expected, got):
            np.testing.assert_allclose(g, e, rtol=1e-14, atol=0)
        np.testing.assert_array_equal(net.feedforward(x), got[-1])


def test_feedforward_hand_computed():
    network = Network((3, 2), seed=0)
    network.weights[0] = np.array([[1.0, 0.0, 0.0], [0.0, -2.0, 1.0]])
    network.biases[0] = np.array([0.0, 0.5])
    out = network.feedforward(np.array([1.0, 1.0, 0.5]))
    # z = [1, -2 + 0.5 + 0.5] = [1, -1]
    np.testing.assert_allclose(out, 1 / (1 + np.exp(-np.array([1.0, -1.0]))), rtol=1e-15)


def test_feedforward_does_not_modify_input(net, images):
    x = images.copy()
    net.feedforward(x)
    np.testing.assert_array_equal(x, images)


def test_feedforward_accepts_a_list(net, images):
    np.testing.assert_array_equal(net.feedforward(images[0].tolist()), net.feedforward(images[0]))


# ---------------------------------------------------------------- predict


def test_predict_one_input_is_python_int(net, images):
    digit = net.predict(images[0])
    assert type(digit) is int
    assert digit == int(np.argmax(net.feedforward(images[0])))
    assert 0 <= digit <= 9


def test_predict_batch_is_int_array_equal_to_argmax(net, images):
    digits = net.predict(images)
    assert isinstance(digits, np.ndarray)
    assert np.issubdtype(digits.dtype, np.integer)
    assert digits.shape == (6,)
    np.testing.assert_array_equal(digits, np.argmax(net.feedforward(images), axis=1))
    assert [net.predict(x) for x in images] == digits.tolist()


def test_predict_picks_the_neuron_with_the_largest_bias():
    network = Network((2, 3), seed=0)
    network.weights[0][:] = 0
    network.biases[0] = np.array([0.0, 5.0, 1.0])
    assert network.predict(np.zeros(2)) == 1
    network.biases[0] = np.array([0.0, 1.0, 5.0])
    assert network.predict(np.zeros(2)) == 2
    np.testing.assert_array_equal(network.predict(np.zeros((4, 2))), [2, 2, 2, 2])


# ---------------------------------------------------------------- input errors


@pytest.mark.parametrize("method", ["feedforward", "activations", "predict"])
@pytest.mark.parametrize("shape", [(783,), (785,), (5, 10), (784, 1), ()])
def test_wrong_input_width(net, method, shape):
    with pytest.raises(ValueError, match=r"x must have shape \(784,\) for one input or \(n, 784\) for a batch"):
        getattr(net, method)(np.zeros(shape))


@pytest.mark.parametrize("shape, flatten", [((28, 28), "x.reshape(-1)"), ((5, 28, 28), "x.reshape(-1, 784)")])
def test_prepared_image_gets_the_reshape_hint(net, shape, flatten):
    """Activations 0-1 in 28x28 form (e.g. from prepare_digit) need only flattening:
    normalize would divide them by 255 a second time."""
    x = np.random.default_rng(0).random(shape)
    with pytest.raises(ValueError) as info:
        net.feedforward(x)
    message = str(info.value)
    assert f"got {shape}; flatten it with {flatten}" in message and "normalize" not in message
    flat = eval(flatten)   # the hint, as given, makes an input: one output row per image
    assert net.feedforward(flat).shape == shape[:-2] + (10,)


@pytest.mark.parametrize("dtype", [np.uint8, np.float64])
@pytest.mark.parametrize("shape", [(28, 28), (5, 28, 28)])
def test_image_of_pixels_0_255_gets_the_normalize_hint(net, shape, dtype):
    x = np.random.default_rng(0).integers(0, 256, shape).astype(dtype)
    with pytest.raises((TypeError, ValueError), match=r"digitnet\.normalize\(pixels\)") as info:
        net.feedforward(x)
    assert "reshape" not in str(info.value)


@pytest.mark.parametrize("method", ["feedforward", "activations", "predict"])
@pytest.mark.parametrize("rows", [None, 1, 3 * 1024 + 5])
def test_float_pixels_0_255_are_refused(method, rows):
    """Float pixels 0-255 are not activations: taken as such, they saturate every
    first-layer neuron. The check reaches the last block of a big batch too."""
    net = Network(seed=0, dtype=np.float32)
    x = np.zeros(784 if rows is None else (rows, 784), dtype=np.float32)
    x[..., 400] = 255.0
    if rows is not None:
        x[:-1] = 0.5   # only the last row is wrong
    with pytest.raises(ValueError) as info:
        getattr(net, method)(x)
    assert str(info.value) == (
        "x: float pixels must lie between 0.0 and 1.0, got values up to 255.0; divide by 255, "
        "or turn pixels 0-255 into activations with digitnet.normalize(pixels)"
    )


@pytest.mark.parametrize("low, high, found, fix", [
    (-0.5, 1.0, "down to -0.5", "divide by 255"),
    (0.0, 1.0001, "up to 1.0001", r"clip them to 0.0-1.0 with numpy.clip\(x, 0.0, 1.0\)"),
    (-2.0, 3.0, "down to -2.0 and up to 3.0", "divide by 255"),
])
def test_input_outside_0_1_is_refused(net, low, high, found, fix):
    x = np.full((4, 784), 0.25)
    x[1, 5], x[2, 9] = low, high
    with pytest.raises(ValueError, match=f"got values {found}; {fix}"):
        net.feedforward(x)


def test_input_at_the_ends_of_0_1_is_accepted(net):
    x = np.zeros((2, 784))
    x[0] = 1.0
    x[1] = -0.0     # negative zero is zero
    np.testing.assert_array_equal(net.feedforward(x), net.feedforward(np.abs(x)))


def test_no_image_hint_for_other_shapes(net):
    with pytest.raises(ValueError) as info:
        net.feedforward(np.zeros(10))
    assert "normalize" not in str(info.value)


def test_three_dimensional_input_rejected(net):
    with pytest.raises(ValueError, match="x must have shape"):
        net.feedforward(np.zeros((2, 3, 784)))


@pytest.mark.parametrize("bad_value", [np.nan, np.inf, -np.inf])
@pytest.mark.parametrize("batch", [False, True])
def test_input_not_finite(net, bad_value, batch):
    x = np.zeros((3, 784)) if batch else np.zeros(784)
    x.flat[100] = bad_value
    with pytest.raises(ValueError, match="x contains NaN or infinite values"):
        net.feedforward(x)


def test_input_not_finite_in_a_big_batch_names_its_row(net):
    # A batch bigger than one block goes through in blocks of rows: the error
    # must still name the position in the whole batch, not within the block.
    from digitnet.network import BLOCK

    x = np.zeros((2 * BLOCK + 5, 784))
    x[BLOCK + 3, 7] = np.nan
    with pytest.raises(ValueError, match=rf"first at index \({BLOCK + 3}, 7\)"):
        net.feedforward(x)


def test_big_batch_in_blocks_equals_row_by_row_blocks(net):
    from digitnet.network import BLOCK

    x = np.random.default_rng(0).random((2 * BLOCK + 5, 784))
    whole = net.activations(x)
    assert [a.shape for a in whole] == [(2 * BLOCK + 5, n) for n in net.sizes]
    for k in (0, BLOCK - 1, BLOCK, 2 * BLOCK + 4):
        alone = net.activations(x[k : k + 1])
        for a, b in zip(whole, alone):
            np.testing.assert_allclose(a[k], b[0], rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("dtype", [np.uint8, np.int64, np.int32, bool])
def test_integer_input_points_to_normalize(net, dtype):
    with pytest.raises(TypeError, match=r"integer dtype .*digitnet\.normalize"):
        net.feedforward(np.zeros(784, dtype=dtype))


def test_integer_list_input_points_to_normalize(net):
    with pytest.raises(TypeError, match="normalize"):
        net.predict([0] * 784)


@pytest.mark.parametrize(
    ("x", "match"),
    [
        (np.array(["0.5"] * 784), "x must hold real numbers"),
        (np.zeros(784, dtype=object), "x must hold real numbers"),
        (np.zeros(784, dtype=complex), "complex"),
    ],
)
def test_non_real_input(net, x, match):
    with pytest.raises(TypeError, match=match):
        net.feedforward(x)


def test_float32_network_rejects_values_too_large_for_float32():
    network = Network((3, 2), seed=0, dtype=np.float32)
    with pytest.raises(ValueError, match="x holds values too large for float32"):
        network.feedforward(np.array([0.0, 1e300, 0.0]))


def test_errors_name_the_network_input_size():
    network = Network((5, 2), seed=0)
    with pytest.raises(ValueError, match=r"\(5,\) for one input or \(n, 5\) for a batch, got \(4,\)"):
        network.feedforward(np.zeros(4))


# ---------------------------------------------------------------- counting parameters


def test_parameter_count_of_the_book_network():
    count = Network(BOOK).parameter_count()
    assert count == 13002
    assert type(count) is int


@pytest.mark.parametrize("sizes", [(3, 2), (784, 30, 10), (10, 1, 10), (1, 1), (5, 4, 3, 2, 1)])
def test_parameter_count_formula(sizes):
    expected = sum(n_in * n_out + n_out for n_in, n_out in zip(sizes[:-1], sizes[1:]))
    network = Network(sizes, seed=0)
    assert network.parameter_count() == expected
    assert network.parameter_count() == sum(W.size + b.size for W, b in zip(network.weights, network.biases))
    assert network.parameter_table().total == expected


def test_parameter_table_rows_and_totals():
    table = Network(BOOK).parameter_table()
    assert isinstance(table, ParameterTable)
    assert [(r.from_size, r.to_size) for r in table.rows] == [(784, 16), (16, 16), (16, 10)]
    assert [(r.weights, r.biases) for r in table.rows] == [(12544, 16), (256, 16), (160, 10)]
    assert [r.subtotal for r in table.rows] == [12560, 272, 170]
    assert (table.weights, table.biases, table.total) == (12960, 42, 13002)


def test_parameter_row():
    row = ParameterRow(from_size=16, to_size=10, weights=160, biases=10)
    assert row.subtotal == 170


def test_parameter_table_text():
    text = str(Network(BOOK).parameter_table())
    assert "13,002" in text
    assert "12,544" in text
    assert "12,960" in text
    lines = text.splitlines()
    assert len(lines) == 5  # header, three rows, total
    assert lines[0].split() == ["from", "to", "weights", "biases", "subtotal"]
    assert lines[1].split() == ["784", "16", "12,544", "16", "12,560"]
    assert lines[-1].split() == ["total", "12,960", "42", "13,002"]
    assert repr(Network(BOOK).parameter_table()) == text


def test_parameter_table_html():
    html = Network(BOOK).parameter_table()._repr_html_()
    assert html.startswith("<table") and html.endswith("</table>")
    assert "<table" in html and "<thead>" in html and "<tfoot>" in html
    assert html.count("<tr>") == 5
    assert "<td>12,544</td>" in html
    # The totals row: its label is a row header, the totals are data cells.
    assert '<tfoot><tr><th scope="row">total</th><td></td><td>12,960</td><td>42</td><td>13,002</td></tr></tfoot>' in html
    assert html.count('<th scope="col">') == 5 and html.count("<th ") == 6
    assert "<caption>The weights and biases of a 784-16-16-10 network" in html


def test_parameter_table_rejects_bad_sizes():
    with pytest.raises(ValueError, match="at least two layers"):
        ParameterTable((784,))


# ---------------------------------------------------------------- save and load


# assert_same_network (sizes, dtype and every array bit for bit) is in conftest.py.


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_save_load_round_trip_exact(tmp_path, dtype, images):
    network = Network(BOOK, seed=4, dtype=dtype)
    rng = np.random.default_rng(5)
    network.biases = [rng.normal(size=b.shape).astype(dtype) for b in network.biases]
    path = tmp_path / "net.npz"
    network.save(path)
    again = Network.load(path)
    assert_same_network(network, again)
    assert again.dtype == dtype
    np.testing.assert_array_equal(again.feedforward(images), network.feedforward(images))


def test_save_load_with_str_path_and_other_sizes(tmp_path):
    network = Network((4, 3, 2), seed=1)
    path = str(tmp_path / "small.npz")
    network.save(path)
    assert_same_network(network, Network.load(path))


def test_save_writes_a_plain_npz(tmp_path):
    network = Network((4, 3, 2), seed=1)
    path = tmp_path / "net.npz"
    network.save(path)
    with np.load(path, allow_pickle=False) as archive:
        assert sorted(archive.files) == ["W0", "W1", "b0", "b1", "sizes"]
        np.testing.assert_array_equal(archive["sizes"], [4, 3, 2])
        np.testing.assert_array_equal(archive["W1"], network.weights[1])


def test_save_leaves_no_temporary_files(tmp_path):
    Network((4, 2), seed=1).save(tmp_path / "net.npz")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["net.npz"]


def test_save_refuses_to_overwrite(tmp_path):
    path = tmp_path / "net.npz"
    path.write_bytes(b"precious bytes")
    with pytest.raises(FileExistsError, match="overwrite=True"):
        Network((4, 2), seed=1).save(path)
    assert path.read_bytes() == b"precious bytes"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["net.npz"]


def test_save_refuses_to_overwrite_a_saved_network(tmp_path):
    path = tmp_path / "net.npz"
    first = Network((4, 2), seed=1)
    first.save(path)
    before = path.read_bytes()
    with pytest.raises(FileExistsError):
        Network((4, 2), seed=2).save(path)
    assert path.read_bytes() == before
    assert_same_network(first, Network.load(path))


def test_save_overwrite_true_replaces(tmp_path):
    path = tmp_path / "net.npz"
    path.write_bytes(b"old")
    second = Network((4, 2), seed=2)
    second.save(path, overwrite=True)
    assert_same_network(second, Network.load(path))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["net.npz"]


def test_save_into_missing_folder_fails_cleanly(tmp_path):
    with pytest.raises(FileNotFoundError):
        Network((4, 2), seed=1).save(tmp_path / "no" / "such" / "net.npz")
    assert list(tmp_path.iterdir()) == []


def test_load_missing_file(tmp_path):
    with pytest.raises(FileNotFoundError):
        Network.load(tmp_path / "missing.npz")


class _MakesMarker:
    """Unpickling this calls ``os.mkdir(marker)``: proof that code ran."""

    def __init__(self, marker):
        self.marker = str(marker)

    def __reduce__(self):
        return (os.mkdir, (self.marker,))


def test_the_pickle_payload_really_runs_code(tmp_path):
    # A control for the two tests below: unpickling the payload does create the marker.
    marker = tmp_path / "control"
    pickle.loads(pickle.dumps(_MakesMarker(marker)))
    assert marker.exists()


def test_load_refuses_a_pickle_without_running_it(tmp_path):
    marker = tmp_path / "pwned"
    path = tmp_path / "net.pkl"
    with open(path, "wb") as file:
        pickle.dump(_MakesMarker(marker), file)
    with pytest.raises(ValueError, match="is a Python pickle, which digitnet never loads"):
        Network.load(path)
    assert not marker.exists()


def test_load_refuses_a_pickled_network(tmp_path):
    path = tmp_path / "net.npz"
    with open(path, "wb") as file:
        pickle.dump({"sizes": np.array([2, 2]), "W0": np.eye(2), "b0": np.zeros(2)}, file)
    with pytest.raises(ValueError, match="is a Python pickle, which digitnet never loads"):
        Network.load(path)


def test_load_refuses_an_npz_holding_object_arrays_without_running_them(tmp_path):
    marker = tmp_path / "pwned"
    path = tmp_path / "net.npz"
    payload = np.empty(1, dtype=object)
    payload[0] = _MakesMarker(marker)
    np.savez(path, sizes=np.array([2, 2]), W0=payload, b0=np.zeros(2))
    with pytest.raises(ValueError, match="holds pickled Python objects, which digitnet never loads"):
        Network.load(path)
    assert not marker.exists()


@pytest.mark.parametrize(
    "content",
    [b"hello, this is a text file\n", b"", b"\x00" * 100, b"PK\x03\x04 not really a zip"],
    ids=["text", "empty", "zeros", "fake-zip-header"],
)
def test_load_refuses_garbage(tmp_path, content):
    path = tmp_path / "net.npz"
    path.write_bytes(content)
    with pytest.raises(ValueError, match=r"is not a (readable )?\.npz weights file"):
        Network.load(path)


def test_load_text_file_is_not_called_a_pickle(tmp_path):
    path = tmp_path / "weights.txt"
    path.write_text("0.1 0.2 0.3\n")
    with pytest.raises(ValueError) as info:
        Network.load(path)
    assert "holds pickled" not in str(info.value)
    assert "not a .npz weights file" in str(info.value)


def test_load_refuses_a_lone_npy_array(tmp_path):
    path = tmp_path / "W0.npy"
    np.save(path, np.zeros((16, 784)))
    with pytest.raises(ValueError, match="single .npy array"):
        Network.load(path)


def test_load_refuses_a_folder(tmp_path):
    with pytest.raises(ValueError, match="not a readable .npz weights file"):
        Network.load(tmp_path)


@pytest.mark.parametrize("keep", [0.1, 0.5, 0.9, 0.99])
def test_load_refuses_a_truncated_npz(tmp_path, keep):
    good = tmp_path / "good.npz"
    Network(BOOK, seed=0).save(good)
    data = good.read_bytes()
    path = tmp_path / "truncated.npz"
    path.write_bytes(data[: int(len(data) * keep)])
    with pytest.raises(ValueError, match="not a readable .npz weights file"):
        Network.load(path)


def test_load_refuses_a_corrupted_npz(tmp_path):
    good = tmp_path / "good.npz"
    Network((50, 40, 10), seed=0).save(good)
    path = tmp_path / "bad.npz"
    path.write_bytes(flip_byte(good.read_bytes()))  # inside the weights: the CRC no longer matches
    with pytest.raises(ValueError, match="not a readable .npz weights file"):
        Network.load(path)


def good_arrays(sizes=(4, 3, 2), dtype=np.float64):
    network = Network(sizes, seed=0, dtype=dtype)
    arrays = {"sizes": np.array(sizes)}
    for l, (W, b) in enumerate(zip(network.weights, network.biases)):
        arrays[f"W{l}"], arrays[f"b{l}"] = W, b
    return arrays


def write(tmp_path, arrays):
    path = tmp_path / "net.npz"
    np.savez(path, **arrays)
    return path


def test_hand_written_archive_loads(tmp_path):
    # The helpers below build valid files; each test breaks one thing.
    network = Network.load(write(tmp_path, good_arrays()))
    assert network.sizes == (4, 3, 2)


@pytest.mark.parametrize(
    ("change", "match"),
    [
        (lambda a: a.pop("sizes"), "not a digitnet weights file: it has no 'sizes' array"),
        (lambda a: a.pop("W1"), r"array 'W1' is missing for sizes \(4, 3, 2\)"),
        (lambda a: a.pop("b0"), r"array 'b0' is missing"),
        (lambda a: a.update(W0=np.zeros((4, 3))), r"W0 has shape \(4, 3\), but sizes \(4, 3, 2\) need \(3, 4\)"),
        (lambda a: a.update(b1=np.zeros(3)), r"b1 has shape \(3,\), but sizes .* need \(2,\)"),
        (lambda a: a.update(W0=np.zeros((3, 4), dtype=np.int64)), "W0 has dtype int64; expected float32 or float64"),
        (lambda a: a.update(b0=np.zeros(3, dtype=np.float16)), "b0 has dtype float16"),
        (lambda a: a.update(W1=np.zeros((2, 3), dtype=complex)), "W1 has dtype complex128"),
        (lambda a: a["W0"].__setitem__((0, 0), np.nan), "W0 contains NaN or infinite values"),
        (lambda a: a["b1"].__setitem__(1, np.inf), "b1 contains NaN or infinite values"),
        (lambda a: a.update(W2=np.zeros((2, 2))), r"unexpected arrays \['W2'\]"),
        (lambda a: a.update(notes=np.zeros(1)), r"unexpected arrays \['notes'\]"),
        (lambda a: a.update(b0=a["b0"].astype(np.float32)), "mix dtypes"),
        (lambda a: a.update(sizes=np.array([4.0, 3.0, 2.0])), "'sizes' must be a 1-D integer array"),
        (lambda a: a.update(sizes=np.array(["4", "3", "2"])), "'sizes' must be a 1-D integer array"),
        (lambda a: a.update(sizes=np.array([[4, 3, 2]])), "'sizes' must be a 1-D integer array"),
        (lambda a: a.update(sizes=np.array([True, True])), "'sizes' must be a 1-D integer array"),
        (lambda a: a.update(sizes=np.array(4)), "'sizes' must be a 1-D integer array"),
        (lambda a: a.update(sizes=np.array([4])), "at least two layers"),
        (lambda a: a.update(sizes=np.array([4, 0, 2])), r"sizes\[1\] must be a positive integer"),
        (lambda a: a.update(sizes=np.array([4, 3, 2, 1])), r"array 'W2' is missing"),
        (lambda a: a.update(sizes=np.array([4, 3])), r"unexpected arrays \['W1', 'b1'\]"),
    ],
)
def test_load_refuses_bad_contents(tmp_path, change, match):
    arrays = good_arrays()
    arrays = {k: v.copy() for k, v in arrays.items()}
    change(arrays)
    path = write(tmp_path, arrays)
    with pytest.raises(ValueError, match=match):
        Network.load(path)


def test_load_error_names_the_file(tmp_path):
    arrays = good_arrays()
    arrays["W0"] = np.zeros((4, 3))
    path = write(tmp_path, arrays)
    with pytest.raises(ValueError) as info:
        Network.load(path)
    assert str(path) in str(info.value)


def test_load_accepts_other_integer_sizes_dtype(tmp_path):
    arrays = good_arrays()
    arrays["sizes"] = arrays["sizes"].astype(np.uint16)
    network = Network.load(write(tmp_path, arrays))
    assert network.sizes == (4, 3, 2)
    assert all(type(n) is int for n in network.sizes)


def test_load_compressed_archive(tmp_path):
    arrays = good_arrays(dtype=np.float32)
    path = tmp_path / "net.npz"
    np.savez_compressed(path, **arrays)
    network = Network.load(path)
    assert network.dtype == np.float32
    np.testing.assert_array_equal(network.weights[0], arrays["W0"])


def _open_descriptors():
    return len(os.listdir("/proc/self/fd"))


@pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="no /proc/self/fd to count open files")
def test_loaded_file_is_closed(tmp_path):
    # Loading, successful or refused, leaves no file open: the count of this
    # process's open descriptors is unchanged, and no file is closed late by the
    # garbage collector (which would warn "unclosed file").
    path = tmp_path / "net.npz"
    Network((4, 2), seed=1).save(path)
    truncated = tmp_path / "truncated.npz"
    truncated.write_bytes(path.read_bytes()[:-30])  # a broken zip: np.load itself would leak it
    pickled = tmp_path / "net.pkl"
    pickled.write_bytes(pickle.dumps({"W0": np.eye(2)}))
    Network.load(path)  # warm up: imports and caches open nothing more later
    gc.collect()
    before = _open_descriptors()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ResourceWarning)
        for _ in range(5):
            Network.load(path)
        for bad in (truncated, pickled):
            for _ in range(5):
                with pytest.raises(ValueError):
                    Network.load(bad)
        after = _open_descriptors()
        assert after == before, f"{after - before} more file(s) open after loading"
        gc.collect()
    assert [str(w.message) for w in caught if issubclass(w.category, ResourceWarning)] == []
    # Loading then replacing the file must work (the archive is not left open).
    Network((4, 2), seed=2).save(path, overwrite=True)
    assert zipfile.is_zipfile(path)


def test_huge_weighted_sums_are_not_mistaken_for_nan():
    # The weighted sums overflow to inf in float32; the input itself is finite.
    net = Network((784, 16, 16, 10), seed=0, dtype=np.float32)
    net.weights[0][:] = 1e37
    with np.errstate(over="ignore"):
        out = net.feedforward(np.full(784, 1.0, dtype=np.float32))
    assert out.shape == (10,) and np.all(np.isfinite(out))


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_a_single_bad_input_in_a_batch_is_found(bad):
    net = Network((784, 16, 16, 10), seed=0)
    x = np.zeros((5, 784))
    x[3, 100] = bad
    with pytest.raises(ValueError, match=r"x contains NaN or infinite values \(first at index \(3, 100\)\)"):
        net.feedforward(x)
