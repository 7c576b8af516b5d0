"""The book's Sphinx extension (digitnet.sphinxext), module by module.

The cache checks run on folders made here; the builds run on a tiny book of
four notebook pages made in a temporary folder (seconds each), and the
builders check on the real book (``site`` fixture's doctrees, warm cache).
"""

import os
import re
import shutil
import signal
import sqlite3
import subprocess
import time
import sys
import textwrap
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import nbformat
import pytest
from bs4 import BeautifulSoup

from conftest import ROOT

from digitnet.book import build_command
from digitnet.sphinxext import cache as book_cache
from digitnet.sphinxext.repository import find_repository, public_repository_url


# --- repository --------------------------------------------------------------

def test_repository_urls_are_normalised_for_launch_services():
    urls = ["https://github.com/org/digitnet.git", "git@github.com:org/digitnet.git",
            "ssh://git@github.com/org/digitnet.git", "https://token@github.com/org/digitnet",
            "/srv/ci/clone", "file:///srv/ci/clone", "", None]
    assert [public_repository_url(u) for u in urls] == ["https://github.com/org/digitnet"] * 4 + [None] * 4


def test_a_pull_request_build_on_read_the_docs_points_at_its_commit():
    environ = {"READTHEDOCS": "True", "READTHEDOCS_VERSION_TYPE": "external",
               "READTHEDOCS_GIT_CLONE_URL": "https://github.com/org/digitnet.git",
               "READTHEDOCS_GIT_IDENTIFIER": "42", "READTHEDOCS_GIT_COMMIT_HASH": "abc123"}
    assert find_repository("/nonexistent", environ) == ("https://github.com/org/digitnet", "abc123")


# --- cache: naming and repair --------------------------------------------------

def test_the_cache_name_follows_the_package_code_but_not_the_build_machinery(tmp_path):
    package = tmp_path / "pkg"
    (package / "sphinxext").mkdir(parents=True)
    (package / "network.py").write_text("x = 1\n")
    (package / "sphinxext" / "cache.py").write_text("y = 1\n")
    first = book_cache.package_digest(package)
    (package / "sphinxext" / "cache.py").write_text("y = 2\n")
    assert book_cache.package_digest(package) == first
    (package / "network.py").write_text("x = 2\n")
    assert book_cache.package_digest(package) != first


def _cached_page(folder):
    """A cache in `folder` holding one executed notebook; the notebook's path in it."""
    from jupyter_cache import get_cache
    from jupyter_cache.base import CacheBundleIn

    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1 + 1")])
    notebook.cells[0].outputs = [nbformat.v4.new_output("execute_result", {"text/plain": "2"},
                                                         execution_count=1)]
    cache = get_cache(folder)
    record = cache.cache_notebook_bundle(CacheBundleIn(notebook, "page.md"), check_validity=False)
    return folder / "executed" / record.hashkey / "base.ipynb"


def test_a_sound_cache_is_kept(tmp_path):
    _cached_page(tmp_path / "cache")
    assert book_cache.cache_problem(tmp_path / "cache") is None
    assert len(book_cache.open_cache(tmp_path / "cache").list_cache_records()) == 1


@pytest.mark.parametrize("damage", ["tables missing", "database garbage", "notebook deleted",
                                    "notebook truncated", "notebook emptied", "notebook without cells",
                                    "cell missing keys", "no database"])
