"""A design's report holds its design studies: what each varied (with units), its goals, how many
points ran and what it found. The report left them out without a word: a manager read the
design's figures with no sign that its coating thickness was chosen on a Pareto front."""

from __future__ import annotations

import re

import pytest

from cellwright.app.report import render_html
from cellwright.app.report.content import gather
from cellwright.projects.model import DesignStudy, PointStatus, StudyPoint
from cellwright.projects.store import Project
from support.studies import M50_ID, m50_project

THICKNESS, RATE = "design.positive.coating_thickness", "spec.c_rate"
DENSITY, USE, NP = "Energy density [W.h.L-1]", "Capacity utilisation [1]", "N/P ratio"
VOLUME, COST = "Cell volume [m3]", "Material cost [USD]"


def _plain(html: str) -> str:
    text = re.sub(r"<style>.*?</style>|<[^>]+>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", text.replace("&#39;", "'").replace("&amp;", "&"))


def _study(name: str, **changes) -> DesignStudy:
    data = {
        "name": name,
        "engine": "electrochem.pybamm_discharge",
        "design": {"kind": "cell", "id": M50_ID},
        "inputs": [{"path": THICKNESS, "low": 60e-6, "high": 80e-6, "unit": "m"},
                   {"path": RATE, "low": 0.5, "high": 2.0}],
        "sampler": "lhs",
        "points": 4,
    }  # fmt: skip
    data.update(changes)
    return DesignStudy.model_validate(data)


def _put_points(project, study: DesignStudy, rows) -> None:
    """Store points (thickness, rate, density, utilisation, N/P); None: a failed point."""
    for k, row in enumerate(rows):
        point = StudyPoint(id=f"{study.id}.{k:05d}", name=f"{study.name} #{k}", study=study.id,
                           index=k, values={THICKNESS: 60e-6 + 5e-6 * k, RATE: 1.0})  # fmt: skip
        if row is None:
            point = point.model_copy(update={"status": PointStatus.FAILED, "error": "no fit"})
        else:
            outputs = {DENSITY: row[0], USE: row[1], NP: row[2], VOLUME: 2.453e-5, COST: 0.94}
            point = point.model_copy(update={"status": PointStatus.DONE, "outputs": outputs})
        project.put(point)


@pytest.fixture
def report(tmp_path):
    """(content, visible text) of the M50's report with three design studies and another
    design's."""
    front = _study(
        "Thickness front",
        sampler="tpe",
        objectives=[{"output": DENSITY, "direction": "maximize"},
                    {"output": USE, "direction": "maximize"}],
        constraints=[{"output": NP, "min": 1.1}],
    )  # fmt: skip
    best = _study("Densest", objectives=[{"output": DENSITY, "direction": "maximize"}])
    explore = _study("Explore")
    unrun = _study("Not yet")
    other = _study("Elsewhere", design={"kind": "library_cell", "id": "lg-m50"})
    with Project.open(m50_project(tmp_path / "p.cwproj")) as project:
        for study in (front, best, explore, unrun, other):
            project.put(study)
        # #0 and #1 on the front; #2 beaten by #1 on both; #3 the densest but below N/P 1.1
        rows = [(700.0, 0.95, 1.2), (750.0, 0.94, 1.2), (720.0, 0.93, 1.2),
                (800.0, 0.99, 1.0), None]  # fmt: skip
        for study in (front, best, explore, other):
            _put_points(project, study, rows)
        content = gather(project, M50_ID)
    return content, _plain(render_html(content))


def _by_name(content) -> dict:
    return {d.study.name: d for d in content.design_studies}


def test_every_design_study_of_the_design_has_a_section(report) -> None:
    content, text = report
    names = [d.study.name for d in content.design_studies]
    assert sorted(names) == ["Densest", "Explore", "Not yet", "Thickness front"]  # no "Elsewhere"
    for name in names:
        assert f"Design study: {name}" in text
    assert "Elsewhere" not in text
    # the summary names each with what it found
    assert "Thickness front: 4 of 5 points ran; 2 points on the Pareto front" in text
    assert "Densest: 4 of 5 points ran; best point #3: Energy density [W.h/L] 800" in text
    assert "Not yet: 0 of 0 points ran; no point has run yet" in text


