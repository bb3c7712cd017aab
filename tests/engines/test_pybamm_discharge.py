"""electrochem.pybamm_discharge: spec errors, design errors, cancellation, provenance."""

from __future__ import annotations

import re

import numpy as np
import pytest

from cellwright.engines.api import Cancelled, Progress, run_study
from cellwright.projects.model import CellDesign, DesignSnapshot, InputError

ENGINE = "electrochem.pybamm_discharge"
LG_M50 = DesignSnapshot(cell=CellDesign(name="LG M50", pybamm_parameter_set="Chen2020"))


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ({"c_rate": 50}, r"spec.c_rate: Input should be less than or equal to 20 \(got 50\)"),
        # the bound as a person writes it (it read "greater than 0.009999999999")
        ({"c_rate": -1}, r"spec.c_rate: Input should be greater than or equal to 0.01 \(got -1\)"),
        ({"ambient_temperature": "25 kg"}, r"spec.ambient_temperature: '25 kg' cannot be"),
        ({"model": "P2D"}, r"spec.model: Input should be 'SPM', 'SPMe' or 'DFN'"),
        ({"c_rte": 1}, r"spec.c_rte: unknown field"),
    ],
)
def test_bad_spec_names_the_field(spec, message) -> None:
    with pytest.raises(InputError, match=message):
        run_study(ENGINE, spec, LG_M50)


def test_units_in_text_are_accepted() -> None:
    from cellwright.engines.electrochem.pybamm_discharge import DischargeSpec

    spec = DischargeSpec(ambient_temperature="25 degC", cutoff_voltage="2800 mV")
    assert spec.ambient_temperature == pytest.approx(298.15)
    assert spec.cutoff_voltage == pytest.approx(2.8)


def test_design_without_parameter_set_is_refused_before_pybamm_runs() -> None:
    bare = DesignSnapshot(cell=CellDesign(name="bare"))
    with pytest.raises(InputError, match=r"no PyBaMM parameter set; .*choose one of: .*Chen2020"):
        run_study(ENGINE, {}, bare)
    wrong = DesignSnapshot(cell=CellDesign(name="x", pybamm_parameter_set="Chen2021"))
    with pytest.raises(InputError, match="unknown PyBaMM parameter set 'Chen2021'"):
        run_study(ENGINE, {}, wrong)


def test_cancel_stops_at_the_next_report() -> None:
    calls = []
    progress = Progress(report=calls.append, is_cancelled=lambda: len(calls) >= 1)
    with pytest.raises(Cancelled):
        run_study(ENGINE, {"model": "SPM"}, LG_M50, progress)
    assert len(calls) == 1


def test_provenance_and_units() -> None:
    r = run_study(ENGINE, {"model": "SPM", "c_rate": 0.5}, LG_M50)
    p = r.provenance
    assert p.engine_id == ENGINE and p.engine_version == "1.1"
    assert len(p.spec_hash) == 64 and p.wall_time > 0
    assert {"pybamm", "cellwright", "numpy"} <= set(p.library_versions)
    assert r.series["Current [A]"][0] == pytest.approx(2.5)
    assert 4.8 < r.scalars["Discharge capacity [A.h]"] < 5.1


def test_series_are_evenly_spaced_to_the_cut_off() -> None:
    from cellwright.engines.electrochem.pybamm_discharge import DEFAULT_OUTPUT_POINTS

    r = run_study(ENGINE, {"model": "SPM", "c_rate": 2}, LG_M50)
    t = r.series["Time [s]"]
    t_end = 3600.0 / 2 * 1.2 + 600.0
    step = t_end / (DEFAULT_OUTPUT_POINTS - 1)
    assert np.allclose(np.diff(t[:-1]), step)  # the last one is the cut-off event
    assert 0 < t[-1] - t[-2] <= step + 1e-9
    assert r.series["Voltage [V]"][-1] == pytest.approx(2.5, abs=1e-3)  # Chen2020's cut-off
    coarse = run_study(ENGINE, {"model": "SPM", "c_rate": 2, "output_points": 50}, LG_M50)
    assert coarse.series["Time [s]"].size <= 50 and coarse.series["Time [s]"][-1] == t[-1]


