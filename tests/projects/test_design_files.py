"""Design files: the documented examples load, every design round-trips unchanged through TOML
and JSON, and bad files are refused with the file, the line and the field."""

from __future__ import annotations

import re

import pytest

from cellwright.projects.design import design_report
from cellwright.projects.design.authoring import new_pack
from cellwright.projects.design.design_file import dumps_design, loads_design, read_design_file
from cellwright.projects.design.reference_designs import kokam_slpb_75106100, lg_m50
from cellwright.projects.design.resolve import design_snapshot
from cellwright.projects.design.templates import TEMPLATES, new_cell_from_template
from cellwright.projects.model import InputError
from cellwright.resources import ROOT as RESOURCES
from support.paths import ROOT

EXAMPLES = RESOURCES / "examples" / "designs"
DOC = ROOT / "docs" / "design-file.md"


def _doc_blocks() -> list[str]:
    return re.findall(r"```toml\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)


@pytest.mark.parametrize("name", ["lfp-21700.toml", "module-4s2p.toml"])
def test_worked_examples_are_the_shipped_files(name) -> None:
    text = (EXAMPLES / name).read_text(encoding="utf-8")
    body = "\n".join(line for line in text.splitlines() if not line.startswith("#")).strip()
    assert body in [block.strip() for block in _doc_blocks()]


def test_lfp_example_has_the_documented_figures(library) -> None:
    cell = read_design_file(EXAMPLES / "lfp-21700.toml").cell
    assert cell.positive.active_material == "lfp" and cell.positive.stoichiometry_min is None
    # the voltage window of the library's LFP-graphite cell (A123 ANR26650M1B datasheet)
    assert (cell.min_voltage, cell.nominal_voltage, cell.max_voltage) == (2.0, 3.3, 3.6)
    report = design_report(cell, design_snapshot(cell, None, library))
    assert report["Capacity"][0] == pytest.approx(3.88, abs=0.005)
    assert report["Energy"][0] == pytest.approx(12.8, abs=0.05)
    assert report["Mass"][0] == pytest.approx(63.6, abs=0.05)


def test_module_example_uses_its_own_cell(library) -> None:
    designs = read_design_file(EXAMPLES / "module-4s2p.toml")
    assert designs.pack.cell == designs.cell.id == "m50-module-cell"
    assert designs.cell.positive == lg_m50().positive
    report = design_report(designs.pack, library.snapshot_for(designs.cell, designs.pack))
    assert report["Cells"][0] == 8 and report["Nominal voltage"][0] == pytest.approx(4 * 3.63)


def test_a_pack_naming_its_cell_by_name_stores_the_id_and_the_cell_knows_its_users(
    tmp_path, library
) -> None:
    """A design file may name a pack's cell by the name of a project design; the pack stored
    that name, so renaming the cell lost the pack's cell, and deleting it warned of no user."""
    from cellwright.projects.store import Project
    from cellwright.projects.store.references import referrers

    with Project.create(tmp_path / "p.cwproj") as project:
        cell = lg_m50().model_copy(update={"id": "cell-7", "name": "Module cell"})
        project.put(cell)
        pack = loads_design('[pack]\nname = "m"\ncell = "Module cell"\nseries = 2\n', "f.toml",
                            project, library).pack  # fmt: skip
        assert pack.cell == "cell-7"
        both = loads_design('[cell]\nid = "own"\nname = "Own"\nfrom = "template:21700"\n'
                            '[pack]\nname = "n"\ncell = "Own"\nseries = 2\n', "g.toml",
                            project, library)  # fmt: skip
        assert both.pack.cell == both.cell.id == "own"
        # a pack stored before, by the cell's name, still counts as a user of the cell
        project.put(pack.model_copy(update={"cell": "Module cell"}))
        assert referrers(project, "cell", cell.id) == ["the cell of pack m"]
        other = lg_m50().model_copy(update={"id": "Module cell", "name": "x"})
        project.put(other)  # now the name is another design's id, which find() prefers
        assert referrers(project, "cell", cell.id) == []
        assert referrers(project, "cell", other.id) == ["the cell of pack m"]


CELL_POUCH = '[cell]\nname = "c"\nfrom = "template:pouch"\n'


@pytest.mark.parametrize(("material", "volts"), [("nmc532", 3.890), ("lmfp", 3.64)])
def test_new_cell_without_reference_takes_the_materials_mean_potentials(
    library, material, volts
) -> None:
    """No library cell of NMC532 or LMFP lends its voltages: the nominal voltage is the
    positive's voltage_average less the negative's (graphite-natural, 0.1 V)."""
    text = f'{CELL_POUCH}[cell.positive]\nactive_material = "{material}"\n'
    cell = loads_design(text, "f.toml", library=library).cell
    assert cell.nominal_voltage is None and cell.negative.active_material == "graphite-natural"
    report = design_report(cell, design_snapshot(cell, None, library))
    assert report["Nominal voltage"][0] == pytest.approx(volts - 0.1, abs=1e-9)


def test_a_misspelt_parameter_set_is_refused_at_its_line(library) -> None:
    # it was stored, and failed only when a study ran on the design
    text = f'{CELL_POUCH}pybamm_parameter_set = "Chen2021x"\n'
    with pytest.raises(InputError, match=r"f\.toml:4: cell\.pybamm_parameter_set: unknown "
                       r"PyBaMM parameter set 'Chen2021x'; known: .*Chen2020"):  # fmt: skip
        loads_design(text, "f.toml", library=library)
    # a lead-acid set is installed with PyBaMM, but no cell design is modelled by it
    with pytest.raises(InputError, match=r"unknown PyBaMM parameter set 'Sulzer2019'"):
        loads_design(text.replace("Chen2021x", "Sulzer2019"), "f.toml", library=library)
    chen = loads_design(text.replace("Chen2021x", "Chen2020"), "f.toml", library=library)
    assert chen.cell.pybamm_parameter_set == "Chen2020"


def test_a_design_file_can_start_from_a_datasheet_estimate(library) -> None:
    text = '[cell]\nname = "A 4680"\nfrom = "datasheet:tesla-4680"\n'
    text += '[cell.geometry]\ncan_wall_thickness = "0.6 mm"\n'
    cell = loads_design(text, "f.toml", library=library).cell
    assert cell.name == "A 4680" and cell.reference_cell == "tesla-4680"
    assert cell.geometry.diameter == 46e-3 and cell.geometry.can_wall_thickness == 0.6e-3
    assert cell.positive.active_material == "nmc811"
    with pytest.raises(InputError, match=r"f\.toml:3: cell\.from: no library cell 'no-such'"):
        loads_design('[cell]\nname = "x"\nfrom = "datasheet:no-such"\n', "f.toml",
                     library=library)  # fmt: skip


def _designs():
    yield from (new_cell_from_template(key) for key in TEMPLATES)
    yield lg_m50()
    yield kokam_slpb_75106100()


@pytest.mark.parametrize("fmt", ["toml", "json"])
def test_every_design_round_trips_unchanged(fmt) -> None:
    for cell in _designs():
        back = loads_design(dumps_design(cell, fmt=fmt), f"x.{fmt}").cell
        assert back == cell, cell.name


@pytest.mark.parametrize("fmt", ["toml", "json"])
def test_a_pack_with_every_part_round_trips_with_its_cell(fmt, library) -> None:
    cell = new_cell_from_template("21700", "Cell")
    parts = ("arrangement", "busbar", "cooling_plate", "thermal_interface", "enclosure")
    pack = new_pack("96s4p", "lg-m50", 96, 4, parts)
    assert pack.enclosure is not None and pack.arrangement.columns == 12
    pack = pack.model_copy(update={"cell": cell.id})
    back = loads_design(dumps_design(cell, pack, fmt), f"x.{fmt}")
    assert back.cell == cell and back.pack == pack


def _refused(text: str, match: str) -> None:
    with pytest.raises(InputError, match=match):
        loads_design(text, "f.toml")


CELL = '[cell]\nname = "c"\nfrom = "template:21700"\n'


@pytest.mark.parametrize(
    "text, match",
    [
        ('[cell\nname = "c"\n', r"f.toml: not valid TOML: .*line 1"),
        ('format_version = 7\n[cell]\nname = "c"\n', r"f.toml:1: format_version 7"),
        ('format_version = 7\n[cell]\nname = "c"\n', r"7: the file is of a newer format"),
        ('format_version = "1"\n[cell]\nname = "c"\n', r"f.toml:1: format_version '1': must be"),
        ('format_version = true\n[cell]\nname = "c"\n', r"f.toml:1: format_version True: must"),
        ("[stack]\nx = 1\n", r"f.toml:1: \[stack\] a design file holds a \[cell\]"),
        ('[cell]\nfrom = "template:21700"\n', r"f.toml:1: cell.name: required field is missing"),
        ('[cell]\nname = "c"\nfrom = "templat:21700"\n', r"f.toml:3: cell.from: 'templat:21700'"),
        (CELL + '[cell.positive]\nactive_material = "lfpp"\n',
         r"f.toml:5: cell.positive.active_material: no material 'lfpp' .* did you mean lfp"),
        (CELL + '[cell.positive]\nactive_material = "graphite-natural"\n',
         r"f.toml:5: cell.positive.active_material: 'graphite-natural' is an anode_active"),
        (CELL + 'separator = "lp57"\n', r"f.toml:4: cell.separator: 'lp57' is an electrolyte"),
        (CELL + '[cell.positive]\ncoating_thikness = "80 um"\n',
         r"f.toml:5: cell.positive.coating_thikness: unknown field; did you mean coating_thick"),
        (CELL + "[cell.positive]\nporosity = 0.95\n",
         r"f.toml:5: cell.positive.porosity: Input should be less than or equal to 0.8"),
        (CELL + '[cell.geometry]\ndiameter = "21 kg"\n',
         r"f.toml:5: cell.geometry.diameter: '21 kg' cannot be expressed in m"),
        (CELL + "[cell.geometry]\njelly_roll_length = 1.2\n",
         r"f.toml:5: cell.geometry.jelly_roll_length: 1.200 m is longer than the can holds"),
        (CELL + '[pack]\nname = "m"\nseries = 4\nparallel = 2\n[pack.arrangement]\nrows = 3\n'
         "columns = 4\n", r"f.toml:8: pack.arrangement: 8 cells \(4s2p\) do not fill whole"),
        ('[pack]\nname = "p"\ncell = "lg-m5"\nseries = 2\n',
         r"f.toml:3: pack.cell: no library cell 'lg-m5' .* did you mean lg-m50"),
        ('[pack]\nname = "p"\nseries = 2\n', r"f.toml:1: pack.cell: name the pack's cell"),
        # pydantic read true as 1: a 2s1p pack
        (CELL + '[pack]\nname = "m"\nseries = 2\nparallel = true\n',
         r"f.toml:7: pack.parallel: a number is needed, not true"),
        ('{"cell": {"name": "c", "from": "template:21700", "x": 1}}',
         r"f.toml:1: cell.x: unknown field"),
        ('{\n  "cell": {\n    "name": "c",\n    "from": "template:21700",\n'
         '    "positive": {\n      "porosity": 0.95\n    }\n  }\n}\n',
         r"f.toml:6: cell.positive.porosity: Input should be less than or equal to 0.8"),
        ('{"cell": {"name": "c",\n "from": "template:21700",\n "geometry": {\n'
         ' "diameter": "21 kg"}}}', r"f.toml:4: cell.geometry.diameter: '21 kg' cannot be"),
        ('{"pack": {"name": "p", "series": 2,\n "cell": "lg-m5"}}',
         r"f.toml:2: pack.cell: no library cell 'lg-m5'"),
        ('{"cell": 5', r"f.toml: line 1: not valid JSON"),
    ],
)  # fmt: skip
def test_bad_files_name_file_line_and_field(text, match) -> None:
    _refused(text, match)


@pytest.mark.parametrize(
    ("text", "match"),
    [("[1, 2]", "a JSON design file is an object with cell and/or pack"),
     ('cell = "c"', "line 1: not valid JSON")],
)  # fmt: skip
def test_a_json_file_is_read_as_json_whatever_it_starts_with(text, match) -> None:
    # refused as "f.json: not valid TOML: …": the wrong language for the file given
    with pytest.raises(InputError, match=f"^f.json: {match}"):
        loads_design(text, "f.json")


def test_the_documented_errors_are_what_cellwright_says() -> None:
    documented = re.findall(r"^error: \S+?:(\d+): (.+)$", DOC.read_text(), re.M)
    assert len(documented) == 5
    texts = {
        "pack.arrangement": CELL + '[pack]\nname = "m"\nseries = 4\nparallel = 2\n\n\n'
        "[pack.arrangement]\nrows = 3\ncolumns = 4\n",
        "cell.positive.active_material: no": CELL + '[cell.positive]\nactive_material = "lfpp"\n',
        "cell.positive.active_material: 'g": CELL
        + '[cell.positive]\nactive_material = "graphite-natural"\n',
        "cell.positive.coating_thikness": CELL + '[cell.positive]\ncoating_thikness = "80 um"\n',
        "cell.geometry.jelly_roll_length": CELL + "[cell.geometry]\njelly_roll_length = 1.2\n",
    }
    for line, message in documented:
        key = next(k for k in texts if message.startswith(k))
        with pytest.raises(InputError) as caught:
            loads_design(texts[key], "f.toml")
        said = str(caught.value)
        assert said.startswith(f"f.toml:{line}: "), said
        assert said.endswith(message.removesuffix("…")) or (
            message.endswith("…") and (message.removesuffix("…") in said)
        ), said


def test_a_hand_written_file_without_format_version_reads_as_version_1() -> None:
    text = dumps_design(lg_m50(), None, "toml")
    bare = "\n".join(line for line in text.splitlines() if not line.startswith("format_version"))
    assert "format_version" not in bare
    assert loads_design(bare, "f.toml").cell == loads_design(text, "f.toml").cell


def test_a_new_negative_potential_takes_the_old_voltage_window_away(library) -> None:
    """An LMO/LTO cell from the 18650 template kept the NMC811/graphite window, 2.5-4.2 V at
    3.63 V nominal (45 % more energy than its 2.55 V): no library cell lends LMO/LTO a
    window, and an LTO negative sits 1.4 V above graphite's."""
    start = 'format_version = 1\n[cell]\nname = "C"\nfrom = "template:18650"\n'
    lto = '[cell.positive]\nactive_material = "lmo"\n[cell.negative]\nactive_material = "lto"\n'
    cell = loads_design(start + lto, "f.toml", library=library).cell
    assert (cell.nominal_voltage, cell.min_voltage, cell.max_voltage) == (None, None, None)
    report = design_report(cell, design_snapshot(cell, None, library))
    assert report["Nominal voltage"][0] == pytest.approx(4.1 - 1.55)
    assert "Maximum voltage" not in report
    # a window the file names is the cell's
    own = start + 'min_voltage = "1.5 V"\nmax_voltage = "2.8 V"\nnominal_voltage = "2.4 V"\n'
    cell = loads_design(own + lto, "f.toml", library=library).cell
    assert (cell.nominal_voltage, cell.min_voltage, cell.max_voltage) == (2.4, 1.5, 2.8)
    # a positive of a near potential keeps the template's window (NMC811 to LMO: 0.19 V)
    near = start + '[cell.positive]\nactive_material = "lmo"\n'
    cell = loads_design(near, "f.toml", library=library).cell
    assert (cell.nominal_voltage, cell.min_voltage, cell.max_voltage) == (3.63, 2.5, 4.2)
