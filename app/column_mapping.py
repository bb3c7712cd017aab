"""The column-mapping dialog: tell Cellwright what the columns of an unknown CSV/XLSX mean.

The mapping (vendor column -> canonical BDF column, with a unit factor) is saved as JSON in the
user's configuration folder under a name, and offered again for the next file of that layout.
"""

from __future__ import annotations

import json
from pathlib import Path

from PySide6 import QtWidgets

from cellwright.projects.labdata import table as cols
from cellwright.projects.labdata import vocabulary
from cellwright.projects.labdata.mapper import MappingFile
from cellwright.projects.userfiles import read_text

__all__ = ["ColumnMappingDialog", "mapping_folder", "saved_mappings"]

TARGETS = ["(ignore)", *vocabulary.MAPPING_TARGETS]


def mapping_folder() -> Path:
    """Where saved mappings live."""
    import platformdirs

    return Path(platformdirs.user_config_dir("cellwright")) / "column-mappings"


def saved_mappings(folder: Path | None = None) -> dict[str, dict]:
    """Saved mappings by name."""
    folder = folder or mapping_folder()
    out = {}
    for path in sorted(folder.glob("*.json")):
        try:  # a mapping saved as UTF-16 (a BOM) by another editor is read too
            data = json.loads(read_text(path, "column-mapping file"))
        except ValueError:  # an InputError too: a damaged file is left out of the list
            continue
        # remembers its file: a column it names that a file lacks is told with the mapping's file
        out[path.stem] = MappingFile(data, path) if isinstance(data, dict) else data
    return out


def _header(path: Path) -> list[str]:
    """The column names of ``path`` as the readers find them (any preamble, separator)."""
    from cellwright.projects.labdata import LabDataError
    from cellwright.projects.labdata.sniff import sniff_layout

    if path.suffix.lower() in (".xlsx", ".xlsm"):
        from openpyxl import load_workbook

        sheet = load_workbook(path, read_only=True).worksheets[0]
        rows = sheet.iter_rows(min_row=1, max_row=1, values_only=True)
        return [str(c) for c in next(rows, ()) if c is not None]
    try:
        return sniff_layout(path).headers
    except LabDataError:
        return []


class ColumnMappingDialog(QtWidgets.QDialog):
    """One row per column of the file: what it is and the factor to SI / BDF units."""

    def __init__(
        self, path: Path, folder: Path | None = None, parent: QtWidgets.QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Map the columns of {path.name}")
        self.path, self.folder = path, folder or mapping_folder()
        from cellwright.projects.labdata.mapper import propose_mapping

        self.columns = _header(path)
        self.proposal = propose_mapping(self.columns)
        self.table = QtWidgets.QTableWidget(len(self.columns), 4)
        self.table.setHorizontalHeaderLabels(["Column in the file", "Means", "Factor", "Sure"])
        self.targets: list[QtWidgets.QComboBox] = []
        self.factors: list[QtWidgets.QLineEdit] = []
        for row, name in enumerate(self.columns):
            self.table.setItem(row, 0, QtWidgets.QTableWidgetItem(name))
            combo = QtWidgets.QComboBox()
            combo.addItems(TARGETS)
            factor = QtWidgets.QLineEdit("1")
            self.table.setCellWidget(row, 1, combo)
            self.table.setCellWidget(row, 2, factor)
            self.targets.append(combo)
            self.factors.append(factor)
        for guess in self.proposal.guesses:  # start from the proposal; the user corrects it
            row = self.columns.index(guess.column)
            if guess.target in TARGETS:
                self.targets[row].setCurrentText(guess.target)
                self.factors[row].setText(f"{guess.factor:g}")
            self.table.setItem(row, 3, QtWidgets.QTableWidgetItem(f"{guess.confidence:.0%}"))
        self.name = QtWidgets.QLineEdit(path.stem)
        self.saved_name = ""  # the name the mapping was saved under, once saved
        self.error = QtWidgets.QLabel("")
        self.error.setStyleSheet("color: #b00020")
        buttons = QtWidgets.QDialogButtonBox(QtWidgets.QDialogButtonBox.StandardButton.Cancel)
        buttons.addButton("Save and use", QtWidgets.QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self._on_accepted)
        buttons.rejected.connect(self.reject)
        layout = QtWidgets.QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        form = QtWidgets.QFormLayout()
        form.addRow("Save mapping as", self.name)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.resize(640, 480)

    def choose(self, column: str, target: str, factor: float = 1.0) -> None:
        """Say what ``column`` means (as a user picks it)."""
        row = self.columns.index(column)
        self.targets[row].setCurrentText(target)
        self.factors[row].setText(f"{factor:g}")

    def mapping(self) -> dict | None:
        """The mapping, or None (with the reason shown) when it is incomplete."""
        out: dict = {}
        for name, combo, factor in zip(self.columns, self.targets, self.factors, strict=True):
            if combo.currentText() == "(ignore)":
                continue
            try:
                value = float(factor.text())
            except ValueError:
                self.error.setText(f"factor of {name!r} is not a number")
                return None
            out[name] = combo.currentText() if value == 1.0 else [combo.currentText(), value]
        chosen = {v if isinstance(v, str) else v[0] for v in out.values()}
        missing = [c for c in cols.TIME_SERIES_REQUIRED if c not in chosen]
        if missing:
            self.error.setText(f"still needed: {', '.join(missing)}")
            return None
        self.error.setText("")
        return out

    def _on_accepted(self) -> None:
        from cellwright.projects.labdata.mapper import save_mapping

        mapping = self.mapping()
        if mapping is None:
            return
        name = self.name.text().strip() or "mapping"
        # the name becomes a file name: "rig/42" named a folder that is not there, and the
        # FileNotFoundError (like a read-only config folder's PermissionError) left the slot
        if any(sep in name for sep in ("/", "\\")) or name in (".", ".."):
            self.error.setText(f"mapping name {name!r}: no / or \\ in a name, it is a file name")
            return
        target = self.folder / f"{name}.json"
        self.saved_name = name
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            save_mapping(mapping, target)
        except OSError as exc:
            self.error.setText(f"cannot save the mapping to {target}: {exc.strerror or exc}")
            return
        self.accept()
