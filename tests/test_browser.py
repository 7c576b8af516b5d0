"""The built book in a real browser: headless Chromium (Debian's ``chromium``) driven by Playwright.

The site is built once (the ``site`` fixture of conftest.py) and served from
``_build/html`` by a local HTTP server; the "draw a digit" page is also opened
straight from disk (``file://``), as a reader without a server would. The
machine has no internet: every request that leaves 127.0.0.1 (none is
expected: MathJax too is the site's own copy) is aborted by the browser and
not counted as a failure.

Every page of the book is also checked for every reader: with axe-core's WCAG 2.1
A and AA rules in light and dark mode, and on phone-sized screens (320 and 375 px)
for anything wider than the screen or cut without a sign that it scrolls.

Without Playwright or Chromium these tests are skipped, unless the
environment variable ``CI`` is set: then they fail.

The draw page's tests run in both editions of the book, English and Traditional
Chinese (the ``zh_site`` fixture), with the same parity and drawing checks; the
page's words are checked against the edition's catalog.

A screenshot of the page with a digit drawn is kept in
``_build/test-artifacts/draw.png``, and the prediction for every drawn digit
in ``_build/test-artifacts/draw-results.json``.
"""

import base64
import functools
import http.server
import json
import math
import re
import threading
from urllib.parse import urlsplit

import numpy as np
import pytest

import digitnet
from digitnet.datasets import load_sample, normalize
from digitnet.export import network_digest
from digitnet import answer, images
from digitnet.images import place_digit, prepare_digit
from digitnet.ink import Ink, find_ink
from digitnet.translation import Catalog, catalog_path, read_catalog
from digitnet.reading import read_digit

from conftest import ROOT, correlation

ARTIFACTS = ROOT / "_build" / "test-artifacts"
DRAW_PAGE = "docs/chapters/draw.html"
PAD = 280  # the drawing canvas's bitmap size (draw.js)
LINE_WIDTH = 18  # the pen's width in bitmap pixels (draw.js)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass


def _serve(folder):
    handler = functools.partial(_QuietHandler, directory=str(folder))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()
    httpd.server_close()
    thread.join()


@pytest.fixture(scope="session")
def server(site):
    """The built site over http://127.0.0.1:<free port>; yields the base URL."""
    yield from _serve(site)


@pytest.fixture(scope="session")
def zh_server(zh_site):
    """The Traditional Chinese edition over http://127.0.0.1:<free port>."""
    yield from _serve(zh_site)


#: The editions the draw page's tests run in.
EDITIONS = ["en", "zh_TW"]


def _edition_server(request, edition):
    return request.getfixturevalue("server" if edition == "en" else "zh_server")


def _say_page(edition, english):
    """What a page's prose says for `english` in `edition` (the page catalogs)."""
    if edition == "en":
        return english
    for path in catalog_path(ROOT / "locale", edition, "docs").rglob("*.po"):
        said = Catalog.read(path).messages.get(english)
        if said is not None:
            return said
    raise AssertionError(f"no {edition} translation of {english!r}")


def _say(edition, english):
    """What the draw page says for the English text `english` in `edition`: the
    translation its catalog (locale/<edition>/LC_MESSAGES/outputs.po) gives."""
    if edition == "en":
        return english
    said = read_catalog(ROOT / "locale", edition).translate(english)
    assert said is not None, f"no {edition} translation of {english!r}"
    return said


@pytest.fixture(scope="session")
def net():
    return digitnet.pretrained()


def _is_local(url):
    parts = urlsplit(url)
    return parts.scheme in ("file", "data", "blob", "about") or parts.hostname == "127.0.0.1"


class Watch:
    """Console errors, uncaught exceptions and failed local requests of one page.

    Requests to other hosts are aborted (the machine is offline) and only counted.
    Every request that completed is listed in ``loaded``.
    """

    def __init__(self, page):
        self.errors, self.failed, self.blocked, self.loaded = [], [], [], []
        page.route("**/*", self._route)
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.errors.append(f"uncaught: {error}"))
        page.on("requestfailed", self._request_failed)
        page.on("requestfinished", lambda request: self.loaded.append(request.url))
        page.on("response", self._response)

    def _route(self, route):
        if _is_local(route.request.url):
            route.continue_()
        else:
            self.blocked.append(route.request.url)
            route.abort()

    def _console(self, message):
        if message.type == "error":
            url = (message.location or {}).get("url", "")
            if url in self.blocked:  # "Failed to load resource" for a request we aborted
                return
            self.errors.append(f"console: {message.text} ({url})")

    def _request_failed(self, request):
        if _is_local(request.url):
            self.failed.append(f"{request.url}: {request.failure}")

    def _response(self, response):
        if _is_local(response.url) and response.status >= 400:
            self.failed.append(f"{response.url}: HTTP {response.status}")

    def check(self):
        assert not self.errors, self.errors
        assert not self.failed, self.failed


def _open(page, url):
    watch = Watch(page)
    page.goto(url, wait_until="load")
    page.wait_for_selector("#digitnet-draw[data-ready=true]")
    page.locator("#digitnet-draw .dd-canvas").scroll_into_view_if_needed()
    return watch


@pytest.fixture(scope="module", params=EDITIONS)
def draw_page(browser, request):
    """One desktop page with the drawing widget, shared by the tests of this module,
    in each edition of the book (``page.edition``)."""
    server = _edition_server(request, request.param)
    context = browser.new_context(viewport={"width": 1200, "height": 1000})
    page = context.new_page()
    watch = _open(page, f"{server}/{DRAW_PAGE}")
    page.watch = watch
    page.edition = request.param
    yield page
    watch.check()
    context.close()


# ---------------------------------------------------------------------------
# Hand-authored pen paths of handwritten digits, in a box of height 1
# (x to the right, y down): each digit is a list of strokes, each stroke a
# polyline the pen follows without lifting.


def _arc(cx, cy, rx, ry, start, stop, step=12):
    n = max(2, math.ceil(abs(stop - start) / step) + 1)
    return [(cx + rx * math.cos(math.radians(a)), cy + ry * math.sin(math.radians(a)))
            for a in np.linspace(start, stop, n)]


DIGITS = {
    0: [_arc(0.5, 0.5, 0.32, 0.5, -90, 280)],
    1: [[(0.56, 0.0), (0.46, 1.0)]],
    2: [_arc(0.48, 0.3, 0.36, 0.3, 190, 380) + [(0.12, 1.0), (0.92, 1.0)]],
    3: [_arc(0.48, 0.25, 0.33, 0.25, 200, 450) + _arc(0.48, 0.73, 0.38, 0.27, -90, 150)],
    4: [[(0.55, 0.0), (0.1, 0.62), (0.92, 0.62)], [(0.7, 0.25), (0.7, 1.0)]],
    5: [[(0.85, 0.0), (0.27, 0.0), (0.22, 0.45)] + _arc(0.48, 0.7, 0.38, 0.3, -120, 160)],
    6: [[(0.72, 0.0), (0.4, 0.25), (0.2, 0.6)] + _arc(0.5, 0.72, 0.3, 0.28, 180, 540)],
    7: [[(0.08, 0.02), (0.92, 0.02), (0.42, 1.0)]],
    8: [_arc(0.5, 0.25, 0.27, 0.25, 0, 360), _arc(0.5, 0.74, 0.32, 0.26, 0, 360)],
    9: [_arc(0.5, 0.28, 0.32, 0.28, 0, 360) + [(0.8, 1.0)]],
}

#: Where a digit is drawn on the 280x280 pad: centre (x, y) and height, in pad pixels.
PLACEMENTS = {
    "normal": (140, 140, 200),
    "large": (140, 140, 250),  # filling the pad
    "small": (140, 140, 70),  # a third of the normal size
    "off-centre": (85, 90, 130),  # in the top-left corner
}

CASES = [(d, "normal") for d in range(10)] + [
    (d, where) for d in (0, 1, 3, 7) for where in ("large", "small", "off-centre")
]

RESULTS = {}


@pytest.fixture(scope="module", autouse=True)
def _keep_results():
    yield
    if RESULTS:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        (ARTIFACTS / "draw-results.json").write_text(json.dumps(RESULTS, indent=1))


def _pad_to_viewport(page):
    """A function mapping pad pixels to viewport CSS pixels, with the whole pad in view."""
    page.evaluate("document.querySelector('#digitnet-draw .dd-canvas')"
                  ".scrollIntoView({block: 'center', behavior: 'instant'})")
    box = page.locator("#digitnet-draw .dd-canvas").bounding_box()  # border included
    border = (box["width"] - page.evaluate(
        "document.querySelector('#digitnet-draw .dd-canvas').clientWidth")) / 2
    k = (box["width"] - 2 * border) / PAD
    return lambda x, y: (box["x"] + border + x * k, box["y"] + border + y * k)


