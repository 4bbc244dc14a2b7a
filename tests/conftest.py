"""Fixtures shared by every test module."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).resolve().parent / "data"
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

pytest_plugins = ["tests.pg"]  # pg_server / pg_url: a real PostgreSQL 15 server for the storage tests


@pytest.fixture(scope="session")
def catalog():
    from metrics.catalog import load_catalog

    return load_catalog()


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def test_data() -> Path:
    return DATA


@pytest.fixture(autouse=True)
def _main_module_restored():
    """Put back the ``__main__`` module an AppTest run replaced.

    Streamlit's script runner installs the app script as ``sys.modules["__main__"]`` and leaves it there;
    a later multiprocessing start (the concurrency tests' fork server) would then re-run dashboard.py in
    every child, which opens the default store and dies before doing its work.
    """
    main = sys.modules.get("__main__")
    yield
    if main is not None:
        sys.modules["__main__"] = main
