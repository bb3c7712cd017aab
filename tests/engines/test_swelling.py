"""mechanics.swelling as a user meets it: refusals that name the field, the warning at the
force limit, life in cycles, progress and cancel."""

from __future__ import annotations

import numpy as np
import pytest

from cellwright.engines.api import Cancelled, Progress, list_engines, run_study
from cellwright.projects.design.reference_designs import kokam_slpb_75106100, reference_snapshot
from cellwright.projects.model import CellDesign, DesignSnapshot, InputError

ENGINE = "mechanics.swelling"


@pytest.fixture(scope="module")
def kokam(library) -> DesignSnapshot:
    return reference_snapshot(kokam_slpb_75106100(), library)


def test_listed() -> None:
    assert ENGINE in {e.id for e in list_engines() if e.available}


def test_cylindrical_cell_is_refused(library) -> None:
    snapshot = library.snapshot_for(library.design_for_cell("lg-m50"))
    with pytest.raises(InputError, match="pouch or prismatic"):
        run_study(ENGINE, {}, snapshot)


def test_design_without_electrodes_or_parameter_set_is_refused() -> None:
    bare = DesignSnapshot(cell=CellDesign(name="bare pouch", format="pouch"))
    with pytest.raises(InputError, match="neither an electrode stack nor a PyBaMM"):
        run_study(ENGINE, {}, bare)


def test_a_library_cell_with_only_its_datasheet_swells_as_estimated(library) -> None:
    # the EVE LF280K (LFP prismatic): neither an entered stack nor a PyBaMM set
    snapshot = library.snapshot_for(library.design_for_cell("eve-lf280k"))
    result = run_study(ENGINE, {"cells": 4}, snapshot)
    warnings = result.provenance.warnings
    assert any(w.startswith("EVE LF280K:") and "estimated from the datasheet" in w
               for w in warnings)  # fmt: skip
    assert "(estimated from its datasheet)" in warnings[0]  # the stack's origin
    assert result.scalars["Reversible thickness change per cell [m]"] > 0


def test_parameter_set_without_chemistries_is_refused() -> None:
    bare = DesignSnapshot(cell=CellDesign(name="set only", format="pouch",
                                          pybamm_parameter_set="Ai2020"))  # fmt: skip
    with pytest.raises(InputError, match="no reference cell names its anode and cathode"):
        run_study(ENGINE, {}, bare)


@pytest.mark.parametrize(
    ("spec", "field"),
    [
        ({"pad": {"curve": "no-such-foam"}}, "spec.pad.curve"),
        ({"pad": {"curve": {"strain": [0, 0.2, 0.1], "stress": [0, 1e4, 2e4]}}}, "spec.pad.curve"),
        ({"cell_curve": {"strain": [0, 0.1], "stress": [5e5, 1e5]}}, "spec.cell_curve"),
        ({"pad": {"curve": {"strain": [0.1], "stress": [1e4]}}}, "spec.pad.curve"),
        ({"cycle": {"soc_min": 0.9, "soc_max": 0.2}}, "spec.cycle"),
        ({"life": {"cycles": [0, 500]}}, "spec.life"),
        ({"preload": "-5 kN"}, "spec.preload"),
    ],
)
def test_bad_stack_data_names_the_field(kokam, spec, field) -> None:
    with pytest.raises(InputError) as caught:
        run_study(ENGINE, spec, kokam)
    assert field in str(caught.value)


def test_unknown_chemistry_asks_for_the_curve(library) -> None:
    design = kokam_slpb_75106100().model_copy(update={"pybamm_parameter_set": None})
    negative = design.negative.model_copy(update={"active_material": "graphite-siox-lgm50"})
    snapshot = library.snapshot_for(design.model_copy(update={"negative": negative}))
    with pytest.raises(InputError, match=r"negative\.active_material: no volume-change data") as e:
        run_study(ENGINE, {}, snapshot)
    assert all(name in str(e.value) for name in ("lmo", "lto", "nca", "nmc532", "nmc622"))
    assert "spec.negative_volume_change = {stoichiometry" in str(e.value)  # the field to give
    curve = {"stoichiometry": [0, 1], "volume_change": [0, 0.15]}
    result = run_study(ENGINE, {"negative_volume_change": curve}, snapshot)
    assert result.scalars["Reversible thickness change per cell [m]"] > 0


def test_force_limit_warns(kokam) -> None:
    spec = {"cells": 12, "preload": "1 kN", "force_limit": "1.05 kN"}
    result = run_study(ENGINE, spec, kokam)
    assert result.scalars["Maximum end-plate force [N]"] > 1050
    assert result.scalars["Exceeds force limit [-]"] == 1.0
    assert "exceeds the design limit 1050 N" in result.message
    assert any("design limit" in w for w in result.provenance.warnings)
    ok = run_study(ENGINE, {**spec, "force_limit": "1 MN"}, kokam)
    assert ok.message == "" and ok.scalars["Exceeds force limit [-]"] == 0.0


