"""Backpropagation against finite differences, and SGD's reproducibility, dtype and errors."""

import numpy as np
import pytest

from digitnet import Network
from digitnet.training import (
    CrossEntropyCost,
    History,
    QuadraticCost,
    confusion_matrix,
    evaluate,
    get_cost,
    gradients,
    train,
)

SIZES = (6, 5, 4, 3)


def small_batch(n=7, seed=1):
    rng = np.random.default_rng(seed)
    return rng.random((n, SIZES[0])), rng.integers(0, SIZES[-1], n)


def mean_cost(network, images, labels, cost):
    a = network.feedforward(images)
    y = np.eye(network.sizes[-1])[labels]
    return float(np.mean(get_cost(cost).value(a, y)))


def numerical_gradients(network, images, labels, cost, h=1e-6):
    """Central differences ``(C(p + h) - C(p - h)) / 2h`` for every parameter."""
    result = []
    for group in (network.weights, network.biases):
        grads = []
        for p in group:
            g = np.zeros_like(p)
            for index in np.ndindex(p.shape):
                saved = p[index]
                p[index] = saved + h
                plus = mean_cost(network, images, labels, cost)
                p[index] = saved - h
                minus = mean_cost(network, images, labels, cost)
                p[index] = saved
                g[index] = (plus - minus) / (2 * h)
            grads.append(g)
        result.append(grads)
    return result


def relative_error(a, b):
    return np.linalg.norm(a - b) / max(np.linalg.norm(a) + np.linalg.norm(b), 1e-300)


@pytest.mark.parametrize("cost", ["quadratic", "cross-entropy"])
def test_gradients_match_finite_differences(cost):
    net = Network(SIZES, seed=3)
    for b in net.biases:  # non-zero biases, so their gradient is tested in general position
        b[:] = np.random.default_rng(4).normal(size=b.shape)
    images, labels = small_batch()
    nabla_w, nabla_b = gradients(net, images, labels, cost=cost)
    numeric_w, numeric_b = numerical_gradients(net, images, labels, cost)
    for analytic, numeric in zip(nabla_w + nabla_b, numeric_w + numeric_b):
        assert analytic.shape == numeric.shape
        assert relative_error(analytic, numeric) < 1e-6


