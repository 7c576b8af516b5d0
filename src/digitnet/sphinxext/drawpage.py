"""The "draw a digit" page: its weights and scripts, for every HTML builder.

The page's raw HTML holds only the widget's ``<div id="digitnet-draw">``. Its
stylesheet and scripts are added to the page that contains the widget through
Sphinx's own asset list, so Sphinx writes their URLs relative to the page it
is writing: ``../../_static/...`` for ``html``, one level deeper for
``dirhtml`` (``chapters/draw/index.html``), and ``_static/...`` for
``singlehtml``, whose one page holds every chapter. The weights the scripts
read are written from :func:`digitnet.pretrained` at every build, so the page
can never drift from the package (and nothing generated is committed).
Beside them goes the widget's text in the edition's language, from the same
catalog as the figures' text (:mod:`digitnet.translation`).
"""

import json
from pathlib import Path

#: The builders whose pages run the widget (the epub and PDF show a stand-in).
HTML_BUILDERS = ("html", "dirhtml", "singlehtml")

#: What marks a page that holds the widget.
WIDGET = 'id="digitnet-draw"'

#: The widget's files, relative to ``_static``, in the order they must load.
STYLESHEETS = ("draw/draw.css",)
SCRIPTS = ("draw/weights.js", "draw/messages.js", "draw/draw.js")

#: Where the weights go, relative to the output folder.
WEIGHTS_SCRIPT = Path("_static") / "draw" / "weights.js"
#: Where the widget's translated text goes: English -> the edition's language.
MESSAGES_SCRIPT = Path("_static") / "draw" / "messages.js"


def add_widget_assets(app, pagename, templatename, context, doctree):
    """Add the widget's stylesheet and scripts to the page that holds it, and only there.

    Called at ``html-page-context``, where Sphinx lets an extension add files
    to the one page being written.
    """
    if app.builder.name not in HTML_BUILDERS or WIDGET not in (context.get("body") or ""):
        return
    for stylesheet in STYLESHEETS:
        app.add_css_file(stylesheet)
    for script in SCRIPTS:
        app.add_js_file(script)


def export_weights(app, exception):
    """Write :data:`WEIGHTS_SCRIPT` from :func:`digitnet.pretrained` after an HTML build,
    with the test digits of the page's buttons (:func:`digitnet.export.mnist_examples`)."""
    if exception is not None or app.builder.name not in HTML_BUILDERS:
        return
    import digitnet
    from digitnet.export import mnist_examples, write_weights_script

    target = Path(app.outdir) / WEIGHTS_SCRIPT
    write_weights_script(digitnet.pretrained(), target, source="digitnet.pretrained()",
                         examples=mnist_examples())
    write_messages_script(Path(app.outdir) / MESSAGES_SCRIPT, app.config.language,
                          Path(app.confdir) / "locale")


def write_messages_script(target, language, locale_dir):
    """Write the widget's text in `language` as ``window.DIGITNET_MESSAGES``.

    Every translated message of the edition's ``outputs.po`` goes in (English
    text or ``{}`` template -> translation); ``draw.js`` looks its text up there
    and keeps the English for what it does not find. The English edition's
    script holds an empty table.

    Examples
    --------
    >>> import tempfile
    >>> target = Path(tempfile.mkdtemp()) / "messages.js"
    >>> write_messages_script(target, "en", "locale")
    >>> target.read_text(encoding="utf-8").strip()
    'window.DIGITNET_MESSAGES = {};'
    """
    from digitnet.translation import read_catalog

    messages = read_catalog(locale_dir, language).messages
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text("window.DIGITNET_MESSAGES = "
                      + json.dumps(messages, ensure_ascii=False, sort_keys=True) + ";\n",
                      encoding="utf-8")


def setup(app):
    app.connect("html-page-context", add_widget_assets)
    app.connect("build-finished", export_weights)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
