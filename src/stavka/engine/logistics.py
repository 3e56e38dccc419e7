"""Supply: fuel and ammunition use and resupply from railheads, trucks and aircraft.

The attacker's supply sources are railway stations it controls: its own stations at the
start, and captured stations once the railway troops have had time to repair the line to
them (distance from the nearest original railhead / repair rate). Units within the truck
radius of a source get a full daily rate; beyond it the rate falls with distance; motorised
units beyond it also get a share of air resupply. The defender fights from its own depots
and is resupplied unless it has been dislodged this step.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from stavka.engine.setup import Context
from stavka.engine.state import Mob, State, Status
from stavka.engine.timeline import haversine_km

__all__ = ["SupplyNet", "build_supply_net", "resupply"]

ROAD_FACTOR = 1.25
"""Road distance / great-circle distance (assumption; see docs/parameters.md)."""


@dataclass(frozen=True, slots=True)
class SupplyNet:
    """Railway stations as supply sources. Arrays [S] unless noted.

    Attributes:
        place_index: index of each station in ``Context.place_ids``.
        lat, lon: station coordinates (degrees).
        own: the attacker's station at the start.
        repair_hours: hours after capture before the station serves as a railhead.
    """

    place_index: npt.NDArray[np.int64]
    lat: npt.NDArray[np.float64]
    lon: npt.NDArray[np.float64]
    own: npt.NDArray[np.bool_]
    repair_hours: npt.NDArray[np.float32]


def build_supply_net(ctx: Context, initial_control: npt.NDArray[np.int8]) -> SupplyNet:
    """Collect the railway stations among the scored places."""
    s = ctx.scenario
    pos = {p: i for i, p in enumerate(ctx.place_ids)}
    stations = sorted(
        {st for line in s.railways.values() for st in line.stations if st in pos}
    )
    idx = np.array([pos[x] for x in stations], np.int64)
    lat = np.array([s.places[x].lat for x in stations])
    lon = np.array([s.places[x].lon for x in stations])
    own = initial_control[idx] == 0
    if own.any():
        d = haversine_km(
            lat[:, None], lon[:, None], lat[own][None, :], lon[own][None, :]
        ).min(axis=1)
    else:
        d = np.zeros(len(stations))
    repair = (ROAD_FACTOR * d / ctx.params.rail_repair_km_per_day * 24.0).astype(
        np.float32
    )
    return SupplyNet(idx, lat, lon, own, repair)


def resupply(
    ctx: Context,
    net: SupplyNet,
    st: State,
    hour: float,
    dislodged: npt.NDArray[np.bool_],
) -> State:
    """Consume ammunition in contact and resupply fuel and ammunition for one step."""
    u, p = ctx.units, ctx.params
    dt = p.step_hours / 24.0
    active = st.status == Status.ACTIVE
    ammo = np.where(st.in_contact, st.ammo - p.ammo_per_combat_day * dt, st.ammo)
    # Attacker: distance to the nearest serving railhead.
    held = st.control[:, net.place_index] == 0  # R x S
    since = hour - np.where(
        np.isnan(st.capture_hour[:, net.place_index]),
        np.inf,
        st.capture_hour[:, net.place_index],
    )
    serving = held & (net.own[None, :] | (since >= net.repair_hours[None, :]))
    lat = ctx.theatre.lat[st.cell]
    lon = ctx.theatre.lon[st.cell]
    d = ROAD_FACTOR * haversine_km(
        lat[..., None], lon[..., None], net.lat, net.lon
    )  # R x U x S
    d = np.where(serving[:, None, :], d, np.inf).min(axis=-1)
    reach = np.clip(p.truck_radius_km / np.maximum(d, 1.0), 0.0, 1.0)
    motorised = np.isin(u.mobility, (Mob.MOTOR, Mob.TRACKED))[None, :]
    air = np.where(motorised & (reach < 1.0), p.air_resupply_refills_per_day, 0.0)
    rate_att = (p.resupply_refills_per_day * reach + air) * dt
    rate_def = np.where(dislodged, 0.0, p.resupply_refills_per_day * dt)
    rate = np.where(u.side[None, :] == 0, rate_att, rate_def)
    max_fuel = np.where(motorised, p.initial_fuel_refills, 1.0)
    fuel = np.where(active & motorised, np.minimum(st.fuel + rate, max_fuel), st.fuel)
    ammo = np.where(active, np.minimum(ammo + rate, 1.0), ammo)
    return st.replace(
        fuel=fuel.astype(np.float32), ammo=np.maximum(ammo, 0.0).astype(np.float32)
    )
