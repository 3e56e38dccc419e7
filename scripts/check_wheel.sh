#!/usr/bin/env bash
# Build the wheel and check that the installed package (not the checkout) finds all of its
# data: the built-in scenario, the shipped theatre map and the fitted model parameters.
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
.venv/bin/python -m pip wheel --no-deps --quiet -w "$tmp/dist" . >&2
.venv/bin/python -m pip install --no-deps --quiet --target "$tmp/site" "$tmp"/dist/*.whl >&2
cd "$tmp"
PYTHONPATH="$tmp/site" "$OLDPWD/.venv/bin/python" - <<'PY'
import stavka
from stavka.models.api import load_models
from stavka.scenario import load_scenario
from stavka.theatre import load_theatre

assert stavka.__file__.startswith(__import__("os").environ["PYTHONPATH"]), stavka.__file__
s = load_scenario("august-storm")
t = load_theatre().for_scenario(s)
m = load_models()
print(f"wheel ok: {len(s.formations)} formations, {t.n_cells} cells, models fit {m.meta['fit_date']}")
PY