def _paths(strokes, placement, to_viewport):
    cx, cy, h = placement
    return [[to_viewport(cx + (x - 0.5) * h, cy + (y - 0.5) * h) for x, y in stroke]
            for stroke in strokes]


def _densify(points, spacing=16.0):
    """The points of a polyline with at most `spacing` CSS pixels between neighbours."""
    out = [points[0]]
    for (x0, y0), (x1, y1) in zip(points, points[1:]):
        n = max(1, math.ceil(math.hypot(x1 - x0, y1 - y0) / spacing))
        out += [(x0 + (x1 - x0) * i / n, y0 + (y1 - y0) * i / n) for i in range(1, n + 1)]
    return out


def _draw_with_mouse(page, strokes, placement):
    for path in _paths(strokes, placement, _pad_to_viewport(page)):
        path = _densify(path)
        page.mouse.move(*path[0])
        page.mouse.down()
        for point in path[1:]:
            page.mouse.move(*point)
        page.mouse.up()


def _ink(page):
    """The pad's ink (alpha channel), as the uint8 array the page prepares."""
    width, height, data = page.evaluate("""() => {
        const b = digitnet.inkBitmap();
        let s = "";
        for (const v of b.alpha) s += String.fromCharCode(v);
        return [b.width, b.height, btoa(s)];
    }""")
    return np.frombuffer(base64.b64decode(data), dtype=np.uint8).reshape(height, width)


# ---------------------------------------------------------------------------


def test_draw_page_is_built_with_exported_weights(site):
    page = (site / DRAW_PAGE).read_text(encoding="utf-8")
    for name in ["draw.js", "draw.css", "weights.js"]:
        assert (site / "_static" / "draw" / name).is_file(), name
        assert f"_static/draw/{name}" in page
    assert 'id="digitnet-draw"' in page
    assert "chapters/draw.html" in (site / "docs" / "index.html").read_text(encoding="utf-8")
    # The weights are exported by the build, never committed beside the page's code.
    assert not (ROOT / "docs" / "_static" / "draw" / "weights.js").exists()
    # No framework, no CDN, nothing fetched: the page's own code names no other file.
    source = (site / "_static" / "draw" / "draw.js").read_text(encoding="utf-8")
    for word in ["://", "fetch(", "import(", "XMLHttpRequest"]:
        assert word not in source, word


def test_page_holds_exactly_the_pretrained_weights(draw_page, net):
    data = draw_page.evaluate("({sizes: DIGITNET_WEIGHTS.sizes, weights: DIGITNET_WEIGHTS.weights,"
                              " biases: DIGITNET_WEIGHTS.biases, sha256: DIGITNET_WEIGHTS.sha256})")
    assert tuple(data["sizes"]) == net.sizes == (784, 16, 16, 10)
    for W, W_page in zip(net.weights, data["weights"]):
        assert np.array_equal(W, np.array(W_page)), "weights differ (not even by one bit allowed)"
    for b, b_page in zip(net.biases, data["biases"]):
        assert np.array_equal(b, np.array(b_page))
    assert data["sha256"] == network_digest(net)
    assert network_digest(net)[:12] in draw_page.inner_text("#digitnet-draw .dd-source")
    # The page's executed cell printed the same fingerprint (a stale execution cache would not).
    outputs = " ".join(draw_page.locator("article .cell_output").all_inner_texts())
    assert f"sha256 {network_digest(net)[:12]}" in outputs


def test_the_note_for_readers_without_javascript_shows_only_without_it(draw_page, browser, request):
    note = draw_page.locator(".digitnet-noscript")
    assert note.count() == 1 and not note.is_visible(), "the script runs: the note is hidden"
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(draw_page.url)
    shown = page.locator(".digitnet-noscript")
    assert shown.is_visible()
    assert shown.inner_text().strip() == _say_page(draw_page.edition, "This page needs JavaScript: the network runs in your browser.")
    context.close()


def test_forward_pass_equals_numpy(draw_page, net):
    images, labels = load_sample()
    # The first test image of every digit.
    picks = [int(np.flatnonzero(labels == d)[0]) for d in range(10)]
    x = normalize(images[picks])
    layers_page = draw_page.evaluate("xs => xs.map(x => digitnet.forward(x))", x.tolist())
    # pretrained() computes in float64, as the page does, with the stored float32 values.
    assert net.dtype == np.float64
    worst = worst_output = 0.0
    for k, layers in enumerate(layers_page):
        for a_page, a in zip(layers[1:], net.activations(x[k])[1:]):
            worst = max(worst, float(np.abs(np.array(a_page) - a).max()))
        output = np.array(layers[-1])
        np.testing.assert_allclose(output, net.feedforward(x[k]), rtol=0, atol=1e-9)
        worst_output = max(worst_output, float(np.abs(output - net.feedforward(x[k])).max()))
        assert int(np.argmax(output)) == net.predict(x[k])
    assert worst < 1e-9
    RESULTS["parity"] = {
        "images": picks, "labels": [int(v) for v in labels[picks]], "dtype": net.dtype.name,
        "max_abs_difference_all_layers": worst,
        "max_abs_difference_outputs": worst_output,
    }