def test_a_half_made_or_corrupt_cache_is_found_and_remade(tmp_path, damage):
    folder = tmp_path / "cache"
    notebook = _cached_page(folder)
    if damage == "tables missing":          # what two racing builds left behind
        (folder / "global.db").unlink()
        sqlite3.connect(folder / "global.db").close()
    elif damage == "database garbage":
        (folder / "global.db").write_bytes(b"\0" * 100)
    elif damage == "notebook deleted":
        notebook.unlink()
    elif damage == "notebook truncated":
        notebook.write_text(notebook.read_text()[:50])
    elif damage == "notebook emptied":       # valid JSON, not a notebook
        notebook.write_text("{}")
    elif damage == "notebook without cells":
        notebook.write_text('{"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}')
    elif damage == "cell missing keys":     # JSON a notebook's shape, which nbformat's schema rejects
        notebook.write_text('{"cells": [{"cell_type": "code"}], "metadata": {}, "nbformat": 4, '
                            '"nbformat_minor": 5}')
    else:
        (folder / "global.db").unlink()
    assert book_cache.cache_problem(folder) is not None
    remade = book_cache.open_cache(folder)
    assert remade.list_cache_records() == []
    assert book_cache.cache_problem(folder) is None


# --- builds of a tiny book -----------------------------------------------------

TINY_CONF = """
extensions = ["myst_nb", "digitnet.sphinxext"]
root_doc = "index"
exclude_patterns = ["_build"]
nb_execution_mode = "cache"
nb_execution_raise_on_error = True
html_theme = "sphinx_book_theme"
html_theme_options = {"use_download_button": True}
html_sourcelink_suffix = ""
"""

PAGE = """\
---
file_format: mystnb
kernelspec:
  name: python3
  display_name: Python 3
  language: python
---

# Page {n}

{prose}

```{{code-cell}} python
from myst_nb import glue
value = {n} * 7
glue("value_{n}", value, display=False)
print("page {n} computed", value)
```

The page computed {{glue:text}}`value_{n}`.
"""


def tiny_book(folder, pages=4):
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "conf.py").write_text(TINY_CONF)
    (folder / "index.md").write_text(
        "# Tiny\n\n```{toctree}\n" + "".join(f"page{n}\n" for n in range(pages)) + "```\n")
    for n in range(pages):
        (folder / f"page{n}.md").write_text(PAGE.format(n=n, prose="Some prose."))
    return folder


def build_process(folder, *options, builder="html", outdir=None, doctrees=None):
    """The command and environment of a build of `folder` (keyword arguments for subprocess)."""
    outdir = folder / "_build" / builder if outdir is None else outdir
    doctrees = folder / "_build" / "doctrees" if doctrees is None else doctrees
    command = build_command(folder, outdir, doctrees, *options)
    command[command.index("-b") + 1] = builder
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(ROOT / "src"), os.environ.get("PYTHONPATH", "")]))
    return {"args": command, "cwd": folder, "env": env, "text": True}


def build(folder, *options, builder="html", outdir=None):
    done = subprocess.run(**build_process(folder, *options, builder=builder, outdir=outdir),
                          capture_output=True, timeout=600)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-4000:]
    return done


def download_outputs(folder, page, outdir=None):
    """The outputs of the notebook that the page's download menu offers."""
    outdir = folder / "_build" / "html" if outdir is None else outdir
    html = (outdir / f"{page}.html").read_text(encoding="utf-8")
    assert f"_sources/{page}.ipynb" in html, "the page offers no notebook download"
    notebook = nbformat.read(outdir / "_sources" / f"{page}.ipynb", as_version=4)
    return [o for c in notebook.cells if c.cell_type == "code" for o in c.outputs]


def test_downloads_keep_their_outputs_across_cached_rebuilds_and_prose_edits(tmp_path):
    book = tiny_book(tmp_path / "book", pages=2)
    done = build(book)
    # The log says which data the pages read (the sample, or MNIST where the tests find it).
    assert re.search(r"digitnet: (the book is built with the full MNIST data set|"
                     r"the MNIST files were not found, so the book is built with the 1,000)", done.stdout)
    first = download_outputs(book, "page0")
    assert any("page 0 computed 0" in o.get("text", "") for o in first)

    # A rebuild from the execution cache (fresh output and environment, warm cache).
    shutil.rmtree(book / "_build" / "html")
    shutil.rmtree(book / "_build" / "doctrees")
    build(book)
    assert download_outputs(book, "page0") == first

    # An edit to the prose only: the page is read again, its code comes from the cache.
    (book / "page1.md").write_text(PAGE.format(n=1, prose="Other prose, same code."))
    done = build(book)
    assert "Executing notebook" not in done.stdout
    assert any("page 1 computed 7" in o.get("text", "") for o in download_outputs(book, "page1"))


