"""A smoke run of the benchmark suite with tiny sizes, so that it cannot rot.

Benchmarks are not unit tests: the sizes here are far too small for the
times to mean anything, so only the shape of the report and the sanity of
its ratios are checked, and that the trainers agree.
"""

import json

import numpy as np
import pytest

from digitnet import Network
from digitnet import bench


@pytest.fixture(scope="module")
def result():
    return bench.run(images=300, forward_images=200, slow_images=40, batch_sizes=(10, 32),
                     threads=(1,), repeats=1, matmul_size=128, docs=False, memory=False)


def test_report_has_every_row(result):
    text = bench.report(result)
    runs = result["by_threads"]["1"]
    assert {row["name"] for row in runs["forward"]} == {
        "digitnet feedforward, whole batch, float64",
        "digitnet feedforward, whole batch, float32",
        "one image at a time (column vectors), float64",
        "neuron by neuron (matrix-form chapter loop), float64",
    }
    names = {"reference per-example loop", "per-example loop, tightened", "straightforward vectorised NumPy",
             "digitnet trainer (SGD pass)", "digitnet train(), 1 epoch incl. end-of-epoch measurement",
             bench.FLOOR_ROW}
    if result["settings"]["torch"]:
        names.add("PyTorch CPU (nn.Linear + Sigmoid, SGD)")
    cells = {(row["batch_size"], row["dtype"]) for row in runs["training"]}
    assert cells == {(b, d) for b in (10, 32) for d in ("float64", "float32")}
    for cell in cells:
        assert {row["name"] for row in runs["training"] if (row["batch_size"], row["dtype"]) == cell} == names
    for heading in ("### Forward pass", "### One training epoch", "## Ratios (targets)", "Same weights"):
        assert heading in text
    assert text.count("| 10 | float32 |") == len(names)
    json.dumps(result)  # the result is plain JSON


def test_times_and_ratios_are_sane(result):
    runs = result["by_threads"]["1"]
    assert all(row["seconds"] > 0 and np.isfinite(row["seconds"]) for row in runs["training"])
    assert all(v > 0 for v in runs["peak_gflops"].values())
    assert all(row["images_per_second"] > 0 for row in runs["forward"])
    # Per image: forward 2(784·16 + 16·16 + 16·10) = 25,920 FLOP; weight
    # gradients the same again; errors of the two hidden layers 2(16·16 + 16·10).
    assert result["epoch_gflop"] == pytest.approx(300 * (25_920 + 25_920 + 832) / 1e9)


def test_reference_loop_and_digitnet_trainer_give_the_same_weights(result):
    same = result["same_weights"]
    assert same["max_abs_change"] > 1e-2          # the epoch really moved the weights
    assert same["max_abs_difference"] < 1e-12     # float64 rounding only


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("loop", ["reference_epoch", "tightened_epoch", "vectorised_epoch"])
def test_every_loop_agrees_with_the_trainer_on_pixels(dtype, loop):
    # The trainer reads the uint8 pixels, the loops the activations made from them.
    pixels, x, labels = bench._data(120, dtype, seed=5)
    assert pixels.dtype == np.uint8 and np.array_equal(x, (pixels / 255).astype(dtype))
    order = np.random.default_rng(6).permutation(120)
    a, b = Network(bench.SIZES, seed=7, dtype=dtype), Network(bench.SIZES, seed=7, dtype=dtype)
    getattr(bench, loop)(a.weights, a.biases, x, labels, order, 8, bench.ETA)
    bench.digitnet_epoch(b, pixels, labels, order, 8, bench.ETA)
    tol = 1e-12 if dtype == np.float64 else 1e-5
    start = Network(bench.SIZES, seed=7, dtype=dtype)
    assert max(np.abs(p - q).max() for p, q in zip(a.weights, start.weights)) > 1e-2   # it did move
    for p, q in zip(a.weights + a.biases, b.weights + b.biases):
        np.testing.assert_allclose(p, q, rtol=tol, atol=tol)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_floor_row_really_converts_and_multiplies(dtype):
    # 50 images in batches of 8: the last mini-batch has 2 rows.
    pixels, x, _ = bench._data(50, dtype, seed=8)
    order = np.random.default_rng(9).permutation(50)
    WT = np.random.default_rng(10).standard_normal((784, 16)).astype(dtype)
    delta = np.random.default_rng(11).standard_normal((8, 16)).astype(dtype)
    z, grad = bench.floor_epoch(pixels, WT, delta, order, 8)
    last = x[order[48:]]
    tol = 1e-12 if dtype == np.float64 else 1e-4
    np.testing.assert_allclose(z, last @ WT, rtol=tol, atol=tol)
    np.testing.assert_allclose(grad, last.T @ delta[:2], rtol=tol, atol=tol)


