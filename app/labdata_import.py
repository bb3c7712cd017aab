"""The lab-data import dialog: files, detected formats, a preview, cell and normalisation."""

from __future__ import annotations

import threading
from pathlib import Path

from PySide6 import QtCore, QtWidgets

__all__ = ["ImportDialog"]


def _read_preview(path: Path, mapping, request: int, wanted: list[int], out: list) -> None:
    """Runs in a worker thread: reads the file and appends ``(request, table or None, error
    text)`` to ``out``, which the dialog polls on its own timer.

    It touches no Qt object, nor the dialog: it emitted into a signals object the dialog owned,
    and a dialog deleted during the read (a binary reader has no chunk to stop at, and
    :meth:`ImportDialog.done` waits only a second) left the emit a deleted object; the
    thread also held the dialog, so its last reference could go, and the dialog be destroyed,
    on this thread. ``wanted[0]`` is the dialog's latest request number: a read the user has
    moved on from (another file, another mapping) stops at its next chunk instead of finishing
    unseen."""
    from cellwright.projects.labdata import LabDataError, read_cycler_file
    from cellwright.projects.labdata.table import Cancelled

    def progress(_fraction: float, _message: str) -> None:
        if wanted[0] != request:
            raise Cancelled("preview no longer wanted")

    try:
        table, error = read_cycler_file(path, mapping=mapping, progress=progress), ""
    except Cancelled:
        return
    except (LabDataError, IndexError) as exc:
        table, error = None, str(exc)
    except Exception as exc:  # said in the preview, not lost in a thread nobody watches
        table, error = None, f"{path.name}: {type(exc).__name__}: {exc}"
    out.append((request, table, error))


