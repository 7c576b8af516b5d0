"""The words the book's code shows a reader, in the language of the edition being built.

The pages' prose is translated by Sphinx from the message catalogs in ``locale/``.
But some text is written by code when a page runs: a figure's title, axis labels
and legend, a word glued into a sentence ("fewer", "all ten"), the note that
names the data. Those come from one more catalog, ``outputs.po`` beside the
pages' catalogs, whose messages may hold ``{}`` fields for what the code fills
in (``"test image {}, labelled {}"``); a translation may reorder the fields
(``{1}`` before ``{0}``).

The book's Sphinx extension tells every page's kernel the edition through
environment variables (:data:`LANGUAGE`, :data:`LOCALE_DIR`, :data:`STRICT`);
outside a book build, or in the English edition, :func:`translate` returns its
text unchanged. In a strict build a text with English words and no translation
is an error that names the catalog to add it to, so no English label slips
into the Chinese edition unseen.
"""

import os
import re
from functools import lru_cache
from pathlib import Path

#: The environment variable that names the edition's language (Sphinx's code, e.g. ``zh_TW``).
LANGUAGE = "DIGITNET_BOOK_LANGUAGE"
#: The environment variable that names the folder of the catalogs (``locale/`` of the book).
LOCALE_DIR = "DIGITNET_BOOK_LOCALE"
#: The environment variable that, set to ``1``, makes a missing translation an error.
STRICT = "DIGITNET_BOOK_STRICT"
#: The catalog of the text written by the pages' code, in ``<locale>/<language>/LC_MESSAGES/``.
CATALOG = "outputs.po"

#: Words that are the same in every edition: names, units, code.
SAME_IN_EVERY_LANGUAGE = {"MNIST", "ReLU", "NumPy", "digitnet", "float32", "float64", "CNN", "RNN"}


class MissingTranslation(LookupError):
    """A text with English words has no translation in the edition's catalog."""


def edition():
    """The language of the edition being built: ``"en"`` outside a book build.

    Examples
    --------
    >>> import os
    >>> edition() == os.environ.get("DIGITNET_BOOK_LANGUAGE", "en")
    True
    """
    return os.environ.get(LANGUAGE) or "en"


def needs_translation(text):
    """Whether `text` holds English words, outside math (``$...$``) and names.

    Parameters
    ----------
    text : str
        A label, title or glued word.

    Returns
    -------
    bool

    Examples
    --------
    >>> needs_translation("hidden neuron 3")
    True
    >>> needs_translation(r"$\\sigma(z)$ = 0.50, MNIST")
    False
    >>> needs_translation("→ 7")
    False
    """
    text = re.sub(r"\$[^$]*\$", " ", str(text))
    words = re.findall(r"(?<![0-9A-Za-z])[A-Za-z][A-Za-z0-9']*", text)   # not the x of 28x28
    return any(len(w) > 1 and w not in SAME_IN_EVERY_LANGUAGE and not w.isupper() for w in words)