def _bitmaps():
    """Pictures for comparing the page's preparation with prepare_digit."""
    images, labels = load_sample()
    ones = np.kron(images[int(np.flatnonzero(labels == 1)[0])] / 255, np.ones((5, 5)))
    eight = np.kron(images[int(np.flatnonzero(labels == 8)[0])] / 255, np.ones((4, 4)))
    corner = np.zeros((200, 300))
    corner[150:190, 240:296] = np.kron(images[3] / 255, np.ones((2, 2)))[10:50, 0:56]
    wide = np.zeros((90, 140))
    wide[40:46, 10:130] = 1.0  # a dash: much wider than high
    dot = np.zeros((50, 50))
    dot[20, 30] = 1.0
    hairline = np.zeros((200, 160))
    rows = np.arange(20, 180)
    hairline[rows, 40 + (rows - 20) // 2] = 1.0      # a 1-pixel slanted stroke
    thin_seven = np.zeros((300, 300))
    thin_seven[40:43, 60:240] = 1.0                  # a 3-pixel pen: bar...
    for r in range(43, 280):
        c = 240 - (r - 43) * 150 // 237
        thin_seven[r, c - 1 : c + 2] = 1.0           # ...and diagonal
    return {
        "a 1-pixel stroke": hairline,
        "a 7 in a 3-pixel pen": thin_seven,
        "mnist 1 x5": ones,
        "mnist 8 x4": eight,
        "dark ink on paper": 1.0 - eight,
        "digit in a corner": corner,
        "wide dash": wide,
        "single pixel": dot,
        "blank": np.zeros((40, 40)),
    }


def test_preparation_matches_place_digit(draw_page):
    """The page's preparation of ink is place_digit's, to float32 rounding.

    The page's ink needs no separating from paper, so it skips find_ink; here
    both sides are given the ink find_ink found, and the stroke width it measured.
    """
    thickened = 0
    for name, picture in _bitmaps().items():
        h, w = picture.shape
        ink = find_ink(picture)
        page_digit = np.array(draw_page.evaluate(
            "([p, w, h, s]) => digitnet.prepare(p, w, h, s)",
            [ink.level.ravel().tolist(), w, h, ink.stroke_width]))
        expected = place_digit(ink).ravel()
        difference = float(np.abs(page_digit - expected).max())
        RESULTS.setdefault("prepare", {})[name] = difference
        assert difference < 1e-5, name
        # A clean picture's ink is the picture itself: prepare_digit is the same.
        assert np.array_equal(prepare_digit(picture).ravel(), expected), name
        if ink.found:
            crop_side = max(np.ptp(np.nonzero(ink.level > images.INK_THRESHOLD), axis=1)) + 1
            thickened += ink.stroke_width * images.BOX / crop_side < images.MIN_STROKE
    assert thickened >= 2, "the pictures should exercise the thickening of thin strokes"


def test_page_has_the_rule_and_preparation_constants_of_the_package(draw_page):
    data = draw_page.evaluate("({rule: DIGITNET_WEIGHTS.rule, prep: DIGITNET_WEIGHTS.preparation})")
    assert data["rule"] == answer.rule()
    assert data["prep"] == {"size": images.SIZE, "box": images.BOX, "min_stroke": images.MIN_STROKE,
                            "ink_threshold": images.INK_THRESHOLD, "fine": images.FINE}


def test_page_judges_as_python_does(draw_page, net):
    """digitnet.answer.judge and the page's judge give the same reason for the same input."""
    pictures, _ = load_sample()
    inputs = [prepare_digit(255 - picture) for picture in pictures[:40]]
    blob = np.zeros((28, 28))
    blob[4:24, 4:24] = 1.0
    ring = np.zeros((28, 28))
    ring[4:24, 6:22] = 0.9
    ring[8:20, 10:18] = 0.0                   # a fat ring
    stripes = np.zeros((28, 28))
    stripes[::2, 2:26] = 1.0                  # back-and-forth lines: a scribble
    inputs += [np.zeros((28, 28)), blob, ring, stripes]
    cases = []
    for k, x in enumerate(inputs):
        output = net.feedforward(x.ravel())
        # Outputs straddling the confidence threshold, too.
        for top in (float(output.max()), answer.MIN_CONFIDENCE - 1e-9, answer.MIN_CONFIDENCE):
            out = output.copy()
            out[int(out.argmax())] = top
            cases.append((x, out))
    page = draw_page.evaluate(
        "cs => cs.map(([x, o]) => digitnet.judge(x, o))",
        [[x.ravel().tolist(), o.tolist()] for x, o in cases])
    reasons = set()
    for (x, output), verdict in zip(cases, page):
        expected = answer.judge(x, output)
        assert (verdict["reason"], verdict["best"]) == (expected.reason, expected.best)
        assert draw_page.evaluate("x => digitnet.elongation(x, 28, 28)", x.ravel().tolist()) == \
            pytest.approx(answer.elongation(x), rel=1e-12)
        reasons.add(expected.reason)
    assert reasons == set(answer.STATUS), reasons
    # The blob test on the ink at its own size, as the page runs it on its canvas.
    rows, columns = np.mgrid[0:120, 0:90]
    for radius in (3, 12, 30):
        dot = np.clip(radius + 0.5 - np.hypot(rows - 60.3, columns - 44.6), 0, 1)
        stroke = dot * (columns < 0)          # nothing
        stroke[10:110, 43:47] = 1.0           # a "1"
        for ink in (dot, stroke):
            output = net.feedforward(prepare_digit(ink).ravel())
            page = draw_page.evaluate(
                "([x, o, ink, w, h]) => digitnet.judge(x, o, ink, w, h)",
                [prepare_digit(ink).ravel().tolist(), output.tolist(), ink.ravel().tolist(), 90, 120])
            assert page["reason"] == answer.judge(prepare_digit(ink), output, ink).reason


@pytest.mark.parametrize(("digit", "where"), CASES, ids=[f"{d}-{w}" for d, w in CASES])
def test_drawn_digit_is_read(draw_page, net, digit, where):
    page = draw_page
    page.click("#digitnet-draw .dd-clear")
    _draw_with_mouse(page, DIGITS[digit], PLACEMENTS[where])
    state = page.evaluate("digitnet.update()")
    # The page prepared the pad's ink as prepare_digit does (up to the stroke
    # width: the page knows its pen's, prepare_digit measures it), and its
    # verdict is read_digit's.
    ink = _ink(page)
    reading = read_digit(ink, net)
    expected_input = reading.image.ravel()
    agreement = correlation(state["input"], expected_input)
    difference = float(np.abs(np.array(state["input"]) - expected_input).max())
    numpy_output = net.feedforward(expected_input)
    RESULTS.setdefault("drawn", []).append({
        "digit": digit, "where": where, "read_as": state["best"], "status": state["status"],
        "confidence": state["confidence"], "second": sorted(state["output"])[-2],
        "ink_coverage": state["coverage"], "numpy_read_as": int(np.argmax(numpy_output)),
        "prepare_correlation": agreement, "prepare_max_abs_difference": difference,
    })
    assert agreement > 0.95
    assert (state["status"], state["best"]) == (reading.reason, reading.best)
    assert state["best"] == digit, f"{digit} drawn {where} was read as {state['best']}"
    assert state["status"] == "sure", state
    root = page.locator("#digitnet-draw")
    assert root.get_attribute("data-prediction") == str(digit)
    shown = page.evaluate("digitnet.state().confidence.toFixed(2)")
    assert page.inner_text("#digitnet-draw .dd-verdict") == _say(page.edition, f"It reads a {digit} ({shown}).")
    assert page.locator("#digitnet-draw .dd-best").get_attribute("data-digit") == str(digit)


def test_blank_dot_and_scribble_get_no_confident_answer(draw_page, net):
    page = draw_page
    to_viewport = _pad_to_viewport(page)
    page.click("#digitnet-draw .dd-clear")
    state = page.evaluate("digitnet.update()")
    assert state["status"] == "blank" and state["prediction"] is None
    assert all(v == 0 for v in state["input"])
    assert page.inner_text("#digitnet-draw .dd-verdict") == _say(page.edition, "Draw a digit in the box.")

    page.mouse.click(*to_viewport(150, 120))  # a single dot
    state = page.evaluate("digitnet.update()")
    RESULTS["dot"] = {k: state[k] for k in ("status", "best", "confidence", "coverage")}
    assert state["status"] == "blob" and state["prediction"] is None
    assert read_digit(_ink(page), net).reason == "blob"   # digitnet predict agrees
    assert page.locator("#digitnet-draw").get_attribute("data-confidence") == "low"

    page.click("#digitnet-draw .dd-clear")
    zigzag = [(40 + 200 * (i % 2), 40 + 8 * i) for i in range(25)]  # back and forth, down
    page.mouse.move(*to_viewport(*zigzag[0]))
    page.mouse.down()
    for point in _densify([to_viewport(*p) for p in zigzag], spacing=40):
        page.mouse.move(*point)
    page.mouse.up()
    state = page.evaluate("digitnet.update()")
    RESULTS["scribble"] = {k: state[k] for k in ("status", "best", "confidence", "coverage")}
    assert state["status"] in ("scribble", "blob", "unsure"), state["status"]
    assert read_digit(_ink(page), net).status != "digit"   # digitnet predict agrees
    assert page.locator("#digitnet-draw").get_attribute("data-confidence") == "low"
    # Even with no answer shown, the outputs are the network's for the page's input.
    numpy_output = net.feedforward(np.array(state["input"]))
    np.testing.assert_allclose(state["output"], numpy_output, rtol=0, atol=1e-9)
    assert state["best"] == int(np.argmax(numpy_output))
    page.click("#digitnet-draw .dd-clear")
    assert page.evaluate("digitnet.state().status") == "blank"


def _canvas_rgb(page, selector):
    return np.array(page.evaluate("""sel => {
        const c = document.querySelector(sel);
        return Array.from(c.getContext('2d').getImageData(0, 0, c.width, c.height).data);
    }""", selector), dtype=np.int64).reshape(-1, 4)[:, :3]


def test_clicking_a_hidden_neuron_shows_its_weights(draw_page, net):
    import matplotlib

    from digitnet.plotting import WEIGHTS_CMAP

    page = draw_page
    cmap = matplotlib.colormaps[WEIGHTS_CMAP]
    for layer, index, shape in [(1, 5, (28, 28)), (1, 12, (28, 28)), (2, 3, (4, 4))]:
        page.click(f"#digitnet-draw .dd-neuron[data-layer='{layer}'][data-index='{index}']")
        image = page.locator("#digitnet-draw .dd-weights-image")
        assert image.get_attribute("data-layer") == str(layer)
        assert image.get_attribute("data-index") == str(index)
        assert page.evaluate("document.querySelector('#digitnet-draw .dd-weights-image').width"
                             ) == shape[1]
        w = net.weights[layer - 1][index].astype(np.float64)  # as show_image and the page do
        limit = float(np.abs(w).max())
        expected = cmap(matplotlib.colors.Normalize(-limit, limit)(w))[:, :3] * 255
        shown = _canvas_rgb(page, "#digitnet-draw .dd-weights-image")
        assert np.abs(shown - expected).max() <= 1.0, "not the book's weights colormap"
        selected = page.locator("#digitnet-draw .dd-neuron.dd-selected")
        assert selected.count() == 1 and selected.get_attribute("data-index") == str(index)


def test_the_input_view_shows_the_prepared_digit(draw_page):
    page = draw_page
    page.click("#digitnet-draw .dd-clear")
    _draw_with_mouse(page, DIGITS[7], PLACEMENTS["normal"])
    state = page.evaluate("digitnet.update()")
    shown = _canvas_rgb(page, "#digitnet-draw .dd-input")[:, 0]
    expected = np.round(255 * (1 - np.array(state["input"])))  # gray_r, as the book's digits
    assert np.abs(shown - expected).max() <= 1
    cells = page.locator("#digitnet-draw .dd-neuron")
    assert cells.count() == 32
    assert page.locator("#digitnet-draw .dd-output").count() == 10


def test_pen_drawing(draw_page):
    """A pen (pointerType "pen", sent through the DevTools protocol) draws like a mouse."""
    page = draw_page
    page.click("#digitnet-draw .dd-clear")
    page.evaluate("""() => { window.__pointerTypes = new Set();
        document.querySelector('#digitnet-draw .dd-canvas').addEventListener('pointerdown',
            e => window.__pointerTypes.add(e.pointerType)); }""")
    cdp = page.context.new_cdp_session(page)
    for path in _paths(DIGITS[1], PLACEMENTS["normal"], _pad_to_viewport(page)):
        path = _densify(path)
        common = {"button": "left", "pointerType": "pen"}
        cdp.send("Input.dispatchMouseEvent", {"type": "mousePressed", "x": path[0][0],
                                              "y": path[0][1], "clickCount": 1, **common})
        for x, y in path[1:]:
            cdp.send("Input.dispatchMouseEvent",
                     {"type": "mouseMoved", "x": x, "y": y, "buttons": 1, **common})
        cdp.send("Input.dispatchMouseEvent", {"type": "mouseReleased", "x": path[-1][0],
                                              "y": path[-1][1], "clickCount": 1, **common})
    cdp.detach()
    assert page.evaluate("Array.from(window.__pointerTypes)") == ["pen"]
    state = page.evaluate("digitnet.update()")
    assert state["best"] == 1 and state["status"] == "sure"


# --------------------------------------------------------------------------- the keyboard
# and the screen reader: a way in without a pointer, one announcement per stroke,
# one tab stop per grid of neurons, and text that can be read on every tile.

#: What a screen reader speaks by itself: the widget's live regions.
LIVE = ("#digitnet-draw [aria-live]:not([aria-live=off]), #digitnet-draw [role=status], "
        "#digitnet-draw [role=alert], #digitnet-draw [role=log]")

#: Start recording what the widget's one live region is told: one entry per change.
RECORD_ANNOUNCEMENTS = f"""() => {{
    const live = document.querySelectorAll({json.dumps(LIVE)});
    if (live.length !== 1) throw new Error(live.length + " live regions");
    window.__announced = [];
    new MutationObserver(records => records.forEach(() => window.__announced.push(live[0].textContent)))
        .observe(live[0], {{childList: true, characterData: true, subtree: true}});
}}"""

NEXT_FRAMES = "() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))"


def _assert_read_as_numpy_reads_it(page, net, state):
    """The page's input is place_digit's for the ink in its box (drawn with the page's pen),
    and its outputs are NumPy's for that input."""
    level = _ink(page) / 255
    ink = Ink(level=level, strokes=level > 0.5, paper=np.zeros_like(level),
              stroke_width=float(LINE_WIDTH), dark=True, noise=0.0)
    assert np.abs(np.array(state["input"]) - place_digit(ink).ravel()).max() < 1e-5
    numpy_output = net.feedforward(np.array(state["input"]))
    np.testing.assert_allclose(state["output"], numpy_output, rtol=0, atol=1e-9)
    assert state["best"] == int(np.argmax(numpy_output))
    assert state["status"] == answer.judge(place_digit(ink), numpy_output, level).reason


@pytest.mark.parametrize("edition", EDITIONS)
def test_keyboard_alone_draws_a_digit_and_loads_test_digits(browser, request, net, edition):
    """From the top of the page, with nothing but the keyboard: Tab to the box, draw a 1
    with Space and the arrow keys, then Tab to the buttons and load each test digit.
    Every reading equals NumPy's, and each is announced once."""
    server = _edition_server(request, edition)
    context = browser.new_context(viewport={"width": 1200, "height": 1000})
    page = context.new_page()
    watch = _open(page, f"{server}/{DRAW_PAGE}")
    page.evaluate(RECORD_ANNOUNCEMENTS)

    def tab_to(selector, limit=400):
        for _ in range(limit):
            page.keyboard.press("Tab")
            if page.evaluate("s => document.activeElement.matches(s)", selector):
                return
        pytest.fail(f"Tab never reaches {selector}")

    tab_to("#digitnet-draw .dd-canvas")
    canvas = page.locator("#digitnet-draw .dd-canvas")
    # Its instructions are visible and are its description; its focus ring and the pen show.
    help_id = canvas.get_attribute("aria-describedby")
    help_text = page.locator(f"#{help_id}")
    assert help_text.is_visible()
    assert help_text.inner_text() == _say(edition, (
        "With a keyboard: Tab to the box, press Space to put the pen down, move it with the "
        "arrow keys, and press Space again to lift it. The network reads the drawing each "
        "time the pen is lifted."))
    assert canvas.evaluate("c => getComputedStyle(c).outlineStyle") == "solid"
    assert page.locator("#digitnet-draw .dd-cursor").is_visible()

    # A 1: up 8 pixels of the input, pen down, down 16, pen up.
    scrolled = page.evaluate("window.scrollY")
    for _ in range(8):
        page.keyboard.press("ArrowUp")
    page.keyboard.press("Space")
    for _ in range(16):
        page.keyboard.press("ArrowDown")
    assert page.evaluate("window.__announced") == [], "announced before the stroke ended"
    page.keyboard.press("Space")
    page.evaluate(NEXT_FRAMES)
    state = page.evaluate("digitnet.state()")
    _assert_read_as_numpy_reads_it(page, net, state)
    assert state["strokes"] == 1 and (state["status"], state["best"]) == ("sure", 1), state["status"]
    verdict = page.inner_text("#digitnet-draw .dd-verdict")
    shown = page.evaluate("digitnet.state().confidence.toFixed(2)")
    assert verdict == _say(edition, f"It reads a 1 ({shown}).")
    assert page.evaluate("window.__announced") == [verdict], "one stroke, one announcement"
    # Space and the arrow keys drew; they did not scroll the page, nor move the focus.
    assert page.evaluate("window.scrollY") == scrolled
    assert canvas.evaluate("c => document.activeElement === c")

    # The test digits: each button puts its MNIST image in the box, and it is read.
    pictures, labels = load_sample()
    for digit in range(10):
        page.evaluate("window.__announced = []")
        tab_to(f"#digitnet-draw .dd-example[data-digit='{digit}']", limit=20)
        page.keyboard.press("Enter")
        page.evaluate(NEXT_FRAMES)
        index = page.evaluate(f"DIGITNET_WEIGHTS.examples[{digit}].index")
        assert labels[index] == digit
        np.testing.assert_array_equal(_ink(page), np.kron(pictures[index], np.ones((10, 10), np.uint8)))
        state = page.evaluate("digitnet.state()")
        _assert_read_as_numpy_reads_it(page, net, state)
        announced = page.evaluate("window.__announced")
        assert len(announced) == 1 and page.inner_text("#digitnet-draw .dd-verdict") in announced[0]
        assert announced[0].startswith(_say(edition, f"A {digit} from the MNIST test set (its image {index}) is in the box. "))
        RESULTS.setdefault("test_digit_buttons", []).append({
            "digit": digit, "index": index, "read_as": state["best"], "status": state["status"],
            "confidence": state["confidence"],
            "numpy_on_the_original": int(net.predict(normalize(pictures[index]).ravel()))})
    watch.check()
    context.close()


def test_one_stroke_is_announced_once(draw_page):
    """The answer is spoken when the pen is lifted, not on every animation frame."""
    page = draw_page
    page.click("#digitnet-draw .dd-clear")
    page.evaluate(RECORD_ANNOUNCEMENTS)
    to_viewport = _pad_to_viewport(page)
    (stroke,) = _paths(DIGITS[7], PLACEMENTS["normal"], to_viewport)
    path = _densify(stroke, spacing=6)
    page.mouse.move(*path[0])
    page.mouse.down()
    for point in path[1:]:
        page.mouse.move(*point)
        page.evaluate("() => new Promise(r => requestAnimationFrame(r))")  # the page redraws
    frames = page.evaluate("window.__announced.length")
    page.mouse.up()
    page.wait_for_function("window.__announced.length > 0", timeout=3000)
    for _ in range(3):
        page.evaluate(NEXT_FRAMES)
    announced = page.evaluate("window.__announced")
    assert frames == 0, f"{frames} announcements while drawing"
    assert len(announced) == 1, announced
    shown = page.evaluate("digitnet.state().confidence.toFixed(2)")
    assert announced[0] == _say(page.edition, f"It reads a 7 ({shown}).")
    assert announced[0] == page.inner_text("#digitnet-draw .dd-verdict")


def test_each_neuron_grid_is_one_tab_stop_with_arrow_keys_inside(draw_page):
    page = draw_page
    focused = """() => { const e = document.activeElement;
        return e.matches('.dd-neuron') ? [+e.dataset.layer, +e.dataset.index] : null; }"""
    page.click("#digitnet-draw .dd-neuron[data-layer='1'][data-index='0']")
    assert page.evaluate(focused) == [1, 0]
    page.keyboard.press("Tab")
    assert page.evaluate(focused)[0] == 2, "Tab should leave the first grid"
    page.keyboard.press("Tab")
    assert page.evaluate(focused) is None, "Tab should leave the second grid"
    page.keyboard.press("Shift+Tab")
    assert page.evaluate(focused)[0] == 2
    page.keyboard.press("Shift+Tab")
    assert page.evaluate(focused) == [1, 0]
    for key, expected in [("ArrowRight", [1, 1]), ("ArrowDown", [1, 9]), ("ArrowDown", [1, 9]),
                          ("ArrowUp", [1, 1]), ("End", [1, 15]), ("ArrowRight", [1, 15]),
                          ("Home", [1, 0]), ("ArrowLeft", [1, 0]), ("ArrowDown", [1, 8]),
                          ("ArrowRight", [1, 9])]:
        page.keyboard.press(key)
        assert page.evaluate(focused) == expected, key
    page.keyboard.press("Enter")  # choose it: its weights are shown
    image = page.locator("#digitnet-draw .dd-weights-image")
    assert (image.get_attribute("data-layer"), image.get_attribute("data-index")) == ("1", "9")
    tile = page.locator("#digitnet-draw .dd-neuron[data-layer='1'][data-index='9']")
    assert tile.get_attribute("aria-pressed") == "true"
    # Leaving the grid and coming back lands on the neuron last visited.
    page.keyboard.press("Tab")
    page.keyboard.press("Shift+Tab")
    assert page.evaluate(focused) == [1, 9]
    # Every tile's name holds the number it shows, as a number of its own.
    tiles = page.eval_on_selector_all("#digitnet-draw .dd-neuron", """cells => cells.map(c =>
        [+c.dataset.layer, +c.dataset.index, c.textContent.trim(), c.getAttribute('aria-label')])""")
    assert len(tiles) == 32
    for layer, index, shown, name in tiles:
        assert re.fullmatch(r"\d+", shown), shown
        assert re.search(rf"(?<![\d.]){shown}(?![\d.])", name), (shown, name)
        activation = re.findall(r"\d\.\d\d", name)[-1]
        assert name == _say(page.edition, f"hidden neuron {index} of layer {layer}: {shown} (activation {activation})")


def _luminance(rgb):
    """WCAG 2.1's relative luminance of an sRGB colour given as 0..255."""
    c = np.asarray(rgb, dtype=float) / 255
    c = np.where(c <= 0.03928, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)
    return float(c @ [0.2126, 0.7152, 0.0722])


def _contrast(a, b):
    la, lb = sorted([_luminance(a), _luminance(b)])
    return (lb + 0.05) / (la + 0.05)


def test_neuron_tiles_text_reaches_aa_contrast_at_every_activation(draw_page):
    """Rendered tiles, for activations all over 0..1 (and every one of the 256 grays):
    their number contrasts with their background at least 4.5:1, as WCAG AA asks."""
    values = sorted(set(np.linspace(0, 1, 1001).tolist()) | {1 - g / 255 for g in range(256)})
    colours = draw_page.evaluate("""vs => {
        const st = digitnet.state(), cells = document.querySelectorAll('#digitnet-draw .dd-neuron');
        const out = [];
        for (let k = 0; k < vs.length; k += cells.length) {
            const chunk = vs.slice(k, k + cells.length);
            while (chunk.length < cells.length) chunk.push(0);
            st.hidden1 = chunk.slice(0, 16);
            st.hidden2 = chunk.slice(16, 32);
            digitnet.widget.render('');
            cells.forEach((c, i) => { if (k + i < vs.length) {
                const s = getComputedStyle(c); out.push([s.backgroundColor, s.color]); } });
        }
        digitnet.update();
        return out;
    }""", values)
    assert len(colours) == len(values)
    rgb = lambda css: [int(v) for v in re.findall(r"\d+", css)[:3]]  # noqa: E731
    ratios = [_contrast(rgb(background), rgb(text)) for background, text in colours]
    worst = int(np.argmin(ratios))
    RESULTS["tile_contrast"] = {"min": min(ratios), "at_activation": values[worst]}
    assert len({background for background, _ in colours}) == 256  # every gray was drawn
    assert min(ratios) >= 4.5, (values[worst], colours[worst], min(ratios))


def test_touch_drawing_on_a_phone_does_not_scroll(browser, server):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True,
                                  has_touch=True, device_scale_factor=2)
    page = context.new_page()
    watch = _open(page, f"{server}/{DRAW_PAGE}")
    canvas = page.locator("#digitnet-draw .dd-canvas")
    assert canvas.evaluate("c => getComputedStyle(c).touchAction") == "none"
    cdp = context.new_cdp_session(page)

    def swipe(path):
        path = _densify(path, spacing=8)
        cdp.send("Input.dispatchTouchEvent", {"type": "touchStart",
                                              "touchPoints": [{"x": path[0][0], "y": path[0][1]}]})
        for x, y in path[1:]:
            cdp.send("Input.dispatchTouchEvent",
                     {"type": "touchMove", "touchPoints": [{"x": x, "y": y}]})
        cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})

    # How far the page, or anything in it, has scrolled.
    scrolled = """() => window.scrollY + Array.from(document.querySelectorAll('*'))
        .reduce((sum, e) => sum + e.scrollTop + e.scrollLeft, 0)"""

    # Count scroll events of the page and of every element (they reach window when captured).
    page.evaluate("""() => { window.__scrolls = 0;
        window.addEventListener('scroll', () => { window.__scrolls += 1; },
                                {capture: true, passive: true}); }""")
    next_frames = "() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))"

    # Drawing a 7 with a finger: nothing scrolls, and the 7 is read.
    paths = _paths(DIGITS[7], PLACEMENTS["normal"], _pad_to_viewport(page))
    page.evaluate(next_frames)  # the event of _pad_to_viewport's own scroll has fired ...
    page.evaluate("window.__scrolls = 0")  # ... and is not counted
    before = page.evaluate(scrolled)
    for path in paths:
        swipe(path)
    # Wait until the widget has drawn every stroke and shown its reading (it
    # updates on the next animation frame), then for two more frames, in which
    # a scroll caused by the touches would have happened and fired its event.
    page.wait_for_function(f"""() => digitnet.state()?.strokes === {len(paths)}
        && document.querySelector('#digitnet-draw').dataset.prediction === '7'""", timeout=5000)
    page.evaluate(next_frames)
    assert page.evaluate(scrolled) == before, "drawing scrolled the page"
    assert page.evaluate("window.__scrolls") == 0, "drawing scrolled something"
    state = page.evaluate("digitnet.update()")
    assert state["best"] == 7 and state["status"] == "sure", state["status"]
    # The same kind of swipe on the text under the widget does scroll: the check can fail.
    text = page.locator("article p", has_text="Click any hidden neuron")
    text.scroll_into_view_if_needed()
    before = page.evaluate(scrolled)
    box = text.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    swipe([(x, y), (x, y - 150)])
    page.wait_for_function(f"({scrolled})() != {before}", timeout=3000)
    page.wait_for_function("window.__scrolls > 0", timeout=3000)  # the event count sees it too
    cdp.detach()
    watch.check()
    context.close()


