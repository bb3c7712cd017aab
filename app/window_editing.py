"""The main window's editing: selection, the property editor, undoable commands."""

from __future__ import annotations

from PySide6 import QtCore

from cellwright.projects.model import CellDesign, InputError, PackDesign

__all__ = ["EditingMixin"]


class EditingMixin:
    """Part of :class:`cellwright.app.main_window.MainWindow` (expects its project, tree and undo
    stack)."""

    # -- editing ------------------------------------------------------------------------------
    def selected_object(self):
        """The project object selected in the tree, or None."""
        items = self.tree.selectedItems()
        data = items[0].data(0, QtCore.Qt.ItemDataRole.UserRole) if items else None
        if (
            not data
            or self.project is None
            or data[0] not in ("cell", "pack", "study", "material", "library_cell")
        ):
            return None
        try:
            return self.project.get(*data)
        except InputError:
            if data[0] == "library_cell" and self.library is not None:
                return self.library.cell(data[1])  # a seed cell: an edit makes an override
            raise

    def select_in_tree(self, group: str, name: str) -> None:
        """Select the item called ``name`` under ``group``."""
        for item in self.tree_items(group):
            if item.text(0) == name:
                self.tree.setCurrentItem(item)
                return
        raise KeyError(f"no {name!r} under {group}")

    def derived_figures(self, obj):
        """Derived figures and warnings of a cell or pack design (None for other objects).

        See :func:`cellwright.app.design_figures.design_figures`: a design without geometry takes
        its figures from its reference cell, a pack from its cell design or library cell.
        """
        from cellwright.app.design_figures import design_figures

        return design_figures(obj, self.project, self.library)

    def _prepare_editor(self) -> None:
        """Give the property editor the library the project sees and the part defaults."""
        from cellwright.projects.design.resolve import library_for

        editor = self.properties
        editor.library = library_for(self.project, self.library) if self.library else None
        editor.overrides = (
            {m.id for m in self.project.list("material")} if self.project is not None else set()
        )
        editor.part_defaults = self._part_default
        # listed when a cell's or pack's fields are shown, not on every selection (each fit is
        # a table); only a pack has a ``cell`` field
        editor.stored = (
            {
                "ecm_parameters": self._stored_fits,
                "cell": self._pack_cells,
                "pybamm_parameter_set": _parameter_sets,
            }
            if self.project is not None
            else {}
        )

    def _stored_fits(self) -> list[tuple[str, str]]:
        """(id, label) of the project's stored ECM fits, for a cell's ``ecm_parameters``."""
        return [(e.id, f"{e.name} ({e.id})") for e in self.project.list("ecm_parameters")]

    def _pack_cells(self) -> list[tuple[str, str]]:
        """(id, label) of the cells a pack can be built of, for a pack's ``cell``: the project's
        cell designs, then the library's reference cells marked "(library)".

        A project design shadows a library cell of the same id, as in
        :func:`cellwright.projects.design.resolve.design_snapshot`, so that one is not listed
        twice under two meanings.
        """
        from cellwright.projects.design.resolve import library_for

        designs = [(c.id, c.name) for c in self.project.list("cell")]
        edited = {c.id for c in self.project.list("library_cell")}
        ids = {cell_id for cell_id, _ in designs}
        references = [
            (c.id, f"{c.name} (library, edited in this project)" if c.id in edited
             else f"{c.name} (library)")
            for c in (library_for(self.project, self.library).cells() if self.library else ())
            if c.id not in ids
        ]  # fmt: skip
        return designs + references

    def _part_default(self, obj, path: str):
        """The default of an optional part of a design (see projects.design.part_defaults)."""
        from cellwright.projects.design.part_defaults import default_part
        from cellwright.projects.design.resolve import design_snapshot

        if not isinstance(obj, CellDesign | PackDesign) or "." in path:
            return None
        try:
            snapshot = design_snapshot(obj, self.project, self.library)
        except InputError:
            snapshot = None
        return default_part(obj, path, snapshot)

    def _on_tree_selection_changed(self) -> None:
        obj = self.selected_object()
        self._prepare_editor()
        self.properties.set_object(obj, self.derived_figures(obj) if obj is not None else None)
        self.preview_design(obj)
        self.show_cooling(obj)

    def _on_property_edit_requested(self, name: str, value) -> None:
        from cellwright.app.commands import PutObject, RenameDesign, SetField

        obj = self.properties.obj
        if obj is None or self.project is None:
            return
        try:
            stored = self.project.get(*self._key(obj))
        except InputError:
            stored = None  # a seed library cell, not yet overridden in the project
        try:
            if name.endswith(".active_material") and isinstance(obj, CellDesign):
                command = self._active_material_command(stored or obj, name, value)
            elif name == "name" and isinstance(stored, CellDesign | PackDesign):
                # what names the design by its name is renamed with it (store.names)
                command = RenameDesign(self.project, stored, str(value).strip())
            else:
                command = SetField(self.project, stored or obj, name, value)
        except InputError as exc:
            self.properties.refuse(name, str(exc))
            return
        if stored is None:  # the first edit adds the override; undo removes it again
            command = PutObject(self.project, command.new)
        self.undo_stack.push_command(command)

    def _active_material_command(self, design, name: str, value):
        """Another active material takes what belonged to the old one with it (its lithiation
        window, particle size; the voltage window and PyBaMM set of the new chemistry)."""
        from cellwright.app.commands import PutObject
        from cellwright.projects.design.authoring import with_active_material
        from cellwright.projects.design.resolve import library_for

        side = name.split(".")[0]
        new = with_active_material(
            design, side, str(value), library_for(self.project, self.library)
        )
        command = PutObject(self.project, new)
        command.text, command.new = f"Set {name}", new
        return command

    def _key(self, obj) -> tuple[str, str]:
        from cellwright.app.commands import _kind_of

        return _kind_of(obj), obj.id

    def push(self, command) -> bool:
        """Do an undoable edit; False if it was refused (and reported)."""
        return self.undo_stack.push_command(command)

    def _on_edit_refused(self, title: str, problem: str) -> None:
        self.show_error(title, problem)

    def _on_project_edited(self) -> None:
        current = self.properties.obj
        self._refresh_tree()
        self._update_title()
        if current is not None:
            kind = self._key(current)[0]
            try:
                obj = self.project.get(kind, current.id)
            except InputError:  # deleted, or an override undone: back to the seed cell
                seed = kind == "library_cell" and self.library is not None
                obj = self.library.cell(current.id) if seed else None
            self._prepare_editor()
            self.properties.set_object(obj, self.derived_figures(obj) if obj else None)
            self.preview_design(obj)
            self.show_cooling(obj)


def _parameter_sets() -> list[tuple[str, str]]:
    """(name, name) of the installed lithium-ion PyBaMM parameter sets, for a cell's
    ``pybamm_parameter_set``: typed as free text, a misspelt name was taken and failed only
    when a study ran; a name not installed here is shown as missing, to be replaced."""
    from cellwright.projects.library import lithium_ion_parameter_sets

    return [(name, name) for name in lithium_ion_parameter_sets()]
