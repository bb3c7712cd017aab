"""The crush study editor: a standard as the preset, its prescriptions as the fields' defaults.

Used by the Run study dialog in place of the generic spec form when the engine is
``mechanics.crush``. The list of standards shows each one's clause; choosing one fills the
indenter, speed and stops it prescribes. A field the user changes is marked (bold, with a reset
button back to the standard's value); a refused value shows its reason under the field and the
dialog's Run stays disabled. A stop the standard prescribes has an "on" box: unticked, the stop
is switched off (the field reads "off"); ticked again, it is back at the standard's value. A
one-line summary says what will be done. The logic lives in
:mod:`cellwright.app.crush_editing` (tested without a display); this module only draws it.
"""

from __future__ import annotations

from typing import Any

from PySide6 import QtCore, QtWidgets

from cellwright.app.crush_editing import (
    CrushEditing,
    describe_loading,
    listed_groups,
    standard_choices,
)
from cellwright.app.crush_fields import FIELDS, FieldDef, field
from cellwright.engines.mechanics.crush_spec import CrushSpec

__all__ = ["CrushStudyEditor"]

_RED = "color: #b00020"


class _Row:
    """The widgets of one field: label, editor, unit, reset button and the error under it."""

    def __init__(self, f: FieldDef, on_edit, on_reset, on_switch) -> None:
        self.field = f
        self.label = QtWidgets.QLabel(f.label)
        self.switch: QtWidgets.QCheckBox | None = None
        if f.switchable:
            self.switch = QtWidgets.QCheckBox("on")
            self.switch.setToolTip("untick to switch this stop off")
            self.switch.toggled.connect(on_switch)
            policy = self.switch.sizePolicy()  # hidden (nothing to switch off): fields still align
            policy.setRetainSizeWhenHidden(True)
            self.switch.setSizePolicy(policy)
        if f.kind == "choice":
            self.editor = QtWidgets.QComboBox()
            self.editor.addItems(list(f.choices))
            self.editor.currentTextChanged.connect(on_edit)
        elif f.kind == "bool":
            self.editor = QtWidgets.QCheckBox()
            self.editor.toggled.connect(on_edit)
        else:
            self.editor = QtWidgets.QLineEdit()
            self.editor.setPlaceholderText(f.placeholder)
            self.editor.textChanged.connect(on_edit)
        self.unit = QtWidgets.QLabel(f.unit)
        self.reset = QtWidgets.QToolButton()
        self.reset.setText("↺")
        self.reset.clicked.connect(on_reset)
        self.error = QtWidgets.QLabel("")
        self.error.setStyleSheet(_RED)
        self.error.setWordWrap(True)
        self.error.hide()
        self.line = QtWidgets.QWidget()  # the editor, its unit and reset; the error under them
        column = QtWidgets.QVBoxLayout(self.line)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        box = QtWidgets.QHBoxLayout()
        if self.switch is not None:
            box.addWidget(self.switch, 0)
        for widget, stretch in ((self.editor, 1), (self.unit, 0), (self.reset, 0)):
            box.addWidget(widget, stretch)
        column.addLayout(box)
        column.addWidget(self.error)

    def text(self) -> str:
        if isinstance(self.editor, QtWidgets.QComboBox):
            return self.editor.currentText()
        if isinstance(self.editor, QtWidgets.QCheckBox):
            return "yes" if self.editor.isChecked() else "no"
        return self.editor.text()

    def show_text(self, text: str) -> None:
        self.editor.blockSignals(True)
        if isinstance(self.editor, QtWidgets.QComboBox):
            self.editor.setCurrentText(text)
        elif isinstance(self.editor, QtWidgets.QCheckBox):
            self.editor.setChecked(text == "yes")
        else:
            self.editor.setText(text)
        self.editor.blockSignals(False)


