"""Benchmarks, side by side: ``python -m digitnet.bench`` (or ``make bench``).

Everything is measured in one run, each repeat of every row interleaved with
the others, and reported as medians and as ratios: on a shared machine the
absolute times are noise, the ratios measured side by side are not.

1. Forward pass of the 784-16-16-10 network over a batch of images: digitnet
   on the whole batch (float64, float32) versus one image at a time versus the
   neuron-by-neuron loop of the matrix-form chapter.
2. One training epoch: digitnet's trainer versus a classic per-example
   backpropagation loop (the reference algorithm, written below) and, when
   PyTorch is importable, PyTorch on the CPU; same data, same initial weights.
3. The machine's limit: measured matmul GFLOP/s, the FLOPs of an epoch and
   the fraction of that peak the trainer reaches -- and a "floor" row, the
   part of a step no NumPy trainer can leave out (:func:`floor_epoch`).
4. Optionally (``--docs``), the docs build: clean and no-change rebuild.

The data are MNIST-shaped random images and random digits: the speed of a
step does not depend on the pixels. digitnet's trainer (and the floor row)
read them as uint8 pixels, as digitnet reads MNIST; the other rows read them
as activations 0-1 in the working dtype, made beforehand.
Slow rows (the per-example loops and PyTorch) run on ``--slow-images`` images
and are scaled to a full epoch; their time per image does not depend on how
many images there are.

Examples
--------
>>> from digitnet.bench import epoch_flops
>>> round(epoch_flops((784, 16, 16, 10), 60_000) / 1e9, 2)   # GFLOP in one epoch
3.16
"""

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager, nullcontext
from pathlib import Path

import numpy as np

from .book import build_command
from .network import Network
from .neuron import neuron
from .training import _SGD, QuadraticCost, _take_activations, train

SIZES = (784, 16, 16, 10)
ETA = 3.0  # the quadratic cost, a constant learning rate, no L2: the classic recipe
DTYPES = (np.float64, np.float32)
#: The training rows that run on ``--slow-images`` images only, scaled to a full epoch.
SLOW_ROWS = ("reference per-example loop", "per-example loop, tightened", "PyTorch CPU (nn.Linear + Sigmoid, SGD)")
#: The row that is not a trainer: see :func:`floor_epoch`.
FLOOR_ROW = "floor: gather + first layer's two products only (not a trainer)"
#: Said under every training table.
TRAINING_NOTE = ("digitnet's rows and the floor row read uint8 pixels and turn each mini-batch into activations "
                 "inside the timed loop; the other rows read activations made beforehand. The reference loop is network.py's "
                 "algorithm in its shape; the tightened loop is the same algorithm with in-place sums and "
                 "σ′ = a(1 − a). The floor row is not a trainer: it gathers and converts each mini-batch of pixels "
                 "and makes the first layer's two 784-wide products, nothing else, so its share of the peak is "
                 "the most that a NumPy trainer stepping this way could reach.")


# ---------------------------------------------------------------------------
# The reference algorithms, written out in the plainest way
# ---------------------------------------------------------------------------


def _plain_sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def _sigmoid_prime(z):
    return _plain_sigmoid(z) * (1 - _plain_sigmoid(z))


def _example_gradient(weights, biases, x, y):
    """The gradient of one example's quadratic cost, as column vectors:
    ``(∇b, ∇W)`` per layer, by backpropagation from the stored ``z`` values."""
    a, activations, zs = x, [x], []
    for W, b in zip(weights, biases):
        zs.append(W @ a + b)
        a = _plain_sigmoid(zs[-1])
        activations.append(a)
    grad_b, grad_w = [None] * len(weights), [None] * len(weights)
    delta = (a - y) * _sigmoid_prime(zs[-1])
    for l in range(len(weights) - 1, -1, -1):
        grad_b[l], grad_w[l] = delta, delta @ activations[l].T
        if l > 0:
            delta = (weights[l].T @ delta) * _sigmoid_prime(zs[l - 1])
    return grad_b, grad_w


