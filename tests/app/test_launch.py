"""`make run`: the example project is built by the engines; without a display it runs headless."""

from __future__ import annotations

import os
import subprocess
import sys

import numpy as np
import pytest

from cellwright.projects.store import Project


def test_example_project_holds_what_the_engines_computed(example_project) -> None:
    with Project.open(example_project, readonly=True) as project:
        names = {r.name: r.id for r in project.results()}
        dfn = project.get_result(names["LG M50 1C discharge (DFN, lumped thermal)"])
        assert dfn.series["Cell temperature [K]"][-1] > dfn.series["Cell temperature [K]"][0]
        pack = project.get_result(names["4s3p module, 1C discharge with cell variation"])
        soc = pack.field("Cell SoC").values
        assert soc.shape[1] == 12 and np.all(np.diff(soc.mean(axis=1)) < 0)
        assert {c.name for c in project.list("cell")} >= {"LG M50 (from library)"}
        cell = project.get_result(names["LG M50 at 3C: 3D temperature (PyBaMM DFN heat, one-way)"])
        temps = cell.field("Temperature [K]").values
        assert temps.shape[1] == cell.meshes["design"].points.shape[0] and temps.max() > 320.0
        module = project.get_result(names["4s2p module on 3 x US06: 3D temperature (ECM, two-way)"])
        assert module.scalars["Cells"] == 8 and module.scalars["Heat generated [J]"] > 0
        assert not module.message  # the drive cycle ran to its end
        nail = project.get_result(
            names["LG M50 nail penetration: thermal runaway (Kim 2007 kinetics)"]
        )
        assert nail.scalars["Runaway [-]"] == 1.0
        modes = project.get_result(names["Modes of the 4s2p module on its plate"])
        table = modes.tables["modes"]
        assert np.all(np.diff(table["Frequency [Hz]"]) >= 0)
        assert modes.scalars["First natural frequency [Hz]"] > 100.0  # the target it passes
        assert modes.field("Mode shape [-]").values.shape[0] == 8
        gb = project.get_result(names["GB 38031 random vibration (Z) of the 4s2p module"])
        assert gb.scalars["Input RMS acceleration [g]"] == pytest.approx(0.639, abs=1e-3)
        assert gb.scalars["Maximum RMS acceleration [g]"] >= 0.639
        # its eight lowest modes are lateral: the residual vector holds the vertical mass
        assert gb.scalars["Effective mass of the residual vector Z [-]"] > 0.8
        assert not any("capture" in w for w in gb.provenance.warnings)
        assert "psd" in gb.tables
        plate = project.get_result(
            names["4s2p parallel-channel plate: coolant network (1 L/min, 2 W per cell)"]
        )
        assert plate.tables["channels"]["Flow share [-]"].size == 4
        assert plate.scalars["Coolant temperature rise [K]"] > 0
        cooled = project.get_result(
            names["4s2p module on US06, cooled through its coolant network (ECM, two-way)"]
        )
        outlet = cooled.series["Coolant outlet temperature [K]"]
        assert outlet[-1] > outlet[0] and cooled.scalars["Energy balance error [-]"] < 1e-3
        assert cooled.field("Coolant temperature [K]").mesh == "coolant network"
        plan = project.get_result(
            names["4s2p parallel-channel plate seen from above: 2D flow and temperature"]
        )
        assert plan.field("Temperature [K]").values.shape[1] == plan.meshes["domain"].n_cells
        swelling = project.get_result(
            names["12 Kokam pouch cells between end plates: swelling force over a cycle and life"]
        )
        force = swelling.series["End-plate force [N]"]
        soc = swelling.series["State of charge [-]"]
        assert force[np.argmax(soc)] == force.max() > 1200.0  # above the preload at full charge
        life = swelling.tables["life"]["Force at 100 % SOC [N]"]
        assert np.all(np.diff(life) > 0) and life[-1] > 3000.0
        assert "passes the design limit 3000 N from cycle" in swelling.message
        squeeze = project.get_result(
            names["GB 38031 squeeze of the Kokam pouch cell (R75 semicylinder), on to the short"]
        )
        force, weight = squeeze.series["Force [N]"], squeeze.scalars["Part weight [N]"]
        assert np.all(np.diff(force) > 0) and force[-1] > 1000 * weight
        # the standard's own test ends at 1000 x the weight, well before the short
        stop = squeeze.scalars["Standard's stop displacement [m]"]
        short = squeeze.scalars["Short-circuit onset displacement [m]"]
        assert squeeze.scalars["Standard's stop force [N]"] >= 1000 * weight and stop < short
        assert "1000 x the weight" in squeeze.message and "before any short" in squeeze.message
        assert squeeze.scalars["Passes [-]"] == 1.0  # the standard's test ends before the short
        assert "the cell passes the standard's test" in squeeze.message
        assert squeeze.scalars["Part size along the load [m]"] == pytest.approx(0.0075)
        assert squeeze.scalars["Energy balance error [-]"] < 0.02
        runaway = project.get_result(
            names["Kokam pouch cell: thermal runaway from the squeeze's short"]
        )
        onset = [squeeze.scalars[f"Short-circuit onset {a} [m]"] for a in "xyz"]
        chained = next(s for s in project.list("study") if s.id == "kokam-runaway-after-squeeze")
        assert chained.spec["nail_position"] == onset and "squeeze" in chained.notes
        assert runaway.scalars["First onset time [s]"] > 0
        _studies_and_fit(project)


