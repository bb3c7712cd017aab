"""The property editor: the fields of the selected object, generated from its JSON Schema.

Units are shown beside each number and text with units is accepted ("96", "25 degC", "80 um").
An edit is committed when the user presses Enter or leaves the field; the window turns it into
an undoable command, and a refused value is marked in red with the reason while the object
keeps its old value. Derived figures (read-only) are listed below the fields.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel
from PySide6 import QtCore, QtWidgets

from app.spec_form import _kind, _options

__all__ = ["PropertyEditor"]

_SKIP = {"id", "created_at"}


class PropertyEditor(QtWidgets.QWidget):
    """Shows one object's editable fields and its derived figures."""

    edit_requested = QtCore.Signal(str, object)

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.obj: BaseModel | None = None
        self.editors: dict[str, QtWidgets.QWidget] = {}
        self.derived: dict[str, QtWidgets.QLabel] = {}
        self.title = QtWidgets.QLabel("Nothing selected")
        self.title.setStyleSheet("font-weight: bold")
        self.error = QtWidgets.QLabel("")
        self.error.setStyleSheet("color: #b00020")
        self.error.setWordWrap(True)
        self.form = QtWidgets.QFormLayout()
        self.derived_form = QtWidgets.QFormLayout()
        layout = QtWidgets.QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addLayout(self.form)
        layout.addWidget(self.error)
        self.derived_box = QtWidgets.QGroupBox("Derived")
        self.derived_box.setLayout(self.derived_form)
        layout.addWidget(self.derived_box)
        layout.addStretch(1)
        self.derived_box.hide()

    def set_object(self, obj: BaseModel | None, derived: dict[str, float] | None = None) -> None:
        """Show ``obj`` (None clears the editor) and its derived figures."""
        self.obj = obj
        _clear(self.form)
        _clear(self.derived_form)
        self.editors.clear()
        self.derived.clear()
        self.error.setText("")
        if obj is None:
            self.title.setText("Nothing selected")
            self.derived_box.hide()
            return
        self.title.setText(f"{type(obj).__name__}: {getattr(obj, 'name', obj.id)}")
        schema = type(obj).model_json_schema()
        for name, prop in schema.get("properties", {}).items():
            value = getattr(obj, name)
            if name in _SKIP or isinstance(value, BaseModel | dict | list):
                continue
            editor = self._editor(name, prop, value)
            unit = prop.get("unit") or next(
                (a.get("unit") for a in prop.get("anyOf", []) if a.get("unit")), ""
            )
            self.form.addRow(prop.get("title", name) + (f" [{unit}]" if unit else ""), editor)
            self.editors[name] = editor
        for name, value in (derived or {}).items():
            label = QtWidgets.QLabel(f"{value:.6g}")
            self.derived_form.addRow(name, label)
            self.derived[name] = label
        self.derived_box.setVisible(bool(derived))

    def _editor(self, name: str, prop: dict[str, Any], value: Any) -> QtWidgets.QWidget:
        options = _options(prop)
        if options is not None:
            combo = QtWidgets.QComboBox()
            combo.addItems([str(o) for o in options])
            combo.setCurrentText(str(value))
            combo.activated.connect(lambda _i, n=name, c=combo: self._request(n, c.currentText()))
            return combo
        if _kind(prop) == "bool":
            box = QtWidgets.QCheckBox()
            box.setChecked(bool(value))
            box.toggled.connect(lambda checked, n=name: self._request(n, checked))
            return box
        line = QtWidgets.QLineEdit(
            "" if value is None else f"{value:g}" if isinstance(value, float) else str(value)
        )
        line.editingFinished.connect(lambda n=name, e=line: self._on_line_finished(n, e))
        return line

    def _on_line_finished(self, name: str, editor: QtWidgets.QLineEdit) -> None:
        current = getattr(self.obj, name) if self.obj is not None else None
        text = editor.text().strip()
        shown = (
            ""
            if current is None
            else f"{current:g}"
            if isinstance(current, float)
            else str(current)
        )
        if text != shown:
            self._request(name, text if text else None)

    def _request(self, name: str, value: Any) -> None:
        self.error.setText("")
        self.edit_requested.emit(name, value)

    def type_into(self, name: str, text: str) -> None:
        """Type ``text`` into a field and press Enter, as a user would."""
        editor = self.editors[name]
        editor.setText(text)
        editor.editingFinished.emit()

    def refuse(self, name: str, reason: str) -> None:
        """Mark a refused value: red field, the reason below."""
        editor = self.editors.get(name)
        if editor is not None:
            editor.setStyleSheet("border: 2px solid #b00020")
            editor.setToolTip(reason)
        self.error.setText(reason)


def _clear(layout: QtWidgets.QFormLayout) -> None:
    while layout.rowCount():
        layout.removeRow(0)
