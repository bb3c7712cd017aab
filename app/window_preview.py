"""The main window's 3D preview of the selected cell or pack design (one reused tab)."""

from __future__ import annotations

from cellwright.projects.model import CellDesign, InputError, PackDesign, ReferenceCell

__all__ = ["PreviewMixin"]


class PreviewMixin:
    """Part of :class:`cellwright.app.main_window.MainWindow` (expects its tabs, project and
    library)."""

    preview = None  # viewers.design_preview.DesignPreview, while its tab is open

    def preview_design(self, obj) -> None:
        """Draw ``obj`` (a cell or pack design, or a library cell) in the preview tab.

        The tab is opened on the first design shown and reused afterwards; other objects
        leave it as it is.
        """
        if self.library is None:
            return
        if isinstance(obj, ReferenceCell):
            obj = self.library.design_for_cell(obj.id)
        if not isinstance(obj, CellDesign | PackDesign):
            return
        from cellwright.projects.design.resolve import design_snapshot

        try:
            snapshot = design_snapshot(obj, self.project, self.library)
        except InputError as exc:
            self.statusBar().showMessage(f"cannot preview: {exc}", 5000)
            return
        preview = self._preview_tab()
        preview.show_design(obj, snapshot)
        self.tabs.setTabText(self.tabs.indexOf(preview), f"Preview: {obj.name}")

    def _preview_tab(self):
        if self.preview is None:
            from cellwright.viewers.design_preview import DesignPreview

            self.preview = DesignPreview()
            self.tabs.addTab(self.preview, "Preview")
        if self.tabs.currentWidget() is not self.preview:
            self.tabs.setCurrentWidget(self.preview)
        return self.preview

    def _forget_preview(self, widget) -> None:
        if widget is self.preview:
            self.preview = None