def test_a_one_layer_stock_set_is_scaled_to_its_library_cell() -> None:
    # Ecker2015 is one 0.156 A.h layer of the 7.5 A.h Kokam: the library cell must not run as
    # one layer (it gave 0.164 A.h)
    from cellwright.projects.library import Library

    library = Library.load_builtin()
    kokam = library.snapshot_for(library.design_for_cell("kokam-slpb-75106100"))
    r = run_study(ENGINE, {"model": "SPM", "c_rate": 1.0}, kokam)
    assert r.series["Current [A]"][0] == pytest.approx(48 * 0.15625, rel=1e-6)
    assert 7.0 < r.scalars["Discharge capacity [A.h]"] < 8.2


def test_an_lfp_design_runs_with_lumped_thermal() -> None:
    # Prada2013, the base of LFP designs, has no thermal or collector-conductivity values:
    # PyBaMM stopped with a KeyError; the design's own materials now supply them
    from pathlib import Path

    from cellwright.projects.design.design_file import read_design_file
    from cellwright.projects.design.resolve import design_snapshot

    path = Path(__file__).parents[2] / "resources" / "examples" / "designs" / "lfp-21700.toml"
    cell = read_design_file(path).cell
    spec = {"model": "SPM", "c_rate": 1.0, "thermal": "lumped"}
    r = run_study(ENGINE, spec, design_snapshot(cell))
    assert r.series["Voltage [V]"].min() >= 2.0 - 1e-6
    assert r.scalars["Maximum temperature [K]"] > 298.15 + 1.0


def test_a_datasheet_only_library_cell_is_told_how_to_run() -> None:
    # the refusal listed parameter sets without saying where a set is given
    from cellwright.projects.library import Library

    library = Library.load_builtin()
    p42a = library.snapshot_for(library.design_for_cell("molicel-p42a"))
    for engine in (ENGINE, "electrochem.pybamm"):
        with pytest.raises(InputError, match=r'from = "datasheet:molicel-p42a"'):
            run_study(engine, {}, p42a)


def test_an_lto_negative_on_a_graphite_curve_is_refused(tmp_path) -> None:
    # it ran as a 3.6 V graphite cell (18.5 W.h) with no word
    from cellwright.projects.design.design_file import read_design_file
    from cellwright.projects.design.resolve import design_snapshot

    path = tmp_path / "lto.toml"
    path.write_text(
        'format_version = 1\n[cell]\nname = "lto"\nfrom = "template:21700"\n'
        '[cell.negative]\nactive_material = "lto"\n'
    )
    cell = read_design_file(path).cell
    with pytest.raises(InputError, match=r"negative.active_material: lto .* Chen2020's negative"):
        run_study(ENGINE, {"model": "SPM"}, design_snapshot(cell))


def test_a_design_on_a_multi_layer_base_set_runs_at_its_own_c_rate(tmp_path) -> None:
    # an LCO positive derives from Ai2020, whose 34 layers multiplied the design's whole area
    # again: 1C moved the electrodes at 1/34C and 5.4 A.h came out of a 4.0 A.h cell
    from cellwright.projects.design.design_file import read_design_file
    from cellwright.projects.design.resolve import design_snapshot

    path = tmp_path / "lco.toml"
    path.write_text(
        'format_version = 1\n[cell]\nname = "lco"\nfrom = "template:21700"\n'
        '[cell.positive]\nactive_material = "lco"\n'
    )
    snapshot = design_snapshot(read_design_file(path).cell)
    r = run_study(ENGINE, {"model": "SPM", "c_rate": 1.0}, snapshot)
    nominal = r.series["Current [A]"][0]
    assert 0.9 * nominal < r.scalars["Discharge capacity [A.h]"] < 1.02 * nominal
    assert "stopped" not in r.message  # ended on the cut-off, not on the final time
    # the cut-off is found across the end of the positive's curve: its last state read -0.40 V
    assert r.scalars["Minimum voltage [V]"] > 3.0 - 0.05


