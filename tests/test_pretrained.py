"""The packaged network: its shape, its record, and its accuracy on the real MNIST test set."""

import numpy as np

from digitnet import Network, pretrained
from digitnet.datasets import SPLIT_SIZES
from digitnet.pretrained import pretrained_recipe
from digitnet.training import evaluate

# mnist_folder (DIGITNET_DATA_DIR at the real MNIST files) is a fixture of conftest.py.


def test_pretrained_has_the_book_architecture():
    net = pretrained()
    assert isinstance(net, Network)
    assert net.sizes == (784, 16, 16, 10)
    assert net.parameter_count() == 13002
    assert all(np.all(np.isfinite(p)) for p in net.weights + net.biases)


def test_each_call_gives_a_fresh_copy():
    a = pretrained()
    a.weights[0][:] = 0
    assert np.any(pretrained().weights[0] != 0)


def test_recipe_records_how_it_was_made():
    recipe = pretrained_recipe()
    assert recipe["command"].startswith("digitnet train --recipe pretrained")
    assert recipe["sizes"] == [784, 16, 16, 10]
    assert recipe["dtype"] == "float32"

    for name in ("seed", "epochs", "batch_size", "eta", "cost", "lmbda", "momentum",
                 "schedule", "shift", "training_seconds", "digitnet_version"):
        assert name in recipe, name
    assert len(recipe["history"]["epoch"]) == recipe["epochs"]
    assert "test" not in " ".join(recipe)   # the test images played no part in training
    # It learned from the training file only, its last `validation` images held back.
    n = SPLIT_SIZES["train"] - recipe["validation"]
    assert recipe["training_images"] == f"MNIST training images 0 to {n - 1}"
    assert recipe["validation_images"] == f"MNIST training images {n} to {SPLIT_SIZES['train'] - 1}"
    assert recipe["validation_accuracy"] == recipe["history"]["validation_accuracy"][-1]


def test_pretrained_accuracy_on_the_mnist_test_set(mnist_folder):
    from digitnet.datasets import load_mnist

    images, labels = load_mnist("test", download=False)
    assert images.shape == (10000, 28, 28)
    assert evaluate(pretrained(), images, labels) >= 0.96


def test_pretrained_float64_holds_the_stored_float32_values_exactly():
    import numpy as np

    wide, narrow = pretrained(), pretrained(dtype=np.float32)
    assert wide.dtype == np.float64 and narrow.dtype == np.float32
    for W, V in zip(wide.weights + wide.biases, narrow.weights + narrow.biases):
        assert np.array_equal(W, V.astype(np.float64))
