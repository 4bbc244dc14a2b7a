"""The project's layout rules hold: the domain package never imports streamlit, pages never hold logic
that needs the package to call back into them, and CI runs the README's test command."""
from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name.split(".")[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_the_domain_package_never_imports_streamlit_or_the_pages():
    offenders = {str(p.relative_to(ROOT)): sorted(imported_modules(p) & {"streamlit", "app_pages", "app_support"})
                 for p in (ROOT / "metrics").rglob("*.py")}
    assert {k: v for k, v in offenders.items() if v} == {}


def test_every_page_listed_in_the_navigation_exists_and_every_page_file_is_listed():
    listed = set(re.findall(r'"(app_pages/\w+\.py)"', (ROOT / "dashboard.py").read_text(encoding="utf-8")))
    files = {f"app_pages/{p.name}" for p in (ROOT / "app_pages").glob("*.py") if not p.name.startswith("_")}
    assert listed == files


def test_ci_runs_the_readme_test_command():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "bash scripts/test.sh" in readme and "bash scripts/setup.sh && streamlit run dashboard.py" in readme
    assert "scripts/test.sh" in ci and "set -euo pipefail" in ci


def test_requirements_are_pinned():
    for name in ("requirements.txt", "requirements-dev.txt"):
        lines = [ln.strip() for ln in (ROOT / name).read_text(encoding="utf-8").splitlines()]
        reqs = [ln for ln in lines if ln and not ln.startswith(("#", "-r"))]
        assert reqs and all("==" in ln for ln in reqs), name