def reference_epoch(weights, biases, x, labels, order, batch_size, eta):
    """REFERENCE ALGORITHM: the classic per-example backpropagation loop.

    This is the algorithm of the original teaching code (Nielsen's
    ``network.py``), restated in our own words and kept in its shape: for
    each mini-batch, every example is pushed through the network on its own
    as a column vector and its gradient found by backpropagation (σ′(z)
    computed from the stored ``z``), the gradients summed over the mini-batch
    into new arrays, and then every weight moved by ``eta / m`` times the sum.
    The quadratic cost; `weights` and `biases` are updated in place.
    """
    columns = [b.reshape(-1, 1) for b in biases]     # views of `biases`
    eye = np.eye(weights[-1].shape[0], dtype=x.dtype)
    for k in range(0, len(order), batch_size):
        batch = order[k : k + batch_size]
        sum_b = [np.zeros(b.shape, b.dtype) for b in columns]
        sum_w = [np.zeros(W.shape, W.dtype) for W in weights]
        for i in batch:
            grad_b, grad_w = _example_gradient(weights, columns, x[i].reshape(-1, 1), eye[labels[i]].reshape(-1, 1))
            sum_b = [s + g for s, g in zip(sum_b, grad_b)]
            sum_w = [s + g for s, g in zip(sum_w, grad_w)]
        for W, b, gw, gb in zip(weights, columns, sum_w, sum_b):
            W -= (eta / len(batch)) * gw
            b -= (eta / len(batch)) * gb


def tightened_epoch(weights, biases, x, labels, order, batch_size, eta):
    """The same per-example algorithm as :func:`reference_epoch`, tightened:
    the sums are accumulated in place and σ′ is taken from the stored
    activations, ``a (1 − a)``, instead of a second sigmoid. Shown beside the
    reference so that the trainer's lead does not rest on a slack baseline.
    """
    n_out = weights[-1].shape[0]
    for k in range(0, len(order), batch_size):
        batch = order[k : k + batch_size]
        sum_w = [np.zeros_like(W) for W in weights]
        sum_b = [np.zeros((len(b), 1), dtype=b.dtype) for b in biases]
        for i in batch:
            # Forward, keeping every layer's activation (columns).
            a = x[i].reshape(-1, 1)
            layers = [a]
            for W, b in zip(weights, biases):
                a = _plain_sigmoid(W @ a + b.reshape(-1, 1))
                layers.append(a)
            y = np.zeros((n_out, 1), dtype=a.dtype)
            y[labels[i]] = 1
            # Backward: the error of the output layer, then of each layer below.
            delta = (a - y) * a * (1 - a)
            for l in range(len(weights) - 1, -1, -1):
                sum_w[l] += delta @ layers[l].T
                sum_b[l] += delta
                if l > 0:
                    delta = (weights[l].T @ delta) * layers[l] * (1 - layers[l])
        step = eta / len(batch)
        for W, b, gw, gb in zip(weights, biases, sum_w, sum_b):
            W -= (step * gw).astype(W.dtype)
            b -= (step * gb.ravel()).astype(b.dtype)


def vectorised_epoch(weights, biases, x, labels, order, batch_size, eta):
    """A straightforward whole-mini-batch version: every example of a
    mini-batch as a row of one matrix, new arrays at every step (the
    quadratic cost). The baseline that digitnet's trainer improves upon."""
    eye = np.eye(weights[-1].shape[0], dtype=x.dtype)
    for k in range(0, len(order), batch_size):
        batch = order[k : k + batch_size]
        a = x[batch]
        layers = [a]
        for W, b in zip(weights, biases):
            a = _plain_sigmoid(a @ W.T + b)
            layers.append(a)
        delta = (a - eye[labels[batch]]) * a * (1 - a) / len(batch)
        for l in range(len(weights) - 1, -1, -1):
            gw, gb = delta.T @ layers[l], delta.sum(axis=0)
            if l > 0:
                delta = (delta @ weights[l]) * layers[l] * (1 - layers[l])
            weights[l] -= eta * gw
            biases[l] -= eta * gb


