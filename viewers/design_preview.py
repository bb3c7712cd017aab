"""DesignPreview: a 3D picture of a cell or pack design, redrawn after every edit.

The shapes come from :mod:`cellwright.viewers.design_geometry` (merged surfaces, one actor per kind
of part), so a redraw after an edit costs tens of milliseconds even for a pack of hundreds of cells.
The camera is reset only when another design is shown, not when the shown one is edited. A design
the builder refuses (an enclosure too small, a jelly roll that does not fit) keeps its last picture
and says why above it.
"""

from __future__ import annotations

from pathlib import Path

from PySide6 import QtWidgets

from cellwright.projects.model import CellDesign, DesignSnapshot, InputError, PackDesign
from cellwright.viewers.design_geometry import GROUP, design_parts
from cellwright.viewers.gl_tuning import release_gl_wrappers, tune_antialiasing_when_ready
from cellwright.viewers.vtk_imports import import_vtk_stack

__all__ = ["PART_STYLES", "DesignPreview"]

# colour and opacity of each part; housings are see-through so the stack inside shows
PART_STYLES: dict[str, tuple[str, float]] = {
    "housing": ("#9aa5b1", 0.35),
    "electrode stack": ("#3b6fb6", 1.0),
    "tabs": ("#d08c2c", 1.0),
    "cells": ("#3b6fb6", 1.0),
    "cooling plate": ("#b9c2cc", 0.45),
    "channels": ("#2aa1c9", 1.0),
    "thermal interface": ("#e8d36a", 0.8),
    "busbars": ("#c8733a", 1.0),
    "enclosure": ("#9aa5b1", 0.18),
}


class DesignPreview(QtWidgets.QWidget):
    """Shows the parts of one design in a pyvistaqt view.

    Parameters
    ----------
    parent
        The Qt parent widget.
    """

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        import_vtk_stack()
        from pyvistaqt import QtInteractor

        self.design_id: str | None = None
        self.parts: dict = {}
        self.message = QtWidgets.QLabel("")
        self.message.setStyleSheet("color: #b00020")
        self.message.setWordWrap(True)
        self.message.hide()
        self.legend = QtWidgets.QLabel("")
        self.plotter = QtInteractor(self)
        self.plotter.set_background("white")
        self.plotter.add_axes()
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.message)
        layout.addWidget(self.plotter.interactor, 1)
        layout.addWidget(self.legend)
        self._tuned = False

    def showEvent(self, event) -> None:
        """On first show, drop multisampling on a software OpenGL (see FieldViewer)."""
        super().showEvent(event)
        if not self._tuned:
            self._tuned = True
            tune_antialiasing_when_ready(self.plotter)

    def show_design(self, design: CellDesign | PackDesign, snapshot: DesignSnapshot) -> None:
        """Draw ``design``; if the builder refuses it, keep the last picture and say why."""
        try:
            parts = design_parts(design, snapshot)
        except InputError as exc:
            self.message.setText(f"Cannot draw: {exc}")
            self.message.show()
            return
        self.message.hide()
        self.show_parts(parts, reset_camera=design.id != self.design_id)
        self.design_id = design.id

    def show_parts(self, parts: dict, reset_camera: bool = True) -> None:
        """Replace the drawn parts with ``parts`` (name -> PolyData), rendering once."""
        for name in set(self.parts) - set(parts):
            self.plotter.remove_actor(name, render=False)
        self.parts = parts
        for name, mesh in parts.items():  # the same name replaces the actor in place
            colour, opacity = PART_STYLES.get(name, ("#888888", 1.0))
            style = {"opacity": opacity, "name": name, "render": False, "reset_camera": False}
            if name == "cells" and GROUP in mesh.cell_data:
                self.plotter.add_mesh(
                    mesh, scalars=mesh.cell_data[GROUP] % 2, cmap=["#2f5f9e", "#6f9fdc"],
                    clim=(0, 1), show_scalar_bar=False, **style,
                )  # fmt: skip
            else:
                self.plotter.add_mesh(mesh, color=colour, **style)
        self.legend.setText("  ·  ".join(parts))
        if reset_camera:
            self.plotter.view_isometric(render=False)
            self.plotter.reset_camera(render=False)
            if "cells" in parts:  # a long flat pack is small in reset_camera's bounding sphere
                self.plotter.camera.zoom(1.15)
        self.plotter.render()

    def save_screenshot(self, path: str | Path) -> Path:
        """A PNG of the 3D view."""
        path = Path(path)
        try:
            self.plotter.screenshot(str(path))
        except OSError as exc:
            raise InputError(f"cannot write the picture ({exc})", where=str(path)) from exc
        return path

    def close_viewer(self) -> None:
        """Release the render window (call before the widget is destroyed); safe to repeat."""
        if not getattr(self.plotter, "_closed", False):
            self.plotter.hide_axes()  # the axes widget holds the interactor; drop it first
            self.plotter.close()
            release_gl_wrappers(self.plotter)
