"""The execution cache: one per package and data source, checked before every build.

myst-nb's ``cache`` mode (jupyter-cache) re-runs a page only when its code
changes. That is not enough here: a page must also run again when the package
it documents changes, or when the data it reads changes (the full MNIST files
versus the bundled sample). So the cache folder's name holds both, e.g.
``_build/.jupyter_cache/mnist-3f2a9c01b4d7``: every package change starts a
fresh cache.

A cache can be left half-made (a build killed while it created the database)
or corrupt (a hand-deleted file). Before the build reads any page, and before
any parallel worker starts, :func:`open_cache` checks the cache folder and
creates its database; a broken one is deleted and made anew, with a one-line
notice in the build log, so it can never make every later build fail.
"""

import hashlib
import json
import shutil
from pathlib import Path

from sphinx.util import logging

logger = logging.getLogger(__name__)

#: The package files whose bytes name the cache: code, weights, data.
PACKAGE_SUFFIXES = (".py", ".npz", ".json")

#: Package folders the pages never run: the build machinery itself.
NOT_RUN_BY_PAGES = ("sphinxext", "__pycache__")


def package_digest(package_dir, length=12):
    """A short SHA-256 of every code, weights and data file of a package folder.

    Parameters
    ----------
    package_dir : str or path
        The package's folder (``digitnet/``); its files are read in sorted
        order, each named by its path relative to the folder.
    length : int, default 12
        How many hexadecimal digits to keep.

    Returns
    -------
    str
        The digest; it changes when any ``.py``, ``.npz`` or ``.json`` file
        under the folder changes, is added, removed or renamed, except in
        :data:`NOT_RUN_BY_PAGES` (editing the build machinery re-runs no page).

    Examples
    --------
    >>> import digitnet, pathlib
    >>> digest = package_digest(pathlib.Path(digitnet.__file__).parent)
    >>> len(digest), all(c in "0123456789abcdef" for c in digest)
    (12, True)
    """
    package = Path(package_dir)
    digest = hashlib.sha256()
    for path in sorted(package.rglob("*")):
        if path.suffix in PACKAGE_SUFFIXES and not set(NOT_RUN_BY_PAGES) & set(path.parts):
            digest.update(path.relative_to(package).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:length]


def cache_folder(build_dir, data, digest, language="en"):
    """The execution cache's folder for one data source, package digest and edition.

    The English edition's folder is named by data and digest; another edition's
    also by its language, since its pages' figures and glued words differ.

    Examples
    --------
    >>> cache_folder("/book/_build", "sample", "0123456789ab").as_posix()
    '/book/_build/.jupyter_cache/sample-0123456789ab'
    >>> cache_folder("/book/_build", "mnist", "0123456789ab", "zh_TW").name
    'mnist-zh_TW-0123456789ab'
    """
    edition = "" if language in (None, "en") else f"{language}-"
    return Path(build_dir) / ".jupyter_cache" / f"{data}-{edition}{digest}"


def data_source():
    """``"mnist"`` when the four MNIST files are found, else ``"sample"``."""
    from digitnet.datasets import mnist_is_local

    return "mnist" if mnist_is_local() else "sample"


def name_cache(app, config):
    """Set ``nb_execution_cache_path`` to :func:`cache_folder` unless ``conf.py`` set one.

    Either way, say in the build log which data the pages will read.
    """
    data = data_source()
    if data == "mnist":
        logger.info("digitnet: the book is built with the full MNIST data set")
    else:
        logger.info(
            "digitnet: the MNIST files were not found, so the book is built with the "
            "1,000 test images bundled with the package (run `digitnet data` for the full set)"
        )
    if config.nb_execution_cache_path:
        return
    import digitnet

    package = Path(digitnet.__file__).parent
    digest = package_digest(package)
    if (config.language or "en") != "en":
        # The edition's figures and glued words come from its outputs catalog too.
        from digitnet.figuretext import cjk_font
        from digitnet.translation import catalog_path

        catalog = catalog_path(Path(app.confdir) / "locale", config.language)
        text = catalog.read_bytes() if catalog.is_file() else b""
        # ... and from the CJK font found: installed or removed, the figures change.
        font = (cjk_font() or "no CJK font").encode()
        digest = hashlib.sha256(bytes.fromhex(digest) + text + font).hexdigest()[:len(digest)]
    config.nb_execution_cache_path = str(
        cache_folder(Path(app.confdir) / "_build", data, digest, config.language)
    )


