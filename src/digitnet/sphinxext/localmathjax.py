r"""MathJax served by the site itself, for every HTML builder: math renders with no network.

Sphinx loads MathJax from a CDN, so a book read offline (a local build, a
copy on a laptop, a site behind a firewall) shows raw TeX such as ``\(n_l\)``.
This module copies MathJax into ``_static/mathjax`` of the ``html``,
``dirhtml`` and ``singlehtml`` builders and points ``mathjax_path`` there,
unless ``conf.py`` chose a MathJax of its own. Sphinx writes that path
relative to each page, so it resolves at every depth of every builder.

MathJax comes from the PyPI package ``django-static-mathjax`` (the docs extra
installs it): the files of a MathJax release, maintained and versioned after
it (3.2.2.x), with no dependency at all, Django included. Only what the TeX
input and the CommonHTML output load while a page is read are copied
(:data:`PARTS`, about 7 MB, accessibility menu and speech included), not the
35 MB of the whole release. The epub gets MathML instead (:mod:`.mathml`),
the PDF its LaTeX.
"""

import filecmp
import shutil
from importlib import metadata
from pathlib import Path

import sphinx.util.logging  # noqa: F401 - sphinx.ext.mathjax uses it without importing it
from sphinx.errors import ExtensionError
from sphinx.ext.mathjax import MATHJAX_URL

#: The builders whose pages run MathJax.
HTML_BUILDERS = ("html", "dirhtml", "singlehtml")

#: The PyPI distribution that holds MathJax, and MathJax's folder inside it.
DISTRIBUTION = "django-static-mathjax"
RELEASE_FOLDER = Path("mathjax") / "static" / "mathjax" / "es5"

#: Where the site keeps its copy, relative to ``_static``.
TARGET = "mathjax"

#: The script pages load: TeX input, CommonHTML output (fonts as files), menu.
ENTRY = "tex-chtml.js"

#: What the entry script may load while a page is read, relative to the release folder:
#: TeX extensions (autoloaded), the fonts, the menu, the accessibility tools and
#: the speech rule engine they use.
PARTS = (ENTRY, "input/tex/extensions", "output/chtml", "ui", "a11y", "sre")


def mathjax_release(distribution=DISTRIBUTION):
    """The folder of the installed MathJax release (its ``es5`` components).

    Parameters
    ----------
    distribution : str, default :data:`DISTRIBUTION`
        The installed distribution that holds MathJax.

    Returns
    -------
    pathlib.Path

    Raises
    ------
    sphinx.errors.ExtensionError
        If the distribution is not installed, or holds no MathJax entry script.

    Examples
    --------
    >>> (mathjax_release() / ENTRY).is_file()
    True
    """
    try:
        folder = Path(metadata.distribution(distribution).locate_file(RELEASE_FOLDER))
    except metadata.PackageNotFoundError:
        folder = None
    if folder is None or not (folder / ENTRY).is_file():
        raise ExtensionError(
            f"MathJax is not installed: the book serves it from the PyPI package "
            f"{distribution!r} (pip install -e '.[docs]')"
        )
    return folder


def copy_parts(release, target, parts=PARTS):
    """Copy `parts` of a MathJax `release` folder into `target`; unchanged files are left alone.

    Parameters
    ----------
    release : path
        The release folder (:func:`mathjax_release`).
    target : path
        The site's MathJax folder, created if needed.
    parts : sequence of str
        Files or folders, relative to `release`.

    Returns
    -------
    int
        How many files were written (0 when the copy was already up to date).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "mathjax"
    >>> copy_parts(mathjax_release(), target, [ENTRY]), (target / ENTRY).is_file()
    (1, True)
    >>> copy_parts(mathjax_release(), target, [ENTRY])
    0
    """
    release, target = Path(release), Path(target)
    written = 0
    for part in parts:
        source = release / part
        files = sorted(p for p in source.rglob("*") if p.is_file()) if source.is_dir() else [source]
        for path in files:
            destination = target / path.relative_to(release)
            if destination.is_file() and filecmp.cmp(path, destination, shallow=True):
                continue
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, destination)
            written += 1
    return written


def use_local_mathjax(app, config):
    """Point ``mathjax_path`` at the site's copy, unless ``conf.py`` set it.

    At ``config-inited``, so the value is the same in every build and never
    makes Sphinx think the configuration changed. Only the HTML builders read
    it (the epub's math renderer is :mod:`.mathml`).
    """
    if config.mathjax_path == MATHJAX_URL:
        config.mathjax_path = f"{TARGET}/{ENTRY}"


def check_release(app):
    """Fail early, before any page is read, when an HTML build has no MathJax to copy."""
    if app.builder.name in HTML_BUILDERS and app.config.mathjax_path == f"{TARGET}/{ENTRY}":
        mathjax_release()


def copy_mathjax(app, exception):
    """Copy MathJax into ``_static`` after a successful HTML build that uses it."""
    if exception is not None or app.builder.name not in HTML_BUILDERS:
        return
    if app.config.mathjax_path != f"{TARGET}/{ENTRY}":
        return
    copy_parts(mathjax_release(), Path(app.outdir) / "_static" / TARGET)


def setup(app):
    app.setup_extension("sphinx.ext.mathjax")
    app.connect("config-inited", use_local_mathjax)
    app.connect("builder-inited", check_release)
    app.connect("build-finished", copy_mathjax)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
