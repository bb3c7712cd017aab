"""Design reports of the example project, read back as a person would: the PDF's text and images
(pypdf), the HTML's text; costs, bad templates, missing results and unwritable paths."""

from __future__ import annotations

import csv
import io
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from cellwright.app.report import TemplateError, build_report, render_html, write_report
from cellwright.projects.model import InputError, PriceOverride, Provenance, Result, Study
from cellwright.projects.store import Project

MODULE, VARIANT = "module-4s2p", "module-4s2p-parallel"


@pytest.fixture(scope="module")
def rendered(example_project, tmp_path_factory):
    """(content, html, pdf text, pdf reader) of the module's report, compared with its variant."""
    from pypdf import PdfReader
    from weasyprint import HTML

    with Project.open(example_project, readonly=True) as project:
        content = build_report(project, MODULE, compare=[VARIANT])
    html = render_html(content)
    pdf = tmp_path_factory.mktemp("report") / "report.pdf"
    HTML(string=html).write_pdf(pdf)
    reader = PdfReader(pdf)
    text = "\n".join(page.extract_text() for page in reader.pages)
    return content, html, text, reader


def _plain(html: str) -> str:
    """The HTML's visible text, whitespace collapsed (as a reader sees it)."""
    text = re.sub(r"<style>.*?</style>|<[^>]+>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", text.replace("&#39;", "'").replace("&amp;", "&"))


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def test_report_names_the_design_and_its_builder_figures(rendered, example_project) -> None:
    from cellwright.app.report.content import number, unit_shown
    from cellwright.projects.design import design_report
    from cellwright.projects.design.resolve import find_design

    _, html, pdf_text, _ = rendered
    with Project.open(example_project, readonly=True) as project:
        design, snapshot = find_design(MODULE, project)
        figures = design_report(design, snapshot)
    plain, pdf = _plain(html), _squeeze(pdf_text)
    assert design.name in plain and design.name in pdf
    for name in ("Capacity", "Energy", "Mass", "Volume", "Gravimetric energy density",
                 "Volumetric energy density", "Cell-to-pack mass fraction"):  # fmt: skip
        value, unit = figures[name]
        shown = f"{name} {number(value)} {unit_shown(unit)}".rstrip()
        assert shown in plain, shown
        assert shown in pdf, shown
    # a fraction has no unit "1"; a resistance is in µΩ, not "uohm"
    assert "fraction 0.847 1 " not in plain and "uohm" not in plain and "µΩ" in plain
    # the builder's materials-only cost (8 USD, 54 USD/kWh beside the model's 405 USD) and its
    # library-price "no price" warning are not shown against the Cost section
    assert "Material cost" not in plain and "Cost per energy" not in plain
    assert "counted as 0 in the cost" not in plain


def test_report_holds_every_chosen_study_with_a_plot_and_a_3d_picture(rendered) -> None:
    content, html, pdf_text, reader = rendered
    studies = [s.study.name for s in content.studies]
    # the module's own studies and those of its cell (the entered LG M50)
    assert len(studies) >= 5
    for name in studies:
        assert name in _plain(html)
        assert _squeeze(name) in _squeeze(pdf_text), name
    assert all(s.result is not None for s in content.studies)
    assert sum(len(s.pictures) for s in content.studies) >= 3
    # 3D pictures are raster images in the PDF; plots are vector (their axis text is text)
    images = [image for page in reader.pages for image in page.images]
    assert len(images) >= 3
    assert min(image.image.size[0] for image in images) >= 600
    assert "Time [min]" in pdf_text or "Time [s]" in pdf_text
    assert html.count("data:image/svg+xml") >= 4 and html.count("data:image/png") >= 3


