"""The book's editions: one source, an English and a Traditional Chinese edition.

Sphinx translates the pages' prose from the message catalogs in ``locale/``
(its gettext workflow, maintained with ``sphinx-intl``). This module does the
rest an edition needs: it names the edition Read the Docs asks for, it puts
a link to the same page of the other edition on every page, and it lets a
translated sentence hold the page's glued numbers.

That last needs a word. Sphinx parses each translated message as a small
document of its own (``sphinx.transforms.i18n``), and myst-nb's glue roles look
the page's computed values up on the document they are in: in a translation
they found none ("No key ... found in glue data"). :func:`glue_data_in_translations`
makes myst-nb's lookup note the page's values while the page is read, and fall
back to them in a translation.
"""

import os
from pathlib import Path

from sphinx.transforms import SphinxTransform
from sphinx.util import logging

logger = logging.getLogger(__name__)

#: The editions of the book: Sphinx's language code -> the name a reader knows it by.
EDITIONS = {"en": "English", "zh_TW": "繁體中文"}

#: The language tag of each edition in HTML (``hreflang``, ``lang``).
HTML_LANG = {"en": "en", "zh_TW": "zh-Hant-TW"}

#: The name of the edition switch for screen readers, in each edition's language.
SWITCH_LABEL = {"en": "This book in other languages", "zh_TW": "本書的其他語言版本"}


def catalog_message(confdir, language, docname, message):
    """`message` as page `docname`'s catalog translates it, for settings such as the site's title.

    ``conf.py`` values are not translated by Sphinx; one that repeats a page's
    text (the book's title is the root page's heading) takes that page's
    translation, so the two cannot drift apart.

    Parameters
    ----------
    confdir : str or path
        The folder of ``conf.py`` (``locale/`` is beside it).
    language : str
        The edition's language.
    docname : str
        The page whose catalog holds the message, e.g. ``"docs/index"``.
    message : str
        The English text.

    Returns
    -------
    str
        The translation, or `message` itself in English or when there is none.

    Examples
    --------
    >>> catalog_message(".", "en", "docs/index", "digitnet")
    'digitnet'
    """
    from digitnet.translation import read_catalog

    return read_catalog(Path(confdir) / "locale", language, f"{docname}.po").messages.get(message, message)


def sibling_folder(folder, language, other):
    """The folder a local build of edition `other` goes to, beside this one's.

    ``make docs`` builds the English edition into ``_build/html``, ``make docs-zh``
    the Chinese one into ``_build/html-zh_TW``: another edition's folder is this
    one's name with its language added (or taken away), whatever the name.

    Parameters
    ----------
    folder : str
        The name of this build's output folder.
    language, other : str
        This edition's language and the other's.

    Examples
    --------
    >>> sibling_folder("html", "en", "zh_TW"), sibling_folder("html-zh_TW", "zh_TW", "en")
    ('html-zh_TW', 'html')
    >>> sibling_folder("dirhtml", "en", "zh_TW")
    'dirhtml-zh_TW'
    """
    suffix = f"-{language}"
    base = folder[:-len(suffix)] if language != "en" and folder.endswith(suffix) else folder
    return base if other == "en" else f"{base}-{other}"


def edition_href(target_uri, other, environ=None, folder="html", language="en"):
    """The link from the page at `target_uri` to the same page of edition `other`.

    The link is relative, so it works wherever the editions are served from:
    locally they are sibling folders (:func:`sibling_folder`); on Read the Docs,
    where each edition is a translation project served at ``/<language>/<version>/``,
    siblings two levels up (``READTHEDOCS_VERSION`` names the version).

    Parameters
    ----------
    target_uri : str
        The page's address relative to the output root, as the builder writes it
        (``docs/chapters/weights.html``; ``docs/chapters/weights/`` with dirhtml).
    other : str
        The language of the edition to link to, a key of :data:`EDITIONS`.
    environ : mapping, optional
        The environment (default ``os.environ``): Read the Docs is recognised by
        ``READTHEDOCS=True``.
    folder, language : str
        This build's output folder's name and this edition's language.

    Returns
    -------
    str

    Examples
    --------
    >>> edition_href("docs/chapters/weights.html", "zh_TW", {})
    '../../../html-zh_TW/docs/chapters/weights.html'
    >>> rtd = {"READTHEDOCS": "True", "READTHEDOCS_VERSION": "latest"}
    >>> edition_href("docs/index.html", "zh_TW", rtd)
    '../../../zh-tw/latest/docs/index.html'
    >>> edition_href("docs/index.html", "en", rtd)
    '../../../en/latest/docs/index.html'
    """
    environ = os.environ if environ is None else environ
    up = "../" * target_uri.count("/")
    if environ.get("READTHEDOCS") == "True":
        version = environ.get("READTHEDOCS_VERSION") or "latest"
        root = f"../../{other.replace('_', '-').lower()}/{version}/"
    else:
        root = f"../{sibling_folder(folder, language, other)}/"
    return up + root + target_uri


