"""digitnet.book.glue: the book's pages run as plain notebooks too."""


def test_book_glue_runs_without_myst_nb(monkeypatch, capsys):
    import sys

    from digitnet.book import glue

    monkeypatch.setitem(sys.modules, "myst_nb", None)  # as if myst-nb were not installed
    glue("quiet", 1.5, display=False)
    assert capsys.readouterr().out == ""
    glue("shown", 2.5)
    assert "2.5" in capsys.readouterr().out


def test_data_note_says_which_data_a_page_used():
    from digitnet.book import data_note

    assert data_note(True, 10_000, 60_000) == (
        ":::{note}\n:class: translated-by-code\nThis page was built with the full MNIST data set: 60,000 training and "
        "10,000 test images.\n:::")
    sample = data_note(False, 1_000, extra="Its ranking may differ.")
    assert sample.startswith(":::{note}\n:class: translated-by-code\n**This page was built without the MNIST files**")
    assert "the first 1,000 MNIST test images, which ship with `digitnet`" in sample
    assert sample.endswith("Its ranking may differ.\n:::")