def test_draw_page_works_offline_from_disk(browser, site, net):
    """Opened as a file (no server, no network), the page draws, reads, and logs no error."""
    context = browser.new_context(viewport={"width": 1100, "height": 900})
    page = context.new_page()
    watch = _open(page, (site / DRAW_PAGE).as_uri())
    assert page.evaluate("DIGITNET_WEIGHTS.sha256") == network_digest(net)
    _draw_with_mouse(page, DIGITS[3], PLACEMENTS["normal"])
    state = page.evaluate("digitnet.update()")
    assert state["best"] == 3 and state["status"] == "sure"
    page.click("#digitnet-draw .dd-neuron[data-layer='1'][data-index='0']")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.locator("#digitnet-draw").screenshot(path=str(ARTIFACTS / "draw.png"))
    assert (ARTIFACTS / "draw.png").stat().st_size > 10_000
    watch.check()
    # The page's own files were loaded from disk, not blocked ...
    loaded = {url.split("?")[0] for url in watch.loaded}
    for name in ["draw.js", "draw.css", "weights.js"]:
        assert (site / "_static" / "draw" / name).as_uri() in loaded, name
    assert (site / DRAW_PAGE).as_uri() in loaded
    # ... and so was MathJax, the site's own copy: the page asks nothing of the internet.
    assert (site / "_static" / "mathjax" / "tex-chtml.js").as_uri() in loaded
    external = re.findall(r'<script[^>]+src="(https?://[^"]+)"', (site / DRAW_PAGE).read_text("utf-8"))
    assert not external and not watch.blocked, (external, watch.blocked)
    context.close()


