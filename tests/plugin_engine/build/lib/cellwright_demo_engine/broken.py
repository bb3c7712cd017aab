"""A plug-in module that fails on import, as one built against missing dependencies would."""

from __future__ import annotations

import cellwright_demo_engine_missing_dependency  # noqa: F401


class BrokenEngine:
    id = "demo.broken"