def test_the_a123_library_cell_runs_with_lumped_thermal() -> None:
    # Prada2013 has no thermal values: the library cell was refused with PyBaMM's KeyError
    # ("Negative current collector thickness [m]"); they now come from its datasheet estimate
    from cellwright.projects.library import Library

    library = Library.load_builtin()
    a123 = library.snapshot_for(library.design_for_cell("a123-anr26650m1b"))
    spec = {"model": "SPM", "c_rate": 1.0, "thermal": "lumped"}
    for engine in (ENGINE, "electrochem.pybamm"):
        r = run_study(engine, spec, a123)
        assert 298.15 + 1.0 < r.scalars["Maximum temperature [K]"] < 298.15 + 10.0
        (note,) = r.provenance.warnings
        assert note.startswith("Prada2013 has no thermal values")
        assert "estimated from its datasheet of A123 ANR26650M1-B" in note
    # an isothermal run needs none and says nothing
    assert not run_study(ENGINE, {"model": "SPM"}, a123).provenance.warnings


def test_a_layer_scaled_stock_set_heats_the_whole_cell() -> None:
    # Ecker2015's cell volume and cooling surface are one layer's (1.52 cm3, 172 cm2): the 48
    # layers' heat went into one layer's volume, 48x the W/m3 and +3.8 K at 1C against the
    # entered design's +1.8 K
    from cellwright.projects.design.reference_designs import with_reference_geometry
    from cellwright.projects.library import Library

    library = Library.load_builtin()
    kokam = library.snapshot_for(library.design_for_cell("kokam-slpb-75106100"))
    spec = {"model": "SPMe", "c_rate": 1.0, "thermal": "lumped"}
    cell = run_study("electrochem.pybamm", spec, kokam)
    layer = run_study("electrochem.pybamm", spec, DesignSnapshot(
        cell=CellDesign(name="one layer", pybamm_parameter_set="Ecker2015")))  # fmt: skip
    t = 1800.0
    whole = 0.0075 * 0.106 * 0.100  # m3, the datasheet's 7.5 x 106 x 100 mm
    cell_w = np.interp(t, cell.series["Time [s]"], cell.series["Total heat generation [W.m-3]"])
    layer_w = np.interp(t, layer.series["Time [s]"], layer.series["Total heat generation [W.m-3]"])
    # 48 layers' heat (0.34 W); the whole cell runs 1.7 K warmer than a lone layer, so its
    # resistances and heat are 5 % lower
    assert cell_w * whole == pytest.approx(48 * layer_w * 1.52e-6, rel=0.08)
    # the whole cell's heat is its Bernardi share of I (OCV - V): 0.33 W of 0.55 W at 1C
    assert 0.2 < cell_w * whole < 0.55
    entered = run_study("electrochem.pybamm", spec, with_reference_geometry(kokam, "test"))
    rise = cell.scalars["Maximum temperature [K]"] - 298.15
    assert rise == pytest.approx(entered.scalars["Maximum temperature [K]"] - 298.15, rel=0.2)


def test_x_full_cools_a_layered_cell_through_its_surface_not_every_layers_faces() -> None:
    # x-full cools both collector faces of its one electrode pair: on the Kokam's 48 layers of
    # Ecker2015 that was 0.82 m2 of faces for a 0.024 m2 cell, +0.09 K at 1C against the
    # lumped model's +1.7 K on the same cell
    from cellwright.projects.design.reference_designs import with_reference_geometry
    from cellwright.projects.library import Library

    library = Library.load_builtin()
    kokam = library.snapshot_for(library.design_for_cell("kokam-slpb-75106100"))
    for design in (kokam, with_reference_geometry(kokam, "test")):  # stock set; derived
        rise = {}
        for thermal in ("lumped", "x-full"):
            r = run_study(ENGINE, {"model": "SPMe", "c_rate": 1.0, "thermal": thermal}, design)
            rise[thermal] = r.scalars["Maximum temperature [K]"] - 298.15
        assert rise["lumped"] > 1.0
        assert rise["x-full"] == pytest.approx(rise["lumped"], rel=0.15)