def test_no_page_has_console_errors_or_failed_requests(browser, server, site):
    pages = sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html")
                   if p.relative_to(site).parts[0] != "_static")  # _static: template fragments
    assert DRAW_PAGE in pages and "index.html" in pages and len(pages) >= 15
    context = browser.new_context()
    page = context.new_page()
    watch = Watch(page)
    problems = {}
    for name in pages:
        page.goto(f"{server}/{name}", wait_until="load")
        if name == "index.html":  # the root page forwards to the book's start page
            page.wait_for_url("**/docs/index.html", wait_until="load")
        # MathJax typesets after "load", then fetches its fonts: let it finish, or going
        # to the next page aborts those requests (a fault of the test, not of the page).
        page.evaluate("""async () => {
            if (window.MathJax && MathJax.startup && MathJax.startup.promise) await MathJax.startup.promise;
            await document.fonts.ready;
        }""")
        if watch.errors or watch.failed:
            problems[name] = watch.errors + watch.failed
            watch.errors, watch.failed = [], []
    context.close()
    assert not problems, problems
    RESULTS["pages_checked"] = len(pages)
    RESULTS["external_requests_blocked"] = sorted({urlsplit(u).hostname for u in watch.blocked})


def test_dark_mode_shows_figures_as_drawn_on_a_white_card(browser, server, site):
    # The theme follows the reader's colour scheme ("auto"). In dark mode the
    # matplotlib figures (drawn on white) must keep a white card and their own
    # colours: no theme filter dimming the diverging weight maps.
    context = browser.new_context(viewport={"width": 1200, "height": 1000}, color_scheme="dark")
    page = context.new_page()
    watch = Watch(page)
    page.goto(f"{server}/docs/chapters/weights.html", wait_until="load")
    assert page.evaluate("document.documentElement.dataset.theme") == "dark"
    styles = page.eval_on_selector_all(
        ".cell_output img",
        "imgs => imgs.map(i => [getComputedStyle(i).backgroundColor, getComputedStyle(i).filter])")
    assert len(styles) >= 3, styles
    assert all(style == ["rgb(255, 255, 255)", "none"] for style in styles), styles
    body = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert body != "rgb(255, 255, 255)", body   # the page itself is dark
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.locator(".cell_output img").first.scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "weights-dark.png"))
    watch.check()
    context.close()


