"""Engine parameters, separate from state. Each has a unit and a provenance.

Provenance is one of: a citation (published norm or spec), ``fitted`` (from
``stavka.models``), ``physical``, or ``assumption`` (not yet sourced; listed in
docs/parameters.md as open and never tuned toward the record).
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Collection, Sequence
from dataclasses import dataclass, fields, replace
from typing import Any

from stavka.errors import EngineError

__all__ = ["PROVENANCE", "EngineParams", "parameters_table"]


@dataclass(frozen=True, slots=True)
class EngineParams:
    """Parameters of the campaign engine (:data:`PROVENANCE` gives their sources)."""

    step_hours: float = 1.0
    combat_noise: bool = True
    march_hours_foot: float = 8.75
    march_hours_horse: float = 7.5
    march_hours_motor: float = 12.0
    march_hours_tracked: float = 12.0
    motor_lift_fronts: tuple[str, ...] = (
        "trans_baikal_front",
        "first_far_eastern_front",
    )
    tracked_range_km: float = 250.0
    motor_range_km: float = 400.0
    tracked_road_kmh: float = 20.0
    motor_road_kmh: float = 30.0
    initial_fuel_refills: float = 2.5
    sourced_fuel_formations: tuple[str, ...] = ("soviet_mongolian_cmg",)
    sourced_fuel_refills: float = 6.0
    ammo_per_combat_day: float = 0.35
    ammo_out_power_factor: float = 0.3
    truck_hours_per_day: float = 20.0
    resupply_refills_per_day: float = 1.0
    rail_repair_km_per_day: float = 20.0
    air_lift_formations: tuple[str, ...] = ("6gta",)
    air_lift_tonnes_per_day: float = 72.3
    air_lift_first_day: str = "1945-08-10"
    air_lift_last_day: str = "1945-08-22"
    air_refill_tonnes_per_vehicle: float = 0.53
    air_refill_tonnes_per_1000_men: float = 7.0
    defended_depth_km: float = 8.0
    fortress_level: float = 3.0
    contain_ratio: float = 3.0
    battle_break_hours: float = 30.0
    contact_threshold_men: float = 200.0
    column_men_per_km: float = 1243.0
    order_delay_hours_per_level: float = 6.0
    order_delay_cutoff_factor: float = 4.0
    comply_hours: float = 24.0
    no_surrender_nations: tuple[str, ...] = ("japan",)
    no_surrender_captured_share: float = 0.022
    no_surrender_wounded_share: float = 0.050
    comply_hours_fortified: float = 96.0
    puppet_desertion_per_day: float = 0.05
    puppet_desertion_contact_per_day: float = 0.25
    surprise_hours: float = 24.0
    air_superiority_after_hours: float = 24.0
    landing_men_default: float = 500.0
    exploit_radius_km: float = 150.0
    flotilla_kmh: float = 12.0
    ferry_hours: float = 6.0
    flotilla_reach_km: float = 400.0
    ship_kmh: float = 18.0
    sea_embark_hours: float = 6.0

    def with_overrides(self, pairs: Sequence[str]) -> EngineParams:
        """A copy with ``NAME=VALUE`` overrides (``stavka run --param``).

        Numbers must be finite and not negative (``step_hours`` positive and a
        whole fraction of a day); switches take true/false; dates are ISO dates;
        formation and nation lists are comma-separated.

        Raises:
            EngineError: naming the override and what is wrong with it.
        """
        types = {f.name: str(f.type) for f in fields(self)}
        changes: dict[str, Any] = {}
        for pair in pairs:
            name, sep, text = pair.partition("=")
            name, text = name.strip(), text.strip()
            if not sep or not name:
                raise EngineError(f"--param {pair!r}: expected NAME=VALUE")
            if name not in types:
                raise EngineError(
                    f"--param {pair!r}: no engine parameter {name!r} "
                    "(docs/parameters.md lists them)"
                )
            try:
                changes[name] = _parse_value(name, types[name], text)
            except ValueError as err:
                raise EngineError(f"--param {pair!r}: {err}") from None
        out = replace(self, **changes)
        if out.air_lift_first_day > out.air_lift_last_day:
            raise EngineError(
                f"--param: air_lift_first_day {out.air_lift_first_day} is after "
                f"air_lift_last_day {out.air_lift_last_day}"
            )
        return out

    def check_names(
        self, formations: Collection[str], nations: Collection[str]
    ) -> None:
        """Check that the changed formation and nation lists name existing ones.

        The shipped lists may name formations a scenario lacks (they then serve
        nobody); a list set with ``--param`` must not (a typo would pass silently).

        Raises:
            EngineError: naming the parameter and the unknown names.
        """
        for name, value in self.overrides().items():
            known = nations if name == "no_surrender_nations" else formations
            if not isinstance(value, list):
                continue
            unknown = [v for v in value if v not in known]
            if unknown:
                names = ", ".join(map(repr, unknown))
                raise EngineError(f"--param {name}: {names} not in the scenario")

    def overrides(self) -> dict[str, float | bool | str | list[str]]:
        """The parameters that differ from the shipped values, as :meth:`as_dict`."""
        shipped = EngineParams().as_dict()
        return {k: v for k, v in self.as_dict().items() if v != shipped[k]}

    def as_dict(self) -> dict[str, float | bool | str | list[str]]:
        """Return the parameters as a plain mapping (for run summaries)."""
        return {
            f.name: list(v) if isinstance(v := getattr(self, f.name), tuple) else v
            for f in fields(self)
        }


_TRUE = {"true", "yes", "1", "on"}
_FALSE = {"false", "no", "0", "off"}


def _parse_value(name: str, kind: str, text: str) -> object:
    """The value of parameter ``name`` of type ``kind`` written as ``text``.

    Raises:
        ValueError: saying what is wrong.
    """
    if kind == "bool":
        if text.lower() in _TRUE | _FALSE:
            return text.lower() in _TRUE
        raise ValueError(f"{text!r} is not true or false")
    if kind == "tuple[str, ...]":
        items = tuple(t.strip() for t in text.split(",") if t.strip())
        return items
    if kind == "str":
        try:
            datetime.date.fromisoformat(text)
        except ValueError:
            raise ValueError(f"{text!r} is not a date (YYYY-MM-DD)") from None
        return text
    try:
        value = float(text)
    except ValueError:
        raise ValueError(f"{text!r} is not a number") from None
    if not math.isfinite(value) or value < 0:
        raise ValueError(f"{text!r} must be a finite number >= 0")
    if name == "step_hours" and (value <= 0 or not (24.0 / value).is_integer()):
        raise ValueError(f"{text!r} must divide a day into whole steps (1, 0.5, ...)")
    return value


PROVENANCE: dict[str, tuple[str, str]] = {
    "ship_kmh": ("km/h", "assumption: landing ships and transports make ~10 knots"),
    "sea_embark_hours": ("h", "assumption: time to go aboard, or ashore, at a coast"),
    "flotilla_kmh": (
        "km/h",
        "assumption: river monitors and armoured boats make 10-15 "
        "knots on still water, less against the current",
    ),
    "ferry_hours": (
        "h",
        "assumption: time to embark, cross a major river and land (troops "
        "and their supply columns)",
    ),
    "flotilla_reach_km": (
        "km",
        "assumption: troops this near a river flotilla's base can "
        "be carried by it, and their supply columns ferried (the Amur "
        "Flotilla worked with the 2nd Far Eastern Front, oob_soviet.yaml "
        "naval_forces)",
    ),
    "combat_noise": (
        "bool",
        "switch: daily luck of units (fitted model spread); False = "
        "expected values, for convergence tests and what-if comparisons",
    ),
    "step_hours": (
        "h",
        "engine time step (DESIGN.md); results tested to converge at 0.5 h",
    ),
    "march_hours_foot": (
        "h/day",
        "BSE (Great Soviet Encyclopedia, 3rd ed.) 'Марш' (bezmani.ru/spravka/bse/"
        "base/3/008987.htm): in 1941-45 Soviet rifle "
        "troops marched 30-40 km a day on foot; at the map's foot road speed "
        "(4 km/h with halts, FM 21-18) that is 7.5-10 h; midpoint 35 km = 8.75 h",
    ),
    "march_hours_horse": (
        "h/day",
        "RKKA cavalry tactics manual (1935) §1187-1188: normal day's march 50 km "
        "in 7-8 h of movement; midpoint 7.5 h",
    ),
    "march_hours_motor": (
        "h/day",
        "assumption: 10-12 h moving for motorised columns "
        "(recalled norm; confidence low)",
    ),
    "march_hours_tracked": ("h/day", "as march_hours_motor"),
    "tracked_range_km": (
        "km per refill",
        "T-34-85 road range ~300 km, cross-country less "
        "(published vehicle specification)",
    ),
    "motor_range_km": (
        "km per refill",
        "Studebaker US6 / ZIS-5 range 400-600 km on roads "
        "(published vehicle specification), lower bound",
    ),
    "tracked_road_kmh": (
        "km/h",
        "tracked march speed on an improved road "
        "(stavka.theatre.movement ROAD_KMH; docs/parameters.md Movement)",
    ),
    "motor_road_kmh": ("km/h", "motor march speed on an improved road (same source)"),
    "initial_fuel_refills": (
        "refills",
        "assumption: Soviet norm of 2-3 refills with the "
        "unit at the start of an offensive; to be sourced",
    ),
    "motor_lift_fronts": (
        "formation ids",
        "fitted (benchmarks/motor_lift_fit.py; docs/parameters.md 'Motor lift'): "
        "the fronts whose foot formations ride the front's trucks (motor mobility, "
        "fuel and all). Tyl Sovetskikh Vooruzhennykh Sil v Velikoi Otechestvennoi "
        "voine (1977), Table 29: the Trans-Baikal Front had 49,053 motor vehicles "
        "(44,814 serviceable), the 2nd Far Eastern 31,916 (30,579), enough to carry "
        "their foot troops; which fronts did, the sources we have do not say: a "
        "front is lifted where that lowers the median absolute error of its own "
        "advance points in the calibration record, with any one point left out as "
        "well (5 seeds; stop 24)",
    ),
    "sourced_fuel_formations": (
        "formation ids",
        "I.A. Pliev, Cherez Gobi i Khingan (homeread.net/read/cherez-gobi-i-hingan-"
        "issa-pliev, page 30), on the Soviet-Mongolian Cavalry-Mechanized Group: "
        "'the troops took six refills of fuel and lubricants with them'; these "
        "formations and their subordinates start with sourced_fuel_refills, no other",
    ),
    "sourced_fuel_refills": (
        "refills",
        "Pliev (as sourced_fuel_formations): six refills, 'in normal conditions "
        "enough for 1,500 km' (250 km a refill, as tracked_range_km)",
    ),
    "ammo_per_combat_day": ("combat loads/day", "assumption; to be sourced from norms"),
    "ammo_out_power_factor": (
        "-",
        "assumption: a unit without ammunition fights at 30 %",
    ),
    "truck_hours_per_day": (
        "h/day",
        "assumption: truck columns drive around the clock with two drivers, 20 h a day",
    ),
    "resupply_refills_per_day": (
        "refills/trip",
        "assumption: a unit's organic transport carries one refill per round trip "
        "(delivered when the trip is complete, at most one trip a day)",
    ),
    "rail_repair_km_per_day": (
        "km/day",
        "assumption: Soviet railway troops' repair rate; to be sourced",
    ),
    "air_lift_formations": (
        "formation ids",
        "biography.wikireading.ru 201732 (the source plans.md 1.3 cites; "
        "oob_soviet.yaml 12aa note): two transport air divisions of the 12th Air "
        "Army flew fuel to the 6th Guards Tank Army; these formations and their "
        "subordinates get the air lift, no other",
    ),
    "air_lift_tonnes_per_day": (
        "t/day",
        "biography.wikireading.ru 201732: 160-170 sorties a day delivered 940 t of "
        "fuel and lubricants from 10 to 22 Aug; 940 t / 13 days = 72.3 t a day, "
        "shared by the formations' units, landing at midday; the pack records a "
        "conflicting 2,072 t of fuel in 1,755 sorties (history README, known "
        "conflicts): docs/parameters.md 'Air lift'",
    ),
    "air_lift_first_day": (
        "date",
        "biography.wikireading.ru 201732: first day of the 940 t (10 Aug)",
    ),
    "air_lift_last_day": (
        "date",
        "biography.wikireading.ru 201732: last day of the 940 t (22 Aug)",
    ),
    "air_refill_tonnes_per_vehicle": (
        "t/refill",
        "estimated: T-34-85 main fuel tanks 630 L (muzeumgryf.pl T-34/85 exhibit "
        "page) x diesel ~0.84 kg/L = 0.53 t; used for SP guns too",
    ),
    "air_refill_tonnes_per_1000_men": (
        "t/refill",
        "assumption: a unit with no tanks or SP guns (motor rifle troops) refills "
        "its trucks: ~60 trucks per 1000 men x ~150 L of petrol (0.74 kg/L); "
        "recalled, confidence low",
    ),
    "defended_depth_km": (
        "km",
        "physical: half the spacing of H3 res-5 cells (~17 km); "
        "attacker progress needed to dislodge a cell's defenders",
    ),
    "fortress_level": (
        "level",
        "data: docs/oob-japanese.md F2, level 3 = permanent works described or a "
        "fortress (Hailar, Hutou, Shumshu); a static garrison of a fortified region of "
        "this level or more holds its works after the attacker has broken through "
        "(invested: it no longer blocks the roads, holds its place until it "
        "surrenders) instead of collapsing",
    ),
    "contain_ratio": (
        "men/men",
        "assumption: the force left to besiege an invested garrison (source text "
        "l. 211: 'some troops continue to siege the Hailar fortification area', no "
        "size; 'the main force follows up behind the advance detachment'): its "
        "assaulting units, foot troops first and smallest first, until they have this "
        "many times the garrison's men (the classic 3:1 of an attack)",
    ),
    "battle_break_hours": (
        "h",
        "data: shared/data/cdb90 battles_calibration.csv, the 27 battles from 1939 on "
        "with several active periods: their mean break between active periods is "
        "0-1.24 d (median 0.38 d), and a battle's duration is the sum of its active "
        "periods; a unit out of contact for less than the longest (1.24 d = 30 h) is "
        "still in the same fight, its fight clock kept",
    ),
    "contact_threshold_men": (
        "men",
        "assumption: below this a cell's garrison does not block movement",
    ),
    "column_men_per_km": (
        "men/km",
        "J.B. Wilson, Maneuver and Firepower (US Army CMH, 1998) p. 24: a European "
        "army corps of about 30,000 men in march formation covered about fifteen "
        "miles of road; 30,000 / 24.1 km = 1,243 men per km of route; a cell's roads "
        "hold this x the mean distance between neighbouring cell centres of one "
        "side's marching troops (0 = no crowding)",
    ),
    "order_delay_hours_per_level": (
        "h",
        "assumption: signal delay per command level (ceasefire and fall-back orders)",
    ),
    "order_delay_cutoff_factor": (
        "-",
        "assumption: delay multiplier when the chain is cut",
    ),
    "no_surrender_nations": (
        "-",
        "nations whose troops were rarely taken prisoner in combat before their "
        "surrender order: the Japanese army (Pacific War Online Encyclopedia, "
        "'Casualties', pwencycl.kgbudge.com/C/a/Casualties.htm)",
    ),
    "no_surrender_captured_share": (
        "1",
        "Pacific War Online Encyclopedia 'Casualties' table (the models' source "
        "for the US shares): Japan 41,440 prisoners of war before 15 Aug 1945 "
        "against 1,834,000 killed, missing or wounded (1,740,000 killed or "
        "missing): 41,440 / 1,875,440 = 0.022 of losses captured",
    ),
    "no_surrender_wounded_share": (
        "1",
        "the same table: Japan 94,000 wounded against 1,740,000 killed or missing "
        "and 41,440 prisoners: 94,000 / 1,875,440 = 0.050 of losses wounded, the "
        "rest (0.928) killed; the table does not part deaths in combat from "
        "deaths by disease or hunger, so the killed share of combat losses may "
        "be lower",
    ),
    "comply_hours": (
        "h",
        "assumption: mean time for a unit to comply with the surrender "
        "order once received",
    ),
    "comply_hours_fortified": (
        "h",
        "assumption: isolated fortified garrisons hold out "
        "longer (source text: Hutou resisted after 15 Aug); applies to a "
        "fortified-region garrison while it is cut off or invested (stop 18; "
        "before, to every such garrison)",
    ),
    "puppet_desertion_per_day": (
        "1/day",
        "assumption: Manchukuo/Mengjiang desertion rate; the pack gives no "
        "rate (source text l. 89: over 200,000 puppet troops; l. 285: the "
        "puppet armies 'wiped out'); to be sourced",
    ),
    "puppet_desertion_contact_per_day": ("1/day", "assumption: the same in contact"),
    "surprise_hours": (
        "h",
        "plans.md 1.2: attack without preparation at night; battles begun "
        "in the first day are surprise battles for their whole length, as "
        "CDB90 codes surprise per battle (window: assumption on duration)",
    ),
    "air_superiority_after_hours": (
        "h",
        "assumption: Soviet air superiority from day 2 "
        "(2.7:1 combat aircraft, oob_soviet.yaml force ratios)",
    ),
    "exploit_radius_km": (
        "km",
        "assumption: the area of operations reaches this far "
        "beyond the places a side's plans name",
    ),
    "landing_men_default": (
        "men",
        "assumption: size of an airborne detachment whose event row gives no number",
    ),
}


def parameters_table() -> str:
    """Return the Markdown table of every engine parameter: value, unit, provenance."""
    p = EngineParams()
    rows = ["| parameter | value | unit | provenance |", "|---|---|---|---|"]
    for name, value in p.as_dict().items():
        unit, source = PROVENANCE[name]
        shown = ", ".join(value) if isinstance(value, list) else value
        rows.append(f"| `{name}` | {shown} | {unit} | {source} |")
    return "\n".join(rows)


if __name__ == "__main__":
    import sys

    sys.stdout.write(parameters_table() + "\n")
