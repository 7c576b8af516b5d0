"""Sphinx configuration of the digitnet book.

It lives at the repository root (the design card's layout), so the source
directory is the root and every page is under docs/. Local builds and Read the
Docs run the same command (see the Makefile):

    python -m sphinx -T -W --keep-going -b html -d _build/doctrees -D language=en . _build/html
"""

import os
import sys
from pathlib import Path

# The book's own extension (digitnet.sphinxext) is part of the package: an
# uninstalled checkout finds it in src/.
sys.path.insert(0, str(Path(__file__).resolve().parent / "src"))

import digitnet  # noqa: E402
from digitnet.sphinxext.editions import edition_language  # noqa: E402

project = "digitnet"
author = "the digitnet developers"
copyright = "2026, the digitnet developers"
version = release = digitnet.__version__
# The edition: English by default; the Traditional Chinese edition is the same sources
# with `-D language=zh_TW` (make docs-zh). Read the Docs passes its project's language
# both as `-D language=...` and in READTHEDOCS_LANGUAGE ("zh-tw"); both name the edition.
language = edition_language(os.environ.get("READTHEDOCS_LANGUAGE", "en"))

# --- Translations: Sphinx's gettext workflow (sphinx-intl) ---
# One catalog per page in locale/<language>/LC_MESSAGES/, mirroring docs/ (make catalogs
# refreshes them after an English edit). Without line numbers, a catalog changes only
# when a message does.
locale_dirs = ["locale"]
gettext_compact = False
gettext_location = False
gettext_uuid = False
# A figure's alt text is read out, so it is translated too. (Not "raw": Sphinx re-parses
# a translated raw block as a literal block, which a MyST page does not understand.)
gettext_additional_targets = ["image"]

root_doc = "docs/index"
include_patterns = ["docs/**"]
# Sphinx walks every folder not excluded here, even outside include_patterns: the
# top-level folders that hold no page (a virtual environment has ~28,000 files)
# are excluded by name, which keeps a no-change rebuild from spending seconds on them.
exclude_patterns = ["_build", ".*", "src", "tests", "locale", "venv", "env", "node_modules",
                    "build", "dist", "**/.ipynb_checkpoints", "**/jupyter_execute"]

extensions = [
    "myst_nb",
    "digitnet.sphinxext",  # the build machinery: cache, parallel execution, downloads, draw page
    "sphinx.ext.autodoc",
    "sphinx.ext.napoleon",
    "sphinx.ext.mathjax",
    "sphinx.ext.viewcode",
    "sphinx_copybutton",
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
# The cache folder is named by digitnet.sphinxext.cache after the package and the data.
nb_execution_raise_on_error = True  # a failing cell fails the build
nb_execution_show_tb = True
nb_execution_timeout = 900
nb_render_markdown_format = "myst"
nb_merge_streams = True

# --- Copy buttons on code (sphinx-copybutton) ---
# A copied example is code to paste and run: the prompts of Python sessions (>>> and ...)
# and of shell sessions ($) are left out, and so are the lines without a prompt, which are
# outputs. A block with no prompt at all (a notebook cell's code) is copied as it is.
copybutton_prompt_text = r">>> |\.\.\. |\$ "
copybutton_prompt_is_regexp = True
copybutton_only_copy_prompt_lines = True
copybutton_line_continuation_character = "\\"  # a shell command split over lines
# Code only: no button on a cell's output (myst-nb writes an output as a div.output that
# holds a div.highlight, as code is written).
copybutton_selector = "div:not(.output) > div.highlight pre"

# --- HTML: sphinx-book-theme ---
html_theme = "sphinx_book_theme"
# The root page's heading; another edition shows its translation (digitnet.sphinxext.editions).
html_title = "digitnet: the digit network, computed"
html_static_path = ["docs/_static"]
templates_path = ["docs/_templates"]
html_css_files = ["digitnet.css", "overflow.css"]  # overflow.css: phones (scroll cues, wrapping)
html_sourcelink_suffix = ""  # serve notebooks as .ipynb, not .ipynb.txt
html_theme_options = {
    "use_download_button": True,
    "home_page_in_toc": True,
    "show_toc_level": 2,
    # The same page in the other edition, in every page's header (digitnet.sphinxext.editions).
    "article_header_end": ["edition-switch.html", "article-header-buttons.html"],
}


# The repository and Binder launch buttons are added by digitnet.sphinxext.repository
# once the build knows the public repository (Read the Docs, or git's "origin").

# Without it the theme logs "Got invalid theme mode" on a reader's first visit.
html_context = {"default_mode": "auto"}

# --- epub and PDF (Read the Docs builds both) ---
epub_show_urls = "no"
# The table of contents from the same entries as the spine: with the root page in docs/,
# Sphinx's default scope writes toc.ncx and nav.xhtml links without the "docs/" prefix.
epub_tocscope = "includehidden"
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
