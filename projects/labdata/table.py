"""Canonical cycler table and the lab-data error type.

Column names follow the Battery Data Format (BDF, Battery Data Alliance,
github.com/battery-data-alliance/battery-data-format) machine-readable names exactly as
they appear in the reference file ``SINTEF__LiGrR2032__2024-04-30__25degC__Landt.bdf.csv``
(``test_time_second``, ``voltage_volt``, ``current_ampere`` ...).

Sign convention (BDF's, checked on the reference file: the Landt "discharge CC" step has
negative current): **current > 0 charges the cell, current < 0 discharges it**.  Capacity
and energy columns are non-negative magnitudes, as in BDF.  Temperatures stay in degC
because BDF names them ``*_celsius``; every other column is SI (s, V, A) or Ah/Wh as BDF.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from cellwright.projects.model.errors import InputError

TEST_TIME = "test_time_second"
UNIX_TIME = "unix_time_second"
VOLTAGE = "voltage_volt"
CURRENT = "current_ampere"
CYCLE = "cycle_count"
STEP_COUNT = "step_count"
STEP_INDEX = "step_index"
CHARGE_CAPACITY = "charging_capacity_ah"
DISCHARGE_CAPACITY = "discharging_capacity_ah"
CHARGE_ENERGY = "charging_energy_wh"
DISCHARGE_ENERGY = "discharging_energy_wh"
AMBIENT_TEMPERATURE = "ambient_temperature_celsius"
SURFACE_TEMPERATURE = "surface_temperature_celsius"
# Impedance columns are not part of BDF; named in the same style.
FREQUENCY = "frequency_hertz"
Z_REAL = "impedance_real_ohm"
Z_IMAG = "impedance_imaginary_ohm"
# The technique of each row in a mixed-technique file (codes in metadata["techniques"]).
TECHNIQUE = "technique_code"
# A per-cycle summary's own columns (not BDF, which has no summary table): the test time at
# a cycle's start and end, and 1.0 where the file labels the cycle a reference capacity check
# (an RPT), 0.0 where it labels it otherwise.
CYCLE_START_TIME = "cycle_start_time_second"
CYCLE_END_TIME = "cycle_end_time_second"
REFERENCE_CYCLE = "reference_cycle"

TIME_SERIES_REQUIRED = (TEST_TIME, VOLTAGE, CURRENT)
IMPEDANCE_REQUIRED = (FREQUENCY, Z_REAL, Z_IMAG)


class LabDataError(InputError):
    """A cycler file cannot be read; the message names the file and the position."""


#: where row ``k`` of a column read from a file stands in it: the line of row 0 (the rows
#: follow line by line), or a function naming the place (a sheet and row, or the line of a
#: table that lost rows: an appended export's repeated header, a layered file's cycle rows)
RowPlace = int | Callable[[int], str]


def row_place(where: RowPlace, row: int) -> str:
    """``where`` row ``row`` stands, as a message names it (``line 12``, ``sheet 'x', row 3``)."""
    return f"line {where + row}" if isinstance(where, int) else where(row)


class Cancelled(LabDataError):
    """The user cancelled a read; nothing was stored."""


@dataclass
class CyclerTable:
    """One measurement as named numpy columns plus metadata.

    Parameters
    ----------
    columns
        BDF column name -> 1-D float64 array; all arrays have the same length.
    metadata
        ``format``, ``instrument``, ``channel``, ``start_time`` (ISO text), ``cell_id``,
        ``source`` (file path), ``column_map`` (vendor column -> BDF column) and
        ``kind`` (``"timeseries"``, ``"impedance"`` or ``"cycle_summary"``).
    """

    columns: dict[str, np.ndarray]
    metadata: dict[str, Any] = field(default_factory=dict)
    #: impedance spectra measured within this run (a mixed-technique file), each a table
    #: of kind ``"impedance"``
    spectra: list[CyclerTable] = field(default_factory=list)

    def __post_init__(self) -> None:
        lengths = set()
        for name, values in list(self.columns.items()):
            array = np.asarray(values, dtype=np.float64)
            if array.ndim != 1:
                raise ValueError(f"column {name!r} must be 1-D")
            self.columns[name] = array
            lengths.add(array.shape[0])
        if len(lengths) > 1:
            raise ValueError(f"columns have different lengths: {sorted(lengths)}")
        self.metadata.setdefault("kind", "timeseries")

    def __len__(self) -> int:
        return next(iter(self.columns.values())).shape[0] if self.columns else 0

    def __contains__(self, name: object) -> bool:
        return name in self.columns

    def __getitem__(self, name: str) -> np.ndarray:
        try:
            return self.columns[name]
        except KeyError:
            raise KeyError(f"column {name!r} not in table; have {sorted(self.columns)}") from None

    @property
    def names(self) -> list[str]:
        """Column names in insertion order."""
        return list(self.columns)

    def select(self, mask: np.ndarray) -> CyclerTable:
        """Return the rows where ``mask`` is true, sharing the metadata."""
        return CyclerTable({k: v[mask] for k, v in self.columns.items()}, dict(self.metadata))
