"""Shared test setup: a non-interactive matplotlib backend, every figure closed afterwards,
the built book (`site`), made once per session for test_book.py, test_browser.py and
test_formats.py, the book built without the MNIST files (`sample_site`), the Traditional
Chinese edition (`zh_site`), the headless
browser the browser tests drive (`playwright`, `browser`), and the MNIST folder (`mnist_folder`).

The plain helpers and paths below are imported by the test modules with
``from conftest import ...`` (pytest puts this folder on ``sys.path``).
"""

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from digitnet.book import build_command  # noqa: E402

#: The repository.
ROOT = Path(__file__).resolve().parents[1]
#: Where the `site` fixture builds the book.
SITE = ROOT / "_build" / "html"
#: Where the `sample_site` fixture builds the book without the MNIST files.
SAMPLE_SITE = ROOT / "_build" / "html-sample"
#: Where the `zh_site` fixture builds the Traditional Chinese edition (beside `SITE`,
#: as `make docs-zh` does, so the links between the editions resolve on disk).
ZH_SITE = ROOT / "_build" / "html-zh_TW"
#: The real MNIST files: DIGITNET_DATA_DIR if it is set, else ../shared/data/mnist
#: beside the repository.
MNIST_DIR = Path(
    os.environ.get("DIGITNET_DATA_DIR") or ROOT.parent / "shared" / "data" / "mnist"
).resolve()


@pytest.fixture(autouse=True)
def close_figures():
    """Close every figure a test opened, so none leaks into the next test."""
    yield
    plt.close("all")


def build_book(out, doctrees, *options, builder="html", env=None):
    """Run the book's build command (with `builder`) into `out`; fail on a failed build
    or any warning. The tests' every build of the book goes through here."""
    command = build_command(ROOT, out, doctrees, *options)
    command[command.index("-b") + 1] = builder
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=1800)
    assert result.returncode == 0, (
        f"the build into {out.name} failed (exit {result.returncode}):\n{result.stdout[-3000:]}\n"
        f"{result.stderr[-6000:]}"
    )
    # -W already turns warnings into errors; this guards against a config that drops it.
    assert "WARNING:" not in result.stderr, result.stderr
    return result


@pytest.fixture(scope="session")
def site():
    """Run the book's build command; return the folder of the built site.

    The build runs once per test session (with the execution cache, so a rebuild
    with no code change takes seconds). It uses ``-W --keep-going``: any warning,
    a failing cell or an unresolved glue reference fails the build and the test.
    """
    build_book(SITE, ROOT / "_build" / "doctrees")
    return SITE


@pytest.fixture(scope="session")
def zh_site():
    """Build the Traditional Chinese edition (``make docs-zh``); return the site's folder.

    The same sources and build command with ``-D language=zh_TW``: the pages'
    prose comes from the catalogs in ``locale/``, and every page is executed
    again (its own cache), so its figures and glued words are in Chinese. A
    figure or glued text the outputs catalog lacks fails its page (strict).
    """
    build_book(ZH_SITE, ROOT / "_build" / "doctrees-zh_TW", "-D", "language=zh_TW")
    return ZH_SITE


def _mnist_is_local(env):
    """What digitnet.datasets.mnist_is_local() says in a process with environment `env`."""
    check = "from digitnet.datasets import mnist_is_local; print(mnist_is_local())"
    result = subprocess.run([sys.executable, "-c", check], env=env, capture_output=True,
                            text=True, check=True)
    return result.stdout.strip() == "True"


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory):
    """Build the book as a machine without the MNIST files does; return the site's folder.

    The *sample edition*: every page that would read MNIST uses the 1,000 test
    images bundled with the package instead (and says so). It is built into its
    own folders (``_build/html-sample``, ``_build/doctrees-sample``); its executed
    pages are cached apart from the full edition's, under the data source's name.
    ``DIGITNET_DATA_DIR`` is removed from the build's environment, and if the user
    cache holds the MNIST files, the cache is pointed at an empty folder.
    """
    env = {k: v for k, v in os.environ.items() if k != "DIGITNET_DATA_DIR"}
    if _mnist_is_local(env):
        env["XDG_CACHE_HOME"] = str(tmp_path_factory.mktemp("empty-cache"))
        if _mnist_is_local(env):
            pytest.fail("cannot hide the MNIST files from the sample build: they are in a "
                        "user cache that XDG_CACHE_HOME does not move on this system")
    result = build_book(SAMPLE_SITE, ROOT / "_build" / "doctrees-sample", env=env)
    assert "the MNIST files were not found" in result.stdout + result.stderr
    return SAMPLE_SITE


