"""The site's root page: what a reader finds at the output folder's ``index.html``.

``conf.py`` sits at the repository root and every page is under ``docs/``, so
the book's front page is ``docs/index.html``.

- ``html`` and ``dirhtml``: a small redirect page at the root leads there.
- ``singlehtml``: Sphinx writes its one page to ``docs/index.html`` but makes
  every URL in it relative to the output's root (its ``_static/`` and
  ``_images/`` links would point nowhere), so the page is moved to the root,
  where those URLs resolve.
- ``epub`` and the rest: nothing (a redirect page would be a stray chapter).
"""

import shutil
from pathlib import Path

#: The folder whose files are copied to the site's root (``html``, ``dirhtml``).
ROOT_FILES = Path("docs") / "_root"


def add_root_redirect(app):
    """Copy :data:`ROOT_FILES` to the output's root, for ``html`` and ``dirhtml``."""
    if app.builder.name in ("html", "dirhtml") and (Path(app.confdir) / ROOT_FILES).is_dir():
        app.config.html_extra_path = [*app.config.html_extra_path, str(ROOT_FILES)]


def move_single_page_to_root(app, exception):
    """After a ``singlehtml`` build, move the one page from under ``docs/`` to the root."""
    if exception is not None or app.builder.name != "singlehtml":
        return
    page = Path(app.outdir) / f"{app.config.root_doc}.html"
    if page.parent != Path(app.outdir) and page.is_file():
        shutil.move(page, Path(app.outdir) / "index.html")
        folder = page.parent
        while folder != Path(app.outdir) and not any(folder.iterdir()):  # left empty by the move
            folder.rmdir()
            folder = folder.parent


def localise_root_page(app, exception):
    """In another edition, the redirect page's language and its one sentence (outputs.po)."""
    language = app.config.language or "en"
    page = Path(app.outdir) / "index.html"
    if exception is not None or language == "en" or app.builder.name not in ("html", "dirhtml") \
            or not page.is_file():
        return
    from digitnet.sphinxext.editions import HTML_LANG, catalog_message

    text = page.read_text(encoding="utf-8")
    said = catalog_message(app.confdir, language, "outputs", "The book is at {}.")
    link = '<a href="docs/index.html">docs/index.html</a>'
    text = text.replace('lang="en"', f'lang="{HTML_LANG.get(language, language)}"')
    text = text.replace(f"The book is at {link}.", said.replace("{}", link))
    page.write_text(text, encoding="utf-8")


def setup(app):
    app.connect("builder-inited", add_root_redirect)
    app.connect("build-finished", localise_root_page)
    app.connect("build-finished", move_single_page_to_root)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
