"""A root ``index.html`` for the HTML site that leads to the book's first page.

``conf.py`` sits at the repository root and every page is under ``docs/``, so
the site's own front page is ``docs/index.html``; a reader who opens the output
folder (or Read the Docs' root URL) finds a small redirect page there instead.
"""

from pathlib import Path

#: The folder whose files are copied to the site's root (HTML builders only).
ROOT_FILES = Path("docs") / "_root"


def add_root_redirect(app):
    """Copy :data:`ROOT_FILES` to the output's root, for ``html`` and ``dirhtml``.

    Not for ``singlehtml`` (its one page is the root already) nor ``epub``,
    where a redirect page would be a stray chapter.
    """
    if app.builder.name in ("html", "dirhtml") and (Path(app.confdir) / ROOT_FILES).is_dir():
        app.config.html_extra_path = [*app.config.html_extra_path, str(ROOT_FILES)]


def setup(app):
    app.connect("builder-inited", add_root_redirect)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