def test_report_carries_verdicts_lab_data_passports_comparison_provenance(rendered) -> None:
    content, html, pdf_text, _ = rendered
    pdf = _squeeze(pdf_text)
    modes = next(s for s in content.studies if s.study.engine == "mechanics.modal")
    assert modes.passed is not None and modes.verdict in _plain(html)
    assert "Verdicts of the studies" in pdf
    assert content.lab and all(row["cycles"] >= 1 for row in content.lab)
    assert {p["serial"] for p in content.passports} <= set(pdf.split()) | {
        p["serial"] for p in content.passports if p["serial"] in pdf
    }
    assert content.passports and all(
        p["qr"].startswith("data:image/svg") for p in content.passports
    )
    assert "Comparison of variants" in pdf and content.comparison.names[1] in _plain(html)
    for s in content.studies:
        assert s.result.provenance.spec_hash[:16] in html
    # what each run assumed or substituted is printed beside its numbers (not the mesh stats)
    noted = [s for s in content.studies if s.notes]
    assert noted, "no study of the example has a run warning to show"
    plain = _plain(html)
    for s in noted:
        assert not any(n.startswith("mesh: ") for n in s.notes)
        for note in s.notes:
            assert _squeeze(note) in plain, note
    assert "Validation status of the engines" in pdf
    assert all(e["checked"] != "not validated: no reference in the suite" for e in content.engines)


def test_cost_breakdowns_sum_and_unpriced_materials_are_named(rendered) -> None:
    content, html, pdf_text, _ = rendered
    cost = content.cost
    for breakdown in (cost.cell, cost.pack):
        assert breakdown.total == pytest.approx(sum(line.cost for line in breakdown.lines))
    # the example project prices the ceramic separator and the 6061 plate itself (with sources)
    assert "separator-ceramic-pe" not in cost.unpriced
    assert {"gap-pad", "water-glycol-50", "nickel-plated-steel"} <= set(cost.unpriced)
    assert "No price for" in _plain(html) and "gap-pad" in _squeeze(pdf_text)
    assert f"{cost.pack.per_kwh:.4g} USD/kWh" in _plain(html)
    assert len(cost.sensitivity) == 5


def test_a_price_override_in_the_project_changes_the_report(example_project, tmp_path) -> None:
    from cellwright.app.report.content import gather  # the report's text, without its pictures

    copy = tmp_path / "copy.cwproj"
    with Project.open(example_project, readonly=True) as project:
        project.save_as(copy)
        before = gather(project, MODULE).cost
    with Project.open(copy) as project:
        a = project.get("cost_model", "cost")
        prices = {**a.prices, "gap-pad": PriceOverride(value=40.0, source="a supplier quote")}
        project.put(a.model_copy(update={"prices": prices}))
        after = gather(project, MODULE)
    assert "gap-pad" not in after.cost.unpriced
    assert after.cost.pack.total > before.pack.total
    html = _plain(render_html(after))
    assert f"{after.cost.pack.per_kwh:.4g} USD/kWh" in html
    assert f"{before.pack.per_kwh:.4g} USD/kWh" not in html
    name = after.material_names["gap-pad"]  # by name, its id beside it for `cost price`
    assert f"{name} (project) gap-pad" in html and "a supplier quote" in html


def test_a_missing_result_is_listed_as_missing(example_project, tmp_path) -> None:
    copy = tmp_path / "copy.cwproj"
    with Project.open(example_project, readonly=True) as project:
        project.save_as(copy)
    with Project.open(copy) as project:
        project.put(Study(id="never-run", name="Never run", engine="thermal.conduction",
                          design={"kind": "pack", "id": MODULE}))  # fmt: skip
        content = build_report(project, MODULE, studies=["Never run"])
        with pytest.raises(InputError, match=r"no study 'no such study'.*studies of"):
            build_report(project, MODULE, studies=["Never run", "no such study"])
        # the dialog with every study unticked asks for none of them, not all of them
        assert build_report(project, MODULE, studies=[]).studies == []
    assert any("Never run" in m and "no stored result" in m for m in content.missing)
    html = _plain(render_html(content))
    assert "missing: no stored result" in html and "Missing" in html


def test_a_design_without_figures_has_no_empty_sections(example_project) -> None:
    from cellwright.app.report.content import gather

    # the ECM cells of pack-4s3p have no geometry: no figures, no cost, no materials
    with Project.open(example_project, readonly=True) as project:
        content = gather(project, "pack-4s3p")
    assert not content.figures and not content.materials and not content.charts
    plain = _plain(render_html(content))
    assert "No figures or cost for this design: see Missing" in plain
    for heading in ("Breakdowns", "Figures", "Materials and their sources"):
        assert heading not in plain, heading


