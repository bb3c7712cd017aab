"""Exports from the window: what the CLI writes, from a result tab or File ▸ Export.

The current tab's result exports as its plotted series (CSV), the whole result (XLSX: series,
scalars, provenance), the plot (PNG, SVG), the 3D view (PNG) and the fields for ParaView (a VTU
file per mesh and time step with a PVD time index). The same menu is on each result tab.
"""

from __future__ import annotations

from pathlib import Path

from PySide6 import QtWidgets

from cellwright.app.jobs import JobState
from cellwright.app.tasks import BackgroundTask
from cellwright.projects.model import InputError

__all__ = ["BACKGROUND", "EXPORTS", "ExportMixin"]

#: key -> (menu text, file filter, suffix)
EXPORTS = {
    "csv": ("Plotted series as &CSV…", "CSV (*.csv)", ".csv"),
    "xlsx": ("Result as &Excel workbook…", "Excel workbook (*.xlsx)", ".xlsx"),
    "png": ("Plot as &PNG…", "PNG (*.png)", ".png"),
    "svg": ("Plot as &SVG…", "SVG (*.svg)", ".svg"),
    "view": ("3D &view as PNG…", "PNG (*.png)", ".png"),
    "vtu": ("&Fields for ParaView (VTU/PVD)…", "ParaView collection (*.pvd)", ".pvd"),
}

#: exports that write only the result's data and can take seconds (a runaway's 157 field
#: steps as VTU: ~20 s; its series as a workbook: ~0.8 s): run off the UI thread
BACKGROUND = ("xlsx", "vtu")


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
            folder = export.prepare_output_folder(path.parent)
            files = export.write_fields_vtu(result, folder, path.stem)
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
            if what in BACKGROUND:
                self.export_in_background(path, what)
            else:
                self.export_current(path, what)
        except InputError as exc:
            self.show_error("Cannot export", str(exc))

    def export_in_background(self, path: str | Path, what: str) -> BackgroundTask:
        """Export the current tab's result as ``what`` (a key of :data:`BACKGROUND`) in a
        background task, with progress and Cancel in the jobs dock; the log says where it
        went, an error is shown when it ends.

        Raises
        ------
        InputError
            When the tab has nothing to export so, or the folder cannot be written (checked
            before the task starts).
        """
        from cellwright.app import export

        path = Path(path)
        result = self.current_result()
        if result is None or (what == "vtu" and not result.fields):
            raise InputError(f"nothing in this tab can be exported as {what}")
        folder = export.prepare_output_folder(path.parent)

        def work(report, is_cancelled):  # data only: no widget is touched off the UI thread
            if what == "xlsx":
                return export.write_result_xlsx(result, path)
            files = export.write_fields_vtu(result, folder, path.stem, report, is_cancelled)
            return next((f for f in files if f.suffix == ".pvd"), None)

        def finished(task: BackgroundTask) -> None:
            if task.state == JobState.DONE and task.result is not None:
                self.log_message(f"exported {task.result}")
            elif task.state == JobState.FAILED:
                self.show_error("Cannot export", task.error)

        title = f"Export {result.name} ({EXPORTS[what][0].replace('&', '').rstrip('…')})"
        return self.jobs.start_task(BackgroundTask(title, work, finished))

    def export_button(self) -> QtWidgets.QToolButton:
        """An "Export" button with the export menu, for a result tab."""
        button = QtWidgets.QToolButton()
        button.setText("Export")
        button.setPopupMode(QtWidgets.QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QtWidgets.QMenu(button)
        self.fill_export_menu(menu)
        button.setMenu(menu)
        return button