def test_a_new_output_folder_that_reuses_the_doctrees_offers_the_executed_notebooks(tmp_path):
    # Sphinx reads no page again, so myst-nb writes no notebook beside the new folder.
    book = tiny_book(tmp_path / "book", pages=2)
    build(book)
    elsewhere = tmp_path / "elsewhere" / "html"
    done = build(book, outdir=elsewhere)
    assert "0 added, 0 changed" in done.stdout and not (elsewhere.parent / "jupyter_execute").exists()
    for n in range(2):
        assert f"page {n} computed {n * 7}" in str(download_outputs(book, f"page{n}", outdir=elsewhere))


@pytest.mark.parametrize("run", range(3))
def test_parallel_builds_from_scratch_pass(tmp_path, run):
    book = tiny_book(tmp_path / "book")
    done = build(book, "-j", "2")
    assert "executing 4 pages, 2 at a time" in done.stdout
    for n in range(4):
        assert f"page {n} computed {n * 7}" in str(download_outputs(book, f"page{n}"))
    # A warm rebuild, still parallel, executes nothing.
    (book / "page3.md").write_text(PAGE.format(n=3, prose="Edited."))
    done = build(book, "-j", "2")
    assert "executing" not in done.stdout and "Executing notebook" not in done.stdout


@pytest.mark.parametrize("run", range(2))
def test_two_builds_started_together_share_one_fresh_cache(tmp_path, run):
    # Say html and epub at once: one must not take the other's half-made cache for a broken one.
    book = tiny_book(tmp_path / "book", pages=2)
    builds = [subprocess.Popen(**build_process(book, builder=builder, doctrees=book / "_build" / f"doctrees-{builder}"),
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
              for builder in ("html", "singlehtml")]
    logs = [process.communicate(timeout=600)[0] for process in builds]
    for process, log in zip(builds, logs):
        assert process.returncode == 0, log[-4000:]
        assert "was unusable" not in log, log[-4000:]
    assert "page 1 computed 7" in str(download_outputs(book, "page1"))


def _descendants(pid):
    """The pids of every process below `pid` (Linux: read from /proc)."""
    parents = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rpartition(")")[2].split()
        except OSError:
            continue
        parents.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found, todo = [], [pid]
    while todo:
        children = parents.get(todo.pop(), [])
        found += children
        todo += children
    return found


def _command_line(pid):
    try:
        return Path(f"/proc/{pid}/cmdline").read_text(errors="replace")
    except OSError:
        return ""


def _alive(pid):
    try:
        return Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0] != "Z"
    except OSError:
        return False