def test_command_line_writes_json_and_markdown(tmp_path, capsys):
    out = tmp_path / "bench.json"
    bench.main(["--images", "100", "--forward-images", "50", "--slow-images", "20", "--batch-sizes", "10",
                "--threads", "1", "--repeats", "1", "--matmul-size", "64", "--no-torch", "--no-memory",
                "--out", str(out)])
    printed = capsys.readouterr().out
    assert "## Ratios (targets)" in printed
    assert json.loads(out.read_text())["settings"]["images"] == 100
    assert out.with_suffix(".md").read_text().startswith("## 1 BLAS thread")


def _fabricated(forward_f32, one_at_a_time, seconds, peak_f32=100.0):
    """A result dict with chosen numbers: two thread counts, batch 10 and 128."""
    def training(scale):
        rows = []
        for (batch, dtype), ours in seconds.items():
            for name, s in (("reference per-example loop", 10 * scale), ("digitnet trainer (SGD pass)", ours),
                            ("PyTorch CPU (nn.Linear + Sigmoid, SGD)", 2 * ours)):
                rows.append({"name": name, "batch_size": batch, "dtype": dtype, "seconds": s})
        return rows

    forward = [{"name": "digitnet feedforward, whole batch, float32", "images_per_second": forward_f32},
               {"name": "one image at a time (column vectors), float64", "images_per_second": one_at_a_time}]
    runs = {"peak_gflops": {"float32": peak_f32, "float64": peak_f32 / 2}, "forward": forward,
            "training": training(1.0)}
    return {"epoch_gflop": 3.0, "by_threads": {"1": runs, "2": runs}}


def test_targets_tick_exactly_the_targets_met():
    # batch 10: reference 10 s vs 0.5 s (20x, met) and vs 2 s (5x, not met); batch 128 f32:
    # 3 GFLOP in 0.05 s = 60 GFLOP/s = 60 % of a 100 GFLOP/s peak (met).
    met = dict(bench.targets(_fabricated(2e6, 5e4, {(10, "float32"): 0.5, (10, "float64"): 2.0,
                                                    (128, "float32"): 0.05})))
    assert met == {
        "2 thread(s), forward float32: 2,000,000 images/s (target >= 1,000,000 on the machine's cores)": True,
        "2 thread(s), forward float32 vs one image at a time: 40.0x (target >= 20x)": True,
        "1 thread(s), batch 10, float32: 20.0x the per-example loop (target >= 10x)": True,
        "1 thread(s), batch 10, float64: 5.0x the per-example loop (target >= 10x)": False,
        "2 thread(s), batch 10, float32: 20.0x the per-example loop (target >= 10x)": True,
        "2 thread(s), batch 10, float64: 5.0x the per-example loop (target >= 10x)": False,
        **{f"{t} thread(s), batch {b}, {d}: 2.0x faster than PyTorch (target > 1x)": True
           for t in (1, 2) for b, d in ((10, "float32"), (10, "float64"), (128, "float32"))},
        "1 thread(s), batch 128, float32: 60% of the matmul peak at 1 thread(s) (target >= 30%)": True,
        "2 thread(s), batch 128, float32: 60% of the matmul peak at 2 thread(s) (target >= 30%)": True,
    }
    # With a floor row (0.1 s: 30 % of the peak), the batch-128 line says what it allows.
    floored = _fabricated(2e6, 5e4, {(128, "float32"): 0.2})   # both thread counts share one dict
    floored["by_threads"]["1"]["training"].append(
        {"name": bench.FLOOR_ROW, "batch_size": 128, "dtype": "float32", "seconds": 0.1})
    assert dict(bench.targets(floored))[
        "2 thread(s), batch 128, float32: 15% of the matmul peak at 2 thread(s) "
        "(target >= 30%; the floor row alone: 30%)"] is False
    slow = dict(bench.targets(_fabricated(9e5, 5e4, {(128, "float32"): 0.2})))
    assert slow["2 thread(s), forward float32: 900,000 images/s (target >= 1,000,000 on the machine's cores)"] is False
    assert slow["2 thread(s), forward float32 vs one image at a time: 18.0x (target >= 20x)"] is False
    assert slow["1 thread(s), batch 128, float32: 15% of the matmul peak at 1 thread(s) (target >= 30%)"] is False
