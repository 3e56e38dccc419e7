"""``stavka map build|info|cell|path|render``: the theatre map from the command line."""

from __future__ import annotations

import itertools
import time
from pathlib import Path
from typing import Annotated, Any

import typer

from stavka.cliutil import JSON_OPTION_HELP, emit_json
from stavka.errors import MapError

__all__ = ["app"]

app = typer.Typer(
    help="The theatre map: build, inspect, route, render.", no_args_is_help=True
)

JsonOpt = Annotated[bool, typer.Option("--json", help=JSON_OPTION_HELP)]
ResOpt = Annotated[
    int, typer.Option("--resolution", help="H3 resolution.", min=3, max=7)
]
ScenarioOpt = Annotated[
    str,
    typer.Option("--scenario", help="Scenario whose places/rail/roads are overlaid."),
]


def _scenario_theatre(scenario: str, resolution: int) -> tuple[Any, Any]:
    from stavka.scenario import load_scenario
    from stavka.theatre.model import load_theatre

    s = load_scenario(scenario, strict=False)
    return s, load_theatre(resolution).for_scenario(s)


def _river_edge(t: Any, c: int, k: int) -> dict[str, Any]:
    """Describe the river on edge ``k`` of cell ``c``: WDBII class, name, bridge."""
    code = int(t.river_name[c, k])
    return {
        "class": int(t.river_class[c, k]),
        "name": t.river_names[code] if code >= 0 else None,
        "bridge": bool(t.bridge[c, k]),
    }


def _emit_fields(out: dict[str, Any], json: bool) -> None:
    """Print ``out`` as one JSON document, or one ``key: value`` line per field."""
    if json:
        emit_json(out)
        return
    for key, val in out.items():
        typer.echo(f"{key}: {val}")


@app.command()
def build(resolution: ResOpt = 5, json: JsonOpt = False) -> None:
    """Rebuild the shipped map from the geodata packages (see scripts/build_map.sh)."""
    from stavka.theatre.build import build as run_build

    t0 = time.perf_counter()
    meta = run_build(resolution)
    out = {"built": True, "seconds": round(time.perf_counter() - t0, 1), **meta}
    if json:
        emit_json(out)
    else:
        typer.echo(
            f"built resolution {resolution}: {meta['cells']} cells "
            f"in {out['seconds']} s"
        )