def _copied(page, button):
    """What clicking `button` (a copy button) puts on the clipboard."""
    page.evaluate("navigator.clipboard.writeText('')")
    button.click()
    page.wait_for_function("async () => (await navigator.clipboard.readText()) !== ''")
    return page.evaluate("navigator.clipboard.readText()")


def test_copy_buttons_copy_code_without_prompts_or_outputs(browser, server):
    # sphinx-copybutton, configured in conf.py: a Python session is copied without its
    # >>> / ... prompts and its outputs, a shell session without $, a notebook cell as
    # it is; a cell's output gets no button.
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    watch = Watch(page)
    page.goto(f"{server}/docs/chapters/parameters.html", wait_until="load")
    cells = page.locator(".cell_input .highlight")
    assert cells.count() == page.locator(".cell_input").count() >= 3
    assert page.locator(".cell_output .copybtn").count() == 0
    assert page.locator(".cell_input .copybtn").count() == cells.count()
    first = page.locator(".cell_input").first
    first.hover()
    assert _copied(page, first.locator(".copybtn")) == first.locator("pre").inner_text().rstrip("\n")

    session = page.locator(".highlight-pycon").last     # "Try it": a session with outputs
    assert ">>> " in session.inner_text() and "79510" in session.inner_text()
    session.hover()
    copied = _copied(page, session.locator(".copybtn"))
    assert copied.strip().splitlines() == [
        "from digitnet import Network",
        "784 * 100 + 100 + 100 * 10 + 10",
        "Network((784, 100, 10)).parameter_count()",
    ], copied

    page.goto(f"{server}/docs/howto/build.html", wait_until="load")
    shell = page.locator(".highlight-console").first
    assert shell.inner_text().startswith("$ ")
    shell.hover()
    copied = _copied(page, shell.locator(".copybtn"))
    assert copied.startswith("make docs") and "\n$" not in copied and not copied.startswith("$"), copied
    watch.check()
    context.close()


# ---------------------------------------------------------------------------
# Every page, for every reader: axe-core's WCAG 2.1 A and AA rules in light and
# dark mode, and phone widths (no page wider than the screen, no block that hides
# what it cannot show without a cue that it scrolls).


def _book_pages(site):
    """The book's pages: every HTML file under docs/ of the built site."""
    pages = sorted(p.relative_to(site).as_posix() for p in (site / "docs").rglob("*.html"))
    assert DRAW_PAGE in pages and "docs/reference/api.html" in pages and len(pages) >= 20, pages
    return pages


def _settle(page):
    """Wait until MathJax has typeset the page and its fonts are loaded."""
    page.evaluate("""async () => {
        if (window.MathJax && MathJax.startup && MathJax.startup.promise) await MathJax.startup.promise;
        await document.fonts.ready;
    }""")


def _open_every_details(page):
    """Open every collapsed part of the article (tables under figures, hidden outputs)."""
    page.evaluate("document.querySelectorAll('article details').forEach(d => { d.open = true; })")


#: The WCAG 2.0 and 2.1 levels A and AA, as axe-core tags its rules.
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
#: axe-core's rules for those levels that it still calls "experimental", and so leaves
#: out unless named. Not css-orientation-lock, the one rule that reads the stylesheets
#: (the book never locks the screen's orientation): without it axe-core need not fetch
#: them again (preload: false), which it does by wrong URLs (it resolves the theme's
#: @import "../basic.css" against the page: 404s).
EXPERIMENTAL_WCAG_RULES = ["label-content-name-mismatch", "p-as-heading", "table-fake-caption",
                           "td-has-header"]

#: Findings in the theme's own markup (sphinx-book-theme / pydata-sphinx-theme),
#: not in anything the book writes: (axe rule, CSS selector of the element).
THEME_FINDINGS = [
    # The search button's accessible name is its aria-label "Search", while its visible
    # text is "Search" followed by the keyboard shortcut "Ctrl + K" (navbar and sidebar).
    ("label-content-name-mismatch", "button.search-button__button"),
]

#: Findings in the draw page's widget that must still occur (each is checked to
#: occur, so the list cannot outlive a fix): none since the widget was fixed.
DRAW_WIDGET_FINDINGS = []

