"""Lab data: cycler file readers (BDF columns, SI units) and cycling analysis.

Public API: :func:`read_cycler_file`, :func:`detect_format`, :class:`CyclerTable`,
:class:`LabDataError`, :func:`cycle_summary`, :func:`dqdv`, :func:`internal_resistance`,
:func:`capacity_fade`.  Heavy libraries (pandas, galvani, fastnda) load on first use.
"""

from __future__ import annotations

from cellwright.projects.labdata.detect import FORMATS, detect_format, read_cycler_file
from cellwright.projects.labdata.table import CyclerTable, LabDataError

__all__ = [
    "FORMATS",
    "CyclerTable",
    "LabDataError",
    "capacity_fade",
    "cycle_summary",
    "detect_format",
    "detect_steps",
    "dqdv",
    "dvdq",
    "equivalent_full_cycles",
    "internal_resistance",
    "read_cycler_file",
]


def __getattr__(name: str):
    # Analysis lives in its own modules (scipy); import on first access.
    if name in ("cycle_summary", "equivalent_full_cycles", "detect_steps", "capacity_fade"):
        from cellwright.projects.labdata import analysis

        return getattr(analysis, name)
    if name in ("dqdv", "dvdq", "internal_resistance"):
        from cellwright.projects.labdata import differential

        return getattr(differential, name)
    raise AttributeError(name)
