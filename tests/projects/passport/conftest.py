"""Fixtures of the passport tests."""

from __future__ import annotations

import pytest

from support.passports import catenax_example


@pytest.fixture
def catenax(fixtures_dir):
    """The Catena-X battery_pass 6.1.0 example payload, its one impossible date (7172-75-08)
    mended (skips without ../shared)."""
    return catenax_example(fixtures_dir)
