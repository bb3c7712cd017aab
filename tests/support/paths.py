"""Where things are: the repository, ../shared and its fixtures, the screenshot folder."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared"
FIXTURES = SHARED / "fixtures"
SCREENSHOTS = ROOT / "build" / "screenshots"
#: the real-file corpus listed in tests/data/cycler/MANIFEST.toml, committed beside it with each
#: origin's licence ($CELLWRIGHT_CORPUS points the tests at another copy)
CORPUS = Path(os.environ.get("CELLWRIGHT_CORPUS", ROOT / "tests" / "data" / "cycler" / "corpus"))
MANIFEST = ROOT / "tests" / "data" / "cycler" / "MANIFEST.toml"
