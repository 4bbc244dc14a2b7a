"""Audit the pinned requirements against the advisory database (pip-audit), tolerating no network.

Exit 1 when a pinned version has a known vulnerability (bump the pin); exit 0, with a clear line on
stderr, when the advisory database cannot be reached or pip-audit is missing: offline CI reports
"not audited" instead of failing or, worse, printing "no known vulnerabilities".
"""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    if shutil.which("pip-audit") is None:
        print("dependency audit: pip-audit is not installed; NOT audited", file=sys.stderr)
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "audit.json"
        try:
            done = subprocess.run(["pip-audit", "-r", str(ROOT / "requirements.txt"), "--no-deps", "--disable-pip",
                                   "--progress-spinner", "off", "-f", "json", "-o", str(out)],
                                  capture_output=True, text=True, timeout=300)
        except subprocess.TimeoutExpired:
            print("dependency audit: pip-audit timed out (advisory database unreachable?); NOT audited",
                  file=sys.stderr)
            return 0
        try:
            deps = json.loads(out.read_text())["dependencies"]
        except (OSError, ValueError, KeyError):
            print(f"dependency audit: advisory database unreachable; NOT audited\n{done.stderr.strip()[-500:]}",
                  file=sys.stderr)
            return 0
    code, lines = verdict(deps)
    for line in lines:
        print(line, file=sys.stderr)
    return code


def verdict(deps: list[dict]) -> tuple[int, list[str]]:
    """Exit code and report lines for pip-audit's JSON ``dependencies``: 1 only for a known vulnerability."""
    vulnerable = [d for d in deps if d.get("vulns")]
    skipped = [d for d in deps if d.get("skip_reason")]
    lines = []
    for d in vulnerable:
        ids = ", ".join(f"{v['id']} (fixed in {', '.join(v.get('fix_versions') or ['?'])})" for v in d["vulns"])
        lines.append(f"dependency audit: {d['name']} {d.get('version')}: {ids}")
    if skipped:
        lines.append(f"dependency audit: {len(skipped)} of {len(deps)} pinned packages could not be checked "
                     f"(advisory database unreachable or package unknown); NOT audited: "
                     + ", ".join(d["name"] for d in skipped))
    checked = len(deps) - len(skipped)
    if checked and not vulnerable:
        lines.append(f"dependency audit: {checked} of {len(deps)} pinned packages checked, none vulnerable")
    return (1 if vulnerable else 0), lines

if __name__ == "__main__":
    sys.exit(main())
