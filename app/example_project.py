"""Build the example project from the real engines (`make example`, or
``python -m cellwright.app.example_project [PATH]``).

It holds the LG M50 cell (library cell, PyBaMM Chen2020), a 1C DFN discharge with lumped
thermal model, and a 4s3p module of PyBaMM's ECM example cell with cell-to-cell variation (per-cell
fields over time). The LG M50 also appears as an entered design (electrode stack and can, from
Chen et al. 2020) with an ECM fitted to its SPMe HPPC, and in 3D thermal studies: the cell at 3C
(PyBaMM DFN heat fed one-way into conduction; this energy cell reaches 2.5 V after ~8 min
at 3C, limited by electrolyte transport) and a 4s2p module on a cooling plate driven three
times through US06 with two-way coupling (cell temperatures back into the ECM cells), and a nail
penetration of the cell (50 W of local Joule heat) run through the runaway kinetics. The same
module on a plate of four parallel channels shows its coolant network (flow split, pressure drop,
coolant temperatures), a US06 run cooled through that network, and the plate in plan view (2D
flow and temperature). The module's modes on its bolted plate and its response to the GB
38031-2020 vertical random spectrum come from the mechanics engines (a coarse mesh: the first
mode within 2 % of a fine one). The Kokam SLPB 75106100 pouch cell, entered from Ecker et al.
(2015), swells in a module of twelve between end plates and foam pads over a charge, a
discharge and 2000 cycles of life (mechanics.swelling), and takes the GB 38031-2020 cell squeeze
under the R75 semicylinder through its thickness (mechanics.crush), squeezed on past the
standard's 1000 × weight stop to the short circuit, whose place and moment start a thermal
runaway study of the cell (app/chains.py). Two physical M50 cells carry a
simulated life (app/example_twin.py): end-of-line records, capacity checks as lab runs, BMS
telemetry, state-of-health estimates, remaining-life forecasts, two issued passport versions
each and a verified history. Design studies of the entered M50 (app/example_studies.py): a
two-objective optimisation of its electrode thicknesses with its Pareto front, a Latin
hypercube with its surrogate and Sobol' indices, and SPMe fitted to a measured Enertech
discharge. Everything in it is what the engines computed when this script ran; rerun it after
changing an engine.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

#: bump when the example's content changes, so `make run` builds the new one beside the old
EXAMPLE_VERSION = 16


def example_path() -> Path:
    """Where ``make run`` keeps the example project: the user data folder, one file per
    :data:`EXAMPLE_VERSION` (an older one is not reused)."""
    import platformdirs

    return Path(platformdirs.user_data_dir("cellwright")) / f"example-v{EXAMPLE_VERSION}.cwproj"


#: the example report: the module with its cell's studies, beside its parallel-channel variant
REPORT_DESIGN, REPORT_VARIANTS = "module-4s2p", ("module-4s2p-parallel",)


def report_path(path: Path) -> Path:
    """Where the example's PDF report is written: beside the project, ``<stem>-report.pdf``."""
    return path.with_name(f"{path.stem}-report.pdf")


def write_example_report(path: Path, progress: Callable[[float, str], None] | None = None) -> Path:
    """The example project's design report (PDF) beside it; returns its path."""
    from cellwright.app.report import write_report

    return write_report(path, REPORT_DESIGN, report_path(path), compare=list(REPORT_VARIANTS),
                        progress=progress)  # fmt: skip


