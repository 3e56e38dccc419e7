"""Sub-commands of ``stavka models``: fit, bootstrap, report, predict-battles."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer

from stavka.cliutil import JSON_OPTION_HELP, emit_json

__all__ = ["app", "format_scoreboard"]

app = typer.Typer(
    help="Combat, outcome and advance-rate models fitted to CDB90 battles.",
    no_args_is_help=True,
)

_ATT = (
    "median_abs_log10_att",
    "median_abs_log10_def",
    "within_x2_att",
    "within_x2_def",
)


def _f(v: Any, pct: bool = False) -> str:
    if v is None:
        return "-"
    return f"{100 * v:5.1f}%" if pct else f"{v:6.3f}"


def format_scoreboard(cv: dict[str, Any]) -> str:
    """Render the cross-validated scoreboard as a plain-text table."""
    groups = ("all", "lt20k", "20k-100k", "gt100k", "core_1939on")
    lines = [f"Cross-validation: {cv['method']}; size = {cv['size_classes']}", ""]
    lines.append(
        "ATTRITION  median |log10(pred/obs)| att/def and share within x2 att/def"
    )
    for g in groups:
        lines.append(f"  [{g}]")
        for name, sc in cv["attrition"].items():
            s = sc.get(g, {})
            if not s.get("n"):
                continue
            lines.append(
                f"    {name:22s} n={s['n']:4d}  |log10| "
                f"{_f(s[_ATT[0]])} {_f(s[_ATT[1]])}"
                f"   within x2 {_f(s[_ATT[2]], True)} {_f(s[_ATT[3]], True)}"
            )
    lines.append("")
    lines.append("OUTCOME  accuracy / Brier (P attacker wins)")
    lines += _group_rows(
        cv["outcome"],
        groups,
        lambda s: f"{_f(s.get('accuracy'), True)} / {_f(s.get('brier'))}",
    )
    lines.append("")
    lines.append("ADVANCE of winning attackers  MAE of log(1 + km/day)")
    lines += _group_rows(
        cv["advance"], groups, lambda s: _f(s.get("mae_log1p_km_per_day"))
    )
    return "\n".join(lines)


def _group_rows(
    scores: dict[str, Any],
    groups: tuple[str, ...],
    cell: Callable[[dict[str, Any]], str],
) -> list[str]:
    """One line per size group: ``[group] n=N: model cell; model cell; ...``.

    Args:
        scores: model name -> group -> scores (every model scored on the same rows).
        groups: the size groups, in print order.
        cell: formats one model's scores in one group.
    """
    lines = []
    for g in groups:
        row = [f"{name} {cell(sc[g])}" for name, sc in scores.items()]
        n = next(iter(scores.values()))[g]["n"]
        lines.append(f"  [{g}] n={n}: " + "; ".join(row))
    return lines


@app.command()
def fit(
    data: Annotated[
        Path | None,
        typer.Option(
            help="Calibration CSV (default: shared/data/cdb90/battles_calibration.csv)."
        ),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option(help="Where to write the parameters (default: shipped file)."),
    ] = None,
    cv: Annotated[bool, typer.Option(help="Run the leave-one-campaign-out CV.")] = True,
    json_out: Annotated[bool, typer.Option("--json", help=JSON_OPTION_HELP)] = False,
) -> None:
    """Fit all models (deterministic) and write the parameter file."""
    from stavka.errors import ModelError
    from stavka.models.api import params_path
    from stavka.models.data import default_data_path
    from stavka.models.fit import dumps_params, run_fit

    path = data or default_data_path()
    if not path.is_file():
        raise ModelError(
            f"calibration file {path} not found (give --data PATH; by default it is"
            " shared/data/cdb90/battles_calibration.csv beside the checkout)"
        )
    doc = run_fit(path, cross_validate=cv)
    target = out or params_path()
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(dumps_params(doc), encoding="utf-8")
    summary = {"out": str(target), "data": doc["data"], "fit_date": doc["fit_date"]}
    if json_out:
        emit_json(summary | {"cv": doc.get("cv")})
    else:
        typer.echo(
            f"wrote {target} ({doc['data']['rows']} battles, sha256 "
            f"{doc['data']['sha256'][:12]}...)"
        )
        if "cv" in doc:
            typer.echo(format_scoreboard(doc["cv"]))


@app.command()
def bootstrap(
    out: Annotated[
        Path, typer.Option(help="Directory for the draws' parameter files.")
    ],
    draws: Annotated[int, typer.Option(min=1, help="How many draws.")] = 30,
    seed: Annotated[int, typer.Option(help="Root seed of the draws.")] = 0,
    sections: Annotated[
        list[str] | None,
        typer.Option(
            "--section",
            help="A model section to refit (repeatable; default: attrition, outcome,"
            " advance and collapse_exchange); the others stay the shipped ones.",
        ),
    ] = None,
    data: Annotated[
        Path | None,
        typer.Option(
            help="Calibration CSV (default: shared/data/cdb90/battles_calibration.csv)."
        ),
    ] = None,
    json_out: Annotated[bool, typer.Option("--json", help=JSON_OPTION_HELP)] = False,
) -> None:
    """Refit the models on cluster-bootstrap samples of the calibration campaigns.

    Writes OUT/draw-000.json, ... (parameter files; run one with
    `stavka run SCENARIO --models FILE`). The same seed writes the same files.
    """
    from stavka.errors import ModelError
    from stavka.models.bootstrap import BOOTSTRAP_SECTIONS, bootstrap_docs
    from stavka.models.data import default_data_path
    from stavka.models.fit import dumps_params

    chosen = tuple(sections or BOOTSTRAP_SECTIONS)
    path = data or default_data_path()
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        msg = f"--out {out}: cannot make the directory ({e.strerror})"
        raise ModelError(msg) from None
    written = []
    for i, doc in enumerate(bootstrap_docs(path, draws, seed=seed, sections=chosen)):
        target = out / f"draw-{i:03d}.json"
        target.write_text(dumps_params(doc), encoding="utf-8")
        written.append(str(target))
        if not json_out:
            typer.echo(f"wrote {target}")
    if json_out:
        emit_json({"files": written, "seed": seed, "sections": list(chosen)})


@app.command()
def report(
    params: Annotated[
        Path | None, typer.Option(help="Parameter file (default: the shipped one).")
    ] = None,
    json_out: Annotated[bool, typer.Option("--json", help=JSON_OPTION_HELP)] = False,
) -> None:
    """Print the cross-validated scoreboard of every model side by side."""
    from stavka.errors import ModelError
    from stavka.models.api import load_doc, params_path

    doc = load_doc(params or params_path())
    if "cv" not in doc:
        raise ModelError(
            "the parameter file has no CV scores (run `stavka models fit --cv`)"
        )
    if json_out:
        emit_json(
            {"fit_date": doc.get("fit_date"), "data": doc.get("data"), "cv": doc["cv"]}
        )
    else:
        typer.echo(
            f"fit {doc.get('fit_date')}, data sha256 {doc['data']['sha256'][:12]}..."
        )
        typer.echo(format_scoreboard(doc["cv"]))


@app.command("predict-battles")
def predict_battles_cmd(
    file: Annotated[Path, typer.Argument(help="CSV in the CDB90 calibration format.")],
    out: Annotated[
        Path | None, typer.Option(help="Output CSV (default: stdout).")
    ] = None,
    params: Annotated[
        Path | None, typer.Option(help="Parameter file (default: the shipped one).")
    ] = None,
) -> None:
    """Predict casualties, P(attacker wins) and advance for every battle in FILE."""
    from stavka.models.api import load_models
    from stavka.models.predict import predict_battles

    text, warnings = predict_battles(file, load_models(params))
    for w in warnings:
        typer.echo(f"warning: {w}", err=True)
    if out is None:
        sys.stdout.write(text)
    else:
        out.write_text(text, encoding="utf-8")
        typer.echo(f"wrote {out}", err=True)
