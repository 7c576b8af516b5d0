"""The book's Sphinx extension: the build machinery that ``conf.py`` only configures.

Each module is one idea, and a small Sphinx extension of its own:

========================  ==============================================================
:mod:`.kernel`            the environment the notebook kernels inherit (package, backend)
:mod:`.cache`             the execution cache: named per package and data, checked, repaired
:mod:`.execution`         stale pages executed in parallel before Sphinx reads them
:mod:`.downloads`         every page's executed notebook, outputs included, in the download menu
:mod:`.repository`        the public repository: source and Binder launch buttons
:mod:`.drawpage`          the "draw a digit" page's weights and scripts, for every HTML builder
:mod:`.rootpage`          the site's root ``index.html``: a redirect, or the single page itself
:mod:`.localmathjax`      MathJax served by the site itself: HTML math renders with no network
:mod:`.mathml`            the epub's math as MathML, converted from TeX at build time
:mod:`.epub`              an epub that EPUBCheck accepts: manifest properties, stylesheets, XHTML
:mod:`.editions`          the English and Traditional Chinese editions: language, the switch between them
========================  ==============================================================

``extensions = ["digitnet.sphinxext", ...]`` in ``conf.py`` loads them all.
"""

#: The extension's modules, in the order they are set up.
MODULES = ("kernel", "cache", "execution", "downloads", "repository", "drawpage", "rootpage", "localmathjax", "mathml", "epub", "editions")


def setup(app):
    """Set up every module of the book's extension (Sphinx's entry point)."""
    app.setup_extension("myst_nb")  # its settings (the cache path) must exist first
    for name in MODULES:
        app.setup_extension(f"{__name__}.{name}")
    return {"parallel_read_safe": True, "parallel_write_safe": True}