def add_edition_switch(app, pagename, templatename, context, doctree):
    """Give the page template the links to the page in the other editions (``edition-switch.html``)."""
    if app.builder.name not in ("html", "dirhtml"):
        return
    language = app.config.language or "en"
    target = app.builder.get_target_uri(pagename)
    context["digitnet_editions_label"] = SWITCH_LABEL.get(language, SWITCH_LABEL["en"])
    context["digitnet_other_editions"] = [
        {"name": name, "hreflang": HTML_LANG[other],
         "href": edition_href(target, other, folder=Path(app.outdir).name, language=language)}
        for other, name in EDITIONS.items() if other != language
    ]


def edition_language(code):
    """The Sphinx language of the edition that `code` names.

    Read the Docs names a project's language in lower case with a hyphen
    (``zh-tw``, in ``READTHEDOCS_LANGUAGE``); Sphinx and the catalogs in
    ``locale/`` use ``zh_TW``.

    Parameters
    ----------
    code : str
        A language code: ``en``, ``zh_TW``, ``zh-tw``, ``zh-TW`` ...

    Returns
    -------
    str
        A key of :data:`EDITIONS`.

    Raises
    ------
    ValueError
        If the book has no edition in that language.

    Examples
    --------
    >>> edition_language("zh-tw")
    'zh_TW'
    >>> edition_language("en")
    'en'
    >>> edition_language("fr")
    Traceback (most recent call last):
    ...
    ValueError: The book has no 'fr' edition; its editions are: en, zh_TW (Read the Docs: en, zh-tw).
    """
    wanted = str(code).replace("-", "_").lower()
    for language in EDITIONS:
        if language.lower() == wanted:
            return language
    rtd = ", ".join(language.replace("_", "-").lower() for language in EDITIONS)
    raise ValueError(f"The book has no {code!r} edition; its editions are: "
                     f"{', '.join(EDITIONS)} (Read the Docs: {rtd}).")


def quiet_word_splitter(app, config):
    """Keep jieba, which Sphinx's Chinese search uses to split words, from logging to stderr.

    (jieba logs through the logger named after it, whether or not it is imported yet.)
    """
    if (config.language or "en").startswith("zh"):
        import logging

        logging.getLogger("jieba").setLevel(logging.WARNING)


#: Where the page's myst-nb renderer (which holds its glue data) is noted while it is read.
GLUE_KEY = "digitnet_nb_renderer"


class NoMessagesFromCode(SphinxTransform):
    """Leave out of the catalogs what is not the page's prose to translate.

    - Text with no words: the numbers a page computed. A page's tables are often
      a cell's output (a confusion matrix, training times); some numbers change
      from one run to the next, which would make the catalogs stale at every build.
    - Text the page's code already wrote in the edition's language: the data
      note (class :data:`digitnet.book.TRANSLATED_BY_CODE`, translated through
      ``outputs.po``). Its English also depends on the data the build found, so
      the catalogs would differ between a machine with the MNIST files and one
      without.

    Such paragraphs are marked not translatable, before Sphinx extracts or
    translates messages.
    """

    default_priority = 15

    def apply(self, **kwargs):
        from docutils import nodes

        from digitnet.book import TRANSLATED_BY_CODE
        from digitnet.translation import needs_translation

        for box in self.document.findall(nodes.Element):
            if TRANSLATED_BY_CODE in box.get("classes", ()):
                for node in box.findall(nodes.TextElement):
                    node["translatable"] = False
        for node in self.document.findall(nodes.paragraph):
            if "translatable" not in node and not needs_translation(node.astext()):
                node["translatable"] = False


class TranslateAltText(SphinxTransform):
    """A figure's alt text in the edition's language, from its ``outputs.po``.

    The figures a page's code draws get their alt text from the cell's
    metadata, which Sphinx's gettext does not extract; screen readers read it
    out, so it is translated with the other text the pages' code brings
    (:mod:`digitnet.translation`). An alt text with no translation is a warning,
    which fails the book's build.
    """

    default_priority = 25

    def apply(self, **kwargs):
        from docutils import nodes

        from digitnet.translation import catalog_path, edition_catalog, needs_translation

        language = self.config.language or "en"
        if language == "en":
            return
        catalog = edition_catalog(str(Path(self.app.confdir) / "locale"), language)
        for image in self.document.findall(nodes.image):
            alt = image.get("alt")
            if not alt:
                continue
            translated = catalog.translate(alt)
            if translated is not None:
                image["alt"] = translated
            elif needs_translation(alt):
                logger.warning("the alt text %r has no %s translation: add it to %s", alt[:60],
                               language, catalog_path("locale", language), location=image)


