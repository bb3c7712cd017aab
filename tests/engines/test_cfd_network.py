"""``cfd.network``: results a user reads, plates in series and parallel, tube banks, and every
bad input of issue 15 as one clear error naming the item and what is allowed."""

from __future__ import annotations

import re

import numpy as np
import pytest

from cellwright.engines.api import EngineError, run_study
from cellwright.projects.design.reference_designs import lg_m50
from cellwright.projects.model import CoolingPlate, InputError, PackDesign
from cellwright.viewers.field_data import to_pyvista
from support.designs import pack_96s4p

LMIN = 1 / 6e4


@pytest.fixture(scope="module")
def pack_snapshot(library):
    plate = CoolingPlate(
        channel_layout="parallel",
        channel_count=8,
        channel_width=6e-3,
        manifold_width=14e-3,
        flow_rate=4 * LMIN,
    )
    pack = pack_96s4p().model_copy(update={"cooling_plate": plate})
    return library.snapshot_for(lg_m50(), pack)


@pytest.fixture(scope="module")
def cell_snapshot(library):
    return library.snapshot_for(library.design_for_cell("lg-m50"))


def test_plate_result_has_split_profiles_fields_and_sources(pack_snapshot) -> None:
    result = run_study("cfd.network", {"heat_per_cell": 1.5}, pack_snapshot)
    channels = result.tables["channels"]
    assert channels["Channel"].tolist() == list(range(1, 9))
    assert channels["Flow share [-]"].sum() == pytest.approx(1.0)
    s = result.scalars
    assert s["Channel flow maldistribution (max/min) [-]"] >= 1.0
    assert s["Hydraulic pumping power [W]"] == pytest.approx(
        s["Pressure drop [Pa]"] * s["Total flow rate [m3/s]"]
    )
    assert s["Coolant outlet temperature [K]"] > s["Coolant inlet temperature [K]"]
    assert s["Maximum wall temperature [K]"] > s["Coolant outlet temperature [K]"]
    methods = " ".join(result.provenance.methods)
    for source in ("Shah & London", "VDI Heat Atlas", "Crane", "Melinder"):
        assert source in methods
    grid = to_pyvista(result.meshes["network"])  # the field viewer can draw the network
    assert grid.n_cells == int(s["Branches"])
    assert set(result.meshes["network"].cell_sets) >= {"channel 1", "inlet manifold 1-2"}
    along = result.tables["along flow path"]
    assert along["Pressure [Pa]"].max() == pytest.approx(s["Pressure drop [Pa]"])


def test_u_and_z_feeds_and_plates_in_series_and_parallel(pack_snapshot) -> None:
    one = run_study("cfd.network", {"heat_load": 400.0}, pack_snapshot)
    series = run_study(
        "cfd.network",
        {"heat_load": 400.0, "plates": 2, "plate_connection": "series"},
        pack_snapshot,
    )
    parallel = run_study("cfd.network", {"heat_load": 400.0, "plates": 2}, pack_snapshot)
    # the same total heat into the same flow: the same rise whichever way the plates are joined
    rise = one.scalars["Coolant temperature rise [K]"]
    assert series.scalars["Coolant temperature rise [K]"] == pytest.approx(rise, rel=1e-3)
    assert parallel.scalars["Coolant temperature rise [K]"] == pytest.approx(rise, rel=1e-3)
    # two plates in series need more than twice one plate's pressure (plus hoses); in parallel
    # each takes half the flow
    assert series.scalars["Pressure drop [Pa]"] > 2 * one.scalars["Pressure drop [Pa]"]
    assert parallel.scalars["Pressure drop [Pa]"] < one.scalars["Pressure drop [Pa]"]


def test_air_cross_flow_over_a_bank_of_cells(cell_snapshot) -> None:
    bank = {
        "name": "cells",
        "start": "inlet",
        "end": "outlet",
        "shape": "tube_bank",
        "diameter": 21.1e-3,
        "pitch_transverse": 25e-3,
        "pitch_longitudinal": 25e-3,
        "rows": 12,
        "per_row": 8,
        "length": 70e-3,
        "heat": 60.0,
        "segments": 12,
    }
    spec = {"coolant": "air", "flow_rate": 0.02, "channels": [bank]}
    result = run_study("cfd.network", spec, cell_snapshot)
    row = result.tables["branches"]
    assert 0 < result.scalars["Pressure drop [Pa]"] < 500
    assert 20 < row["Heat transfer coefficient [W/(m2.K)]"][0] < 200
    rho_cp = 1.18 * 1006  # air near 300 K
    assert result.scalars["Coolant temperature rise [K]"] == pytest.approx(
        60.0 / (0.02 * rho_cp), rel=0.02
    )
    assert any("Zukauskas" in m for m in result.provenance.methods)


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ({"flow_rate": 0.0}, r"spec.flow_rate: Input should be greater than 0"),
        ({"flow_rate": -1e-4}, r"spec.flow_rate: Input should be greater than 0"),
        ({"coolant": "brine"}, r"unknown coolant 'brine'"),
        ({"inlet_temperature": 390.0, "coolant": "water"}, r"outside the range of water"),
        ({"pump_curve": [[1e-4, 100.0], [2e-4, 0.0]]}, r"pump curve never meets the system"),
        ({"pump_curve": [[1e-6, 1e7], [2e-6, 9e6]]}, r"extend the curve to higher flows"),
        ({"pump_curve": [[0, 1e3], [1e-4, 2e3]]}, r"pressure rise must fall"),
        ({"heat_load": 10.0, "heat_per_cell": 1.0}, r"heat_load or heat_per_cell, not both"),
    ],
)
def test_bad_plate_inputs_are_named(pack_snapshot, spec, message) -> None:
    with pytest.raises(InputError, match=message):
        run_study("cfd.network", spec, pack_snapshot)


