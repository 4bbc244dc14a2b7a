#!/usr/bin/env bash
# Installs what the app (mode "app") or the tests (mode "test") need on a fresh Debian machine:
# Debian packages through apt-get, Python packages through pip. Safe to run again: it only
# installs what is missing.
set -euo pipefail
mode=${1:-app}
cd "$(dirname "$0")/.."

# fonts-noto-cjk: Chinese text in PDF/Word/chart images; libpango: WeasyPrint's text layout.
debs=(fonts-noto-cjk libpango-1.0-0 libpangoft2-1.0-0)
reqs=requirements.txt
if [ "$mode" = test ]; then
  # chromium: browser tests (Playwright drives /usr/bin/chromium); poppler-utils: pdftoppm/pdftotext;
  # libreoffice-calc-nogui: third-party workbooks written by LibreOffice; libreoffice-writer-nogui: the Word
  # report converted to PDF and looked at (issue 14); postgresql: storage tests; nginx-light: `nginx -t`
  # on deploy/nginx.conf (issue 17).
  debs+=(chromium poppler-utils libreoffice-calc-nogui libreoffice-writer-nogui postgresql nginx-light)
  reqs=requirements-dev.txt
fi

missing=()
for p in "${debs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing Debian packages: ${missing[*]}"
  SUDO=""
  [ "$(id -u)" = 0 ] || SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

python3 -m pip install -q --disable-pip-version-check -r "$reqs" 2>&1 | grep -vE "^WARNING: (Location|Running pip as)" || true
python3 -m pip check >/dev/null 2>&1 || python3 -m pip install -q --disable-pip-version-check -r "$reqs"

# The default store's folder is created here, on purpose, once. The app itself never creates a missing
# data folder: a deleted folder stops it with a message instead of an empty store (issue 18).
if [ -z "${DATABASE_URL:-}" ] && [ ! -d data ]; then
  mkdir data
  echo "setup: created data/ for a new store (the sample workbooks load at the app's first start)"
fi