class ImportDialog(QtWidgets.QDialog):
    """Shows what will be imported; the window runs the import off the UI thread."""

    def __init__(self, paths: list[Path], parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        from cellwright.projects.labdata.runs import lab_files

        self.setWindowTitle("Import lab data")
        self.paths, self.skipped = lab_files([Path(p) for p in paths])
        self.files = QtWidgets.QTableWidget(len(self.paths) + len(self.skipped), 2)
        self.files.setHorizontalHeaderLabels(["File", "Detected format"])
        self.files.horizontalHeader().setStretchLastSection(True)
        # the detected format of each file: a column mapping is for the files no vendor
        # profile knows, never for the recognised ones beside them in the same folder
        self._formats: dict[Path, str | None] = {}
        for row, path in enumerate(self.paths):
            self._formats[path], text = self._detect(path)
            self.files.setItem(row, 0, QtWidgets.QTableWidgetItem(path.name))
            self.files.setItem(row, 1, QtWidgets.QTableWidgetItem(text))
        for row, (path, why) in enumerate(self.skipped, start=len(self.paths)):
            self.files.setItem(row, 0, QtWidgets.QTableWidgetItem(path.name))
            self.files.setItem(row, 1, QtWidgets.QTableWidgetItem(f"skipped: {why}"))
        self.preview = QtWidgets.QTableWidget(0, 0)
        # the preview reads the whole file (a reader has no "first rows" mode): a 2.5 MB Landt
        # export held the window 5 s on first use, so it is read in a worker thread
        self._wanted = [0]  # the latest request number, shared with the reads (see _request)
        self._reading = False
        self._preview_row = 0
        self._preview_out: list = []  # (request, table, error), appended by the reads
        self._preview_timer = QtCore.QTimer(self)  # dies with the dialog; a read may outlive it
        self._preview_timer.setInterval(50)
        self._preview_timer.timeout.connect(self._poll_preview)
        self.cell = QtWidgets.QLineEdit()
        self.cell.setPlaceholderText("serial number or barcode (optional)")
        self.mass = QtWidgets.QLineEdit()
        self.mass.setPlaceholderText('cell mass, e.g. "69 g" (optional)')
        self.mapping: dict | None = None
        self.proposal = None
        self.use_proposal = QtWidgets.QPushButton("Use the proposed mapping")
        self.use_proposal.clicked.connect(self._on_use_proposal_clicked)
        self.use_proposal.hide()
        self.map_button = QtWidgets.QPushButton("Map columns of an unrecognised file…")
        self.map_button.clicked.connect(self._on_map_clicked)
        self.saved = QtWidgets.QComboBox()
        self.saved.addItem("(detect the format)")
        from cellwright.app.column_mapping import saved_mappings

        self._saved = saved_mappings()
        self.saved.addItems(list(self._saved))
        self.saved.currentTextChanged.connect(self._on_saved_mapping_chosen)
        self.capacity = QtWidgets.QLineEdit()
        self.capacity.setPlaceholderText('nominal capacity, e.g. "5 Ah" (optional)')
        buttons = QtWidgets.QDialogButtonBox(QtWidgets.QDialogButtonBox.StandardButton.Cancel)
        self.import_button = buttons.addButton(
            "Import", QtWidgets.QDialogButtonBox.ButtonRole.AcceptRole
        )
        # a drop of only notes or licences leaves nothing to read: mapping the columns of
        # "file 0" raised IndexError out of the slot
        self.import_button.setEnabled(bool(self.paths))
        self.map_button.setEnabled(bool(self.paths))
        buttons.accepted.connect(self._on_import_clicked)
        self.error = QtWidgets.QLabel("")
        self.error.setStyleSheet("color: #b00020")
        self.error.setWordWrap(True)
        buttons.rejected.connect(self.reject)
        form = QtWidgets.QFormLayout()
        form.addRow("Cell", self.cell)
        form.addRow("Nominal capacity", self.capacity)
        form.addRow("Mass", self.mass)
        form.addRow("Column mapping", self.saved)
        form.addRow("", self.map_button)
        layout = QtWidgets.QVBoxLayout(self)
        layout.addWidget(self.files)
        layout.addWidget(QtWidgets.QLabel("First rows of the selected file (canonical columns):"))
        layout.addWidget(self.preview, 1)
        layout.addWidget(self.use_proposal)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.files.currentCellChanged.connect(self._on_file_row_changed)
        self.resize(820, 620)
        if self.paths:
            self.files.setCurrentCell(0, 0)

    @property
    def _request(self) -> int:
        """The number of the preview last asked for; a read whose number is older is not
        wanted any more. Kept in a list the read threads share, so they need not hold the
        dialog."""
        return self._wanted[0]

    @_request.setter
    def _request(self, number: int) -> None:
        self._wanted[0] = number

    @staticmethod
    def _detect(path: Path) -> tuple[str | None, str]:
        """The detected format (None when unreadable) and how the file list says it."""
        from cellwright.projects.labdata import LabDataError, detect_format

        try:
            name = detect_format(path)
        except LabDataError as exc:
            return None, f"not readable: {exc.detail}"
        if name == "generic":
            return name, "unknown layout: check the proposed mapping"
        return name, name

    def mapping_applies(self, path: Path) -> bool:
        """Whether the chosen column mapping is for ``path``: a file no vendor profile
        recognised. A mapping read every file of a mixed folder, so the Maccor export beside
        the unknown rig's CSV was read with the rig's columns and failed."""
        return self._formats.get(path, "generic") in (None, "generic")

    def mapped_paths(self) -> list[Path]:
        """The files the chosen mapping is for (none without a mapping)."""
        if self.mapping is None:
            return []
        return [p for p in self.paths if self.mapping_applies(p)]

    def _on_file_row_changed(self, row: int, *_: int) -> None:
        if 0 <= row < len(self.paths):
            self.show_preview(row)
            return
        if row < 0:
            return
        # a skipped file: the preview kept the previous file's rows under "First rows of the
        # selected file", as if they were this file's
        self._request += 1  # a read still running is no longer wanted
        self._reading = False
        path, why = self.skipped[row - len(self.paths)]
        self.preview.clear()
        self.use_proposal.hide()
        self.preview.setRowCount(0)
        self.preview.setColumnCount(1)
        self.preview.setHorizontalHeaderLabels([f"{path.name} is not imported: {why}"])

    def show_preview(self, row: int) -> None:
        """Start reading file ``row`` in a worker thread; :meth:`preview_ready` turns true
        when its first rows (or the proposed mapping, or why it cannot be read) are shown."""
        self._request += 1
        self._reading = True
        self._preview_row = row
        self.preview.clear()
        self.use_proposal.hide()
        self.preview.setRowCount(0)
        self.preview.setColumnCount(1)
        self.preview.setHorizontalHeaderLabels([f"reading {self.paths[row].name}…"])
        self._preview_thread = threading.Thread(
            target=_read_preview,
            args=(
                self.paths[row],
                self.mapping if self.mapping_applies(self.paths[row]) else None,
                self._request,
                self._wanted,
                self._preview_out,
            ),
            daemon=True,
            name="import-preview",
        )
        self._preview_thread.start()
        self._preview_timer.start()

    def done(self, result: int) -> None:
        """Close the dialog, first ending a preview read still running: it stops at its next
        chunk once it is no longer wanted, and a read left running as the program exits can
        crash the interpreter's shutdown (a daemon thread inside numba or polars)."""
        self._request += 1
        thread = getattr(self, "_preview_thread", None)
        if thread is not None and thread.is_alive():
            thread.join(1.0)  # a binary reader has no chunks to stop at: not for long
        super().done(result)

    def _poll_preview(self) -> None:
        while self._preview_out:
            self._on_preview_read(*self._preview_out.pop(0))
        if not self._reading:
            self._preview_timer.stop()

    def preview_ready(self) -> bool:
        """True when the preview shows the file last asked for."""
        return not self._reading

    def _on_preview_read(self, request: int, table, error: str, n_rows: int = 12) -> None:
        """The first rows of the file as the reader maps them; for a layout no vendor
        profile knows, the proposed mapping with a confidence per column, to confirm."""
        if request != self._request:
            return  # the user has moved on to another file or mapping
        self._reading = False
        self.preview.clear()
        if table is None:
            if self._show_proposal(self.paths[self._preview_row]):
                return
            self.preview.setRowCount(0)
            self.preview.setColumnCount(1)
            self.preview.setHorizontalHeaderLabels([f"cannot read: {error}"])
            return
        names = list(table.columns)
        self.preview.setColumnCount(len(names))
        self.preview.setHorizontalHeaderLabels(names)
        rows = min(n_rows, len(table))
        self.preview.setRowCount(rows)
        for r in range(rows):
            for c, name in enumerate(names):
                text = _preview_cell(name, table[name][r])
                self.preview.setItem(r, c, QtWidgets.QTableWidgetItem(text))

    def _show_proposal(self, path: Path) -> bool:
        """Fill the preview with the proposed mapping of an unrecognised table."""
        from cellwright.projects.labdata import LabDataError, detect_format
        from cellwright.projects.labdata.mapper import AUTO_THRESHOLD, propose_mapping
        from cellwright.projects.labdata.sniff import sniff_layout

        try:
            if detect_format(path) != "generic":
                return False
            self.proposal = propose_mapping(sniff_layout(path).headers)
        except LabDataError:
            return False
        rows = [
            (g.column, g.target, f"{g.confidence:.0%}", g.reason) for g in self.proposal.guesses
        ]
        rows += [(c, "(not used)", "", "") for c in self.proposal.unmapped]
        self.preview.setColumnCount(4)
        self.preview.setHorizontalHeaderLabels(["Column", "Proposed meaning", "Sure", "Why"])
        self.preview.setRowCount(len(rows))
        for r, cells in enumerate(rows):
            for c, text in enumerate(cells):
                self.preview.setItem(r, c, QtWidgets.QTableWidgetItem(text))
        missing = self.proposal.missing(AUTO_THRESHOLD)
        self.use_proposal.setEnabled(not missing)
        self.use_proposal.setText(
            "Use the proposed mapping" if not missing else f"No column for {', '.join(missing)}"
        )
        self.use_proposal.show()
        return True

    def _on_use_proposal_clicked(self) -> None:
        from cellwright.projects.labdata.mapper import AUTO_THRESHOLD

        chosen = self.proposal
        chosen.guesses = [g for g in chosen.guesses if g.confidence >= AUTO_THRESHOLD]
        self.use_mapping(chosen.as_json())

    def _on_map_clicked(self) -> None:
        from cellwright.app.column_mapping import ColumnMappingDialog

        row = max(self.files.currentRow(), 0)
        dialog = ColumnMappingDialog(self.paths[row], parent=self)
        if dialog.exec():
            self._show_saved(dialog.saved_name)
            self.use_mapping(dialog.mapping())

    def _show_saved(self, name: str) -> None:
        """List a mapping just saved and show it chosen: the list still said "(detect the
        format)" while the new mapping was in use, and did not offer it for the next file."""
        from cellwright.app.column_mapping import saved_mappings

        self._saved = saved_mappings()
        self.saved.blockSignals(True)
        self.saved.clear()
        self.saved.addItem("(detect the format)")
        self.saved.addItems(list(self._saved))
        self.saved.setCurrentText(name)
        self.saved.blockSignals(False)

    def _on_saved_mapping_chosen(self, name: str) -> None:
        self.use_mapping(self._saved.get(name))

    def use_mapping(self, mapping: dict | None) -> None:
        """Read the files with a column mapping (None: detect the format again)."""
        self.mapping = mapping
        self.show_preview(max(self.files.currentRow(), 0))

    def _on_import_clicked(self) -> None:
        """Accept only options the import will take: a capacity of "5 Ahh" or "5 V" was
        refused by the background import after the dialog had closed, and the user typed
        the cell, capacity, mass and mapping again."""
        from cellwright.projects.labdata.runs import check_import_option
        from cellwright.projects.model import InputError

        for name, field in (("nominal_capacity", self.capacity), ("mass", self.mass)):
            try:
                check_import_option(name, field.text().strip() or None)
            except InputError as exc:
                self.error.setText(str(exc))
                field.setFocus()
                return
        if _bare_number(self.mass.text()):
            # a bare number is read in SI: "69", typed for a 69 g cell as the placeholder
            # shows, was stored as 69 kg, a thousand times off in every specific figure
            self.error.setText(f"mass: {self.mass.text().strip()!r} has no unit; "
                               'say "69 g" or "0.069 kg"')  # fmt: skip
            self.mass.setFocus()
            return
        self.error.setText("")
        self.accept()

    def options(self) -> dict:
        """Cell serial, nominal capacity and mapping as chosen (empty ones left out)."""
        out = {}
        if self.mapping is not None:
            out["mapping"] = self.mapping
        if self.cell.text().strip():
            out["cell_serial"] = self.cell.text().strip()
        if self.mass.text().strip():
            out["mass"] = self.mass.text().strip()
        if self.capacity.text().strip():
            out["nominal_capacity"] = self.capacity.text().strip()
        return out


def _preview_cell(column: str, value) -> str:
    """A preview cell as a person reads it: an empty cell for a missing value (not "nan"),
    a wall clock as a UTC date and time (its epoch seconds at six digits, "1.28344e+09",
    were 16 minutes coarse), any other number to six significant digits."""
    import math
    from datetime import UTC, datetime

    from cellwright.projects.labdata import table as cols

    value = float(value)
    if math.isnan(value):
        return "—"
    if column == cols.UNIX_TIME:
        try:
            return datetime.fromtimestamp(value, UTC).isoformat(sep=" ", timespec="milliseconds")
        except (OverflowError, OSError, ValueError):
            return f"{value:.6f}"
    return f"{value:.6g}"


def _bare_number(text: str) -> bool:
    """Whether ``text`` is a number without a unit."""
    try:
        float(text.strip().replace(",", "."))
    except ValueError:
        return False
    return True
