"""The book in every format, read with no network: rendered math, and an epub EPUBCheck accepts.

- **HTML** (the ``site`` fixture's build): every page under ``docs/`` opened
  from disk in headless Chromium (the ``browser`` fixture), with every
  request that is not a file aborted, shows MathJax's output for each of its
  formulas and no raw TeX; the same for ``dirhtml`` and ``singlehtml``.
- **epub** (built here from the same execution cache, in seconds): every
  XHTML file is well-formed XML; every page with math carries it as MathML,
  declared in the manifest, with no raw TeX; the draw page has its static
  stand-in instead of the widget.
- **EPUBCheck**, the validator e-book stores and readers rely on (Debian's
  ``epubcheck`` package, run with ``java -jar``): no error and no fatal
  error. Without it the test is skipped, unless the environment variable
  ``CI`` is set: then it fails (``.ci/run`` installs it).

EPUBCheck's report is kept in ``_build/test-artifacts/epubcheck.txt``.
"""

import os
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path, PurePosixPath
from types import SimpleNamespace

import pytest

import digitnet
from conftest import ROOT, build_book

ARTIFACTS = ROOT / "_build" / "test-artifacts"
EPUB_OUT = ROOT / "_build" / "epub"
EPUB_DOCTREES = ROOT / "_build" / "doctrees-epub"
#: EPUBCheck: a command (DIGITNET_EPUBCHECK, split on spaces), else Debian's jar.
EPUBCHECK_JAR = Path("/usr/share/java/epubcheck.jar")

MATHML = "http://www.w3.org/1998/Math/MathML"
XHTML = "http://www.w3.org/1999/xhtml"
OPF = "http://www.idpf.org/2007/opf"
#: What raw TeX of a formula looks like in a page's text: MathJax's delimiters.
RAW_TEX = re.compile(r"\\\(|\\\[")

#: The page's text outside code, as (text node) snippets holding raw TeX; and the
#: counts of formulas (Sphinx's .math elements) and of MathJax's rendered ones.
PAGE_STATE = """() => {
  const skip = "pre, code, script, style, textarea, mjx-container, .highlight";
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const raw = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.textContent;
    if ((text.includes("\\\\(") || text.includes("\\\\[")) && !node.parentElement.closest(skip))
      raw.push(text.trim().slice(0, 60));
  }
  return {formulas: document.querySelectorAll("span.math, div.math").length,
          rendered: document.querySelectorAll("mjx-container").length, raw};
}"""

#: Wait for MathJax to finish typesetting; false when it never loaded.
MATHJAX_DONE = """async () => {
  if (!(window.MathJax && window.MathJax.startup && window.MathJax.startup.promise)) return false;
  await window.MathJax.startup.promise;
  return true;
}"""


def _offline_context(browser, **options):
    """A browser context that aborts every request that is not a file; lists them in ``.blocked``."""
    context = browser.new_context(**options)
    context.blocked = []

    def route(route):
        url = route.request.url
        if url.startswith(("file:", "data:", "blob:", "about:")):
            route.continue_()
        else:
            context.blocked.append(url)
            route.abort()

    context.route("**/*", route)
    return context


def _read_offline(context, path):
    """Open `path` from disk; return what it shows (:data:`PAGE_STATE`) and whether MathJax ran."""
    page = context.new_page()
    try:
        page.goto(path.as_uri(), wait_until="load")
        state = page.evaluate(PAGE_STATE)
        if state["formulas"]:
            state["mathjax"] = page.evaluate(MATHJAX_DONE)
            state.update(page.evaluate(PAGE_STATE))
        return state
    finally:
        page.close()


def _problems(name, state, blocked):
    problems = []
    if state["formulas"] and state["rendered"] < state["formulas"]:
        problems.append(f"{name}: MathJax rendered {state['rendered']} of {state['formulas']} "
                        f"formulas (MathJax {'ran' if state.get('mathjax') else 'never loaded'})")
    if state["raw"]:
        problems.append(f"{name}: raw TeX in the text: {state['raw'][:3]}")
    if blocked:
        problems.append(f"{name}: asked the network for {blocked[:3]}")
    return problems


# --- the modules, unit by unit -------------------------------------------------------------


