"""The epub: a package that EPUBCheck, the validator e-book stores and readers rely on, accepts.

Sphinx's epub builder writes the HTML pages as XHTML, where a reader is
strict: an element where XHTML allows none, or a file the pages name but the
package lacks, can make a reader refuse a chapter. This module fixes what
the book's pages run into:

- **Manifest properties.** EPUB 3 asks the manifest to say which pages hold
  MathML (:mod:`.mathml` puts it there), inline SVG or scripts; Sphinx's
  ``content.opf`` never does. :class:`BookEpubBuilder` adds them, read from
  each page as written (:func:`content_properties`).
- **myst-nb's stylesheet.** Every notebook page links it, but myst-nb copies
  it once the build has finished, after the epub is zipped, so the epub
  lacked it. It is written for web themes (dark mode through empty custom
  properties, ``:is()`` and ``:has()`` selectors) that EPUBCheck's CSS parser
  rejects, and styles what an e-reader does not show (the toggles of hidden
  cells): :func:`drop_web_stylesheets` leaves it out of the epub's pages,
  which keep the epub theme's stylesheets and the book's own.
- **A unique identifier.** Sphinx writes ``dc:identifier`` as ``unknown``
  unless told otherwise; readers use it to tell books (and editions) apart.
  :func:`book_identifier` makes a stable ``urn:uuid`` of the project's name,
  release and language, and the NCX table of contents repeats it (Sphinx puts
  the identifier's XML id there instead, which EPUBCheck rejects).
- **Lists inside paragraphs.** Sphinx puts a ``Returns`` section of several
  values in the API reference as a list inside ``<p>``; a browser repairs
  that, XHTML does not allow it. :class:`BlocksOutOfParagraphs` lifts them out.

The draw page's widget is for HTML builders only; the page gives the epub
and the PDF a figure computed at build time instead (``docs/chapters/draw.md``).
"""

import html
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import unquote

from docutils import nodes
from sphinx.builders.epub3 import Epub3Builder
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import logging

logger = logging.getLogger(__name__)

#: The namespaces that make a page need a manifest property, and the property.
PROPERTY_NAMESPACES = {
    "http://www.w3.org/1998/Math/MathML": "mathml",
    "http://www.w3.org/2000/svg": "svg",
}
XHTML = "http://www.w3.org/1999/xhtml"

#: A manifest item of Sphinx's content.opf template, as it writes a page.
PAGE_ITEM = 'media-type="application/xhtml+xml" />'


def content_properties(xhtml):
    """The EPUB 3 manifest properties an XHTML page needs: ``mathml``, ``scripted``, ``svg``.

    Parameters
    ----------
    xhtml : bytes or str
        The page, as written into the epub (it must be well-formed XML).

    Returns
    -------
    list of str
        The properties, sorted; empty for a page that needs none.

    Examples
    --------
    >>> page = ('<html xmlns="http://www.w3.org/1999/xhtml"><body><p>'
    ...         '<math xmlns="http://www.w3.org/1998/Math/MathML"><mi>x</mi></math>'
    ...         '</p></body></html>')
    >>> content_properties(page)
    ['mathml']
    >>> content_properties('<html xmlns="http://www.w3.org/1999/xhtml"><body/></html>')
    []
    """
    found = set()
    for element in ET.fromstring(xhtml).iter():
        if not isinstance(element.tag, str) or not element.tag.startswith("{"):
            continue
        namespace, _, name = element.tag[1:].partition("}")
        if namespace in PROPERTY_NAMESPACES:
            found.add(PROPERTY_NAMESPACES[namespace])
        elif namespace == XHTML and name == "script":
            found.add("scripted")
    return sorted(found)


def with_language(xhtml, tag):
    """`xhtml` whose ``<html>`` element says its language (``lang`` and ``xml:lang``), if it did not.

    Examples
    --------
    >>> with_language('<html xmlns="http://www.w3.org/1999/xhtml"><body/></html>', "zh-TW")
    '<html xmlns="http://www.w3.org/1999/xhtml" lang="zh-TW" xml:lang="zh-TW"><body/></html>'
    >>> with_language('<html lang="en"><body/></html>', "zh-TW")
    '<html lang="en"><body/></html>'
    """
    match = re.search(r"<html\b[^>]*>", xhtml)
    if match is None or re.search(r"\blang=", match.group(0)):
        return xhtml
    start = match.group(0)
    return xhtml.replace(start, f'{start[:-1]} lang="{tag}" xml:lang="{tag}">', 1)


def add_manifest_properties(opf, folder, on_error=None):
    """Give every page item of the manifest in `opf` the properties its page needs.

    Parameters
    ----------
    opf : str
        The text of ``content.opf``, as Sphinx's template writes it.
    folder : path
        The folder the manifest's ``href`` are relative to.
    on_error : callable, optional
        Called as ``on_error(href, error)`` for a page that is not well-formed
        XML (which e-readers may refuse), whose item is then left as it is;
        by default the :class:`xml.etree.ElementTree.ParseError` is raised.

    Returns
    -------
    str
        The text with ``properties="..."`` on each item that needs it.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "a.xhtml").write_text('<html xmlns="http://www.w3.org/1999/xhtml">'
    ...     '<body><math xmlns="http://www.w3.org/1998/Math/MathML"/></body></html>')
    >>> add_manifest_properties(
    ...     '<item id="epub-1" href="a.xhtml" media-type="application/xhtml+xml" />', folder)
    '<item id="epub-1" href="a.xhtml" media-type="application/xhtml+xml" properties="mathml" />'
    """
    lines = []
    for line in opf.splitlines(keepends=True):
        if PAGE_ITEM in line and "properties=" not in line:
            href = line.split('href="', 1)[1].split('"', 1)[0]
            page = Path(folder) / unquote(href.replace("&amp;", "&"))
            try:
                properties = content_properties(page.read_bytes())
            except ET.ParseError as error:
                if on_error is None:
                    raise
                on_error(href, error)
                properties = []
            if properties:
                line = line.replace(PAGE_ITEM, PAGE_ITEM[:-2] + f'properties="{" ".join(properties)}" />')
        lines.append(line)
    return "".join(lines)


