"""Sphinx configuration of the digitnet book.

It lives at the repository root (the design card's layout), so the source
directory is the root and every page is under docs/. Local builds and Read the
Docs run the same command (see the Makefile):

    python -m sphinx -T -W --keep-going -b html -d _build/doctrees -D language=en . _build/html
"""

import hashlib
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent

# The notebook kernel is a separate process: it imports the installed package.
# Putting src/ on its PYTHONPATH as well makes an uninstalled checkout work too.
os.environ["PYTHONPATH"] = os.pathsep.join(
    filter(None, [str(ROOT / "src"), os.environ.get("PYTHONPATH")])
)
sys.path.insert(0, str(ROOT / "src"))
# Figures reach the page only through the inline backend; an inherited
# MPLBACKEND=Agg (common on CI) would make every plot silently disappear.
os.environ["MPLBACKEND"] = "module://matplotlib_inline.backend_inline"

import digitnet  # noqa: E402

project = "digitnet"
author = "the digitnet developers"
copyright = "2026, the digitnet developers"
version = release = digitnet.__version__
language = "en"

root_doc = "docs/index"
include_patterns = ["docs/**"]
exclude_patterns = ["_build", "**/.ipynb_checkpoints", "**/jupyter_execute"]

extensions = [
    "myst_nb",
    "sphinx.ext.autodoc",
    "sphinx.ext.napoleon",
    "sphinx.ext.mathjax",
    "sphinx.ext.viewcode",
]

# --- API reference from the numpydoc docstrings ---
autodoc_default_options = {"members": True, "member-order": "bysource"}
autodoc_typehints = "none"
napoleon_google_docstring = False
napoleon_numpy_docstring = True
napoleon_use_rtype = False

