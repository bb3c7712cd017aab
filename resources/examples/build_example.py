"""Build the example project from the real engines (`make example`, or run this file).

It holds the LG M50 cell (library cell, PyBaMM Chen2020), a 1C DFN discharge with lumped
thermal model, and a 4s3p module of PyBaMM's ECM example cell with cell-to-cell variation (per-cell
fields over time). Everything in it is what the engines computed when this script ran;
rerun it after changing an engine.
"""

from __future__ import annotations

import sys
from pathlib import Path


def build(path: Path) -> Path:
    """Create the example project at ``path`` (replacing an older one)."""
    from app.jobs import InlineRunner, JobRequest, JobState
    from engines.electrochem.ecm_parameters import ecm_parameters_from_pybamm
    from projects.library import Library
    from projects.model import CellDesign, PackDesign, Study
    from projects.store import Project

    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".building")
    tmp.unlink(missing_ok=True)
    lib = Library.load_builtin()
    cell = lib.design_for_cell("lg-m50").model_copy(
        update={"id": "lg-m50-design", "name": "LG M50 (from library)"}
    )
    ecm = ecm_parameters_from_pybamm("ECM_Example")
    ecm_cell = CellDesign(
        id="ecm-example-cell",
        name="PyBaMM ECM example cell (100 A.h)",
        format="prismatic",
        notes="tables: PyBaMM parameter set ECM_Example",
    )
    pack = PackDesign(
        id="pack-4s3p",
        name="4s3p module of ECM cells",
        cell=ecm_cell.id,
        series=4,
        parallel=3,
        busbar_resistance=2e-4,
    )
    studies = [
        (
            Study(
                id="dfn-1c",
                name="LG M50 1C discharge (DFN, lumped thermal)",
                engine="electrochem.pybamm_discharge",
                spec={"model": "DFN", "c_rate": 1.0, "thermal": "lumped"},
                design={"kind": "cell", "id": cell.id},
            ),
            lib.snapshot_for(cell),
        ),
        (
            Study(
                id="pack-pulse",
                name="4s3p module, 1C discharge with cell variation",
                engine="electrochem.pack",
                spec={
                    "parameters": "design",
                    "c_rate": 1.0,
                    "duration": 1800,
                    "dt": 1.0,
                    "initial_soc": 0.9,
                    "capacity_std": 0.03,
                    "resistance_std": 0.1,
                    "rail_resistance": 1e-4,
                    "seed": 4,
                    "output_every": 10,
                },
                design={"kind": "pack", "id": pack.id},
            ),
            lib.snapshot_for(ecm_cell).model_copy(update={"pack": pack, "ecm_parameters": ecm}),
        ),
    ]
    with Project.create(tmp, name="Cellwright example") as project:
        for obj in (cell, ecm_cell, pack):
            project.put(obj)
        project.put(ecm)
        for study, snapshot in studies:
            job = InlineRunner().submit(
                JobRequest(study.engine, study.spec, snapshot, study_id=study.id, title=study.name)
            )
            if job.state != JobState.DONE:
                raise RuntimeError(f"{study.name}: {job.error}")
            job.result.name = study.name
            with project.transaction():
                project.put(study)
                project.put_result(job.result)
    tmp.replace(path)
    return path


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).with_name("example.cwproj")
    print(f"wrote {build(target)}")