def test_l2_step_is_the_gradient_of_the_regularised_cost():
    # One full-batch step with momentum 0 and lmbda > 0 moves W by
    # -eta * (dC0/dW + lmbda/n W): the gradient of C0 + lmbda/(2n) Σ w².
    net = Network(SIZES, seed=5)
    images, labels = small_batch(n=8)
    lmbda, eta = 0.7, 0.1
    before = [W.copy() for W in net.weights]
    nabla_w, _ = gradients(net, images, labels, cost="cross-entropy")
    train(net, images, labels, epochs=1, batch_size=8, eta=eta, cost="cross-entropy",
          lmbda=lmbda, seed=0)
    for W0, W1, g in zip(before, net.weights, nabla_w):
        np.testing.assert_allclose(W1, W0 - eta * (g + lmbda / 8 * W0), rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("cost", ["quadratic", "cross-entropy"])
def test_batch_gradient_is_mean_of_per_example_gradients(cost):
    net = Network(SIZES, seed=0)
    images, labels = small_batch(n=5)
    nabla_w, nabla_b = gradients(net, images, labels, cost=cost)
    singles = [gradients(net, images[k : k + 1], labels[k : k + 1], cost=cost) for k in range(5)]
    for l in range(len(nabla_w)):
        np.testing.assert_allclose(nabla_w[l], np.mean([s[0][l] for s in singles], axis=0), rtol=1e-12)
        np.testing.assert_allclose(nabla_b[l], np.mean([s[1][l] for s in singles], axis=0), rtol=1e-12)


def test_gradients_leave_the_network_unchanged_and_keep_shapes():
    net = Network(SIZES, seed=0)
    before = [W.copy() for W in net.weights]
    nabla_w, nabla_b = gradients(net, *small_batch())
    assert [g.shape for g in nabla_w] == [W.shape for W in net.weights]
    assert [g.shape for g in nabla_b] == [b.shape for b in net.biases]
    assert all(np.array_equal(W, V) for W, V in zip(before, net.weights))


def test_costs_are_finite_at_saturation():
    y = np.array([[1.0, 0.0]])
    for a in (np.array([[0.0, 1.0]]), np.array([[1.0, 0.0]])):
        for dtype in (np.float32, np.float64):
            value = CrossEntropyCost.value(a.astype(dtype), y.astype(dtype))
            assert np.all(np.isfinite(value))
    assert float(CrossEntropyCost.value(np.array([1.0, 0.0]), np.array([1.0, 0.0]))) < 1e-10
    assert float(QuadraticCost.value(np.array([0.0, 1.0]), np.array([1.0, 0.0]))) == 1.0


@pytest.mark.parametrize("dtype, most", [(np.float64, 36.74), (np.float32, 16.64)])
def test_cross_entropy_saturates_alike_at_both_ends(dtype, most):
    """A neuron stuck at 0 that should be 1 costs what one stuck at 1 that should be 0 does."""
    zero_wanted_one = CrossEntropyCost.value(np.array([0.0], dtype), np.array([1.0], dtype))
    one_wanted_zero = CrossEntropyCost.value(np.array([1.0], dtype), np.array([0.0], dtype))
    assert float(zero_wanted_one) == float(one_wanted_zero) == pytest.approx(most, abs=0.01)
    assert float(zero_wanted_one) == pytest.approx(-np.log(np.finfo(dtype).epsneg), rel=1e-6)


def separable_problem(n=400, seed=0):
    """Two-pixel 'images'; the digit is 1 when the first pixel is brighter."""
    rng = np.random.default_rng(seed)
    x = rng.random((n, 2))
    return x, (x[:, 0] > x[:, 1]).astype(np.int64)


def test_training_lowers_the_cost_and_learns_an_easy_problem():
    x, digits = separable_problem()
    net = Network((2, 8, 2), seed=0)
    history = train(net, x[:300], digits[:300], epochs=40, batch_size=10, eta=2.0,
                    cost="cross-entropy", schedule="cosine", seed=0,
                    validation=(x[300:], digits[300:]))
    assert history.training_cost[-1] < 0.5 * history.training_cost[0]
    assert history.validation_accuracy[-1] > 0.95
    assert evaluate(net, x[300:], digits[300:]) == history.validation_accuracy[-1]


def test_history_has_one_entry_per_epoch():
    x, digits = separable_problem(n=50)
    history = train(Network((2, 3, 2), seed=0), x, digits, epochs=4, batch_size=7, eta=1.0,
                    validation=(x, digits), schedule="cosine")
    assert isinstance(history, History)
    for name, values in history.as_dict().items():
        assert len(values) == 4, name
    assert history.epoch == [1, 2, 3, 4]
    assert history.eta[0] == 1.0 and history.eta == sorted(history.eta, reverse=True)
    no_validation = train(Network((2, 3, 2), seed=0), x, digits, epochs=2, batch_size=7, eta=1.0)
    assert no_validation.validation_accuracy == [] and len(no_validation.training_cost) == 2
    assert train(Network((2, 3, 2)), x, digits, epochs=0, batch_size=7, eta=1.0).epoch == []


def trained_weights(seed, dtype=np.float64, **options):
    x, digits = separable_problem(n=60)
    net = Network((2, 3, 2), seed=0, dtype=dtype)
    train(net, x, digits, epochs=3, batch_size=8, eta=1.0, seed=seed, **options)
    return net


def test_same_seed_same_weights_and_different_seed_different_weights():
    a, b, c = trained_weights(1), trained_weights(1), trained_weights(2)
    assert all(np.array_equal(W, V) for W, V in zip(a.weights + a.biases, b.weights + b.biases))
    assert not all(np.array_equal(W, V) for W, V in zip(a.weights, c.weights))
    m1, m2 = trained_weights(1, momentum=0.9), trained_weights(1, momentum=0.9)
    assert all(np.array_equal(W, V) for W, V in zip(m1.weights, m2.weights))


def test_float32_network_stays_float32():
    net = trained_weights(0, dtype=np.float32, lmbda=0.1, momentum=0.5)
    assert all(W.dtype == np.float32 for W in net.weights + net.biases)
    x, digits = separable_problem(n=60)
    assert all(g.dtype == np.float32 for g in sum(gradients(net, x.astype(np.float32), digits), []))


def test_uint8_pixels_and_shifts():
    # 3x3 "images" of uint8 pixels train like their float activations.
    rng = np.random.default_rng(0)
    pixels = rng.integers(0, 256, (40, 3, 3), dtype=np.uint8)
    digits = rng.integers(0, 2, 40)
    a, b = Network((9, 4, 2), seed=0), Network((9, 4, 2), seed=0)
    train(a, pixels, digits, epochs=2, batch_size=6, eta=0.5, seed=0)
    train(b, pixels.reshape(40, 9) / 255, digits, epochs=2, batch_size=6, eta=0.5, seed=0)
    for W, V in zip(a.weights, b.weights):
        np.testing.assert_allclose(W, V, rtol=1e-12)
    assert evaluate(a, pixels, digits) == evaluate(a, pixels.reshape(40, 9) / 255, digits)
    c, d = Network((9, 4, 2), seed=0), Network((9, 4, 2), seed=0)
    train(c, pixels, digits, epochs=2, batch_size=6, eta=0.5, seed=0, shift=1)
    train(d, pixels.reshape(40, 9) / 255, digits, epochs=2, batch_size=6, eta=0.5, seed=0, shift=1)
    for W, V in zip(c.weights, d.weights):
        np.testing.assert_allclose(W, V, rtol=1e-12)
    assert not np.array_equal(a.weights[0], c.weights[0])


def test_shift_moves_images_and_fills_with_zeros():
    from digitnet.training import _shift_images

    images = np.tile(np.arange(1, 10, dtype=np.uint8), (3, 1))
    out = np.empty_like(images)
    where = _shift_images(images, np.array([[1, -1], [0, 0], [-1, 2]]), 3, out)
    moved = out[where]                  # out holds them grouped by shift
    np.testing.assert_array_equal(moved[0].reshape(3, 3), [[0, 0, 0], [2, 3, 0], [5, 6, 0]])
    np.testing.assert_array_equal(moved[1], images[1])
    np.testing.assert_array_equal(moved[2].reshape(3, 3), [[0, 0, 4], [0, 0, 7], [0, 0, 0]])


def shifted_plainly(image, dy, dx):
    """`image` moved dy rows down and dx columns right, pixel by pixel, 0 where uncovered."""
    side = len(image)
    moved = np.zeros_like(image)
    for r in range(side):
        for c in range(side):
            if 0 <= r - dy < side and 0 <= c - dx < side:
                moved[r, c] = image[r - dy, c - dx]
    return moved


@pytest.mark.parametrize("span", [1, 2, 5])
def test_shift_agrees_with_moving_each_pixel(span):
    # Shifts up to 5 on 5x5 images: whole rows and columns leave the frame,
    # and a flat row of pixels would wrap round from one side to the other.
    from digitnet.training import _shift_images

    rng = np.random.default_rng(span)
    images = rng.integers(1, 256, (200, 25), dtype=np.uint8)
    shifts = rng.integers(-span, span + 1, (200, 2))
    out = np.full_like(images, 7)
    where = _shift_images(images, shifts, 5, out)
    assert sorted(where) == list(range(200))
    for image, (dy, dx), k in zip(images, shifts, where):
        np.testing.assert_array_equal(out[k].reshape(5, 5), shifted_plainly(image.reshape(5, 5), dy, dx))


def test_measure_chooses_what_is_measured_and_not_the_training():
    x, digits = separable_problem(n=300)
    settings = dict(epochs=3, batch_size=10, eta=2.0, cost="cross-entropy", seed=4,
                    validation=(x[:40], digits[:40]))
    nets = {}
    histories = {}
    for measure in ["all", None, 50, 1000]:
        nets[measure] = Network((2, 5, 2), seed=0)
        histories[measure] = train(nets[measure], x, digits, measure=measure, **settings)
    for measure, net in nets.items():    # what is measured does not change what is learned
        for W, V in zip(net.weights + net.biases, nets["all"].weights + nets["all"].biases):
            np.testing.assert_array_equal(W, V)
    everything, nothing, sample = histories["all"], histories[None], histories[50]
    for history in histories.values():
        assert history.epoch == [1, 2, 3] and len(history.validation_accuracy) == 3
        assert history.validation_accuracy == everything.validation_accuracy
    # Not measured: empty, not zeros; nothing else is missing.
    assert nothing.training_cost == [] and nothing.training_accuracy == []
    assert len(nothing.seconds) == 3 and nothing.eta == everything.eta
    # All: the whole training set, as evaluate sees it at the end.
    assert everything.training_accuracy[-1] == evaluate(nets["all"], x, digits)
    # A sample of 50: accuracies in steps of 1/50, not those of all 300 images;
    # more than there are images: all of them.
    assert len(sample.training_accuracy) == 3
    assert all(round(a * 50, 9) == round(a * 50) for a in sample.training_accuracy)
    assert sample.training_cost != everything.training_cost
    assert histories[1000].training_cost == everything.training_cost


def test_measure_takes_the_same_sample_every_epoch_and_for_the_same_seed():
    # A network that does not learn (eta tiny) measured on a sample: the
    # measurements stay put only if the sample does; another seed's sample differs.
    x, digits = separable_problem(n=400)
    def run(seed):
        return train(Network((2, 3, 2), seed=0), x, digits, epochs=3, batch_size=400,
                     eta=1e-12, seed=seed, measure=20).training_cost
    costs = run(1)
    assert costs == pytest.approx([costs[0]] * 3, rel=1e-9) and run(1) == costs
    assert run(2)[0] != pytest.approx(costs[0], rel=1e-3)


@pytest.mark.parametrize(
    ("measure", "error", "message"),
    [
        ("some", TypeError, "measure must be"),
        ("ALL", TypeError, "measure must be"),
        (True, TypeError, "measure must be"),
        (0.5, TypeError, "measure must be"),
        (0, ValueError, "measure must be at least 1"),
        (-3, ValueError, "measure must be at least 1"),
    ],
)
def test_bad_measure(measure, error, message):
    images, labels = small_batch(n=4)
    with pytest.raises(error, match=message):
        train(Network(SIZES, seed=0), images, labels, epochs=1, batch_size=2, eta=1.0, measure=measure)


def test_progress_bar_without_training_measurements(capsys):
    x, digits = separable_problem(n=20)
    train(Network((2, 3, 2), seed=0), x, digits, epochs=2, batch_size=5, eta=1.0,
          validation=(x, digits), measure=None, progress=True)
    shown = capsys.readouterr()
    assert "validation accuracy" in shown.out + shown.err
    assert "training cost" not in shown.out + shown.err


def test_confusion_matrix_counts():
    net = Network((2, 2), seed=0)
    net.weights[0] = np.array([[5.0, -5.0], [-5.0, 5.0]])
    x = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 0.0], [0.0, 1.0]])
    counts = confusion_matrix(net, x, [0, 1, 1, 1])
    np.testing.assert_array_equal(counts, [[1, 0], [1, 2]])
    assert counts.sum() == 4 and evaluate(net, x, [0, 1, 1, 1]) == 0.75