def test_mathjax_is_served_locally_unless_conf_chose_one():
    from digitnet.sphinxext import localmathjax

    config = SimpleNamespace(mathjax_path=localmathjax.MATHJAX_URL)  # Sphinx's CDN default
    localmathjax.use_local_mathjax(None, config)
    assert config.mathjax_path == "mathjax/tex-chtml.js"
    config = SimpleNamespace(mathjax_path="https://example.org/mathjax.js")
    localmathjax.use_local_mathjax(None, config)
    assert config.mathjax_path == "https://example.org/mathjax.js"


def test_the_mathjax_copy_holds_what_pages_load(tmp_path):
    from digitnet.sphinxext.localmathjax import copy_parts, mathjax_release

    release = mathjax_release()
    assert copy_parts(release, tmp_path) > 50
    for needed in ("tex-chtml.js", "output/chtml/fonts/woff-v2/MathJax_Main-Regular.woff",
                   "input/tex/extensions/boldsymbol.js", "ui/menu.js", "a11y/explorer.js"):
        assert (tmp_path / needed).is_file(), needed
    size = sum(path.stat().st_size for path in tmp_path.rglob("*") if path.is_file())
    assert size < 12e6, size  # the parts a page loads, not the 35 MB release
    assert copy_parts(release, tmp_path) == 0  # a rebuild copies nothing


def test_html_keeps_mathjax_when_the_mathml_renderer_is_registered():
    from digitnet.sphinxext.mathml import keep_mathjax_for_html

    config = SimpleNamespace(html_math_renderer=None)
    keep_mathjax_for_html(None, config)
    assert config.html_math_renderer == "mathjax"
    config = SimpleNamespace(html_math_renderer="imgmath")
    keep_mathjax_for_html(None, config)
    assert config.html_math_renderer == "imgmath"


@pytest.mark.parametrize("tex", [
    r"C_x = \sum_{j=0}^{9} \left(a^{(L)}_j - y_j\right)^2",
    r"\delta^{(l)} = \big(W^{(l+1)}\big)^\mathsf{T} \delta^{(l+1)} \odot \sigma'(z^{(l)})",
    r"\begin{bmatrix} w_{0,0} & \cdots \\ \vdots & \ddots \end{bmatrix}",
    r"w \;\leftarrow\; w - \eta \, \frac{\partial C}{\partial w}",
])
def test_the_books_kinds_of_formula_become_mathml(tex):
    from digitnet.sphinxext.mathml import tex_to_mathml

    mathml = tex_to_mathml(tex, display="block")
    root = ET.fromstring(mathml)
    assert root.tag == f"{{{MATHML}}}math" and root.get("display") == "block"
    assert root.get("alttext") == " ".join(tex.split())
    assert "\\" not in "".join(root.itertext())


@pytest.mark.parametrize("tex", [r"\text{x < y}", r"\text{R\&D}"])
def test_a_formula_the_converter_turns_into_ill_formed_xml_is_refused_by_name(tex):
    # latex2mathml writes "<" and "&" inside \text{} unescaped; the epub's page would
    # then be rejected as a whole, far from the formula that caused it.
    from digitnet.sphinxext.mathml import tex_to_mathml

    with pytest.raises(ValueError, match="not well-formed XML") as error:
        tex_to_mathml(tex)
    assert repr(tex) in str(error.value)


def test_a_list_inside_a_paragraph_is_lifted_out_in_order():
    from docutils import nodes

    from digitnet.sphinxext.epub import _split

    items = nodes.bullet_list("", nodes.list_item("", nodes.paragraph(text="one")))
    paragraph = nodes.paragraph("", "", nodes.Text("before "), nodes.emphasis(text="this"),
                                items, nodes.Text("after"), ids=["here"])
    pieces = _split(paragraph)
    assert [type(p).__name__ for p in pieces] == ["paragraph", "bullet_list", "paragraph"]
    assert [p.astext() for p in pieces] == ["before this", "one", "after"]
    assert pieces[0]["ids"] == ["here"]
    only_list = _split(nodes.paragraph("", "", items.deepcopy(), ids=["anchor"]))
    assert [type(p).__name__ for p in only_list] == ["bullet_list"] and only_list[0]["ids"] == ["anchor"]