def build(path: Path, progress: Callable[[float, str], None] | None = None) -> Path:
    """Create the example project at ``path`` (replacing an older one).

    ``progress(fraction, message)`` is told how far the build is (fitting, then each study,
    with the engine's own progress inside its share).
    """
    report = progress or (lambda _fraction, _message: None)
    report(0.0, "fitting the equivalent circuit of the LG M50")
    from cellwright.app.jobs import InlineRunner, JobRequest, JobState
    from cellwright.engines.electrochem.ecm_fit import fit_ecm_from_pybamm
    from cellwright.engines.electrochem.ecm_parameters import ecm_parameters_from_pybamm
    from cellwright.projects.design.reference_designs import (
        kokam_slpb_75106100,
        lg_m50,
        reference_snapshot,
    )
    from cellwright.projects.library import Library
    from cellwright.projects.model import (
        Busbar,
        CellDesign,
        CoolingPlate,
        ModuleArrangement,
        PackDesign,
        Study,
        ThermalInterface,
    )
    from cellwright.projects.store import Project

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
    m50 = lg_m50().model_copy(update={"id": "lg-m50-entered", "name": "LG M50 21700 (entered)"})
    kokam = kokam_slpb_75106100()
    m50_snapshot = reference_snapshot(m50, lib)
    m50_ecm = fit_ecm_from_pybamm(m50_snapshot, model="SPMe", n_rc=1)
    m50 = m50.model_copy(update={"ecm_parameters": m50_ecm.id})
    module = PackDesign(
        id="module-4s2p",
        name="4s2p module of LG M50 on a cooling plate",
        cell=m50.id,
        series=4,
        parallel=2,
        arrangement=ModuleArrangement(rows=2, columns=4, gap=2e-3),
        busbar=Busbar(width=8e-3, thickness=1e-3, length_per_connection=25e-3),
        cooling_plate=CoolingPlate(channel_count=3, channel_width=6e-3),
        thermal_interface=ThermalInterface(),
    )
    module_snapshot = lib.snapshot_for(m50, module).model_copy(
        update={"materials": {**m50_snapshot.materials, **lib.snapshot_for(m50, module).materials},
                "ecm_parameters": m50_ecm}
    )  # fmt: skip
    # the same module on a plate of four parallel channels between manifolds, cooled through
    # its coolant network (cfd.network) instead of an assumed h
    parallel = module.model_copy(
        update={
            "id": "module-4s2p-parallel",
            "name": "4s2p module of LG M50 on a parallel-channel plate",
            "cooling_plate": CoolingPlate(
                channel_layout="parallel", channel_count=4, channel_width=5e-3,
                manifold_width=8e-3, flow_rate=1.0 / 60000, flow_arrangement="Z",
            ),
        }
    )  # fmt: skip
    parallel_snapshot = module_snapshot.model_copy(update={"pack": parallel})
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
                    "initial_soc": 0.8,
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
        (
            Study(
                id="m50-3c-thermal",
                name="LG M50 at 3C: 3D temperature (PyBaMM DFN heat, one-way)",
                engine="thermal.conduction",
                spec={
                    "target": "cell",
                    "duration": 900.0,
                    "time_step": 10.0,
                    "boundaries": [{"group": "ambient", "h": 10.0}],
                    "heat": {
                        "source": "electrochem",
                        "electrochem": {"model": "DFN", "c_rate": 3.0, "initial_soc": 1.0},
                    },
                },
                design={"kind": "cell", "id": m50.id},
            ),
            m50_snapshot,
        ),
        (
            Study(
                id="module-us06-thermal",
                name="4s2p module on 3 x US06: 3D temperature (ECM, two-way)",
                engine="thermal.conduction",
                spec={
                    "target": "pack",
                    "duration": 1800.0,
                    "time_step": 10.0,
                    "output_every": 3,
                    "boundaries": [
                        {"group": "channel_walls", "h": 1000.0},
                        {"group": "ambient", "h": 5.0},
                    ],
                    "heat": {
                        "source": "electrochem",
                        "coupling": "two-way",
                        "electrochem": {
                            "parameters": "design",
                            "profile_file": "US06",
                            "profile_scale": 2.0,
                            "repeat": 3,
                            "dt": 1.0,
                            "initial_soc": 0.8,
                        },
                    },
                },
                design={"kind": "pack", "id": module.id},
            ),
            module_snapshot,
        ),
        (
            Study(
                id="module-plate-network",
                name="4s2p parallel-channel plate: coolant network (1 L/min, 2 W per cell)",
                engine="cfd.network",
                spec={"heat_per_cell": 2.0},
                design={"kind": "pack", "id": parallel.id},
            ),
            parallel_snapshot,
        ),
        (
            Study(
                id="module-us06-network-cooled",
                name="4s2p module on US06, cooled through its coolant network (ECM, two-way)",
                engine="thermal.conduction",
                spec={
                    "target": "pack",
                    "duration": 600.0,
                    "time_step": 10.0,
                    "output_every": 3,
                    "cooling": {},
                    "heat": {
                        "source": "electrochem",
                        "coupling": "two-way",
                        "electrochem": {
                            "parameters": "design",
                            "profile_file": "US06",
                            "profile_scale": 2.0,
                            "dt": 1.0,
                            "initial_soc": 0.8,
                        },
                    },
                },
                design={"kind": "pack", "id": parallel.id},
            ),
            parallel_snapshot,
        ),
        (
            Study(
                id="module-plate-flow2d",
                name="4s2p parallel-channel plate seen from above: 2D flow and temperature",
                engine="cfd.flow2d",
                spec={"geometry": "plate", "heat_per_cell": 2.0, "cells": 64},
                design={"kind": "pack", "id": parallel.id},
            ),
            parallel_snapshot,
        ),
        (
            Study(
                id="m50-nail-runaway",
                name="LG M50 nail penetration: thermal runaway (Kim 2007 kinetics)",
                engine="thermal.runaway",
                spec={
                    "target": "cell",
                    "trigger": "nail",
                    "nail_power": 50.0,
                    "duration": 200.0,
                    "time_step": 2.0,
                },
                design={"kind": "cell", "id": m50.id},
            ),
            m50_snapshot,
        ),
        *_mechanics_studies(module, module_snapshot),
        _swelling_study(kokam, reference_snapshot(kokam, lib)),
        _squeeze_study(kokam, reference_snapshot(kokam, lib)),
        _runaway_after_squeeze(kokam, reference_snapshot(kokam, lib)),
    ]
    with Project.create(tmp, name="Cellwright example") as project:
        for obj in (cell, ecm_cell, pack, m50, module, parallel, kokam):
            project.put(obj)
        project.put(ecm)
        project.put(m50_ecm)
        project.put(_example_cost_model())
        results = {}
        for k, entry in enumerate(studies):
            # a chained study is a function of the results before it
            study, snapshot = entry(results) if callable(entry) else entry
            start, share = 0.1 + 0.8 * k / len(studies), 0.8 / len(studies)
            report(start, study.name)

            def step(event, start=start, share=share, name=study.name) -> None:
                report(start + share * (event.fraction or 0.0), f"{name}: {event.message}")

            job = InlineRunner().submit(
                JobRequest(study.engine, study.spec, snapshot, study_id=study.id, title=study.name),
                step,
            )
            if job.state != JobState.DONE:
                raise RuntimeError(f"{study.name}: {job.error}")
            job.result.name = study.name
            results[study.id] = job.result
            with project.transaction():
                project.put(study)
                project.put_result(job.result)
        import tempfile

        from cellwright.app.example_twin import add_example_batteries

        report(0.85, "two physical cells: records, telemetry, estimates, passports")
        with tempfile.TemporaryDirectory() as files:  # the simulated records, imported
            add_example_batteries(project, Path(files), m50.id, m50_ecm)
        from cellwright.app.example_studies import add_example_fit, add_example_studies

        report(0.88, "fitting SPMe to a measured discharge of the Enertech cell")
        add_example_fit(project)
        add_example_studies(project, m50.id, lambda f, message: report(0.9 + 0.1 * f, message))
    tmp.replace(path)
    report(1.0, "done")
    return path