@pytest.mark.parametrize(
    ("labels", "error", "message"),
    [
        ([0, 1, 3], ValueError, "between 0 and 2"),
        ([0, -1, 2], ValueError, "between 0 and 2"),
        ([0, 1], ValueError, "one label per image"),
        ([0.0, 1.0, 2.0], TypeError, "astype"),
        ([0.5, 1.0, 2.0], TypeError, "integer class indices"),
        ([[0, 1, 2]], ValueError, "1-D"),
    ],
)
def test_bad_labels(labels, error, message):
    net = Network(SIZES, seed=0)
    images = np.zeros((3, SIZES[0]))
    with pytest.raises(error, match=message):
        gradients(net, images, labels)
    with pytest.raises(error, match=message):
        train(net, images, labels, epochs=1, batch_size=2, eta=1.0)


def test_bad_images():
    net = Network(SIZES, seed=0)
    images, labels = small_batch(n=3)
    with pytest.raises(ValueError, match=r"shape \(n, 6\)"):
        gradients(net, images[:, :5], labels)
    with pytest.raises(ValueError, match=r"shape \(n, 6\)"):
        gradients(net, images[0], labels[:1])
    bad = images.copy()
    bad[1, 2] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        gradients(net, bad, labels)
    with pytest.raises(ValueError, match="NaN"):
        train(net, bad, labels, epochs=1, batch_size=2, eta=1.0)
    with pytest.raises(TypeError, match="normalize"):
        gradients(net, (images * 255).astype(np.uint8), labels)
    with pytest.raises(TypeError, match="normalize"):
        train(net, (images * 255).astype(np.int64), labels, epochs=1, batch_size=2, eta=1.0)
    with pytest.raises(ValueError, match="empty"):
        gradients(net, np.zeros((0, 6)), np.zeros(0, dtype=int))
    with pytest.raises(ValueError, match="validation labels"):
        train(net, images, labels, epochs=1, batch_size=2, eta=1.0, validation=(images, labels[:2]))
    with pytest.raises(TypeError, match="pair"):
        train(net, images, labels, epochs=1, batch_size=2, eta=1.0, validation=images)