def test_inputs_goals_and_front_read_with_their_units(report) -> None:
    content, text = report
    front = _by_name(content)["Thickness front"]
    assert front.sampler == "optimised by Optuna's TPE"
    assert front.inputs == [("Positive coating thickness", "60 to 80", "µm"),
                            ("C-rate", "0.5 to 2", "")]  # fmt: skip
    assert front.goals == ["maximise Energy density [W.h/L]", "maximise Capacity utilisation",
                           "N/P ratio ≥ 1.1"]  # fmt: skip
    assert front.columns == ["Point", "Positive coating thickness [µm]", "C-rate",
                             "Energy density [W.h/L]", "Capacity utilisation"]  # fmt: skip
    assert front.rows == [["#1", "65", "1", "750", "0.94"], ["#0", "60", "1", "700", "0.95"]]
    assert "4 of 5 points ran, 1 failed" in text
    assert "Pareto front: 2 points no other feasible point beats on both objectives" in text
    assert "W.h.L-1" not in text and "6e-05" not in text and "6.5e-05" not in text


def test_an_exploring_study_shows_what_its_outputs_span(report) -> None:
    content, text = report
    sections = _by_name(content)
    best, explore, unrun = sections["Densest"], sections["Explore"], sections["Not yet"]
    # no constraint here: #3 counts
    assert best.title == "The 4 best feasible points by Energy density [W.h/L]"
    assert [row[0] for row in best.rows] == ["#3", "#1", "#2", "#0"]
    assert explore.columns == ["Output", "Lowest", "Highest", "Unit"]
    spans = {row[0]: row[1:] for row in explore.rows}
    assert spans["Energy density"] == ["700", "800", "W.h/L"]
    assert spans["Capacity utilisation"] == ["0.93", "0.99", ""]
    assert spans["Cell volume"] == ["24.53", "24.53", "cm^3"]
    assert "No objective: the study explores the ranges above." in text
    # the builder's materials-only cost would read against the Cost section's model: named, not
    # shown
    assert "Material cost" not in spans and "Material cost" not in text
    assert "materials-only cost of each point (1 output)" in explore.note
    assert unrun.rows == [] and "No point of this study has run yet" in unrun.note


def test_the_design_studies_can_be_left_out_of_the_report(tmp_path, capsys) -> None:
    """The report always held the design studies; --no-design-studies (and the dialog's box)
    leave them out, sections and summary lines alike, and nothing else."""
    from cellwright.app.cli import main

    path = m50_project(tmp_path / "p.cwproj")
    study = _study("Thickness sweep")
    with Project.open(path) as project:
        project.put(study)
        _put_points(project, study, [(700.0, 0.95, 1.2), (750.0, 0.94, 1.2)])
    with_them, without = tmp_path / "with.html", tmp_path / "without.html"
    base = ["report", M50_ID, "-p", str(path), "-q"]
    assert main([*base, "-o", str(with_them)]) == 0, capsys.readouterr().err
    assert main([*base, "-o", str(without), "--no-design-studies"]) == 0
    kept, left = _plain(with_them.read_text("utf-8")), _plain(without.read_text("utf-8"))
    assert "Design study: Thickness sweep" in kept and "Thickness sweep: 2 of" in kept
    assert "Thickness sweep" not in left and "Design stud" not in left
    assert "LG M50" in left and "Capacity" in left  # the rest of the report is there


def test_a_cells_volume_and_temperature_read_as_in_the_window(tmp_path) -> None:
    """The best points of a study minimising "Cell volume [m3]" were listed as "1.918 × 10⁻⁵"
    under "[m^3]" and its peak temperature in K, where the Points table and the design's
    figures read cm^3 and the study's thermal results °C: one rule
    (:func:`cellwright.projects.readable.column_shown`) for both."""
    peak = "Maximum temperature [K]"
    study = _study("Smallest", objectives=[{"output": VOLUME, "direction": "minimize"}],
                   constraints=[{"output": peak, "max": 333.15}])  # fmt: skip
    with Project.open(m50_project(tmp_path / "p.cwproj")) as project:
        project.put(study)
        for k, (volume, hottest) in enumerate([(1.918e-5, 318.15), (2.1e-5, 310.65)]):
            project.put(StudyPoint(
                id=f"{study.id}.{k:05d}", name=f"#{k}", study=study.id, index=k,
                values={THICKNESS: 60e-6 + 5e-6 * k, RATE: 1.0}, status=PointStatus.DONE,
                outputs={VOLUME: volume, peak: hottest}))  # fmt: skip
        content = gather(project, M50_ID)
    section = _by_name(content)["Smallest"]
    assert section.goals == ["minimise Cell volume [cm^3]", "Maximum temperature [°C] ≤ 60"]
    assert section.title == "The 2 best feasible points by Cell volume [cm^3]"
    assert section.columns[-1] == "Cell volume [cm^3]"
    assert [row[-1] for row in section.rows] == ["19.18", "21"]
    assert "best point #0: Cell volume [cm^3] 19.18" in section.finding