def test_manifest_properties_name_mathml_svg_and_scripts(tmp_path):
    from digitnet.sphinxext.epub import add_manifest_properties, is_web_stylesheet

    pages = {
        "plain.xhtml": "<p>text</p>",
        "both.xhtml": '<svg xmlns="http://www.w3.org/2000/svg"/><script>1</script>'
                      '<math xmlns="http://www.w3.org/1998/Math/MathML"/>',
    }
    items = []
    for name, body in pages.items():
        (tmp_path / name).write_text(f'<html xmlns="{XHTML}"><body>{body}</body></html>')
        items.append(f'    <item id="{name}" href="{name}" media-type="application/xhtml+xml" />\n')
    items.append('    <item id="css" href="a.css" media-type="text/css" />\n')
    opf = add_manifest_properties("".join(items), tmp_path)
    assert 'href="plain.xhtml" media-type="application/xhtml+xml" />' in opf
    assert 'href="both.xhtml" media-type="application/xhtml+xml" properties="mathml scripted svg" />' in opf
    assert 'href="a.css" media-type="text/css" />' in opf
    assert is_web_stylesheet("mystnb.0123abcd.css") and not is_web_stylesheet("digitnet.css")
    # A page that is not well-formed XML (the draw page's raw HTML was not) is reported by name.
    (tmp_path / "bad.xhtml").write_text(f'<html xmlns="{XHTML}"><body><div><p></div></body></html>')
    bad = '<item id="bad" href="bad.xhtml" media-type="application/xhtml+xml" />\n'
    reported = []
    assert add_manifest_properties(bad, tmp_path, on_error=lambda *a: reported.append(a)) == bad
    assert [href for href, _ in reported] == ["bad.xhtml"]
    with pytest.raises(ET.ParseError):
        add_manifest_properties(bad, tmp_path)


# --- HTML: math rendered with the network blocked, on every page ------------------------


def test_every_page_shows_rendered_math_with_no_network(site, browser):
    pages = sorted((site / "docs").rglob("*.html"))
    context = _offline_context(browser)
    problems, with_math, formulas = [], [], 0
    for path in pages:
        context.blocked.clear()
        state = _read_offline(context, path)
        name = str(path.relative_to(site))
        problems += _problems(name, state, list(context.blocked))
        if state["formulas"]:
            with_math.append(name)
            formulas += state["formulas"]
    context.close()
    assert not problems, "\n".join(problems)
    # The book has math on 11 pages (104 formulas): a check that saw none proves nothing.
    assert len(with_math) >= 11 and formulas >= 100, (with_math, formulas)
    assert {f"docs/chapters/{name}.html" for name in ("learning", "matrix-form", "sigmoid",
                                                       "parameters", "weights")} <= set(with_math)


@pytest.mark.parametrize("builder, page", [
    ("dirhtml", "docs/chapters/matrix-form/index.html"),
    ("singlehtml", "index.html"),
])
def test_dirhtml_and_singlehtml_render_math_with_no_network(site, browser, tmp_path,
                                                            builder, page):
    doctrees = tmp_path / "doctrees"
    shutil.copytree(ROOT / "_build" / "doctrees", doctrees)  # one doctree folder per output
    out = tmp_path / builder
    build_book(out, doctrees, builder=builder)
    context = _offline_context(browser)
    state = _read_offline(context, out / page)
    context.close()
    problems = _problems(f"{builder}: {page}", state, context.blocked)
    assert not problems, "\n".join(problems)
    assert state["formulas"] >= 20, state


# --- epub: MathML, well-formed XHTML, a stand-in for the draw page -------------------------


def _build(builder, out, doctrees, pattern, *options):
    """Build the book with `builder` into a fresh `out` (the doctrees are kept: reading is
    incremental, and the html build's execution cache is used); the one file matching `pattern`."""
    shutil.rmtree(out, ignore_errors=True)
    build_book(out, doctrees, *options, builder=builder)
    (built,) = out.glob(pattern)
    return built


@pytest.fixture(scope="session")
def epub(site):
    """The book's epub; the path of the .epub."""
    return _build("epub", EPUB_OUT, EPUB_DOCTREES, "*.epub")


@pytest.fixture(scope="session")
def latex(site):
    """The book as LaTeX (not compiled); the .tex file."""
    return _build("latex", ROOT / "_build" / "latex-test", ROOT / "_build" / "doctrees-latex", "*.tex")