def glue_data_in_translations():
    """Make myst-nb's glue lookup find the page's values from a translated message too.

    myst-nb keeps a page's renderer (and with it the glue data) on the page's
    document only while it parses the page; the English text's glue roles are
    looked up then, and the lookup now also notes the renderer in the page's
    temporary data. Sphinx translates afterwards, parsing each message as a
    document of its own: a lookup from such a document takes the noted renderer.
    """
    from myst_nb.ext.glue import directives, roles

    for module in (roles, directives):
        original = module.retrieve_glue_data
        if getattr(original, "_digitnet", False):
            continue

        def retrieve(document, key, original=original):
            env = getattr(document.settings, "env", None)
            if env is None:
                return original(document, key)
            if "nb_renderer" in document:
                env.temp_data[GLUE_KEY] = document["nb_renderer"]
                return original(document, key)
            if GLUE_KEY not in env.temp_data:
                return original(document, key)
            # Lent for this lookup only: the renderer must not stay on a document
            # whose nodes end up in the page's pickled doctree.
            document["nb_renderer"] = env.temp_data[GLUE_KEY]
            try:
                return original(document, key)
            finally:
                del document["nb_renderer"]

        retrieve._digitnet = True
        module.retrieve_glue_data = retrieve


def normalise_language(app, config):
    """Sphinx's language code for the edition, whichever spelling was passed (``zh-tw``).

    Read the Docs passes its project's language with ``-D language=...``, which
    overrides ``conf.py``; the catalogs are found only under ``zh_TW``.
    """
    if config.language:
        config.language = edition_language(config.language)


def translate_settings(app, config):
    """The settings a reader sees, in the edition's language.

    Sphinx reads ``conf.py`` before it applies ``-D language=...``, and does not
    translate settings: the site's title (the root page's heading) is looked up
    in the root page's catalog, the author and copyright shown in every page's
    footer and the search box's placeholder in ``outputs.po``.
    """
    language = config.language or "en"
    if language == "en":
        return
    if config.html_title:
        config.html_title = catalog_message(app.confdir, language, config.root_doc, config.html_title)
    for name in ("author", "copyright"):
        setattr(config, name, catalog_message(app.confdir, language, "outputs", getattr(config, name)))
    config.html_theme_options = {**config.html_theme_options,
                                 "search_bar_text": catalog_message(app.confdir, language, "outputs",
                                                                    "Search...")}


def glossary_terms(confdir, language):
    """The glossary's terms and their names in `language`.

    The glossary (``docs/glossary.md``) is the terminology list both editions
    share; its catalog gives each English term's translation.

    Returns
    -------
    dict of str to str
        English term -> its name in `language` (the English again where the
        catalog has none, and in English).
    """
    from digitnet.translation import read_catalog

    source = (Path(confdir) / "docs" / "glossary.md").read_text(encoding="utf-8")
    block = source.split("```{glossary}")[1].split("```")[0]
    english = [line.strip() for line in block.splitlines() if line.strip() and not line.startswith(" ")]
    names = read_catalog(Path(confdir) / "locale", language, "docs/glossary.po").messages
    return {term: names.get(term, term) for term in english}


def search_words(app, config):
    """Teach the Chinese search's word splitter (jieba) the book's terms.

    jieba's own dictionary is of Simplified Chinese: it cut Traditional terms
    into pieces with their neighbours (權重會, 權重矩 ...), so a search for 權重
    missed the weights chapter. The glossary's terms go to a user dictionary
    that Sphinx's Chinese search loads (``html_search_options["dict"]``).
    """
    if not (config.language or "en").startswith("zh"):
        return
    import re

    words = set()
    for name in glossary_terms(app.confdir, config.language).values():
        words.update(re.findall(r"[\u4e00-\u9fff]+", name))
    path = Path(app.doctreedir).parent / f"search-words-{config.language}.txt"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(f"{w} 100000 n\n" for w in sorted(words)), encoding="utf-8")
    config.html_search_options = {**(config.html_search_options or {}), "dict": str(path)}


def chinese_search_language():
    """Sphinx's Chinese search, with the JavaScript stemmer it actually ships.

    Sphinx's Chinese search stems the Latin words of a page as English, and
    ships the English stemmer to the browser, but names it ``ChineseStemmer``
    (``window.Stemmer = ChineseStemmer``): every page of a Chinese site threw
    "ChineseStemmer is not defined" and the search page could not stem. This
    subclass names the English stemmer it ships.
    """
    from sphinx.search.zh import SearchChinese

    class SearchChineseLatinAsEnglish(SearchChinese):
        language_name = "English"   # the stemmer's name in the JavaScript Sphinx writes

    return SearchChineseLatinAsEnglish


def epub_language(app, config):
    """The epub's language as a language tag (``zh-TW``), not Sphinx's code (``zh_TW``).

    Sphinx copies ``language`` into the epub's ``dc:language`` and ``xml:lang``,
    where e-readers expect BCP 47 tags.
    """
    if not config.epub_language or config.epub_language == config.language:
        config.epub_language = (config.language or "en").replace("_", "-")


def setup(app):
    app.add_search_language(chinese_search_language())
    app.connect("config-inited", normalise_language, priority=100)
    app.connect("config-inited", epub_language)
    app.connect("config-inited", translate_settings)
    app.connect("config-inited", search_words)
    app.add_transform(NoMessagesFromCode)
    app.add_transform(TranslateAltText)
    glue_data_in_translations()
    app.connect("config-inited", quiet_word_splitter)
    app.connect("html-page-context", add_edition_switch)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
