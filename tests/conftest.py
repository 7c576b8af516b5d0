"""Shared test setup: a non-interactive matplotlib backend, every figure closed afterwards,
and the built book (`site`), made once per session for test_book.py and test_browser.py."""

import subprocess
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402

from digitnet.book import build_command  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SITE = ROOT / "_build" / "html"


@pytest.fixture(autouse=True)
def close_figures():
    """Close every figure a test opened, so none leaks into the next test."""
    yield
    plt.close("all")


@pytest.fixture(scope="session")
def site():
    """Run the book's build command; return the folder of the built site.

    The build runs once per test session (with the execution cache, so a rebuild
    with no code change takes seconds). It uses ``-W --keep-going``: any warning,
    a failing cell or an unresolved glue reference fails the build and the test.
    """
    result = subprocess.run(build_command(ROOT, SITE, ROOT / "_build" / "doctrees"), cwd=ROOT,
                            capture_output=True, text=True)
    assert result.returncode == 0, (
        f"the docs build failed (exit {result.returncode}):\n{result.stdout[-3000:]}\n"
        f"{result.stderr[-6000:]}"
    )
    # -W already turns warnings into errors; this guards against a config that drops it.
    assert "WARNING:" not in result.stderr, result.stderr
    return SITE