class Catalog:
    """Translations of exact texts and of templates with ``{}`` fields.

    Parameters
    ----------
    messages : mapping of str to str
        English text (or template) to its translation. In a template, each
        ``{}`` of the English matches any text; the translation names the
        fields ``{}`` in the same order or ``{0}``, ``{1}`` to reorder them.

    Examples
    --------
    >>> c = Catalog({"output layer": "輸出層", "test image {}, labelled {}": "測試影像 {0}，標籤為 {1}"})
    >>> c.translate("output layer")
    '輸出層'
    >>> c.translate("test image 12, labelled 7")
    '測試影像 12，標籤為 7'
    >>> c.translate("not in the catalog") is None
    True
    """

    def __init__(self, messages):
        #: The translated messages: English text or template -> translation.
        self.messages = {english: translated for english, translated in messages.items() if translated}
        self.exact = {}
        self.templates = []
        for english, translated in messages.items():
            if not translated:
                continue
            if "{}" in english:
                # Number the translation's bare fields in order, so bare and numbered
                # fields can mix ("{} ... {2} ... {1}").
                count = iter(range(english.count("{}")))
                translated = re.sub(r"\{\}", lambda _: "{%d}" % next(count, 0), translated)
                parts = [re.escape(p) for p in english.split("{}")]
                pattern = re.compile("(.+?)".join(parts) + r"\Z", re.S)
                self.templates.append((pattern, translated, len(english) - 2 * english.count("{}")))
            else:
                self.exact[english] = translated
        # The most specific template first: "{} of the ten" before "{} of the {}".
        self.templates.sort(key=lambda t: -t[2])

    def translate(self, text):
        """The translation of `text`, or None if the catalog has none."""
        if text in self.exact:
            return self.exact[text]
        for pattern, translated, _ in self.templates:
            match = pattern.match(text)
            if match:
                fields = [self._field(f) for f in match.groups()]
                if None not in fields:
                    return translated.format(*fields)
        return None

    def _field(self, text):
        # A field is translated too ("neurons 3 and 5"); one with English words and no
        # translation makes the template not match, so nothing English slips through.
        translated = self.translate(text)
        if translated is None and needs_translation(text):
            return None
        return text if translated is None else translated

    @classmethod
    def read(cls, path):
        """The translated, not fuzzy, messages of the ``.po`` file at `path`.

        Raises
        ------
        FileNotFoundError
            If there is no such file.
        """
        from babel.messages.pofile import read_po

        with open(path, "rb") as f:
            catalog = read_po(f)
        return cls({m.id: m.string for m in catalog
                    if m.id and isinstance(m.id, str) and m.string and not m.fuzzy})


def catalog_path(locale_dir, language, name=CATALOG):
    """Where Sphinx's gettext layout keeps catalog `name` of `language` in `locale_dir`.

    Examples
    --------
    >>> catalog_path("locale", "zh_TW").as_posix()
    'locale/zh_TW/LC_MESSAGES/outputs.po'
    >>> catalog_path("locale", "zh_TW", "docs/index.po").as_posix()
    'locale/zh_TW/LC_MESSAGES/docs/index.po'
    """
    return Path(locale_dir) / str(language) / "LC_MESSAGES" / name


def read_catalog(locale_dir, language, name=CATALOG):
    """The :class:`Catalog` `name` of `language`: empty in English or where there is none.

    Examples
    --------
    >>> read_catalog("locale", "en").messages
    {}
    """
    path = catalog_path(locale_dir, language, name)
    return Catalog.read(path) if language not in (None, "en") and path.is_file() else Catalog({})


@lru_cache(maxsize=None)
def edition_catalog(locale_dir, language):
    """:func:`read_catalog` of the outputs catalog, read once per process (a build reads it
    for every figure and every page; it does not change during one)."""
    return read_catalog(locale_dir, language)


def translate(text):
    """`text` in the edition's language: unchanged in English or outside a book build.

    Parameters
    ----------
    text : str
        English text written by a page's code (a figure label, a glued word).

    Returns
    -------
    str
        The translation from the edition's ``outputs.po``, or `text` itself when
        the edition is English, or the text needs none (:func:`needs_translation`).

    Raises
    ------
    MissingTranslation
        In a strict build (:data:`STRICT` set to ``1``), if `text` holds English
        words and the catalog has no translation of it.

    Examples
    --------
    >>> translate("the cost goes down") if edition() == "en" else "the cost goes down"
    'the cost goes down'
    """
    language = edition()
    if language == "en" or not isinstance(text, str):
        return text
    locale_dir = os.environ.get(LOCALE_DIR) or "locale"
    translated = edition_catalog(str(Path(locale_dir).resolve()), language).translate(text)
    if translated is not None:
        return translated
    if os.environ.get(STRICT) == "1" and needs_translation(text):
        raise MissingTranslation(
            f"No {language} translation of {text!r}: add it to {catalog_path(locale_dir, language)} (a msgid with {{}} "
            "for each number or word the code fills in, and its msgstr).")
    return text
