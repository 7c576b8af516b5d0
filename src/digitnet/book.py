"""Support for the book's pages when they run outside the book.

Every page of the book is a notebook that computes its numbers and glues them
into the prose with myst-nb's ``glue``. A reader who downloads a page and runs
it after ``pip install digitnet`` may not have myst-nb; :func:`glue` then just
shows the value, so the notebook runs all the same.
"""


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
