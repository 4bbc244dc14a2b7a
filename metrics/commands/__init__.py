"""CLI commands, one module each (see metrics/cli.py)."""
