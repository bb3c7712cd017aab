"""The library browser: search and filter materials and cells, see every value with its source,
compare two entries side by side, copy an entry into the project as an editable override."""

from __future__ import annotations

from PySide6 import QtCore, QtWidgets

from cellwright.projects.model import Material, MaterialClass, ReferenceCell

__all__ = ["LibraryBrowser", "entry_rows"]

#: the class filter: everything, the reference cells, then every material class of the model
_CLASSES = ("all", "cells", *(c.value for c in MaterialClass))


def entry_rows(entry: Material | ReferenceCell) -> list[tuple[str, str, str]]:
    """(quantity, value with unit, source) rows of a library entry."""
    if isinstance(entry, Material):
        return [(name, f"{p.value:.6g} {p.unit}", p.source) for name, p in entry.properties.items()]
    units = {
        "nominal_capacity": "A.h",
        "mass": "kg",
        "max_discharge_current": "A",
        "max_charge_current": "A",
    }
    rows = []
    for name, value in entry:
        if isinstance(value, float):
            unit = units.get(name, "V" if "voltage" in name else "m")
            rows.append((name, f"{value:.6g} {unit}", entry.sources.get(name, "")))
    return rows


class LibraryBrowser(QtWidgets.QWidget):
    """Browse the library; ``copy_requested(entry)`` asks the window to add an override."""

    copy_requested = QtCore.Signal(object)

    def __init__(self, library, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.library = library
        self.search = QtWidgets.QLineEdit()
        self.search.setPlaceholderText("search: name, id, chemistry…")
        self.class_combo = QtWidgets.QComboBox()
        self.class_combo.addItems(_CLASSES)
        self.list = QtWidgets.QListWidget()
        self.list.setSelectionMode(QtWidgets.QAbstractItemView.SelectionMode.ExtendedSelection)
        self.details = QtWidgets.QTableWidget(0, 3)
        self.details.setHorizontalHeaderLabels(["Quantity", "Value", "Source"])
        self.details.horizontalHeader().setStretchLastSection(True)
        self.details.setEditTriggers(QtWidgets.QAbstractItemView.EditTrigger.NoEditTriggers)
        self.copy_button = QtWidgets.QPushButton("Copy into project (editable override)")
        top = QtWidgets.QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(self.class_combo)
        split = QtWidgets.QSplitter()
        split.addWidget(self.list)
        split.addWidget(self.details)
        split.setStretchFactor(1, 3)
        layout = QtWidgets.QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(split, 1)
        layout.addWidget(self.copy_button)
        self.search.textChanged.connect(self._on_filter_changed)
        self.class_combo.currentTextChanged.connect(self._on_filter_changed)
        self.list.itemSelectionChanged.connect(self._on_selection_changed)
        self.copy_button.clicked.connect(self._on_copy_clicked)
        self._on_filter_changed()

    def entries(self) -> list[Material | ReferenceCell]:
        """Entries matching the search text and class filter."""
        cls, text = self.class_combo.currentText(), self.search.text().strip()
        pool = (
            self.library.search(text)
            if text
            else [*self.library.materials(), *self.library.cells()]
        )
        if cls == "cells":
            return [e for e in pool if isinstance(e, ReferenceCell)]
        if cls != "all":
            return [e for e in pool if isinstance(e, Material) and e.material_class == cls]
        return pool

    def _on_filter_changed(self, *_: object) -> None:
        self.list.clear()
        for entry in self.entries():
            item = QtWidgets.QListWidgetItem(f"{entry.name}  ({entry.id})")
            item.setData(QtCore.Qt.ItemDataRole.UserRole, entry)
            self.list.addItem(item)

    def select(self, *ids: str) -> None:
        """Select entries by id (two ids: compare them side by side)."""
        self.list.clearSelection()
        for i in range(self.list.count()):
            if self.list.item(i).data(QtCore.Qt.ItemDataRole.UserRole).id in ids:
                self.list.item(i).setSelected(True)

    def selected(self) -> list[Material | ReferenceCell]:
        """The selected entries."""
        return [i.data(QtCore.Qt.ItemDataRole.UserRole) for i in self.list.selectedItems()]

    def _on_selection_changed(self) -> None:
        chosen = self.selected()[:2]
        if len(chosen) == 2:
            self._compare(*chosen)
        elif chosen:
            rows = entry_rows(chosen[0])
            self._fill(["Quantity", "Value", "Source"], [list(r) for r in rows])

    def _compare(self, a, b) -> None:
        left, right = (
            dict((q, v) for q, v, _ in entry_rows(a)),
            dict((q, v) for q, v, _ in entry_rows(b)),
        )
        names = list(dict.fromkeys([*left, *right]))
        self._fill(
            ["Quantity", a.name, b.name], [[n, left.get(n, "—"), right.get(n, "—")] for n in names]
        )

    def _fill(self, header: list[str], rows: list[list[str]]) -> None:
        self.details.clear()
        self.details.setColumnCount(len(header))
        self.details.setHorizontalHeaderLabels(header)
        self.details.setRowCount(len(rows))
        for r, row in enumerate(rows):
            for c, text in enumerate(row):
                self.details.setItem(r, c, QtWidgets.QTableWidgetItem(text))
        self.details.resizeColumnsToContents()

    def cell_text(self, row: int, column: int) -> str:
        """Text shown in the details table."""
        item = self.details.item(row, column)
        return item.text() if item else ""

    def _on_copy_clicked(self) -> None:
        for entry in self.selected():
            self.copy_requested.emit(entry)
