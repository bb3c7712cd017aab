"""Nothing is removed from a project while something refers to it: a pack to its cell, a
study, design study or battery to its design, a result to its study."""

from __future__ import annotations

import pytest

from cellwright.projects.design.authoring import new_pack
from cellwright.projects.design.reference_designs import lg_m50
from cellwright.projects.model import DesignKind, DesignRef, InputError, Study
from cellwright.projects.model.design_study import DesignStudy
from cellwright.projects.model.labrun import PhysicalCell
from cellwright.projects.model.result import Provenance, Result
from cellwright.projects.model.twin import PhysicalPack
from cellwright.projects.store import Project
from cellwright.projects.store.references import referrers, removal_problem


@pytest.fixture
def project(tmp_path):
    with Project.create(tmp_path / "p.cwproj") as project:
        yield project


def _cell(project, name: str = "LG M50 (entered)"):
    cell = lg_m50().model_copy(update={"id": "cell-1", "name": name})
    project.put(cell)
    return cell


def _ref(kind: str, obj_id: str) -> DesignRef:
    return DesignRef(kind=DesignKind(kind), id=obj_id)


def test_a_design_a_battery_and_a_pack_refer_to_is_kept_with_a_message_naming_them(
    project,
) -> None:
    cell = _cell(project)
    project.put(PhysicalCell(name="SN-1", design=cell.id))
    project.put(new_pack("4s2p", cell.id, 4, 2))
    with pytest.raises(InputError) as caught:
        project.delete("cell", cell.id)
    assert caught.value.detail == (
        "cell design LG M50 (entered) is the cell of pack 4s2p and the design of battery SN-1; "
        "a design stays while a battery is built to it"
    )
    assert project.get("cell", cell.id) == cell  # nothing was removed


def test_studies_and_design_studies_keep_their_design(project) -> None:
    cell = _cell(project)
    project.put(Study(name="s1", engine="electrochem.ecm", design=_ref("cell", cell.id)))
    project.put(DesignStudy(name="sweep", engine="electrochem.ecm", design=_ref("cell", cell.id),
                            inputs=[{"path": "spec.c_rate", "low": 0.5, "high": 2.0}]))  # fmt: skip
    assert referrers(project, "cell", cell.id) == [
        "the design of study s1",
        "the design of design study sweep",
    ]
    with pytest.raises(InputError, match="the design of design study sweep"):
        project.delete("cell", cell.id)
    # a study of a library cell of the same id is no user of the project's design
    project.put(Study(name="lib", engine="electrochem.ecm", design=_ref("library_cell", cell.id)))
    assert len(referrers(project, "cell", cell.id)) == 2


def test_a_pack_design_keeps_its_battery_and_studies(project) -> None:
    pack = new_pack("4s2p", "lg-m50", 4, 2)
    project.put(pack)
    project.put(PhysicalPack(name="PK-1", design=pack.id))
    project.put(Study(name="t", engine="thermal.conduction", design=_ref("pack", pack.id)))
    problem = removal_problem(project, "pack", pack.id)
    assert problem == (
        "pack design 4s2p is the design of study t and the design of battery PK-1; "
        "a design stays while a battery is built to it"
    )
    with pytest.raises(InputError, match="design of battery PK-1"):
        project.delete("pack", pack.id)


def test_a_study_keeps_its_results(project) -> None:
    study = Study(name="s1", engine="electrochem.ecm", design=_ref("library_cell", "lg-m50"))
    project.put(study)
    provenance = Provenance(engine_id="electrochem.ecm", engine_version="1", spec_hash="h")
    project.put_result(Result(study_id=study.id, name="run 1", provenance=provenance))
    with pytest.raises(InputError, match="study s1 is the study of result run 1"):
        project.delete("study", study.id)
    project.delete_result(project.results(study.id)[0].id)
    project.delete("study", study.id)  # free now
    assert project.list("study") == []


def test_a_reference_by_name_counts_only_while_the_name_means_the_design(project) -> None:
    cell = _cell(project, "Module cell")
    project.put(PhysicalCell(name="SN-1", design="Module cell"))  # as battery add --design took it
    assert referrers(project, "cell", cell.id) == ["the design of battery SN-1"]
    other = lg_m50().model_copy(update={"id": "Module cell", "name": "x"})
    project.put(other)  # now the name is another design's id, which find() prefers
    assert referrers(project, "cell", cell.id) == []
    assert referrers(project, "cell", other.id) == ["the design of battery SN-1"]