@pytest.mark.skipif(not Path("/proc/self/stat").is_file(), reason="reads the process tree from /proc")
@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGKILL], ids=["ctrl-c", "kill-9"])
def test_a_stopped_build_leaves_no_page_running(tmp_path, stop):
    book = tiny_book(tmp_path / "book", pages=2)
    for n in range(2):
        (book / f"page{n}.md").write_text(PAGE.replace("value = {n} * 7", "import time; time.sleep(300)")
                                          .format(n=n, prose="A slow page."))
    process = subprocess.Popen(**build_process(book), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               start_new_session=True,
                               preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    try:
        for _ in range(240):  # until both pages' kernels run
            below = _descendants(process.pid)
            if sum("ipykernel" in _command_line(pid) for pid in below if _alive(pid)) >= 2:
                break
            time.sleep(0.25)
        else:
            pytest.fail("the two pages never started")
        os.kill(process.pid, stop)
        process.wait(timeout=60)
        for _ in range(120):  # workers exit at once, kernels within about a second
            if not any(_alive(pid) for pid in below):
                break
            time.sleep(0.25)
        assert not [pid for pid in below if _alive(pid)], "pages still running after the build stopped"
    finally:
        if process.poll() is None:
            process.kill()


def test_a_corrupt_cache_is_remade_by_the_next_build(tmp_path):
    book = tiny_book(tmp_path / "book", pages=2)
    build(book)
    (folder,) = [p for p in (book / "_build" / ".jupyter_cache").iterdir() if p.is_dir()]
    (folder / "global.db").write_bytes(b"\0" * 100)
    done = build(book)   # nothing changed in the sources: the pages run again all the same
    assert "was unusable" in done.stdout and "it was deleted and the pages run again" in done.stdout
    assert "executing 2 pages, 2 at a time" in done.stdout
    assert "page 1 computed 7" in str(download_outputs(book, "page1"))
    assert book_cache.cache_problem(folder) is None and len(book_cache.open_cache(folder).list_cache_records()) == 2


# --- every HTML builder: the draw page's files resolve on disk ---------------------

class _LocalUrls(HTMLParser):
    def __init__(self):
        super().__init__()
        self.urls = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("href", "src") and value and not urlsplit(value).scheme \
                    and not value.startswith(("#", "//", "mailto:", "data:")):
                self.urls.append(value)


def local_urls(page):
    parser = _LocalUrls()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser.urls


@pytest.mark.parametrize("builder, draw_page", [
    ("html", "docs/chapters/draw.html"),
    ("dirhtml", "docs/chapters/draw/index.html"),
    ("singlehtml", "index.html"),
])
def test_every_local_url_of_the_draw_page_exists_for_every_html_builder(site, tmp_path, builder, draw_page):
    doctrees = tmp_path / "doctrees"
    shutil.copytree(ROOT / "_build" / "doctrees", doctrees)
    out = ROOT / "_build" / builder if builder != "html" else site
    if builder != "html":
        command = build_command(ROOT, out, doctrees)
        command[command.index("-b") + 1] = builder
        done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=900)
        assert done.returncode == 0, done.stderr[-3000:]
    page = out / draw_page
    if builder == "singlehtml":  # its page was moved to the root, leaving no empty folder behind
        assert not (out / "docs").exists()
    urls = local_urls(page)
    scripts = [u for u in urls if "_static/draw/" in u]
    assert {Path(urlsplit(u).path).name for u in scripts} >= {"draw.css", "weights.js", "draw.js"}, scripts
    missing = []
    # The theme's search box and index link on every builder's page; singlehtml
    # writes neither page (Sphinx's own choice, the same for any book).
    not_written = {"genindex.html", "search.html", "searchindex.js"} if builder == "singlehtml" else set()
    # The link to the same page of the other edition points at another build, beside
    # this one (tests/test_editions.py follows it between the two editions' builds).
    other_edition = {a["href"] for a in BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
                     .select("a.digitnet-edition")}
    for url in urls:
        path = unquote(urlsplit(url).path)
        if not path or path in not_written or url in other_edition:
            continue
        target = (page.parent / path).resolve()
        if target.is_dir():
            target = target / "index.html"
        if not target.exists():
            missing.append(url)
    assert missing == [], f"{builder}: {len(missing)} local URLs of {draw_page} point nowhere: {missing[:8]}"


def test_the_book_builds_with_j2_from_a_fresh_cache(site, tmp_path):
    # Before the extension, `sphinx -j 2` on a fresh cache died in 12 of 20 runs
    # (sqlite "table settings already exists"): every page runs here again, in a
    # cache folder of its own, with Sphinx's parallel readers and writers.
    command = build_command(ROOT, tmp_path / "html", tmp_path / "doctrees", "-j", "2",
                            "-D", f"nb_execution_cache_path={tmp_path / 'cache'}")
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=1800)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-4000:]
    assert "Executing notebook" not in done.stdout   # every page ran before the readers started
    pages = sorted(p.name for p in (tmp_path / "html" / "docs" / "chapters").glob("*.html"))
    assert pages == sorted(p.name for p in (site / "docs" / "chapters").glob("*.html"))
