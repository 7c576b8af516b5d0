"""The book: the command that builds it, and support for its pages outside it.

Every page of the book is a notebook that computes its numbers and glues them
into the prose with myst-nb's ``glue``. A reader who downloads a page and runs
it after ``pip install digitnet`` may not have myst-nb; :func:`glue` then just
shows the value, so the notebook runs all the same.

Words the code glues in (``"fewer"``, ``"all ten"``) and the data note are
English in the code; in another edition of the book they are translated
(:func:`digitnet.translation.translate`), as the prose around them is.
"""

import sys

from digitnet.translation import edition, translate


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
        A string is glued in the edition's language (:func:`~digitnet.translation.translate`).
    display : bool, default True
        Whether to show the value in the cell's output too.

    Examples
    --------
    >>> from digitnet.book import glue
    >>> glue("answer", 42, display=False)   # in the book: stored; elsewhere: nothing shown
    """
    value = translate(value)
    try:
        from myst_nb import glue as myst_glue
    except ImportError:
        if display:
            from IPython.display import display as show

            show(value)
        return
    myst_glue(name, value, display=display)


#: The class of a box whose text the page's code wrote in the edition's language already
#: (the data note): the page catalogs leave it out (digitnet.sphinxext.editions).
TRANSLATED_BY_CODE = "translated-by-code"


def data_note(full, n_test, n_train=None, extra=""):
    """The note a page shows to say which data it was built with, as MyST Markdown.

    A page that reads MNIST uses the full data set when its files are on the
    machine and the 1,000 bundled sample images otherwise
    (:func:`digitnet.datasets.load_mnist_or_sample`,
    :func:`digitnet.datasets.load_train_test`); its numbers, and sometimes its
    conclusions, depend on which. The page shows this note, made from what it
    actually loaded, in a ``note`` box.

    Parameters
    ----------
    full : bool
        Whether the page loaded the full MNIST files.
    n_test : int
        How many test images it used.
    n_train : int, optional
        How many training images it used, if it trains.
    extra : str, optional
        A sentence added to the note (what the data changes on this page).

    Returns
    -------
    str
        A MyST ``note`` directive of class :data:`TRANSLATED_BY_CODE`;
        ``IPython.display.Markdown`` shows it.

    Examples
    --------
    >>> from digitnet.book import data_note
    >>> print(data_note(True, 10_000))
    :::{note}
    :class: translated-by-code
    This page was built with the full MNIST test set: 10,000 images.
    :::
    >>> print(data_note(False, 200, 800))     # doctest: +NORMALIZE_WHITESPACE
    :::{note}
    :class: translated-by-code
    **This page was built without the MNIST files**, so it uses the 1,000 sample
    images that ship with `digitnet`: the first 800 for training and the other
    200 for the test. Point the environment variable `DIGITNET_DATA_DIR` at a
    folder holding the four MNIST files (.gz or decompressed) and rebuild to see
    the full data set.
    :::
    """
    if full and n_train is None:
        text = f"This page was built with the full MNIST test set: {n_test:,} images."
    elif full:
        text = (f"This page was built with the full MNIST data set: {n_train:,} training "
                f"and {n_test:,} test images.")
    else:
        if n_train is None:
            used = (f"the first {n_test:,} MNIST test images, which ship with `digitnet` (the "
                    f"full test set has 10,000)")
        else:
            used = (f"the {n_train + n_test:,} sample images that ship with `digitnet`: the "
                    f"first {n_train:,} for training and the other {n_test:,} for the test")
        text = (f"**This page was built without the MNIST files**, so it uses {used}. "
                "Point the environment variable `DIGITNET_DATA_DIR` at a folder holding the "
                "four MNIST files (.gz or decompressed) and rebuild to see the full data set.")
    text = translate(text)
    if extra:
        text += (" " if edition() == "en" else "") + translate(extra)
    return f":::{{note}}\n:class: {TRANSLATED_BY_CODE}\n{text}\n:::"
