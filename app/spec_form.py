"""A form generated from a pydantic model's JSON Schema (engine specs, design fields).

Numbers are typed as text so units can be given ("25 degC"); the unit the field expects is shown
beside it (the schema's ``unit`` key, from :class:`cellwright.projects.model.base.Unit`). Every edit
is validated against the model at once and a refused value is shown with the reason, in red, without
losing what the user typed.
"""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel, ValidationError
from PySide6 import QtCore, QtWidgets

from cellwright.app.field_labels import readable_title
from cellwright.projects.model.errors import rule_message

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
    if types & {"array", "object"} or any("$ref" in a for a in prop.get("anyOf", [])):
        return "json"  # lists and free-form tables are typed as JSON
    return "text"


def _nested(prop: dict[str, Any], defs: dict[str, Any]) -> dict[str, Any] | None:
    """The schema of a nested model field (a ``$ref`` to a model with properties), if it is one."""
    ref = prop.get("$ref")
    if ref is None and len(prop.get("allOf", [])) == 1:
        ref = prop["allOf"][0].get("$ref")
    if ref is None:
        return None
    target = defs.get(ref.rsplit("/", 1)[-1], {})
    return target if "properties" in target else None


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
        self._props: dict[str, dict[str, Any]] = {}
        self._add_fields(layout, self.schema.get("properties", {}), "")
        layout.addRow(self.error)

    def _add_fields(self, layout: QtWidgets.QFormLayout, props: dict, prefix: str) -> None:
        """One row per field; a nested model becomes a group whose fields are ``outer.inner``."""
        defs = self.schema.get("$defs", {})
        for name, prop in props.items():
            key = prefix + name
            nested = _nested(prop, defs)
            if nested is not None:
                group = QtWidgets.QGroupBox(
                    readable_title(prop.get("title", name.replace("_", " ").title()))
                )
                group.setToolTip(prop.get("description", nested.get("description", "")))
                inner = QtWidgets.QFormLayout(group)
                self._add_fields(inner, nested["properties"], key + ".")
                layout.addRow(group)
                continue
            editor = self._editor(prop)
            self.editors[key] = editor
            self._props[key] = prop
            unit = prop.get("unit") or next(
                (a.get("unit") for a in prop.get("anyOf", []) if a.get("unit")), ""
            )
            label = readable_title(prop.get("title", name)) + (f" [{unit}]" if unit else "")
            hint = " (JSON)" if _kind(prop) == "json" else ""
            editor.setToolTip(prop.get("description", "") + hint)
            layout.addRow(label, editor)

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
        if prop.get("examples") and _kind(prop) not in ("bool", "json"):
            # a text field with well-known values (a profile picker): pick one or type another
            combo = QtWidgets.QComboBox()
            combo.setEditable(True)
            combo.addItems([str(e) for e in prop["examples"]])
            combo.setCurrentText("" if default is None else str(default))
            combo.currentTextChanged.connect(self._on_edited)
            return combo
        if _kind(prop) == "bool":
            box = QtWidgets.QCheckBox()
            box.setChecked(bool(default))
            box.toggled.connect(self._on_edited)
            return box
        if _kind(prop) == "json":
            # a name (a shipped curve's, "pouch-stack") reads as itself, not as JSON text in
            # quotes; a text that is not JSON is taken as the text it is (values)
            plain = isinstance(default, str)
            text = "" if default in (None, [], {}) else default if plain else json.dumps(default)
        else:
            text = "" if default is None else str(default)
        line = QtWidgets.QLineEdit(text)
        line.setPlaceholderText("default" if not text else "")
        line.textChanged.connect(self._on_edited)
        return line

    def numeric_paths(self) -> list[str]:
        """The (dotted) names of the number fields: what a design study can vary."""
        return [key for key, prop in self._props.items() if _kind(prop) == "number"]

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
        for key, editor in self.editors.items():
            prop = self._props[key]
            *outer, name = key.split(".")
            target = out
            for part in outer:
                target = target.setdefault(part, {})
            if isinstance(editor, QtWidgets.QComboBox):
                options = _options(prop) or []
                target[name] = next(
                    (o for o in options if str(o) == editor.currentText()), editor.currentText()
                )
            elif isinstance(editor, QtWidgets.QCheckBox):
                target[name] = editor.isChecked()
            elif editor.text().strip():
                text = editor.text().strip()
                kind = _kind(prop)
                try:
                    if kind == "number":
                        target[name] = float(text)
                    elif kind == "json":
                        target[name] = json.loads(text)
                    else:
                        target[name] = text
                except ValueError:
                    target[name] = text  # a number with a unit, or bad JSON: the model says why
        return out

    def values(self) -> dict[str, Any] | None:
        """Validated values, or None (with the reason shown) when something is refused."""
        data = self.raw_values()
        try:
            self.model.model_validate(data)
        except ValidationError as exc:
            self.error.setText("; ".join(_message(e) for e in exc.errors(include_url=False)))
            return None
        self.error.setText("")
        return data

    def _on_edited(self, *_: object) -> None:
        self.values()
        self.changed.emit()


def _message(error: dict) -> str:
    """One refusal as the form shows it: ``field: why``, or just why for a rule across fields
    (pydantic's "spec: Value error, give exactly one of …" read as a fault of a field "spec")."""
    why = rule_message(error)
    where = ".".join(str(p) for p in error["loc"])
    return f"{where}: {why}" if where else why