class CrushStudyEditor(QtWidgets.QWidget):
    """Edit a ``mechanics.crush`` spec from a standard's preset; :meth:`values` gives the spec.

    Parameters
    ----------
    standard
        The preset shown first.
    parent
        The Qt parent widget.
    """

    changed = QtCore.Signal()

    def __init__(
        self, standard: str = "GB38031-cell", parent: QtWidgets.QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.state = CrushEditing(standard)
        self.standard_combo = QtWidgets.QComboBox()
        for key, text in standard_choices():
            self.standard_combo.addItem(text, key)
        self.standard_combo.setCurrentIndex(self.standard_combo.findData(standard))
        self.standard_combo.setSizeAdjustPolicy(  # the clause is elided in a narrow dialog
            QtWidgets.QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.standard_combo.setMinimumContentsLength(20)
        self.prescribes = QtWidgets.QLabel()
        self.prescribes.setWordWrap(True)
        self.rows: dict[str, _Row] = {}
        self.summary = QtWidgets.QLabel()
        self.summary.setWordWrap(True)
        self.summary.setStyleSheet("font-weight: bold")
        self.error = QtWidgets.QLabel("")  # what CrushSpec refuses about the whole spec
        self.error.setStyleSheet(_RED)
        self.error.setWordWrap(True)
        self._layout()
        self.standard_combo.currentIndexChanged.connect(self._on_standard_changed)
        self._show_state()

    def _layout(self) -> None:
        layout = QtWidgets.QVBoxLayout(self)
        top = QtWidgets.QFormLayout()
        top.addRow("Standard", self.standard_combo)
        top.addRow("", self.prescribes)
        top.addRow("Study", self.summary)
        top.addRow("", self.error)
        layout.addLayout(top)
        groups: dict[str, QtWidgets.QFormLayout] = {}
        for f in FIELDS:
            if f.group not in groups:
                box = QtWidgets.QGroupBox(f.group)
                groups[f.group] = QtWidgets.QFormLayout(box)
                layout.addWidget(box)
            row = _Row(f, lambda *_, k=f.key: self._on_edited(k),
                       lambda *_, k=f.key: self.reset(k),
                       lambda on, k=f.key: self.switch_stop(k, on))  # fmt: skip
            self.rows[f.key] = row
            groups[f.group].addRow(row.label, row.line)
        layout.addStretch(1)

    @property
    def editors(self) -> dict[str, QtWidgets.QWidget]:
        """The editor widget of every field, by spec path (``indenter.radius``)."""
        return {key: row.editor for key, row in self.rows.items()}

    def numeric_paths(self) -> list[str]:
        """The spec paths of the number fields (what a design study can vary)."""
        return [f.key for f in FIELDS if f.kind in ("number", "int")]

    # -- user actions ---------------------------------------------------------------------------
    def choose_standard(self, standard: str) -> None:
        """Pick a preset as the user would, from the list."""
        self.standard_combo.setCurrentIndex(self.standard_combo.findData(standard))

    def set_value(self, key: str, text: str) -> None:
        """Type ``text`` into field ``key`` (as a user would)."""
        row = self.rows[key]
        if isinstance(row.editor, QtWidgets.QComboBox):
            row.editor.setCurrentText(text)
        elif isinstance(row.editor, QtWidgets.QCheckBox):
            row.editor.setChecked(text.lower() in ("yes", "true", "1"))
        else:
            row.editor.setText(text)

    def reset(self, key: str) -> None:
        """Put field ``key`` back to the standard's value."""
        self.state.reset(key)
        self._show_state()
        self.changed.emit()

    def switch_stop(self, key: str, on: bool) -> None:
        """Switch the stop at ``key`` off, or back on at the standard's value."""
        self.state.switch(key, on)
        self._show_state()
        self.changed.emit()

    def set_design(self, target: str, groups: list[str] | None = None, name: str = "") -> None:
        """The design the study is for (see :meth:`CrushEditing.for_design`): a pack's study
        targets the pack, and a held group it has not is refused at its field."""
        self.state.for_design(target, groups, name)
        tip = f"groups of the {target} {name}: {listed_groups(groups)}" if groups else ""
        self.rows["support_group"].editor.setToolTip(tip.replace("  ", " "))
        self._show_state()
        self.changed.emit()

    def load(self, spec: dict[str, Any]) -> None:
        """Show a stored spec (its standard and explicit values)."""
        self.state.load(spec)
        self.standard_combo.blockSignals(True)
        self.choose_standard(self.state.standard)
        self.standard_combo.blockSignals(False)
        self._show_state()

    def values(self) -> dict[str, Any] | None:
        """The spec dict the engine accepts, or None while something is refused."""
        return self.state.build()[0]

    def is_overridden(self, key: str) -> bool:
        """True when the field differs from the standard's (or the spec's) value."""
        return self.state.is_overridden(key)

    # -- drawing --------------------------------------------------------------------------------
    def _on_standard_changed(self, *_: object) -> None:
        self.state.choose_standard(self.standard_combo.currentData())
        self._show_state()
        self.changed.emit()

    def _on_edited(self, key: str) -> None:
        self.state.set_text(key, self.rows[key].text())
        if key == "indenter.kind":  # another kind brings its own defaults (a nail's radius)
            for other, row in self.rows.items():
                if other.startswith("indenter.") and not self.state.is_overridden(other):
                    row.show_text(self.state.text(other))
        self._show_marks()
        self.changed.emit()

    def _show_state(self) -> None:
        """Every field's text from the state (after a preset or a reset), then the marks."""
        preset = CrushSpec(standard=self.state.standard)
        self.standard_combo.setToolTip(self.state.preset.clause)
        clause = self.state.preset.clause or "custom: only what is given below"
        self.prescribes.setText(f"{clause}\nprescribes: {describe_loading(preset)}")
        for key, row in self.rows.items():
            row.show_text(self.state.text(key))
        self._show_marks()

    def _show_marks(self) -> None:
        """Overrides in bold with their reset button, errors under their fields, the summary."""
        spec, errors, summary = self.state.describe()
        for key, row in self.rows.items():
            overridden = self.state.is_overridden(key)
            font = row.label.font()
            font.setBold(overridden)
            row.label.setFont(font)
            default = self.state.default_text(key) or "none"
            origin = self.state.standard if field(key).preset else "the spec"
            row.reset.setVisible(overridden)
            row.reset.setToolTip(f"back to {default} {field(key).unit} ({origin})")
            row.label.setToolTip(f"changed from {default} ({origin})" if overridden else "")
            applies = self.state.applies(key)
            if row.switch is not None:
                row.switch.blockSignals(True)
                row.switch.setChecked(not self.state.is_off(key))
                row.switch.blockSignals(False)
                row.switch.setVisible(self.state.can_switch(key))
            row.editor.setEnabled(applies and not self.state.is_off(key))
            row.label.setEnabled(applies)
            row.error.setText(errors.get(key, ""))
            row.error.setVisible(key in errors)
        self.error.setText(errors.get("", ""))
        self.summary.setText(summary if spec is not None else "not valid: see the fields in red")