def cache_problem(path):
    """What is wrong with the execution cache in `path`, or None if it is sound.

    A missing folder is sound (it is made on first use). Checked: the
    database opens and has jupyter-cache's tables, and every cached notebook
    it lists exists and is valid JSON.

    Parameters
    ----------
    path : str or path
        The cache folder.

    Returns
    -------
    str or None
        A short description of the first fault found.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp()) / "cache"
    >>> cache_problem(folder) is None
    True
    >>> folder.mkdir()
    >>> cache_problem(folder)
    'it has no database (a build stopped while making it)'
    >>> _ = (folder / "__version__.txt").write_text("1.0.1")
    >>> _ = (folder / "global.db").write_bytes(b"not a database")
    >>> cache_problem(folder)
    'its database cannot be read (DatabaseError)'
    """
    from jupyter_cache import get_cache
    from jupyter_cache.cache.db import Setting
    from jupyter_cache.cache.main import CACHE_LIMIT_KEY, DEFAULT_CACHE_LIMIT

    path = Path(path)
    if not path.exists():
        return None
    if not (path / "global.db").is_file() or not (path / "__version__.txt").is_file():
        return "it has no database (a build stopped while making it)"
    cache = get_cache(path)
    try:
        Setting.get_value(CACHE_LIMIT_KEY, cache.db, DEFAULT_CACHE_LIMIT)
        records = cache.list_cache_records()
    except Exception as error:  # sqlite errors come wrapped in SQLAlchemy's
        cause = getattr(error, "orig", None) or error
        return f"its database cannot be read ({type(cause).__name__})"
    for record in records:
        notebook = path / "executed" / record.hashkey / "base.ipynb"
        try:
            usable = _looks_like_a_notebook(json.loads(notebook.read_text(encoding="utf-8")))
        except (OSError, ValueError):
            usable = False
        if not usable:
            return f"the executed notebook of {Path(record.uri).name} is missing or damaged"
    return None


#: The keys nbformat 4 requires, of a notebook and of each kind of cell.
NOTEBOOK_KEYS = {"cells", "metadata", "nbformat", "nbformat_minor"}
CELL_KEYS = {"cell_type", "metadata", "source"}
CODE_CELL_KEYS = CELL_KEYS | {"outputs", "execution_count"}


def _looks_like_a_notebook(data):
    """Whether parsed JSON has every key nbformat 4 requires, with cells as a non-empty list.

    Enough to tell a notebook from a damaged file without nbformat's whole schema
    check, which would cost every no-change rebuild a noticeable fraction of a second.

    Examples
    --------
    >>> cell = {"cell_type": "code", "metadata": {}, "source": "1", "outputs": [], "execution_count": 1}
    >>> _looks_like_a_notebook({"cells": [cell], "metadata": {}, "nbformat": 4, "nbformat_minor": 5})
    True
    >>> _looks_like_a_notebook({"cells": [{"cell_type": "code"}], "metadata": {}, "nbformat": 4,
    ...                         "nbformat_minor": 5})
    False
    """
    if not isinstance(data, dict) or not NOTEBOOK_KEYS <= data.keys():
        return False
    cells = data["cells"]
    return isinstance(cells, list) and bool(cells) and all(
        isinstance(c, dict) and (CODE_CELL_KEYS if c.get("cell_type") == "code" else CELL_KEYS) <= c.keys()
        for c in cells)


def open_cache(path):
    """Check the execution cache in `path`, remake it if broken, and create its database.

    Run once in the main process before the build reads a page, so that
    parallel readers (``sphinx -j``) never race to create the folder or the
    database. Two builds started together (say html and epub) share the cache:
    a lock file beside the folder lets one check and create it while the
    other waits, so neither mistakes the other's half-made database for a
    broken one. Returns the opened :class:`jupyter_cache.cache.main.JupyterCacheBase`.
    """
    from filelock import FileLock
    from jupyter_cache import get_cache

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with FileLock(f"{path}.lock"):  # beside the folder, which may be deleted here
        problem = cache_problem(path)
        if problem is not None:
            logger.info(
                f"digitnet: the execution cache {path} was unusable ({problem}); "
                "it was deleted and the pages run again",
                color="red",
            )
            shutil.rmtree(path)
        cache = get_cache(path)
        cache.list_cache_records()  # creates the folder, the database and its tables
    cache.remade = problem is not None
    return cache


def prepare_cache(app):
    """``builder-inited``: :func:`open_cache` on the configured cache folder."""
    app.env.digitnet_cache_remade = False
    if app.config.nb_execution_mode == "cache" and app.config.nb_execution_cache_path:
        app.env.digitnet_cache_remade = open_cache(app.config.nb_execution_cache_path).remade


def read_all_after_remaking(app, env, added, changed, removed):
    """``env-get-outdated``: after a remade cache, every page is read (so run) again now."""
    return sorted(env.found_docs) if getattr(env, "digitnet_cache_remade", False) else []


def setup(app):
    app.connect("config-inited", name_cache)
    app.connect("builder-inited", prepare_cache, priority=400)
    app.connect("env-get-outdated", read_all_after_remaking)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
