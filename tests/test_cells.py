"""The code a reader sees teaches: the plumbing that feeds numbers to the prose is hidden.

Every page computes the numbers its prose quotes and glues them in with
``glue(...)``. Those calls run in cells tagged ``remove-cell`` (or whose source
is removed with ``remove-input``): they still run in the build and stay in the
downloaded notebook, but the page does not show them. These tests read each
page's MyST source as myst-nb does, without building the book.
"""

import re

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
