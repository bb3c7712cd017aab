"""The main window's first minutes: the welcome page, the example project built in the
background, help pages, and a window that fits the screen it is on."""

from __future__ import annotations

from pathlib import Path

from PySide6 import QtCore, QtGui, QtWidgets

__all__ = ["StartMixin", "fit_to_screen"]

#: the default size on a large screen; smaller screens get 92 % of what they have
DEFAULT_SIZE = (1400, 860)


def fit_to_screen(window: QtWidgets.QWidget, restored: bool) -> None:
    """Keep the window's frame inside the available screen area (a layout saved on a larger
    screen, or a first start on a small one); centre it when it had to move."""
    screen = window.screen() or QtGui.QGuiApplication.primaryScreen()
    if screen is None:
        return
    area = screen.availableGeometry()
    frame = window.frameGeometry()
    extra_w, extra_h = frame.width() - window.width(), frame.height() - window.height()
    if not restored:
        window.resize(
            min(DEFAULT_SIZE[0], int(area.width() * 0.92)),
            min(DEFAULT_SIZE[1], int(area.height() * 0.92)),
        )
    elif area.contains(frame):
        return
    width = min(window.width(), area.width() - extra_w)
    height = min(window.height(), area.height() - extra_h)
    window.resize(width, height)
    x = area.x() + (area.width() - width - extra_w) // 2
    y = area.y() + (area.height() - height - extra_h) // 2
    window.move(x, y)


class StartMixin:
    """Part of :class:`cellwright.app.main_window.MainWindow`."""

    example_build = None  # app.example_build.ExampleBuild while the example is being built

    def make_welcome_page(self) -> QtWidgets.QWidget:
        """The welcome page, connected to the window's actions."""
        from cellwright.app.welcome_page import WelcomePage

        page = WelcomePage()
        page.new_requested.connect(self.new_project)
        page.example_requested.connect(self.open_example)
        page.open_requested.connect(self._on_open_triggered)
        page.import_requested.connect(self._on_import_labdata_triggered)
        page.recent_requested.connect(self.open_project)
        page.help_requested.connect(self.show_help)
        page.set_recent(self.settings.value("recent", [], list))
        self.welcome = page
        return page

    def update_central(self) -> None:
        """The welcome page when no project is open, the tabs otherwise."""
        showing = self.welcome if self.project is None else self.tabs
        if self.central.currentWidget() is not showing:
            self.central.setCurrentWidget(showing)
        if self.project is None:
            self.welcome.set_recent(self.settings.value("recent", [], list))

    # -- the example project ----------------------------------------------------------------
    def open_example(self, path: str | Path | None = None) -> None:
        """Open the example project with its results; build it first (in the background,
        with progress) if this machine does not have it yet."""
        from cellwright.app.example_project import example_path

        path = Path(path) if path is not None else example_path()
        if path.exists():
            self.open_with_results(path)
            return
        if self.example_build is None:
            from cellwright.app.example_build import start_example_build

            self.log_message(f"building the example project from the engines: {path}")
            self.example_build = start_example_build(path)
            self._example_timer = QtCore.QTimer(self)
            self._example_timer.timeout.connect(self._on_example_tick)
            self._example_timer.start(200)
        self._on_example_tick()

    def stop_example_build(self) -> None:
        """Stop an unfinished example build (the window closes); the next start builds it
        again."""
        if self.example_build is not None:
            self._example_timer.stop()
            self.example_build.cancel()
            self.example_build = None

    def _on_example_tick(self) -> None:
        build = self.example_build
        if build is None:
            return
        fraction, message = build.progress
        if not build.done:
            self.welcome.show_example_progress(fraction, message)
            self.statusBar().showMessage(
                f"Building the example project ({100 * fraction:.0f} %): {message}"
            )
            return
        self._example_timer.stop()
        self.example_build = None
        self.welcome.show_example_progress(None, "")
        if build.error:
            self.show_error("Cannot build the example project", build.error)
            return
        self.statusBar().showMessage("Example project built", 5000)
        if build.note:
            self.log_message(build.note)
        if self.project is None:  # the user may have opened something else meanwhile
            self.open_with_results(build.path)

    def open_with_results(self, path: Path) -> None:
        from cellwright.projects.model import InputError

        if not self.open_project(path):
            return
        for info in reversed(self.project.results()):
            try:
                self.open_result(info.id)
            except InputError as exc:  # a damaged result is reported; the others still open
                self.show_error(f"Cannot open {info.name or info.id}", str(exc))

    # -- help -------------------------------------------------------------------------------
    def show_help(self, page: str = "tour") -> QtWidgets.QDialog:
        """A help page: "tour" (Getting started, docs/tour.md) or "shortcuts"."""
        dialog = QtWidgets.QDialog(self)
        dialog.setObjectName(f"help-{page}")
        browser = QtWidgets.QTextBrowser()
        browser.setOpenExternalLinks(True)
        if page == "shortcuts":
            dialog.setWindowTitle("Keyboard shortcuts")
            browser.setMarkdown(self.shortcuts_markdown())
        else:
            from cellwright.resources import ROOT

            dialog.setWindowTitle("Getting started")
            browser.setMarkdown((ROOT / "help" / "tour.md").read_text(encoding="utf-8"))
        layout = QtWidgets.QVBoxLayout(dialog)
        layout.addWidget(browser)
        dialog.browser = browser
        area = self.screen().availableGeometry() if self.screen() else QtCore.QRect(0, 0, 900, 800)
        dialog.resize(min(760, area.width() - 40), min(820, area.height() - 80))
        dialog.setModal(False)
        dialog.show()
        return dialog

    def shortcuts_markdown(self) -> str:
        """Every action with a keyboard shortcut, by menu, as a Markdown table."""
        lines = ["# Keyboard shortcuts", "", "| menu | action | keys |", "|---|---|---|"]
        for menu_action in self.menuBar().actions():
            menu = menu_action.menu()
            for action in menu.actions() if menu is not None else ():
                keys = action.shortcut().toString(QtGui.QKeySequence.SequenceFormat.NativeText)
                if keys:
                    name = action.text().replace("&", "").rstrip("…")
                    lines.append(f"| {menu_action.text().replace('&', '')} | {name} | {keys} |")
        return "\n".join(lines) + "\n"
