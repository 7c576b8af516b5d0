"""The book: the command that builds it, and support for its pages outside it.

Every page of the book is a notebook that computes its numbers and glues them
into the prose with myst-nb's ``glue``. A reader who downloads a page and runs
it after ``pip install digitnet`` may not have myst-nb; :func:`glue` then just
shows the value, so the notebook runs all the same.
"""

import sys


def build_command(root, out, doctrees, *options):
    """The Sphinx command line that builds the book in `root` into `out`.

    The same command as ``make docs`` and Read the Docs: warnings are errors
    (``-W``), all of them reported (``--keep-going``). The tests and the
    benchmarks build through this function; `options` adds Sphinx options.

    Examples
    --------
    >>> from digitnet.book import build_command
    >>> build_command(".", "_build/html", "_build/doctrees")[1:8]
    ['-m', 'sphinx', '-T', '-W', '--keep-going', '-b', 'html']
    """
    return [
        sys.executable, "-m", "sphinx", "-T", "-W", "--keep-going", "-b", "html",
        "-d", str(doctrees), "-D", "language=en", *options, str(root), str(out),
    ]


def glue(name, value, display=True):
    """Glue `value` into the book under `name`, or simply show it outside the book.

    Parameters
    ----------
    name : str
        The key the page's prose refers to, as in ``{glue:text}`name```.
    value : object
        The value to glue: a plain Python number, string or a displayable object.
    display : bool, default True
        Whether to show the value in the cell's output too.

    Examples
    --------
    >>> from digitnet.book import glue
    >>> glue("answer", 42, display=False)   # in the book: stored; elsewhere: nothing shown
    """
    try:
        from myst_nb import glue as myst_glue
    except ImportError:
        if display:
            from IPython.display import display as show

            show(value)
        return
    myst_glue(name, value, display=display)