def test_a_template_error_names_the_template_file_and_line(tmp_path, example_project) -> None:
    from cellwright.app.report import DEFAULT_TEMPLATE

    folder = tmp_path / "mine"
    shutil.copytree(DEFAULT_TEMPLATE.parent, folder)
    template = folder / "report.html.j2"
    lines = template.read_text("utf-8").splitlines()
    lines[11] = "{% if c.project %}<p>unclosed"  # line 12
    template.write_text("\n".join(lines), "utf-8")
    out = tmp_path / "r.html"
    with pytest.raises(TemplateError) as error:
        write_report(example_project, MODULE, out, template=folder, studies=["dfn-1c"])
    assert "report.html.j2" in str(error.value) and not out.exists()
    lines[11] = "<p>{{ c.no_such_thing.name }}</p>"
    template.write_text("\n".join(lines), "utf-8")
    with pytest.raises(TemplateError) as error:
        write_report(example_project, MODULE, out, template=folder, studies=["dfn-1c"])
    assert f"{template}:12" in str(error.value) and "no_such_thing" in str(error.value)
    assert not out.exists()


def test_an_unwritable_output_path_is_a_clear_error(example_project, tmp_path) -> None:
    from cellwright.app.cli import main

    for out, says in ((tmp_path / "no" / "r.pdf", "does not exist"), (tmp_path, "is a folder"),
                      (tmp_path / "r.docx", ".pdf or .html")):  # fmt: skip
        with pytest.raises(InputError, match=re.escape(says)):
            write_report(example_project, MODULE, out)
    status = main(
        ["report", MODULE, "-p", str(example_project), "-o", str(tmp_path / "x" / "r.pdf")]
    )
    assert status == 2


def test_bad_input_to_the_cli_is_one_clear_line(example_project, tmp_path, capsys) -> None:
    from cellwright.app.cli import main

    good = str(tmp_path / "r.html")
    for args, says in (
        (["no-such-design", "-o", good], "no-such-design"),
        ([MODULE, "-o", str(tmp_path / "x" / "r.pdf")], "does not exist"),
        ([MODULE, "-o", str(tmp_path / "r.docx")], ".pdf or .html"),
        ([MODULE, "-o", good, "--study", "no-such-study"], "no study 'no-such-study'"),
    ):
        capsys.readouterr()
        assert main(["report", *args, "-p", str(example_project), "-q"]) == 2, args
        err = capsys.readouterr().err.strip()
        assert says in err and len(err.splitlines()) == 1 and "Traceback" not in err, err
    assert not list(tmp_path.glob("r.*"))
    # a folder no one may write in, whatever os.access tells root: refused before any work
    steps = []
    with pytest.raises(InputError, match="permission denied"):
        write_report(example_project, MODULE, "/sys/r.pdf", progress=lambda f, m: steps.append(m))
    assert steps == []


def test_the_cli_report_runs_without_qt(example_project, tmp_path) -> None:
    out = tmp_path / "cell.html"
    code = (
        "import sys; from cellwright.app.cli import main; "
        f"status = main(['report', 'lg-m50-entered', '-p', {str(example_project)!r}, "
        f"'-o', {str(out)!r}, '--study', 'm50-nail-runaway', '-q']); "
        "qt = [m for m in sys.modules "
        "if m.split('.')[0] in ('PySide6', 'pyvistaqt', 'pyqtgraph')]; "
        "print('QT', qt); sys.exit(status)"
    )
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}  # no DISPLAY: a server
    if "PYTHONPATH" in os.environ:  # the code under test, where that is not the installed one
        env["PYTHONPATH"] = os.environ["PYTHONPATH"]
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300,
                          env=env)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "QT []" in done.stdout
    # -q on a server without a display: nothing on stderr (VTK's "bad X server connection")
    assert "WARN" not in done.stderr and "X server" not in done.stderr, done.stderr
    html = out.read_text("utf-8")
    assert "LG M50 nail penetration" in html and "data:image/png" in html


def test_every_engine_has_its_validation_status(tmp_path) -> None:
    from cellwright.engines.api import available_engines
    from cellwright.resources import ROOT

    text = (ROOT / "report" / "engine_validation.csv").read_text("utf-8")
    rows = {row["engine"]: row for row in csv.DictReader(io.StringIO(text))}
    tests = Path(__file__).resolve().parents[1]
    for engine in available_engines():
        if engine.startswith("test."):
            continue
        assert engine in rows, engine
        for name in filter(None, (n.strip() for n in rows[engine]["tests"].split(";"))):
            assert list(tests.rglob(Path(name).name)), f"{engine}: {name} is not in tests/"


