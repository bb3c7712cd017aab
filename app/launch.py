"""What ``make run`` starts: the window on the example project, or the headless example.

The example project is built by the real engines (:mod:`cellwright.app.example_project`) into
the user data folder the first time — in a worker process while the window is already usable,
with its progress on the welcome page — so what the user first sees is what the engines
computed on this machine.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

__all__ = ["has_display", "main"]


def has_display() -> bool:
    """True when a window can be shown."""
    if sys.platform in ("win32", "darwin"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def _headless() -> int:
    import tempfile

    from cellwright.app.cli import main as cli_main
    from cellwright.resources import ROOT

    print(
        "No display found (DISPLAY/WAYLAND_DISPLAY unset): running the headless example "
        "study instead.",
        flush=True,
    )
    study = ROOT / "examples" / "lg-m50-1c.toml"
    with tempfile.TemporaryDirectory() as tmp:
        project = Path(tmp) / "example.cwproj"
        cli_main(["new", str(project)])
        return cli_main(
            ["run", str(study), "--project", str(project), "--out", str(Path(tmp) / "results")]
        )


def main() -> int:
    """Start Cellwright."""
    if not has_display():
        return _headless()
    from cellwright.app.gui_main import main as gui_main

    # the window opens at once; the example opens with its results, built first in the
    # background (with progress on the welcome page) when this machine does not have it yet
    return gui_main([], open_example=True)


if __name__ == "__main__":
    sys.exit(main())
