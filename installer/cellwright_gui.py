"""The bundled ``cellwright-gui`` executable (PyInstaller entry script)."""

import sys

from cellwright.app.gui_main import main

if __name__ == "__main__":
    sys.exit(main())