def test_numbers_are_shown_as_a_reader_wants_them() -> None:
    from cellwright.app.report.content import money, number

    # a count, not 1.977e+04; thousands grouped by a narrow space (SI), as the window shows it
    assert number(19771.0) == "19\u202f771" and number(1072.0) == "1072"
    assert number(12345.6) == "12\u202f346" and number(26.2612) == "26.26"
    assert number(2.756e-43) == "2.756 × 10⁻⁴³" and number(float("nan")) == "–"
    assert money(405.4123) == "405.41" and money(11009.0) == "11,009.00"
    assert money(2.84e-05) == "<\u00a00.01" and money(0.0) == "0.00"


def test_absolute_temperatures_in_tables_are_in_celsius() -> None:
    from cellwright.app.report.study_sections import _table

    _, columns, rows = _table("cells", {"Cell [-]": [0.0], "Peak temperature [K]": [1238.0],
                                            "Temperature rise [K]": [5.97]})  # fmt: skip
    assert columns == ["Cell", "Peak temperature [°C]", "Temperature rise [K]"]
    assert rows == [["0", "964.9", "5.97"]]


def test_the_passport_summary_shows_real_attributes_with_their_units() -> None:
    from cellwright.app.report.linked import PASSPORT_KEYS, _unit
    from cellwright.projects.passport.attributes import attribute

    for key in PASSPORT_KEYS:
        attribute(key)  # raises for a key the passport does not have
    assert _unit(attribute, "rated_capacity") == "Ah"
    assert _unit(attribute, "manufacturing_date") == ""
    from cellwright.app.report.linked import _show

    shown = _show({"identifier": "lg", "postalAddress": {"addressCountry": "Korea", "n": 2.0}})
    assert shown == "identifier: lg, postal address: (address country: Korea, n: 2)"
    # a date as a date, not "2024-02-20T00:00:00+00:00"; a time to the minute, in UTC
    assert _show("2024-02-20T00:00:00+00:00") == "2024-02-20"
    assert _show("2024-02-20T13:05:00+02:00") == "2024-02-20 11:05 UTC"
    from cellwright.app.report.linked import _text

    # the category as the regulation names it, not the stored "ev"
    assert _text(attribute, "battery_category", "ev") == "electric vehicle (EV)"
    assert _text(attribute, "rated_capacity", 5.0) == "5 Ah"


def test_a_mode_shape_is_captioned_by_its_mode_and_frequency() -> None:
    import numpy as np

    from cellwright.app.report.pictures import _field_caption

    result = Result(name="modes", tables={"modes": {"Mode [-]": np.array([1.0, 2.0]),
                                                    "Frequency [Hz]": np.array([147.7, 191.9])}},
                    provenance=Provenance(engine_id="mechanics.modal", engine_version="1",
                                          spec_hash=""))  # fmt: skip
    caption = _field_caption(result, "Mode shape [-]", "Mode shape [-]", [1.0, 2.0], 0)
    assert caption == "Mode shape of mode 1 of 2 at 147.7 Hz"
    # a single frame (a random-vibration response) is no moment in time
    assert (
        _field_caption(result, "RMS stress [Pa]", "RMS stress [Pa]", [0.0], 0) == "RMS stress [Pa]"
    )


def test_every_cost_assumption_has_its_unit_in_the_report() -> None:
    from cellwright.app.report.content import ASSUMPTION_UNITS
    from cellwright.projects.model import CostAssumptions

    fields = CostAssumptions.model_fields
    numeric = {n for n, f in fields.items() if f.annotation in (int, float)}
    assert numeric and numeric <= set(ASSUMPTION_UNITS), numeric - set(ASSUMPTION_UNITS)
    assert ASSUMPTION_UNITS["pack_assembly"] == "USD/pack"


