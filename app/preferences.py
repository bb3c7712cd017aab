"""Preferences: where studies run (worker processes or a Dask scheduler) and display defaults."""

from __future__ import annotations

from PySide6 import QtCore, QtWidgets

__all__ = ["PreferencesDialog", "make_runner"]


def make_runner(settings: QtCore.QSettings):
    """The job runner the settings ask for: worker processes, or Dask at an address."""
    from cellwright.app.jobs import DaskRunner, ProcessRunner

    if settings.value("jobs/runner", "process") == "dask":
        address = settings.value("jobs/dask_address", "") or None
        return DaskRunner(address=address)
    return ProcessRunner()


class PreferencesDialog(QtWidgets.QDialog):
    """Edits the settings; they take effect for the next job."""

    def __init__(self, settings: QtCore.QSettings, parent: QtWidgets.QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Preferences")
        self.settings = settings
        self.runner = QtWidgets.QComboBox()
        self.runner.addItem("Worker processes on this machine", "process")
        self.runner.addItem("Dask (local cluster or scheduler address)", "dask")
        self.runner.setCurrentIndex(self.runner.findData(settings.value("jobs/runner", "process")))
        self.address = QtWidgets.QLineEdit(settings.value("jobs/dask_address", ""))
        self.address.setPlaceholderText("tcp://host:8786 (empty: a local cluster)")
        self.colour_map = QtWidgets.QComboBox()
        self.colour_map.addItems(["viridis", "plasma", "inferno", "coolwarm", "turbo", "jet"])
        self.colour_map.setCurrentText(settings.value("display/colour_map", "viridis"))
        buttons = QtWidgets.QDialogButtonBox(
            QtWidgets.QDialogButtonBox.StandardButton.Ok
            | QtWidgets.QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self._on_accepted)
        buttons.rejected.connect(self.reject)
        form = QtWidgets.QFormLayout(self)
        form.addRow("Run studies with", self.runner)
        form.addRow("Dask scheduler", self.address)
        form.addRow("Default colour map", self.colour_map)
        form.addRow(buttons)

    def _on_accepted(self) -> None:
        self.settings.setValue("jobs/runner", self.runner.currentData())
        self.settings.setValue("jobs/dask_address", self.address.text().strip())
        self.settings.setValue("display/colour_map", self.colour_map.currentText())
        self.accept()
