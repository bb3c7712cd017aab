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
    """Undo stack whose ``edited`` signal fires after every do, undo and redo."""

    edited = QtCore.Signal()

    def push_command(self, command: Command) -> None:
        """Do ``command`` and remember it for undo."""
        self.push(_QtCommand(command, self))