@pytest.mark.parametrize(("passes", "expected"), [(1.0, True), (0.0, False), (float("nan"), None)])
def test_a_crush_verdict_is_shown_as_the_engine_gives_it(passes, expected) -> None:
    # a squeeze that shorts leaves the verdict to its chained runaway study (NaN): no verdict
    from cellwright.app.report.study_sections import _verdict
    from cellwright.projects.model import Provenance, Result

    result = Result(
        name="Crush",
        message="GB 38031-2020 §8.1.6 (cell squeeze): stopped by 100 kN",
        scalars={"Passes [-]": passes},
        provenance=Provenance(engine_id="mechanics.crush", engine_version="1.0", spec_hash=""),
    )
    assert _verdict(result) == (result.message, expected)


def test_a_crushs_lengths_are_in_mm_in_the_report_and_a_flow_path_in_m() -> None:
    import numpy as np

    from cellwright.app.report.pictures import series_plot
    from cellwright.app.report.study_sections import _headline, _scalar_row, _table

    assert _scalar_row("Displacement at peak force [m]", 4.12e-3, True) == (
        "Displacement at peak force", "4.12", "mm")  # fmt: skip
    assert _scalar_row("Flow path length [m]", 2.4) == ("Flow path length", "2.4", "m")
    _, columns, rows = _table("onsets", {"Travel [m]": [0.0031], "Force [N]": [5e3]}, True)
    assert (columns, rows) == (["Travel [mm]", "Force [N]"], [["3.1", "5000"]])
    travel = np.linspace(0.0, 4e-3, 5)
    result = Result(
        name="Crush",
        series={"Time [s]": travel / 1e-4, "Displacement [m]": travel},
        provenance=Provenance(engine_id="mechanics.crush", engine_version="1", spec_hash=""),
    )
    assert _headline(result) == "Displacement: 0 to 4 mm"
    import base64

    svg = base64.b64decode(series_plot(result, "Displacement [m]").split(",", 1)[1]).decode()
    assert "Displacement [mm]" in svg  # the y axis


