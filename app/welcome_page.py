"""The welcome page: what the window shows when no project is open.

Big, plain actions for the first minutes — New project, Open example, Open…, Import lab data —
the recent projects (a click opens one), and the documentation that ships with the program.
While the example project is being built for the first time, its button says so and shows how
far the build is; the rest of the page stays usable.
"""

from __future__ import annotations

from pathlib import Path

from PySide6 import QtCore, QtWidgets

__all__ = ["WelcomePage"]


class WelcomePage(QtWidgets.QWidget):
    """Signals carry what the user chose; the main window does it."""

    new_requested = QtCore.Signal()
    example_requested = QtCore.Signal()
    open_requested = QtCore.Signal()
    import_requested = QtCore.Signal()
    recent_requested = QtCore.Signal(str)
    help_requested = QtCore.Signal(str)  # the name of a help page

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("welcome")
        title = QtWidgets.QLabel("Cellwright")
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 2.2)
        font.setBold(True)
        title.setFont(font)
        subtitle = QtWidgets.QLabel(
            "Lithium-ion cell and pack engineering: design cells and packs from a sourced "
            "library, run electrochemical, thermal and runaway studies, analyse lab data."
        )
        subtitle.setWordWrap(True)
        self.buttons: dict[str, QtWidgets.QPushButton] = {}
        actions = QtWidgets.QVBoxLayout()
        for key, text, tip, signal in (
            ("new", "New project", "an empty project (Ctrl+N)", self.new_requested),
            ("example", "Open example", "the example project the engines computed on this "
             "machine: a cell, a module and their studies", self.example_requested),
            ("open", "Open…", "a .cwproj file (Ctrl+O)", self.open_requested),
            ("import", "Import lab data…", "cycler files of any supported instrument (Ctrl+I)",
             self.import_requested),
        ):  # fmt: skip
            button = QtWidgets.QPushButton(text)
            button.setToolTip(tip)
            button.setMinimumHeight(36)
            button.clicked.connect(signal)
            actions.addWidget(button)
            self.buttons[key] = button
        self.example_progress = QtWidgets.QProgressBar()
        self.example_progress.setRange(0, 100)
        self.example_progress.hide()
        actions.addWidget(self.example_progress)
        actions.addStretch(1)
        self.recent = QtWidgets.QListWidget()
        self.recent.setToolTip("double-click to open")
        self.recent.itemActivated.connect(lambda item: self.recent_requested.emit(item.text()))
        # on the first run the list is empty: an empty white box told a new user nothing
        self.no_recent = QtWidgets.QLabel(
            "No recent projects yet. <b>Open example</b> shows a cell, a module and the studies "
            "the engines ran on them; <b>New project</b> starts an empty one."
        )
        self.no_recent.setWordWrap(True)
        self.no_recent.setAlignment(QtCore.Qt.AlignmentFlag.AlignTop)
        self.recent.hide()
        self.docs = QtWidgets.QLabel(
            '<a href="tour">Getting started</a> — build a cell, run a study, look at the field, '
            'import lab data, export<br><a href="shortcuts">Keyboard shortcuts</a>'
        )
        self.docs.setWordWrap(True)
        self.docs.setTextInteractionFlags(QtCore.Qt.TextInteractionFlag.TextBrowserInteraction)
        self.docs.linkActivated.connect(self.help_requested)
        right = QtWidgets.QVBoxLayout()
        right.addWidget(QtWidgets.QLabel("<b>Recent projects</b>"))
        right.addWidget(self.recent, 1)
        right.addWidget(self.no_recent, 1)
        right.addWidget(QtWidgets.QLabel("<b>Help</b>"))
        right.addWidget(self.docs)
        columns = QtWidgets.QHBoxLayout()
        columns.addLayout(actions, 1)
        columns.addSpacing(24)
        columns.addLayout(right, 2)
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(32, 24, 32, 24)
        layout.addWidget(title)
        layout.addWidget(subtitle)
        layout.addSpacing(18)
        layout.addLayout(columns, 1)

    def set_recent(self, paths: list[str]) -> None:
        """List the recent projects (those that still exist first, missing ones greyed)."""
        self.recent.clear()
        for path in paths:
            item = QtWidgets.QListWidgetItem(path)
            if not Path(path).exists():
                item.setForeground(self.palette().color(self.palette().ColorRole.PlaceholderText))
                item.setToolTip("not found")
            self.recent.addItem(item)
        self.recent.setVisible(bool(paths))
        self.no_recent.setVisible(not paths)

    def show_example_progress(self, fraction: float | None, message: str) -> None:
        """While the example is built: the button says so and the bar shows how far it is."""
        button = self.buttons["example"]
        if fraction is None:
            self.example_progress.hide()
            button.setText("Open example")
            button.setEnabled(True)
            return
        button.setEnabled(False)
        button.setText(f"Building the example… {message}")
        self.example_progress.show()
        self.example_progress.setValue(int(100 * fraction))
