"""The code a reader sees teaches: the plumbing that feeds numbers to the prose is hidden.

Every page computes the numbers its prose quotes and glues them in with
``glue(...)``. Those calls run in cells tagged ``remove-cell`` (or whose source
is removed with ``remove-input``): they still run in the build and stay in the
downloaded notebook, but the page does not show them. These tests read each
page's MyST source as myst-nb does, without building the book.
"""

import builtins
import re
import symtable

import pytest

from conftest import ROOT

#: Tags that keep a code cell's source off the page (myst-nb's names).
HIDDEN_SOURCE = {"remove-cell", "remove-input"}

PAGES = sorted((ROOT / "docs").rglob("*.md"))


def code_cells(path):
    """The code cells of a MyST page: (tags, source) per cell, as myst-nb reads them."""
    from myst_nb.core.read import read_myst_markdown_notebook

    text = path.read_text(encoding="utf-8")
    if not text.startswith("---") or "file_format: mystnb" not in text.split("\n---", 2)[0]:
        return []
    notebook = read_myst_markdown_notebook(text, path=path)
    return [(set(cell.metadata.get("tags", [])), cell.source)
            for cell in notebook.cells if cell.cell_type == "code"]


def visible_cells(path):
    return [source for tags, source in code_cells(path) if not tags & HIDDEN_SOURCE]


def glue_lines(source):
    """The lines of `source` that glue a value or import glue."""
    return [line for line in source.splitlines()
            if re.search(r"\bglue\(|import glue\b", line)]


def test_the_pages_are_read():
    # The check below must see the chapters' cells, or it passes on nothing.
    chapters = [p for p in PAGES if p.parent.name == "chapters"]
    assert len(chapters) >= 13
    for page in chapters:
        assert visible_cells(page), f"{page.name}: no visible code cell read"
    hidden = sum(1 for page in PAGES for tags, _ in code_cells(page) if tags & HIDDEN_SOURCE)
    assert hidden >= len(chapters)


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(ROOT / "docs")))
def test_no_glue_in_a_visible_cell(page):
    found = [line.strip() for source in visible_cells(page) for line in glue_lines(source)]
    assert not found, (f"{page.relative_to(ROOT)}: {len(found)} glue line(s) in visible cells; "
                       f"move them into a cell tagged remove-cell:\n" + "\n".join(found))


def test_the_check_finds_glue_in_a_visible_cell(tmp_path):
    page = tmp_path / "page.md"
    page.write_text(
        "---\nfile_format: mystnb\nkernelspec:\n  name: python3\n---\n\n# A page\n\n"
        "```{code-cell} python\nx = 1\nglue('x', x, display=False)\n```\n\n"
        "```{code-cell} python\n:tags: [remove-cell]\nglue('y', 2, display=False)\n```\n\n"
        "```{code-cell} python\n---\ntags: [remove-input]\n---\nglue('z', 3)\n```\n",
        encoding="utf-8")
    assert [glue_lines(s) for s in visible_cells(page)] == [["glue('x', x, display=False)"]]
    assert len(code_cells(page)) == 3


def undefined_names(sources):
    """For each cell of `sources` (run in order), the names it uses that no cell before it,
    nor itself, defines or imports (Python's builtins aside): [(cell number, names)]."""
    defined = set(dir(builtins)) | {"display", "get_ipython"}  # IPython's, in every session
    found = []
    for number, source in enumerate(sources, start=1):
        code = "\n".join("" if line.lstrip().startswith(("%", "!")) else line
                         for line in source.splitlines())
        table = symtable.symtable(code, "<cell>", "exec")
        used = set()

        def visit(scope):
            for symbol in scope.get_symbols():
                if scope.get_type() == "module":
                    if symbol.is_referenced() and not (symbol.is_assigned() or symbol.is_imported()):
                        used.add(symbol.get_name())
                elif symbol.is_global() and symbol.is_referenced() and not symbol.is_declared_global():
                    used.add(symbol.get_name())
            for child in scope.get_children():
                visit(child)

        visit(table)
        if used - defined:
            found.append((number, sorted(used - defined)))
        defined |= {s.get_name() for s in table.get_symbols() if s.is_assigned() or s.is_imported()}
    return found


HOWTOS = sorted((ROOT / "docs" / "howto").glob("*.md"))


@pytest.mark.parametrize("page", HOWTOS, ids=lambda p: p.name)
def test_a_howtos_visible_code_runs_on_its_own(page):
    # A how-to's reader copies its code into a session of their own: what a visible cell
    # uses must be defined in a visible cell, not only in one the page hides.
    found = undefined_names(visible_cells(page))
    assert not found, (f"{page.relative_to(ROOT)}: visible cells use names defined only in hidden "
                       f"cells (visible cell number, names): {found}")


def test_the_check_finds_a_name_defined_only_in_a_hidden_cell():
    assert undefined_names(["import numpy as np\nx = np.ones(3)", "def f():\n    return x + y\n",
                            "print(len(x), f)"]) == [(2, ["y"])]
    assert HOWTOS and any(code_cells(page) for page in HOWTOS)
