"""The bundled ``cellwright`` executable (PyInstaller entry script)."""

from cellwright.app.cli import entry

if __name__ == "__main__":
    entry()