PIXELS_FIX = ("float pixels must lie between 0.0 and 1.0, got values up to 255.0; "
              "divide by 255 or pass the uint8 array, which is scaled for you")


@pytest.mark.parametrize("call", [
    lambda net, x, y: evaluate(net, x, y),
    lambda net, x, y: confusion_matrix(net, x, y),
    lambda net, x, y: train(net, x, y, epochs=1, batch_size=10, eta=0.5),
])
@pytest.mark.parametrize("shape", ["images", "rows"])
def test_float_pixels_0_255_are_refused(call, shape):
    """Once taken as activations without a word: trained on them, a network scored
    0.09 instead of 0.90 on the sample; the pretrained one 0.918 instead of 0.97."""
    from digitnet import pretrained
    from digitnet.datasets import load_sample

    net = pretrained()
    before = [W.copy() for W in net.weights]
    images, labels = load_sample()
    floats = images.astype(np.float32)       # the mistake: pixels 0-255 as floats
    if shape == "rows":
        floats = floats.reshape(len(floats), 784)
    with pytest.raises(ValueError) as info:
        call(net, floats, labels)
    assert str(info.value) == "images: " + PIXELS_FIX
    assert all(np.array_equal(W, V) for W, V in zip(before, net.weights))   # nothing learned
    # what was meant: the uint8 pixels, or the floats divided by 255
    assert evaluate(net, images, labels) == evaluate(net, floats / 255, labels) == 0.97


