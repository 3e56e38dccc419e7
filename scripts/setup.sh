#!/usr/bin/env bash
# Set up everything stavka needs on a fresh machine with Python 3.11 and pip:
# a virtual environment in .venv with stavka and its test tools, and (as root, for the
# browser tests) Debian's chromium. Idempotent: a second run only checks.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3.11}
command -v "$PY" >/dev/null 2>&1 || PY=python3
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip >&2
.venv/bin/python -m pip install --quiet -e '.[dev]' >&2
# Browser for the report/web UI tests (Debian chromium; Playwright drives it, no download).
if ! command -v chromium >/dev/null 2>&1 && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) >&2 \
    || echo "setup: could not install chromium; browser tests will be skipped" >&2
fi
