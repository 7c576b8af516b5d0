"""digitnet.book.glue: the book's pages run as plain notebooks too."""


def test_book_glue_runs_without_myst_nb(monkeypatch, capsys):
    import sys

    from digitnet.book import glue

    monkeypatch.setitem(sys.modules, "myst_nb", None)  # as if myst-nb were not installed
    glue("quiet", 1.5, display=False)
    assert capsys.readouterr().out == ""
    glue("shown", 2.5)
    assert "2.5" in capsys.readouterr().out
