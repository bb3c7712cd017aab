"""Where design studies run, as the user set it: a Dask scheduler address, or a LocalCluster.

The order: ``--scheduler`` on the command line, the environment variable
``CELLWRIGHT_DASK_SCHEDULER``, then the window's preferences (Preferences → Dask scheduler,
kept by Qt in ``~/.config/Cellwright/Cellwright.conf`` on Linux, an INI file read here without Qt);
with none of them a LocalCluster is started on this machine.
"""

from __future__ import annotations

import configparser
import os
from pathlib import Path

__all__ = ["ENV_SCHEDULER", "scheduler_address", "settings_file"]

ENV_SCHEDULER = "CELLWRIGHT_DASK_SCHEDULER"


def settings_file() -> Path:
    """The INI file QSettings("Cellwright", "Cellwright") writes on Linux."""
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "Cellwright" / "Cellwright.conf"


def scheduler_address(given: str | None = None) -> str | None:
    """The scheduler address to use, or None for a LocalCluster."""
    if given:
        return given
    if os.environ.get(ENV_SCHEDULER):
        return os.environ[ENV_SCHEDULER]
    path = settings_file()
    if not path.is_file():
        return None
    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read(path, encoding="utf-8")
    except (configparser.Error, OSError, UnicodeDecodeError):
        return None  # an unreadable settings file is the window's business, not a study's
    if parser.get("jobs", "runner", fallback="process") != "dask":
        return None
    return parser.get("jobs", "dask_address", fallback="").strip() or None