#: The browser the browser tests drive through Playwright: Debian's ``chromium``
#: (never Playwright's own download), with the flags it needs here (root, no GPU).
CHROMIUM = Path(os.environ.get("DIGITNET_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
]


def _browser_unavailable(reason):
    if os.environ.get("CI"):
        pytest.fail(f"{reason}; CI is set, so the browser tests must run (.ci/run installs both)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def playwright():
    """Playwright for the whole session (one per process: test_browser and test_formats share it)."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _browser_unavailable("Playwright for Python is not installed (pip install -e '.[test]')")
    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="session")
def browser(playwright):
    """Headless :data:`CHROMIUM`; skipped without it, unless CI is set: then the test fails."""
    if not CHROMIUM.is_file():
        _browser_unavailable(f"no Chromium at {CHROMIUM} (apt-get install chromium)")
    browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    yield browser
    browser.close()


#: The project's shared, read-only folder: the failing cases of the bug reports
#: and the real pictures of handwritten digits (test data only). It lies beside
#: the repository, or where the environment variable DIGITNET_SHARED_DIR says.
SHARED = Path(os.environ.get("DIGITNET_SHARED_DIR") or ROOT.parent / "shared").resolve()
CASES = SHARED / "cases"
REAL_DIGITS = SHARED / "data" / "real-digits"


def shared_folder(path):
    """`path`, a folder of ../shared; skipped if absent -- failed instead when CI is set."""
    if not path.is_dir():
        if os.environ.get("CI"):
            pytest.fail(f"{path} is missing; set DIGITNET_SHARED_DIR to the shared folder "
                        "(.ci/run sets it to ../shared)")
        pytest.skip(f"{path} is not beside this checkout")
    return path


@pytest.fixture
def mnist_folder(monkeypatch):
    """DIGITNET_DATA_DIR pointed at the real MNIST files (never a download); returns the folder."""
    from digitnet.datasets import DATA_DIR_VARIABLE

    monkeypatch.setenv(DATA_DIR_VARIABLE, str(MNIST_DIR))
    return MNIST_DIR


# --------------------------------------------------------------------------- helpers


def assert_same_network(a, b):
    """`a` and `b` have the same sizes, dtype, and bit-for-bit the same weights and biases."""
    assert a.sizes == b.sizes
    assert a.dtype == b.dtype
    assert len(a.weights) == len(b.weights) and len(a.biases) == len(b.biases)
    for W, V in zip(a.weights + a.biases, b.weights + b.biases):
        assert W.dtype == V.dtype
        np.testing.assert_array_equal(W, V)


def correlation(a, b):
    """The correlation coefficient of two pictures (arrays or nested lists), pixel by pixel."""
    return float(np.corrcoef(np.ravel(a), np.ravel(b))[0, 1])


def flip_byte(data, index=None, mask=0xFF):
    """`data` (bytes) with the byte at `index` (default: the middle one) XOR-ed with `mask`."""
    data = bytearray(data)
    data[len(data) // 2 if index is None else index] ^= mask
    return bytes(data)


def corrupt_copy(source, folder, names, bad):
    """Copy the files `names` from `source` into `folder`, flipping one bit in the middle of `bad`.

    Returns the damaged copy's path and its SHA-256 (hex).
    """
    folder.mkdir(parents=True, exist_ok=True)
    for name in names:
        shutil.copyfile(source / name, folder / name)
    data = flip_byte((folder / bad).read_bytes(), mask=0x01)
    (folder / bad).write_bytes(data)
    return folder / bad, hashlib.sha256(data).hexdigest()
