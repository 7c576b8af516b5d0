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

import atexit
import multiprocessing
import os
import threading
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


def _exit_with_parent(parent, interval=0.5):
    """Worker initializer: exit when the Sphinx process is gone (killed, not stopped).

    A killed parent cannot stop its workers; each one notices it has been
    re-parented and exits, and its kernel (ipykernel watches its own parent)
    follows.
    """
    def watch():
        while os.getppid() == parent:
            time.sleep(interval)
        os._exit(1)

    threading.Thread(target=watch, daemon=True).start()


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


def page_notebook(app, docname):
    """The notebook myst-nb makes of a page, or None when the page is no notebook.

    Parameters
    ----------
    app : sphinx.application.Sphinx
        The application (its environment holds myst's and myst-nb's configuration).
    docname : str
        The page, e.g. ``"docs/chapters/learning"``.

    Returns
    -------
    nbformat.NotebookNode or None
        The page read exactly as myst-nb reads it (so its hash matches the cache's).
    """
    from myst_nb.core.read import create_nb_reader

    path = Path(app.env.doc2path(docname))
    content = path.read_text(encoding="utf-8")
    reader = create_nb_reader(str(path), app.env.myst_config, app.env.mystnb_config, content)
    return None if reader is None else reader.read(content)


def stale_notebooks(app, docnames, cache):
    """The pages among `docnames` that myst-nb would execute: ``(source path, docname, notebook)``.

    A page is stale when it is a notebook (a MyST page with notebook front
    matter), is not excluded from execution, and has no match in the cache.
    """
    nb_config = app.env.mystnb_config
    stale = []
    for docname in sorted(docnames):
        path = Path(app.env.doc2path(docname))
        if any(PurePosixPath(path.as_posix()).match(p) for p in nb_config.execution_excludepatterns):
            continue
        notebook = page_notebook(app, docname)
        if notebook is None:
            continue
        if notebook.metadata.get(nb_config.metadata_key, {}).get("execution_mode", "cache") != "cache":
            continue
        try:
            cache.match_cache_notebook(notebook)
        except KeyError:
            stale.append((path, docname, notebook))
    return stale


def schedule(costs, workers):
    """Longest first: the order to start jobs in and the order they are expected to end in.

    Jobs are started longest first on `workers` workers, each taking the next
    job when it is free (Graham's LPT rule, which keeps one long job from
    starting last and running on alone). Simulating that with the estimated
    costs gives the order in which the jobs should finish.

    Parameters
    ----------
    costs : dict
        Job name to its estimated cost (any positive unit).
    workers : int
        How many jobs run at once (at least 1).

    Returns
    -------
    start, finish : list
        The job names in the order to submit them, and in their expected order of completion.

    References
    ----------
    R. L. Graham, "Bounds on multiprocessing timing anomalies", SIAM J. Appl. Math. 17 (1969).

    Examples
    --------
    >>> schedule({"short": 1, "long": 10, "middle": 4, "tiny": 0.5}, workers=2)
    (['long', 'middle', 'short', 'tiny'], ['middle', 'short', 'tiny', 'long'])
    """
    import heapq

    start = sorted(costs, key=lambda name: (-costs[name], name))
    free_at = [(0.0, worker) for worker in range(max(1, workers))]
    ends = []
    for name in start:
        time_free, worker = heapq.heappop(free_at)
        ends.append((time_free + costs[name], name))
        heapq.heappush(free_at, (time_free + costs[name], worker))
    return start, [name for _, name in sorted(ends)]


