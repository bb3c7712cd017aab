"""How a stored result's numbers and names read to an engineer: one rule for the window and the
report, so a figure reads the same in both.

The engines store SI values under names made for machines: a force of 20423.4 N, a time step of
0.000488281 s, a peak temperature of 335 K, a run's 1234.56 s, a flag of 1.0, a pack region
``cell_0003``. A battery engineer reads 20.42 kN, 0.4883 ms, 61.85 °C, 20.58 min (of an hour's
run), "yes" and "Cell 3". Only what is shown changes; the stored values (and the CSV a
table exports) stay as the engines wrote them or, where a unit is prefixed, at full precision
in the shown unit.

Qt-free: the report (which runs without Qt), the CLI and the window's viewers all import it.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable

from cellwright.projects.model import unit_of

__all__ = [
    "CELSIUS_ZERO",
    "FLAGS",
    "Shown",
    "celsius_shown",
    "column_shown",
    "duration",
    "flag_text",
    "is_absolute_temperature",
    "is_flag",
    "number",
    "prefixed",
    "range_unit",
    "region_names",
    "scalar_shown",
    "scalars_shown",
    "series_label",
    "time_unit",
]

#: figures the engines store as 1.0 (true) or 0.0 (false), by name without the unit; NaN where
#: the engine leaves the question open (a squeeze whose verdict is its chained runaway study's)
FLAGS = frozenset(
    {
        "Converged",  # cfd.flow2d
        "Exceeds force limit",  # mechanics.swelling
        "Passes",  # mechanics.crush
        "Passes target",  # mechanics.modal
        "Residual vector",  # mechanics.modal / vibration, per mode
        "Rigid-body mode",  # mechanics.modal, per mode
        "Runaway",  # thermal.runaway, overall and per cell
    }
)

_REGION = re.compile(r"\bcell_0*(\d+)\b")

#: units shown with a prefix once a value reads better in it, largest first: (from what size
#: on, size of one, unit shown). Forces and pressures step as the window's plot axes do, so a
#: table and its curve agree.
_PREFIXED = {
    "N": ((1e6, 1e6, "MN"), (1e3, 1e3, "kN"), (0.0, 1.0, "N")),
    "Pa": ((1e9, 1e9, "GPa"), (1e6, 1e6, "MPa"), (1e3, 1e3, "kPa"), (0.0, 1.0, "Pa")),
    # a solver's 0.000488 s time step in ms; 0.29 s "per Newton iteration" stays in seconds
    "s": ((0.1, 1.0, "s"), (0.0, 1e-3, "ms")),
    # a coolant's 0.0095 W pumping power in mW; a module's 1.6 kW of heat in kW
    "W": ((1e4, 1e3, "kW"), (0.1, 1.0, "W"), (0.0, 1e-3, "mW")),
}

#: the lowest absolute temperature of a battery, in K; below it a K is a difference
_ABSOLUTE_K = 150.0

#: 0 °C in K: a stored absolute temperature minus this is the °C a person is shown
CELSIUS_ZERO = 273.15

_SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")

#: groups the thousands of a long number: a narrow no-break space, as SI writes 43 200 s
_GROUP = "\u202f"


def is_flag(name: str) -> bool:
    """Whether the figure or column ``name`` ("Runaway [-]") is a yes/no flag."""
    return name.rsplit(" [", 1)[0] in FLAGS


def flag_text(value: float) -> str:
    """1.0 -> "yes", 0.0 -> "no", NaN -> "–" (the engine decided nothing)."""
    value = float(value)
    if not math.isfinite(value):
        return "–"
    return "yes" if value else "no"


def region_names(text: str) -> str:
    """Every pack mesh region in ``text`` named as a reader would: ``cell_0003`` -> ``Cell 3``.

    Cells are counted from 0, as the engines count them everywhere a person reads them (the
    thermal study's "Cell 0 mean temperature", a runaway's "cell 0 at 130.4 s", the trigger
    cell's index), so the name in a legend is the one in the study's settings and messages.
    """
    return _REGION.sub(lambda m: f"Cell {m.group(1)}", text)


def series_label(name: str) -> str:
    """A series' name for a legend without a unit beside it: its unit dropped, a mesh region
    named (``"cell_0000 maximum temperature [K]"`` -> ``"Cell 0 maximum temperature"``)."""
    label = region_names(name.rsplit(" [", 1)[0])
    return label[:1].upper() + label[1:]


def _grouped(text: str) -> str:
    """``"43200"`` -> ``"43 200"`` (narrow spaces) for a whole part of five digits or more; a
    four-digit year-like 1072 stays as it is, as SI style allows."""
    sign, text = ("-", text[1:]) if text.startswith("-") else ("", text)
    whole, dot, fraction = text.partition(".")
    if len(whole) < 5:
        return sign + text
    groups = [whole[max(i - 3, 0) : i] for i in range(len(whole), 0, -3)][::-1]
    return sign + _GROUP.join(groups) + dot + fraction


def number(value: float | None, digits: int = 4) -> str:
    """A number as a reader wants it: ``digits`` significant figures, a whole number whole
    (19 770 tetrahedra, not 1.977e+04), thousands grouped from 10 000 up, and a power of ten
    written as one (7.386 × 10⁻⁴⁴, not 7.38559e-44) only below 0.001 and from a billion up."""
    if value is None or not math.isfinite(value):
        return "–"
    value = float(value)
    if value.is_integer() and abs(value) < 1e9:
        return _grouped(f"{int(value):d}")
    if 10**digits <= abs(value) < 1e9:
        return _grouped(f"{value:.0f}")
    text = f"{value:.{digits}g}"
    mantissa, e, exponent = text.partition("e")
    if not e:
        return _grouped(text)
    return f"{mantissa} × 10{str(int(exponent)).translate(_SUPERSCRIPT)}"


def prefixed(unit: str, value: float) -> tuple[float, str]:
    """(value, unit) in the prefixed unit ``value`` reads best in: the largest listed in which
    it is at least 1 (17.42 kPa, not 17417 Pa; 500 N, not 0.5 kN), else the smallest; a
    value far below the smallest (under a hundredth of it) stays in the unit as stored.

    Units without listed prefixes (V, A.h, K, ...) come back as they are; so does zero or a
    missing value, in the unit as stored.
    """
    steps = _PREFIXED.get(unit)
    if steps is None or not math.isfinite(value) or value == 0:
        return value, unit
    size, shown = next((z, u) for low, z, u in steps if abs(value) >= low)
    if abs(value) < 0.01 * size:  # a balance error of 1.6e-12 W is no "1.6 × 10⁻⁹ mW"
        return value, unit
    return value / size, shown


#: (unit, the largest value below which it applies, factor from the stored unit), per stored
#: unit whose small values read in a smaller one: 65 µm, not 6.5e-05 m; 24.53 cm^3, not
#: 2.453e-05 m^3; a pouch face's 85.85 cm^2, not 0.008585 m^2; a cell's 46.2 g, not 0.0462 kg
#: (a cell's mass and volume as the design figures state them: g and cm^3)
_SMALLER = {
    "m": (("µm", 1e-3, 1e6), ("mm", 1.0, 1e3)),
    "m3": (("cm^3", 1e-3, 1e6),),
    "m^3": (("cm^3", 1e-3, 1e6),),
    "m2": (("cm^2", 0.1, 1e4),),
    "m^2": (("cm^2", 0.1, 1e4),),
    "kg": (("g", 1.0, 1e3),),
}


def range_unit(unit: str, values: Iterable[float | None]) -> tuple[str, float]:
    """(unit shown, factor from ``unit``) for quantities spanning ``values``: a length in µm
    below 1 mm and in mm below 1 m, a volume in cm^3 below 1000 cm^3, an area in cm^2 below
    0.1 m^2, a mass in g below 1 kg; ``unit`` itself (factor 1) otherwise, and for every other
    unit. None and NaN among ``values`` are ignored.

    One rule for a design study's ranges and outputs (:func:`column_shown`) in the report, its
    input and output columns in the window and a single scalar's volume or area
    (:func:`scalar_shown`).
    """
    largest = max(
        (abs(float(v)) for v in values if v is not None and math.isfinite(float(v))),
        default=0.0,
    )
    for shown, below, factor in _SMALLER.get(unit, ()):
        if 0 < largest < below:
            return shown, factor
    return unit, 1.0


def is_absolute_temperature(name: str, values: Iterable[float] | float) -> bool:
    """Whether ``name`` ("Maximum temperature [K]") holding ``values`` is an absolute
    temperature, shown in °C: its unit is K and the median of its finite values is above
    150 K (no battery is colder; no temperature difference or rise is that large)."""
    if unit_of(name) != "K":
        return False
    import numpy as np

    values = np.asarray(values, dtype=float).ravel()
    if values.size > 4096:  # a field's frame, a long run: a spread sample tells K from a rise
        values = values[:: values.size // 4096]
    finite = values[np.isfinite(values)]
    return finite.size > 0 and float(np.median(finite)) > _ABSOLUTE_K


def celsius_shown(name: str, values: Iterable[float] | float) -> tuple[str, float]:
    """(name as shown, what to subtract from the stored values) of quantity ``name``: an
    absolute temperature (:func:`is_absolute_temperature`) in °C, ``("Maximum temperature
    [°C]", 273.15)``; anything else (a rise in K among them) as it is, with 0.

    Engineers read a cell's temperature in °C; the engines store K (SI), and exports keep it.
    One rule for the report and the window's tables, plots and 3D fields.
    """
    if not is_absolute_temperature(name, values):
        return name, 0.0
    return f"{name[: name.rfind('[')].rstrip()} [°C]", CELSIUS_ZERO


def column_shown(name: str, values: Iterable[float | None]) -> tuple[str, float, float]:
    """(name as shown, factor, offset) of a column ``name`` of ``values`` (a design study's
    output over its points): shown value = stored value × factor − offset. An absolute
    temperature in °C (:func:`celsius_shown`), a small length, volume, area or mass in the
    unit its values span (:func:`range_unit`: a cell's "Cell volume [cm^3]"), any other name
    as it is (1, 0). A spread or error of the column scales by the factor alone. A length
    (unit ``m``) is left as it is: an output's lengths follow its engine
    (:mod:`cellwright.viewers.result_units`: mm for a mechanical study's, m for the others).
    """
    numbers = [float(v) for v in values if isinstance(v, int | float) and not isinstance(v, bool)]
    shown, offset = celsius_shown(name, numbers)
    if offset:
        return shown, 1.0, offset
    unit = unit_of(name)
    small, factor = range_unit(unit, numbers) if unit != "m" else (unit, 1.0)
    if factor == 1.0:
        return name, 1.0, 0.0
    return f"{name[: name.rfind('[')].rstrip()} [{small}]", factor, 0.0


#: (from what span on, size of one, unit): a run's time in s up to 5 min, in min up to 2 h,
#: in h beyond, as the report's time axes and the field viewer's time read it
_TIME_UNITS = ((7200.0, 3600.0, "h"), (300.0, 60.0, "min"), (0.0, 1.0, "s"))


def time_unit(span: float) -> tuple[str, float]:
    """(unit, size of one in s) a time is read in within a run lasting ``span`` seconds:
    s up to 5 min, min up to 2 h, h beyond (a 1 h discharge's 20.58 min, not 1234.56 s)."""
    span = abs(float(span)) if math.isfinite(span) else 0.0
    return next((u, z) for low, z, u in _TIME_UNITS if span > low or not low)


def duration(seconds: float, span: float | None = None, digits: int = 4) -> str:
    """A time as a person reads it, in the unit of :func:`time_unit` of ``span`` (the run's
    length; ``seconds`` itself by default) with ``digits`` significant figures: "20.58 min",
    "1.5 h", "0.4883 ms" for a short step alone. Non-finite times read "–"."""
    if not math.isfinite(seconds):
        return "–"
    span = abs(seconds) if span is None else span
    if span < 0.1 and seconds != 0:  # a time step, not a run: in ms (:func:`prefixed`)
        value, unit = prefixed("s", seconds)
        return f"{number(value, digits)} {unit}"
    unit, size = time_unit(span)
    return f"{number(seconds / size, digits)} {unit}"


class Shown(float):
    """A value in the unit it is shown in (a float, so it sorts and exports as a number) with
    the text it is shown as."""

    text: str

    def __new__(cls, value: float, text: str | None = None) -> Shown:
        shown = super().__new__(cls, value)
        shown.text = number(value) if text is None else text
        return shown


#: the stored units :func:`scalar_shown` shows a small value of in a smaller one
_VOLUMES_AREAS = ("m3", "m^3", "m2", "m^2")


def scalar_shown(name: str, value: float) -> tuple[str, str | Shown, str]:
    """(quantity, value, unit) of a result's scalar ``name`` as a reader is shown it.

    The quantity is the name without its unit (regions named); a flag's value is "yes"/"no"
    and it has no unit; a dimensionless figure ("[-]", "[1]") has no unit; a force, pressure,
    power or short time is prefixed (:func:`prefixed`); a small volume is in cm^3, a small area
    in cm^2 and a coolant flow in L/min (:func:`range_unit`); an absolute temperature is in °C
    (:func:`celsius_shown`, as a cell's temperature is read), a rise in K. The value is a
    :class:`Shown` (the number in the unit shown, and its text) or the flag's word. Lengths in
    mm (a mechanical study's) are the caller's: it knows the engine.
    """
    unit = unit_of(name)
    label = name.rsplit(" [", 1)[0] if unit or name.endswith("]") else name
    label = region_names(label)
    value = float(value)
    if is_flag(name):
        return label, flag_text(value), ""
    if unit in ("-", "1"):
        return label, Shown(value), ""
    # a cell's 19.18 cm^3, not 1.918e-05 m^3; a pouch face's 85.85 cm^2 (a length is the
    # caller's, and a mass stays as the engine states it: a pack's 0.5 kg of coolant)
    small_unit, factor = range_unit(unit, [value]) if unit in _VOLUMES_AREAS else (unit, 1.0)
    if factor != 1.0:
        return label, Shown(value * factor), small_unit
    if unit in ("m3/s", "m^3/s", "m3.s-1"):  # a coolant flow reads in L/min, as pumps are rated
        return label, Shown(value * 6e4), "L/min"
    if is_absolute_temperature(name, value):  # a peak of 61.85 °C, not 335 K
        return label, Shown(round(value - CELSIUS_ZERO, 9)), "°C"  # 61.85, not 61.850000000002
    value, unit = prefixed(unit, value)
    return label, Shown(value), unit


def scalars_shown(scalars: Iterable[tuple[str, float]]) -> list[tuple[str, str | Shown, str]]:
    """:func:`scalar_shown` of each (name, value), in order, a figure stored twice once: a
    coolant network stores its flow in m3/s and in L/min, both shown as "1 L/min"."""
    rows, seen = [], set()
    for name, value in scalars:
        label, shown, unit = scalar_shown(name, value)
        key = (label, unit, shown if isinstance(shown, str) else shown.text)
        if key not in seen:
            seen.add(key)
            rows.append((label, shown, unit))
    return rows
