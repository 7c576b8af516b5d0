r"""Math in the epub as MathML, converted from TeX while the book is built.

An e-reader runs no script, so MathJax cannot typeset an epub: the TeX would
stay raw (``\[C_x = \sum ...\]``). This module registers a math renderer,
``mathml``, that converts each formula with the PyPI package ``latex2mathml``
(the docs extra installs it) and writes the MathML into the page, the TeX
kept as its ``alttext``. The epub builder uses it (``epub_math_renderer``);
the HTML builders keep MathJax (:mod:`.localmathjax`), the PDF its LaTeX.

EPUB 3 asks every page with MathML to say so in the package's manifest
(``properties="mathml"``); :mod:`.epub` does that.
"""

import html
import xml.etree.ElementTree
import re

from docutils import nodes
from sphinx.locale import _
from sphinx.util import logging
from sphinx.util.math import get_node_equation_number

logger = logging.getLogger(__name__)

#: A TeX command the converter left as text (it writes unknown ones as ``<mi>\\foo</mi>``).
UNCONVERTED = re.compile(r">(\\[A-Za-z]+)<")

#: The renderer's name, as ``epub_math_renderer`` and ``html_math_renderer`` name it.
RENDERER = "mathml"


#: amsmath's ``aligned``, which latex2mathml lacks; ``align*`` lays out the same columns.
ALIGNED = re.compile(r"\\(begin|end)\{aligned\}")


def tex_to_mathml(tex, display="inline"):
    r"""The MathML of one TeX formula, with the TeX as its ``alttext``.

    Parameters
    ----------
    tex : str
        The formula, without delimiters (``\sigma(z)``, not ``$\sigma(z)$``).
    display : {"inline", "block"}
        Inline in a sentence, or a displayed formula.

    Returns
    -------
    str
        One ``<math>`` element in the MathML namespace, well-formed XML.

    Raises
    ------
    ValueError
        If `tex` cannot be converted, or holds a command the converter does not
        know (it would be left in the MathML as raw TeX).

    Examples
    --------
    >>> tex_to_mathml(r"n_l")
    '<math xmlns="http://www.w3.org/1998/Math/MathML" display="inline" alttext="n_l"><mrow><msub><mi>n</mi><mi>l</mi></msub></mrow></math>'
    >>> "<mfrac>" in tex_to_mathml(r"\sigma(z) = \frac{1}{1 + e^{-z}}", display="block")
    True
    >>> # latex2mathml knows align* but not aligned (it would write a bare "&")
    >>> tex_to_mathml(r"\begin{aligned} a &= b, & c &= d \\ e &= f & g &= h \end{aligned}").count("<mtr>")
    2
    >>> tex_to_mathml(r"\wobble{x}")
    Traceback (most recent call last):
    ...
    ValueError: cannot convert '\\wobble{x}' to MathML: unknown command \wobble
    """
    from latex2mathml.converter import convert

    try:
        mathml = convert(ALIGNED.sub(r"\\\1{align*}", tex), display=display)
    except Exception as error:  # latex2mathml raises many kinds for bad TeX
        raise ValueError(f"cannot convert {tex!r} to MathML: "
                         f"{error or type(error).__name__}") from error
    unknown = UNCONVERTED.search(mathml)
    if unknown:
        raise ValueError(f"cannot convert {tex!r} to MathML: unknown command {unknown[1]}")
    try:  # the converter can emit ill-formed XML, e.g. for "<" or "\&" inside \text{}
        xml.etree.ElementTree.fromstring(mathml)
    except xml.etree.ElementTree.ParseError as error:
        raise ValueError(f"cannot convert {tex!r} to MathML: the result is not well-formed XML "
                         f"({error}); write the text outside the formula") from error
    alttext = html.escape(" ".join(tex.split()), quote=True)
    return mathml.replace(f'display="{display}"', f'display="{display}" alttext="{alttext}"', 1)


def _mathml(self, node, tex, display):
    try:
        return tex_to_mathml(tex, display)
    except ValueError as error:
        logger.warning("%s", error, location=node, type="digitnet", subtype="mathml")
        return f"<code>{self.encode(tex)}</code>"


def visit_math(self, node):
    """Write an inline formula as ``<span class="math"><math>...</math></span>``."""
    self.body.append(self.starttag(node, "span", "", CLASS="math"))
    self.body.append(_mathml(self, node, node.astext(), "inline"))
    self.body.append("</span>")
    raise nodes.SkipNode


def visit_math_block(self, node):
    """Write a displayed formula, with its equation number, as Sphinx's MathJax writer does.

    Several equations separated by blank lines become one aligned block, and
    an equation with ``\\`` line breaks a ``split``, as ``sphinx.ext.mathjax``
    writes them for MathJax.
    """
    self.body.append(self.starttag(node, "div", CLASS="math"))
    if node["number"]:
        number = get_node_equation_number(self, node)
        self.body.append(f'<span class="eqno">({number})')
        self.add_permalink_ref(node, _("Link to this equation"))
        self.body.append("</span>")
    tex = node.astext()
    if not node.get("no-wrap", node.get("nowrap", False)):
        parts = [part for part in tex.split("\n\n") if part.strip()]
        parts = [rf"\begin{{split}}{p}\end{{split}}" if r"\\" in p else p for p in parts]
        tex = parts[0] if len(parts) == 1 else (
            r"\begin{aligned}" + r"\\".join(parts) + r"\end{aligned}")
    self.body.append(_mathml(self, node, tex, "block"))
    self.body.append("</div>\n")
    raise nodes.SkipNode


def keep_mathjax_for_html(app, config):
    """With two renderers registered, Sphinx would pick this one for HTML: keep MathJax there."""
    if config.html_math_renderer is None:
        config.html_math_renderer = "mathjax"


def setup(app):
    app.setup_extension("sphinx.ext.mathjax")
    app.add_html_math_renderer(RENDERER, (visit_math, None), (visit_math_block, None))
    # The epub builder looks up "epub_math_renderer" before "html_math_renderer".
    app.add_config_value("epub_math_renderer", RENDERER, "epub", types=frozenset({str}))
    app.connect("config-inited", keep_mathjax_for_html)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
