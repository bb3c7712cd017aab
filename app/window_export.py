"""Exports from the window: what the CLI writes, from a result tab or File ▸ Export.

The current tab's result exports as its plotted series (CSV), the whole result (XLSX: series,
scalars, provenance), the plot (PNG, SVG), the 3D view (PNG) and the fields for ParaView (a VTU
file per mesh and time step with a PVD time index). The same menu is on each result tab.
"""

from __future__ import annotations

from pathlib import Path

from PySide6 import QtWidgets

from cellwright.projects.model import InputError

__all__ = ["EXPORTS", "ExportMixin"]

#: key -> (menu text, file filter, suffix)
EXPORTS = {
    "csv": ("Plotted series as &CSV…", "CSV (*.csv)", ".csv"),
    "xlsx": ("Result as &Excel workbook…", "Excel workbook (*.xlsx)", ".xlsx"),
    "png": ("Plot as &PNG…", "PNG (*.png)", ".png"),
    "svg": ("Plot as &SVG…", "SVG (*.svg)", ".svg"),
    "view": ("3D &view as PNG…", "PNG (*.png)", ".png"),
    "vtu": ("&Fields for ParaView (VTU/PVD)…", "ParaView collection (*.pvd)", ".pvd"),
}


class ExportMixin:
    """Part of :class:`cellwright.app.main_window.MainWindow` (expects its tabs and log)."""

    def fill_export_menu(self, menu: QtWidgets.QMenu) -> None:
        """Add the export actions to ``menu`` (File ▸ Export, and each result tab's button)."""
        for key, (text, _, _) in EXPORTS.items():
            self._action(menu, text, lambda _=False, k=key: self._on_export_triggered(k))

    def current_viewers(self):
        """The plot and field viewers of the current tab (either may be None)."""
        page = self.tabs.currentWidget()
        return getattr(page, "plot_viewer", None), getattr(page, "field_viewer", None)

    def current_result(self):
        """The result shown in the current tab, or None."""
        return getattr(self.tabs.currentWidget(), "result", None)

    def export_current(self, path: str | Path, what: str | None = None) -> Path:
        """Export the current tab to ``path``; ``what`` is a key of :data:`EXPORTS` (default:
        from the suffix — .csv series, .xlsx result, .png 3D view or plot, .svg plot,
        .pvd/.vtu fields)."""
        from cellwright.app import export

        path = Path(path)
        what = what or {".csv": "csv", ".xlsx": "xlsx", ".svg": "svg", ".pvd": "vtu",
                        ".vtu": "vtu", ".png": "png"}.get(path.suffix.lower(), "")  # fmt: skip
        plot, field = self.current_viewers()
        result = self.current_result()
        if what == "png" and field is not None and plot is None:
            what = "view"
        if what == "csv" and plot is not None:
            written = plot.export_csv(path)
        elif what == "png" and plot is not None:
            written = plot.export_png(path)
        elif what == "svg" and plot is not None:
            written = plot.export_svg(path)
        elif what == "view" and field is not None:
            written = field.save_screenshot(path)
        elif what == "xlsx" and result is not None:
            written = export.write_result_xlsx(result, path)
        elif what == "vtu" and result is not None and result.fields:
            files = export.write_fields_vtu(result, export.prepare_output_folder(path.parent))
            written = next((f for f in files if f.suffix == ".pvd"), files[0])
        else:
            raise InputError(f"nothing in this tab can be exported as {what or path.suffix}")
        self.log_message(f"exported {written}")
        return written

    def _on_export_triggered(self, what: str) -> None:
        text, pattern, suffix = EXPORTS[what]
        result = self.current_result()
        stem = (result.name if result is not None else "export").replace("/", "-")
        path, _ = QtWidgets.QFileDialog.getSaveFileName(
            self, text.replace("&", "").rstrip("…"), f"{stem}{suffix}", pattern
        )
        if not path:
            return
        try:
            self.export_current(path, what)
        except InputError as exc:
            self.show_error("Cannot export", str(exc))

    def export_button(self) -> QtWidgets.QToolButton:
        """An "Export" button with the export menu, for a result tab."""
        button = QtWidgets.QToolButton()
        button.setText("Export")
        button.setPopupMode(QtWidgets.QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QtWidgets.QMenu(button)
        self.fill_export_menu(menu)
        button.setMenu(menu)
        return button
