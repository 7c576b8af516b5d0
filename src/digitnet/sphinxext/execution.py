"""Stale pages executed in parallel, before Sphinx reads them.

myst-nb executes a page while Sphinx reads it, one page after another (or
racing on the cache with ``sphinx -j``). The book's pages are independent
notebooks, and most of a clean build is spent running them, so this module
runs every page that has no match in the execution cache first, several at a
time in worker processes (one per CPU core), and stores each executed
notebook in the cache. When Sphinx then reads the pages, myst-nb finds every
one of them in the cache, exactly as on a rebuild.

The notebook is read and hashed exactly as myst-nb reads it, so a page
executed here is a cache hit there. A page that fails here is not cached:
myst-nb runs it again while reading and reports the error as usual (the
build fails on it, with the traceback).
"""

import multiprocessing
import os
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path, PurePosixPath

from sphinx.util import logging

logger = logging.getLogger(__name__)

#: The BLAS and OpenMP thread counts a kernel is given when pages run side by side.
THREAD_VARIABLES = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")


def available_cpus():
    """The CPU cores this process may run on."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def worker_count(pages, cpus=None, setting=None):
    """How many pages to execute at once.

    Parameters
    ----------
    pages : int
        The number of pages to execute.
    cpus : int or None
        CPU cores available (default: those this process may use).
    setting : int or None
        ``digitnet_execution_workers`` from ``conf.py``; None means one per core.

    Returns
    -------
    int
        Between 0 (nothing to execute) and `pages`.

    Examples
    --------
    >>> worker_count(14, cpus=2), worker_count(1, cpus=8), worker_count(14, cpus=8, setting=3)
    (2, 1, 3)
    >>> worker_count(0, cpus=2)
    0
    """
    if cpus is None:
        cpus = available_cpus()
    wanted = setting if setting else (cpus or 1)
    return max(0, min(pages, int(wanted)))


def _execute(source, notebook_json, cwd, timeout, allow_errors, threads):
    """Execute one notebook in a worker process; its JSON, seconds and error text."""
    import nbformat
    from jupyter_cache.executors.utils import single_nb_execution

    for name in THREAD_VARIABLES:
        os.environ[name] = str(threads)
    notebook = nbformat.reads(notebook_json, as_version=4)
    result = single_nb_execution(notebook, cwd=cwd, timeout=timeout, allow_errors=allow_errors,
                                 meta_override=True)
    error = None if result.err is None else f"{type(result.err).__name__}: {result.err}"
    return source, nbformat.writes(notebook), result.time, error


def stale_notebooks(app, docnames, cache):
    """The pages among `docnames` that myst-nb would execute: ``(source path, notebook)`` pairs.

    A page is stale when it is a notebook (a MyST page with notebook front
    matter), is not excluded from execution, and has no match in the cache.
    """
    from myst_nb.core.read import create_nb_reader

    nb_config = app.env.mystnb_config
    stale = []
    for docname in sorted(docnames):
        path = Path(app.env.doc2path(docname))
        content = path.read_text(encoding="utf-8")
        reader = create_nb_reader(str(path), app.env.myst_config, nb_config, content)
        if reader is None:
            continue
        if any(PurePosixPath(path.as_posix()).match(p) for p in nb_config.execution_excludepatterns):
            continue
        notebook = reader.read(content)
        if notebook.metadata.get(nb_config.metadata_key, {}).get("execution_mode", "cache") != "cache":
            continue
        try:
            cache.match_cache_notebook(notebook)
        except KeyError:
            stale.append((path, notebook))
    return stale


def execute_stale_pages(app, env, docnames):
    """``env-before-read-docs``: execute the stale pages in parallel and cache them."""
    import nbformat
    from jupyter_cache import get_cache
    from jupyter_cache.base import CacheBundleIn

    nb_config = app.env.mystnb_config
    if nb_config.execution_mode != "cache":
        return
    cache = get_cache(nb_config.execution_cache_path)
    stale = stale_notebooks(app, docnames, cache)
    workers = worker_count(len(stale), setting=app.config.digitnet_execution_workers)
    if workers < 2:
        return  # one page (or none): myst-nb runs it while reading, as usual
    threads = max(1, available_cpus() // workers)
    logger.info(f"digitnet: executing {len(stale)} pages, {workers} at a time")
    start = time.perf_counter()
    context = multiprocessing.get_context("spawn")
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=context)
    try:
        jobs = [
            pool.submit(_execute, str(path), nbformat.writes(notebook), str(path.parent),
                        nb_config.execution_timeout, nb_config.execution_allow_errors, threads)
            for path, notebook in stale
        ]
        for job in jobs:
            source, notebook_json, seconds, error = job.result()
            name = Path(source).relative_to(app.srcdir).as_posix()
            if error is not None:
                logger.info(f"digitnet: {name} failed ({error.splitlines()[0]}); it runs again while read")
                continue
            notebook = nbformat.reads(notebook_json, as_version=4)
            cache.cache_notebook_bundle(
                CacheBundleIn(notebook, source, data={"execution_seconds": seconds}),
                check_validity=False, overwrite=True,
            )
            logger.info(f"digitnet: executed {name} in {seconds:.1f} s")
    except BaseException:  # Ctrl-C or a failure: stop the workers now, not after their pages
        for process in list(getattr(pool, "_processes", {}).values()):
            process.terminate()
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown()
    logger.info(f"digitnet: {len(stale)} pages executed in {time.perf_counter() - start:.1f} s")


def setup(app):
    app.add_config_value("digitnet_execution_workers", None, "env", types=(int, type(None)))
    app.connect("env-before-read-docs", execute_stale_pages)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