@app.command()
def info(resolution: ResOpt = 5, json: JsonOpt = False) -> None:
    """Report cell, edge and layer counts and the size of the shipped files."""
    import numpy as np

    from stavka.theatre.model import DATA_DIR, load_theatre

    t0 = time.perf_counter()
    load_theatre.cache_clear()
    t = load_theatre(resolution)
    load_s = time.perf_counter() - t0
    land = ~t.water
    edges = t.neighbors >= 0
    rc = t.river_class[(t.river_class >= 0) & edges]
    out = {
        "resolution": t.resolution,
        "cells": t.n_cells,
        "land_cells": int(land.sum()),
        "water_cells": int(t.water.sum()),
        "edges": int(edges.sum() // 2),
        "river_edges_by_class": {
            int(c): int((rc == c).sum() // 2) for c in np.unique(rc)
        },
        "named_river_km": t.meta.get("river_name_km", {}),
        "cover": {
            n: int((t.cover[land] == i).sum()) for i, n in enumerate(t.cover_names) if i
        },
        "country_1945": {
            n: int((t.country_1945 == i).sum())
            for i, n in enumerate(t.country_names)
            if i
        },
        "elevation_m": {
            "min": float(t.elevation_m[land].min()),
            "max": float(t.elevation_m[land].max()),
        },
        "files_bytes": {
            p.name: p.stat().st_size for p in sorted(DATA_DIR.glob("*.np*"))
        },
        "load_seconds": round(load_s, 3),
    }
    _emit_fields(out, json)


@app.command()
def cell(
    lat: Annotated[float, typer.Argument(help="Latitude, degrees N.")],
    lon: Annotated[float, typer.Argument(help="Longitude, degrees E.")],
    scenario: ScenarioOpt = "august-storm",
    resolution: ResOpt = 5,
    json: JsonOpt = False,
) -> None:
    """Describe the cell at LAT LON: terrain, water, rivers on its edges, forts."""
    import h3

    _s, t = _scenario_theatre(scenario, resolution)
    c = t.cell_of(lat, lon)
    rough = float(t.ruggedness[c])
    rivers = []
    for k in range(6):
        j = int(t.neighbors[c, k])
        if j >= 0 and t.river_class[c, k] >= 0:
            rivers.append(
                {"neighbour": h3.int_to_str(int(t.h3[j]))} | _river_edge(t, c, k)
            )
    places = sorted(p for p, i in t.place_cell.items() if i == c)
    zone = int(t.fortified_zone[c])
    out = {
        "h3": h3.int_to_str(int(t.h3[c])),
        "index": c,
        "lat": round(float(t.lat[c]), 4),
        "lon": round(float(t.lon[c]), 4),
        "elevation_m": float(t.elevation_m[c]),
        "ruggedness_m": round(rough, 1),
        "cover": t.cover_names[int(t.cover[c])],
        "terrain": "flat" if rough < 50 else "hills" if rough < 150 else "mountains",
        "water": bool(t.water[c]),
        "country_1945": t.country_names[int(t.country_1945[c])],
        "rail": bool((t.rail_gauge_mm[c] > 0).any()),
        "road": bool((t.road[c] > 0).any()),
        "rivers": rivers,
        "fortified": t.fortified_ids[zone] if zone >= 0 else None,
        "fortified_level": int(t.fortified_level[c]),
        "place": places[0] if places else None,
        "places": places,
        "pass": bool(t.pass_cell[c]),
    }
    _emit_fields(out, json)


@app.command()
def path(
    from_place: Annotated[str, typer.Argument(metavar="FROM", help="Place id.")],
    to_place: Annotated[str, typer.Argument(metavar="TO", help="Place id.")],
    mobility: Annotated[
        str, typer.Option("--mobility", help="foot, horse, motor, tracked or rail.")
    ] = "foot",
    scenario: ScenarioOpt = "august-storm",
    resolution: ResOpt = 5,
    json: JsonOpt = False,
) -> None:
    """Least-time path between two places (dry weather, no enemy)."""
    import h3

    s, t = _scenario_theatre(scenario, resolution)
    for pid in (from_place, to_place):
        if pid not in t.place_cell:
            close = sorted(p for p in t.place_cell if p[:3] == pid[:3])[:5]
            hint = f"; did you mean {', '.join(close)}?" if close else ""
            raise MapError(
                f"unknown place id {pid!r} in scenario {s.id!r}; use an id of "
                f"places.csv{hint}"
            )
    cells, km, hours = t.least_time_path(
        t.place_cell[from_place], t.place_cell[to_place], mobility
    )
    on_path = set(cells)
    passed = [
        p
        for p, c in sorted(
            t.place_cell.items(),
            key=lambda x: cells.index(x[1]) if x[1] in on_path else -1,
        )
        if c in on_path
    ]
    crossings = []
    for a, b in itertools.pairwise(cells):
        k = int((t.neighbors[a] == b).argmax())
        if t.river_class[a, k] >= 0:
            crossings.append(_river_edge(t, a, k))
    out = {
        "from": from_place,
        "to": to_place,
        "mobility": mobility,
        "km": round(km, 1),
        "hours": round(hours, 2),
        "river_crossings": crossings,
        "places": passed,
        "cells": [h3.int_to_str(int(t.h3[c])) for c in cells],
    }
    if json:
        emit_json(out)
        return
    typer.echo(
        f"{from_place} -> {to_place} ({mobility}): {out['km']} km, {out['hours']} h, "
        f"{len(cells)} cells, {len(crossings)} river crossings"
    )
    typer.echo("via: " + ", ".join(passed))


@app.command()
def render(
    out: Annotated[Path, typer.Option("--out", help="PNG file to write.")],
    grid: Annotated[bool, typer.Option("--grid", help="Overlay the H3 grid.")] = False,
    bbox: Annotated[
        str, typer.Option("--bbox", help="west,south,east,north in degrees.")
    ] = "112,38,145,54",
    dpi: Annotated[int, typer.Option("--dpi", min=30, max=600)] = 110,
    scenario: ScenarioOpt = "august-storm",
    resolution: ResOpt = 5,
    json: JsonOpt = False,
) -> None:
    """Draw relief, water, rivers, railways, 1945 borders, forts and places."""
    from stavka.theatre.render import render as draw

    try:
        w, s_, e, n = (float(x) for x in bbox.split(","))
    except ValueError:
        raise MapError(
            f"--bbox {bbox!r} must be four numbers west,south,east,north"
        ) from None
    if not (w < e and s_ < n):
        raise MapError(f"--bbox {bbox!r} is empty: need west < east and south < north")
    s, t = _scenario_theatre(scenario, resolution)
    path_out = draw(t, out, s, grid=grid, dpi=dpi, bbox=(w, s_, e, n))
    info_out = {"out": str(path_out), "bytes": path_out.stat().st_size}
    if json:
        emit_json(info_out)
    else:
        typer.echo(f"wrote {path_out} ({info_out['bytes']} bytes)")