def _positive_design(tmp_path, material: str, side: str = "positive") -> DesignSnapshot:
    from cellwright.projects.design.design_file import read_design_file
    from cellwright.projects.design.resolve import design_snapshot

    path = tmp_path / f"{material}.toml"
    path.write_text(
        f'format_version = 1\n[cell]\nname = "{material}"\nfrom = "template:21700"\n'
        f'[cell.{side}]\nactive_material = "{material}"\n'
    )
    return design_snapshot(read_design_file(path).cell)


def test_an_nmc532_design_runs_on_its_own_open_circuit_potential(tmp_path) -> None:
    # it ran on the base set's NMC811 curve (Chen2020) and delivered 3.12 of its 4.39 A.h
    # (71 %) at 1C without a word; Mohtat2020 is PyBaMM's NMC532
    from cellwright.engines.electrochem.parameters import parameter_values_for

    design = _positive_design(tmp_path, "nmc532")
    values = parameter_values_for(design)
    assert values["Positive electrode OCP [V]"].__name__ == "NMC_ocp_PeymanMPM"
    r = run_study(ENGINE, {"model": "SPM", "c_rate": 1.0}, design)
    nominal = float(values["Nominal cell capacity [A.h]"])
    assert r.scalars["Discharge capacity [A.h]"] > 0.9 * nominal  # 96.6 %
    assert r.series["Voltage [V]"][0] == pytest.approx(4.2, abs=0.2)  # starts charged
    assert r.provenance.warnings == ["positive: nmc532's open-circuit potential from PyBaMM's "
                                     "Mohtat2020 set"]  # fmt: skip


def test_a_positive_without_a_pybamm_curve_is_said_to_run_on_anothers(tmp_path) -> None:
    # PyBaMM has no LMO set: the LMO design runs on Chen2020's NMC811 curve and delivered
    # 2.12 of its 2.73 A.h (78 %) at 1C with no word
    design = _positive_design(tmp_path, "lmo")
    for engine in (ENGINE, "electrochem.pybamm"):
        r = run_study(engine, {"model": "SPM", "c_rate": 1.0}, design)
        (note,) = r.provenance.warnings
        assert "no open-circuit potential of lmo" in note
        assert "Chen2020's nmc811 curve, another chemistry's" in note
        assert re.search(r"at 1C.* delivered 2\.1\d A\.h of its nominal 2\.73 A\.h \(7\d%\)", note)


@pytest.mark.parametrize("material", ["hard-carbon", "si-graphite-15"])
def test_a_negative_without_a_pybamm_curve_is_said_to_run_on_graphites(
    tmp_path, material: str
) -> None:
    # no set holds a hard-carbon or silicon-rich curve: both are within 0.5 V of graphite, so
    # they ran on Chen2020's graphite-SiOx curve with no word
    design = _positive_design(tmp_path, material, "negative")
    r = run_study(ENGINE, {"model": "SPM", "c_rate": 1.0}, design)
    (note,) = r.provenance.warnings
    assert note.startswith(f"negative.active_material: PyBaMM has no open-circuit potential of "
                           f"{material}")  # fmt: skip
    assert "Chen2020's graphite-SiOx curve, another chemistry's" in note
    assert re.search(r"the cell delivered [\d.]+ A\.h of its nominal [\d.]+ A\.h", note)


def test_a_graphite_negative_runs_on_a_graphite_curve_without_a_word(tmp_path) -> None:
    design = _positive_design(tmp_path, "graphite-artificial", "negative")
    r = run_study(ENGINE, {"model": "SPM", "c_rate": 1.0}, design)
    assert not [w for w in r.provenance.warnings if "open-circuit potential" in w]
    # but the template's coating of it needs more lithium than its host holds (350 mA.h/g at
    # 2260 kg/m3 is 29 500 mol/m3, Kim 2011's graphite 28 700) and the cell, negative-limited,
    # cannot cycle its 5.3 A.h: that is said
    (note,) = r.provenance.warnings
    assert "the negative (graphite-artificial) has 0.90" in note and "needs 1.03" in note
    assert re.search(r"cycle 8\d% of the design's capacity", note)


