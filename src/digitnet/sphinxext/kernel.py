"""The environment the notebook kernels inherit from the Sphinx process.

myst-nb runs each page in a separate kernel process, which imports the
*installed* package. Putting the checkout's ``src/`` first on its
``PYTHONPATH`` makes the pages document the code beside them, installed or
not. Figures reach a page only through the inline backend: an inherited
``MPLBACKEND=Agg`` (common on CI) would make every plot silently disappear.
"""

import os
from pathlib import Path

#: The matplotlib backend every kernel uses.
INLINE_BACKEND = "module://matplotlib_inline.backend_inline"


def kernel_environment(confdir, environ):
    """The variables to set for the kernels of a book whose ``conf.py`` is in `confdir`.

    Parameters
    ----------
    confdir : str or path
        The folder of ``conf.py``; its ``src/`` goes first on ``PYTHONPATH``.
    environ : mapping of str to str
        The current environment (``os.environ``).

    Returns
    -------
    dict of str to str
        ``PYTHONPATH`` and ``MPLBACKEND``.

    Examples
    --------
    >>> env = kernel_environment("/book", {"PYTHONPATH": "/elsewhere"})
    >>> env["PYTHONPATH"].split(os.pathsep)
    ['/book/src', '/elsewhere']
    >>> env["MPLBACKEND"]
    'module://matplotlib_inline.backend_inline'
    """
    src = str(Path(confdir) / "src")
    paths = [src] + [p for p in environ.get("PYTHONPATH", "").split(os.pathsep) if p and p != src]
    return {"PYTHONPATH": os.pathsep.join(paths), "MPLBACKEND": INLINE_BACKEND}


def set_kernel_environment(app, config):
    """Set :func:`kernel_environment` in ``os.environ`` (at ``config-inited``)."""
    os.environ.update(kernel_environment(app.confdir, os.environ))


def setup(app):
    app.connect("config-inited", set_kernel_environment)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
