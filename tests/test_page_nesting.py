"""Pages read like a description of the UI: no function or module body in app_pages/ nests blocks
(if/for/while/with/try) deeper than four levels, unless the line that goes deeper says why in a comment.
A page that needs more depth names the inner part as a function instead."""
from __future__ import annotations

import ast
import io
import tokenize
from pathlib import Path

import pytest

PAGES = sorted((Path(__file__).resolve().parent.parent / "app_pages").glob("*.py"))
MAX_DEPTH = 4
BLOCKS = (ast.If, ast.For, ast.AsyncFor, ast.While, ast.With, ast.AsyncWith, ast.Try, ast.TryStar)
# Pages another engineer owns that nest deeper, by file name -> why they may for now. None do today;
# an entry here is a debt to report, not a licence.
ALLOWED: dict[str, str] = {}


def too_deep(source: str, limit: int = MAX_DEPTH) -> list[tuple[int, int]]:
    """(line, depth) of every block deeper than ``limit`` in a body; a def or class starts again at 0,
    an ``elif`` is as deep as its ``if``, and a line with a comment is taken as explained."""
    lines = source.splitlines()
    commented = {tok.start[0] for tok in tokenize.generate_tokens(io.StringIO(source).readline)
                 if tok.type == tokenize.COMMENT}
    found: list[tuple[int, int]] = []

    def walk(body: list[ast.stmt], depth: int) -> None:
        for node in body:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                walk(node.body, 0)
                continue
            inner = depth + 1 if isinstance(node, BLOCKS) else depth
            if inner > limit and isinstance(node, BLOCKS) and node.lineno not in commented:
                found.append((node.lineno, inner))
            walk(getattr(node, "body", []), inner)
            orelse = getattr(node, "orelse", [])
            is_elif = (isinstance(node, ast.If) and len(orelse) == 1 and isinstance(orelse[0], ast.If)
                       and lines[orelse[0].lineno - 1].lstrip().startswith("elif"))
            walk(orelse, depth if is_elif else inner)
            walk(getattr(node, "finalbody", []), inner)
            for handler in getattr(node, "handlers", []):
                walk(handler.body, inner)

    walk(ast.parse(source).body, 0)
    return found


SAMPLE = """
def f(xs):
    for x in xs:
        if x:
            with open(x) as fh:
                try:
                    if fh.read():
                        pass
                    elif x == 1:
                        pass
                except OSError:
                    pass
if a:
    pass
elif b:
    if c:
        if d:
            if e:
                if g:  # five deep on purpose: said here
                    pass
"""


def test_the_depth_counts_blocks_and_not_elif_or_commented_lines():
    assert too_deep(SAMPLE) == [(7, 5), (9, 5)]  # the elif is as deep as its if, not one deeper
    assert too_deep(SAMPLE, limit=5) == []


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_no_page_nests_deeper_than_four_levels(page: Path):
    deep = too_deep(page.read_text(encoding="utf-8"))
    if page.name in ALLOWED:
        return
    assert deep == [], f"{page.name}: flatten lines {deep} into named functions"


def test_the_allow_list_names_only_pages_that_still_need_it():
    names = {p.name: p for p in PAGES}
    assert [n for n in ALLOWED if n not in names or not too_deep(names[n].read_text(encoding="utf-8"))] == []
