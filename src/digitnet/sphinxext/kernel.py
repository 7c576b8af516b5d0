"""The environment the notebook kernels inherit from the Sphinx process.

myst-nb runs each page in a separate kernel process, which imports the
*installed* package. Putting the checkout's ``src/`` first on its
``PYTHONPATH`` makes the pages document the code beside them, installed or
not. Figures reach a page only through the inline backend: an inherited
``MPLBACKEND=Agg`` (common on CI) would make every plot silently disappear.
The kernels also learn the edition being built (its language and catalogs), so
the text the pages' code writes is in the reader's language
(:mod:`digitnet.translation`, :mod:`digitnet.figuretext`).
"""

import os
from pathlib import Path

from sphinx.util import logging

from digitnet import translation

logger = logging.getLogger(__name__)

#: The matplotlib backend every kernel uses.
INLINE_BACKEND = "module://matplotlib_inline.backend_inline"


def kernel_environment(confdir, environ, language="en"):
    """The variables to set for the kernels of a book whose ``conf.py`` is in `confdir`.

    Parameters
    ----------
    confdir : str or path
        The folder of ``conf.py``; its ``src/`` goes first on ``PYTHONPATH``.
    environ : mapping of str to str
        The current environment (``os.environ``).
    language : str, default "en"
        The edition's language (Sphinx's ``language``).

    Returns
    -------
    dict of str to str
        ``PYTHONPATH``, ``MPLBACKEND``, and the edition: its language, the folder
        of its catalogs (``locale/`` beside ``conf.py``), and strict translation
        (a text the catalog lacks fails its page).

    Examples
    --------
    >>> env = kernel_environment("/book", {"PYTHONPATH": "/elsewhere"})
    >>> env["PYTHONPATH"].split(os.pathsep)
    ['/book/src', '/elsewhere']
    >>> env["MPLBACKEND"]
    'module://matplotlib_inline.backend_inline'
    >>> kernel_environment("/book", {}, "zh_TW")["DIGITNET_BOOK_LANGUAGE"]
    'zh_TW'
    """
    src = str(Path(confdir) / "src")
    paths = [src] + [p for p in environ.get("PYTHONPATH", "").split(os.pathsep) if p and p != src]
    return {"PYTHONPATH": os.pathsep.join(paths), "MPLBACKEND": INLINE_BACKEND,
            translation.LANGUAGE: language or "en",
            translation.LOCALE_DIR: str(Path(confdir) / "locale"),
            translation.STRICT: "1"}


def set_kernel_environment(app, config):
    """Set :func:`kernel_environment` in ``os.environ`` (at ``config-inited``)."""
    os.environ.update(kernel_environment(app.confdir, os.environ, config.language))
    if (config.language or "en") != "en":
        from digitnet.figuretext import cjk_font

        if cjk_font() is None:
            logger.info("digitnet: no CJK font found (Debian and Read the Docs: the package "
                        "fonts-noto-cjk), so the figures of this edition keep English labels")


def setup(app):
    app.connect("config-inited", set_kernel_environment)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
