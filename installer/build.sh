#!/usr/bin/env bash
# Build the one-folder Cellwright bundle in dist/cellwright with PyInstaller (`make dist`), and on
# Linux a desktop entry and MIME type for .cwproj files beside it.
#
# The bundle is made from a separate build environment (build/dist-venv) where Cellwright is
# installed as a wheel, not editable: that is how a user's install looks, so every module, data
# file and entry point the bundle needs is found the same way. PyInstaller is a build-time tool
# only; it is not a run-time dependency.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
venv=build/dist-venv
if [ ! -x "$venv/bin/python" ]; then
  "$PYTHON" -m venv "$venv"
  "$venv/bin/python" -m pip install -q --upgrade pip
fi
"$venv/bin/python" -m pip install -q "pyinstaller>=6.10,<7" .
rm -rf dist/cellwright
"$venv/bin/pyinstaller" --noconfirm --clean --log-level WARN \
  --distpath dist --workpath build/pyinstaller installer/cellwright.spec
# Debug symbols of the large libraries that are not patched by auditwheel (patched ones, such as
# numpy's OpenBLAS in numpy.libs, break when stripped): VTK, LLVM (numba) and casadi
find dist/cellwright/_internal/vtkmodules dist/cellwright/_internal/llvmlite \
  dist/cellwright/_internal/casadi -type f \( -name "*.so" -o -name "*.so.*" \) \
  -exec strip --strip-unneeded {} + 2>/dev/null || true
# the docs that ship with the program
mkdir -p dist/cellwright/docs
cp README.md LICENSE dist/cellwright/
cp docs/*.md dist/cellwright/docs/
if [ "$(uname -s)" = "Linux" ]; then
  cp installer/cellwright.desktop installer/cellwright-mime.xml resources/icons/cellwright.svg dist/cellwright/
  cat > dist/cellwright/install-desktop-entry.sh <<'SH'
#!/usr/bin/env sh
# Registers Cellwright with the desktop for the current user (menu entry, icon, .cwproj files).
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p ~/.local/share/applications ~/.local/share/icons/hicolor/scalable/apps ~/.local/share/mime/packages ~/.local/bin
ln -sf "$here/cellwright-gui" ~/.local/bin/cellwright-gui
ln -sf "$here/cellwright" ~/.local/bin/cellwright
cp "$here/cellwright.desktop" ~/.local/share/applications/
cp "$here/cellwright.svg" ~/.local/share/icons/hicolor/scalable/apps/
cp "$here/cellwright-mime.xml" ~/.local/share/mime/packages/
update-mime-database ~/.local/share/mime 2>/dev/null || true
update-desktop-database ~/.local/share/applications 2>/dev/null || true
SH
  chmod +x dist/cellwright/install-desktop-entry.sh
fi
echo "built dist/cellwright ($(du -sh dist/cellwright | cut -f1))"
