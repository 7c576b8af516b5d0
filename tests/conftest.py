"""Shared test setup: a non-interactive matplotlib backend, every figure closed afterwards."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402


@pytest.fixture(autouse=True)
def close_figures():
    """Close every figure a test opened, so none leaks into the next test."""
    yield
    plt.close("all")