def test_cycle_and_life_series(kokam) -> None:
    spec = {"cycle": {"c_rate": 1.0, "cycles": 2, "points": 11},
            "life": {"cycles": [0, 500, 1000], "fade_per_cycle": 2e-4}}  # fmt: skip
    result = run_study(ENGINE, spec, kokam)
    time, soc = result.series["Time [s]"], result.series["State of charge [-]"]
    assert time[-1] == pytest.approx(4 * 3600.0) and soc.size == 41
    force = result.series["End-plate force [N]"]
    # the graphite swells on charge: force highest at full charge, and the cycle repeats
    assert force[np.argmax(soc)] == pytest.approx(force.max())
    assert force[10] == pytest.approx(force[30])
    life = result.tables["life"]
    assert list(life["Cycle"]) == [0, 500, 1000]
    assert np.allclose(life["State of health [-]"], [1.0, 0.9, 0.8])
    assert np.all(np.diff(life["Force at 100 % SOC [N]"]) > 0)  # SEI growth over life


def test_progress_and_cancel(kokam) -> None:
    seen = []
    run_study(ENGINE, {}, kokam, Progress(report=seen.append))
    assert seen[0].fraction < 0.1 and seen[-1].fraction > 0.8
    with pytest.raises(Cancelled):
        run_study(ENGINE, {}, kokam, Progress(is_cancelled=lambda: True))


def test_wound_prismatic_counts_its_turns(library) -> None:
    """Two flat rolls in a prismatic can: each turn crosses the flat faces twice, so the
    coatings through the thickness are 2 x turns x rolls x sides; per electrode pair the cell
    swells as the same stack in a pouch does, and the can's face takes the load."""
    from cellwright.engines.mechanics.swelling_build import swelling_cell
    from cellwright.projects.design.cell_figures import cell_figures
    from cellwright.projects.model import PrismaticGeometry

    pouch = kokam_slpb_75106100()
    can = PrismaticGeometry(length=0.148, width=0.091, thickness=0.0265, jelly_rolls=2)
    prismatic = pouch.model_copy(update={"format": "prismatic", "geometry": can})
    snapshot = reference_snapshot(prismatic, library)
    turns = cell_figures(prismatic, snapshot.materials).layout.facts["Jelly roll turns"][0]
    cell = swelling_cell(snapshot, {})
    assert cell.negative.coatings == pytest.approx(2 * turns * 2 * 2)
    assert cell.face_area == pytest.approx(0.148 * 0.091)
    flat = swelling_cell(reference_snapshot(pouch, library), {})
    soc = np.linspace(0, 1, 5)
    per_pair = cell.reversible(soc) / cell.negative.coatings
    assert np.allclose(per_pair, flat.reversible(soc) / flat.negative.coatings, rtol=1e-9)
    result = run_study(ENGINE, {"cells": 4}, snapshot)
    assert result.scalars["Cell loaded area [m^2]"] == pytest.approx(0.148 * 0.091)


def _pouch_with(library, side: str, material: str) -> DesignSnapshot:
    from cellwright.projects.design.design_file import loads_design

    text = (f'format_version = 1\n[cell]\nname = "Pouch {material}"\nfrom = "template:pouch"\n'
            f'[cell.{side}]\nactive_material = "{material}"\n')  # fmt: skip
    return library.snapshot_for(loads_design(text, "d.toml", library=library).cell)


@pytest.mark.parametrize("chemistry", ["NMC532", "NMC622", "NCA", "ncm622"])
def test_layered_oxides_take_the_nmc811_curve_by_lithium_content(chemistry) -> None:
    """Jousseaume et al. 2024: the lattice strain of NMCxyz follows the lithium content alone
    (NCA taken alike as an assumption), so these read the NMC811 curve at their stoichiometry."""
    from cellwright.engines.mechanics.swelling_data import volume_change_curve

    curve, nmc811 = volume_change_curve(chemistry, "f"), volume_change_curve("NMC811", "f")
    x = np.array([0.2, 0.27, 0.4, 0.55, 0.8, 1.0])
    assert np.array_equal(curve(x), nmc811(x))
    assert curve.source == "jousseaume2024 (kondrakov2017 NMC811 curve)"
    assert nmc811.source == "kondrakov2017"


def test_lmo_volume_change_from_the_lattice_constants() -> None:
    """LiMn2O4 a = 8.245 Å, λ-MnO2 a = 8.03 Å (Hunter 1981): ΔV/V = (a0/a1)^3 - 1 end to end."""
    from cellwright.engines.mechanics.swelling_data import volume_change_curve

    curve = volume_change_curve("LMO", "f")
    assert curve(0.0) - curve(1.0) == pytest.approx((8.03 / 8.245) ** 3 - 1, abs=1e-6)
    assert curve(0.5) == pytest.approx(0.5 * curve(0.0), abs=1e-12)  # mean volume linear in x
    assert curve.source == "hunter1981"


