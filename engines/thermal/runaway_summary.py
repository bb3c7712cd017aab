"""The result of a runaway study: series per cell, onset table, verdict and temperature fields."""

from __future__ import annotations

import numpy as np

from cellwright.projects.model import TIME, FieldData, MeshData, Provenance, Result

__all__ = ["cell_name", "summarise", "verdict"]


def cell_name(k: int) -> str:
    """Label of cell ``k`` in series names (matches the pack mesh's ``cell_0000`` regions)."""
    return f"cell_{k:04d}"


def verdict(onset: np.ndarray, trigger: int) -> tuple[dict[str, float], str]:
    """Scalars and a sentence: did anything run away, in which order, how fast it spread."""
    ran = ~np.isnan(onset)
    order = np.full(onset.size, np.nan)
    ranked = np.argsort(np.where(ran, onset, np.inf), kind="stable")[: int(ran.sum())]
    order[ranked] = np.arange(1, ranked.size + 1)
    others = [k for k in ranked if k != trigger]
    scalars = {
        "Runaway [-]": float(ran.any()),
        "Cells in runaway [-]": float(ran.sum()),
        "First onset time [s]": float(np.nanmin(onset)) if ran.any() else np.nan,
        "Trigger cell onset time [s]": float(onset[trigger]),
        "First neighbour onset time [s]": float(onset[others[0]]) if others else np.nan,
        "Propagation time [s]": (
            float(onset[others[0]] - onset[trigger]) if others and ran[trigger] else np.nan
        ),
    }
    if not ran.any():
        return scalars | {"order": order}, "no thermal runaway (GB 38031-2020 rate criterion)"
    text = f"thermal runaway: cell {trigger} at {onset[trigger]:.1f} s" if ran[trigger] else (
        "thermal runaway"
    )  # fmt: skip
    if others:
        text += (
            f"; propagated to {len(others)} of {onset.size - 1} other cells, first cell "
            f"{others[0]} at {onset[others[0]]:.1f} s; order {[int(k) for k in ranked]}"
        )
    elif onset.size > 1:
        text += "; no propagation to the other cells"
    return scalars | {"order": order}, text


def _extents(reacting) -> dict[str, float]:
    """Stack-volume weighted share of each reactant consumed (0: fresh, 1: all gone)."""
    s, kin = reacting.state, reacting.kinetics
    w = reacting.volume * reacting.scale
    w = w / w.sum()
    return {
        "SEI decomposed [-]": float(w @ (1 - s.c_sei / kin.c_sei0)),
        "Negative-solvent reacted [-]": float(w @ (1 - s.c_neg / kin.c_neg0)),
        "Positive-solvent reacted [-]": float(w @ ((s.alpha - kin.alpha0) / (1 - kin.alpha0))),
        "Electrolyte decomposed [-]": float(w @ (1 - s.c_e / kin.c_e0)),
        "Stack volume [m^3]": float((reacting.volume * reacting.scale).sum()),
    }


def summarise(run, rows, onset, frames, frame_times, released) -> Result:
    """Assemble the :class:`Result` of a finished
    :class:`cellwright.engines.thermal.runaway._Run`."""
    spec, problem, cells = run.spec, run.problem, run.cells
    times = np.array([r[0] for r in rows])
    peak = np.array([r[1] for r in rows])
    mean = np.array([r[2] for r in rows])
    surface = np.array([r[3] for r in rows])
    series = {
        TIME: times,
        "Ambient temperature [K]": np.array([r[4] for r in rows]),
        "Maximum temperature [K]": peak.max(axis=1),
        "Mean temperature [K]": np.array([r[6] for r in rows]),
        "Trigger power [W]": np.array([r[7] for r in rows]),
        "Reaction heat release rate [W]": np.concatenate(
            [[0.0], np.array([r[5] for r in rows[1:]]) / np.maximum(np.diff(times), 1e-300)]
        ),
    }
    for k in range(cells):
        series[f"{cell_name(k)} maximum temperature [K]"] = peak[:, k]
        series[f"{cell_name(k)} mean temperature [K]"] = mean[:, k]
        series[f"{cell_name(k)} surface temperature [K]"] = surface[:, k]
    found, message = verdict(onset, spec.trigger_cell)
    order = found.pop("order")
    scalars = found | {
        "Peak temperature [K]": float(peak.max()),
        "Reaction heat released [J]": float(released),
        "Reaction heat available [J]": run.available,
        "Heat capacity [J/K]": run.capacity,
        **_extents(run.reacting),
        "Smallest time step [s]": float(min(s.smallest for s in (run.free_stepper,
                                                                  run.held_stepper))),
        "Rejected steps [-]": float(run.free_stepper.rejected + run.held_stepper.rejected),
        "Steps [-]": float(len(rows) - 1),
    }  # fmt: skip
    table = {
        "Cell [-]": np.arange(cells, dtype=float),
        "Onset time [s]": onset.astype(float),
        "Peak temperature [K]": peak.max(axis=0),
        "Peak time [s]": times[peak.argmax(axis=0)],
        "Propagation order [-]": order,
        "Runaway [-]": (~np.isnan(onset)).astype(float),
    }
    mesh = problem.mesh
    key = "module" if spec.target == "module" else "cell"
    fields = [
        FieldData(
            name="Temperature [K]",
            mesh=key,
            association="point",
            times=np.array(frame_times),
            values=np.array(frames),
        )
    ]
    warnings = [*problem.warnings, f"trigger: {run.trigger.description}"]
    return Result(
        name=f"thermal runaway ({spec.trigger}, {spec.target})",
        message=message,
        series=series,
        meshes={key: MeshData(points=mesh.points, cells=mesh.cells, cell_sets=mesh.cell_sets)},
        fields=fields,
        scalars=scalars,
        tables={"cells": table},
        provenance=Provenance(
            engine_id="thermal.runaway", engine_version="1.0", spec_hash="", warnings=warnings
        ),
    )
