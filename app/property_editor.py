"""The property editor: the fields of the selected object, generated from its JSON Schema.

Nested models (a cell's electrodes and geometry, a pack's busbar and cooling plate) are shown as
group boxes, and their fields are addressed by dotted path (``"positive.coating_thickness"``,
``"geometry.positive_tab.width"``). Units are shown beside each number and text with units is
accepted ("96", "25 degC", "80 um"). An edit is committed when the user presses Enter or leaves the
field; the window turns it into an undoable command, and a refused value is marked in red with the
reason while the object keeps its old value. Derived figures (read-only) and design-rule warnings
are shown below the fields (:class:`cellwright.app.figures_panel.FiguresPanel`).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import Any, get_args

from pydantic import BaseModel, ValidationError
from PySide6 import QtCore, QtWidgets

from cellwright.app.design_figures import DesignFigures
from cellwright.app.field_labels import readable_title
from cellwright.app.figures_panel import FiguresPanel
from cellwright.app.spec_form import _kind, _options

__all__ = ["PropertyEditor", "value_at"]

_SKIP = {"id", "created_at", "kind"}


@lru_cache(maxsize=64)
def _properties(cls: type[BaseModel]) -> dict[str, dict[str, Any]]:
    """The schema's properties, with enums behind ``$ref`` (CellFormat) inlined and a title."""
    schema = cls.model_json_schema()
    defs = schema.get("$defs", {})
    out = {}
    for name, prop in schema.get("properties", {}).items():
        target = defs.get(prop.get("$ref", "").rpartition("/")[2], {})
        if "enum" in target:
            prop = {**prop, "enum": target["enum"]}
            del prop["$ref"]
        out[name] = {"title": name.replace("_", " ").capitalize(), **prop}
    return out


def _addable(cls: type[BaseModel], name: str) -> type[BaseModel] | None:
    """The model an optional field holds if it can be added with its defaults (a busbar)."""
    models = [
        a for a in get_args(cls.model_fields[name].annotation) if isinstance(a, type)
    ]  # fmt: skip
    models = [a for a in models if issubclass(a, BaseModel)]
    if len(models) != 1:
        return None
    try:
        models[0]()
    except ValidationError:
        return None
    return models[0]


def _unit(prop: dict[str, Any]) -> str:
    unit = prop.get("unit") or next(
        (a.get("unit") for a in prop.get("anyOf", []) if a.get("unit")), ""
    )
    return "" if unit == "1" else unit


def _is_model(prop: dict[str, Any]) -> bool:
    return "$ref" in prop or any("$ref" in alt for alt in prop.get("anyOf", []))


def _nullable(prop: dict[str, Any]) -> bool:
    """Whether a field's schema allows null (an optional reference that can be cleared)."""
    return any(alt.get("type") == "null" for alt in prop.get("anyOf", []))


def _shown(value: Any, unit: str = "") -> str:
    """The text of a value; lengths carry mm or um, as engineers write them ("75.6 um")."""
    if isinstance(value, float) and unit == "m" and 0 < abs(value) < 1:
        return f"{value * 1e3:.6g} mm" if abs(value) >= 1e-3 else f"{value * 1e6:.6g} um"
    return "" if value is None else f"{value:g}" if isinstance(value, float) else str(value)


def _bounds(prop: dict[str, Any]) -> str:
    """The allowed range a schema states, as "0.05 ≤ value ≤ 0.8" (or "").

    Fields with a unit carry pydantic's own keys (ge, gt, le, lt) in their schema, plain ones
    the JSON Schema keys (minimum, exclusiveMinimum …); both are read.
    """
    for alt in (prop, *prop.get("anyOf", [])):
        lo = next(((alt[k], s) for k, s in _LOWER if alt.get(k) is not None), None)
        hi = next(((alt[k], s) for k, s in _UPPER if alt.get(k) is not None), None)
        if lo is not None or hi is not None:
            left = f"{lo[0]:g} {lo[1]} " if lo is not None else ""
            right = f" {hi[1]} {hi[0]:g}" if hi is not None else ""
            return f"{left}value{right}"
    return ""


_LOWER = (("ge", "≤"), ("minimum", "≤"), ("gt", "<"), ("exclusiveMinimum", "<"))
_UPPER = (("le", "≤"), ("maximum", "≤"), ("lt", "<"), ("exclusiveMaximum", "<"))


