"""The book's two editions, English and Traditional Chinese, built from one source.

The catalogs in locale/ are complete and up to date with the English sources; the
Chinese edition builds warning-free, executes every page, shows every glued
number the English edition shows, writes no Simplified character and no English
sentence outside code, uses the glossary's terms where a chapter links them,
finds Chinese words in its search, and links each page to the same page of the
other edition. The draw page in Chinese is tested with the English one in
test_browser.py; its epub and LaTeX in test_formats.py.
"""

import json
import os
import re
import subprocess
import sys
import warnings
from collections import Counter
from pathlib import Path

import opencc
import pytest
from babel.messages.pofile import read_po
from bs4 import BeautifulSoup

from digitnet import figuretext, translation
from digitnet.sphinxext.editions import edition_href, glossary_terms

from conftest import ROOT

LOCALE = ROOT / "locale" / "zh_TW" / "LC_MESSAGES"
PAGES = sorted(p.relative_to(ROOT).with_suffix("") for p in (ROOT / "docs").rglob("*")
               if p.suffix in (".md", ".rst") and "_templates" not in p.parts)
S2TW = opencc.OpenCC("s2tw")


def _catalogs():
    return sorted(LOCALE.rglob("*.po"))


def _read(path):
    with open(path, "rb") as f:
        return read_po(f)


def _html(site, page):
    return BeautifulSoup((site / f"{page}.html").read_text(encoding="utf-8"), "html.parser")


def _article(site, page):
    """The page's own content: the article, without the theme's frame."""
    return _html(site, page).select_one("article.bd-article") or _html(site, page)


#: The attributes whose text a reader meets: tooltips, screen readers' names, placeholders.
READ_ATTRIBUTES = ("title", "aria-label", "placeholder", "alt")


def _prose(site, page):
    """The text a reader reads on the page, outside code, outputs and math: the article
    and the theme's frame around it (navigation, header, footer), and the attributes
    read out or shown as tooltips."""
    article = _html(site, page).body
    for node in article.select("pre, code, .highlight, .cell_output, .output, .math, "
                               "script, style, .MathJax, .headerlink, .viewcode-link, "
                               "dl.py dt, .sig, .descname, .field-list strong + em"):
        node.decompose()                          # (the last: a parameter's type, which is code)
    for name in article.select("dl.field-list > dt"):
        if name.get_text().startswith(("型別", "Type")):   # an attribute's type: code too
            name.find_next_sibling("dd").decompose()
    said = [element[a] for element in article.find_all(True) for a in READ_ATTRIBUTES
            if element.get(a) and not element.find_parent(["pre", "code"])]
    text = " ".join(" ".join([article.get_text(" ")] + said).split())
    return re.sub(r"《[^》]*》|\"[^\"]*\"", "", text)   # a book's or a paper's title is its name


# --- the catalogs (no build needed) --------------------------------------------------------


def test_there_is_a_catalog_for_every_page():
    have = {p.relative_to(LOCALE).with_suffix("").as_posix() for p in _catalogs()}
    pages = {p.as_posix() for p in PAGES}
    assert pages - have == set(), "pages without a catalog: run `make catalogs`"


@pytest.mark.parametrize("path", _catalogs(), ids=lambda p: p.relative_to(LOCALE).as_posix())
def test_every_message_is_translated(path):
    catalog = _read(path)
    untranslated = [m.id for m in catalog if m.id and not m.string]
    fuzzy = [m.id for m in catalog if m.id and m.fuzzy]
    assert not untranslated, f"{len(untranslated)} untranslated, e.g. {untranslated[:3]}"
    assert not fuzzy, f"{len(fuzzy)} fuzzy (changed in English since translated), e.g. {fuzzy[:3]}"


@pytest.mark.parametrize("path", _catalogs(), ids=lambda p: p.relative_to(LOCALE).as_posix())
def test_translations_hold_no_simplified_characters(path):
    changed = {}
    for message in _read(path):
        if message.id and message.string:
            converted = S2TW.convert(message.string)
            if converted != message.string:
                changed[message.string[:60]] = sorted({a for a, b in zip(message.string, converted) if a != b})
    assert not changed, f"OpenCC (Simplified to Taiwan) would change: {changed}"


