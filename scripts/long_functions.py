"""List the functions of metrics/ that run to ``--lines`` lines or more (default 60), longest first.

A function that long usually holds several steps that read better as named functions; one that must
stay long says why in a comment on its ``def`` line, and is listed apart. Exit 0 always: the list is
for review, not a gate.
"""
from __future__ import annotations

import argparse
import ast
import io
import tokenize
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def long_functions(folder: Path, limit: int) -> list[tuple[int, str, str, bool]]:
    """(length, path:line, name, explained) of every function of ``limit`` lines or more, decorators
    included; ``explained`` when its def line carries a comment."""
    found = []
    for path in sorted(folder.rglob("*.py")):
        source = path.read_text(encoding="utf-8")
        commented = {tok.start[0] for tok in tokenize.generate_tokens(io.StringIO(source).readline)
                     if tok.type == tokenize.COMMENT}
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                start = min([d.lineno for d in node.decorator_list] + [node.lineno])
                length = node.end_lineno - start + 1
                if length >= limit:
                    found.append((length, f"{path.relative_to(ROOT)}:{node.lineno}", node.name,
                                  node.lineno in commented))
    return sorted(found, key=lambda f: (-f[0], f[1]))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=60, help="the length to report from (default 60)")
    parser.add_argument("folder", nargs="?", default="metrics", help="the folder to scan (default metrics)")
    args = parser.parse_args()
    for length, where, name, explained in long_functions(ROOT / args.folder, args.lines):
        print(f"{length:4} {where} {name}{'  (explained)' if explained else ''}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