def test_lto_negative_contributes_no_swing(library) -> None:
    """Li4Ti5O12 keeps a = 8.36 Å to Li7Ti5O12 (Ohzuku 1995): all the swing is the positive's."""
    from cellwright.engines.mechanics.swelling_build import swelling_cell

    cell = swelling_cell(_pouch_with(library, "negative", "lto"), {})
    soc = np.linspace(0.0, 1.0, 11)
    negative = cell.negative
    assert cell.negative.curve.source == "ohzuku1995"
    assert np.all(negative.thickness(negative.stoichiometry(soc)) == 0.0)
    positive = cell.positive
    alone = positive.thickness(positive.stoichiometry(soc)) - positive.thickness(positive.empty)
    assert np.allclose(cell.reversible(soc), alone, rtol=0, atol=1e-15)


def test_nmc622_pouch_swells_and_loads_the_end_plates(library) -> None:
    snapshot = _pouch_with(library, "positive", "nmc622")
    result = run_study(ENGINE, {"cells": 4, "preload": "1 kN", "tie_stiffness": "50 MN/m"},
                       snapshot)  # fmt: skip
    assert result.scalars["Reversible thickness change per cell [m]"] > 10e-6
    force = result.series["End-plate force [N]"]
    assert force.max() > 1000.0 and result.scalars["Maximum end-plate force [N]"] > 1000.0


def test_a_design_without_windows_cycles_the_lithium_its_host_holds(library) -> None:
    """The electrode balance divides the cell's capacity by the host's lithium, F c_max φ L,
    not by the practical specific capacity: a layered oxide gives up about two thirds of its
    lithium between its cut-offs (NMC622: 187 of 277 mA.h/g); a window from the practical
    capacity ran the positive of a positive-limited cell down to x = 0, past the table's end."""
    from cellwright.engines.mechanics.swelling_build import swelling_cell
    from cellwright.projects.design.cell_figures import cell_figures
    from cellwright.projects.design.electrode import FARADAY

    snapshot = _pouch_with(library, "positive", "nmc622")
    cell = swelling_cell(snapshot, {})
    figures = cell_figures(snapshot.cell, snapshot.materials)
    design = snapshot.cell
    c_max = snapshot.materials["nmc622"].value("max_concentration")
    host = FARADAY * c_max * figures.positive.active_volume_fraction
    host *= design.positive.coating_thickness * figures.layout.positive_area / 3600.0
    assert cell.positive.empty == 1.0
    assert cell.positive.full == pytest.approx(1.0 - figures.capacity / host, rel=1e-12)
    assert 0.2 < cell.positive.full < 1.0  # inside the table (0.55 here: graphite-limited)
    note = next(n for n in cell.notes if n.startswith("stoichiometry windows"))
    assert "positive over its host's lithium (c_max 49108 mol/m3)" in note


def test_a_stack_without_pads_strains_no_pad(kokam) -> None:
    """``pad.count = 0``: the cells alone between the end plates. The pad curve's strain at the
    force was reported as the pads' (0.44 on four Kokam pouches), and past its last point warned
    of pads bottoming out."""
    spec = {"cells": 4, "tie_stiffness": "50 MN/m", "pad": {"count": 0},
            "cycle": {"points": 11}, "life": {"soh": [1.0, 0.8]}}  # fmt: skip
    result = run_study(ENGINE, spec, kokam)
    assert result.scalars["Maximum end-plate force [N]"] > 1000  # the cells still press
    assert result.scalars["Maximum pad strain [-]"] == 0.0
    assert not np.any(result.series["Pad strain [-]"])
    assert not any("pad" in w for w in result.provenance.warnings)


def test_cycles_past_the_lowest_state_of_health_are_refused_not_clamped() -> None:
    # 100000 cycles at 1.5e-4 (a capacity loss of 1500 %) were reported as cycle 100000 at
    # the clamp's SOH 0.3, with no word
    from pydantic import ValidationError

    from cellwright.engines.mechanics.swelling_spec import LifeSpec

    with pytest.raises(ValidationError, match=r"100000 cycles at fade_per_cycle 0\.00015 leave "
                       r"a state of health of -14; .* \(fewer than 4666\.67 cycles\)"):  # fmt: skip
        LifeSpec(cycles=[0, 100000], fade_per_cycle=1.5e-4)
    soh, cycles = LifeSpec(cycles=[0, 4000], fade_per_cycle=1.5e-4).states()
    assert soh == pytest.approx([1.0, 0.4]) and cycles == [0, 4000]


def test_a_study_file_can_ask_for_a_fixed_gap() -> None:
    # TOML has no null: the fixed gap the engine models could not be asked for, and leaving
    # the field out (as docs/study-file.md said) gave the default tie rods of 50 MN/m
    from cellwright.engines.mechanics.swelling_spec import SwellingSpec

    assert SwellingSpec(tie_stiffness="fixed").tie_stiffness is None
    assert SwellingSpec().tie_stiffness == pytest.approx(5e7)
    assert SwellingSpec(tie_stiffness="20 MN/m").tie_stiffness == pytest.approx(2e7)
