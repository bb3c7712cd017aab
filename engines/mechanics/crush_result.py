"""The crush result: force–displacement series, fields over the steps, short onset, verdict."""

from __future__ import annotations

import numpy as np

from cellwright.engines.mechanics.crush_short import is_housing
from cellwright.engines.mechanics.crush_spec import STANDARDS
from cellwright.engines.mesh.packs import region_words
from cellwright.projects.model import FieldData, Provenance, Result, ResultStatus

__all__ = ["SERIES", "STABILISATION_WARNING", "crush_result"]

#: the share of the external work the springs and dampers may take before the result warns:
#: Abaqus asks that the stabilisation energy (ALLSD) stay a small fraction of the strain energy;
#: the runs here take under 2 % (0.4-1.6 % with dampers on, far less without)
STABILISATION_WARNING = 0.05

SERIES = (
    "Time [s]", "Displacement [m]", "Force [N]", "Deformation [-]", "External work [J]",
    "Internal energy [J]", "Plastic dissipation [J]", "Contact energy [J]",
    "Stabilisation energy [J]", "Newton iterations [-]",
)  # fmt: skip


def _fields(run) -> list[FieldData]:
    m = run.model
    nv = m.mesh.n_vertices
    times = np.array([run.time_at(f.travel) for f in run.frames])
    disp = np.stack([f.u.reshape(-1, 3)[:nv] for f in run.frames])
    foam = m.params[m.material, 0] == 2.0
    vol = np.stack([np.where(foam, f.volumetric, np.nan) for f in run.frames])
    return [
        FieldData(name="Displacement [m]", mesh="design", association="point", times=times,
                  values=disp),
        FieldData(name="Equivalent plastic strain [-]", mesh="design", association="cell",
                  times=times, values=np.stack([f.eq for f in run.frames])),
        FieldData(name="Jelly-roll volumetric strain [-]", mesh="design", association="cell",
                  times=times, values=np.nan_to_num(vol)),
        FieldData(name="Contact pressure [Pa]", mesh="design", association="point", times=times,
                  values=np.stack([f.pressure for f in run.frames])),
    ]  # fmt: skip


def _verdict(run, passed_stop: bool) -> tuple[str, float]:
    clause = run.preset.clause or "custom loading"
    base, p = STANDARDS[run.spec.standard], run.preset
    if base.impact and (p.drop_mass, p.drop_height) != (base.drop_mass, base.drop_height):
        clause += f" (its drop changed to {p.drop_mass:g} kg from {p.drop_height * 1e3:g} mm)"
    off = run.spec.stops_off()
    if off:  # the loading went on past a stop the standard sets: say so beside its clause
        clause += f" (its stop(s) switched off: {', '.join(off)})"
    before = False  # the standard's own stop came before the short
    if run.standard_stop is not None:
        what, travel, force = run.standard_stop
        before = run.onset is None or run.onset.travel > travel
        clause += (f"; with its stops the test would have ended at {travel * 1e3:.3g} mm "
                   f"({force / 1e3:.3g} kN) by {what}"
                   + (", before any short-circuit onset" if before else ""))  # fmt: skip
    if run.onset is not None:
        onset = run.onset.describe(run.time_at(run.onset.travel))
        if before:  # squeezed on past the standard's stop to find the short
            return (f"{clause}: the cell passes the standard's test, which ends before the "
                    f"short; squeezed on: {onset}; what that short does: run the chained "
                    "thermal.runaway study", 1.0)  # fmt: skip
        # a short is not a failure of a squeeze test: the clause asks for no fire and no
        # explosion, which the chained runaway study decides; no verdict here, not a fail
        return (f"{clause}: {onset}; whether the cell passes depends on what the short does "
                "(no fire, no explosion): run the chained thermal.runaway study",
                np.nan)  # fmt: skip
    if passed_stop and run.own_stop and run.preset.impact:
        # the impact ends where the mass is at rest; a travel limit before that is no verdict
        return (f"{clause}: stopped by {run.stop_reason}, before the mass came to rest, "
                "without a short-circuit onset so far; no verdict", np.nan)  # fmt: skip
    if passed_stop and run.own_stop and run.preset.clause and run.standard_stop is None:
        # the study stopped the indenter before any of the standard's stops: no verdict yet
        return (f"{clause}: stopped by the study's own {run.stop_reason}, before any of the "
                "standard's stops, without a short-circuit onset so far; the standard's verdict "
                "needs the squeeze run on to its stop", np.nan)  # fmt: skip
    if passed_stop:
        return f"{clause}: stopped by {run.stop_reason} without a short-circuit onset", 1.0
    # the failure itself opens the message (crush_result); here only what it means for the test
    before = "the standard's stop" if run.preset.clause else "its stop"
    return f"{clause}: the run ended before {before}", np.nan


