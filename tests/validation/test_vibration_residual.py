"""The residual vector: a base excitation along a direction no computed mode moves.

A bar of length L clamped at one end and shaken along its axis has its first axial mode at
c / 4L (12.6 kHz for 100 mm of aluminium), far above a road profile's band: the bar follows the
base quasi-statically and the axial stress at distance x from the free end is ρ x a(t), so its
RMS is ρ x a_rms (the bar's inertia load, e.g. Timoshenko & Goodier, *Theory of Elasticity*,
§102 for the static case). The four lowest modes are bending modes and move none of the axial
mass: modal superposition on them alone gives no axial stress at all; with the residual vector
(Dickens, Nakagawa & Wittbrodt 1997) the stress at mid-length is ρ (L/2) a_rms.
"""

from __future__ import annotations

import numpy as np
import pytest

from cellwright.engines.api import run_study
from support.cad import write_step_bar


@pytest.fixture(scope="module")
def bar_spec(tmp_path_factory):
    path = tmp_path_factory.mktemp("bar") / "bar.step"
    write_step_bar(path)
    return {
        "geometry": {"file": str(path), "materials": {"*": "aluminium-6061"}, "mesh_size": 0.004,
                     "faces": {"clamp": [-1e-4, -1e-4, -1e-4, 1e-4, 0.0101, 0.0101]}},
        "supports": [{"group": "clamp"}],
        "modes": 4,
        "profile": "ISO16750-3-IV",
        "direction": "x",
        "lines": 400,
    }  # fmt: skip


@pytest.fixture(scope="module")
def aluminium(library):
    snapshot = library.snapshot_for(library.design_for_cell("lg-m50"))
    materials = {**snapshot.materials, "aluminium-6061": library.material("aluminium-6061")}
    return snapshot.model_copy(update={"materials": materials})


def _mid_length_stress(result) -> float:
    """Mean RMS von Mises stress over the vertices within 4 mm of mid-length."""
    vm = result.field("RMS von Mises stress [Pa]").values[0]
    points = np.asarray(result.meshes["design"].points)[: vm.size]
    return float(vm[np.abs(points[:, 0] - 0.05) < 0.004].mean())


def test_the_residual_vector_gives_the_quasi_static_axial_stress(bar_spec, aluminium) -> None:
    result = run_study("mechanics.vibration", bar_spec, aluminium)
    rho, a_rms = 2700.0, result.scalars["Input RMS acceleration [g]"] * 9.80665
    assert _mid_length_stress(result) == pytest.approx(rho * 0.05 * a_rms, rel=0.02)
    modes = result.tables["modes"]
    assert list(modes["Residual vector [-]"]) == [0, 0, 0, 0, 1]
    # its Rayleigh frequency lies near the first axial mode, c / 4L
    c = np.sqrt(68.9e9 / rho)
    assert modes["Frequency [Hz]"][-1] == pytest.approx(c / (4 * 0.1), rel=0.05)
    # it holds the axial mass the bending modes do not (8 / π² for the first axial mode alone)
    assert result.scalars["Effective mass of the residual vector X [-]"] > 8 / np.pi**2
    assert "the residual vector" in result.message and "quasi-statically" in result.message
    first = result.scalars["First natural frequency [Hz]"]
    assert first == pytest.approx(modes["Frequency [Hz]"][0])


def test_without_it_the_truncated_modes_miss_the_axial_stress(bar_spec, aluminium) -> None:
    result = run_study("mechanics.vibration", {**bar_spec, "residual_vector": False}, aluminium)
    assert _mid_length_stress(result) < 1e-3 * 2700.0 * 0.05 * 27.78
    assert any("capture 0% of the mass along x" in w for w in result.provenance.warnings)
