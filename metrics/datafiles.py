"""Reading the definition files under ``metrics/data/``: YAML through libyaml when it is there.

PyYAML's pure-Python parser takes ~0.5 s for the catalog and translations on every fresh process
(the CLI, each benchmark child); the C loader reads the same files in a few milliseconds.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def parse_yaml(text: str) -> Any:
    """YAML text as plain data (safe loader: no Python objects)."""
    return yaml.load(text, Loader=_Loader)  # noqa: S506 - a safe loader, C or Python


def read_yaml(path: str | Path) -> Any:
    """A YAML file as plain data."""
    return parse_yaml(Path(path).read_text(encoding="utf-8"))
