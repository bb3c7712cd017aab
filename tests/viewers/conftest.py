"""Fixtures of the viewer tests; the data itself is built in viewer_data.py."""

from __future__ import annotations

import pytest

from cellwright.projects.model import Result
from support.paths import SCREENSHOTS
from support.viewer_data import cylinder_result, discharge_result


@pytest.fixture
def screenshot_path():
    """A function name -> build/screenshots/<name>.png (the folder is created)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return lambda name: SCREENSHOTS / f"{name}.png"


@pytest.fixture(scope="module")
def cylinder() -> Result:
    return cylinder_result()


@pytest.fixture
def discharge() -> Result:
    return discharge_result()
