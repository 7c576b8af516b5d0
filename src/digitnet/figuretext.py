"""Figures that speak the edition's language: their text translated as they are drawn.

A page's code writes its figures' titles, axis labels and legends in English,
as the reader sees them in the code cell. In another edition of the book,
:func:`install` makes matplotlib translate every text of a figure
(:func:`digitnet.translation.translate`) just before the figure is drawn, so the
code stays the same in both editions and the figures still show what the code
computed.

Chinese needs a font with CJK glyphs: :func:`cjk_font` looks for one (Noto Sans
CJK, Debian's and Read the Docs' package ``fonts-noto-cjk``). Without one, the
figures keep their English text rather than show empty boxes, and nothing
warns: the build log says it once (``digitnet.sphinxext.kernel``).
"""

from functools import lru_cache

from digitnet.translation import edition, translate

#: CJK font families, best first; matplotlib falls back to them glyph by glyph.
CJK_FAMILIES = ("Noto Sans CJK TC", "Noto Sans TC", "Noto Sans CJK JP", "Noto Sans CJK SC",
                "Source Han Sans TW", "Source Han Sans", "WenQuanYi Zen Hei", "AR PL UMing TW")


@lru_cache(maxsize=None)
def cjk_font(families=CJK_FAMILIES):
    """The first of `families` that matplotlib can use, or None.

    Fonts installed after matplotlib made its font cache are found too: the
    system's font folders are looked through for them.

    Parameters
    ----------
    families : tuple of str
        Font family names, best first. (The answer is kept: the cache's name
        and the kernel's log both ask, and the look through the system's font
        folders takes a moment.)

    Returns
    -------
    str or None

    Examples
    --------
    >>> cjk_font(("No Such Font Family",)) is None
    True
    """
    from matplotlib import font_manager

    def known():
        return {f.name for f in font_manager.fontManager.ttflist}

    names = known()
    if not any(f in names for f in families):
        for path in font_manager.findSystemFonts():
            if "cjk" in path.lower() or "wqy" in path.lower() or "uming" in path.lower():
                try:
                    font_manager.fontManager.addfont(path)
                except (OSError, RuntimeError, ValueError):
                    continue
        names = known()
    return next((f for f in families if f in names), None)


def translate_figure(figure):
    """Translate every text of `figure` once (titles, labels, legends, annotations).

    Parameters
    ----------
    figure : matplotlib.figure.Figure

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> _ = ax.set_title("$z$")
    >>> translate_figure(fig)
    >>> ax.get_title()
    '$z$'
    >>> plt.close(fig)
    """
    from matplotlib.text import Text
    from matplotlib.ticker import FixedFormatter

    for text in figure.findobj(Text):
        if not getattr(text, "_digitnet_translated", False):
            if text.get_text():
                text.set_text(translate(text.get_text()))
            text._digitnet_translated = True
    for ax in figure.axes:
        for axis in (ax.xaxis, ax.yaxis):
            formatter = axis.get_major_formatter()
            if isinstance(formatter, FixedFormatter) and not getattr(formatter, "_digitnet_translated", False):
                formatter.seq = [translate(str(label)) for label in formatter.seq]
                formatter._digitnet_translated = True


def install():
    """Translate every figure drawn from now on into the edition's language.

    Does nothing in the English edition, or when no CJK font is found for an
    edition that needs one (:func:`cjk_font`): then the figures keep English text.

    Returns
    -------
    bool
        Whether figures will be translated.

    Examples
    --------
    >>> install() if edition() == "en" else False
    False
    """
    if edition() == "en":
        return False
    import matplotlib
    from matplotlib.figure import Figure

    font = cjk_font()
    if font is None:
        return False
    # Latin, digits and symbols from the usual font, CJK glyphs from the CJK font:
    # matplotlib falls back along an explicit list of families, glyph by glyph.
    matplotlib.rcParams["font.family"] = [matplotlib.rcParams["font.sans-serif"][0], font]
    if not getattr(Figure.draw, "_digitnet_translates", False):
        english_draw = Figure.draw

        def draw(self, renderer):
            translate_figure(self)
            return english_draw(self, renderer)

        draw._digitnet_translates = True
        Figure.draw = draw
    return True