def test_channel_wider_than_the_plate_is_named(library) -> None:
    plate = CoolingPlate(channel_count=1, channel_width=0.04)
    pack = PackDesign(name="one cell", cell="lg-m50", cooling_plate=plate)
    with pytest.raises(InputError, match=r"cooling_plate.channel_width: a 40 mm channel is wider"):
        run_study("cfd.network", {}, library.snapshot_for(lg_m50(), pack))


def test_network_needs_a_plate_or_channels(cell_snapshot) -> None:
    with pytest.raises(InputError, match=r"spec\.channels: list the channels"):
        run_study("cfd.network", {}, cell_snapshot)


def _pipe(name, start, end):
    return {
        "name": name,
        "start": start,
        "end": end,
        "shape": "circular",
        "diameter": 4e-3,
        "length": 0.5,
    }


def test_disconnected_and_misnamed_networks_are_named(cell_snapshot) -> None:
    apart = [_pipe("a", "inlet", "x"), _pipe("b", "y", "outlet")]
    with pytest.raises(InputError, match="no path of channels joins the inlet 'inlet'"):
        run_study("cfd.network", {"channels": apart}, cell_snapshot)
    island = [_pipe("a", "inlet", "outlet"), _pipe("b", "p", "q")]
    with pytest.raises(InputError, match=r"node\(s\) 'p', 'q' are not connected"):
        run_study("cfd.network", {"channels": island}, cell_snapshot)
    with pytest.raises(InputError, match=r"spec\.outlet: no channel starts or ends at 'out'"):
        run_study(
            "cfd.network", {"channels": [_pipe("a", "inlet", "o")], "outlet": "out"}, cell_snapshot
        )
    twice = [_pipe("a", "inlet", "outlet"), _pipe("a", "inlet", "outlet")]
    with pytest.raises(InputError, match="two channels are called 'a'"):
        run_study("cfd.network", {"channels": twice}, cell_snapshot)
    with pytest.raises(InputError, match="a circular channel needs diameter"):
        bad = {**_pipe("a", "inlet", "outlet"), "diameter": None}
        run_study("cfd.network", {"channels": [bad]}, cell_snapshot)


def test_heat_the_coolant_cannot_carry_is_an_error_not_a_boiling_number(cell_snapshot) -> None:
    hot = {**_pipe("a", "inlet", "outlet"), "heat": 5000.0}
    with pytest.raises(EngineError, match=r"the coolant reaches .* outside the range of water"):
        run_study(
            "cfd.network",
            {"coolant": "water", "flow_rate": 0.05 * LMIN, "channels": [hot]},
            cell_snapshot,
        )


def test_outlet_beyond_the_coolant_range_is_an_error_though_the_mean_is_within(
    cell_snapshot,
) -> None:
    # water 300 K past a 400 K wall leaves at ~385 K, above its 372 K data, while the branch
    # mean stays below: the range check must look at every segment, not the mean
    hot_wall = {**_pipe("a", "inlet", "outlet"), "length": 1.0, "wall_temperature": 400.0}
    spec = {"coolant": "water", "flow_rate": 1e-5, "inlet_temperature": 300.0}
    with pytest.raises(EngineError, match=r"reaches 38\d\.\d K in 'a'.*wall is held at 400"):
        run_study("cfd.network", {**spec, "channels": [hot_wall]}, cell_snapshot)


def test_heated_dead_end_is_named_not_a_billion_kelvin(cell_snapshot) -> None:
    dead = {**_pipe("dead", "m", "x"), "heat": 5.0}
    channels = [_pipe("a", "inlet", "m"), _pipe("b", "m", "outlet"), dead]
    with pytest.raises(InputError, match=r"spec\.channels: 'dead' carries no flow"):
        run_study("cfd.network", {"flow_rate": 1e-5, "channels": channels}, cell_snapshot)
    cold = run_study(
        "cfd.network",
        {"flow_rate": 1e-5, "channels": [*channels[:2], _pipe("dead", "m", "x")]},
        cell_snapshot,
    )
    assert cold.tables["branches"]["Flow rate [m3/s]"][2] == pytest.approx(0.0, abs=1e-15)


@pytest.mark.parametrize(
    ("coolant", "flow", "message"),
    [
        ("air", 1e-3, r"\d+% of the absolute pressure"),
        ("water", 0.01, r"far beyond any coolant pump"),
    ],
)
def test_incompressible_model_says_when_the_pressure_drop_is_beyond_it(
    cell_snapshot, coolant, flow, message
) -> None:
    # air at 80 m/s in a 4 mm tube loses 25 kPa (a quarter of its density); 0.01 m3/s of water
    # through it would need 1e9 Pa: both were reported as plain numbers
    pipe = {**_pipe("a", "inlet", "outlet"), "length": 1.0}
    spec = {"coolant": coolant, "flow_rate": flow, "entrance_effects": False, "channels": [pipe]}
    result = run_study("cfd.network", spec, cell_snapshot)
    assert any(re.search(message, w) for w in result.provenance.warnings)
    gentle = run_study("cfd.network", {**spec, "flow_rate": flow * 1e-3}, cell_snapshot)
    assert not any("incompressible" in w for w in gentle.provenance.warnings)


def test_reverse_listed_channel_flows_backwards(cell_snapshot) -> None:
    backwards = [_pipe("a", "outlet", "inlet")]
    result = run_study("cfd.network", {"channels": backwards}, cell_snapshot)
    assert result.tables["branches"]["Flow rate [m3/s]"][0] < 0
    assert np.isclose(
        result.scalars["Pressure drop [Pa]"], -result.tables["branches"]["Pressure drop [Pa]"][0]
    )