def test_float_pixels_0_255_refused_in_validation_and_gradients():
    net = Network(SIZES, seed=0)
    images, labels = small_batch(n=4)
    pixels = np.round(images * 255)
    pixels[0, 0] = 255.0
    with pytest.raises(ValueError) as info:
        train(net, images, labels, epochs=1, batch_size=2, eta=1.0, validation=(pixels, labels))
    assert str(info.value) == "validation images: " + PIXELS_FIX
    shifted = images - 0.5
    shifted[0, 0] = -0.5
    with pytest.raises(ValueError, match=r"images: .*got values down to -0\.5; divide by 255 \(digitnet"):
        gradients(net, shifted, labels)
    # The ends of 0..1 are fine.
    images[0], images[1] = 0.0, 1.0
    gradients(net, images, labels)
    train(net, images, labels, epochs=1, batch_size=2, eta=1.0, validation=(images, labels))


@pytest.mark.parametrize(
    ("options", "error", "message"),
    [
        ({"cost": "entropy"}, ValueError, "cost must be one of"),
        ({"cost": 3}, TypeError, "cost must be a name"),
        ({"batch_size": 0}, ValueError, "batch_size must be at least 1"),
        ({"batch_size": 2.5}, TypeError, "batch_size must be an integer"),
        ({"epochs": -1}, ValueError, "epochs must be at least 0"),
        ({"eta": 0.0}, ValueError, "eta must be a finite positive"),
        ({"eta": float("nan")}, ValueError, "eta must be a finite positive"),
        ({"lmbda": -1.0}, ValueError, "lmbda must be a finite zero or positive"),
        ({"momentum": 1.0}, ValueError, "momentum must be below 1"),
        ({"schedule": "linear"}, ValueError, "schedule must be one of"),
        ({"shift": 1}, ValueError, "square images"),
    ],
)
def test_bad_options(options, error, message):
    net = Network(SIZES, seed=0)
    images, labels = small_batch(n=4)
    settings = {"epochs": 1, "batch_size": 2, "eta": 1.0, **options}
    with pytest.raises(error, match=message):
        train(net, images, labels, **settings)


