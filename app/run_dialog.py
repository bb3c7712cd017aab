"""The Run study dialog: pick a design and an engine, fill the spec form, run."""

from __future__ import annotations

from collections.abc import Callable

from PySide6 import QtCore, QtWidgets

from cellwright.app.crush_editor import CrushStudyEditor
from cellwright.app.spec_form import SpecForm
from cellwright.engines.api import EngineListing
from cellwright.projects.model import DesignKind, DesignRef, Study

__all__ = ["FIRST_ENGINE", "RunStudyDialog"]

#: the engine the dialog offers first for a design of each kind: a cell's first question is
#: its discharge, a pack's its electrical behaviour (before, every design opened on the first
#: engine by name, a 2D coolant flow, whose empty domain left Run disabled)
FIRST_ENGINE = {
    DesignKind.CELL: "electrochem.pybamm_discharge",
    DesignKind.LIBRARY_CELL: "electrochem.pybamm_discharge",
    DesignKind.PACK: "electrochem.pack",
}


class RunStudyDialog(QtWidgets.QDialog):
    """Builds a :class:`cellwright.projects.model.Study` from the user's choices."""

    def __init__(
        self,
        designs: list[tuple[str, DesignRef]],
        engines: list[EngineListing],
        parent: QtWidgets.QWidget | None = None,
        describe_design: Callable[[DesignRef], tuple[str, list[str] | None]] | None = None,
    ) -> None:
        super().__init__(parent)
        # (target, mesh groups) of a design, for the crush editor; None: every design a cell's
        self.describe_design = describe_design
        self.setWindowTitle("Run study")
        self.designs = designs
        self.name = QtWidgets.QLineEdit("New study")
        self.design_combo = QtWidgets.QComboBox()
        self.design_combo.addItems([label for label, _ in designs])
        self.engine_combo = QtWidgets.QComboBox()
        model = self.engine_combo.model()
        for engine in engines:
            if engine.available:
                self.engine_combo.addItem(f"{engine.title} ({engine.id})", engine.id)
                continue
            # a broken plug-in is listed, greyed out, with its error; the others still work
            self.engine_combo.addItem(f"{engine.id}: unavailable", engine.id)
            index = self.engine_combo.count() - 1
            model.item(index).setEnabled(False)
            self.engine_combo.setItemData(index, engine.error, QtCore.Qt.ItemDataRole.ToolTipRole)
        first = next((i for i, e in enumerate(engines) if e.available), 0)
        self.engine_combo.setCurrentIndex(first)
        self.form_holder = QtWidgets.QScrollArea()
        self.form_holder.setWidgetResizable(True)
        self.form: SpecForm | CrushStudyEditor | None = None
        buttons = QtWidgets.QDialogButtonBox(QtWidgets.QDialogButtonBox.StandardButton.Cancel)
        self.run_button = buttons.addButton("Run", QtWidgets.QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self._on_run_clicked)
        buttons.rejected.connect(self.reject)
        layout = QtWidgets.QFormLayout(self)
        layout.addRow("Name", self.name)
        layout.addRow("Design", self.design_combo)
        layout.addRow("Engine", self.engine_combo)
        layout.addRow(self.form_holder)
        layout.addRow(buttons)
        self.engine_combo.currentIndexChanged.connect(self._on_engine_changed)
        self.design_combo.currentIndexChanged.connect(self._on_design_changed)
        self.resize(560, 620)
        self._on_engine_changed()

    def _on_engine_changed(self) -> None:
        from cellwright.engines.api import EngineError, load_engine

        try:
            engine = load_engine(self.engine_combo.currentData())
        except EngineError:  # only reachable by selecting a disabled entry programmatically
            self.form = None
            self.form_holder.setWidget(QtWidgets.QLabel(self.engine_combo.currentData() or ""))
            self._on_spec_changed()
            return
        self.form = self._form_for(engine)
        self.form.changed.connect(self._on_spec_changed)
        self.form_holder.setWidget(self.form)
        self._on_design_changed()
        self._on_spec_changed()

    def _on_design_changed(self, *_: object) -> None:
        """Tell the crush editor what the chosen design is (a pack: its study squeezes the
        pack, and its groups are known)."""
        if not isinstance(self.form, CrushStudyEditor) or not self.designs:
            return
        label, ref = self.designs[max(self.design_combo.currentIndex(), 0)]
        target, groups = ("cell", None)
        if self.describe_design is not None:
            target, groups = self.describe_design(ref)
        self.form.set_design(target, groups, label.partition(": ")[2])

    @staticmethod
    def _form_for(engine) -> SpecForm | CrushStudyEditor:
        """The crush engine gets its editor with the standards as presets; the others a form
        built from their spec."""
        if engine.id == "mechanics.crush":
            return CrushStudyEditor()
        return SpecForm(engine.Spec)

    def _on_spec_changed(self) -> None:
        self.run_button.setEnabled(self.form is not None and self.form.values() is not None)

    def start_on(self, ref: DesignRef | None, engine_id: str | None = None) -> None:
        """Open on design ``ref`` (the one selected in the project tree) with ``engine_id``, or
        else the engine :data:`FIRST_ENGINE` gives its kind; a design or engine that is not
        offered (or not available) leaves the choice as it is."""
        index = next((i for i, (_, r) in enumerate(self.designs) if r == ref), None)
        if index is not None:
            self.design_combo.setCurrentIndex(index)
        if not self.designs:
            return
        kind = self.designs[max(self.design_combo.currentIndex(), 0)][1].kind
        for wanted in (engine_id, FIRST_ENGINE.get(kind)):
            at = self.engine_combo.findData(wanted) if wanted else -1
            if at >= 0 and self.engine_combo.model().item(at).isEnabled():
                self.engine_combo.setCurrentIndex(at)
                return

    def select(self, design_label: str, engine_id: str) -> None:
        """Choose a design (by its label) and an engine (by id)."""
        self.design_combo.setCurrentText(design_label)
        self.engine_combo.setCurrentIndex(self.engine_combo.findData(engine_id))

    def study(self) -> Study | None:
        """The study described by the dialog, or None if the spec is not valid."""
        values = self.form.values() if self.form else None
        if values is None:
            return None
        _, ref = self.designs[self.design_combo.currentIndex()]
        return Study(
            name=self.name.text() or "Study",
            engine=self.engine_combo.currentData(),
            spec=values,
            design=ref,
        )

    def _on_run_clicked(self) -> None:
        if self.study() is not None:
            self.accept()


def library_ref(cell_id: str) -> DesignRef:
    """A design reference to a library cell."""
    return DesignRef(kind=DesignKind.LIBRARY_CELL, id=cell_id)
