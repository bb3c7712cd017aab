"""``mechanics.vibration``: base-excitation response of a cell, module, pack or imported part to a
random PSD, a sine sweep/dwell or a half-sine shock, by modal superposition with modal damping.

Random (:mod:`cellwright.engines.mechanics.random_response`): RMS and 3σ acceleration and von
Mises stress fields, response PSDs at the worst point, Miles' equation for the dominant mode
beside the full result, and Steinberg and Dirlik fatigue damage over the profile's duration
against the library's S–N data (:mod:`cellwright.engines.mechanics.fatigue`). Sine: the steady
state amplitude over the sweep (the sweep is slow against every resonance), its peak
acceleration and von Mises stress envelopes, evaluated on the same frequency lines. Shock
(:mod:`cellwright.engines.mechanics.shock`): the pulse's shock response spectrum and the peak
acceleration and von Mises stress over the pulse and the residual vibration.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated, ClassVar, Literal

import numpy as np
from pydantic import BaseModel, Field

from cellwright.engines.api import Progress
from cellwright.engines.mechanics.modal import check_target, mode_table
from cellwright.engines.mechanics.spec import Hertz, StructureSpec, prepare_structure
from cellwright.projects.model import (
    DesignSnapshot,
    FieldData,
    InputError,
    Provenance,
    Result,
    Unit,
)

__all__ = ["VibrationEngine", "VibrationSpec"]

_AXIS = {"x": 0, "y": 1, "z": 2}


class VibrationSpec(StructureSpec):
    """A vibration test of the structure: profile, direction, damping."""

    profile: str = Field(
        "GB38031-Z",
        examples=[
            "GB38031-Z",
            "GB38031-Y",
            "GB38031-X",
            "ISO16750-3-IV",
            "UN38.3-T3",
            "UN38.3-T3-large",
            "R100-8A",
            "UN38.3-T4",
            "UN38.3-T4-large",
        ],
        description="a shipped profile (GB38031-Z/Y/X, ISO16750-3-IV, UN38.3-T3, "
        "UN38.3-T3-large, R100-8A, UN38.3-T4, UN38.3-T4-large) or a PSD CSV file",
    )
    shock_peak: Annotated[float, Unit("m/s^2"), Field(gt=0, le=1e6)] | None = Field(
        None, description="a half-sine of this peak instead of the profile (with shock_duration)"
    )
    shock_duration: Annotated[float, Unit("s"), Field(gt=0, le=1.0)] | None = None
    direction: Literal["x", "y", "z"] = "z"
    damping: float = Field(0.03, gt=0, lt=0.5, description="modal damping ratio ζ (Q = 1/2ζ)")
    lines: int = Field(2000, ge=50, le=100000, description="frequency lines over the band")
    duration: Annotated[float, Unit("s"), Field(gt=0, le=1e9)] | None = Field(
        None, description="fatigue: exposure time; default: the profile's duration per axis"
    )
    probes: dict[str, tuple[float, float, float]] = Field(
        default_factory=dict,
        description="named points [m]: response at the nearest mesh vertex, e.g. "
        '{"bms": [0.05, 0.02, 0.08]}',
    )
    dwell_frequency: Hertz | None = Field(
        None, description="sine: dwell at this frequency instead of sweeping"
    )
    residual_vector: bool = Field(
        True,
        description="add the residual vector of the excitation to the modes: the quasi-static "
        "response of the mass they do not hold (Dickens et al. 1997; Nastran RESVEC)",
    )


class VibrationEngine:
    """Random and sine base-excitation response by modal superposition, with fatigue."""

    id: ClassVar[str] = "mechanics.vibration"
    title: ClassVar[str] = "Vibration (random PSD, sine sweep/dwell; stresses and fatigue)"
    version: ClassVar[str] = "1.0"
    Spec: ClassVar[type[BaseModel]] = VibrationSpec
    libraries: ClassVar[tuple[str, ...]] = ("gmsh", "numpy", "scipy", "numba", "pypardiso")

    def validate(self, spec: VibrationSpec, design: DesignSnapshot) -> None:
        """Profile readable and of a kind this engine runs; pack target needs a pack."""
        from cellwright.projects.vibration import SineSweep, load_vibration_profile

        check_target(spec, design)
        if spec.free:
            raise InputError("spec.free: a base excitation needs supports (the shaker table)")
        if (spec.shock_peak is None) != (spec.shock_duration is None):
            raise InputError("spec.shock_peak: a half-sine needs both shock_peak and "
                             "shock_duration")  # fmt: skip
        profile = load_vibration_profile(spec.profile, "spec.profile")
        if spec.dwell_frequency is not None and not isinstance(profile, SineSweep):
            raise InputError("spec.dwell_frequency: a dwell needs a sine profile")

    def run(
        self, spec: VibrationSpec, design: DesignSnapshot, progress: Progress, workdir: Path
    ) -> Result:
        """Modes, then the response to the profile."""
        from cellwright.engines.mechanics.eigen import solve_modes, with_residual
        from cellwright.projects.vibration import (
            RandomProfile,
            ShockPulse,
            load_vibration_profile,
        )

        started = time.perf_counter()
        profile = load_vibration_profile(spec.profile, "spec.profile")
        if spec.shock_peak is not None:
            profile = ShockPulse("half-sine", spec.shock_peak, spec.shock_duration)
        progress.update(0.02, "meshing the structure")
        problem = prepare_structure(spec, design)
        system = problem.model.build()
        progress.update(0.3, f"solving for {spec.modes} modes ({system.free.size} unknowns)")
        modes = solve_modes(system, spec.modes, spec.rigid_below)
        if modes.rigid.any():
            raise InputError("spec.supports: the model is not held (rigid-body modes remain)")
        if spec.residual_vector:
            modes = with_residual(system, modes, _AXIS[spec.direction])
        progress.update(0.7, "modal stresses")
        response = _Response(spec, problem, system, modes)
        if isinstance(profile, RandomProfile):
            result = response.random(profile, spec.duration or profile.duration)
        elif isinstance(profile, ShockPulse):
            result = response.shock(profile)
        else:
            result = response.sine(profile)
        result.tables["modes"] = mode_table(modes)
        result.scalars["First natural frequency [Hz]"] = float(modes.frequencies[modes.natural[0]])
        result.scalars["Wall time [s]"] = time.perf_counter() - started
        return result


class _Response:
    """Modal quantities shared by the random and sine responses."""

    def __init__(self, spec: VibrationSpec, problem, system, modes) -> None:
        from cellwright.engines.mechanics.kernels import vertex_stresses

        self.spec, self.problem, self.system, self.modes = spec, problem, system, modes
        self.axis = _AXIS[spec.direction]
        self.nv = system.mesh.n_vertices
        self.gamma = modes.participation[:, self.axis]
        shapes = modes.shapes
        self.stress = vertex_stresses(  # (n_vertices, 6, m) per unit modal coordinate
            system.mesh.tet10, system.grad, system.element_stiffness, shapes, self.nv
        )
        vertex_dofs = shapes.reshape(-1, 3, shapes.shape[1])[: self.nv]
        base = np.zeros((self.nv, 3, 1))
        base[:, self.axis, 0] = 1.0
        self.accel_shapes = np.concatenate([base, vertex_dofs], axis=2)  # (nv, 3, m+1)

    def probe_vertices(self) -> dict[str, int]:
        """The mesh vertex nearest to each named probe point."""
        points = self.system.mesh.points[: self.nv]
        return {name: int(np.argmin(np.linalg.norm(points - np.asarray(xyz), axis=1)))
                for name, xyz in self.spec.probes.items()}  # fmt: skip

    def _lines(self, f_min: float, f_max: float) -> np.ndarray:
        from cellwright.engines.mechanics.random_response import frequency_lines

        return frequency_lines(f_min, f_max, self.spec.lines, self.modes.frequencies,
                               self.spec.damping)  # fmt: skip

    def random(self, profile, duration: float) -> Result:
        from cellwright.engines.mechanics.random_response import (
            VON_MISES,
            miles_rms,
            random_covariance,
        )
        from cellwright.projects.vibration import G

        f = self._lines(profile.frequency[0], profile.frequency[-1])
        psd = profile.at(f)
        cov = random_covariance(f, psd, self.modes.frequencies, self.gamma, self.spec.damping)
        a = self.accel_shapes
        acc_var = np.einsum("ica,ab,icb->i", a, cov.acceleration, a)
        qs = np.einsum("pq,iqk->ipk", VON_MISES, self.stress)
        pair = np.einsum("ipk,ipl->ikl", self.stress, qs)  # σ_kᵀ Q σ_l per vertex
        moments = [np.einsum("ikl,kl->i", pair, mj) for mj in cov.moments]
        vm_rms = np.sqrt(np.maximum(moments[0], 0.0))
        acc_rms = np.sqrt(np.maximum(acc_var, 0.0)) / G
        worst = int(np.argmax(vm_rms))
        # the mode that takes most of the input: effective mass times the PSD at its frequency
        weight = self.modes.effective_mass[:, self.axis] * profile.at(self.modes.frequencies)
        weight[self.modes.is_residual] = 0.0  # a residual vector is no mode to name
        dominant = int(np.argmax(weight))
        f_dom = float(self.modes.frequencies[dominant])
        miles = miles_rms(f_dom, self.spec.damping, float(profile.at(np.array([f_dom]))[0]))
        if weight[dominant] <= 1e-3 * self.modes.total_mass * profile.psd.max():
            f_dom, miles = float("nan"), float("nan")  # no mode in the band takes this input
        fields = {
            "RMS acceleration [g]": acc_rms,
            "3-sigma acceleration [g]": 3 * acc_rms,
            "RMS von Mises stress [Pa]": vm_rms,
            "3-sigma von Mises stress [Pa]": 3 * vm_rms,
        }
        scalars = {
            "Input RMS acceleration [g]": profile.rms / G,
            "Maximum RMS acceleration [g]": float(acc_rms.max()),
            "Maximum 3-sigma von Mises stress [Pa]": float(3 * vm_rms.max()),
            "Dominant mode frequency [Hz]": f_dom,
            "Miles RMS acceleration, dominant mode [g]": miles / G,
            "Damping ratio [-]": self.spec.damping,
        }
        table = {"Frequency [Hz]": f, "Input PSD [g^2/Hz]": psd / G**2}
        relative, accel = _transfer(f, self.modes.frequencies, self.gamma, self.spec.damping)
        point = int(np.argmax(acc_rms))
        t_point = np.hstack([np.ones((len(f), 1)), accel]) @ a[point, self.axis]
        table["Peak-acceleration point PSD [g^2/Hz]"] = np.abs(t_point) ** 2 * psd / G**2
        s_point = np.einsum("fk,kl,fl->f", relative, pair[worst], np.conj(relative)).real * psd
        table["Peak-stress point von Mises PSD [Pa^2/Hz]"] = s_point
        full = np.hstack([np.ones((len(f), 1)), accel])
        for name, vertex in self.probe_vertices().items():
            t_probe = full @ a[vertex, self.axis]
            table[f"{name} acceleration PSD [g^2/Hz]"] = np.abs(t_probe) ** 2 * psd / G**2
            scalars[f"{name} RMS acceleration [g]"] = float(acc_rms[vertex])
            scalars[f"{name} RMS von Mises stress [Pa]"] = float(vm_rms[vertex])
        damage = self._fatigue(moments, duration, scalars)
        if damage is not None:
            fields["Fatigue damage, Dirlik [-]"] = damage[0]
            fields["Fatigue damage, Steinberg [-]"] = damage[1]
        return self._result(f"Random vibration ({profile.name}, {self.spec.direction})",
                            fields, scalars, {"psd": table}, float(f[-1]))  # fmt: skip

    def _fatigue(self, moments, duration: float, scalars) -> tuple | None:
        """Per-vertex damage for vertices of regions whose material has S–N data."""
        from cellwright.engines.mechanics.fatigue import dirlik_damage, steinberg_damage

        curves = self.problem.sn_curves if hasattr(self.problem, "sn_curves") else {}
        if not curves or duration <= 0:
            return None
        m0, m1, m2, m4 = moments
        dirlik = np.full(self.nv, np.nan)
        steinberg = np.full(self.nv, np.nan)
        tets = self.system.mesh.tets
        for k, name in enumerate(self.system.region_names):
            if name not in curves:
                continue
            nodes = np.unique(tets[self.system.element_region == k])
            sn = curves[name]
            dirlik[nodes] = dirlik_damage(m0[nodes], m1[nodes], m2[nodes], m4[nodes],
                                          duration, sn)  # fmt: skip
            steinberg[nodes] = steinberg_damage(np.sqrt(m0[nodes]), m0[nodes], m2[nodes],
                                                duration, sn)  # fmt: skip
        scalars["Exposure [s]"] = duration
        scalars["Maximum fatigue damage, Dirlik [-]"] = float(np.nanmax(dirlik))
        scalars["Maximum fatigue damage, Steinberg [-]"] = float(np.nanmax(steinberg))
        return dirlik, steinberg

    def sine(self, sweep) -> Result:
        from cellwright.engines.mechanics.random_response import VON_MISES
        from cellwright.projects.vibration import G

        if self.spec.dwell_frequency is not None:
            f = np.array([self.spec.dwell_frequency])
        else:
            f = self._lines(sweep.f_start, sweep.f_end)
        amp = sweep.acceleration(f)
        relative, accel = _transfer(f, self.modes.frequencies, self.gamma, self.spec.damping)
        a = self.accel_shapes[:, self.axis]  # response along the excitation
        acc = np.abs(np.hstack([np.ones((len(f), 1)), accel]) @ a.T) * amp[:, None]
        peak_acc = acc.max(axis=0) / G
        stress = np.einsum("ipk,fk->fip", self.stress, relative) * amp[:, None, None]
        vm = np.sqrt(np.maximum(np.einsum("fip,pq,fiq->fi", stress.conj(), VON_MISES,
                                          stress).real, 0.0))  # fmt: skip
        peak_vm = vm.max(axis=0)
        point = int(np.argmax(peak_acc))
        scalars = {
            "Maximum peak acceleration [g]": float(peak_acc.max()),
            "Maximum peak von Mises stress [Pa]": float(peak_vm.max()),
            "Frequency of the peak response [Hz]": float(f[int(np.argmax(acc[:, point]))]),
            "Damping ratio [-]": self.spec.damping,
        }
        table = {
            "Frequency [Hz]": f,
            "Input acceleration [g]": amp / G,
            "Peak-acceleration point response [g]": acc[:, point] / G,
            "Maximum von Mises stress [Pa]": vm.max(axis=1),
        }
        fields = {"Peak acceleration [g]": peak_acc, "Peak von Mises stress [Pa]": peak_vm}
        full = np.hstack([np.ones((len(f), 1)), accel])
        for name, vertex in self.probe_vertices().items():
            response = np.abs(full @ a[vertex]) * amp
            table[f"{name} response [g]"] = response / G
            scalars[f"{name} peak acceleration [g]"] = float(response.max() / G)
        kind = "dwell" if self.spec.dwell_frequency else "sweep"
        return self._result(f"Sine {kind} ({sweep.name}, {self.spec.direction})", fields,
                            scalars, {"response": table}, float(f.max()))  # fmt: skip

    def shock(self, pulse) -> Result:
        from cellwright.engines.mechanics.random_response import VON_MISES
        from cellwright.engines.mechanics.shock import (
            half_sine,
            modal_shock_response,
            shock_response_spectrum,
            shock_time_grid,
        )
        from cellwright.projects.vibration import G

        f_modes = self.modes.frequencies
        natural = f_modes[self.modes.natural]
        # a residual vector's high Rayleigh frequency sets no time step: lsim's exact
        # discretisation follows its quasi-static response at any step
        t = shock_time_grid(pulse.duration, float(natural[0]), float(natural[-1]))
        base = half_sine(t, pulse.peak, pulse.duration)
        q, qdd = modal_shock_response(t, base, f_modes, self.gamma, self.spec.damping)
        a = self.accel_shapes  # (nv, 3, m+1): base, then modes
        history = np.hstack([base[:, None], qdd])  # absolute acceleration coefficients
        peak_acc = np.zeros(self.nv)
        peak_vm = np.zeros(self.nv)
        for lo in range(0, self.nv, 2000):  # vertex chunks keep the time histories small
            hi = min(lo + 2000, self.nv)
            acc = np.einsum("tk,ick->tic", history, a[lo:hi])
            peak_acc[lo:hi] = np.sqrt((acc**2).sum(axis=2)).max(axis=0)
            sig = np.einsum("tk,ipk->tip", q, self.stress[lo:hi])
            vm2 = np.einsum("tip,pq,tiq->ti", sig, VON_MISES, sig)
            peak_vm[lo:hi] = np.sqrt(np.maximum(vm2, 0.0)).max(axis=0)
        srs_f = np.geomspace(10.0, 10000.0, 200)
        srs = shock_response_spectrum(t, base, srs_f, self.spec.damping)
        point = int(np.argmax(peak_acc))
        series_point = history @ a[point, self.axis]
        scalars = {
            "Pulse peak [g]": pulse.peak / G,
            "Pulse duration [s]": pulse.duration,
            "Maximum peak acceleration [g]": float(peak_acc.max() / G),
            "Maximum peak von Mises stress [Pa]": float(peak_vm.max()),
            "Damping ratio [-]": self.spec.damping,
        }
        fields = {"Peak acceleration [g]": peak_acc / G, "Peak von Mises stress [Pa]": peak_vm}
        tables = {
            "srs": {"Frequency [Hz]": srs_f, "Shock response spectrum [g]": srs / G},
            "history": {"Time [s]": t, "Base acceleration [g]": base / G,
                        "Peak-acceleration point acceleration [g]": series_point / G},
        }  # fmt: skip
        return self._result(f"Half-sine shock ({pulse.name}, {self.spec.direction})", fields,
                            scalars, tables)  # fmt: skip

    def _result(
        self, name: str, fields: dict, scalars: dict, tables: dict, band: float | None = None
    ) -> Result:
        """The result; ``band``: the profile's highest frequency [Hz], if it has one."""
        prov = Provenance(engine_id=VibrationEngine.id, engine_version="1.0", spec_hash="")
        prov.warnings.append(f"mesh: {self.problem.quality}")
        modes, axis, d = self.modes, self.axis, self.spec.direction
        captured = modes.effective_mass[:, axis].sum() / modes.total_mass
        by_modes = modes.effective_mass[modes.natural, axis].sum() / modes.total_mass
        scalars[f"Effective mass captured {d.upper()} [-]"] = float(captured)
        count, top = len(modes.natural), float(modes.frequencies[modes.natural[-1]])
        message = ""
        if captured > by_modes:
            scalars[f"Effective mass of the residual vector {d.upper()} [-]"] = float(
                captured - by_modes
            )
        # With a residual vector the static response is in the basis whatever mass the modes
        # hold, so the response is complete once every mode in the band is computed (an
        # inclined bar on its in-band modes: within 0.2 % of the direct frequency response,
        # tests/validation/test_vibration_residual.py); the mass share then judges nothing.
        # Without one, the mass the modes leave out is missing from the response; a shock has
        # no band to compare the modes with, so there the mass share still judges.
        residual = modes.is_residual.any() and band is not None
        if not residual and captured < 0.8:
            prov.warnings.append(
                f"the {count} modes capture {captured:.0%} of the mass along {d}: ask for more "
                "modes for a complete response"
            )
        elif residual and by_modes < 0.8 and top < band:
            prov.warnings.append(
                f"the {count} modes (to {top:.4g} Hz) hold {by_modes:.0%} of the mass along {d} "
                f"and the profile reaches {band:.4g} Hz: modes between are left out (the "
                "residual vector takes their mass quasi-statically); ask for more modes"
            )
        elif residual and by_modes < 0.8:  # every mode in the band is computed
            message = (
                f"The {count} modes hold {by_modes:.0%} of the mass along {d}, the residual "
                f"vector {captured - by_modes:.0%}: the structure moves that mass "
                "quasi-statically, with no mode of its own in the band."
            )
        data = [FieldData(name=n, mesh="design", association="point", times=np.zeros(1),
                          values=v[None, :]) for n, v in fields.items()]  # fmt: skip
        return Result(name=name, message=message, meshes={"design": self.problem.mesh},
                      fields=data, scalars=scalars, tables=tables, provenance=prov)  # fmt: skip


def _transfer(f, modes_hz, gamma, damping):
    from cellwright.engines.mechanics.random_response import modal_transfer

    return modal_transfer(f, modes_hz, gamma, damping)