def test_unreferenced_and_unguarded_objects_go_as_before(project) -> None:
    cell = _cell(project)
    project.put(PhysicalCell(name="SN-1", design="lg-m50"))  # a library cell, not this design
    assert removal_problem(project, "cell", cell.id) is None
    project.delete("cell", cell.id)
    project.delete("cell", "not-there")  # no error if it is not there, as documented
    assert referrers(project, "material", "nmc811") == []
    assert project.list("cell") == []


def _ecm_parameters():
    import numpy as np

    from cellwright.projects.model.ecm import EcmParameters, RCTables

    grid = np.ones((2, 2, 2))
    axes = {"temperature_axis": [290, 300], "current_axis": [-1, 1], "soc_axis": [0, 1]}
    ocv = {"ocv_soc": [0, 1], "ocv": [3.0, 4.2]}
    entropic = {"entropic_ocv_axis": [2.5, 4.5], "entropic_temperature_axis": [250, 350]}
    return EcmParameters(
        name="M50 HPPC fit", source="test grid", capacity=1.0, r0=grid * 0.01,
        rc=[RCTables(resistance=grid * 0.01, capacitance=grid)], entropic=np.zeros((2, 2)),
        **axes, **ocv, **entropic,
    )  # fmt: skip


def test_an_ecm_parameter_set_a_cell_design_uses_is_kept(project) -> None:
    params = _ecm_parameters()
    project.put(params)
    _cell(project)
    project.put(project.get("cell", "cell-1").model_copy(update={"ecm_parameters": params.id}))
    with pytest.raises(InputError) as caught:
        project.delete("ecm_parameters", params.id)
    assert caught.value.detail == (
        "ECM parameter set M50 HPPC fit is the ECM parameters of cell design LG M50 (entered); "
        "delete those first"
    )
    # its name is no reference (a cell names its set by id only)
    loose = _ecm_parameters().model_copy(update={"id": "other"})
    project.put(loose)
    project.delete("ecm_parameters", "other")


def test_a_parameter_fit_keeps_its_runs_design_and_battery_and_they_keep_it(project) -> None:
    from cellwright.projects.model.labrun import LabRun
    from cellwright.projects.model.parameter_fit import ParameterFit

    cell = _cell(project)
    run = LabRun(name="HPPC 25C", source_file="r.csv", sha256="0" * 64, format="maccor",
                 columns=["voltage_volt"], rows=3)  # fmt: skip
    battery = PhysicalCell(name="SN-1", design=cell.id)
    fit = ParameterFit(name="SN-1: diffusivity", physical_cell=battery.id, design=cell.id,
                       base_parameter_set="Chen2020", model="SPMe", runs=[run.id],
                       parameters=[{"name": "x", "factor": 1.2, "low": 1.1, "high": 1.3}],
                       rmse_stock=0.05, rmse_fitted=0.01)  # fmt: skip
    project.put(run.model_copy(update={"physical_cell": battery.id}))
    project.put(battery.model_copy(update={"parameter_fit": fit.id}))
    project.put(fit)
    with pytest.raises(InputError, match="lab run HPPC 25C is a fitted run of parameter fit SN-1"):
        project.delete("labrun", run.id)
    with pytest.raises(InputError, match="is the parameter fit of battery SN-1; delete those"):
        project.delete("parameter_fit", fit.id)
    assert referrers(project, "cell", cell.id) == [
        "the design of battery SN-1",
        "the design of parameter fit SN-1: diffusivity",
    ]
    assert referrers(project, "physical_cell", battery.id) == [
        "the cell of lab run HPPC 25C",
        "the cell of parameter fit SN-1: diffusivity",
    ]
    assert project.get("labrun", run.id).name == "HPPC 25C"  # nothing was removed


def test_a_battery_built_into_a_pack_keeps_the_pack(project) -> None:
    pack = PhysicalPack(name="PK-1", production_date="2024-02-01")
    project.put(pack)
    project.put(PhysicalCell(name="SN-7", design="lg-m50", pack=pack.id))
    assert removal_problem(project, "physical_pack", pack.id) == (
        "battery PK-1 is the pack of battery SN-7; delete those first"
    )
