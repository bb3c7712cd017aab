"""Where things are: the repository, ../shared and its fixtures, the screenshot folder."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared"
FIXTURES = SHARED / "fixtures"
SCREENSHOTS = ROOT / "build" / "screenshots"
