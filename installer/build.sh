#!/usr/bin/env bash
# Build a one-folder Cellwright distribution in dist/cellwright with PyInstaller, and on Linux a
# desktop entry and MIME type for .cwproj files beside it. PyInstaller is a build-time tool only;
# it is installed into the project's .venv here, not declared as a run-time dependency.
set -euo pipefail
cd "$(dirname "$0")/.."
make .venv/.installed >/dev/null
.venv/bin/python -m pip install -q "pyinstaller>=6.10"
.venv/bin/pyinstaller --noconfirm --clean --distpath dist --workpath build/pyinstaller installer/cellwright.spec
if [ "$(uname -s)" = "Linux" ]; then
  cp installer/cellwright.desktop installer/cellwright-mime.xml resources/icons/cellwright.svg dist/cellwright/
  cat > dist/cellwright/install-desktop-entry.sh <<'SH'
#!/usr/bin/env sh
# Registers Cellwright with the desktop for the current user.
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p ~/.local/share/applications ~/.local/share/icons/hicolor/scalable/apps ~/.local/share/mime/packages ~/.local/bin
ln -sf "$here/cellwright-gui" ~/.local/bin/cellwright-gui
ln -sf "$here/cellwright" ~/.local/bin/cellwright
cp "$here/cellwright.desktop" ~/.local/share/applications/
cp "$here/cellwright.svg" ~/.local/share/icons/hicolor/scalable/apps/
cp "$here/cellwright-mime.xml" ~/.local/share/mime/packages/
update-mime-database ~/.local/share/mime 2>/dev/null || true
SH
  chmod +x dist/cellwright/install-desktop-entry.sh
fi
echo "built dist/cellwright"