def crush_result(run, follower, partial: bool = False) -> Result:
    """The result so far (``partial``: a live update) or at the end of the run."""
    rows = np.array(run.rows, dtype=float)
    series = {name: rows[:, k] for k, name in enumerate(SERIES)}
    force = series["Force [N]"]
    peak = int(np.argmax(force)) if force.size else 0
    scalars = {
        "Peak force [N]": float(force[peak]) if force.size else 0.0,
        "Displacement at peak force [m]": float(series["Displacement [m]"][peak]),
        "Final displacement [m]": float(series["Displacement [m]"][-1]),
        "Final deformation [-]": float(series["Deformation [-]"][-1]),
        "Part size along the load [m]": run.extent,
        "Part weight [N]": run.weight,
        "Steps": float(len(follower.iterations)),
        "Newton iterations": float(sum(follower.iterations)),
        # what the kept steps do not show: iterations of steps halved after failing, or tried
        # again shorter to land on an event (on the 4s2p module's squeeze ~280 beside 367)
        "Newton iterations in steps not kept": float(
            len(follower.seconds_per_iteration) - sum(follower.iterations)
        ),
        "Factorisations": float(follower.factorisations),
        "Tetrahedra": float(run.model.mesh.tet10.shape[0]),
        "Degrees of freedom": float(run.model.n_dofs),
        # fewer where the jelly roll's elements are linear (their edge nodes tied)
        "Unknowns solved": float(run.model.n_unknowns),
    }
    if follower.seconds_per_iteration:
        scalars["Seconds per Newton iteration [s]"] = float(np.mean(follower.seconds_per_iteration))
    e = follower.converged.energy
    if e.get("external", 0.0) > 0:
        viscous = e.get("viscous", 0.0)
        balance = e["internal"] + e["contact"] + e["stabilisation"] + viscous
        scalars["Energy balance error [-]"] = abs(e["external"] - balance) / e["external"]
        # the share the stabilisation took: small, or the result is the dampers' (Abaqus: ALLSD)
        scalars["Stabilisation / external work [-]"] = (e["stabilisation"] + viscous) / e[
            "external"]  # fmt: skip
    if run.rate_hardening:  # the largest Cowper–Symonds factor of any metal point
        scalars["Peak rate-hardening factor [-]"] = run.rate_factor
    if run.onset is not None:
        o = run.onset
        scalars.update({
            "Short-circuit onset displacement [m]": o.travel,
            "Short-circuit onset time [s]": run.time_at(o.travel),
            "Short-circuit onset force [N]": o.force,
            "Short-circuit onset x [m]": float(o.position[0]),
            "Short-circuit onset y [m]": float(o.position[1]),
            "Short-circuit onset z [m]": float(o.position[2]),
            # the criterion's value there: the jelly-roll strain (within 0.5 % over the
            # critical one, where the path lands), 1 for a fracture, the strain at the peak
            "Short-circuit onset value [-]": o.value,
        })  # fmt: skip
    if run.standard_stop is not None:  # a stop switched off, where the standard stops
        scalars["Standard's stop displacement [m]"] = run.standard_stop[1]
        scalars["Standard's stop force [N]"] = run.standard_stop[2]
    if follower.fractured:
        travel = follower.fractured[0][0]
        scalars["First fracture displacement [m]"] = travel
        # the path lands on the first fracture (crush_run), so its step's force is the force then
        scalars["First fracture force [N]"] = next(r[2] for r in run.rows if r[1] == travel)
    status = ResultStatus.COMPLETE
    message, passed = _verdict(run, bool(run.stop_reason))
    if partial:
        message = "running"
    elif run.failure:
        status = ResultStatus.PARTIAL
        message = (f"stopped early: {run.failure}; the last converged state "
                   f"({follower.converged.travel * 1e3:.3g} mm) is kept. {message}")  # fmt: skip
    if follower.fractured and not partial:
        message = f"{message.rstrip('.')}. {_first_fracture(run, follower)}"
    if follower.stabilised and not partial:
        message = f"{message.rstrip('.')}. {_stabilised(follower)}"
    if run.rate_hardening and not partial:
        message = (
            f"{message.rstrip('.')}. The metals flowed with their Cowper–Symonds rate hardening, "
            f"up to {run.rate_factor:.2f} × their static curves at the strike's strain rates "
            "(rate_hardening = false: the static curves)."
        )
    share = scalars.get("Stabilisation / external work [-]", 0.0)
    if share > STABILISATION_WARNING and not partial:
        message = f"{message.rstrip('.')}. {_unheld(share)}"
        passed = np.nan  # no verdict on a force that is the springs'
    scalars["Passes [-]"] = passed
    prov = Provenance(engine_id="mechanics.crush", engine_version="1.0", spec_hash="")
    prov.warnings.append(f"mesh: {run.problem.quality}")
    prov.warnings.extend(run.setup.warnings)
    if run.setup.foam is not None:
        prov.warnings.append(f"jelly roll: foam set {run.setup.foam.id} ({run.setup.foam.source})")
    return Result(
        name="Crush", status=status, message=message, series=series,
        meshes={"design": run.problem.mesh}, fields=[] if partial else _fields(run),
        scalars=scalars, provenance=prov,
    )  # fmt: skip


