"""A form generated from a pydantic model's JSON Schema (engine specs, design fields).

Numbers are typed as text so units can be given ("25 degC"); the unit the field expects is
shown beside it (the schema's ``unit`` key, from :class:`projects.model.base.Unit`). Every edit
is validated against the model at once and a refused value is shown with the reason, in red,
without losing what the user typed.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ValidationError
from PySide6 import QtCore, QtWidgets

__all__ = ["SpecForm"]


def _options(prop: dict[str, Any]) -> list[Any] | None:
    if "enum" in prop:
        return list(prop["enum"])
    for alt in prop.get("anyOf", []):
        if "enum" in alt:
            return list(alt["enum"])
    return None


def _kind(prop: dict[str, Any]) -> str:
    types = {prop.get("type")} | {alt.get("type") for alt in prop.get("anyOf", [])}
    if "boolean" in types:
        return "bool"
    if types & {"number", "integer"}:
        return "number"
    return "text"


class SpecForm(QtWidgets.QWidget):
    """Editable fields of ``model``; :meth:`values` gives what is filled in."""

    changed = QtCore.Signal()

    def __init__(self, model: type[BaseModel], parent: QtWidgets.QWidget | None = None):
        super().__init__(parent)
        self.model = model
        self.schema = model.model_json_schema()
        self.editors: dict[str, QtWidgets.QWidget] = {}
        self.error = QtWidgets.QLabel("")
        self.error.setStyleSheet("color: #b00020")
        self.error.setWordWrap(True)
        layout = QtWidgets.QFormLayout(self)
        for name, prop in self.schema.get("properties", {}).items():
            editor = self._editor(prop)
            self.editors[name] = editor
            unit = prop.get("unit") or next(
                (a.get("unit") for a in prop.get("anyOf", []) if a.get("unit")), ""
            )
            label = prop.get("title", name) + (f" [{unit}]" if unit else "")
            editor.setToolTip(prop.get("description", ""))
            layout.addRow(label, editor)
        layout.addRow(self.error)

    def _editor(self, prop: dict[str, Any]) -> QtWidgets.QWidget:
        default = prop.get("default")
        options = _options(prop)
        if options is not None:
            combo = QtWidgets.QComboBox()
            combo.addItems([str(o) for o in options])
            if default is not None:
                combo.setCurrentText(str(default))
            combo.currentTextChanged.connect(self._on_edited)
            return combo
        if _kind(prop) == "bool":
            box = QtWidgets.QCheckBox()
            box.setChecked(bool(default))
            box.toggled.connect(self._on_edited)
            return box
        line = QtWidgets.QLineEdit("" if default is None else str(default))
        line.setPlaceholderText("default" if default is None else "")
        line.textChanged.connect(self._on_edited)
        return line

    def set_value(self, name: str, text: str) -> None:
        """Type ``text`` into field ``name`` (as a user would)."""
        editor = self.editors[name]
        if isinstance(editor, QtWidgets.QComboBox):
            editor.setCurrentText(text)
        elif isinstance(editor, QtWidgets.QCheckBox):
            editor.setChecked(text.lower() in ("1", "true", "yes"))
        else:
            editor.setText(text)

    def raw_values(self) -> dict[str, Any]:
        """The entries as typed (empty text fields left out, so defaults apply)."""
        out: dict[str, Any] = {}
        props = self.schema.get("properties", {})
        for name, editor in self.editors.items():
            if isinstance(editor, QtWidgets.QComboBox):
                options = _options(props[name]) or []
                out[name] = next(
                    (o for o in options if str(o) == editor.currentText()), editor.currentText()
                )
            elif isinstance(editor, QtWidgets.QCheckBox):
                out[name] = editor.isChecked()
            elif editor.text().strip():
                text = editor.text().strip()
                try:
                    out[name] = float(text) if _kind(props[name]) == "number" else text
                except ValueError:
                    out[name] = text  # a number with a unit: the model converts it
        return out

    def values(self) -> dict[str, Any] | None:
        """Validated values, or None (with the reason shown) when something is refused."""
        data = self.raw_values()
        try:
            self.model.model_validate(data)
        except ValidationError as exc:
            self.error.setText(
                "; ".join(
                    f"{'.'.join(str(p) for p in e['loc']) or 'spec'}: {e['msg']}"
                    for e in exc.errors(include_url=False)
                )
            )
            return None
        self.error.setText("")
        return data

    def _on_edited(self, *_: object) -> None:
        self.values()
        self.changed.emit()