def _example_cost_model():
    """BatPaC's defaults with two prices the seed lacks, each with its source (the seed only
    holds prices it can cite per material; a project may decide more)."""
    from cellwright.projects.model import CostAssumptions, PriceOverride

    return CostAssumptions(
        prices={
            "separator-ceramic-pe": PriceOverride(
                value=130.7,
                source="Baars, Cerdas & Heidrich 2022 (Batt_Sust_Model data, Values_Master!E48): "
                "ceramic-coated separator 9+3 um, 0.33 USD/m2 (SMM, 13 May 2022)",
                note="converted 0.33 USD/m2 / (12 um x (1 - 0.47) x 397 kg/m3) = 130.7 USD/kg "
                "with the library entry's porosity and density",
            ),
            "aluminium-6061": PriceOverride(
                value=2.805,
                source="BatPaC v5.0 (ANL 2022), Cost Input!F72: aluminium pack jacket, alloy "
                "unspecified",
                note="BatPaC's price of formed aluminium parts taken for the 6061 cooling plate; "
                "BatPaC adds 3 USD per item, not counted",
            ),
        },
        notes="example: two prices the library does not hold, decided for this project",
    )


def _mechanics_studies(module, snapshot) -> list:
    """Modes of the 4s2p module clamped under its plate, and its GB 38031 Z random response."""
    from cellwright.projects.model import Study

    structure = {"target": "pack", "mesh_size": 0.012, "curvature": 10, "modes": 8}
    return [
        (
            Study(
                id="module-modes",
                name="Modes of the 4s2p module on its plate",
                engine="mechanics.modal",
                spec={**structure, "target_frequency": 100.0},
                design={"kind": "pack", "id": module.id},
            ),
            snapshot,
        ),
        (
            Study(
                id="module-gb38031-z",
                name="GB 38031 random vibration (Z) of the 4s2p module",
                engine="mechanics.vibration",
                spec={**structure, "profile": "GB38031-Z", "direction": "z", "lines": 600},
                design={"kind": "pack", "id": module.id},
            ),
            snapshot,
        ),
    ]