def floor_epoch(pixels, WT, delta, order, batch_size):
    """Not a trainer: the part of an epoch that no NumPy step reading uint8
    pixels can leave out, to show how fast any such trainer could be at best.

    For each mini-batch it gathers the rows and turns them into activations
    exactly as digitnet's trainer does (its ``_take_activations``), then makes
    the first layer's two 784-wide products, ``z = x Wᵀ`` forward and ``xᵀ δ``
    for the gradient. Everything else of a step (the small layers, sigmoids,
    errors, the update) is left out, so its time per epoch is a floor under
    digitnet's. ``WT`` is ``Wᵀ``, shape ``(n_in, n_out)``; ``delta`` is any
    ``(batch_size, n_out)`` error. Returns ``(z, xᵀ δ)`` of the last mini-batch.
    """
    m, (n_in, n_out) = batch_size, WT.shape
    rows, x = np.empty((m, n_in), np.uint8), np.empty((m, n_in), WT.dtype)
    z, grad, by_255 = np.empty((m, n_out), WT.dtype), np.empty_like(WT), np.array(1 / 255, WT.dtype)
    for k in range(0, len(order), m):
        batch = order[k : k + m]
        r, a, out, d = (rows, x, z, delta) if len(batch) == m else (
            rows[: len(batch)], x[: len(batch)], z[: len(batch)], delta[: len(batch)])
        _take_activations(pixels, batch, r, a, by_255)
        np.dot(a, WT, out)
        np.dot(a.T, d, grad)
    return out, grad


def digitnet_epoch(network, x, labels, order, batch_size, eta):
    """digitnet's trainer, one pass over the data: the loop inside :func:`digitnet.training.train`."""
    _SGD(network, batch_size, QuadraticCost, 0.0, 0.0, len(x)).epoch(x, labels, order, eta)


def torch_epoch(model, x, y, order, batch_size, eta):
    """PyTorch: nn.Linear + nn.Sigmoid layers, the mean quadratic cost, plain SGD."""
    import torch

    optimizer = torch.optim.SGD(model.parameters(), lr=eta)
    for k in range(0, len(order), batch_size):
        batch = order[k : k + batch_size]
        a = model(x[batch])
        loss = 0.5 * ((a - y[batch]) ** 2).sum() / len(batch)
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()


def _torch_model(network):
    import torch

    layers = []
    for W, b in zip(network.weights, network.biases):
        linear = torch.nn.Linear(W.shape[1], W.shape[0], dtype=_torch_dtype(network.dtype))
        with torch.no_grad():
            linear.weight.copy_(torch.from_numpy(W))
            linear.bias.copy_(torch.from_numpy(b))
        layers += [linear, torch.nn.Sigmoid()]
    return torch.nn.Sequential(*layers)


def _torch_dtype(dtype):
    import torch

    return torch.float32 if np.dtype(dtype) == np.float32 else torch.float64


def _have_torch():
    try:
        import torch  # noqa: F401
    except ImportError:
        return False
    return True


# ---------------------------------------------------------------------------
# Forward pass
# ---------------------------------------------------------------------------


def one_at_a_time(weights, biases, x):
    """Each image alone, as a column vector: ``a = σ(W a + b)`` layer by layer."""
    out = np.empty((len(x), weights[-1].shape[0]), dtype=x.dtype)
    for i in range(len(x)):
        a = x[i].reshape(-1, 1)
        for W, b in zip(weights, biases):
            a = _plain_sigmoid(W @ a + b.reshape(-1, 1))
        out[i] = a.ravel()
    return out


def neuron_by_neuron(weights, biases, x):
    """The loop of the matrix-form chapter: every neuron of every layer on its own."""
    out = np.empty((len(x), weights[-1].shape[0]), dtype=x.dtype)
    for i in range(len(x)):
        a = x[i]
        for W, b in zip(weights, biases):
            a = np.array([neuron(a, W[j], b[j]) for j in range(len(b))])
        out[i] = a
    return out


# ---------------------------------------------------------------------------
# The machine
# ---------------------------------------------------------------------------


def epoch_flops(sizes, n):
    """Floating-point operations of one epoch's matrix products over `n` images.

    Per image: the forward pass (``2 n_in n_out`` per layer), the weight
    gradients (the same again) and the backpropagated errors of the hidden
    layers (no gradient with respect to the input). The bias adds, the
    sigmoids and the update are a few per cent on top and not counted.
    """
    pairs = list(zip(sizes[:-1], sizes[1:]))
    forward = sum(2 * a * b for a, b in pairs)
    backward = forward + sum(2 * a * b for a, b in pairs[1:])
    return n * (forward + backward)


def matmul_gflops(size, dtype, repeats):
    """Median GFLOP/s of a ``size x size`` matrix product (BLAS's best case)."""
    rng = np.random.default_rng(0)
    a = rng.random((size, size)).astype(dtype)
    b = rng.random((size, size)).astype(dtype)
    out = np.empty_like(a)
    np.matmul(a, b, out=out)  # warm up
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        np.matmul(a, b, out=out)
        times.append(time.perf_counter() - start)
    return 2 * size**3 / statistics.median(times) / 1e9