def test_the_data_note_is_translated_once_and_not_by_the_page_catalogs():
    # The note's English depends on the data a build found (the MNIST files or the
    # sample): in the page catalogs it would make them differ from machine to machine.
    in_pages = [m.id for path in _catalogs() if path.name not in ("outputs.po", "sphinx.po")
                for m in _read(path) if m.id and "This page was built" in m.id]
    assert not in_pages, in_pages
    outputs = {m.id for m in _read(LOCALE / "outputs.po")}
    assert "This page was built with the full MNIST test set: {} images." in outputs


def test_the_catalogs_are_up_to_date_with_the_sources(site, tmp_path):
    """Extract the messages of the sources now (Sphinx's gettext builder, as `make catalogs`
    does, reading the pages afresh from the English build's execution cache), compare
    with locale/."""
    command = [sys.executable, "-m", "sphinx", "-T", "-q", "-E", "-b", "gettext", "-D", "language=en",
               "-d", str(tmp_path / "doctrees"), str(ROOT), str(tmp_path / "pot")]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-3000:]
    stale = {}
    for template in sorted((tmp_path / "pot").rglob("*.pot")):
        name = template.relative_to(tmp_path / "pot").with_suffix(".po")
        wanted = {m.id for m in _read(template) if m.id}
        catalog = LOCALE / name
        have = {m.id for m in _read(catalog) if m.id} if catalog.is_file() else set()
        if name.as_posix() == "sphinx.po":
            # Our templates' labels; the catalog also holds the themes' words (kept by hand).
            if not wanted <= have:
                stale[name.as_posix()] = {"new in the templates": sorted(wanted - have)}
            continue
        if wanted != have:
            stale[name.as_posix()] = {"new in the source": sorted(wanted - have)[:3],
                                      "gone from the source": sorted(have - wanted)[:3]}
    assert not stale, f"catalogs out of date with the sources (run `make catalogs`, translate): {stale}"


# --- the text that code writes --------------------------------------------------------------


def test_a_strict_build_names_the_catalog_a_missing_text_goes_to(monkeypatch):
    monkeypatch.setenv(translation.LANGUAGE, "zh_TW")
    monkeypatch.setenv(translation.LOCALE_DIR, str(ROOT / "locale"))
    monkeypatch.setenv(translation.STRICT, "1")
    with pytest.raises(translation.MissingTranslation, match=r"outputs\.po"):
        translation.translate("a label nobody translated")
    assert translation.translate("output layer") == "輸出層"
    assert translation.translate("σ(z) = 0.5") == "σ(z) = 0.5"   # nothing to translate


def _title_after_drawing(monkeypatch, font):
    import matplotlib.pyplot as plt
    from matplotlib.figure import Figure

    monkeypatch.setattr(Figure, "draw", Figure.draw)           # undone after the test
    monkeypatch.setenv(translation.LANGUAGE, "zh_TW")
    monkeypatch.setenv(translation.LOCALE_DIR, str(ROOT / "locale"))
    monkeypatch.setattr(figuretext, "cjk_font", lambda *a: font)
    monkeypatch.setattr(plt.rcParams, "__setitem__", plt.rcParams.__setitem__)
    with warnings.catch_warnings():
        warnings.simplefilter("error")                          # a missing glyph warns: fail
        installed = figuretext.install()
        fig, ax = plt.subplots()
        ax.set_title("output layer")
        fig.canvas.draw()
        title = ax.get_title()
        plt.close(fig)
    return installed, title


def test_figures_speak_chinese_when_a_cjk_font_is_there(monkeypatch):
    font = figuretext.cjk_font()
    if font is None:
        if os.environ.get("CI"):
            pytest.fail("no CJK font: .ci/run installs Debian's fonts-noto-cjk")
        pytest.skip("no CJK font on this machine (Debian: fonts-noto-cjk)")
    import matplotlib

    with matplotlib.rc_context():
        assert _title_after_drawing(monkeypatch, font) == (True, "輸出層")