@pytest.fixture(scope="session")
def zh_epub(zh_site):
    """The Chinese edition's epub."""
    return _build("epub", ROOT / "_build" / "epub-zh_TW", ROOT / "_build" / "doctrees-epub-zh_TW",
                  "*.epub", "-D", "language=zh_TW")


@pytest.fixture(scope="session")
def zh_latex(zh_site):
    """The Chinese edition as LaTeX (not compiled); the .tex file."""
    return _build("latex", ROOT / "_build" / "latex-zh_TW", ROOT / "_build" / "doctrees-latex-zh_TW",
                  "*.tex", "-D", "language=zh_TW")


def test_the_chinese_pdf_is_typeset_with_xecjk_and_has_every_chapter(latex, zh_latex):
    tex = zh_latex.read_text(encoding="utf-8")
    assert re.search(r"\\usepackage(\[[^]]*\])?\{xeCJK\}", tex), "the Chinese PDF needs xeCJK"
    english = re.findall(r"\\chapter\{([^}]*)\}", latex.read_text(encoding="utf-8"))
    chinese = re.findall(r"\\chapter\{([^}]*)\}", tex)
    assert len(chinese) == len(english), (english, chinese)
    assert all(re.search(r"[\u4e00-\u9fff]", title) for title in chinese), chinese


def test_the_chinese_epub_passes_epubcheck_and_says_its_language(zh_epub):
    with zipfile.ZipFile(zh_epub) as archive:
        opf = archive.read("content.opf").decode("utf-8")
    assert "<dc:language>zh-TW</dc:language>" in opf, opf[:2000]
    # ... and every page too (e-readers choose CJK fonts by a page's language)
    for name, page in _pages(zh_epub).items():
        assert re.search(rb'<html\b[^>]*\blang="zh-TW"', page), name
    report, errors, returncode = _epubcheck(zh_epub)
    assert "Messages:" in report and not errors and returncode == 0, report[-3000:]


def test_every_page_of_the_book_is_a_chapter_of_the_pdf(latex):
    # A section heading of the root page above the toctrees made every page a section
    # of that one chapter ("1 How to read it"), in the PDF's contents and headers.
    chapters = re.findall(r"\\chapter\{([^}]*)\}", latex.read_text(encoding="utf-8"))
    index = (ROOT / "docs" / "index.md").read_text(encoding="utf-8")
    pages = re.findall(r"^(?:chapters|howto|reference)/[\w-]+$|^notation$|^glossary$", index, re.M)
    assert len(chapters) >= len(pages) > 10, chapters
    assert "How to read it" not in chapters


def _pages(book):
    """The epub's XHTML content documents: {path in the zip: bytes}."""
    with zipfile.ZipFile(book) as archive:
        return {name: archive.read(name) for name in archive.namelist() if name.endswith(".xhtml")}


def _text_outside_code(root):
    skip = {f"{{{XHTML}}}{tag}" for tag in ("pre", "code", "script", "style")}
    texts = []

    def walk(element, inside):
        inside = inside or element.tag in skip or element.tag.startswith(f"{{{MATHML}}}")
        if not inside:
            texts.append(element.text or "")
        for child in element:
            walk(child, inside)
            if not inside:
                texts.append(child.tail or "")

    walk(root, False)
    return "".join(texts)


def test_epub_pages_are_xhtml_with_mathml_and_no_raw_tex(site, epub):
    pages = _pages(epub)
    assert len(pages) >= 20, sorted(pages)
    problems, with_math = [], {}
    for name, data in sorted(pages.items()):
        try:
            root = ET.fromstring(data)
        except ET.ParseError as error:
            problems.append(f"{name}: not well-formed XML: {error}")
            continue
        text = _text_outside_code(root)
        raw = [" ".join(text[m.start():m.start() + 40].split()) for m in RAW_TEX.finditer(text)]
        if raw:
            problems.append(f"{name}: raw TeX in the text: {raw[:3]}")
        formulas = len(root.findall(f".//{{{MATHML}}}math"))
        if formulas:
            with_math[name] = formulas
        html = site / PurePosixPath(name).with_suffix(".html")
        if html.is_file():  # the same page of the HTML site: as many formulas, as MathML
            expected = len(re.findall(r'class="math notranslate', html.read_text(encoding="utf-8")))
            if formulas != expected:
                problems.append(f"{name}: {formulas} MathML formulas, the HTML page has {expected}")
    assert not problems, "\n".join(problems)
    assert len(with_math) >= 11 and sum(with_math.values()) >= 100, with_math


