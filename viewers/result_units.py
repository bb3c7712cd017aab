"""The units a result's numbers are shown in, where they differ from the SI they are stored in.

The rule for lengths: **the results of the mechanical studies (engine ids ``mechanics.*``: crush,
vibration, modal, swelling) show every length in mm**, in the window's scalars table, plot axes and
3D view, in a design study's table and plots, and in the report's tables and plots. A crush engineer
reads the indenter's travel, the short-circuit onset and the part's size in mm, as GB 38031 and UN
38.3 state their stops (13 mm, 30 % of 70 mm), and a vibration or swelling engineer a displacement
or a thickness change likewise; 0.00412 m reads as a typo beside them. Every other study keeps
metres: a pack's 2.4 m of coolant path, a thermal model's sizes.

A design study's inputs are the exception: each length reads in the unit its range spans,
whatever the engine (:func:`cellwright.projects.readable.range_unit`: a coating thickness
swept over 55-80 µm in µm, a cell spacing over 2-5 mm in mm), in the window's Points table,
plots, sliders and bars as in the report's ranges.

Only a quantity whose unit is exactly ``m`` is a length here (``m/s``, ``m^2`` are not). The
stored results stay SI; only what is shown is scaled. Qt-free, so the report (which runs
without Qt) and the window share it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from cellwright.projects.model import Result, unit_of
from cellwright.projects.readable import Shown, column_shown, scalars_shown

__all__ = [
    "engine_lengths_in_mm",
    "lengths_in_mm",
    "output_shown",
    "result_scalars_shown",
    "shown_length",
    "with_unit",
]

#: engine ids whose results show lengths in mm (see the module's docstring for why)
_MM_ENGINES = "mechanics."


def lengths_in_mm(result: Result | None) -> bool:
    """Whether ``result`` shows its lengths in mm: it comes from a mechanical study."""
    return result is not None and engine_lengths_in_mm(result.provenance.engine_id)


def engine_lengths_in_mm(engine_id: str) -> bool:
    """Whether the results of engine ``engine_id`` (and a design study's outputs from it) show
    their lengths in mm."""
    return engine_id.startswith(_MM_ENGINES)


def shown_length(name: str, in_mm: bool) -> tuple[str, float]:
    """(name as shown, factor from the stored value to the shown one) of quantity ``name``.

    ``("Final displacement [m]", True)`` gives ``("Final displacement [mm]", 1000.0)``; any
    other unit, or ``in_mm`` false, leaves the name as it is with a factor of 1.

    Parameters
    ----------
    name
        A result's quantity with its unit in brackets ("Displacement [m]").
    in_mm
        Whether its result shows lengths in mm (:func:`lengths_in_mm`).
    """
    if not in_mm or unit_of(name) != "m":
        return name, 1.0
    return with_unit(name, "mm"), 1e3


def result_scalars_shown(
    scalars: Mapping[str, float], in_mm: bool = False
) -> list[tuple[str, str | Shown, str]]:
    """A result's scalars as (quantity, value, unit) the way a person is shown them:
    :func:`cellwright.projects.readable.scalars_shown` (yes/no, kN, °C …), with a mechanical
    study's lengths in mm where ``in_mm`` (:func:`shown_length`). One rule for the window's
    scalar table and ``cellwright run``'s lines."""
    scaled = []
    for name, value in scalars.items():
        name, factor = shown_length(name, in_mm)
        scaled.append((name, float(value) * factor))
    return scalars_shown(scaled)


def with_unit(name: str, unit: str) -> str:
    """``name`` with the unit in its brackets replaced: ``("Gap [m]", "mm")`` -> ``"Gap [mm]"``."""
    return f"{name[: name.rfind('[')].rstrip()} [{unit}]"


def output_shown(name: str, values: Iterable[object], in_mm: bool) -> tuple[str, float, float]:
    """(name as shown, factor, offset) of a design study's output ``name`` over its points'
    ``values``: shown = stored × factor − offset. A mechanical study's length in mm
    (:func:`shown_length`); otherwise as :func:`cellwright.projects.readable.column_shown`
    shows a column (a cell's volume in cm^3, its mass in g, a peak temperature in °C). One rule
    for the window's study view and the report's design-study section.
    """
    label, factor = shown_length(name, in_mm)
    if factor != 1.0:
        return label, factor, 0.0
    return column_shown(name, values)