def test_a_field_pictures_colour_bar_title_clears_its_top_label() -> None:
    """The title ("W.m-3") sat on the top tick label ("9.773e+04") with 3 px between them."""
    import base64

    import numpy as np
    from PIL import Image

    from cellwright.app.report.pictures import field_picture
    from support.viewer_data import cylinder_result

    _, uri = field_picture(cylinder_result(), "Heat source [W.m-3]", None)
    picture = Image.open(io.BytesIO(base64.b64decode(uri.split(",", 1)[1])))
    grey = np.asarray(picture.convert("L"))
    # the dark text right of x = 0.86 (the bar's place) in the top quarter: title, then label
    text = (grey[: grey.shape[0] // 4, int(0.86 * grey.shape[1]) :] < 90).any(axis=1)
    rows = np.flatnonzero(text)
    gaps = np.diff(rows) - 1
    assert gaps.size and gaps.max() >= 8, f"title and top label {gaps.max()} px apart"


def test_a_study_battery_or_pack_naming_the_design_by_its_name_is_in_its_report(tmp_path) -> None:
    # a study file's `cell = "<name>"` and `battery add --design <name>` keep the name: the
    # report matched ids only, and left such a study and passport out without a word
    from cellwright.app.report.content import gather, related_studies
    from cellwright.projects.design.authoring import new_pack
    from cellwright.projects.passport.batteries import add_battery
    from support.studies import M50_ID, m50_project

    with Project.open(m50_project(tmp_path / "p.cwproj")) as project:
        cell = project.get("cell", M50_ID)
        pack = new_pack("Named pack", cell.name, series=2, parallel=1)  # its cell by name
        project.put(pack)
        by_name = Study(name="By name", engine="electrochem.ecm",
                        design={"kind": "cell", "id": cell.name})  # fmt: skip
        by_id = Study(name="By id", engine="electrochem.ecm",
                      design={"kind": "cell", "id": cell.id})  # fmt: skip
        other = Study(name="Other", engine="electrochem.ecm",
                      design={"kind": "library_cell", "id": "lg-m50"})  # fmt: skip
        for study in (by_name, by_id, other):
            project.put(study)
        add_battery(project, "SN-1", design=cell.name)
        assert [s.name for s in related_studies(project, cell)] == ["By id", "By name"]
        assert [s.name for s in related_studies(project, pack)] == ["By id", "By name"]
        content = gather(project, cell.name)
    assert [s.study.name for s in content.studies] == ["By id", "By name"]
    assert [p["serial"] for p in content.passports] == ["SN-1"]
    assert any("'By name': no stored result" in m for m in content.missing)


def test_flags_read_yes_or_no_and_tables_are_titled_in_words() -> None:
    # a manager read "Passes target 1", "Runaway [-] 1" and tables headed "psd" and "modes"
    from cellwright.app.report.study_sections import _scalar_row, _table

    assert _scalar_row("Passes target [-]", 1.0) == ("Passes target", "yes", "")
    assert _scalar_row("Runaway [-]", 0.0) == ("Runaway", "no", "")
    assert _scalar_row("Passes [-]", float("nan")) == ("Passes", "–", "")
    assert _scalar_row("SEI decomposed [-]", 1.0) == ("SEI decomposed", "1", "")  # a fraction
    # a cell's stack volume in cm^3, not 1.918e-05 m^3; a pack's in m^3 as it is
    assert _scalar_row("Stack volume [m^3]", 1.918e-05) == ("Stack volume", "19.18", "cm^3")
    assert _scalar_row("Pack volume [m^3]", 0.25) == ("Pack volume", "0.25", "m^3")
    title, columns, rows = _table("modes", {"Mode": [1.0, 2.0], "Rigid-body mode [-]": [1.0, 0.0],
                                            "Frequency [Hz]": [0.0, 147.7]})  # fmt: skip
    assert (title, columns) == ("Modes", ["Mode", "Rigid-body mode", "Frequency [Hz]"])
    fraction = _table("modes", {"Effective mass fraction X [-]": [0.5]})[1]
    assert fraction == ["Effective mass fraction X"]  # as the scalars show a fraction
    assert rows == [["1", "yes", "0"], ["2", "no", "147.7"]]
    psd = {"Frequency [Hz]": [float(f) for f in range(5, 25)], "Input PSD [g^2/Hz]": [0.015] * 20}
    assert _table("psd", psd)[0] == "Power spectral densities (PSD) (first 12 of 20 rows)"
    assert _table("coolant branches", {"Branch": [0.0]})[0] == "Coolant branches"


@pytest.mark.parametrize(("exceeds", "expected"), [(1.0, False), (0.0, True)])
def test_a_swelling_study_is_judged_against_its_force_limit(exceeds, expected) -> None:
    # "passes the design limit 3000 N from cycle 1750 ... (no pass/fail criterion)": the study
    # has a criterion, its end plates' force limit, and the engine says whether it is exceeded
    from cellwright.app.report.study_sections import _verdict

    result = Result(
        name="Swelling",
        message="over life the force at 100 % SOC passes the design limit 3000 N from cycle 1750",
        scalars={"Force limit [N]": 3000.0, "Exceeds force limit [-]": exceeds},
        provenance=Provenance(engine_id="mechanics.swelling", engine_version="1", spec_hash=""),
    )
    assert _verdict(result) == (result.message, expected)


def test_curves_and_spectra_are_labelled_in_words() -> None:
    # the runaway legend read "cell_0000 maximum temperature", a spectrum's caption "psd: …"
    import base64

    import numpy as np

    from cellwright.app.report import pictures
    from cellwright.app.report.content import StudySection
    from cellwright.app.report.illustrate import _study_pictures

    t = np.linspace(0.0, 100.0, 11)
    result = Result(
        name="Runaway",
        series={"Time [s]": t, "Maximum temperature [K]": 300 + t,
                "cell_0000 maximum temperature [K]": 300 + t,
                "cell_0011 maximum temperature [K]": 299 + t},
        tables={"psd": {"Frequency [Hz]": np.array([5.0, 10.0, 20.0]),
                        "Input PSD [g^2/Hz]": np.array([0.01, 0.01, 0.001])}},
        provenance=Provenance(engine_id="thermal.runaway", engine_version="1", spec_hash=""),
    )  # fmt: skip
    study = Study(name="s", engine="thermal.runaway", design={"kind": "cell", "id": "c"})
    section = StudySection(study, result)
    _study_pictures(section, pictures)
    captions = [caption for caption, _ in section.plots]
    assert captions == ["Maximum temperature against time", "Input PSD against frequency"]
    svg = base64.b64decode(section.plots[0][1].split(",", 1)[1]).decode()
    assert "Cell 0 maximum temperature" in svg and "Cell 11 maximum temperature" in svg
    assert "cell_00" not in svg


def test_a_section_names_what_it_leaves_out_and_the_design_its_materials(tmp_path) -> None:
    # past 24 figures and 2 tables a study's section dropped the rest without a word; the
    # design named its electrodes by library id ("nmc811") and classes as enums
    import numpy as np

    from cellwright.app.report.content import gather
    from cellwright.app.report.study_sections import NOTES, SCALAR_ROWS, TABLES
    from support.studies import M50_ID, m50_project

    scalars = {f"Figure {k} [W]": float(k) for k in range(SCALAR_ROWS + 2)}
    tables = {f"table {k}": {"Cell": np.array([0.0, 1.0])} for k in range(TABLES + 1)}
    with Project.open(m50_project(tmp_path / "p.cwproj")) as project:
        study = Study(name="Many", engine="electrochem.ecm", design={"kind": "cell", "id": M50_ID})
        project.put(study)
        warnings = [f"cell {k}: estimated from its datasheet" for k in range(NOTES + 3)]
        provenance = Provenance(engine_id="electrochem.ecm", engine_version="1", spec_hash="",
                                warnings=warnings)  # fmt: skip
        project.put_result(Result(name="Many", study_id=study.id, scalars=scalars,
                                  tables=tables, provenance=provenance))  # fmt: skip
        content = gather(project, M50_ID)
        snapshot_names = dict(content.material_names)
    section = content.studies[0]
    assert len(section.scalars) == SCALAR_ROWS and len(section.tables) == TABLES
    last = SCALAR_ROWS + 1
    assert section.left_out == (
        f"Not shown here: 2 more figures (Figure {SCALAR_ROWS}, Figure {last}) and 1 more "
        f"table (Table {TABLES}); the stored result holds them (open it in the Cellwright "
        "window)."
    )
    assert section.notes[:NOTES] == warnings[:NOTES]
    assert section.notes[NOTES:] == ["… and 3 more warnings in the stored result"]
    assert section.warnings_total == NOTES + 3
    text = _plain(render_html(content))
    assert section.left_out in text
    assert f"{NOTES + 3} run warnings: see its section" in text  # in the summary: all of them
    stack = dict(content.stack)
    design = content.design
    positive = snapshot_names[design.positive.active_material]
    assert positive != design.positive.active_material  # the library has its name
    assert stack["Positive electrode"].startswith(f"{positive}, ")
    assert stack["Electrolyte"] == snapshot_names[design.electrolyte]
    classes = {m["class"] for m in content.materials}
    assert "cathode active" in classes and not any("_" in c for c in classes)
    assert f"{positive}, " in text


@pytest.mark.parametrize(
    ("name", "centre", "swing"),
    [("Minimum cell voltage [V]", 3.6, 1e-4), ("Gap [m]", 2e-5, 1e-6), ("Force [N]", 2e6, 1e4)],
)
def test_a_curves_ticks_carry_their_whole_values_beside_the_unit(name, centre, swing) -> None:
    # matplotlib wrote 3.6 V +- 0.1 mV as ticks -0.0001..0.0001 with "+3.6" at the axis' end,
    # and 20 um as 1.90..2.10 with "1e-5": beside "[V]" and "[m]", a second unit
    import base64

    import numpy as np

    from cellwright.app.report.pictures import series_plot

    t = np.linspace(0.0, 100.0, 50)
    values = centre + swing * np.sin(t)
    result = Result(
        name="r",
        series={"Time [s]": t, name: values},
        provenance=Provenance(engine_id="x", engine_version="1", spec_hash=""),
    )
    svg = base64.b64decode(series_plot(result, name).split(",", 1)[1]).decode()
    texts = [t.strip() for t in re.findall(r"<text[^>]*>(.*?)</text>", svg, flags=re.S)]
    labels = texts[texts.index("Time [s]") + 1 : texts.index(name)]  # the y axis' ticks
    assert labels and not any("e" in t for t in labels)
    assert texts[texts.index(name) + 1 :] == []  # no offset or factor after the label
    ticks = [float(t.replace("\u2212", "-")) for t in labels]
    assert min(ticks) >= centre - 2 * swing and max(ticks) <= centre + 2 * swing