def test_epub_manifest_declares_every_page_with_mathml(epub):
    pages = _pages(epub)
    with zipfile.ZipFile(epub) as archive:
        opf = ET.fromstring(archive.read("content.opf"))
    declared = {item.get("href"): (item.get("properties") or "").split()
                for item in opf.iter(f"{{{OPF}}}item")}
    needs = sorted(name for name, data in pages.items() if b"<math" in data)
    assert needs and all("mathml" in declared.get(name, []) for name in needs), (
        [(name, declared.get(name)) for name in needs])


def test_the_epub_has_an_identifier_of_its_own(epub):
    from digitnet.sphinxext.epub import book_identifier

    with zipfile.ZipFile(epub) as archive:
        opf = ET.fromstring(archive.read("content.opf"))
        ncx = ET.fromstring(archive.read("toc.ncx"))
    identifiers = [e.text for e in opf.iter("{http://purl.org/dc/elements/1.1/}identifier")]
    assert identifiers == [book_identifier("digitnet", digitnet.__version__, "en")], identifiers
    # EPUBCheck (NCX-001): the NCX table of contents names the same book.
    (uid,) = [m.get("content") for m in ncx.iter("{http://www.daisy.org/z3986/2005/ncx/}meta")
              if m.get("name") == "dtb:uid"]
    assert uid == identifiers[0]


def test_epub_draw_page_has_a_static_stand_in(epub):
    name = "docs/chapters/draw.xhtml"
    with zipfile.ZipFile(epub) as archive:
        root = ET.fromstring(archive.read(name))
        files = set(archive.namelist())
    tags = {element.tag.rpartition("}")[2] for element in root.iter()}
    assert not tags & {"script", "noscript", "canvas"}, f"an e-reader runs no script: {tags}"
    assert root.find(".//*[@id='digitnet-draw']") is None
    figure = root.find(f".//{{{XHTML}}}figure[@id='fig-draw-standin']")
    assert figure is not None, "the draw page's stand-in figure is missing"
    image = figure.find(f".//{{{XHTML}}}img")
    source = (PurePosixPath(name).parent / image.get("src")).as_posix()
    assert os.path.normpath(source) in files and len(image.get("alt", "")) > 40
    assert "web version" in "".join(root.itertext())


# --- EPUBCheck ---------------------------------------------------------------------------


def _epubcheck_command():
    if os.environ.get("DIGITNET_EPUBCHECK"):
        return os.environ["DIGITNET_EPUBCHECK"].split()
    # Debian's /usr/bin/epubcheck is the jar itself, run through binfmt_misc, which
    # containers often lack: run the jar with java instead.
    if EPUBCHECK_JAR.is_file() and shutil.which("java"):
        return ["java", "-jar", str(EPUBCHECK_JAR)]
    reason = f"EPUBCheck is not installed (no {EPUBCHECK_JAR}; apt-get install epubcheck)"
    if os.environ.get("CI"):
        pytest.fail(f"{reason}; CI is set, so the epub must be checked (.ci/run installs it)")
    pytest.skip(reason)


def _epubcheck(book):
    """EPUBCheck's report on `book`, its ERROR and FATAL lines, and its exit status."""
    done = subprocess.run([*_epubcheck_command(), str(book)], capture_output=True, text=True, timeout=600)
    report = done.stdout + done.stderr
    errors = [line for line in report.splitlines() if line.startswith(("ERROR", "FATAL"))]
    return report, errors, done.returncode


def test_epubcheck_finds_no_error(epub):
    report, errors, returncode = _epubcheck(epub)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "epubcheck.txt").write_text(report)
    assert "Messages:" in report, f"EPUBCheck did not run (exit {returncode}):\n{report[-3000:]}"
    assert not errors, f"EPUBCheck: {len(errors)} errors (see {ARTIFACTS / 'epubcheck.txt'}):\n" + \
        "\n".join(errors[:20])
    assert returncode == 0, report[-3000:]
