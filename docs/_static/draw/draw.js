/* digitnet: draw a digit and watch the trained network read it.
 *
 * Plain JavaScript, no framework, nothing fetched: the weights arrive as the
 * global DIGITNET_WEIGHTS, written by digitnet.export during the docs build
 * (from digitnet.pretrained()), in the script loaded before this one.
 *
 * The pen's ink is the canvas's alpha channel: it needs no separating from
 * paper (digitnet.ink.find_ink), so the drawing goes straight to the steps of
 * digitnet.images.place_digit (crop, thicken strokes thinner than MNIST's,
 * Lanczos scaling into 20x20 with Pillow's algorithm, centre of mass at
 * (14, 14)); the forward pass is Network.activations: a = sigma(W a + b),
 * layer by layer, in float64; and whether the answer stands is decided by the
 * rule of digitnet.answer.judge, with its thresholds exported with the weights.
 *
 * Without a mouse, a pen or a finger: the box takes the keyboard focus and
 * draws with the arrow keys (Space lowers and lifts the pen), and buttons put
 * real MNIST test digits into the box (exported with the weights), which are
 * then read exactly as a drawing is. The answer is announced to screen readers
 * once per finished stroke, not on every frame.
 *
 * window.digitnet exposes forward(), prepare(), judge(), update(), clear(),
 * load(), inkBitmap() and tileColours() for the book's browser tests.
 */
