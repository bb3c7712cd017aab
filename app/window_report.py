"""File ▸ Export report: choose a design, its studies and variants, preview the pages, save.

The report is made in a worker process (:mod:`cellwright.app.report.background`) while the
dialog shows its progress and stays responsive (Cancel stops the worker); the preview is the
PDF's own pages, so Save writes exactly what was previewed (as PDF, or the same content as HTML).
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from PySide6 import QtCore, QtGui, QtWidgets

from cellwright.projects.model import InputError, PackDesign

__all__ = ["ReportDialog", "ReportMixin"]

_CHECKED = QtCore.Qt.CheckState.Checked


def _labels(designs) -> dict[str, str]:
    """Design id -> the name it is listed by; a name two designs share (a cell and its pack of
    one name, or two designs of a project saved before names were unique) with kind and id,
    so the two entries can be told apart."""
    from collections import Counter

    count = Counter(d.name for d in designs)
    return {
        d.id: d.name if count[d.name] == 1
        else f"{d.name} ({'pack' if isinstance(d, PackDesign) else 'cell'} {d.id})"
        for d in designs
    }  # fmt: skip


def _name_list() -> QtWidgets.QListWidget:
    """A list of names that stays readable when a name is longer than the list is wide: cut in
    the middle ("thermal runaway…run 3"), the whole name in its tooltip. By default the list
    scrolled sideways and showed only the start, so names alike but for their end (runs of one
    study) could not be told apart."""
    widget = QtWidgets.QListWidget()
    widget.setTextElideMode(QtCore.Qt.TextElideMode.ElideMiddle)
    widget.setHorizontalScrollBarPolicy(QtCore.Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    return widget


class ReportDialog(QtWidgets.QDialog):
    """Choices on the left, the page preview on the right, progress and Save below."""

    def __init__(self, project, design_id: str | None = None, parent=None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Export report")
        self.project = project
        self.build = None
        self._scratch = Path(tempfile.mkdtemp(prefix="cellwright-report-"))
        designs = project.list("cell") + project.list("pack")
        self._labels = _labels(designs)
        self.design_combo = QtWidgets.QComboBox()
        for design in designs:
            self.design_combo.addItem(self._labels[design.id], design.id)
        if design_id is not None and self.design_combo.findData(design_id) >= 0:
            self.design_combo.setCurrentIndex(self.design_combo.findData(design_id))
        self.studies = _name_list()
        self.variants = _name_list()
        self.design_studies = QtWidgets.QCheckBox()
        self.design_studies.setChecked(True)
        self.template = QtWidgets.QLineEdit()
        self.template.setPlaceholderText("built-in template (copy resources/report to edit)")
        self.preview_button = QtWidgets.QPushButton("&Preview")
        self.progress = QtWidgets.QProgressBar()
        self.cancel_button = QtWidgets.QPushButton("&Cancel")
        self.cancel_button.setToolTip("Stop making the report")
        self.cancel_button.setEnabled(False)
        self.status = QtWidgets.QLabel("Choose what to report, then Preview.")
        self.status.setWordWrap(True)
        self.pages = QtWidgets.QListWidget()
        self.pages.setViewMode(QtWidgets.QListView.ViewMode.IconMode)
        self.pages.setIconSize(QtCore.QSize(300, 424))
        self.pages.setResizeMode(QtWidgets.QListView.ResizeMode.Adjust)
        self.pages.setMinimumWidth(660)
        self.buttons = QtWidgets.QDialogButtonBox(QtWidgets.QDialogButtonBox.StandardButton.Close)
        self.save_pdf = self.buttons.addButton("Save &PDF…", self.buttons.ButtonRole.ActionRole)
        self.save_html = self.buttons.addButton("Save &HTML…", self.buttons.ButtonRole.ActionRole)
        self._layout()
        self._on_design_changed()
        self.design_combo.currentIndexChanged.connect(self._on_design_changed)
        self.preview_button.clicked.connect(self.start_preview)
        self.cancel_button.clicked.connect(self._on_cancel_clicked)
        self.save_pdf.clicked.connect(lambda: self._on_save_clicked(".pdf"))
        self.save_html.clicked.connect(lambda: self._on_save_clicked(".html"))
        self.buttons.rejected.connect(self.reject)
        self.timer = QtCore.QTimer(self)
        self.timer.setInterval(100)
        self.timer.timeout.connect(self._poll)
        self._set_ready(False)

    def _layout(self) -> None:
        form = QtWidgets.QFormLayout()
        form.addRow("Design", self.design_combo)
        form.addRow("Studies", self.studies)
        form.addRow("", self.design_studies)
        form.addRow("Compare with", self.variants)
        form.addRow("Template", self.template)
        form.addRow(self.preview_button)
        left = QtWidgets.QWidget()
        left.setLayout(form)
        split = QtWidgets.QSplitter()
        split.addWidget(left)
        split.addWidget(self.pages)
        split.setStretchFactor(1, 2)
        layout = QtWidgets.QVBoxLayout(self)
        layout.addWidget(split, 1)
        running = QtWidgets.QHBoxLayout()
        running.addWidget(self.progress, 1)
        running.addWidget(self.cancel_button)
        layout.addLayout(running)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)
        self.resize(1100, 720)

    def _on_design_changed(self) -> None:
        from cellwright.app.report.content import related_studies

        design = self._design()
        self.studies.clear()
        self.variants.clear()
        self._show_design_studies(design)
        if design is None:
            return
        for study in related_studies(self.project, design):
            item = QtWidgets.QListWidgetItem(study.name)
            item.setToolTip(f"{study.name} ({study.engine})")
            item.setData(QtCore.Qt.ItemDataRole.UserRole, study.id)
            item.setCheckState(_CHECKED)
            self.studies.addItem(item)
        kind = "pack" if isinstance(design, PackDesign) else "cell"
        for other in self.project.list(kind):
            if other.id != design.id:
                item = QtWidgets.QListWidgetItem(self._labels.get(other.id, other.name))
                item.setToolTip(item.text())
                item.setData(QtCore.Qt.ItemDataRole.UserRole, other.id)
                item.setCheckState(QtCore.Qt.CheckState.Unchecked)
                self.variants.addItem(item)

    def _show_design_studies(self, design) -> None:
        """Say how many design studies the design has; none: nothing to include."""
        from cellwright.app.report.design_studies import design_studies_of

        found = design_studies_of(self.project, design) if design is not None else []
        self.design_studies.setText(f"Include its design studies ({len(found)})")
        self.design_studies.setEnabled(bool(found))
        self.design_studies.setToolTip(
            "A section per design study of the design (its inputs, goals and findings), "
            "whichever studies are ticked"
            if found
            else "The design has no design study"
        )

    def _design(self):
        design_id = self.design_combo.currentData()
        if design_id is None:
            return None
        for kind in ("cell", "pack"):
            try:
                return self.project.get(kind, design_id)
            except InputError:
                continue
        return None

    def _checked(self, widget: QtWidgets.QListWidget) -> tuple[str, ...]:
        items = [widget.item(i) for i in range(widget.count())]
        return tuple(i.data(QtCore.Qt.ItemDataRole.UserRole) for i in items
                     if i.checkState() == _CHECKED)  # fmt: skip

    def start_preview(self) -> None:
        """Make the report in the background; the pages appear when it is done."""
        from cellwright.app.report.background import ReportRequest, start_report_build

        self.cancel()
        folder = Path(tempfile.mkdtemp(dir=self._scratch))
        template = self.template.text().strip() or None
        request = ReportRequest(
            project=Path(self.project.path), design=self.design_combo.currentData(),
            folder=folder, studies=self._checked(self.studies),
            compare=self._checked(self.variants), template=Path(template) if template else None,
            design_studies=self.design_studies.isChecked(),
        )  # fmt: skip
        self.pages.clear()
        self._set_ready(False)
        self.preview_button.setEnabled(False)
        self.cancel_button.setEnabled(True)
        self.build = start_report_build(request)
        self.timer.start()

    def _poll(self) -> None:
        build = self.build
        if build is None:
            return
        fraction, message = build.progress
        self.progress.setValue(round(100 * fraction))
        self.status.setText(message)
        if not build.done:
            return
        self.timer.stop()
        self.preview_button.setEnabled(True)
        self.cancel_button.setEnabled(False)
        if build.error:
            self.status.setText(f"Cannot make the report: {build.error}")
            return
        for k, page in enumerate(build.pages, 1):
            item = QtWidgets.QListWidgetItem(QtGui.QIcon(str(page)), f"page {k}")
            self.pages.addItem(item)
        self.status.setText(f"{len(build.pages)} pages — save as PDF or HTML")
        self._set_ready(True)

    def _set_ready(self, ready: bool) -> None:
        self.save_pdf.setEnabled(ready)
        self.save_html.setEnabled(ready)

    def save_to(self, path: str | Path) -> Path:
        """Copy the previewed report to ``path`` (.pdf, else the HTML of the same content)."""
        from cellwright.projects.userfiles import check_writable, describe_os_error

        path = check_writable(Path(path), "report")
        source = self.build.pdf if path.suffix.lower() == ".pdf" else self.build.html
        try:
            shutil.copyfile(source, path)
        except OSError as exc:
            raise InputError(
                f"cannot save the report: {describe_os_error(exc)}", str(path)
            ) from None
        return path

    def _on_save_clicked(self, suffix: str) -> None:
        name = f"{self.design_combo.currentText()} report{suffix}".replace("/", "-")
        pattern = "PDF (*.pdf)" if suffix == ".pdf" else "HTML (*.html)"
        path, _ = QtWidgets.QFileDialog.getSaveFileName(self, "Save report", name, pattern)
        if not path:
            return
        try:
            self.status.setText(f"saved {self.save_to(path)}")
        except InputError as exc:
            QtWidgets.QMessageBox.warning(self, "Cannot save the report", str(exc))

    def _on_cancel_clicked(self) -> None:
        self.cancel()
        self.progress.setValue(0)
        self.status.setText("Cancelled: nothing was made. Change the choices and Preview again.")

    def cancel(self) -> None:
        """Stop a report being made (its worker process ends at once)."""
        if self.build is not None and not self.build.done:
            self.build.cancel()
            self.build.wait(10)
        self.timer.stop()
        self.preview_button.setEnabled(True)
        self.cancel_button.setEnabled(False)

    def done(self, result: int) -> None:
        """Close the dialog: stop a report being made and remove the scratch files."""
        self.cancel()
        shutil.rmtree(self._scratch, ignore_errors=True)
        super().done(result)


class ReportMixin:
    """Part of :class:`cellwright.app.main_window.MainWindow`: File ▸ Export report."""

    def show_report_dialog(self) -> ReportDialog | None:
        """Open the Export report dialog on the selected design (None without a project)."""
        if self.project is None or not (self.project.list("cell") + self.project.list("pack")):
            self.show_error("Export report", "Open a project with a cell or pack design first.")
            return None
        selected = self.selected_designs()
        dialog = ReportDialog(self.project, selected[0].id if selected else None, self)
        dialog.setModal(True)
        dialog.show()
        return dialog
