"""Make the documentation's screenshots from the example project (`make screenshots`).

    python -m cellwright.app.screenshots [FOLDER] [--project P]

Opens the window as a user would — the welcome page, the builder on the entered LG M50 design,
the runaway result's 3D field at its onset, a lab run, the 1C discharge's plot, the GB 38031
squeeze at its short — and saves each
as a PNG (default folder docs/screenshots). Nothing is drawn by hand: every picture is what the
engines computed for the example and what the window shows of it. Needs a display (or Xvfb).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

__all__ = ["main", "take_screenshots"]

#: the pictures, in the order they are taken, with the README's captions
SHOTS = {
    "welcome": "The welcome page",
    "builder": "The cell builder: fields with units, derived figures, 3D preview",
    "thermal_field": "A thermal runaway opens at its onset, cut open, colours per time step",
    "labdata": "A lab run: cycles, capacity and efficiency",
    "result_plot": "A 1C discharge: voltage and temperature against time",
    "crush": "A GB 38031 squeeze on to the short: plastic strain and force against travel",
}


def take_screenshots(project: Path, folder: Path, size: tuple[int, int] = (1400, 860)) -> list:
    """Take the pictures of :data:`SHOTS` into ``folder``; returns the written files."""
    from PySide6 import QtCore, QtWidgets

    app = QtWidgets.QApplication.instance() or QtWidgets.QApplication(["cellwright"])
    from cellwright.app.main_window import MainWindow

    folder.mkdir(parents=True, exist_ok=True)
    settings = QtCore.QSettings(tempfile.mktemp(suffix=".ini"), QtCore.QSettings.Format.IniFormat)
    window = MainWindow(Path(tempfile.mkdtemp()), settings)
    window.quiet = True
    window.resize(*size)
    window.show()
    written: list[Path] = []

    def settle(ms: int = 400) -> None:
        loop = QtCore.QEventLoop()
        QtCore.QTimer.singleShot(ms, loop.quit)
        loop.exec()

    def save(name: str) -> None:
        settle()
        path = folder / f"{name}.png"
        window.grab().save(str(path))
        written.append(path)

    while window.library is None:
        settle(100)
    save("welcome")
    window.open_project(project)
    window.select_in_tree("Cells", "LG M50 21700 (entered)")
    settle(800)
    save("builder")
    results = {info.name: info.id for info in window.project.results()}
    # the nail in the 21700: a hot spot inside a cylinder, cut open (the squeeze's chained
    # runaway, a pouch heated from its edge, has a picture of its own below)
    runaways = [name for name in results if "runaway" in name]
    runaway = next((name for name in runaways if "nail" in name), runaways[0])
    page = window.open_result(results[runaway])
    if page.field_viewer is not None:  # cut it open: the runaway starts inside, at the nail
        page.field_viewer.clip_box.setChecked(True)
    save("thermal_field")
    runs = window.project.list("labrun")
    if runs:
        window.open_labrun(runs[0].id)  # read in the background: wait for its tab
        while window.labrun_viewer(runs[0].id) is None and window._labruns_loading:
            settle(100)
        save("labdata")
    else:
        print("no lab run in the project: the lab-data picture is left out", file=sys.stderr)
    discharge = next(name for name in results if "1C discharge" in name and "DFN" in name)
    page = window.open_result(results[discharge])
    if page.plot_viewer is not None and "Cell temperature [K]" in page.result.series:
        page.plot_viewer.select("Time [s]", ["Voltage [V]", "Cell temperature [K]"])
    save("result_plot")
    squeeze = next((name for name in results if "squeeze" in name and "runaway" not in name),
                   None)  # fmt: skip
    if squeeze is not None:  # opens on its plastic strain at the short, force vs displacement
        window.open_result(results[squeeze])
        save("crush")
    else:
        print("no crush result in the project: the squeeze picture is left out", file=sys.stderr)
    window.confirm_discard = lambda: True
    window.close()
    app.processEvents()
    return written


def main(argv: list[str] | None = None) -> int:
    """Command line: the folder (default docs/screenshots) and the project (default: the
    example, built first if this machine does not have it)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", default="docs/screenshots", type=Path)
    parser.add_argument("--project", type=Path, default=None)
    args = parser.parse_args(argv)
    project = args.project
    if project is None:
        from cellwright.app.example_project import build, example_path

        project = example_path()
        if not project.exists():
            build(project)
    for path in take_screenshots(project, args.folder):
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
