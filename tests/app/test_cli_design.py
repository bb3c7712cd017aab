"""``cellwright design show`` and ``design mesh`` as a user types them."""

from __future__ import annotations

import json

import pytest

from cellwright.app.cli import main
from cellwright.projects.design.reference_designs import lg_m50
from cellwright.projects.model import CoolingPlate, ModuleArrangement, PackDesign, ThermalInterface
from cellwright.projects.store import Project


def test_show_a_library_cell_design(capsys) -> None:
    assert main(["design", "show", "lg-m50"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("LG M50 (Chen2020)")
    assert "Jelly roll length" in out and "warning: no price" in out
    assert main(["design", "show", "lg-m50", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["figures"]["Capacity"]["unit"] == "A.h"
    assert data["figures"]["Capacity"]["value"] == pytest.approx(5.0, rel=0.05)


def test_show_a_project_pack_and_an_unknown_design(tmp_path, capsys) -> None:
    path = tmp_path / "p.cwproj"
    cell = lg_m50()
    pack = PackDesign(
        name="module 4s2p", cell=cell.id, series=4, parallel=2,
        arrangement=ModuleArrangement(rows=2, columns=4),
        cooling_plate=CoolingPlate(channel_count=2, channel_width=6e-3),
        thermal_interface=ThermalInterface(),
    )  # fmt: skip
    with Project.create(path) as p:
        p.put(cell)
        p.put(pack)
    assert main(["design", "show", "module 4s2p", "--project", str(path)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("module 4s2p") and "V" in out
    assert main(["design", "show", "no-such-cell"]) == 2
    assert "no library cell 'no-such-cell'" in capsys.readouterr().err


def test_mesh_writes_a_vtu_with_regions(tmp_path, capsys) -> None:
    import meshio

    out = tmp_path / "m50.vtu"
    # a size with its unit, as every other length a user types ("0.003" was the only form)
    assert main(["design", "mesh", "lg-m50", "--out", str(out), "--size", "3 mm"]) == 0
    assert "tetrahedra" in capsys.readouterr().out
    mesh = meshio.read(out)
    assert sum(len(c.data) for c in mesh.cells if c.type == "tetra") > 1000
    # imported again it keeps every region by name; top, bottom and ambient overlap other face
    # groups and were lost when meshio folded the sets into one array
    from support.regions import vtu_regions

    regions = vtu_regions(out)
    assert {"jelly_roll", "can", "top", "bottom", "ambient", "side"} <= set(regions)
    assert "volume_1" not in regions


def test_show_prices_the_design_as_the_project_does(tmp_path, capsys) -> None:
    """A price the project sets (``cost price``) is the builder's too: before, ``design show``
    and the window's Derived panel still said "no price for" a material the project's cost
    breakdown and report priced, and left it out of the material cost."""
    path = tmp_path / "p.cwproj"
    with Project.create(path) as p:
        p.put(lg_m50())

    def shown() -> dict:
        assert main(["design", "show", "lg-m50-chen2020", "-p", str(path), "--json"]) == 0
        return json.loads(capsys.readouterr().out)

    before = shown()
    assert any("nickel-plated-steel" in w for w in before["warnings"])
    assert before["figures"]["Cost: can"]["value"] == 0.0
    price = ["cost", "price", "nickel-plated-steel", "1.5", "-p", str(path), "--source", "quote"]
    assert main(price) == 0
    capsys.readouterr()
    after = shown()
    assert not any("nickel-plated-steel" in w for w in after["warnings"])
    can_mass = after["figures"]["Mass: can"]["value"] * 1e-3  # g -> kg
    assert after["figures"]["Cost: can"]["value"] == pytest.approx(1.5 * can_mass, rel=1e-6)
    added = after["figures"]["Material cost"]["value"] - before["figures"]["Material cost"]["value"]
    assert added == pytest.approx(after["figures"]["Cost: can"]["value"]
                                  + after["figures"]["Cost: cap assembly"]["value"])  # fmt: skip


def test_the_window_figures_price_a_design_as_the_project_does(tmp_path, library) -> None:
    """The builder's Derived panel (``app.design_figures``) takes the project's price of a
    material the library leaves unpriced: no "no price for" it, and its cost counted."""
    from cellwright.app.design_figures import design_figures
    from cellwright.projects.model import CostAssumptions, PriceOverride

    design = lg_m50()
    with Project.create(tmp_path / "p.cwproj") as project:
        project.put(design)
        before = design_figures(design, project, library)
        assert any("nickel-plated-steel" in w for w in before.warnings)
        quote = PriceOverride(value=1.5, source="a quote")
        project.put(CostAssumptions(prices={"nickel-plated-steel": quote}))
        after = design_figures(design, project, library)
    assert not any("nickel-plated-steel" in w for w in after.warnings)
    can_kg = after.report["Mass: can"][0] * 1e-3
    assert after.report["Cost: can"][0] == pytest.approx(1.5 * can_kg, rel=1e-6)


def test_a_porosity_edit_in_the_window_keeps_the_solids_make_up() -> None:
    """The Properties panel's edit of the LG M50 positive's porosity (ε_s stated, no binder)
    left the design uncomputable at 0.3 and was refused at 0.4; the stated active fraction
    now follows the solid (projects.design.authoring.with_solid_kept)."""
    from cellwright.app.commands import SetField

    design = lg_m50()
    assert SetField(None, design, "positive.porosity", 0.4).new.positive.active_volume_fraction \
        == pytest.approx(0.6)  # fmt: skip
    other = SetField(None, design, "positive.coating_thickness", 80e-6).new
    assert other.positive.active_volume_fraction == design.positive.active_volume_fraction


def test_design_delete_is_refused_while_a_pack_or_battery_refers_to_it(tmp_path, capsys) -> None:
    project = tmp_path / "p.cwproj"
    with Project.create(project) as p:
        p.put(lg_m50().model_copy(update={"id": "cell-1", "name": "LG M50 (entered)"}))
    args = ["-p", str(project)]
    assert (
        main(
            [
                "design",
                "new-pack",
                "4s2p",
                "--cell",
                "cell-1",
                "--series",
                "4",
                "--parallel",
                "2",
                *args,
            ]
        )
        == 0
    )
    assert main(["battery", "add", "SN-1", "--design", "cell-1", *args]) == 0
    capsys.readouterr()
    assert main(["design", "delete", "LG M50 (entered)", *args]) == 2
    err = capsys.readouterr().err
    assert (
        "cell design LG M50 (entered) is the cell of pack 4s2p and the design of battery SN-1;"
        in err
    )
    assert main(["design", "delete", "4s2p", *args]) == 0  # nothing refers to the pack
    assert "deleted pack design 4s2p" in capsys.readouterr().out
    assert main(["design", "delete", "nope", *args]) == 2
    assert "no cell or pack design 'nope' in this project" in capsys.readouterr().err
    with Project.open(project, readonly=True) as p:
        assert [c.id for c in p.list("cell")] == ["cell-1"] and p.list("pack") == []


def test_a_proposal_far_over_the_energy_says_why(tmp_path, capsys) -> None:
    """A 280 A.h cell at 400 V holds about 112 kW.h in one string: 60 kW.h asked gave 125s1p
    and its 112 kW.h with no word, in `design arrange` and `design new-pack` alike."""
    assert (
        main(["design", "arrange", "eve-lf280k", "--voltage", "400 V", "--energy", "60 kWh"]) == 0
    )
    err = capsys.readouterr().err
    assert "s1p in " in err and "more than the 60 kW.h asked: one string of 125 cells" in err
    path = tmp_path / "p.cwproj"
    assert main(["new", str(path)]) == 0
    args = ["--cell", "eve-lf280k", "--voltage", "400 V", "--project", str(path)]
    assert main(["design", "new-pack", "Big", *args, "--energy", "60 kWh"]) == 0
    assert "one string of 125 cells already holds" in capsys.readouterr().err
    # a target the proposal meets closely says nothing
    assert (
        main(["design", "arrange", "eve-lf280k", "--voltage", "400 V", "--energy", "110 kWh"]) == 0
    )
    assert "warning" not in capsys.readouterr().err
