"""``thermal.conduction`` refuses what it cannot solve, naming the field; never a traceback."""

from __future__ import annotations

import numpy as np
import pytest

from cellwright.engines.api import EngineError, Progress, run_study
from cellwright.engines.thermal import conduction
from cellwright.projects.design.reference_designs import lg_m50, reference_snapshot
from cellwright.projects.model import InputError


@pytest.fixture(scope="module")
def m50():
    return reference_snapshot(lg_m50())


def test_a_region_whose_material_lacks_a_property_is_named(m50) -> None:
    steel = m50.materials["nickel-plated-steel"]
    props = {k: v for k, v in steel.properties.items() if k != "thermal_conductivity"}
    bare = m50.model_copy(
        update={
            "materials": {
                **m50.materials,
                "nickel-plated-steel": steel.model_copy(update={"properties": props}),
            }
        }
    )
    with pytest.raises(InputError, match=r"geometry\.can_material.*thermal_conductivity"):
        run_study("thermal.conduction", {"duration": 20}, bare)


def test_heat_table_must_be_consistent(m50) -> None:
    with pytest.raises(InputError, match="same length"):
        run_study("thermal.conduction", {"heat": {"source": "table", "times": [0, 1],
                                                  "powers": [1.0]}}, m50)  # fmt: skip
    with pytest.raises(InputError, match="increase"):
        run_study("thermal.conduction", {"heat": {"source": "table", "times": [0, 5, 5],
                                                  "powers": [1, 1, 1]}}, m50)  # fmt: skip


def test_a_diverging_solve_is_an_engine_error(m50, monkeypatch) -> None:
    def nan_heat(spec, design, problem, progress):
        return lambda t0, t1, temps: np.full(problem.cell_count, np.nan)

    monkeypatch.setattr(conduction, "_heat_source", nan_heat)
    spec = conduction.ConductionSpec(duration=30, time_step=10)
    with pytest.raises(EngineError, match="diverged at t = 10 s"):
        conduction.ConductionEngine().run(spec, m50, Progress(), None)


def test_a_library_cell_with_only_its_datasheet_runs_on_an_estimate_and_says_so() -> None:
    from cellwright.projects.library import Library

    lib = Library.load_builtin()
    snap = lib.snapshot_for(lib.design_for_cell("molicel-p42a"))
    result = run_study("thermal.conduction", {"duration": 20, "time_step": 10}, snap)
    estimate = [w for w in result.provenance.warnings if "estimated from the datasheet" in w]
    assert len(estimate) == 1 and estimate[0].startswith("Molicel INR21700-P42A:")
    assert "the thermal engine needs" in estimate[0]
    assert result.scalars["Tetrahedra"] > 0


def test_a_pack_without_a_cooling_plate_runs_on_the_default_convection() -> None:
    # the defaults cooled channel walls a pack without a cooling plate has none of, and the run
    # stopped: "the mesh has no faces in group 'channel_walls'"
    from cellwright.projects.design.authoring import new_pack
    from cellwright.projects.library import Library

    lib = Library.load_builtin()
    pack = new_pack("2s2p", "lg-m50", 2, 2)
    assert pack.cooling_plate is None
    snap = lib.snapshot_for(lib.design_for_cell("lg-m50"), pack)
    spec = {"target": "pack", "duration": 10, "mesh_size": 8e-3}
    result = run_study("thermal.conduction", spec, snap)
    assert result.scalars["Cells"] == 4.0


def test_a_cell_study_of_a_packs_design_says_it_ran_one_cell(m50) -> None:
    # thermal.conduction's default target is the cell: a 3s2p pack of LG M50s heated as one
    # cell was stored as the pack's study without a word
    from cellwright.projects.model import PackDesign

    pack = PackDesign(name="six", cell=m50.cell.id, series=3, parallel=2)
    packed = m50.model_copy(update={"pack": pack})
    spec = {"duration": 20, "time_step": 10, "mesh_size": 4e-3, "heat": {"power": 1.0}}
    result = run_study("thermal.conduction", spec, packed)
    assert any("one cell" in w and "3s2p" in w and 'target = "pack"' in w
               for w in result.provenance.warnings)  # fmt: skip
    alone = run_study("thermal.conduction", spec, m50)
    assert not any("one cell" in w for w in alone.provenance.warnings)


@pytest.mark.parametrize("cell", ["lg-e63", "a123-anr26650m1b"])
def test_a_coating_without_thermal_values_takes_chen2020s_and_says_so(cell) -> None:
    # NMC622 and LFP have no thermal conductivity or specific heat in the library: every 3D
    # thermal study of the library's E63 and LFP cells was refused ("material 'lfp' has no
    # thermal_conductivity"), though their PyBaMM studies ran on Chen2020's coating values
    from cellwright.projects.library import Library

    library = Library.load_builtin()
    design = library.snapshot_for(library.design_for_cell(cell))
    spec = {
        "duration": 60,
        "time_step": 30,
        "mesh_size": 6e-3,
        "boundaries": [{"group": "ambient", "kind": "adiabatic"}],
        "heat": {"power": 5.0},
    }
    result = run_study("thermal.conduction", spec, design)
    assert result.scalars["Heat stored [J]"] == pytest.approx(300.0, rel=1e-6)
    said = [w for w in result.provenance.warnings if "Chen et al. 2020" in w]
    assert any("thermal_conductivity" in w and "2.1 W/(m K)" in w for w in said)