# --- MyST and notebook execution ---
myst_enable_extensions = ["dollarmath", "amsmath", "colon_fence", "deflist"]
myst_heading_anchors = 3
nb_execution_mode = "cache"  # re-run only pages whose code changed
# jupyter-cache keys a page on its own code only. A page must run again when the
# package it documents changes, or when the data it reads changes (the full MNIST
# files versus the bundled sample), so both go into the cache folder's name.
def _package_digest():
    package = Path(digitnet.__file__).parent
    digest = hashlib.sha256()
    for path in sorted(package.rglob("*")):
        if path.suffix in (".py", ".npz", ".json"):
            digest.update(path.relative_to(package).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


_DATA = "mnist" if digitnet.datasets.mnist_is_local() else "sample"
nb_execution_cache_path = str(ROOT / "_build" / ".jupyter_cache" / f"{_DATA}-{_package_digest()}")
nb_execution_raise_on_error = True  # a failing cell fails the build
nb_execution_show_tb = True
nb_execution_timeout = 900
nb_render_markdown_format = "myst"
nb_merge_streams = True

# --- HTML: sphinx-book-theme ---
html_theme = "sphinx_book_theme"
html_title = "digitnet: the digit network, computed"
html_static_path = ["docs/_static"]
html_css_files = ["digitnet.css"]
html_sourcelink_suffix = ""  # serve notebooks as .ipynb, not .ipynb.txt
html_theme_options = {
    "use_download_button": True,
    "home_page_in_toc": True,
    "show_toc_level": 2,
}


# --- The repository: a source button and a Binder launch button ---
def _git(*args):
    try:
        done = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.strip() if done.returncode == 0 and done.stdout.strip() else None


def public_repository_url(url):
    """``https://host/org/repo`` for a clone URL that a launch service can reach, else None.

    Accepts ``https://host/org/repo(.git)``, ``git@host:org/repo(.git)`` and
    ``ssh://git@host/org/repo(.git)``; a local path or ``file://`` URL (what a
    CI clone's "origin" is) gives None.
    """
    match = re.fullmatch(
        r"(?:https?://(?:[^@/]+@)?|ssh://(?:[^@/]+@)?|[^@/:]+@)([^/:]+)[/:]([^/]+)/([^/]+?)(?:\.git)?/?",
        (url or "").strip(),
    )
    return f"https://{match[1]}/{match[2]}/{match[3]}" if match else None


def _repository():
    """The public repository's URL and the git ref this build is of, or (None, None).

    DIGITNET_REPOSITORY_URL (and DIGITNET_REPOSITORY_BRANCH) win; on Read the
    Docs its own variables say where the build was cloned from and which
    branch, tag or (for a pull request) commit it is; elsewhere git's "origin"
    remote and the checked-out branch.
    """
    url = public_repository_url(
        os.environ.get("DIGITNET_REPOSITORY_URL")
        or os.environ.get("READTHEDOCS_GIT_CLONE_URL")
        or _git("remote", "get-url", "origin")
    )
    if url is None:
        return None, None
    ref = os.environ.get("DIGITNET_REPOSITORY_BRANCH")
    if not ref and os.environ.get("READTHEDOCS") == "True":
        external = os.environ.get("READTHEDOCS_VERSION_TYPE") == "external"
        ref = os.environ.get("READTHEDOCS_GIT_COMMIT_HASH" if external else "READTHEDOCS_GIT_IDENTIFIER")
    if not ref:
        branch = _git("rev-parse", "--abbrev-ref", "HEAD")
        ref = branch if branch and branch != "HEAD" else _git("rev-parse", "HEAD")
    return url, ref or "main"


REPOSITORY_URL, REPOSITORY_REF = _repository()
if REPOSITORY_URL:
    html_theme_options.update(
        repository_url=REPOSITORY_URL,
        repository_branch=REPOSITORY_REF,
        path_to_docs="",  # conf.py is at the root: page "docs/chapters/x" is docs/chapters/x.md
        use_repository_button=True,
        # Binder opens the page's MyST source as a notebook: .binder/ installs the
        # package and jupytext and makes jupytext JupyterLab's viewer for .md files.
        # No Colab button: Colab opens only .ipynb files stored in a GitHub
        # repository, and the book's sources are MyST Markdown (the executed .ipynb
        # of every page is in the download menu instead, and runs anywhere).
        launch_buttons={"binderhub_url": "https://mybinder.org", "notebook_interface": "jupyterlab"},
    )

# Without it the theme logs "Got invalid theme mode" on a reader's first visit.
html_context = {"default_mode": "auto"}

# --- epub and PDF (Read the Docs builds both) ---
epub_show_urls = "no"
latex_engine = "xelatex"  # the book is full of σ, ᵀ and arrows
latex_elements = {
    # The glossary gives the source material's Chinese terms: use xeCJK with a CJK
    # font where the TeX installation has them (Read the Docs' does); elsewhere
    # those glyphs are left out with a LaTeX warning rather than failing the PDF.
    "preamble": r"""
\usepackage{amsmath}
\IfFileExists{xeCJK.sty}{%
  \usepackage{xeCJK}%
  \IfFontExistsTF{Noto Serif CJK TC}{\setCJKmainfont{Noto Serif CJK TC}}{}%
}{}
\IfFontExistsTF{DejaVu Sans Mono}{\setmonofont{DejaVu Sans Mono}[Scale=0.85]}{}
""",
}

suppress_warnings = ["epub.unknown_project_files"]


def _root_redirect(app):
    """Give the HTML site a root index.html that leads to docs/index.html.

    Only for HTML builders: in an epub the redirect would be a stray page.
    """
    if app.builder.name in ("html", "dirhtml"):
        app.config.html_extra_path = [*app.config.html_extra_path, "docs/_root"]


def _ipynb_download(app, pagename, templatename, context, doctree):
    """Offer each executed page as a real .ipynb, outputs included.

    myst-nb writes the executed notebook of every page to
    ``<outdir>/../jupyter_execute``; copying it into ``_sources`` and naming it
    in the page context makes the theme's download menu list it (the theme
    itself only does this when Binder or Colab buttons are configured).
    """
    if app.builder.name != "html":
        return
    executed = Path(app.outdir).parent / "jupyter_execute" / f"{pagename}.ipynb"
    if not executed.is_file():
        return
    target = Path(app.outdir) / "_sources" / f"{pagename}.ipynb"
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(executed, target)
    context["ipynb_source"] = f"{pagename}.ipynb"


def _export_weights(app, exception):
    """Write the pretrained weights for the "draw a digit" page (HTML builders only).

    The page's JavaScript reads them from ``_static/draw/weights.js``; writing
    them at every build from ``digitnet.pretrained()`` means the page can never
    drift from the package (and nothing generated is committed).
    """
    if exception is None and app.builder.name in ("html", "dirhtml"):
        from digitnet.export import write_weights_script

        target = Path(app.outdir) / "_static" / "draw" / "weights.js"
        write_weights_script(digitnet.pretrained(), target, source="digitnet.pretrained()")


def setup(app):
    app.connect("builder-inited", _root_redirect)
    app.connect("build-finished", _export_weights)
    # Before the theme builds its header buttons (priority 501).
    app.connect("html-page-context", _ipynb_download, priority=400)