def test_progress_bar_is_silent_when_off(capsys):
    x, digits = separable_problem(n=20)
    train(Network((2, 3, 2), seed=0), x, digits, epochs=2, batch_size=5, eta=1.0,
          validation=(x, digits))
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err == ""
    train(Network((2, 3, 2), seed=0), x, digits, epochs=2, batch_size=5, eta=1.0,
          validation=(x, digits), progress=True)
    captured = capsys.readouterr()
    assert "validation accuracy" in captured.out + captured.err


def plain_sgd(network, images, labels, *, epochs, batch_size, eta, cost, lmbda=0.0, momentum=0.0, seed):
    """train()'s algorithm written plainly with gradients(): the reference for the optimised loop."""
    rng = np.random.default_rng(seed)
    n = len(images)
    velocity = [np.zeros_like(p) for p in network.weights + network.biases]
    for _ in range(epochs):
        order = rng.permutation(n)
        for k in range(0, n, batch_size):
            batch = order[k : k + batch_size]
            nabla_w, nabla_b = gradients(network, images[batch], labels[batch], cost=cost)
            grads = [g + lmbda / n * W for g, W in zip(nabla_w, network.weights)] + nabla_b
            for p, v, g in zip(network.weights + network.biases, velocity, grads):
                v *= momentum
                v -= eta * g
                p += v


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize(
    "options",
    [
        {"cost": "quadratic", "batch_size": 10},
        {"cost": "cross-entropy", "batch_size": 7, "lmbda": 2.0},   # a last, smaller mini-batch
        {"cost": "cross-entropy", "batch_size": 16, "momentum": 0.8, "lmbda": 0.5},
    ],
)
def test_optimised_train_gives_the_same_weights_as_a_plain_loop(dtype, options):
    # The numbers stay identical: the preallocated, in-place trainer computes
    # what a straightforward loop over gradients() computes, for the same seed.
    rng = np.random.default_rng(8)
    x = rng.random((61, SIZES[0])).astype(dtype)
    digits = rng.integers(0, SIZES[-1], 61)
    fast, plain = Network(SIZES, seed=9, dtype=dtype), Network(SIZES, seed=9, dtype=dtype)
    start = [p.copy() for p in fast.weights + fast.biases]
    train(fast, x, digits, epochs=3, eta=0.5, seed=10, **options)
    plain_sgd(plain, x, digits, epochs=3, eta=0.5, seed=10, **options)
    tol = 1e-12 if dtype == np.float64 else 1e-5
    for p, q, p0 in zip(fast.weights + fast.biases, plain.weights + plain.biases, start):
        assert not np.array_equal(p, p0)
        np.testing.assert_allclose(p, q, rtol=tol, atol=tol)


def test_measurements_over_several_chunks_equal_one_pass():
    # evaluate/confusion_matrix/_measure convert and push CHUNK rows at a time;
    # the result must not depend on where the chunks are cut.
    import digitnet
    from digitnet.datasets import load_sample
    from digitnet.training import CHUNK, _measure, confusion_matrix

    images, labels = load_sample()
    images, labels = np.concatenate([images] * 3), np.concatenate([labels] * 3)   # 3,000 > CHUNK
    assert len(images) > 2 * CHUNK
    net = digitnet.pretrained()
    outputs = net.feedforward(digitnet.normalize(images))      # one pass, no chunks
    guesses = outputs.argmax(axis=1)
    assert evaluate(net, images, labels) == np.mean(guesses == labels)
    expected = np.zeros((10, 10), dtype=int)
    np.add.at(expected, (labels, guesses), 1)
    np.testing.assert_array_equal(confusion_matrix(net, images, labels), expected)
    cost, accuracy = _measure(net, images.reshape(len(images), -1), labels, QuadraticCost)   # checked data
    assert accuracy == np.mean(guesses == labels)
    assert cost == pytest.approx(np.mean(QuadraticCost.value(outputs, np.eye(10)[labels])), rel=1e-12)


def test_a_rounding_error_above_1_gets_the_clip_hint():
    from digitnet import Network
    from digitnet.training import evaluate

    x = np.zeros((3, 784), dtype=np.float32)
    x[0, 0] = np.nextafter(np.float32(1), np.float32(2))
    with pytest.raises(ValueError, match=r"numpy.clip\(x, 0.0, 1.0\)"):
        evaluate(Network((784, 10), seed=0), x, [0, 1, 2])
