"""Pieces of ``thermal.runaway``: the onset criterion and cancellation."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from cellwright.engines.api import Cancelled, Progress
from cellwright.engines.thermal.runaway import RunawayEngine, RunawaySpec
from cellwright.engines.thermal.runaway_coupling import OnsetDetector
from cellwright.projects.design.reference_designs import lg_m50, reference_snapshot


def _feed(detector, times, temps, power, external=0.0):
    for k in range(1, len(times)):
        detector.update(
            times[k - 1],
            np.array([temps[k - 1]]),
            times[k],
            np.array([temps[k]]),
            np.array([power[k]]),
            np.array([external]),
        )
    return detector.onset[0]


def test_onset_needs_one_kelvin_per_second_for_three_seconds() -> None:
    """GB 38031-2020 Annex C: dT/dt >= 1 °C/s for >= 3 s; onset at the start of the interval."""
    times = np.arange(0.0, 20.0, 0.5)
    hot = np.full(times.size, 100.0)  # W, self-heating over 1 K/s x 40 J/K
    ramp = 300.0 + np.where(times > 5.0, 1.2 * (times - 5.0), 0.0)
    assert _feed(OnsetDetector(np.array([40.0])), times, ramp, hot) == pytest.approx(5.0)
    short = 300.0 + 1.2 * np.clip(times - 5.0, 0.0, 2.5)  # 2.5 s of fast rise only
    assert np.isnan(_feed(OnsetDetector(np.array([40.0])), times, short, hot))
    slow = 300.0 + 0.9 * times
    assert np.isnan(_feed(OnsetDetector(np.array([40.0])), times, slow, hot))


def test_heating_from_outside_is_not_runaway() -> None:
    times = np.arange(0.0, 20.0, 0.5)
    ramp = 300.0 + 2.0 * times
    cold = np.full(times.size, 10.0)  # reactions: 0.25 K/s of the cell's capacity
    assert np.isnan(_feed(OnsetDetector(np.array([40.0])), times, ramp, cold))
    # reactions faster than 1 K/s but slower than the 200 W heater feeding the cell
    warm = np.full(times.size, 100.0)
    assert np.isnan(_feed(OnsetDetector(np.array([40.0])), times, ramp, warm, external=200.0))
    # self-heating from 8 s on: the onset is when it began, not when the heater did
    late = np.where(times > 8.0, 100.0, 10.0)  # power over the step ending at times[k]
    assert _feed(OnsetDetector(np.array([40.0])), times, ramp, late) == pytest.approx(8.0)


def test_run_can_be_cancelled() -> None:
    design = reference_snapshot(lg_m50())
    spec = RunawaySpec(trigger="oven", duration=36000.0, time_step=0.05, mesh_size=4e-3)
    asked = []

    def cancelled() -> bool:  # not while meshing, at the first report while stepping
        asked.append(True)
        return len(asked) > 1

    progress = Progress(is_cancelled=cancelled)
    with pytest.raises(Cancelled):
        RunawayEngine().run(spec, design, progress, Path("."))
    assert progress.last.message.startswith("t = ")


@pytest.mark.parametrize("cell", ["lg-m50", "panasonic-ncr18650b"])
def test_a_library_cell_runs_on_its_entered_or_estimated_design(cell) -> None:
    # a study file's `library_cell = "lg-m50"` was refused ("needs a cell design with
    # geometry"), though conduction and crush ran on the same cell
    from cellwright.projects.library import Library

    lib = Library.load_builtin()
    design = lib.snapshot_for(lib.design_for_cell(cell))
    spec = RunawaySpec(trigger="oven", duration=20.0, mesh_size=4e-3)
    RunawayEngine().validate(spec, design)
    result = RunawayEngine().run(spec, design, Progress(), Path("."))
    estimated = [w for w in result.provenance.warnings if "estimated from the datasheet" in w]
    assert len(estimated) == (cell != "lg-m50")
    assert result.scalars["Runaway [-]"] == 0.0


def test_a_cell_study_of_a_packs_design_says_it_ran_one_cell() -> None:
    from cellwright.projects.model import PackDesign

    design = reference_snapshot(lg_m50())
    pack = PackDesign(name="six", cell=design.cell.id, series=3, parallel=2)
    spec = RunawaySpec(trigger="oven", duration=4.0, time_step=2.0, mesh_size=4e-3)
    packed = design.model_copy(update={"pack": pack})
    result = RunawayEngine().run(spec, packed, Progress(), Path("."))
    assert any("one cell" in w and 'target = "module"' in w for w in result.provenance.warnings)


def _kinetics_notes(result) -> list[str]:
    return [w for w in result.provenance.warnings if w.startswith("kinetics:")]


def test_an_lfp_cell_is_told_its_runaway_runs_on_licoo2_kinetics() -> None:
    # an LFP cell ran on Kim 2007's LiCoO2/graphite kinetics without a word: its onset and
    # heat read as LFP's though LFP releases far less
    from cellwright.projects.design.design_file import read_design_file
    from cellwright.projects.design.resolve import design_snapshot

    path = Path(__file__).parents[2] / "resources" / "examples" / "designs" / "lfp-21700.toml"
    design = design_snapshot(read_design_file(path).cell)
    spec = RunawaySpec(trigger="oven", duration=4.0, time_step=2.0, mesh_size=4e-3)
    (note,) = _kinetics_notes(RunawayEngine().run(spec, design, Progress(), Path(".")))
    assert "Kim et al. 2007" in note and "Lithium iron phosphate" in note and "(LFP)" in note
    assert "onset and heat are those of LiCoO2/graphite" in note


def test_a_licoo2_cell_runs_on_kim_2007_without_a_kinetics_note() -> None:
    from cellwright.projects.library import Library

    design = reference_snapshot(lg_m50())
    lco = Library.load_builtin().material("lco")
    positive = design.cell.positive.model_copy(update={"active_material": "lco"})
    cell = design.cell.model_copy(update={"positive": positive})
    design = design.model_copy(update={"cell": cell, "materials": {**design.materials, "lco": lco}})
    spec = RunawaySpec(trigger="oven", duration=4.0, time_step=2.0, mesh_size=4e-3)
    assert _kinetics_notes(RunawayEngine().run(spec, design, Progress(), Path("."))) == []
    # the M50's NMC811 is no more LiCoO2 than LFP is
    m50 = RunawayEngine().run(spec, reference_snapshot(lg_m50()), Progress(), Path("."))
    assert "(NMC811)" in _kinetics_notes(m50)[0]


def test_a_negative_that_is_not_graphite_is_named_in_the_kinetics_note() -> None:
    """An LTO/LMO cell was told only of its LMO positive, as if its LTO negative formed and
    decomposed graphite's SEI; an LCO cell on LTO was told nothing at all."""
    from cellwright.engines.thermal.runaway import kinetics_chemistry_note
    from cellwright.projects.library import Library

    library = Library.load_builtin()
    design = reference_snapshot(lg_m50())
    spec = RunawaySpec(trigger="oven")

    def with_materials(positive: str, negative: str) -> list[str]:
        cell = design.cell.model_copy(
            update={
                "positive": design.cell.positive.model_copy(update={"active_material": positive}),
                "negative": design.cell.negative.model_copy(update={"active_material": negative}),
            }
        )
        found = {m: library.material(m) for m in (positive, negative)}
        snap = design.model_copy(update={"cell": cell, "materials": {**design.materials, **found}})
        return kinetics_chemistry_note(spec, snap)

    assert with_materials("lco", "graphite-artificial") == []
    (lco_lto,) = with_materials("lco", "lto")
    assert "negative electrode Lithium titanate (Li4Ti5O12) (LTO)" in lco_lto
    assert "positive electrode" not in lco_lto
    (lmo_lto,) = with_materials("lmo", "lto")
    assert "positive electrode Lithium manganese oxide spinel" in lmo_lto and "(LTO)" in lmo_lto
    (m50,) = with_materials("nmc811", "graphite-siox-lgm50")
    assert "(NMC811)" in m50 and "negative electrode" not in m50
