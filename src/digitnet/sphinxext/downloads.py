"""Every page's executed notebook, outputs included, in the theme's download menu.

myst-nb writes each page's notebook to its output folder
(``<outdir>/../jupyter_execute``), but when the page came from the execution
cache (any rebuild, or an edit to the page's prose only) that notebook has no
outputs, and a build into a new output folder that reuses the doctrees writes
none at all. So the download is made here, in one way for every case: the
page's notebook read from its source as myst-nb reads it, with the outputs
of its match in the execution cache merged in (without a match, execution
off, it is offered without outputs).
"""

from pathlib import Path

#: The builders whose pages have a download menu.
DOWNLOAD_BUILDERS = ("html", "dirhtml")


def executed_notebook(notebook, cache_path):
    """The executed version of `notebook`, from the execution cache.

    Parameters
    ----------
    notebook : nbformat.NotebookNode
        A page's notebook as myst-nb reads or writes it (with or without outputs).
    cache_path : str or path or None
        The jupyter-cache folder the build uses.

    Returns
    -------
    nbformat.NotebookNode or None
        The notebook with the cached outputs merged in, or None when the
        cache holds no execution of this notebook's code.

    Examples
    --------
    >>> import tempfile, pathlib, nbformat
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1 + 1")])
    >>> executed_notebook(nb, folder / "cache") is None
    True
    """
    from jupyter_cache import get_cache

    if not cache_path or not Path(cache_path).exists():
        return None
    try:
        _, merged = get_cache(cache_path).merge_match_into_notebook(notebook)
    except KeyError:
        return None
    return merged


def offer_notebook(app, pagename, templatename, context, doctree):
    """Put the page's executed notebook in ``_sources`` and name it in the page context.

    The theme lists ``ipynb_source`` in its download menu (by itself it does
    so only when launch buttons are configured).
    """
    import nbformat

    from .execution import page_notebook

    if app.builder.name not in DOWNLOAD_BUILDERS or pagename not in app.env.all_docs:
        return
    notebook = page_notebook(app, pagename)  # as myst-nb reads it, so it matches the cache
    if notebook is None:
        return
    target = Path(app.outdir) / "_sources" / f"{pagename}.ipynb"
    target.parent.mkdir(parents=True, exist_ok=True)
    executed = executed_notebook(notebook, app.env.mystnb_config.execution_cache_path)
    nbformat.write(notebook if executed is None else executed, target)
    context["ipynb_source"] = f"{pagename}.ipynb"


def setup(app):
    # Before the theme builds its header buttons (priority 501).
    app.connect("html-page-context", offer_notebook, priority=400)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
