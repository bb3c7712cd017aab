"""The Qt side of undo/redo: plain commands (app/commands.py) pushed on a QUndoStack."""

from __future__ import annotations

from PySide6 import QtCore, QtGui

from cellwright.app.commands import Command

__all__ = ["UndoStack"]


class _QtCommand(QtGui.QUndoCommand):
    def __init__(self, command: Command, stack: UndoStack) -> None:
        super().__init__(command.text)
        self.command = command
        self.stack = stack

    def redo(self) -> None:
        self.command.do()
        self.stack.edited.emit()

    def undo(self) -> None:
        self.command.undo()
        self.stack.edited.emit()


class UndoStack(QtGui.QUndoStack):
    """Undo stack whose ``edited`` signal fires after every do, undo and redo.

    A command that would leave the project inconsistent now (undoing the add of a design a
    battery has been registered to since) is refused before the stack moves: ``refused``
    carries a title naming the step ("Cannot undo Add cell A") and why, and the stack stays
    where it was, so Undo and Redo still match the project.
    """

    edited = QtCore.Signal()
    refused = QtCore.Signal(str, str)

    def push_command(self, command: Command) -> bool:
        """Do ``command`` and remember it for undo; False (and ``refused``) if it may not."""
        title = f"Cannot {command.text[:1].lower()}{command.text[1:]}"
        if self._refuses(title, command.do_problem()):
            return False
        self.push(_QtCommand(command, self))
        return True

    def undo(self) -> None:
        """Undo the last command, unless it is refused (see the class)."""
        command = self._command_at(self.index() - 1)
        if command is None or not self._refuses(
            f"Cannot undo {command.text}", command.undo_problem()
        ):
            super().undo()

    def redo(self) -> None:
        """Redo the next command, unless it is refused (see the class)."""
        command = self._command_at(self.index())
        if command is None or not self._refuses(
            f"Cannot redo {command.text}", command.do_problem()
        ):
            super().redo()

    def createUndoAction(self, parent: QtCore.QObject, prefix: str = "") -> QtGui.QAction:
        """Qt's undo action, triggering :meth:`undo` above (Qt's own would skip the check)."""
        action = super().createUndoAction(parent, prefix)
        action.triggered.disconnect()
        action.triggered.connect(self.undo)
        return action

    def createRedoAction(self, parent: QtCore.QObject, prefix: str = "") -> QtGui.QAction:
        """Qt's redo action, triggering :meth:`redo` above."""
        action = super().createRedoAction(parent, prefix)
        action.triggered.disconnect()
        action.triggered.connect(self.redo)
        return action

    def _command_at(self, index: int) -> Command | None:
        qt_command = self.command(index) if 0 <= index < self.count() else None
        return getattr(qt_command, "command", None)

    def _refuses(self, title: str, problem: str | None) -> bool:
        if problem:
            self.refused.emit(title, problem)
        return bool(problem)