def test_without_a_cjk_font_figures_keep_english_labels_and_nothing_warns(monkeypatch):
    import matplotlib

    with matplotlib.rc_context():
        assert _title_after_drawing(monkeypatch, None) == (False, "output layer")


def test_the_language_is_normalised_however_it_is_spelled():
    from types import SimpleNamespace

    from digitnet.sphinxext.editions import normalise_language

    for spelled in ("zh-tw", "zh_TW", "zh-TW"):
        config = SimpleNamespace(language=spelled)
        normalise_language(None, config)
        assert config.language == "zh_TW"


def test_conf_takes_the_language_read_the_docs_names():
    check = ("import runpy; print(runpy.run_path('conf.py')['language'])")
    for rtd, language in [("zh-tw", "zh_TW"), ("en", "en")]:
        env = {**os.environ, "READTHEDOCS_LANGUAGE": rtd}
        out = subprocess.run([sys.executable, "-c", check], cwd=ROOT, env=env,
                             capture_output=True, text=True, check=True).stdout.split()[-1]
        assert out == language


def test_read_the_docs_installs_a_cjk_font_for_the_figures():
    config = (ROOT / ".readthedocs.yaml").read_text(encoding="utf-8")
    assert re.search(r"apt_packages:\s*\n\s*-\s*fonts-noto-cjk", config)


# --- the Chinese edition, built -------------------------------------------------------------


def test_every_page_is_executed_in_both_editions(site, zh_site):
    for page in PAGES:
        en = len(_article(site, page).select(".cell_output"))
        zh = len(_article(zh_site, page).select(".cell_output"))
        assert zh == en, f"{page}: {en} cell outputs in English, {zh} in Chinese"


#: Glued wall-clock measurements: they differ from one run to the next, in either edition.
MEASURED = {"train_seconds", "t_matrix_us", "t_loop_us", "speedup"}


def _glue_data(site, page):
    """The values a page glued, from its executed notebook: {key: text/plain}."""
    notebook = json.loads((site / "_sources" / f"{page}.ipynb").read_text(encoding="utf-8"))
    return {output["metadata"]["scrapbook"]["name"]:
            output["data"].get("application/papermill.record/text/plain")
            for cell in notebook["cells"] for output in cell.get("outputs", [])
            if "scrapbook" in output.get("metadata", {})}


def _numbers(text):
    return re.findall(r"[−+-]?\d[\d,.]*%?", text)


def test_every_glued_number_appears_on_the_same_page_of_the_chinese_edition(site, zh_site):
    for page in PAGES:
        if not (site / "_sources" / f"{page}.ipynb").is_file():
            continue                                   # no code, nothing glued (the API page)
        english, chinese = _glue_data(site, page), _glue_data(zh_site, page)
        assert english.keys() == chinese.keys(), page
        for key, value in english.items():
            if key not in MEASURED and _numbers(value or "") == [value]:
                assert chinese[key] == value, f"{page}: {key} is {value} in English, {chinese[key]} in Chinese"
        # On the page: every number in a glued value, the same in both editions (a glued
        # phrase is translated, its numbers are not), but for the measurements'.
        measured = [float(english[k]) for k in MEASURED & english.keys()] + \
                   [float(chinese[k]) for k in MEASURED & chinese.keys()]

        def shown(s):
            return Counter(n for span in _article(s, page).select(".pasted-text")
                           for n in _numbers(span.get_text()))
        for number in (shown(site) - shown(zh_site)) + (shown(zh_site) - shown(site)):
            value = float(number.replace(",", "").replace("%", "").replace("−", "-"))
            assert any(abs(value - m) < 1 for m in measured), (
                f"{page}: the glued number {number} is on one edition's page only")


