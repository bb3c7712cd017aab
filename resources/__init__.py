"""Shipped data: seed library with sources, standard profiles, example project, icons, templates."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent
