"""A structural mesh whose stiffness could not be factorised in the free memory is refused
after meshing, before assembly, with the need, what is free and the field to change."""

from __future__ import annotations

import numpy as np
import pytest

from cellwright.engines.api import run_study
from cellwright.engines.mechanics import factor
from cellwright.engines.mechanics.factor import available_memory, check_factor_memory
from cellwright.projects.model import InputError


def test_the_prediction_matches_what_pardiso_reports_for_the_default_crush_mesh(library):
    """The n^(4/3) law is anchored on the 1.6 mm mesh; here it meets PARDISO's own report of
    the factor's memory (its analysis: iparm(16) + iparm(17)) on the default mesh, a sixth of
    the unknowns."""
    from cellwright.engines.api import Progress
    from cellwright.engines.mechanics.crush_factor import _IPARM, TangentFactor
    from cellwright.engines.mechanics.crush_model import ContactState
    from cellwright.engines.mechanics.crush_run import CrushRun
    from cellwright.engines.mechanics.crush_spec import CrushSpec

    design = library.snapshot_for(library.design_for_cell("lg-m50"))
    model = CrushRun.prepare(CrushSpec(standard="GB38031-cell"), design,
                             Progress(lambda _: None)).model  # fmt: skip
    state = model.initial_state()
    contacts = [ContactState(np.zeros((model.skin_nodes.size, 3))) for _ in model.indenters]
    u = np.zeros(model.n_dofs)
    tangent = model.evaluate(u, 0.0, 0.0, u, state, contacts, True).tangent
    handle = TangentFactor("double")
    try:
        handle.factorize(tangent)
        pardiso = handle._active.solver
        for k, v in _IPARM.items():
            assert pardiso.iparm[k - 1] == v
        reported = (pardiso.iparm[15] + pardiso.iparm[16]) * 1024.0  # KB -> bytes
    finally:
        handle.close()
    predicted = factor.factor_memory(model.n_dofs) - factor._MATRIX_BYTES_PER_UNKNOWN * model.n_dofs
    assert model.n_dofs < 0.25 * factor._MEASURED_UNKNOWNS
    assert predicted == pytest.approx(reported, rel=0.3)


def test_a_mesh_too_large_for_the_free_memory_is_refused_with_the_field() -> None:
    with pytest.raises(InputError) as err:
        check_factor_memory(4_000_000, 950_000, "spec.mesh_size", free=20e9)
    text = str(err.value)
    assert text.startswith("spec.mesh_size: the mesh has 950000 tetrahedra (4000000 unknowns")
    assert "20 GB of memory is free" in text and "choose a larger mesh size" in text
    need = float(text.split("needs about ")[1].split(" GB")[0])
    assert need == pytest.approx(factor.factor_memory(4e6) / 1e9, rel=1e-2) and need > 100
    check_factor_memory(200_000, 43_000, "spec.mesh_size", free=20e9)  # the 1.6 mm mesh: fine


def test_the_free_memory_is_read_on_this_system() -> None:
    free = available_memory()
    assert free is not None and 1e8 < free < 1e14


def test_a_modal_study_on_a_mesh_beyond_the_memory_fails_with_the_field(library, monkeypatch):
    monkeypatch.setattr(factor, "available_memory", lambda: 1e6)  # a machine with 1 MB free
    design = library.snapshot_for(library.design_for_cell("lg-m50"))
    result_or_error = None
    try:
        result_or_error = run_study("mechanics.modal", {"modes": 3}, design)
    except InputError as exc:
        result_or_error = exc
    text = str(getattr(result_or_error, "message", result_or_error))
    assert "spec.mesh_size: the mesh has" in text and "0.001 GB of memory is free" in text


def _laplacian(n: int):
    """The 7-point Laplacian on an n³ grid: symmetric, positive definite, 3D fill."""
    import scipy.sparse as sp

    one = sp.diags([-1.0, 2.0, -1.0], [-1, 0, 1], shape=(n, n))
    eye = sp.identity(n)
    return (sp.kron(sp.kron(one, eye), eye) + sp.kron(sp.kron(eye, one), eye)
            + sp.kron(sp.kron(eye, eye), one)).tocsr()  # fmt: skip


def test_pardisos_own_report_refuses_a_factor_beyond_the_free_memory(monkeypatch) -> None:
    from cellwright.engines.mechanics.crush_factor import FactorMemoryError, TangentFactor

    matrix = _laplacian(20)
    handle = TangentFactor("double")
    handle.factorize(matrix)  # this machine has room for 8000 unknowns
    np.testing.assert_allclose(matrix @ handle.solve(np.ones(8000)), 1.0, atol=1e-9)
    handle.close()
    monkeypatch.setattr(factor, "available_memory", lambda: 1e5)  # 0.1 MB free
    refused = TangentFactor("double")
    with pytest.raises(FactorMemoryError) as err:
        refused.factorize(matrix)
    text = str(err.value)
    assert text.startswith("spec.mesh_size: factorising the stiffness of 8000 unknowns needs")
    assert "in double precision (PARDISO's analysis) and 0.0001 GB of memory is free" in text
    assert refused._handles[False].pattern is None  # its memory was given back
    refused.close()


def test_a_crush_that_runs_out_of_memory_mid_path_keeps_what_it_reached(library, tmp_path,
                                                                        monkeypatch):  # fmt: skip
    """A factorisation analysed again mid-run (a new pattern, the double-precision fallback)
    that does not fit ends the run as a failed step does: the path so far is the result."""
    from cellwright.engines.mechanics import crush_factor
    from support.cad import write_step_bar
    from support.crush_cases import aluminium_design, rod_on_bar_spec

    bar = tmp_path / "bar.step"
    write_step_bar(bar)
    from cellwright.engines.mechanics import crush_solver

    steps = []
    advance, factorize = crush_solver.PathFollower.advance, crush_factor.TangentFactor.factorize

    def counted(self, *args, **kwargs):
        steps.append(advance(self, *args, **kwargs))
        return steps[-1]

    def short_of_memory(self, matrix):
        if len(steps) >= 2:  # from the third step on
            raise crush_factor.FactorMemoryError("factorising ... needs more", "spec.mesh_size")
        return factorize(self, matrix)

    monkeypatch.setattr(crush_solver.PathFollower, "advance", counted)
    monkeypatch.setattr(crush_factor.TangentFactor, "factorize", short_of_memory)
    result = run_study("mechanics.crush", rod_on_bar_spec(bar), aluminium_design(library))
    assert result.status == "partial"
    assert result.message.startswith("stopped early: spec.mesh_size: factorising ... needs more")
    travel = np.asarray(result.series["Displacement [m]"])
    assert travel[-1] == pytest.approx(steps[-1].travel) and travel[-1] > 0  # two steps kept
