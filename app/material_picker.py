"""Choosing a material from the library for one field of a design.

The list holds the materials of the classes the field accepts (a positive's active material:
cathode materials; a separator field: separators …), narrowed by a search text, a chemistry
and a property range (for example a specific capacity of at least 180 mA.h/g). The selected
material's values are shown with the source of each; a project override is marked as such.
"""

from __future__ import annotations

from PySide6 import QtCore, QtWidgets

from cellwright.projects.model import Material

__all__ = ["MaterialPicker", "material_label"]


def material_label(material: Material, overridden: bool = False) -> str:
    """How a material is listed: ``nmc811 — NMC811 (…)``, marked when the project overrides it."""
    return f"{material.id} — {material.name}" + (" [project override]" if overridden else "")


class MaterialPicker(QtWidgets.QDialog):
    """Pick one material of ``classes``; :attr:`chosen` is its id after Choose."""

    def __init__(
        self,
        library,
        classes: tuple[str, ...],
        overrides: set[str] | None = None,
        current: str | None = None,
        parent: QtWidgets.QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Choose a material: " + " or ".join(classes))
        self.library, self.classes = library, classes
        self.overrides = overrides or set()
        self.chosen: str | None = None
        self.search = QtWidgets.QLineEdit()
        self.search.setPlaceholderText("search id, name or chemistry")
        self.chemistry = QtWidgets.QComboBox()
        self.chemistry.addItem("any chemistry", "")
        chemistries = sorted({m.chemistry for m in self._all() if m.chemistry})
        for chem in chemistries:
            self.chemistry.addItem(chem, chem)
        self.property = QtWidgets.QComboBox()
        self.property.addItem("no property filter", "")
        for name in sorted({p for m in self._all() for p in m.properties}):
            self.property.addItem(name, name)
        self.low, self.high = QtWidgets.QLineEdit(), QtWidgets.QLineEdit()
        self.low.setPlaceholderText("min")
        self.high.setPlaceholderText("max")
        self.matches = QtWidgets.QListWidget()
        self.details = QtWidgets.QTableWidget(0, 3)
        self.details.setHorizontalHeaderLabels(["Property", "Value", "Source"])
        self.details.verticalHeader().hide()
        self.details.horizontalHeader().setStretchLastSection(True)
        self.details.setEditTriggers(QtWidgets.QAbstractItemView.EditTrigger.NoEditTriggers)
        self.note = QtWidgets.QLabel("")
        self._layout()
        for signal in (self.search.textChanged, self.low.textChanged, self.high.textChanged):
            signal.connect(self._refill)
        self.chemistry.currentIndexChanged.connect(self._refill)
        self.property.currentIndexChanged.connect(self._refill)
        self.matches.currentItemChanged.connect(self._on_match_changed)
        self.matches.itemDoubleClicked.connect(lambda _item: self._on_choose_clicked())
        self.resize(760, 520)
        self._refill()
        self.select(current)

    def _all(self) -> list[Material]:
        return [m for c in self.classes for m in self.library.materials(material_class=c)]

    def _layout(self) -> None:
        filters = QtWidgets.QHBoxLayout()
        for widget in (self.search, self.chemistry, self.property, self.low, self.high):
            filters.addWidget(widget)
        split = QtWidgets.QSplitter()
        split.addWidget(self.matches)
        right = QtWidgets.QWidget()
        side = QtWidgets.QVBoxLayout(right)
        side.setContentsMargins(0, 0, 0, 0)
        side.addWidget(self.note)
        side.addWidget(self.details, 1)
        split.addWidget(right)
        split.setSizes([260, 500])
        buttons = QtWidgets.QDialogButtonBox(QtWidgets.QDialogButtonBox.StandardButton.Cancel)
        self.choose_button = buttons.addButton(
            "Choose", QtWidgets.QDialogButtonBox.ButtonRole.AcceptRole
        )
        buttons.accepted.connect(self._on_choose_clicked)
        buttons.rejected.connect(self.reject)
        layout = QtWidgets.QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(split, 1)
        layout.addWidget(buttons)

    def _range(self) -> tuple[float | None, float | None] | None:
        name = self.property.currentData()
        if not name:
            return None

        def number(text: str) -> float | None:
            try:
                return float(text) if text.strip() else None
            except ValueError:
                return None

        return number(self.low.text()), number(self.high.text())

    def _refill(self) -> None:
        text = self.search.text().strip().lower()
        chemistry = self.chemistry.currentData()
        bounds, name = self._range(), self.property.currentData()
        self.matches.clear()
        for material in self._all():
            haystack = f"{material.id} {material.name} {material.chemistry}".lower()
            if (text and text not in haystack) or (chemistry and material.chemistry != chemistry):
                continue
            if bounds is not None:
                value = material.value(name)
                lo, hi = bounds
                if (
                    value is None
                    or (lo is not None and value < lo)
                    or (hi is not None and value > hi)
                ):
                    continue
            item = QtWidgets.QListWidgetItem(
                material_label(material, material.id in self.overrides)
            )
            item.setData(QtCore.Qt.ItemDataRole.UserRole, material.id)
            self.matches.addItem(item)
        self.choose_button.setEnabled(self.matches.count() > 0)
        if self.matches.count():
            self.matches.setCurrentRow(0)

    def select(self, material_id: str | None) -> None:
        """Select ``material_id`` in the list, if it is shown."""
        for row in range(self.matches.count()):
            if self.matches.item(row).data(QtCore.Qt.ItemDataRole.UserRole) == material_id:
                self.matches.setCurrentRow(row)
                return

    def shown_ids(self) -> list[str]:
        """The ids the list shows now."""
        role = QtCore.Qt.ItemDataRole.UserRole
        return [self.matches.item(r).data(role) for r in range(self.matches.count())]

    def _on_match_changed(self, item: QtWidgets.QListWidgetItem | None, _previous) -> None:
        self.details.setRowCount(0)
        if item is None:
            self.note.setText("")
            return
        material = self.library.material(item.data(QtCore.Qt.ItemDataRole.UserRole))
        override = " — project override of the library entry" * (material.id in self.overrides)
        self.note.setText(f"{material.name}, {material.material_class}{override}")
        self.details.setRowCount(len(material.properties))
        for row, (name, prop) in enumerate(material.properties.items()):
            cells = (name, f"{prop.value:.6g} {prop.unit}", prop.source)
            for col, text in enumerate(cells):
                cell = QtWidgets.QTableWidgetItem(text)
                cell.setToolTip(text)
                self.details.setItem(row, col, cell)
        self.details.resizeColumnToContents(0)
        self.details.resizeColumnToContents(1)

    def _on_choose_clicked(self) -> None:
        item = self.matches.currentItem()
        if item is not None:
            self.chosen = item.data(QtCore.Qt.ItemDataRole.UserRole)
            self.accept()
