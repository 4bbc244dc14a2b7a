#!/usr/bin/env bash
# Development mode: the production settings in .streamlit/config.toml turn the file watcher and the
# post-run garbage collection off for capacity; this puts both back so a saved file reloads the app.
# Extra arguments go to `streamlit run` (e.g. --server.port 8631).
set -euo pipefail
cd "$(dirname "$0")/.."
exec python3 -m streamlit run dashboard.py \
  --server.fileWatcherType auto --server.runOnSave true --runner.postScriptGC true "$@"