def field_tooltip(prop: dict[str, Any], unit: str, source: str = "") -> str:
    """What a field's tooltip says: its description, unit, allowed range and source."""
    lines = [prop.get("description", "") or prop.get("title", "")]
    if unit:
        lines.append(f"Unit: {unit} (other units are converted: type e.g. '80 um')")
    bounds = _bounds(prop)
    if bounds:
        lines.append(f"Allowed: {bounds}" + (f" [{unit}]" if unit else ""))
    options = prop.get("enum")
    if options:
        lines.append("Choices: " + ", ".join(map(str, options)))
    if source:
        lines.append(f"Source: {source}")
    return "\n".join(line for line in lines if line)


def value_at(obj: BaseModel, path: str) -> Any:
    """The value of the (dotted) field ``path`` of ``obj``."""
    for part in path.split("."):
        obj = getattr(obj, part)
    return obj


class PropertyEditor(QtWidgets.QWidget):
    """Shows one object's editable fields (nested ones in groups) and its derived figures."""

    edit_requested = QtCore.Signal(str, object)

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.obj: BaseModel | None = None
        self.editors: dict[str, QtWidgets.QWidget] = {}
        self.groups: dict[str, QtWidgets.QGroupBox] = {}
        self.buttons: dict[str, QtWidgets.QPushButton] = {}  # "add busbar", "remove busbar"
        self.units: dict[str, str] = {}  # field path -> the unit its schema declares
        #: (object, field path) -> the default of an optional part, or None; set by the window
        #: (projects.design.part_defaults sizes geometry, electrodes, modules, enclosure …)
        self.part_defaults = None
        #: the library the project sees (its overrides applied) and the ids it overrides
        self.library = None
        self.overrides: set[str] = set()
        #: field -> what lists [(id, label)] of the objects the field refers to by id (a cell's
        #: ``ecm_parameters``, a pack's ``cell``); set by the window, called only when such a
        #: field is shown. Such a field is a list of names, not a line for an id nobody can know
        self.stored: dict[str, Callable[[], list[tuple[str, str]]]] = {}
        self.title = QtWidgets.QLabel("Nothing selected")
        self.title.setStyleSheet("font-weight: bold")
        self.error = QtWidgets.QLabel("")
        self.error.setStyleSheet("color: #b00020")
        self.error.setWordWrap(True)
        self.fields = QtWidgets.QWidget()
        self.fields_layout = QtWidgets.QVBoxLayout(self.fields)
        self.scroll = scroll = QtWidgets.QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.fields)
        self.figures = FiguresPanel()
        self.figures.hide()
        split = QtWidgets.QSplitter(QtCore.Qt.Orientation.Vertical)
        split.addWidget(scroll)
        split.addWidget(self.figures)
        split.setSizes([480, 320])
        self.setMinimumWidth(280)
        layout = QtWidgets.QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.error)
        layout.addWidget(split, 1)

    @property
    def derived(self) -> dict[str, QtWidgets.QTableWidgetItem]:
        """Derived figure name -> its value cell in the figures table."""
        return self.figures.values

    def set_object(self, obj: BaseModel | None, figures: DesignFigures | None = None) -> None:
        """Show ``obj`` (None clears the editor), its derived figures and warnings."""
        scroll_bar = self.scroll.verticalScrollBar()
        position = scroll_bar.value()
        same = self.obj is not None and obj is not None and obj.id == self.obj.id
        self.obj = obj
        self.editors.clear()
        self.groups.clear()
        self.buttons.clear()
        self.units.clear()
        self.error.setText("")
        old = self.fields_layout.takeAt(0)
        while old is not None:
            if old.widget() is not None:
                old.widget().deleteLater()
            old = self.fields_layout.takeAt(0)
        self.figures.show_figures(figures if obj is not None else None)
        if obj is None:
            self.title.setText("Nothing selected")
            return
        self.title.setText(f"{type(obj).__name__}: {getattr(obj, 'name', obj.id)}")
        self.fields_layout.addWidget(self._section(obj, "", None))
        self.fields_layout.addStretch(1)
        if same:  # an edit of the same object keeps the scroll place
            QtCore.QTimer.singleShot(0, scroll_bar, lambda: scroll_bar.setValue(position))

    def _section(self, model: BaseModel, prefix: str, title: str | None) -> QtWidgets.QWidget:
        box = QtWidgets.QGroupBox(title) if title else QtWidgets.QWidget()
        form = QtWidgets.QFormLayout(box)
        form.setFieldGrowthPolicy(QtWidgets.QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        nested, absent = [], []
        for name, prop in _properties(type(model)).items():
            value = getattr(model, name, None)
            path = prefix + name
            if name in _SKIP or isinstance(value, dict | list):
                continue
            if value is None and _is_model(prop):  # an absent part: offer to add it
                default = self._default_part(model, path)
                if default is not None:
                    absent.append((path, readable_title(prop["title"]), default))
                continue
            if isinstance(value, BaseModel):
                nested.append((path, readable_title(prop.get("title", name)), value))
                continue
            editor = self._editor(path, prop, value)
            if not editor.toolTip():
                editor.setToolTip(field_tooltip(prop, _unit(prop), self._source_of(model, name)))
            unit = _unit(prop)
            label = readable_title(prop["title"]) + (f" [{unit}]" if unit and unit != "m" else "")
            form.addRow(label, editor)
            self.editors[path] = editor
        for path, label, value in nested:
            group = self._section(value, path + ".", label)
            if type(model).model_fields[path.rpartition(".")[2]].default is None:
                remove = QtWidgets.QPushButton(f"Remove {label.lower()}")
                remove.clicked.connect(lambda _=False, p=path: self._request(p, None))
                group.layout().addRow(remove)
                self.buttons[f"remove {path}"] = remove
            self.groups[path] = group
            form.addRow(group)
        for path, label, default in absent:
            add = QtWidgets.QPushButton(f"Add {label.lower()}")
            add.setToolTip("added with defaults sized from the design; edit them after")
            add.clicked.connect(lambda _=False, p=path, d=default: self._request(p, d))
            form.addRow(add)
            self.buttons[f"add {path}"] = add
        return box

    def _default_part(self, model: BaseModel, path: str) -> dict[str, Any] | None:
        """What an absent part is added with: the window's sized default, else the part's own
        defaults when it has them for every field, else None (not offered)."""
        if self.part_defaults is not None and self.obj is not None:
            try:
                value = self.part_defaults(self.obj, path)
            except Exception:  # a default that cannot be sized is simply not offered
                value = None
            if value is not None:
                return value.model_dump() if isinstance(value, BaseModel) else value
        cls = _addable(type(model), path.rpartition(".")[2])
        return {} if cls is not None else None

    def _editor(self, name: str, prop: dict[str, Any], value: Any) -> QtWidgets.QWidget:
        from cellwright.projects.design.material_fields import material_class_for

        classes = material_class_for(name) if self.library is not None else ()
        if classes and (value is None or isinstance(value, str)) and _kind(prop) != "bool":
            return self._material_editor(name, classes, value)
        if name in self.stored:
            combo = self._stored_editor(name, value, _nullable(prop))
            # the panel cuts a long choice short ("LG INR21700 M50 (l…"): whole in the tooltip
            combo.setToolTip(f"{combo.currentText()}\n\n{field_tooltip(prop, _unit(prop))}")
            return combo
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
        line = QtWidgets.QLineEdit(_shown(value, _unit(prop)))
        self.units[name] = _unit(prop)
        line.editingFinished.connect(lambda n=name, e=line: self._on_line_finished(n, e))
        return line

    def _source_of(self, model: BaseModel, name: str) -> str:
        """Where a value comes from: a library cell's ``sources`` entry, if it has one."""
        sources = getattr(model, "sources", None)
        return sources.get(name, "") if isinstance(sources, dict) else ""

    def _material_editor(self, name: str, classes: tuple[str, ...], value: str | None):
        """A library material: a list of the accepted classes, marked where the project
        overrides one, and a button that opens the picker with search and filters."""
        from cellwright.app.material_picker import MaterialPicker, material_label

        combo = QtWidgets.QComboBox()
        combo.setObjectName(f"material:{name}")
        choices = [m for c in classes for m in self.library.materials(material_class=c)]
        if value is None:
            combo.addItem("(none)", None)
        for material in choices:
            combo.addItem(material_label(material, material.id in self.overrides), material.id)
        if value is not None and combo.findData(value) < 0:
            combo.addItem(f"{value} (not in the library)", value)
        combo.setCurrentIndex(max(combo.findData(value), 0))
        combo.setToolTip(self._material_tip(value))
        combo.activated.connect(
            lambda _i, n=name, c=combo: (
                self._request(n, c.currentData())
                if c.currentData() != value_at(self.obj, n)
                else None
            )
        )
        browse = QtWidgets.QToolButton()
        browse.setText("…")
        browse.setToolTip("Choose from the library: search, filter by chemistry and properties")

        def pick() -> None:
            picker = MaterialPicker(self.library, classes, self.overrides, value, self)
            if picker.exec() == QtWidgets.QDialog.DialogCode.Accepted and picker.chosen:
                self._request(name, picker.chosen)

        browse.clicked.connect(pick)
        row = QtWidgets.QWidget()
        layout = QtWidgets.QHBoxLayout(row)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(combo, 1)
        layout.addWidget(browse)
        row.combo, row.browse = combo, browse
        return row

    def _stored_editor(self, name: str, value: str | None, nullable: bool) -> QtWidgets.QComboBox:
        """A reference by id to a stored object: its label to choose, and none where the field
        may be empty (a cell's ECM fit may, a pack's cell may not). An id that names nothing
        listed (a deleted fit or cell) is shown as missing, so it is seen and can be replaced."""
        combo = QtWidgets.QComboBox()
        combo.setObjectName(f"stored:{name}")
        # sized to the panel, not to the longest label (a library cell's), which would push
        # every field of the form past the panel's right edge
        combo.setSizeAdjustPolicy(
            QtWidgets.QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        combo.setMinimumContentsLength(12)
        if nullable:
            combo.addItem("(none)", None)
        for stored_id, label in self.stored[name]():
            combo.addItem(label, stored_id)
            combo.setItemData(combo.count() - 1, stored_id, QtCore.Qt.ItemDataRole.ToolTipRole)
        current = combo.findData(value)
        if value is not None and current < 0:
            # a reference by name (a pack stored from a design file before imports kept ids
            # only) is the object of that label, as Project.find reads it
            current = combo.findText(value)
        if value is not None and current < 0:
            combo.addItem(f"{value} (missing)", value)
            current = combo.count() - 1
        combo.setCurrentIndex(max(current, 0))
        combo.activated.connect(lambda i, n=name, c=combo: self._on_stored_chosen(n, c, i))
        return combo

    def _on_stored_chosen(self, name: str, combo: QtWidgets.QComboBox, index: int) -> None:
        chosen = combo.itemData(index)
        if chosen != getattr(self.obj, name, None):  # the same one again is no edit
            self._request(name, chosen)

    def _material_tip(self, material_id: str | None) -> str:
        if not material_id:
            return ""
        try:
            material = self.library.material(material_id)
        except Exception:
            return f"{material_id}: not in the library"
        lines = [f"{material.name} ({material.id}), {material.material_class}"]
        if material_id in self.overrides:
            lines.append("project override of the library entry")
        for prop_name, prop in list(material.properties.items())[:8]:
            lines.append(f"{prop_name}: {prop.value:.4g} {prop.unit} — {prop.source}")
        return "\n".join(lines)

    def choose_material(self, name: str, material_id: str) -> None:
        """Pick ``material_id`` in the material field ``name``, as a user would."""
        combo = self.editors[name].combo
        index = combo.findData(material_id)
        if index < 0:
            raise KeyError(material_id)
        combo.setCurrentIndex(index)
        combo.activated.emit(index)

    def _on_line_finished(self, name: str, editor: QtWidgets.QLineEdit) -> None:
        if self.obj is None:
            return
        text = editor.text().strip()
        if text != _shown(value_at(self.obj, name), self.units.get(name, "")):
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
        """Mark a refused value: red field, the reason below the title."""
        editor = self.editors.get(name)
        if editor is not None:
            editor.setStyleSheet("border: 2px solid #b00020")
            editor.setToolTip(reason)
        self.error.setText(reason)