@contextmanager
def blas_threads(n):
    """Run the block with `n` BLAS (and PyTorch) threads, if threadpoolctl is installed."""
    torch_before = None
    if _have_torch():
        import torch

        torch_before = torch.get_num_threads()
        torch.set_num_threads(n)
    try:
        try:
            from threadpoolctl import threadpool_limits
        except ImportError:
            context = nullcontext()
        else:
            context = threadpool_limits(limits=n, user_api="blas")
        with context:
            yield
    finally:
        if torch_before is not None:
            import torch

            torch.set_num_threads(torch_before)


def _thread_control():
    try:
        import threadpoolctl  # noqa: F401
    except ImportError:
        return False
    return True


# ---------------------------------------------------------------------------
# Running the rows side by side
# ---------------------------------------------------------------------------


def _interleaved(jobs, repeats):
    """Median seconds of each job, the repeats of all jobs interleaved.

    `jobs` maps a name to ``(setup, run)``: ``setup()`` makes fresh state
    (untimed), ``run(state)`` is timed.
    """
    times = {name: [] for name in jobs}
    for _ in range(repeats):
        for name, (setup, run) in jobs.items():
            state = setup()
            start = time.perf_counter()
            run(state)
            times[name].append(time.perf_counter() - start)
    return {name: statistics.median(values) for name, values in times.items()}


def _data(n, dtype, seed=0):
    """MNIST-shaped random data: uint8 pixels, the same images as activations
    0-1 in `dtype`, and digits."""
    rng = np.random.default_rng(seed)
    pixels = rng.integers(0, 256, (n, SIZES[0]), dtype=np.uint8)
    return pixels, (pixels / 255).astype(dtype), rng.integers(0, SIZES[-1], n)


