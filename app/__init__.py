"""The hands: main window, docks, actions, undo, settings, job runner, report export and the CLI."""
