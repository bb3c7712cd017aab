"""The main window's design actions: new cells and packs, variants, rename, delete, compare,
design files — all undoable, all through the same validated models as the CLI.

The menu Design holds the actions (also on the toolbar and the tree's context menu); each one is
a plain command on the undo stack (:mod:`cellwright.app.commands`).
"""

from __future__ import annotations

from pathlib import Path

from PySide6 import QtCore, QtGui, QtWidgets

from cellwright.projects.model import CellDesign, InputError, PackDesign, ReferenceCell

__all__ = ["DesignsMixin"]


class DesignsMixin:
    """Part of :class:`cellwright.app.main_window.MainWindow` (expects its project, tree, tabs,
    library and undo stack)."""

    def make_design_actions(self, menu: QtWidgets.QMenu) -> dict[str, QtGui.QAction]:
        """The Design menu's actions (also used by the toolbar and the context menu)."""
        keys = QtGui.QKeySequence
        specs = (
            ("new_cell", "New &cell design…", self._on_new_cell_triggered, "Ctrl+Shift+N"),
            ("new_pack", "New &pack…", self._on_new_pack_triggered, "Ctrl+Shift+P"),
            ("variant", "&Duplicate as variant", self._on_variant_triggered, "Ctrl+D"),
            ("rename", "&Rename…", self._on_rename_triggered, keys(QtCore.Qt.Key.Key_F2)),
            ("delete", "De&lete", self._on_delete_triggered, keys.StandardKey.Delete),
            ("compare", "C&ompare selected designs", self._on_compare_triggered, "Ctrl+Shift+C"),
            ("import", "&Import design file…", self._on_import_design_triggered, None),
            ("export", "&Export design file…", self._on_export_design_triggered, None),
        )
        actions = {}
        for key, text, slot, shortcut in specs:
            action = self._action(menu, text, slot, shortcut)
            if key in ("variant", "import"):
                menu.insertSeparator(action)
            actions[key] = action
        self.design_actions = actions
        self.tree.setContextMenuPolicy(QtCore.Qt.ContextMenuPolicy.CustomContextMenu)
        self.tree.customContextMenuRequested.connect(self._on_tree_context_menu)
        return actions

    # -- what is selected -------------------------------------------------------------------
    def selected_designs(self) -> list[CellDesign | PackDesign]:
        """The cell and pack designs selected in the tree, in tree order."""
        out = []
        for item in self.tree.selectedItems():
            data = item.data(0, QtCore.Qt.ItemDataRole.UserRole)
            if data and data[0] in ("cell", "pack") and self.project is not None:
                out.append(self.project.get(*data))
        return out

    def _select_design(self, design) -> None:
        group = "Cells" if isinstance(design, CellDesign) else "Packs"
        for item in self.tree_items(group):
            data = item.data(0, QtCore.Qt.ItemDataRole.UserRole)
            if data and data[1] == design.id:
                self.tree.setCurrentItem(item)
                return

    def _ensure_project(self) -> None:
        if self.project is None:
            self.new_project()

    # -- new designs ------------------------------------------------------------------------
    def add_design(self, design: CellDesign | PackDesign) -> bool:
        """Add a design to the project (undoable) and select it; a name another design of its
        kind has is refused and reported (False)."""
        from cellwright.app.commands import PutObject

        self._ensure_project()
        if not self.push(PutObject(self.project, design)):
            return False
        self._select_design(design)
        self.log_message(f"added {type(design).__name__} {design.name}")
        return True

    def _on_new_cell_triggered(self) -> None:
        from cellwright.app.new_design_dialog import NewCellDialog

        self._ensure_project()
        dialog = NewCellDialog(self.project, self.library, self)
        selected = self.tree.currentItem()
        data = selected.data(0, QtCore.Qt.ItemDataRole.UserRole) if selected else None
        if data and data[0] == "library_cell":
            dialog.choose(f"library:{data[1]}")
        if dialog.exec() == QtWidgets.QDialog.DialogCode.Accepted:
            self._add_or_report(dialog.design)

    def _on_new_pack_triggered(self) -> None:
        from cellwright.app.new_pack_dialog import NewPackDialog

        self._ensure_project()
        cell = next((d.id for d in self.selected_designs() if isinstance(d, CellDesign)), None)
        if cell is None:
            obj = self.selected_object()
            cell = obj.id if isinstance(obj, ReferenceCell) else None
        dialog = NewPackDialog(self.project, self.library, cell, self)
        if dialog.exec() == QtWidgets.QDialog.DialogCode.Accepted:
            self._add_or_report(dialog.design)

    def _add_or_report(self, make) -> None:
        try:
            design = make()
        except InputError as exc:
            self.show_error("Cannot create the design", str(exc))
            return
        self.add_design(design)

    # -- variants, rename, delete -------------------------------------------------------------
    def duplicate_design(self, design, name: str | None = None):
        """Add a variant of ``design`` named ``name``, by default "<its name> (variant)", else
        "(variant 2)" … (the first free); returns it."""
        from cellwright.projects.design.authoring import variant_of
        from cellwright.projects.store.names import variant_name

        kind = "cell" if isinstance(design, CellDesign) else "pack"
        variant = variant_of(design, name or variant_name(self.project, kind, design.name))
        self.add_design(variant)
        return variant

    def _on_variant_triggered(self) -> None:
        for design in self.selected_designs():
            self.duplicate_design(design)

    def rename_design(self, design, name: str) -> bool:
        """Rename (undoable) a design and what names it by its name (a pack's cell, a study's
        or battery's design), in one step; a refused name is reported. True if renamed."""
        from cellwright.app.commands import RenameDesign

        if name == design.name:  # the dialog accepted as it opened: no empty undo step
            return False
        try:
            command = RenameDesign(self.project, design, name)
        except InputError as exc:
            self.show_error("Cannot rename", str(exc))
            return False
        if not self.push(command):  # a name another design has: refused and reported
            return False
        also = f" (and {', '.join(command.rewritten)})" if command.rewritten else ""
        self.log_message(f"renamed {command.old} to {name}{also}")
        return True

    def _on_rename_triggered(self) -> None:
        designs = self.selected_designs()
        if len(designs) != 1:
            return
        name, ok = QtWidgets.QInputDialog.getText(
            self, "Rename design", "New name:", text=designs[0].name
        )
        if ok and name.strip():
            self.rename_design(designs[0], name.strip())

    def delete_designs(self, designs) -> bool:
        """Delete designs (one undo step each). A design a battery, pack, study or design study
        still refers to is refused with a message naming them, and the ones after it are kept.
        """
        from cellwright.app.commands import DeleteObject

        # a pack before its cell, so deleting both together is not refused for the pack
        ordered = sorted(designs, key=lambda d: isinstance(d, CellDesign))
        deleted = []
        for design in ordered:
            if not self.push(DeleteObject(self.project, design)):
                break
            deleted.append(design.name)
        if deleted:
            self.log_message(f"deleted {', '.join(deleted)}")
        return len(deleted) == len(designs)

    def _on_delete_triggered(self) -> None:
        designs = self.selected_designs()
        if designs:
            self.delete_designs(designs)

    # -- compare ----------------------------------------------------------------------------
    def compare_designs(self, designs) -> QtWidgets.QWidget | None:
        """Open a tab with the designs' figures side by side (the first is the baseline)."""
        from cellwright.app.compare_view import CompareView
        from cellwright.projects.design import design_report
        from cellwright.projects.design.compare import compare_reports
        from cellwright.projects.design.cost import with_project_prices
        from cellwright.projects.design.resolve import design_snapshot

        if len(designs) < 2:
            self.show_error("Compare designs", "select two or more cell or pack designs")
            return None
        reports = []
        for design in designs:
            try:
                snapshot = design_snapshot(design, self.project, self.library)
                snapshot = with_project_prices(snapshot, self.project)
                reports.append((design.name, design_report(design, snapshot)))
            except InputError as exc:
                self.show_error(f"Cannot compute {design.name}", str(exc))
                return None
        view = CompareView(compare_reports(reports))
        index = self.tabs.addTab(view, "Compare: " + " / ".join(d.name for d in designs))
        self.tabs.setCurrentIndex(index)
        return view

    def _on_compare_triggered(self) -> None:
        self.compare_designs(self.selected_designs())

    # -- design files -----------------------------------------------------------------------
    def import_design_file(self, path: str | Path) -> list:
        """Read a design file and add its designs (one undo step each); errors are reported.

        A design the file gives no id is the project's design of that name, if there is one:
        the file imported again after an edit replaces it (undoable), and again unchanged
        leaves it as it is, rather than adding a second design of the same name.
        """
        from cellwright.projects.design.design_file import read_design_file
        from cellwright.projects.store.names import matched_by_name, name_clash

        self._ensure_project()
        try:
            read = read_design_file(path, self.project, self.library).designs
        except InputError as exc:
            self.show_error("Cannot import the design file", str(exc))
            return []
        designs = matched_by_name(self.project, read)
        # all or nothing: a pack added without the cell it names would have no cell
        for design in designs:
            kind = "cell" if isinstance(design, CellDesign) else "pack"
            clash = name_clash(self.project, kind, design.id, design.name)
            if clash:
                self.show_error("Cannot import the design file", f"{path}: {clash}")
                return []
        for design in designs:
            if self._stored(design) != design:
                self.add_design(design)
        return designs

    def _stored(self, design):
        kind = "cell" if isinstance(design, CellDesign) else "pack"
        try:
            return self.project.get(kind, design.id)
        except InputError:
            return None

    def export_design_file(self, design, path: str | Path) -> Path | None:
        """Write a design (a pack with its cell design) to a design file."""
        from cellwright.projects.design.design_file import write_design_file

        cell, pack = (design, None) if isinstance(design, CellDesign) else (None, design)
        if pack is not None:
            try:
                cell = self.project.find("cell", pack.cell)
            except InputError:
                cell = None  # a library cell: the pack names it
        try:
            written = write_design_file(path, cell, pack)
        except InputError as exc:
            self.show_error("Cannot export the design", str(exc))
            return None
        self.log_message(f"exported {design.name} to {written}")
        return written

    def _on_import_design_triggered(self) -> None:
        path, _ = QtWidgets.QFileDialog.getOpenFileName(
            self, "Import design file", "", "Design files (*.toml *.json)"
        )
        if path:
            self.import_design_file(path)

    def _on_export_design_triggered(self) -> None:
        designs = self.selected_designs()
        if len(designs) != 1:
            self.show_error("Export design file", "select one cell or pack design")
            return
        path, chosen = QtWidgets.QFileDialog.getSaveFileName(
            self, "Export design file", f"{designs[0].name}.toml", "TOML (*.toml);;JSON (*.json)"
        )
        if path:
            if not Path(path).suffix:  # a name typed without one: the chosen filter's
                path += ".json" if chosen.startswith("JSON") else ".toml"
            self.export_design_file(designs[0], path)

    # -- the tree's context menu ------------------------------------------------------------
    def _on_tree_context_menu(self, position: QtCore.QPoint) -> None:
        menu = self.context_menu_for(self.tree.itemAt(position))
        if menu is not None and not menu.isEmpty():
            menu.exec(self.tree.viewport().mapToGlobal(position))

    def context_menu_for(self, item: QtWidgets.QTreeWidgetItem | None) -> QtWidgets.QMenu:
        """The context menu of a tree item (a group, a design, a library cell, a lab run, a
        battery)."""
        menu = QtWidgets.QMenu(self)
        data = item.data(0, QtCore.Qt.ItemDataRole.UserRole) if item is not None else None
        group = item.text(0) if item is not None and data is None else ""
        a = self.design_actions
        if group == "Cells" or (data and data[0] == "library_cell"):
            menu.addAction(a["new_cell"])
        if group in ("Cells", "Packs") or (data and data[0] in ("cell", "library_cell")):
            menu.addAction(a["new_pack"])
        if data and data[0] in ("cell", "pack"):
            for key in ("variant", "rename", "delete", "compare", "export"):
                menu.addAction(a[key])
        if group in ("Cells", "Packs"):
            menu.addAction(a["import"])
        if data and data[0] == "labrun":
            self.add_labrun_actions(menu, data[1])
        if group == "Batteries" or (data and data[0] in ("physical_cell", "physical_pack")):
            self.add_battery_actions(menu, data)
        return menu