@pytest.mark.parametrize(
    "section",
    [
        "[cell.negative]\ncoating_thickness = 1.3e-4\n",  # 121 % before: the negative's lithium
        '[cell.positive]\nactive_material = "nmc111"\n',  # 110 % before
    ],
)
def test_a_slow_discharge_delivers_the_calculators_capacity(tmp_path, section: str) -> None:
    # the cell starts with the lithium its electrodes can cycle (the electrode balance), not the
    # base set's lithiation of a differently sized electrode
    from cellwright.projects.design import cell_figures
    from cellwright.projects.design.design_file import read_design_file
    from cellwright.projects.design.resolve import design_snapshot

    path = tmp_path / "cell.toml"
    path.write_text(f'format_version = 1\n[cell]\nname = "c"\nfrom = "template:21700"\n{section}')
    design = design_snapshot(read_design_file(path).cell)
    nominal = cell_figures(design.cell, design.materials, design.reference_cell).capacity
    r = run_study(ENGINE, {"model": "SPM", "c_rate": 0.05}, design)
    assert r.scalars["Discharge capacity [A.h]"] / nominal == pytest.approx(1.0, abs=0.01)


def test_a_material_without_a_maximum_concentration_holds_what_its_capacity_states(
    tmp_path,
) -> None:
    # hard carbon took Chen2020's graphite-SiOx c_max (33133): twice the lithium of its
    # 300 mA.h/g at 1.5 g/cm3, and the cell delivered 137 % of its nominal capacity
    from cellwright.engines.electrochem.parameters import parameter_values_for

    values = parameter_values_for(_positive_design(tmp_path, "hard-carbon", "negative"))
    c_max = values["Maximum concentration in negative electrode [mol.m-3]"]
    assert c_max == pytest.approx(1500 * 300 * 3600 / 96485.33212, rel=1e-9)  # 16 790


def test_a_packs_design_is_said_to_run_one_cell() -> None:
    """Run on a pack, the discharge is one of its cells, and the warnings say so."""
    from cellwright.projects.model import PackDesign

    pack = PackDesign(name="Module", cell=LG_M50.cell.id, series=4, parallel=2)
    result = run_study(ENGINE, {"model": "SPM"}, LG_M50.model_copy(update={"pack": pack}))
    assert any("models one cell: this ran one cell (LG M50) of pack 'Module', 4s2p" in w
               for w in result.provenance.warnings)  # fmt: skip


def test_an_electrolyte_run_out_is_said() -> None:
    # the LG M50 at 3C on SPMe delivered 0.25 A.h in 59 s with no word: its linearised
    # electrolyte went to -56 mol/m3 (the DFN delivers 2.3 A.h, also transport-limited)
    r = run_study(ENGINE, {"model": "SPMe", "c_rate": 3.0}, LG_M50)
    assert r.scalars["Discharge capacity [A.h]"] < 1.0
    assert any("electrolyte ran out" in w and "run DFN" in w for w in r.provenance.warnings)
    calm = run_study(ENGINE, {"model": "SPMe", "c_rate": 1.0}, LG_M50)
    assert not any("electrolyte" in w for w in calm.provenance.warnings)


def test_a_discharge_of_an_empty_cell_is_refused_naming_initial_soc() -> None:
    # PyBaMM's "Events ['Minimum voltage [V]'] are non-positive at initial conditions with
    # inputs {...}" came through as the run's failure
    with pytest.raises(
        InputError, match=r"spec\.initial_soc: the cell starts at its lower cut-off"
    ):
        run_study(ENGINE, {"model": "SPM", "initial_soc": 0.0}, LG_M50)


def test_a_run_from_full_after_one_from_half_starts_full() -> None:
    # PyBaMM's solve(initial_soc=...) keeps the initial state it sets: the cached simulation
    # of a run from 50 % started every later run of the same cell there, one asked to start
    # full too (and after a run from 0 it refused it as starting at its cut-off)
    full = run_study(ENGINE, {"model": "SPM"}, LG_M50).scalars["Discharge capacity [A.h]"]
    half = run_study(ENGINE, {"model": "SPM", "initial_soc": 0.5}, LG_M50)
    assert half.scalars["Discharge capacity [A.h]"] < 0.6 * full
    again = run_study(ENGINE, {"model": "SPM"}, LG_M50).scalars["Discharge capacity [A.h]"]
    assert again == pytest.approx(full, rel=1e-9)