class PageExecutions:
    """Stale pages running in worker processes; each one cached as soon as it is wanted.

    Parameters
    ----------
    app : sphinx.application.Sphinx
        The application; its source folder names the pages in the log.
    cache : jupyter_cache.base.JupyterCacheAbstract
        The execution cache myst-nb reads.
    stale : list of (pathlib.Path, str, nbformat.NotebookNode)
        Source path, docname and notebook of each page to execute, in the order to start them.
    workers : int
        Pages run at once.
    """

    def __init__(self, app, cache, stale, workers):
        import nbformat

        nb_config = app.env.mystnb_config
        self.app, self.cache = app, cache
        self.start = time.perf_counter()
        threads = max(1, available_cpus() // workers)
        context = multiprocessing.get_context("spawn")
        self.pool = ProcessPoolExecutor(max_workers=workers, mp_context=context,
                                        initializer=_exit_with_parent, initargs=(os.getpid(),))
        # Ctrl-C while Sphinx reads another page ends the build outside wait(); at exit
        # the pool would let its workers finish every queued page first. Callbacks
        # registered here run before the pool's own (they run last-registered first).
        register = getattr(threading, "_register_atexit", atexit.register)
        register(self.stop)
        self.jobs = {
            docname: self.pool.submit(_execute, str(path), nbformat.writes(notebook), str(path.parent),
                                      nb_config.execution_timeout, nb_config.execution_allow_errors,
                                      threads)
            for path, docname, notebook in stale
        }

    def wait(self, docname):
        """Wait for `docname`'s page (if it is running here) and store it in the cache."""
        import nbformat
        from jupyter_cache.base import CacheBundleIn, CachingError

        job = self.jobs.pop(docname, None)
        if job is None:
            return
        try:
            source, notebook_json, seconds, error = job.result()
        except BaseException:
            self.stop()
            raise
        name = Path(source).relative_to(self.app.srcdir).as_posix()
        if error is not None:
            logger.info(f"digitnet: {name} failed ({error.splitlines()[0]}); it runs again while read")
        else:
            try:
                self.cache.cache_notebook_bundle(
                    CacheBundleIn(nbformat.reads(notebook_json, as_version=4), source,
                                  data={"execution_seconds": seconds}),
                    check_validity=False, overwrite=False,
                )
            except CachingError:
                # Another build sharing this cache stored the same page first. Replacing
                # its record (overwrite) would pull it from under that build's reader.
                pass
            logger.info(f"digitnet: executed {name} in {seconds:.1f} s")
        if not self.jobs:
            self.pool.shutdown()
            logger.info(f"digitnet: pages executed in {time.perf_counter() - self.start:.1f} s")

    def wait_all(self):
        """Wait for every page still running and cache it."""
        for docname in list(self.jobs):
            self.wait(docname)

    def stop(self):
        """Stop the workers now (Ctrl-C or a failed build), not after their pages."""
        # SIGKILL: nbclient turns SIGTERM into "shut the kernel down", and the worker
        # then takes the next page. A killed worker's kernel sees its parent gone and exits.
        for process in list((getattr(self.pool, "_processes", None) or {}).values()):
            process.kill()
        self.pool.shutdown(wait=False, cancel_futures=True)
        self.jobs.clear()


def execute_stale_pages(app, env, docnames):
    """``env-before-read-docs``: start the stale pages in workers and read them in the order they end.

    Pages are started longest first (a page's size in characters estimates
    its cost). Sphinx then reads every other page while they run, and each
    stale page when its worker has cached it (``source-read`` waits for it).
    With ``sphinx -j N`` the pages are read in forked processes that cannot
    wait here, so every page is finished before reading starts.
    """
    from jupyter_cache import get_cache

    nb_config = app.env.mystnb_config
    if nb_config.execution_mode != "cache":
        return
    cache = get_cache(nb_config.execution_cache_path)
    stale = stale_notebooks(app, docnames, cache)
    workers = worker_count(len(stale), setting=app.config.digitnet_execution_workers)
    if workers < 2:
        return  # one page (or none): myst-nb runs it while reading, as usual
    by_name = {docname: (path, docname, notebook) for path, docname, notebook in stale}
    start, finish = schedule({docname: path.stat().st_size for path, docname, _ in stale}, workers)
    logger.info(f"digitnet: executing {len(stale)} pages, {workers} at a time")
    executions = PageExecutions(app, cache, [by_name[name] for name in start], workers)
    app.digitnet_executions = executions
    if app.parallel > 1:
        executions.wait_all()
        return
    docnames[:] = [name for name in docnames if name not in by_name] + finish


def wait_for_page(app, docname, source):
    """``source-read``: a page executing in a worker is cached before myst-nb looks for it."""
    executions = getattr(app, "digitnet_executions", None)
    if executions is not None:
        executions.wait(docname)


def stop_workers(app, exception):
    """``build-finished``: no worker outlives a failed build."""
    executions = getattr(app, "digitnet_executions", None)
    if executions is not None and executions.jobs:
        executions.stop()


def setup(app):
    app.add_config_value("digitnet_execution_workers", None, "env", types=(int, type(None)))
    app.connect("env-before-read-docs", execute_stale_pages)
    app.connect("source-read", wait_for_page)
    app.connect("build-finished", stop_workers)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
