"""The deformed shape in the FieldViewer: the mesh moved by a displacement field over time.

A result with a point field "Displacement [m]" (three components over time: a crush, a
structural transient) can be drawn deformed: every point at its rest position plus the
displacement at the shown time step times a scale factor, while the colours show whatever field
is chosen (equivalent plastic strain on the crushed shape). The warp reuses
:meth:`~cellwright.viewers.field_scene.MeshScene.warp`, which moves the points of the drawn
surface and clip in place, so a time step costs one array copy, as the colours do.

The scale is 1 (true scale) for any result whose largest displacement is already a visible
share of the part (a crush run to its stop); a result whose displacements are tiny against the
part (an elastic response, or a crush stopped after a fraction of a millimetre: 0.3 mm on a
2s1p pack 158 mm tall showed no dent at all) starts with the power-of-ten scale that makes the
largest one about :data:`SHOWN_SHARE` of the part's size. A crush is drawn deformed from the
start either way.
"""

from __future__ import annotations

import numpy as np

from cellwright.projects.model import FieldData, Result

__all__ = [
    "DISPLACEMENT",
    "SHOWN_SHARE",
    "DeformedShapeMixin",
    "default_scale",
    "displacement_field",
    "frame_at",
]

DISPLACEMENT = "Displacement [m]"
SHOWN_SHARE = 0.05  # largest drawn displacement / part size for an auto-scaled small response


def displacement_field(result: Result) -> FieldData | None:
    """The result's displacement over time (a point field of 3-vectors), or None."""
    for f in result.fields:
        vectors = f.values.ndim == 3 and f.values.shape[2] == 3
        if f.name == DISPLACEMENT and f.association == "point" and vectors:
            return f
    return None


def default_scale(result: Result, field: FieldData) -> float:
    """1 for a visibly large displacement; else 10^k so that the largest displacement is drawn
    near :data:`SHOWN_SHARE` of the part's size."""
    points = result.meshes[field.mesh].points
    size = float(np.ptp(points, axis=0).max()) or 1.0
    largest = max(float(np.linalg.norm(frame, axis=1).max()) for frame in field.values)
    if largest <= 0 or largest >= 0.5 * SHOWN_SHARE * size:
        return 1.0
    return float(10 ** np.floor(np.log10(SHOWN_SHARE * size / largest)))


def frame_at(field: FieldData, time: float) -> np.ndarray:
    """The displacement (n_points, 3) at the stored time step nearest ``time`` [s]."""
    index = int(np.argmin(np.abs(np.asarray(field.times) - time)))
    return np.asarray(field.values[index], float)


class DeformedShapeMixin:
    """Part of :class:`~cellwright.viewers.field_viewer.FieldViewer` (expects its result,
    displacement, scenes, shown field and time index, and the deformed-shape controls)."""

    def _setup_deformed(self) -> None:
        """Offer the deformed shape when the result has a displacement over time; a crush is
        drawn deformed at true scale from the start."""
        self.deformed_group.setVisible(self.displacement is not None)
        if self.displacement is not None:
            self.deformed_scale.setValue(default_scale(self.result, self.displacement))
            engine = self.result.provenance.engine_id if self.result.provenance else ""
            self.deformed_box.setChecked(engine == "mechanics.crush")
        self.deformed_box.toggled.connect(self._on_deformed_changed)
        self.deformed_scale.valueChanged.connect(self._on_deformed_changed)

    def _warp(self) -> None:
        """Move the mesh of the displacement by it at the shown time (or back to rest)."""
        if self.displacement is None:
            return
        scene = self.scenes[self.displacement.mesh]
        shown = self.deformed_box.isChecked() and self.displacement.mesh == self.field.mesh
        if shown:
            time = float(self.field.times[self.time_index])
            scene.warp(frame_at(self.displacement, time) * self.deformed_scale.value())
        elif hasattr(scene, "_rest"):
            scene.warp(None)

    def _on_deformed_changed(self, *_: object) -> None:
        self._warp()
        self.plotter.render()