(function () {
  "use strict";

  var PAD = 280; // the drawing canvas, in bitmap pixels (10 per input pixel)
  var LINE_WIDTH = 18; // pen width, in bitmap pixels
  var KEY_STEP = 10; // one arrow key press moves the pen this far: one input pixel
  // The preparation's constants (digitnet.images) and the rule's thresholds
  // (digitnet.answer) come with the weights; see start().
  var PREP = null;
  var RULE = null;
  var SIZE = 28; // side of the prepared image; PREP.size once the weights are in

  /* ---------- the network ---------- */

  function sigmoid(z) {
    // digitnet.sigmoid: only exp(-|z|) is computed, so nothing overflows.
    var e = Math.exp(-Math.abs(z));
    return z >= 0 ? 1 / (1 + e) : e / (1 + e);
  }

  /** The activations of every layer for 784 inputs, input layer first. */
  function forward(x, net) {
    net = net || window.DIGITNET_WEIGHTS;
    var sizes = net.sizes;
    if (!x || x.length !== sizes[0]) {
      throw new Error("forward: expected " + sizes[0] + " inputs, got " + (x && x.length));
    }
    var a = Array.prototype.slice.call(x);
    var layers = [a];
    for (var l = 0; l < net.weights.length; l++) {
      var W = net.weights[l];
      var b = net.biases[l];
      var next = new Array(W.length);
      for (var i = 0; i < W.length; i++) {
        var row = W[i];
        var s = 0;
        for (var j = 0; j < row.length; j++) s += row[j] * a[j];
        next[i] = sigmoid(s + b[i]);
      }
      layers.push(next);
      a = next;
    }
    return layers;
  }

  /* ---------- preparing a drawing like MNIST (digitnet.images.prepare_digit) ---------- */

  function roundHalfEven(x) {
    // Python's round(): halves go to the even neighbour.
    var r = Math.round(x);
    if (r - x === 0.5 && r % 2 !== 0) r -= 1;
    return r;
  }

  function lanczos(x) {
    function sinc(t) {
      if (t === 0) return 1;
      t *= Math.PI;
      return Math.sin(t) / t;
    }
    return -3 <= x && x < 3 ? sinc(x) * sinc(x / 3) : 0;
  }

  // Pillow's precompute_coeffs (libImaging/Resample.c) for the Lanczos filter.
  function coefficients(inSize, outSize) {
    var scale = inSize / outSize;
    var filterscale = Math.max(scale, 1);
    var support = 3 * filterscale;
    var result = [];
    for (var xx = 0; xx < outSize; xx++) {
      var center = (xx + 0.5) * scale;
      var ss = 1 / filterscale;
      var xmin = Math.max(0, Math.trunc(center - support + 0.5));
      var xmax = Math.min(inSize, Math.trunc(center + support + 0.5)) - xmin;
      var k = new Float64Array(Math.max(xmax, 0));
      var ww = 0;
      for (var x = 0; x < xmax; x++) {
        k[x] = lanczos((x + xmin - center + 0.5) * ss);
        ww += k[x];
      }
      if (ww !== 0) for (x = 0; x < xmax; x++) k[x] /= ww;
      result.push({ min: xmin, k: k });
    }
    return result;
  }

  /* Pillow's Image.resize(LANCZOS) of a mode "F" (float32) image: a horizontal
     then a vertical pass, sums in double, each pass stored as float32. */
  function resizeLanczos(src, w, h, outW, outH) {
    var x, y, i, c, s;
    var tmp = new Float32Array(outW * h);
    if (outW !== w) {
      var cx = coefficients(w, outW);
      for (y = 0; y < h; y++) {
        for (x = 0; x < outW; x++) {
          c = cx[x];
          s = 0;
          for (i = 0; i < c.k.length; i++) s += src[y * w + c.min + i] * c.k[i];
          tmp[y * outW + x] = s;
        }
      }
    } else {
      tmp.set(src);
    }
    var out = new Float32Array(outW * outH);
    if (outH !== h) {
      var cy = coefficients(h, outH);
      for (y = 0; y < outH; y++) {
        c = cy[y];
        for (x = 0; x < outW; x++) {
          s = 0;
          for (i = 0; i < c.k.length; i++) s += tmp[(c.min + i) * outW + x] * c.k[i];
          out[y * outW + x] = s;
        }
      }
    } else {
      out.set(tmp);
    }
    return out;
  }

  /** `src` (w x h, row-major) cropped to its pixels above the ink threshold, or null. */
  function cropped(src, w, h) {
    var top = h, bottom = -1, left = w, right = -1, x, y;
    for (y = 0; y < h; y++) {
      for (x = 0; x < w; x++) {
        if (src[y * w + x] > PREP.ink_threshold) {
          if (y < top) top = y;
          if (y > bottom) bottom = y;
          if (x < left) left = x;
          if (x > right) right = x;
        }
      }
    }
    if (bottom < 0) return null;
    var height = bottom - top + 1, width = right - left + 1;
    var out = new Float32Array(height * width); // Pillow mode "F"
    for (y = 0; y < height; y++) {
      for (x = 0; x < width; x++) out[y * width + x] = src[(top + y) * w + left + x];
    }
    return { data: out, w: width, h: height };
  }

  /** images._fitted: scaled so the longer side is `longest`, clipped to 0..1. */
  function fitted(img, longest) {
    var scale = longest / Math.max(img.h, img.w);
    var outH = Math.min(longest, Math.max(1, roundHalfEven(img.h * scale)));
    var outW = Math.min(longest, Math.max(1, roundHalfEven(img.w * scale)));
    var out = resizeLanczos(img.data, img.w, img.h, outW, outH);
    for (var i = 0; i < out.length; i++) out[i] = Math.min(Math.max(out[i], 0), 1);
    return { data: out, w: outW, h: outH };
  }

  /** Gray-level dilation by a disk of `radius` (skimage.morphology.disk), after
      padding `radius` zeros around: scipy.ndimage.grey_dilation. */
  function dilated(img, radius) {
    var w = img.w + 2 * radius, h = img.h + 2 * radius, x, y, dx, dy;
    var padded = new Float64Array(w * h);
    for (y = 0; y < img.h; y++) {
      for (x = 0; x < img.w; x++) padded[(y + radius) * w + x + radius] = img.data[y * img.w + x];
    }
    var offsets = [];
    for (dy = -radius; dy <= radius; dy++) {
      for (dx = -radius; dx <= radius; dx++) if (dx * dx + dy * dy <= radius * radius) offsets.push([dy, dx]);
    }
    var out = new Float32Array(w * h);
    for (y = 0; y < h; y++) {
      for (x = 0; x < w; x++) {
        var m = -Infinity;
        for (var k = 0; k < offsets.length; k++) {
          var yy = y + offsets[k][0], xx = x + offsets[k][1];
          var v = yy < 0 || yy >= h || xx < 0 || xx >= w ? 0 : padded[yy * w + xx];
          if (v > m) m = v;
        }
        out[y * w + x] = m;
      }
    }
    return { data: out, w: w, h: h };
  }

  /**
   * digitnet.images.place_digit for ink that needs no separating from paper:
   * `level` (w x h, row-major, 0 paper .. 1 ink) drawn with strokes
   * `strokeWidth` pixels wide, as 784 MNIST-style inputs.
   */
  function prepare(level, w, h, strokeWidth) {
    var BOX = PREP.box;
    var digit = new Array(SIZE * SIZE).fill(0);
    if (!level || w * h === 0 || level.length !== w * h) return digit;
    var crop = cropped(level, w, h);
    if (!crop) return digit; // blank
    var width = strokeWidth * BOX / Math.max(crop.h, crop.w); // in pixels of the box
    var radius = roundHalfEven(Math.max(PREP.min_stroke - width, 0) * PREP.fine / 2);
    var box = radius === 0 ? fitted(crop, BOX)
      : fitted(dilated(fitted(crop, BOX * PREP.fine), radius), BOX);
    var peak = 0, i, x, y;
    var scaled = new Float64Array(box.data.length);
    for (i = 0; i < scaled.length; i++) {
      scaled[i] = box.data[i];
      if (scaled[i] > peak) peak = scaled[i];
    }
    if (!(peak > 0)) return digit;
    var total = 0, sumRow = 0, sumColumn = 0;
    for (y = 0; y < box.h; y++) {
      for (x = 0; x < box.w; x++) {
        var v = (scaled[y * box.w + x] /= peak);
        total += v;
        sumRow += y * v;
        sumColumn += x * v;
      }
    }
    // Centre of mass to (14, 14), keeping the whole digit inside; rounded to a
    // millionth of a pixel as images._centred rounds it (ties then agree).
    var row0 = Math.floor(SIZE / 2 - Math.round(sumRow / total * 1e6) / 1e6 + 0.5);
    var col0 = Math.floor(SIZE / 2 - Math.round(sumColumn / total * 1e6) / 1e6 + 0.5);
    row0 = Math.min(Math.max(row0, 0), SIZE - box.h);
    col0 = Math.min(Math.max(col0, 0), SIZE - box.w);
    for (y = 0; y < box.h; y++) {
      for (x = 0; x < box.w; x++) digit[(row0 + y) * SIZE + col0 + x] = scaled[y * box.w + x];
    }
    return digit;
  }

  /* ---------- whether the answer stands (digitnet.answer) ---------- */

  /** digitnet.answer.elongation: the ink's length in stroke widths, from the
      levels (w x h, row-major): width 2 * area / perimeter, length sqrt(12)
      times the standard deviation along the principal axis. */
  function elongation(level, w, h) {
    var x, y, v, area = 0, perimeter = 0, sr = 0, sc = 0;
    function at(yy, xx) {
      return yy >= 0 && yy < h && xx >= 0 && xx < w ? level[yy * w + xx] : 0;
    }
    for (y = 0; y < h; y++) {
      for (x = 0; x < w; x++) {
        v = level[y * w + x];
        area += v;
        sr += y * v;
        sc += x * v;
      }
    }
    if (!(area > 0)) return 0;
    // Changes between neighbours across and down, the frame counting as paper.
    for (y = -1; y < h; y++) {
      for (x = -1; x < w; x++) {
        if (y >= 0) perimeter += Math.abs(at(y, x + 1) - at(y, x));
        if (x >= 0) perimeter += Math.abs(at(y + 1, x) - at(y, x));
      }
    }
    var mr = sr / area, mc = sc / area, vrr = 0, vcc = 0, vrc = 0;
    for (y = 0; y < h; y++) {
      for (x = 0; x < w; x++) {
        v = level[y * w + x];
        if (v === 0) continue;
        vrr += (y - mr) * (y - mr) * v;
        vcc += (x - mc) * (x - mc) * v;
        vrc += (y - mr) * (x - mc) * v;
      }
    }
    vrr /= area; vcc /= area; vrc /= area;
    var major = (vrr + vcc) / 2 + Math.hypot((vrr - vcc) / 2, vrc);
    return Math.sqrt(12 * major) * perimeter / (2 * area);
  }

  /** digitnet.answer.judge: the reason ("sure", "unsure", "blank", "blob",
      "scribble") and the best guess for a prepared input, its output and the
      ink (w x h levels) it was prepared from (the input itself if omitted). */
  function judge(input, output, ink, w, h) {
    var best = 0;
    for (var d = 1; d < output.length; d++) if (output[d] > output[best]) best = d;
    var confidence = output[best];
    var reason;
    if (!ink) { ink = input; w = SIZE; h = SIZE; }
    if (!input.some(function (v) { return v > 0.5; })) reason = "blank";
    else if (elongation(ink, w, h) < RULE.min_elongation) reason = "blob";
    else if (input.reduce(function (s, v) { return s + v; }, 0) / input.length > RULE.max_coverage) {
      reason = "scribble";
    } else if (confidence < RULE.min_confidence) reason = "unsure";
    else reason = "sure";
    return { reason: reason, best: best, confidence: confidence };
  }

  /* ---------- the reader's language ---------- */

  /** `english` in the edition's language, its "{}" fields filled with the other
      arguments in order ("{0}", "{1}" by number). DIGITNET_MESSAGES, written at
      build time from the edition's catalog (digitnet.sphinxext.drawpage), maps
      English to the translation; the English edition has none. */
  function t(english) {
    var fields = Array.prototype.slice.call(arguments, 1);
    var text = (window.DIGITNET_MESSAGES || {})[english] || english;
    var next = 0;
    return text.replace(/\{(\d*)\}/g, function (_, n) {
      return String(fields[n === "" ? next++ : Number(n)]);
    });
  }

  /* ---------- the page ---------- */

  function el(tag, attributes, parent) {
    var node = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (key) {
      if (key === "text") node.textContent = attributes[key];
      else node.setAttribute(key, attributes[key]);
    });
    if (parent) parent.appendChild(node);
    return node;
  }

  function fmt(v) {
    return v.toFixed(2);
  }

  function Widget(root, net) {
    this.root = root;
    this.net = net;
    this.strokes = 0;
    this.pointer = null;
    this.last = null;
    this.pending = false;
    this.selected = { layer: 1, index: 0 };
    this.penAt = { x: PAD / 2, y: PAD / 2 }; // the keyboard's pen, in bitmap pixels
    this.keyPen = false; // whether the keyboard's pen is down
    this.toAnnounce = null; // what the next update says first, once it has read the box
    this.build();
    this.update();
  }

  Widget.prototype.build = function () {
    var self = this;
    var root = this.root;
    root.textContent = "";
    root.setAttribute("data-ready", "false");

    var pad = el("div", { "class": "dd-pad" }, root);
    var surface = el("div", { "class": "dd-surface" }, pad);
    // A keyboard widget of its own: "application" lets a screen reader pass
    // the arrow keys and Space through to it.
    this.canvas = el("canvas", {
      "class": "dd-canvas", width: PAD, height: PAD, tabindex: "0", role: "application",
      "aria-label": t("Drawing box"), "aria-describedby": "digitnet-draw-help"
    }, surface);
    this.ctx = this.canvas.getContext("2d", { willReadFrequently: true });
    // Where the keyboard's pen is: a ring as wide as the pen, shown while the box has the focus.
    this.cursor = el("div", { "class": "dd-cursor", "aria-hidden": "true" }, surface);
    var bar = el("div", { "class": "dd-bar" }, pad);
    this.clearButton = el("button", { type: "button", "class": "dd-clear", text: t("Clear") }, bar);
    // The answer as it changes, for the eye; the live region below speaks once per stroke.
    this.verdict = el("p", { "class": "dd-verdict" }, bar);
    this.announcer = el("p", { "class": "dd-announce", role: "status", "aria-live": "polite" }, pad);

    var examples = el("div", { "class": "dd-examples", role: "group",
      "aria-labelledby": "digitnet-draw-examples" }, pad);
    el("span", { id: "digitnet-draw-examples", "class": "dd-examples-label",
      text: t("Or put a digit from the MNIST test set in the box:") }, examples);
    (this.net.examples || []).forEach(function (example, k) {
      var button = el("button", { type: "button", "class": "dd-example",
        "data-digit": example.digit, text: String(example.digit) }, examples);
      button.addEventListener("click", function () { self.load(k); });
    });
    el("p", { id: "digitnet-draw-help", "class": "dd-help", text: t("With a keyboard: Tab to the " +
      "box, press Space to put the pen down, move it with the arrow keys, and press Space " +
      "again to lift it. The network reads the drawing each time the pen is lifted.") }, pad);

    var input = el("figure", { "class": "dd-layer dd-input-layer" }, root);
    this.inputCanvas = el("canvas", {
      "class": "dd-input", width: SIZE, height: SIZE, role: "img",
      "aria-label": t("The 28x28 input the network sees")
    }, input);
    el("figcaption", { text: t("input: the 28×28 image the network sees") }, input);

    var output = el("figure", { "class": "dd-layer dd-output-layer" }, root);
    var list = el("ol", { "class": "dd-outputs", start: "0" }, output);
    this.outputs = [];
    for (var d = 0; d < 10; d++) {
      var item = el("li", { "class": "dd-output", "data-digit": d }, list);
      el("span", { "class": "dd-digit", text: String(d) }, item);
      var track = el("span", { "class": "dd-track" }, item);
      var fill = el("span", { "class": "dd-fill" }, track);
      var value = el("span", { "class": "dd-value" }, item);
      this.outputs.push({ item: item, fill: fill, value: value });
    }
    el("figcaption", { text: t("output: the 10 confidences, one per digit") }, output);

    var hiddenLayers = el("div", { "class": "dd-hidden" }, root);
    this.hidden = [];
    [1, 2].forEach(function (layer) {
      var fig = el("figure", { "class": "dd-layer dd-hidden-layer" }, hiddenLayers);
      // One tab stop per layer: the arrow keys, Home and End move inside it.
      var grid = el("div", { "class": "dd-neurons", role: "toolbar",
        "aria-label": t("hidden layer {}, 16 neurons", layer) }, fig);
      el("figcaption", { text: t("hidden layer {}: 16 neurons, activation × 100 " +
        "(click one, or move to it with the arrow keys and press Enter, to see its weights)", layer) }, fig);
      var cells = [];
      for (var i = 0; i < 16; i++) {
        var cell = el("button", { type: "button", "class": "dd-neuron", tabindex: i === 0 ? "0" : "-1",
          "data-layer": layer, "data-index": i }, grid);
        cell.addEventListener("click", self.select.bind(self, layer, i));
        cells.push(cell);
      }
      grid.addEventListener("keydown", function (e) { self.moveInGrid(e, cells); });
      self.hidden.push(cells);
    });

    var weights = el("figure", { "class": "dd-weights" }, root);
    this.weightsCanvas = el("canvas", { "class": "dd-weights-image", width: SIZE, height: SIZE,
      role: "img" }, weights);
    var scale = el("div", { "class": "dd-colorbar" }, weights);
    var stops = [];
    for (var s = 0; s <= 16; s++) stops.push(this.net.weights_cmap[Math.min(255, s * 16)]);
    el("span", { "class": "dd-colorbar-ramp",
      style: "background: linear-gradient(to right, " + stops.join(", ") + ")" }, scale);
    this.scaleLow = el("span", { "class": "dd-colorbar-low" }, scale);
    el("span", { "class": "dd-colorbar-mid", text: "0" }, scale);
    this.scaleHigh = el("span", { "class": "dd-colorbar-high" }, scale);
    this.weightsCaption = el("figcaption", {}, weights);

    el("p", { "class": "dd-source", text: t("Weights: {}, digitnet {} ({}, computed here in float64), sha256 {}…",
      this.net.source || t("a digitnet network"), this.net.version, this.net.dtype, this.net.sha256.slice(0, 12)) }, root);

    this.clearButton.addEventListener("click", function () { self.clear(); });
    var c = this.canvas;
    c.addEventListener("pointerdown", this.down.bind(this));
    c.addEventListener("pointermove", this.move.bind(this));
    c.addEventListener("pointerup", this.up.bind(this));
    c.addEventListener("pointercancel", this.up.bind(this));
    c.addEventListener("keydown", this.key.bind(this));
    c.addEventListener("blur", function () { if (self.keyPen) self.lift(); });
    c.addEventListener("focus", function () { self.placeCursor(); });
    // Belt and braces for browsers without touch-action: never scroll while drawing.
    c.addEventListener("touchstart", function (e) { e.preventDefault(); }, { passive: false });
    c.addEventListener("touchmove", function (e) { e.preventDefault(); }, { passive: false });
    root.setAttribute("data-ready", "true");
  };

  Widget.prototype.position = function (e) {
    // The bitmap fills the canvas's content box, inside its border.
    var c = this.canvas;
    var rect = c.getBoundingClientRect();
    return {
      x: (e.clientX - rect.left - c.clientLeft) * (c.width / (c.clientWidth || 1)),
      y: (e.clientY - rect.top - c.clientTop) * (c.height / (c.clientHeight || 1))
    };
  };

  Widget.prototype.pen = function () {
    var ctx = this.ctx;
    ctx.lineWidth = LINE_WIDTH;
    ctx.lineCap = "round";
    ctx.lineJoin = "round";
    // The ink is read from the alpha channel, so its colour can follow the theme.
    var colour = window.getComputedStyle(this.canvas).color || "#000";
    ctx.strokeStyle = colour;
    ctx.fillStyle = colour;
  };

  Widget.prototype.down = function (e) {
    if (e.pointerType === "mouse" && e.button !== 0) return;
    if (this.pointer !== null) return; // one finger draws at a time
    e.preventDefault();
    this.keyPen = false; // the keyboard's stroke, if any, ends here; this one is announced
    this.placeCursor();
    try { this.canvas.setPointerCapture(e.pointerId); } catch (err) { /* not capturable */ }
    this.pointer = e.pointerId;
    this.strokes += 1;
    var p = this.position(e);
    this.pen();
    this.ctx.beginPath();
    this.ctx.arc(p.x, p.y, LINE_WIDTH / 2, 0, 2 * Math.PI);
    this.ctx.fill();
    this.last = p;
    this.schedule();
  };

  Widget.prototype.move = function (e) {
    if (e.pointerId !== this.pointer) return;
    e.preventDefault();
    var events = (e.getCoalescedEvents && e.getCoalescedEvents()) || [];
    if (!events.length) events = [e];
    var ctx = this.ctx;
    this.pen();
    ctx.beginPath();
    ctx.moveTo(this.last.x, this.last.y);
    for (var i = 0; i < events.length; i++) {
      var p = this.position(events[i]);
      ctx.lineTo(p.x, p.y);
      this.last = p;
    }
    ctx.stroke();
    this.schedule();
  };

  Widget.prototype.up = function (e) {
    if (e.pointerId !== this.pointer) return;
    this.pointer = null;
    this.last = null;
    this.toAnnounce = ""; // a finished stroke: the next reading is spoken
    this.schedule();
  };

  /* ---------- the keyboard's pen ---------- */

  var ARROWS = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] };

  Widget.prototype.key = function (e) {
    if (e.altKey || e.ctrlKey || e.metaKey || this.pointer !== null) return;
    if (e.key === " ") {
      e.preventDefault(); // no scrolling
      if (e.repeat) return;
      if (this.keyPen) this.lift();
      else this.lower();
      return;
    }
    var move = ARROWS[e.key];
    if (!move) return;
    e.preventDefault();
    var next = {
      x: Math.min(Math.max(this.penAt.x + move[0] * KEY_STEP, 0), PAD),
      y: Math.min(Math.max(this.penAt.y + move[1] * KEY_STEP, 0), PAD)
    };
    if (this.keyPen) {
      this.pen();
      this.ctx.beginPath();
      this.ctx.moveTo(this.penAt.x, this.penAt.y);
      this.ctx.lineTo(next.x, next.y);
      this.ctx.stroke();
      this.schedule();
    }
    this.penAt = next;
    this.placeCursor();
  };

  /** The keyboard's pen goes down: a stroke starts with a dot, as a mouse's does. */
  Widget.prototype.lower = function () {
    this.keyPen = true;
    this.strokes += 1;
    this.pen();
    this.ctx.beginPath();
    this.ctx.arc(this.penAt.x, this.penAt.y, LINE_WIDTH / 2, 0, 2 * Math.PI);
    this.ctx.fill();
    this.placeCursor();
    this.schedule();
  };

  /** The keyboard's pen comes up: the stroke is finished, and its reading spoken. */
  Widget.prototype.lift = function () {
    this.keyPen = false;
    this.placeCursor();
    this.toAnnounce = "";
    return this.update();
  };

  Widget.prototype.placeCursor = function () {
    var c = this.canvas, style = this.cursor.style;
    var sx = c.clientWidth / PAD, sy = c.clientHeight / PAD;
    style.width = LINE_WIDTH * sx + "px";
    style.height = LINE_WIDTH * sy + "px";
    style.left = c.clientLeft + this.penAt.x * sx + "px";
    style.top = c.clientTop + this.penAt.y * sy + "px";
    this.cursor.classList.toggle("dd-pen-down", this.keyPen);
  };

  /** Put MNIST test digit `k` of the exported examples in the box, each of its
      pixels a square of ink as opaque as the pixel is dark; it is then read
      exactly as a drawing is. */
  Widget.prototype.load = function (k) {
    var example = this.net.examples[k];
    var scale = PAD / SIZE;
    this.pen();
    var rgb = hexRGB(this.ctx.fillStyle); // the pen's colour, which the canvas gives as #rrggbb
    var image = this.ctx.createImageData(PAD, PAD);
    for (var y = 0; y < PAD; y++) {
      for (var x = 0; x < PAD; x++) {
        var i = 4 * (y * PAD + x);
        image.data[i] = rgb[0];
        image.data[i + 1] = rgb[1];
        image.data[i + 2] = rgb[2];
        image.data[i + 3] = example.pixels[Math.floor(y / scale) * SIZE + Math.floor(x / scale)];
      }
    }
    this.ctx.putImageData(image, 0, 0);
    this.strokes = 0;
    this.pointer = null;
    this.last = null;
    this.keyPen = false;
    this.placeCursor();
    this.toAnnounce = t("A {} from the MNIST test set (its image {}) is in the box. ",
      example.digit, example.index);
    return this.update();
  };

  Widget.prototype.schedule = function () {
    var self = this;
    if (this.pending) return;
    this.pending = true;
    var run = function () { self.pending = false; self.update(); };
    if (window.requestAnimationFrame) window.requestAnimationFrame(run);
    else window.setTimeout(run, 16);
  };

  Widget.prototype.clear = function () {
    this.ctx.clearRect(0, 0, this.canvas.width, this.canvas.height);
    this.strokes = 0;
    this.pointer = null;
    this.last = null;
    this.keyPen = false;
    this.placeCursor();
    this.toAnnounce = "";
    return this.update();
  };

  /** The ink of the drawing: alpha 0..255 of every bitmap pixel, row-major. */
  Widget.prototype.inkBitmap = function () {
    var w = this.canvas.width, h = this.canvas.height;
    var rgba = this.ctx.getImageData(0, 0, w, h).data;
    var alpha = new Array(w * h);
    for (var i = 0; i < w * h; i++) alpha[i] = rgba[4 * i + 3];
    return { width: w, height: h, alpha: alpha };
  };

  Widget.prototype.update = function () {
    var bitmap = this.inkBitmap();
    var level = new Float64Array(bitmap.alpha.length);
    for (var i = 0; i < level.length; i++) level[i] = bitmap.alpha[i] / 255;
    var input = prepare(level, bitmap.width, bitmap.height, LINE_WIDTH);
    var layers = forward(input, this.net);
    var output = layers[3];
    var verdict = judge(input, output, level, bitmap.width, bitmap.height);
    var best = verdict.best, status = verdict.reason, text;
    if (status === "blank") {
      text = t("Draw a digit in the box.");
    } else if (status === "blob") {
      text = t("A dot or a blob is not a digit: no answer. (The network's best guess would be " +
        "{}, at {}.)", best, fmt(output[best]));
    } else if (status === "scribble") {
      text = t("That is more ink than any digit has: no answer. (Best guess {}, at {}.)",
        best, fmt(output[best]));
    } else if (status === "unsure") {
      text = t("Not sure. Best guess: {} ({}).", best, fmt(output[best]));
    } else {
      text = t("It reads a {} ({}).", best, fmt(output[best]));
    }
    this.state = {
      input: input, hidden1: layers[1], hidden2: layers[2], output: output,
      prediction: status === "sure" ? best : null,
      best: best, confidence: output[best], status: status,
      coverage: input.reduce(function (s, v) { return s + v; }, 0) / input.length,
      strokes: this.strokes
    };
    this.render(text);
    if (this.toAnnounce !== null) {
      this.announcer.textContent = this.toAnnounce + text;
      this.toAnnounce = null;
    }
    return this.state;
  };

  function grayRGB(v) {
    // Matplotlib's "gray_r", as the book draws digits: 0 white, 1 black.
    var g = Math.round(255 * (1 - Math.min(Math.max(v, 0), 1)));
    return [g, g, g];
  }

  /** WCAG 2.1's relative luminance of an sRGB colour [r, g, b], 0..255. */
  function luminance(rgb) {
    var c = rgb.map(function (v) {
      v /= 255;
      return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
    });
    return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
  }

  /** WCAG 2.1's contrast ratio of two colours, 1 to 21. */
  function contrast(a, b) {
    var la = luminance(a), lb = luminance(b);
    return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
  }

  /** A neuron tile's colours at activation v: its gray, and black or white
      text, whichever contrasts more with it. */
  function tileColours(v) {
    var background = grayRGB(v), black = [0, 0, 0], white = [255, 255, 255];
    return { background: background,
      text: contrast(background, black) >= contrast(background, white) ? black : white };
  }

  function hexRGB(hex) {
    return [1, 3, 5].map(function (i) { return parseInt(hex.slice(i, i + 2), 16); });
  }

  function paint(canvas, values, colour) {
    var ctx = canvas.getContext("2d");
    var image = ctx.createImageData(canvas.width, canvas.height);
    for (var i = 0; i < values.length; i++) {
      var rgb = colour(values[i]);
      image.data[4 * i] = rgb[0];
      image.data[4 * i + 1] = rgb[1];
      image.data[4 * i + 2] = rgb[2];
      image.data[4 * i + 3] = 255;
    }
    ctx.putImageData(image, 0, 0);
  }

  Widget.prototype.render = function (text) {
    var st = this.state;
    var root = this.root;
    paint(this.inputCanvas, st.input, grayRGB);
    [st.hidden1, st.hidden2].forEach(function (values, l) {
      this.hidden[l].forEach(function (cell, i) {
        var v = values[i];
        var colours = tileColours(v);
        cell.style.backgroundColor = "rgb(" + colours.background.join(",") + ")";
        cell.style.color = "rgb(" + colours.text.join(",") + ")";
        var shown = String(Math.round(v * 100));
        cell.textContent = shown;
        // The name holds the number shown, so a reader can say it to speech input.
        var label = t("hidden neuron {} of layer {}: {} (activation {})", i, l + 1, shown, fmt(v));
        cell.setAttribute("aria-label", label);
        cell.title = label;
      });
    }, this);
    this.outputs.forEach(function (o, d) {
      var v = st.output[d];
      o.fill.style.width = (100 * v).toFixed(1) + "%";
      o.value.textContent = fmt(v);
      o.item.classList.toggle("dd-best", d === st.best && st.status !== "blank");
      o.item.setAttribute("aria-label", t("digit {}: {}", d, fmt(v)));
    });
    this.verdict.textContent = text;
    root.setAttribute("data-status", st.status);
    root.setAttribute("data-prediction", st.prediction === null ? "" : String(st.prediction));
    root.setAttribute("data-confidence", st.status === "sure" ? "high" : "low");
    this.showWeights();
  };

  Widget.prototype.select = function (layer, index) {
    this.selected = { layer: layer, index: index };
    rove(this.hidden[layer - 1], index); // Tab comes back to the neuron last chosen
    this.showWeights();
  };

  /** Make tile `index` its grid's one tab stop. */
  function rove(cells, index) {
    cells.forEach(function (cell, i) { cell.tabIndex = i === index ? 0 : -1; });
  }

  /** The arrow keys, Home and End in a grid of tiles: move the focus, and the tab stop with it. */
  Widget.prototype.moveInGrid = function (e, cells) {
    var i = cells.indexOf(document.activeElement);
    if (i < 0 || e.altKey || e.ctrlKey || e.metaKey) return;
    // Up and Down go a row up or down, in the grid as the stylesheet lays it out.
    var columns = window.getComputedStyle(cells[0].parentNode).gridTemplateColumns.split(" ").length;
    var to = { ArrowLeft: i - 1, ArrowRight: i + 1, ArrowUp: i - columns, ArrowDown: i + columns,
      Home: 0, End: cells.length - 1 }[e.key];
    if (to === undefined) return;
    e.preventDefault();
    if (to < 0 || to >= cells.length) return; // the edges stop it
    rove(cells, to);
    cells[to].focus();
  };

  Widget.prototype.showWeights = function () {
    var sel = this.selected;
    var w = this.net.weights[sel.layer - 1][sel.index];
    var limit = 0;
    for (var i = 0; i < w.length; i++) limit = Math.max(limit, Math.abs(w[i]));
    limit = limit || 1;
    var cmap = this.net.weights_cmap;
    var colour = function (v) {
      // Matplotlib's Normalize(-limit, limit) and a 256-colour lookup table.
      var t = (v + limit) / (2 * limit);
      return hexRGB(cmap[Math.min(255, Math.max(0, Math.floor(t * 256)))]);
    };
    var canvas = this.weightsCanvas;
    if (w.length === SIZE * SIZE) {
      canvas.width = SIZE; canvas.height = SIZE;
    } else {
      canvas.width = 4; canvas.height = Math.ceil(w.length / 4);
    }
    paint(canvas, w, colour);
    canvas.setAttribute("data-layer", sel.layer);
    canvas.setAttribute("data-index", sel.index);
    canvas.setAttribute("aria-label", t("incoming weights of hidden layer {}, neuron {}",
      sel.layer, sel.index));
    this.scaleLow.textContent = "−" + limit.toFixed(2);
    this.scaleHigh.textContent = "+" + limit.toFixed(2);
    this.weightsCaption.textContent = sel.layer === 1
      ? t("The 784 incoming weights of hidden neuron {} of layer 1, drawn as the " +
        "28×28 image they belong to: red where ink makes it fire, blue where ink silences it.", sel.index)
      : t("The 16 incoming weights of hidden neuron {} of layer 2, one per neuron " +
        "of layer 1 (rows of 4, neuron 0 top left): red excites, blue inhibits.", sel.index);
    this.hidden.forEach(function (cells, l) {
      cells.forEach(function (cell, i) {
        cell.classList.toggle("dd-selected", l + 1 === sel.layer && i === sel.index);
        cell.setAttribute("aria-pressed", l + 1 === sel.layer && i === sel.index);
      });
    });
  };

  var api = { forward: forward, prepare: prepare, judge: judge, elongation: elongation,
    tileColours: tileColours, contrast: contrast, widget: null };
  window.digitnet = api;

  function start() {
    var root = document.getElementById("digitnet-draw");
    if (!root) return;
    // The page's note for readers without JavaScript (a paragraph, so it is translated
    // with the page's prose): the script runs, so it is not needed.
    Array.prototype.forEach.call(document.querySelectorAll(".digitnet-noscript"),
      function (note) { note.hidden = true; });
    var net = window.DIGITNET_WEIGHTS;
    if (!net || !net.weights) {
      root.textContent = t("The network's weights (_static/draw/weights.js) did not load: " +
        "they are written when the book is built with its HTML builder.");
      root.setAttribute("data-ready", "error");
      return;
    }
    PREP = net.preparation;
    RULE = net.rule;
    SIZE = PREP.size;
    var widget = new Widget(root, net);
    api.widget = widget;
    api.update = function () { return widget.update(); };
    api.clear = function () { return widget.clear(); };
    api.load = function (k) { return widget.load(k); };
    api.inkBitmap = function () { return widget.inkBitmap(); };
    api.state = function () { return widget.state; };
    api.select = function (layer, index) { widget.select(layer, index); };
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
