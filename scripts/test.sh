#!/usr/bin/env bash
# The README's test command: install everything the tests need, then run every test.
# PostgreSQL is started by the test fixtures themselves (initdb + pg_ctl into a temp dir).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh test
export PYTHONDONTWRITEBYTECODE=1
# Known advisories against the pins fail the run; an unreachable advisory database is only reported.
python3 scripts/audit_deps.py
python3 -m pytest "$@"