def test_the_chinese_edition_has_no_simplified_characters(zh_site):
    # Every page of the site (search, indexes and the root page too; not the source code
    # of _modules/), whole: the theme's frame too, and its labels.
    pages = [p.relative_to(zh_site).with_suffix("") for p in zh_site.rglob("*.html")
             if "_modules" not in p.parts]
    assert len(pages) > len(PAGES)
    for page in pages:
        html = _html(zh_site, page)
        text = " ".join([html.get_text(" ")] + [e[a] for e in html.find_all(True)
                                               for a in READ_ATTRIBUTES if e.get(a)])
        converted = S2TW.convert(text)
        assert converted == text, (
            f"{page}: {sorted({a for a, b in zip(text, converted) if a != b})}")


def test_no_english_sentence_outside_code_in_the_chinese_edition(zh_site):
    # Four English words in a row, outside code, outputs and math, is an English sentence
    # (names such as "Read the Docs" are three words at most).
    sentence = re.compile(r"[A-Za-z][a-z']+(?:[ ,]+[A-Za-z][a-z']*){3,}")
    # Messages a catalog keeps as they are on purpose: code, names, formulas, and the
    # API's attribute types ("numpy.ndarray of bool, shape (rows, columns)"), whose
    # translation would lose their links (Sphinx: inconsistent references).
    kept = {" ".join(m.id.split()) for path in _catalogs() for m in _read(path)
            if m.id and m.string == m.id}
    found = {}
    for page in PAGES:
        prose = _prose(zh_site, page)
        for message in sorted(kept, key=len, reverse=True):
            prose = prose.replace(message, " ")
        hits = sentence.findall(prose)
        if hits:
            found[page.as_posix()] = hits[:5]
    assert not found, found


def test_glossary_terms_are_used_where_chapters_link_them(zh_site):
    terms = {term.lower(): name for term, name in glossary_terms(ROOT, "zh_TW").items()}
    role = re.compile(r"\{term\}`([^`]+)`")
    missing = {}
    for page in PAGES:
        source = next((ROOT / page).parent.glob(f"{page.name}.*")).read_text(encoding="utf-8")
        targets = {re.sub(r"^.*<([^>]+)>$", r"\1", " ".join(t.split())).strip().lower()
                   for t in role.findall(source)}
        text = _article(zh_site, page).get_text(" ")
        lacking = sorted(terms[t] for t in targets if terms[t] not in text)
        if lacking:
            missing[page.as_posix()] = lacking
    assert not missing, f"Chinese glossary terms missing from pages that link them: {missing}"


def test_search_finds_chinese_words(zh_site):
    index = (zh_site / "searchindex.js").read_text(encoding="utf-8")
    data = json.loads(index[index.index("(") + 1:index.rindex(")")])
    docs = data["docnames"]
    found = set()
    for kind in ("terms", "titleterms"):                  # body text and headings
        hits = data[kind].get("權重")
        found.update([hits] if isinstance(hits, int) else hits or [])
    assert "docs/chapters/weights" in {docs[i] for i in found}, "a search for 權重 misses the weights chapter"
    # jieba's dictionary is of Simplified Chinese: the glossary's terms teach it ours.
    body = data["terms"].get("激活值")
    assert body, "激活值 is cut into pieces: the glossary's terms did not reach the word splitter"


@pytest.mark.parametrize("edition", ["en", "zh_TW"])
def test_every_page_links_to_the_same_page_of_the_other_edition(site, zh_site, edition):
    here, there = (site, zh_site) if edition == "en" else (zh_site, site)
    for page in PAGES:
        links = _html(here, page).select("a.digitnet-edition")
        assert len(links) == 1, f"{page}: {len(links)} edition links"
        target = (here / page).parent / links[0]["href"]
        assert target.resolve() == (there / f"{page}.html").resolve(), (page, links[0]["href"])
        assert target.is_file()


def test_links_between_editions_on_read_the_docs():
    rtd = {"READTHEDOCS": "True", "READTHEDOCS_VERSION": "stable"}
    assert edition_href("docs/chapters/draw.html", "zh_TW", rtd) == "../../../../zh-tw/stable/docs/chapters/draw.html"