#: axe-core's findings with the rules for the WCAG `tags` and the `experimental` ones;
#: each says which of the `known` (rule, selector) pairs it is, if any (-1: none).
AXE_RUN = """async ([tags, experimental, known]) => {
    const results = await axe.run(document, {
        runOnly: {type: "tag", values: tags},
        rules: Object.fromEntries(experimental.map(rule => [rule, {enabled: true}])),
        resultTypes: ["violations"],
        preload: false,
    });
    return results.violations.flatMap(v =>
        v.nodes.map(node => ({
            rule: v.id, target: node.target.join(" "), html: node.html.slice(0, 160),
            summary: node.failureSummary,
            known: known.findIndex(([rule, selector]) => rule === v.id
                                   && document.querySelector(node.target[0]).matches(selector)),
        })));
}"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_every_page_passes_axe(browser, server, site, scheme):
    """axe-core (WCAG 2.1 A and AA) finds nothing on any page but the theme's findings.

    axe-core's own script comes from the axe-playwright-python package (the "test"
    extra); it runs in the page, on the page as a reader with that colour scheme
    gets it (the theme follows prefers-color-scheme). Its colour-contrast rule takes
    most of the time: about a minute on the API reference.
    """
    from axe_playwright_python.base import AXE_SCRIPT

    known = THEME_FINDINGS + DRAW_WIDGET_FINDINGS
    context = browser.new_context(viewport={"width": 1200, "height": 900}, color_scheme=scheme,
                                  reduced_motion="reduce")  # no colour caught in a transition
    page = context.new_page()
    watch = Watch(page)
    problems, seen = [], {finding: set() for finding in known}
    for name in _book_pages(site):
        page.goto(f"{server}/{name}", wait_until="load")
        _settle(page)
        assert page.evaluate("document.documentElement.dataset.theme") == scheme
        _open_every_details(page)
        page.evaluate(AXE_SCRIPT)
        for finding in page.evaluate(AXE_RUN, [WCAG_TAGS, EXPERIMENTAL_WCAG_RULES, known]):
            if finding["known"] >= 0:
                seen[known[finding["known"]]].add(name)
            else:
                problems.append(f"{name}: {finding['rule']} at {finding['target']}\n    "
                                f"{finding['html']}\n    {finding['summary']}")
    watch.check()
    context.close()
    RESULTS.setdefault("axe", {})[scheme] = {" ".join(k): sorted(v) for k, v in seen.items()}
    assert not problems, f"{len(problems)} axe findings ({scheme}):\n" + "\n".join(problems)
    for finding in DRAW_WIDGET_FINDINGS:
        assert seen[finding], f"{finding} no longer occurs: remove it from DRAW_WIDGET_FINDINGS"


#: What a phone check looks at: the boxes that can be wider than the screen (inline
#: formulas too: overflow.css lets a formula longer than the line scroll).
BLOCKS = ("article pre, article table, article .pst-scrollable-table-container, "
          "article div.cell_output .output, article mjx-container, article img, article span.math")

#: Helpers in the page (window.digitnetCheck), for the phone checks: colours and their
#: contrast (WCAG 2.1's formulas), the colour behind an element, the scroll cue a box
#: shows on each side (overflow.css: a strip just outside the box's edge, an outer
#: box-shadow, and a light shade inside it, a gradient), and how far a box's drawn
#: content reaches (what a reader can see, not the box's scroll width: MathJax's copy
#: of a formula for screen readers is laid out too, but clipped to nothing).
CHECK_HELPERS = """() => { window.digitnetCheck = (() => {
    const parse = c => {
        let m = c.match(/^rgba?\\(([^)]*)\\)/);
        if (m) {
            const v = m[1].split(/[\\s,\\/]+/).filter(Boolean).map(Number);
            return [v[0], v[1], v[2], v.length > 3 ? v[3] : 1];
        }
        m = c.match(/^color\\(srgb ([^)]*)\\)/);
        if (m) {
            const v = m[1].split(/[\\s\\/]+/).filter(Boolean).map(Number);
            return [v[0] * 255, v[1] * 255, v[2] * 255, v.length > 3 ? v[3] : 1];
        }
        throw new Error(`a colour the check cannot read: ${c}`);
    };
    const over = (top, bottom) => [0, 1, 2].map(i => top[i] * top[3] + bottom[i] * (1 - top[3])).concat([1]);
    const lum = ([r, g, b]) => {
        const f = v => (v /= 255) <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
        return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
    };
    const contrast = (a, b) => {
        const [x, y] = [lum(a), lum(b)];
        return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05);
    };
    /* The opaque colour an element's content is drawn on: its background over its ancestors'. */
    const backdrop = e => {
        const layers = [];
        for (let n = e; n; n = n.parentElement) {
            const c = parse(getComputedStyle(n).backgroundColor);
            if (c[3] > 0) layers.push(c);
            if (c[3] >= 1) break;
        }
        return layers.reverse().reduce((below, c) => over(c, below), [255, 255, 255, 1]);
    };
    /* The top-level comma-separated parts of a computed value. */
    const parts = value => {
        const out = [];
        let depth = 0, start = 0;
        for (let i = 0; i < value.length; i++) {
            if (value[i] === "(") depth++;
            else if (value[i] === ")") depth--;
            else if (value[i] === "," && depth === 0) { out.push(value.slice(start, i).trim()); start = i + 1; }
        }
        out.push(value.slice(start).trim());
        return out.filter(p => p && p !== "none");
    };
    const colourIn = text => {
        const m = text.match(/(rgba?|color)\\([^)]*\\)/);
        return m ? parse(m[0]) : null;
    };
    /* The strip outside the box's edge on `side`: an outer box-shadow moved that way. */
    const strip = (e, side) => {
        let best = null;
        for (const p of parts(getComputedStyle(e).boxShadow)) {
            if (/inset/.test(p)) continue;
            const colour = colourIn(p);
            const [x, y, blur, spread] = p.replace(/(rgba?|color)\\([^)]*\\)/, "").match(/-?[\\d.]+px/g)
                .map(parseFloat).concat([0, 0]);
            const width = (side === "right" ? x : -x) + spread;
            if (colour && colour[3] > 0 && width > (best ? best.width : 0))
                best = {colour, width, blur};
        }
        return best;
    };
    /* The shade colours painted over the box's own background (its gradients' colours). */
    const shades = e => (getComputedStyle(e).backgroundImage.match(/(rgba?|color)\\([^)]*\\)/g) || [])
        .map(parse).filter(c => c[3] > 0);
    /* How far right a box's drawn content reaches, in the viewport (what is clipped to
       nothing, hidden or inside a box that scrolls on its own is left out). */
    const drawnRight = box => {
        let right = -Infinity;
        const visit = node => {
            for (const c of node.childNodes) {
                if (c.nodeType === Node.TEXT_NODE) {
                    if (!c.textContent.trim()) continue;
                    const range = document.createRange();
                    range.selectNodeContents(c);
                    for (const r of range.getClientRects()) right = Math.max(right, r.right);
                } else if (c.nodeType === Node.ELEMENT_NODE) {
                    const s = getComputedStyle(c);
                    if (s.display === "none" || s.visibility === "hidden" || s.clip !== "auto"
                        || s.clipPath !== "none") continue;
                    const r = c.getBoundingClientRect();
                    if (r.width > 0 && r.height > 0) right = Math.max(right, r.right);
                    if (s.overflowX === "visible") visit(c);
                }
            }
        };
        visit(box);
        return right;
    };
    return {parse, over, contrast, backdrop, strip, shades, drawnRight};
})(); }"""

#: Problems of one page at the window's width: the page is wider than the screen, a
#: block is cut (wider than the box that holds it, which does not scroll), a box
#: scrolls sideways with no visible sign of it (phones draw no scrollbar until it is
#: touched: the book's sign is overflow.css's scroll cue), or a box shows that sign, and
#: can be swiped, with nothing of its drawn content hidden. The cue must be visible: a
#: strip at least 2 px wide with 3:1 contrast against the box's background and the page's
#: (WCAG 1.4.11, non-text contrast), on the side where more is hidden, and only there
#: (each box is scrolled to its end and back to check the other side).
PHONE_PROBLEMS = """async blocks => {
    const check = window.digitnetCheck;
    const problems = [];
    const root = document.documentElement;
    if (root.scrollWidth > root.clientWidth)
        problems.push(`the page is ${root.scrollWidth} px wide on a ${root.clientWidth} px screen`);
    const name = e => `<${e.tagName.toLowerCase()} class="${e.className}"> `
        + JSON.stringify((e.textContent || e.getAttribute("alt") || "").trim().slice(0, 50));
    const scrolls = e => ["auto", "scroll"].includes(getComputedStyle(e).overflowX);
    const boxes = new Set();
    const article = document.querySelector("article");
    for (const e of document.querySelectorAll(blocks)) {
        if (scrolls(e)) { boxes.add(e); continue; }
        // The nearest box around it that does not show all it holds, if any.
        let box = e.parentElement;
        while (box && box !== article && getComputedStyle(box).overflowX === "visible")
            box = box.parentElement;
        if (box && box !== article && scrolls(box)) { boxes.add(box); continue; }
        const r = e.getBoundingClientRect(), frame = (box && box !== article ? box : root)
            .getBoundingClientRect();
        if (r.width > 0 && (r.left < frame.left - 1 || r.right > frame.right + 1))
            problems.push(`${name(e)} is cut: ${Math.round(r.width)} px wide in ${Math.round(frame.width)} px`);
    }
    const nextFrame = () => new Promise(resolve => requestAnimationFrame(() => requestAnimationFrame(resolve)));
    const cueProblem = (box, side, wanted) => {
        const strip = check.strip(box, side);
        if (!wanted) return strip ? `shows a cue on the ${side} with nothing hidden there` : null;
        if (!strip) return `hides content on the ${side} with no cue`;
        const outside = check.backdrop(box.parentElement), inside = check.backdrop(box);
        const colour = check.over(strip.colour, outside);
        const contrast = Math.min(check.contrast(colour, outside), check.contrast(colour, inside));
        if (strip.width < 2 || strip.blur > 0 || contrast < 3)
            return `hides content on the ${side} with a faint cue (${strip.width} px, blur ${strip.blur}, `
                + `contrast ${contrast.toFixed(2)}:1)`;
        // The strip is drawn outside the box: nothing may clip it, and it must be on screen.
        const r = box.getBoundingClientRect();
        const x = side === "right" ? r.right + strip.width : r.left - strip.width;
        if (x < 0 || x > root.clientWidth) return `has its ${side} cue off the screen`;
        for (let n = box.parentElement; n && n !== root; n = n.parentElement) {
            const s = getComputedStyle(n), f = n.getBoundingClientRect();
            if (s.overflowX !== "visible" && (x > f.right - n.clientLeft || x < f.left + n.clientLeft))
                return `has its ${side} cue clipped by <${n.tagName.toLowerCase()} class="${n.className}">`;
        }
        return null;
    };
    // A caption in a box that scrolls stays whole in view, at the start and at the end.
    const captionCut = box => {
        const r = box.getBoundingClientRect();
        const left = r.left + box.clientLeft, right = left + box.clientWidth;
        for (const caption of box.querySelectorAll("caption")) {
            const range = document.createRange();
            range.selectNodeContents(caption);
            for (const t of range.getClientRects())
                if (t.width > 0 && (t.left < left - 1 || t.right > right + 1))
                    return `cuts its caption ${JSON.stringify(caption.textContent.trim().slice(0, 40))}`;
        }
        return null;
    };
    // The text that scrolls under a shade keeps AA contrast (4.5:1) where the shade is
    // strongest: each text colour against the shade laid over the box's background, and
    // under whatever its rows and spans paint on top (a table's stripes).
    const worstUnderShade = box => {
        const shades = check.shades(box);
        if (!shades.length) return null;
        let worst = Infinity, what = "";
        const walker = document.createTreeWalker(box, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            if (!node.textContent.trim()) continue;
            const chain = [];
            for (let e = node.parentElement; e && e !== box; e = e.parentElement) chain.unshift(e);
            if (chain.some(e => getComputedStyle(e).clip !== "auto")) continue;
            const colour = check.parse(getComputedStyle(node.parentElement).color);
            for (const shade of shades) {
                let bg = check.over(shade, check.backdrop(box));
                for (const e of chain) bg = check.over(check.parse(getComputedStyle(e).backgroundColor), bg);
                const c = check.contrast(check.over(colour, bg), bg);
                if (c < worst) { worst = c; what = `${JSON.stringify(node.textContent.trim().slice(0, 20))} `
                    + `in ${getComputedStyle(node.parentElement).color} on ${bg.slice(0, 3).map(Math.round)}`; }
            }
        }
        return worst < 4.5 ? `has text under its shade at ${worst.toFixed(2)}:1: ${what}` : null;
    };
    const report = (box, what) => problems.push(`${name(box)} (${box.scrollWidth} px in ${box.clientWidth} px) ${what}`);
    const checked = [], scrolling = [];
    for (const box of boxes) {
        box.scrollLeft = 0;
        const swipes = box.scrollWidth > box.clientWidth + 1;
        const edge = box.getBoundingClientRect().left + box.clientLeft + box.clientWidth;
        const drawn = check.drawnRight(box);
        // Drawn content past the box's edge (hidden), and past its padding (a code line
        // that reaches into the padding is all in view, but the box rightly swipes to
        // show the padding after it).
        const hidden = drawn - edge, intoPadding = drawn - (edge - parseFloat(getComputedStyle(box).paddingRight));
        if (swipes && intoPadding <= 1)
            report(box, `can be swiped ${box.scrollWidth - box.clientWidth} px with nothing hidden`);
        else if (hidden >= 2 && box.scrollWidth - box.clientWidth < hidden - 1)
            report(box, `cuts ${Math.round(hidden)} px of its content and cannot scroll to it`);
        else {
            checked.push([box, hidden, intoPadding]);
            if (swipes && hidden >= 2) scrolling.push(box);
        }
    }
    await nextFrame();
    // A cue where at least 2 px are hidden, none where nothing reaches past the padding
    // (in between, content a fraction of a pixel wider than the box, or a line ending in
    // the padding: either will do).
    for (const [box, hidden, intoPadding] of checked)
        for (const [side, wanted] of [["left", false], ["right", hidden >= 2]]) {
            if (side === "right" && hidden < 2 && intoPadding > 1) continue;
            const p = cueProblem(box, side, wanted);
            if (p) report(box, p);
        }
    for (const [box] of checked) {
        for (const p of [captionCut(box), worstUnderShade(box)]) if (p) report(box, p);
    }
    for (const box of scrolling) box.scrollLeft = box.scrollWidth;
    await nextFrame();
    for (const box of scrolling) {
        for (const [side, wanted] of [["left", true], ["right", false]]) {
            const p = cueProblem(box, side, wanted);
            if (p) report(box, `scrolled to its end: ${p}`);
        }
        const p = captionCut(box);
        if (p) report(box, `scrolled to its end: ${p}`);
        box.scrollLeft = 0;
    }
    return problems;
}"""

#: Table cells whose one word (no space in it: "784-16-16-10", "12,730") is broken over
#: lines: a number or a name read in pieces.
BROKEN_WORDS = """() => Array.from(document.querySelectorAll("article td, article th"))
    .filter(cell => {
        const text = cell.textContent.trim();
        if (!text || /\\s/.test(text)) return false;
        const tops = new Set();
        const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            let hidden = false;   // (MathJax's copy for screen readers is clipped to nothing)
            for (let e = node.parentElement; e && e !== cell.parentElement; e = e.parentElement)
                hidden ||= getComputedStyle(e).clip !== "auto";
            if (hidden) continue;
            const range = document.createRange();
            range.selectNodeContents(node);
            for (const r of range.getClientRects()) if (r.width > 0) tops.add(Math.round(r.top));
        }
        return tops.size > 1;
    })
    .map(cell => `a table cell's word is broken over lines: ${JSON.stringify(cell.textContent.trim())}`)"""


def _phone(browser, width, scheme, dpr=2):
    context = browser.new_context(viewport={"width": width, "height": 700}, is_mobile=True,
                                  has_touch=True, device_scale_factor=dpr, color_scheme=scheme)
    return context, context.new_page()


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [320, 375])
def test_every_page_fits_a_phone(browser, server, site, width, scheme):
    """On a phone, no page is wider than the screen, and what scrolls sideways shows it."""
    context, page = _phone(browser, width, scheme)
    watch = Watch(page)
    problems, scrolled = {}, 0
    for name in _book_pages(site):
        page.goto(f"{server}/{name}", wait_until="load")
        _settle(page)
        _open_every_details(page)
        assert page.evaluate("document.documentElement.clientWidth") == width
        assert page.evaluate("document.documentElement.dataset.theme") == scheme
        page.evaluate(CHECK_HELPERS)
        found = page.evaluate(PHONE_PROBLEMS, BLOCKS) + page.evaluate(BROKEN_WORDS)
        if found:
            problems[name] = found
        scrolled += page.evaluate(f"""Array.from(document.querySelectorAll("{BLOCKS}"))
            .filter(e => e.scrollWidth > e.clientWidth + 1).length""")
    watch.check()
    context.close()
    assert not problems, json.dumps(problems, indent=1)
    assert scrolled > 20, "the book has wide code and tables: the check should meet some"


#: Boxes of each kind that scrolls, put into the page, whose content is `k` px wider than
#: the box: a code block, a Markdown table, a cell's HTML output (the parameter table's
#: kind: a light card in dark mode) and a formula in a line of text.
MAKE_SMALL_OVERFLOWS = """overflows => {
    const section = document.querySelector("article section");
    const add = html => {
        section.insertAdjacentHTML("beforeend", html);
        return section.lastElementChild;
    };
    const pad = (e, side) => parseFloat(getComputedStyle(e)[`padding${side}`]);
    for (const k of overflows) {
        const code = add('<div class="highlight-python notranslate"><div class="highlight">'
            + '<pre class="digitnet-probe"><span style="display: inline-block">x</span></pre></div></div>');
        const pre = code.querySelector("pre");
        pre.firstChild.style.width = `${pre.clientWidth - pad(pre, "Left") + k}px`;
        const table = add('<div class="pst-scrollable-table-container digitnet-probe"><table class="table">'
            + '<tbody><tr><td><span style="display: inline-block">a cell</span></td></tr></tbody></table></div>');
        table.querySelector("span").style.width = "1px";
        table.querySelector("table").style.width = `${table.clientWidth + k}px`;
        const cell = add('<div class="cell_output docutils container"><div class="output text_html digitnet-probe">'
            + '<table class="digitnet-parameters"><caption>A caption</caption><tbody><tr><td>a cell</td></tr></tbody></table></div></div>');
        const html = cell.querySelector(".output");
        html.querySelector("table").style.width = `${html.clientWidth - pad(html, "Left") + k}px`;
        const line = add('<p>A formula: <span class="math notranslate nohighlight digitnet-probe">'
            + '<span style="display: inline-block; flex: none">x</span></span></p>');
        line.querySelector("span.math span").style.width = `${line.clientWidth + k}px`;
    }
    return document.querySelectorAll(".digitnet-probe").length;
}"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_a_small_overflow_shows_its_cue(browser, server, scheme):
    """However little is hidden (from 2 px), the box shows its cue, as visible as a larger one's.

    The cue once was a shadow that a cover, scrolling with the content, hid until some
    28 px were hidden: a table at 375 px showed "0.7" for "0.7 s", a formula at
    device pixel ratio 1 lost its last subscript, with no sign.
    """
    context, page = _phone(browser, 320, scheme, dpr=1)
    watch = Watch(page)
    page.goto(f"{server}/docs/chapters/parameters.html", wait_until="load")
    _settle(page)
    page.evaluate(CHECK_HELPERS)
    overflows = [2, 3, 5, 10, 27]
    assert page.evaluate(MAKE_SMALL_OVERFLOWS, overflows) == 4 * len(overflows)
    problems = page.evaluate(PHONE_PROBLEMS, "article .digitnet-probe")
    assert not problems, json.dumps(problems, indent=1)
    # Every probe was checked, and shows its cue on the right (and none on the left).
    cues = page.evaluate("""async () => {
        await new Promise(resolve => requestAnimationFrame(() => requestAnimationFrame(resolve)));
        return Array.from(document.querySelectorAll(".digitnet-probe"))
        .map(box => [box.scrollWidth - box.clientWidth, !!digitnetCheck.strip(box, "right"),
                     !!digitnetCheck.strip(box, "left")]);
    }""")
    assert all(hidden >= 2 and right and not left for hidden, right, left in cues), cues
    watch.check()
    context.close()