class BookEpubBuilder(Epub3Builder):
    """Sphinx's EPUB 3 builder, whose manifest says which pages hold MathML, SVG or scripts.

    It also leaves the web-only stylesheets out of the package: myst-nb
    copies its own into the output folder after every build, and the builder
    packs every file it finds there.
    """

    def toc_metadata(self, level, navpoints):
        # The NCX's dtb:uid must equal the package's identifier (EPUBCheck NCX-001);
        # Sphinx writes epub_uid there, which is the XML id of that identifier, not its value.
        metadata = super().toc_metadata(level, navpoints)
        metadata["uid"] = html.escape(self.config.epub_identifier)
        return metadata

    def build_content(self):
        for path in (Path(self.outdir) / "_static").glob("*.css"):
            if is_web_stylesheet(path.name):
                path.unlink()
        # Each page says its language (an e-reader picks its fonts, CJK ones too, by it);
        # Sphinx's epub pages say it only in the package.
        tag = self.config.epub_language or self.config.language or "en"
        for page in Path(self.outdir).rglob("*.xhtml"):
            page.write_text(with_language(page.read_text(encoding="utf-8"), tag), encoding="utf-8")
        super().build_content()
        opf = Path(self.outdir) / "content.opf"
        opf.write_text(add_manifest_properties(opf.read_text(encoding="utf-8"), self.outdir,
                                               on_error=_not_xhtml), encoding="utf-8")


def _not_xhtml(href, error):
    logger.warning("%s is not well-formed XHTML, which e-readers may refuse: %s", href, error,
                   type="digitnet", subtype="epub")


class BlocksOutOfParagraphs(SphinxPostTransform):
    """Lift lists, tables and other blocks out of the paragraphs that hold them (epub only).

    The paragraph is split around each block: its inline content before and
    after stays in paragraphs of its own, so nothing is lost or reordered.
    """

    default_priority = 900
    builders = ("epub",)

    def run(self, **kwargs):
        for paragraph in list(self.document.findall(nodes.paragraph)):
            if any(_is_block(child) for child in paragraph.children):
                paragraph.replace_self(_split(paragraph))


def _is_block(node):
    return isinstance(node, nodes.Body) and not isinstance(node, nodes.Inline)


def _split(paragraph):
    pieces, inline = [], []

    def flush():
        if any(not isinstance(n, nodes.Text) or n.astext().strip() for n in inline):
            first = not any(isinstance(piece, nodes.paragraph) for piece in pieces)
            piece = paragraph.copy() if first else nodes.paragraph()
            piece.extend(inline)
            pieces.append(piece)
        inline.clear()

    for child in list(paragraph.children):
        paragraph.remove(child)
        if _is_block(child):
            flush()
            pieces.append(child)
        else:
            inline.append(child)
    flush()
    if paragraph["ids"] and not any(set(paragraph["ids"]) <= set(p["ids"]) for p in pieces):
        pieces[0]["ids"].extend(paragraph["ids"])  # keep the paragraph's anchors
    return pieces


#: The stylesheets the epub's pages leave out, by file name (see the module's notes).
WEB_STYLESHEETS = re.compile(r"(^|/)mystnb\.[0-9a-f]+\.css$")


def is_web_stylesheet(filename):
    """Whether `filename` is a stylesheet the epub leaves out (:data:`WEB_STYLESHEETS`).

    Examples
    --------
    >>> is_web_stylesheet("_static/mystnb.11b39860a7a0cbfd.css"), is_web_stylesheet("_static/epub.css")
    (True, False)
    """
    return bool(WEB_STYLESHEETS.search(filename))


def drop_web_stylesheets(app, pagename, templatename, context, doctree):
    """Leave the web-only stylesheets out of an epub page (at ``html-page-context``)."""
    if app.builder.name != "epub" or "css_files" not in context:
        return
    context["css_files"] = [css for css in context["css_files"]
                            if not is_web_stylesheet(getattr(css, "filename", str(css)))]


def book_identifier(project, release, language):
    """The epub's ``dc:identifier``: a name-based UUID (RFC 4122, version 5) as a URN.

    Parameters
    ----------
    project, release, language : str
        The ``conf.py`` values; each edition and release gets its own identifier,
        the same in every build of it.

    Returns
    -------
    str
        ``"urn:uuid:…"``.

    Examples
    --------
    >>> book_identifier("digitnet", "1.0", "en") == book_identifier("digitnet", "1.0", "en")
    True
    >>> book_identifier("digitnet", "1.0", "en") != book_identifier("digitnet", "1.0", "zh_TW")
    True
    >>> book_identifier("digitnet", "1.0", "en").startswith("urn:uuid:")
    True
    """
    import uuid

    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, f'{project}/{release}/{language}')}"


def name_the_book(app, config):
    """``config-inited``: an identifier of our own where ``conf.py`` sets none."""
    if config.epub_identifier in ("", "unknown"):
        config.epub_identifier = book_identifier(config.project, config.release, config.language)
        config.epub_scheme = "UUID"


def setup(app):
    app.connect("config-inited", name_the_book)
    app.add_builder(BookEpubBuilder, override=True)
    app.add_post_transform(BlocksOutOfParagraphs)
    app.connect("html-page-context", drop_web_stylesheets)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
