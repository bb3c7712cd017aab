"""Fixtures of the passport tests."""

from __future__ import annotations

import json

import pytest


@pytest.fixture
def catenax(fixtures_dir):
    """The Catena-X battery_pass 6.1.0 example payload (skips without ../shared)."""
    path = fixtures_dir / "passport" / "catenax_battery_pass_6.1.0" / "BatteryPass.json"
    return json.loads(path.read_text(encoding="utf-8"))