def _studies_and_fit(project) -> None:
    """Issue 20: a two-objective optimisation with its front, an LHS with its surrogate, and a
    fit to measured data."""
    from cellwright.app.example_studies import ENERTECH_SERIAL, FITTED
    from cellwright.app.studies.execute import load_points
    from cellwright.app.studies.insight import load_sensitivity
    from cellwright.app.studies.pareto import pareto_front

    studies = {s.name: s for s in project.list("design_study")}
    optimised = studies["LG M50 electrode thickness: energy vs 2C rate"]
    points = load_points(project, optimised)
    front = pareto_front(optimised, points)
    assert optimised.sampler == "tpe" and len(points) == 14 and len(front) >= 3
    density = [p.outputs["Energy density [W.h.L-1]"] for p in front]
    rate = [p.outputs["Capacity utilisation [1]"] for p in front]
    assert np.all(np.diff(density) < 0) and np.all(np.diff(rate) >= 0)  # a trade-off
    assert all(p.outputs["N/P ratio"] >= 1.1 for p in front)
    lhs = studies["LG M50: C-rate and coating thickness (LHS)"]
    assert len(load_points(project, lhs)) == 16
    sensitivity = load_sensitivity(project, lhs)
    duration = sensitivity["Duration [s]"]
    assert duration["r2"] > 0.9 and duration["total"][0] > 0.8  # the rate sets the duration
    fit = project.get("parameter_fit", project.find("physical_cell", ENERTECH_SERIAL).parameter_fit)
    assert [p.name for p in fit.parameters] == FITTED and fit.rmse_fitted < fit.rmse_stock


def test_without_a_display_the_headless_example_runs() -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    proc = subprocess.run(
        [sys.executable, "-m", "cellwright.app.launch"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    assert "No display found" in proc.stdout
    assert "Discharge capacity [A.h]" in proc.stdout


def test_the_window_without_a_display_is_a_message_not_a_qt_abort() -> None:
    # Qt aborted the process (SIGABRT, a core dump and a page of platform plugin names)
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")
    }
    proc = subprocess.run(
        [sys.executable, "-c", "import sys; from cellwright.app.cli import entry; entry()", "gui"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 2, proc.stderr
    assert "no display to show the window on" in proc.stderr
    assert "Traceback" not in proc.stderr and "plugin" not in proc.stderr
