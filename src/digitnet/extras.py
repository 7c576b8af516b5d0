"""Optional parts of digitnet and the packages they need.

The network, its training and the book's figures need only NumPy and
Matplotlib. Reading a photo of a digit needs more -- thresholds, connected
components and morphology from scikit-image and SciPy, about 60 MB -- so those
come with an *extra*: ``pip install "digitnet[images]"``. :func:`require`
checks for an extra's packages where they are first needed, so a missing one
is reported with the command that installs it, not as an ImportError deep in
the code.
"""

from importlib.util import find_spec

#: What each extra is for, and the modules it provides (module -> PyPI name).
EXTRAS = {
    "images": ("reading pictures", {"skimage": "scikit-image", "scipy": "scipy"}),
}


def require(extra):
    """Raise ImportError, with the fix, unless the packages of `extra` are installed.

    Parameters
    ----------
    extra : str
        A key of :data:`EXTRAS`.

    Raises
    ------
    ImportError
        If a package of the extra cannot be imported; the message names it
        and the ``pip install`` command that adds the extra.
    KeyError
        If `extra` is not a known extra.

    Examples
    --------
    >>> from unittest import mock
    >>> from digitnet.extras import require
    >>> require("images")                       # installed: nothing happens
    >>> with mock.patch("digitnet.extras.find_spec", return_value=None):
    ...     require("images")
    Traceback (most recent call last):
    ...
    ImportError: reading pictures needs scikit-image and scipy, which are not installed; install them with: pip install "digitnet[images]"
    """
    purpose, modules = EXTRAS[extra]
    missing = [name for module, name in modules.items() if find_spec(module) is None]
    if missing:
        raise ImportError(
            f"{purpose} needs {' and '.join(missing)}, which "
            f"{'is' if len(missing) == 1 else 'are'} not installed; install "
            f'{"it" if len(missing) == 1 else "them"} with: pip install "digitnet[{extra}]"'
        )