def bench_forward(n, slow_n, repeats):
    """Rows of images per second for the forward pass over `n` images."""
    rows = []
    jobs = {}
    for dtype in DTYPES:
        net = Network(SIZES, seed=0, dtype=dtype)
        _, x, _ = _data(n, dtype)
        jobs[f"digitnet feedforward, whole batch, {np.dtype(dtype).name}"] = (
            lambda: None, lambda _, net=net, x=x: net.feedforward(x))
    net = Network(SIZES, seed=0)
    _, x, _ = _data(slow_n, np.float64)
    jobs["one image at a time (column vectors), float64"] = (
        lambda: None, lambda _: one_at_a_time(net.weights, net.biases, x))
    few = x[: max(1, slow_n // 10)]
    jobs["neuron by neuron (matrix-form chapter loop), float64"] = (
        lambda: None, lambda _: neuron_by_neuron(net.weights, net.biases, few))
    counts = {name: n for name in jobs}
    counts["one image at a time (column vectors), float64"] = slow_n
    counts["neuron by neuron (matrix-form chapter loop), float64"] = len(few)
    for name, seconds in _interleaved(jobs, repeats).items():
        rate = counts[name] / seconds
        rows.append({"name": name, "images": counts[name], "images_per_second": rate,
                     "seconds_for_n": n / rate})
    return rows


def bench_training(n, slow_n, batch_sizes, repeats, with_torch):
    """Rows of seconds per epoch of `n` images, for every batch size and dtype."""
    rows = []
    for batch_size in batch_sizes:
        for dtype in DTYPES:
            name = np.dtype(dtype).name
            pixels, x, labels = _data(n, dtype)
            order = np.random.default_rng(1).permutation(n)
            slow_order = order[:slow_n]
            start = Network(SIZES, seed=0, dtype=dtype)

            def fresh(start=start):
                return start.astype(start.dtype)   # a copy: every row starts from the same weights

            # digitnet (and the floor row) reads the uint8 pixels, as in real
            # training (MNIST is stored so), and turns each mini-batch into
            # activations inside the timed loop; the other rows read the
            # activations made beforehand.
            jobs = {
                "reference per-example loop": (
                    fresh, lambda net, x=x, labels=labels, o=slow_order, bs=batch_size:
                    reference_epoch(net.weights, net.biases, x, labels, o, bs, ETA)),
                "per-example loop, tightened": (
                    fresh, lambda net, x=x, labels=labels, o=slow_order, bs=batch_size:
                    tightened_epoch(net.weights, net.biases, x, labels, o, bs, ETA)),
                "straightforward vectorised NumPy": (
                    fresh, lambda net, x=x, labels=labels, o=order, bs=batch_size:
                    vectorised_epoch(net.weights, net.biases, x, labels, o, bs, ETA)),
                "digitnet trainer (SGD pass)": (
                    fresh, lambda net, p=pixels, labels=labels, o=order, bs=batch_size:
                    digitnet_epoch(net, p, labels, o, bs, ETA)),
                "digitnet train(), 1 epoch incl. end-of-epoch measurement": (
                    fresh, lambda net, p=pixels, labels=labels, bs=batch_size:
                    train(net, p, labels, epochs=1, batch_size=bs, eta=ETA, seed=1)),
                FLOOR_ROW: (
                    lambda: None, lambda _, p=pixels, WT=start.weights[0].T.copy(),
                    d=np.ones((batch_size, SIZES[1]), dtype), o=order, bs=batch_size:
                    floor_epoch(p, WT, d, o, bs)),
            }
            if with_torch:
                import torch

                tx = torch.from_numpy(x)
                ty = torch.from_numpy(np.eye(SIZES[-1], dtype=dtype)[labels])
                torch_order = torch.from_numpy(slow_order)
                jobs["PyTorch CPU (nn.Linear + Sigmoid, SGD)"] = (
                    lambda: _torch_model(fresh()),
                    lambda model, tx=tx, ty=ty, o=torch_order, bs=batch_size:
                    torch_epoch(model, tx, ty, o, bs, ETA))
            for impl, seconds in _interleaved(jobs, repeats).items():
                factor = n / len(slow_order) if impl in SLOW_ROWS else 1.0
                rows.append({"name": impl, "batch_size": batch_size, "dtype": name,
                             "seconds": seconds * factor, "measured_images":
                             round(n / factor), "images": n})
    return rows


def same_weights_check(n=600, batch_size=10):
    """Largest weight difference between digitnet's trainer and the reference
    loop after one epoch from the same start on the same data (float64)."""
    pixels, x, labels = _data(n, np.float64, seed=2)
    order = np.random.default_rng(3).permutation(n)
    a, b = Network(SIZES, seed=4), Network(SIZES, seed=4)
    reference_epoch(a.weights, a.biases, x, labels, order, batch_size, ETA)
    digitnet_epoch(b, pixels, labels, order, batch_size, ETA)
    moved = max(float(np.max(np.abs(W - W0))) for W, W0 in zip(b.weights, Network(SIZES, seed=4).weights))
    diff = max(float(np.max(np.abs(p - q))) for p, q in zip(a.weights + a.biases, b.weights + b.biases))
    return {"images": n, "batch_size": batch_size, "max_abs_difference": diff, "max_abs_change": moved}


def peak_memory_epoch(n):
    """Peak resident memory (MiB) of a child process that trains one epoch on
    `n` uint8 MNIST-shaped images in float32, and the size of those images."""
    # VmHWM, not ru_maxrss: Linux carries ru_maxrss over from the parent
    # through fork and exec, so the child would report the benchmark's own peak.
    code = (
        "import re, resource, numpy as np\n"
        "from digitnet import Network\n"
        "from digitnet.training import train\n"
        "def peak():\n"
        "    try:\n"
        "        return int(re.search(r'VmHWM:\\s+(\\d+)', open('/proc/self/status').read())[1])\n"
        "    except OSError:\n"
        "        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        f"rng = np.random.default_rng(0); x = rng.integers(0, 256, ({n}, 784), dtype=np.uint8)\n"
        f"y = rng.integers(0, 10, {n})\n"
        "base = peak()\n"
        "train(Network(seed=0, dtype=np.float32), x, y, epochs=1, batch_size=10, eta=0.5, seed=0)\n"
        "print(base, peak())\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    before, after = (int(v) / 1024 for v in out.stdout.split())
    return {"images": n, "data_mib": n * 784 / 2**20, "peak_rss_mib": after,
            "rss_before_training_mib": before}


def bench_docs(root):
    """Seconds of a clean docs build, of a rebuild with no change, and of a clean ``-j 2`` build.

    Each clean build starts from an empty output, doctree and execution-cache
    folder of its own, so every page is executed (in parallel, by the book's
    extension); the no-change rebuild reuses the first build's folders.
    """
    def timed_build(folder, *options):
        command = build_command(root, os.path.join(folder, "html"), os.path.join(folder, "doctrees"),
                                "-D", f"nb_execution_cache_path={os.path.join(folder, 'jupyter_cache')}",
                                *options)
        start = time.perf_counter()
        done = subprocess.run(command, cwd=root, capture_output=True, text=True)
        if done.returncode:
            raise RuntimeError(f"the docs build failed:\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}")
        return time.perf_counter() - start

    result = {}
    with tempfile.TemporaryDirectory(prefix="digitnet-bench-docs-") as serial:
        result["clean_seconds"] = timed_build(serial)
        result["no_change_seconds"] = timed_build(serial)
    with tempfile.TemporaryDirectory(prefix="digitnet-bench-docs-") as parallel:
        result["clean_parallel_seconds"] = timed_build(parallel, "-j", "2")
    return result


# ---------------------------------------------------------------------------
# Report
# ---------------------------------------------------------------------------


def run(*, images=60_000, forward_images=10_000, slow_images=6_000, batch_sizes=(10, 128),
        threads=(1, 2), repeats=5, matmul_size=2048, docs=False, torch=None, memory=True):
    """Run every benchmark; return the results as a dict (see :func:`report`)."""
    with_torch = _have_torch() if torch is None else torch
    slow_images = min(slow_images, images)
    result = {
        "settings": {"images": images, "forward_images": forward_images, "slow_images": slow_images,
                     "batch_sizes": list(batch_sizes), "threads": list(threads), "repeats": repeats,
                     "matmul_size": matmul_size, "torch": with_torch,
                     "thread_control": _thread_control()},
        "machine": {"python": platform.python_version(), "numpy": np.__version__,
                    "machine": f"{platform.system()} {platform.machine()}",
                    "cpus": os.cpu_count()},
        "epoch_gflop": epoch_flops(SIZES, images) / 1e9,
        "by_threads": {},
    }
    if with_torch:
        import torch as _torch

        result["machine"]["torch"] = _torch.__version__
    for t in threads:
        with blas_threads(t):
            result["by_threads"][str(t)] = {
                "peak_gflops": {np.dtype(d).name: matmul_gflops(matmul_size, d, repeats) for d in DTYPES},
                "forward": bench_forward(forward_images, min(slow_images, forward_images), repeats),
                "training": bench_training(images, slow_images, batch_sizes, repeats, with_torch),
            }
    result["same_weights"] = same_weights_check()
    if memory:
        result["memory"] = peak_memory_epoch(images)
    if docs:
        result["docs"] = bench_docs(Path(__file__).resolve().parents[2])
    return result


def _fmt(seconds):
    return f"{seconds * 1e3:.0f} ms" if seconds < 10 else f"{seconds:.1f} s"


def targets(result):
    """Each speed target as ``(description with the measured value, met?)``.

    Every ratio compares rows of the same run and thread count; the fraction
    of peak divides by the matmul peak measured at the same thread count.

    Examples
    --------
    >>> from digitnet.bench import run, targets
    >>> result = run(images=200, forward_images=100, slow_images=20, batch_sizes=(10,),
    ...              threads=(1,), repeats=1, matmul_size=64, torch=False, memory=False)
    >>> [text.split(":")[0] for text, ok in targets(result)][:3]
    ['1 thread(s), forward float32', '1 thread(s), forward float32 vs one image at a time', '1 thread(s), batch 10, float32']
    """
    out = []
    f32 = "digitnet feedforward, whole batch, float32"
    for t, r in result["by_threads"].items():
        fwd = {row["name"]: row["images_per_second"] for row in r["forward"]}
        if int(t) == max(int(k) for k in result["by_threads"]):
            # "at least 1 million images per second on 2 cores, and at least 20x
            # the one-image-at-a-time loop": both on all the cores measured.
            one = fwd["one image at a time (column vectors), float64"]
            out.append((f"{t} thread(s), forward float32: {fwd[f32]:,.0f} images/s (target >= 1,000,000 "
                        "on the machine's cores)", fwd[f32] >= 1e6))
            out.append((f"{t} thread(s), forward float32 vs one image at a time: {fwd[f32] / one:.1f}x "
                        "(target >= 20x)", fwd[f32] / one >= 20))
        by = {(row["batch_size"], row["dtype"], row["name"]): row["seconds"] for row in r["training"]}
        for (batch, dtype, name), seconds in sorted(by.items()):
            if name != "digitnet trainer (SGD pass)":
                continue
            if batch == 10:
                ratio = by[(batch, dtype, "reference per-example loop")] / seconds
                out.append((f"{t} thread(s), batch 10, {dtype}: {ratio:.1f}x the per-example loop "
                            "(target >= 10x)", ratio >= 10))
            torch_seconds = by.get((batch, dtype, "PyTorch CPU (nn.Linear + Sigmoid, SGD)"))
            if torch_seconds is not None:
                out.append((f"{t} thread(s), batch {batch}, {dtype}: {torch_seconds / seconds:.1f}x "
                            "faster than PyTorch (target > 1x)", torch_seconds > seconds))
            if batch == 128 and dtype == "float32":
                share = result["epoch_gflop"] / seconds / r["peak_gflops"][dtype]
                floor = by.get((batch, dtype, FLOOR_ROW))
                bound = "" if floor is None else (
                    f"; the floor row alone: {result['epoch_gflop'] / floor / r['peak_gflops'][dtype]:.0%}")
                out.append((f"{t} thread(s), batch 128, float32: {share:.0%} of the matmul peak "
                            f"at {t} thread(s) (target >= 30%{bound})", share >= 0.30))
    return out


def report(result):
    """The results as Markdown: tables with medians, then the ratios."""
    lines = []
    settings = result["settings"]
    best_peak = {d: max(r["peak_gflops"][d] for r in result["by_threads"].values()) for d in ("float32", "float64")}
    for t, r in result["by_threads"].items():
        lines += [f"## {t} BLAS thread{'s' if t != '1' else ''}"
                  + ("" if settings["thread_control"] else " (requested; threadpoolctl missing, not enforced)"), ""]
        peak = r["peak_gflops"]
        lines += [f"Matmul peak ({settings['matmul_size']}x{settings['matmul_size']}): "
                  f"float32 {peak['float32']:.1f} GFLOP/s, float64 {peak['float64']:.1f} GFLOP/s.", ""]
        lines += ["### Forward pass", "",
                  f"| implementation | images/s | time for {settings['forward_images']:,} images | vs float32 whole batch |",
                  "|---|---|---|---|"]
        fwd = {row["name"]: row for row in r["forward"]}
        best = fwd["digitnet feedforward, whole batch, float32"]["images_per_second"]
        for row in r["forward"]:
            note = "" if row["images"] == settings["forward_images"] else f" (measured on {row['images']:,})"
            lines.append(f"| {row['name']}{note} | {row['images_per_second']:,.0f} | "
                         f"{_fmt(row['seconds_for_n'])} | {best / row['images_per_second']:.1f}x slower |"
                         if row["images_per_second"] != best else
                         f"| {row['name']} | {row['images_per_second']:,.0f} | {_fmt(row['seconds_for_n'])} | 1.0x |")
        lines += ["", f"### One training epoch ({settings['images']:,} images, {result['epoch_gflop']:.2f} GFLOP of matmul work)", "",
                  "| batch | dtype | implementation | seconds/epoch | reference loop / this | this / digitnet SGD pass | % of matmul peak (this thread count / machine best) |",
                  "|---|---|---|---|---|---|---|"]
        groups = {}
        for row in r["training"]:
            groups.setdefault((row["batch_size"], row["dtype"]), []).append(row)
        for (batch, dtype), rows in groups.items():
            by = {row["name"]: row["seconds"] for row in rows}
            ref, ours = by["reference per-example loop"], by["digitnet trainer (SGD pass)"]
            for row in rows:
                gflops = result["epoch_gflop"] / row["seconds"]
                note = "" if row["measured_images"] == row["images"] else f" (scaled from {row['measured_images']:,} images)"
                lines.append(
                    f"| {batch} | {dtype} | {row['name']}{note} | {row['seconds']:.3f} | {ref / row['seconds']:.1f}x | "
                    f"{row['seconds'] / ours:.2f} | {100 * gflops / peak[dtype]:.1f}% / {100 * gflops / best_peak[dtype]:.1f}% |")
        lines += ["", TRAINING_NOTE, ""]
    lines += ["## Ratios (targets)", ""]
    for t, r in result["by_threads"].items():
        by = {(row["batch_size"], row["dtype"], row["name"]): row["seconds"] for row in r["training"]}
        fwd = {row["name"]: row["images_per_second"] for row in r["forward"]}
        f32 = fwd["digitnet feedforward, whole batch, float32"]
        lines.append(f"- {t} thread(s): forward float32 {f32:,.0f} images/s, "
                     f"{f32 / fwd['one image at a time (column vectors), float64']:.0f}x one image at a time, "
                     f"{f32 / fwd['neuron by neuron (matrix-form chapter loop), float64']:.0f}x neuron by neuron")
        for batch in settings["batch_sizes"]:
            for dtype in ("float64", "float32"):
                ours = by[(batch, dtype, "digitnet trainer (SGD pass)")]
                parts = [f"{by[(batch, dtype, 'reference per-example loop')] / ours:.1f}x the reference loop",
                         f"{by[(batch, dtype, 'per-example loop, tightened')] / ours:.1f}x the tightened loop",
                         f"{by[(batch, dtype, 'straightforward vectorised NumPy')] / ours:.2f}x straightforward NumPy"]
                torch_key = (batch, dtype, "PyTorch CPU (nn.Linear + Sigmoid, SGD)")
                if torch_key in by:
                    parts.append(f"{by[torch_key] / ours:.1f}x PyTorch")
                gflops = result["epoch_gflop"] / ours
                parts.append(f"{100 * gflops / r['peak_gflops'][dtype]:.0f}% of this thread count's peak, "
                             f"{100 * gflops / best_peak[dtype]:.0f}% of the machine's best")
                lines.append(f"  - batch {batch}, {dtype}: digitnet is " + ", ".join(parts))
    lines += ["", "## Issue 5's targets, as measured in this run", ""]
    lines += [f"- [{'x' if ok else ' '}] {text}" for text, ok in targets(result)]
    same = result["same_weights"]
    lines += ["", f"Same weights: after one epoch ({same['images']} images, batch {same['batch_size']}, float64) "
              f"the reference loop and digitnet's trainer differ by at most {same['max_abs_difference']:.1e} "
              f"(the weights moved by up to {same['max_abs_change']:.2f})."]
    if "memory" in result:
        mem = result["memory"]
        lines.append(f"Memory: one float32 epoch on {mem['images']:,} uint8 images ({mem['data_mib']:.0f} MiB of pixels) "
                     f"peaks at {mem['peak_rss_mib']:.0f} MiB resident ({mem['rss_before_training_mib']:.0f} MiB before training).")
    if "docs" in result:
        docs = result["docs"]
        lines.append(f"Docs build: clean {docs['clean_seconds']:.0f} s, no-change rebuild "
                     f"{docs['no_change_seconds']:.1f} s, clean with -j 2 {docs['clean_parallel_seconds']:.0f} s.")
    return "\n".join(lines) + "\n"


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m digitnet.bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--images", type=int, default=60_000, help="training images per epoch (default 60000)")
    parser.add_argument("--forward-images", type=int, default=10_000, help="images in the forward pass (default 10000)")
    parser.add_argument("--slow-images", type=int, default=6_000,
                        help="images the slow rows (per-example loops, PyTorch) really run on (default 6000)")
    parser.add_argument("--batch-sizes", default="10,128", help="comma-separated (default 10,128)")
    parser.add_argument("--threads", default="1,2", help="BLAS thread counts, comma-separated (default 1,2)")
    parser.add_argument("--repeats", type=int, default=5, help="repeats per row; the median is reported (default 5)")
    parser.add_argument("--matmul-size", type=int, default=2048, help="matrix size of the peak measurement")
    parser.add_argument("--docs", action="store_true", help="also time a clean and a no-change docs build")
    parser.add_argument("--no-torch", action="store_true", help="skip the PyTorch rows even if torch is installed")
    parser.add_argument("--no-memory", action="store_true", help="skip the peak-memory measurement")
    parser.add_argument("--out", default=os.path.join("_build", "bench", "bench.json"),
                        help="where to write the JSON results (default _build/bench/bench.json)")
    args = parser.parse_args(argv)
    result = run(
        images=args.images, forward_images=args.forward_images, slow_images=args.slow_images,
        batch_sizes=tuple(int(b) for b in args.batch_sizes.split(",")),
        threads=tuple(int(t) for t in args.threads.split(",")), repeats=args.repeats,
        matmul_size=args.matmul_size, docs=args.docs, torch=False if args.no_torch else None,
        memory=not args.no_memory,
    )
    text = report(result)
    print(text)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    out.with_suffix(".md").write_text(text, encoding="utf-8")
    print(f"wrote {out} and {out.with_suffix('.md')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
