"""``python -m metrics COMMAND``: every command lives in ``metrics/commands/<name>.py``.

A command module defines ``HELP`` (one line), ``add_arguments(parser)`` and ``run(args) -> int``.
Modules are found by name, so adding a command touches no shared file; they are imported only
when their command runs, so ``--help`` stays fast.
"""
from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys
from typing import Sequence

from . import commands


def command_modules() -> dict[str, str]:
    """Command name -> module name; a trailing underscore lets a command be named like a keyword
    (``import_.py`` is the ``import`` command)."""
    return {m.name.rstrip("_"): m.name for m in pkgutil.iter_modules(commands.__path__)
            if not m.name.startswith("_")}


def build_parser(argv: Sequence[str]) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m metrics",
                                     description="未来产业发展目标监测看板 / Future Industries Target Tracker")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    wanted = next((a for a in argv if not a.startswith("-")), None)
    for name, module_name in sorted(command_modules().items()):
        # Import only the command being run; list the others by name for --help.
        if wanted == name:
            module = importlib.import_module(f"{commands.__name__}.{module_name}")
            p = sub.add_parser(name, help=getattr(module, "HELP", ""), description=getattr(module, "HELP", ""))
            module.add_arguments(p)
            p.set_defaults(_run=module.run)
        else:
            sub.add_parser(name, help=f"see 'python -m metrics {name} --help'")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser(argv)
    args = parser.parse_args(argv)
    if not getattr(args, "_run", None):
        parser.print_help()
        return 0 if not argv else 2
    try:
        return int(args._run(args) or 0)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