def _unheld(share: float) -> str:
    """The warning for a run whose work went largely into the springs and dampers."""
    return (
        f"Warning: the weak springs that hold the part's free motion and the dampers took "
        f"{share:.0%} of the external work, so the force is theirs more than the structure's: "
        "the part is not held where it is pushed (parts joined only by soft layers slide past "
        'each other, or it rests where nothing grips it). Hold it (support = "fixed" on a '
        "group) or give it what holds it in service (end plates, housing)."
    )


def _stabilised(follower) -> str:
    """Where the viscous stabilisation came on and what it took (Abaqus: ALLSD / ALLWK)."""
    e = follower.converged.energy
    share = e.get("viscous", 0.0) / e["external"] if e.get("external", 0.0) > 0 else 0.0
    travel, factor = follower.stabilised[0]
    raised = (f", raised to {follower.stabilised[-1][1]:.0e} at "
              f"{follower.stabilised[-1][0] * 1e3:.3g} mm" if len(follower.stabilised) > 1
              else "")  # fmt: skip
    return (
        f"No step converged beyond {travel * 1e3:.3g} mm without damping (the structure "
        f"lets go there), so viscous stabilisation was switched on (factor {factor:.0e}"
        f"{raised}); it took {share:.1%} of the external work."
    )


def _first_fracture(run, follower) -> str:
    """Where and when the part first fractured, and whether a crack there can be a short."""
    travel, elements = follower.fractured[0]
    m = run.model
    centre = m.mesh.points[m.mesh.tet10[elements[0], :4]].mean(axis=0)
    where = np.round(centre * 1e3, 2).tolist()
    region = m.region_names[m.region_of[elements[0]]]
    # a meshed cell's or pack's regions read as words ("the can"); an imported part's are its
    # CAD names
    part = region_words(region) if run.spec.geometry is None else f'part "{region}"'
    beside = run.housing_beside_stack()
    if is_housing([region])[0] and not np.isin(elements, beside).any():
        note = " past the electrode stack's ends, where a crack is a leak, not a short"
    else:
        note = ""
    return f"The {part} first fractures at {travel * 1e3:.2f} mm at {where} mm{note}."