def _swelling_study(cell, snapshot):
    """Twelve Kokam pouch cells between end plates on tie rods, 3 mm foam pads between them:
    the end-plate force over a 0.5C charge and discharge and over 2000 cycles of fade."""
    from cellwright.projects.model import Study

    spec = {
        "cells": 12, "assembly_soc": 0.3, "preload": 1200.0, "tie_stiffness": 5e7,
        "force_limit": 3000.0, "pad": {"curve": "poron-4701-30", "thickness": 3e-3},
        "cycle": {"c_rate": 0.5},
        "life": {"cycles": [0, 250, 500, 750, 1000, 1250, 1500, 1750, 2000],
                 "fade_per_cycle": 1e-4},
    }  # fmt: skip
    study = Study(
        id="kokam-module-swelling",
        name="12 Kokam pouch cells between end plates: swelling force over a cycle and life",
        engine="mechanics.swelling",
        spec=spec,
        design={"kind": "cell", "id": cell.id},
    )
    return study, snapshot


def _squeeze_study(cell, snapshot):
    """GB 38031-2020 §8.1.6 squeeze of the Kokam pouch: the R75 semicylinder across the middle
    of its body, through its thickness. The standard's test ends at 1000 × the cell's weight
    (about 1.7 kN, at 0.6 mm), long before any short; with that stop and the 15 % one switched
    off (``"off"``) the squeeze goes on to the short-circuit onset, and the verdict still says
    where the standard's test would have stopped."""
    from cellwright.projects.model import Study

    study = Study(
        id="kokam-gb38031-squeeze",
        name="GB 38031 squeeze of the Kokam pouch cell (R75 semicylinder), on to the short",
        engine="mechanics.crush",
        spec={"standard": "GB38031-cell", "weight_factor": "off", "max_deformation": "off"},
        design={"kind": "cell", "id": cell.id},
    )
    return study, snapshot


def _runaway_after_squeeze(cell, snapshot):
    """The runaway study the squeeze's short starts: the runaway engine's nail-type trigger at
    the onset's place (its default short power), time zero the moment of the short."""

    def chained(results):
        from cellwright.app.chains import runaway_spec_after_crush
        from cellwright.projects.model import Study

        squeeze = results["kokam-gb38031-squeeze"]
        spec, note = runaway_spec_after_crush(
            {"duration": 300.0, "time_step": 2.0}, squeeze, {"after": squeeze.name},
            "example [trigger]",
        )  # fmt: skip
        study = Study(
            id="kokam-runaway-after-squeeze",
            name="Kokam pouch cell: thermal runaway from the squeeze's short",
            engine="thermal.runaway",
            spec=spec,
            design={"kind": "cell", "id": cell.id},
            notes=note,
        )
        return study, snapshot

    return chained


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("example.cwproj")
    print(f"wrote {build(target)}")
    print(f"wrote {write_example_report(target)}")
