"""The one table of what cycler column headers mean: quantities, units and vendor names.

Every reader maps vendor columns through this table (:mod:`.mapper`), and the column-mapping
dialog offers its targets.  Three parts:

* :data:`QUANTITIES` — what a column can mean (a BDF column or an intermediate such as an
  unsigned step capacity), with the words instruments use for it in English, Chinese
  (Neware, Landt, Hioki exports), German (Digatron, BaSyTec, EC-Lab in a German locale),
  French and Spanish, normalised by :func:`normalise`.
* :data:`UNITS` — unit text found in headers (``mA``, ``mAh``, ``mA.h``, ``°C``, ``K`` ...)
  with the factor and offset to the BDF unit of its dimension.
* :data:`VENDOR_ALIASES` — exact header names of layouts we know, per vendor family, with the
  factor to the BDF unit; an exact alias beats a guess from words.

The BDF units are s, V, A, Ah, Wh, degC, Hz and Ohm (``table.py``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from cellwright.projects.labdata import table as t

# Intermediate targets a vendor reader resolves into BDF columns.
STEP_CAPACITY = "_capacity"  # unsigned or signed per-step Ah, split by current sign
STEP_ENERGY = "_energy"
DATETIME = "_datetime"  # wall-clock text -> unix_time_second
STATE = "_state"  # Maccor/PEC state letters (C/D/R/O) giving the current sign
STEP_TIME = "_step_time"
CURRENT_MAGNITUDE = "_current_magnitude"  # |I| columns (BT-Lab)


@dataclass(frozen=True)
class Quantity:
    """What a column means.

    Parameters
    ----------
    target
        BDF column name (or one of the intermediate names above).
    dimension
        Physical dimension the header unit must have (``time``, ``voltage`` ...).
    words
        Normalised header names (see :func:`normalise`) meaning this quantity.
    required
        One of the columns every time series needs.
    """

    target: str
    dimension: str
    words: tuple[str, ...]
    required: bool = False


# fmt: off
QUANTITIES: tuple[Quantity, ...] = (
    Quantity(
        t.TEST_TIME, "time",
        (
            "test time", "testtime", "total time", "time", "run time", "elapsed time",
            "program time", "programmdauer", "prüfzeit", "gesamtzeit", "zeit", "test time s",
            "time s", "temps", "temps total", "tiempo",
            "总时间", "测试时间", "累计时间", "运行时间", "时间",
            "总时长", "total time s", "test sec", "test min", "test",
        ),
        required=True,
    ),
    Quantity(
        t.VOLTAGE, "voltage",
        (
            "voltage", "volts", "volt", "potential", "cell voltage", "ecell", "ewe", "u", "e",
            "v", "spannung", "zellspannung", "tension", "voltaje", "电压", "电池电压", "电压v",
            "cell potential", "voltage v", "ewe v", "ecell v",
        ),
        required=True,
    ),
    Quantity(
        t.CURRENT, "current",
        (
            "current", "amps", "amp", "i", "strom", "courant", "corriente", "电流", "current a",
            "cell current",
        ),
        required=True,
    ),
    Quantity(
        t.CYCLE, "count",
        (
            "cycle", "cycle index", "cycle number", "cycle count", "cyc", "cyc count", "cycle no",
            "cycle nr", "zyklus", "zyklus nr", "zyklusnummer", "cycle c", "cycle p", "cycle id",
            "cycles", "循环", "循环号", "循环序号",
            "cycle nb", "nb cycle", "numéro de cycle", "ciclo",
            "total cycle",
        ),
    ),
    Quantity(
        t.STEP_INDEX, "count",
        (
            "step", "step index", "step number", "step no", "step nr", "ns", "line", "schritt",
            "schritt nr", "schrittnummer", "étape", "paso", "工步号", "工步", "工步序号", "step id",
            "prozedurschritt",
        ),
    ),
    Quantity(
        t.CHARGE_CAPACITY, "charge",
        (
            "charge capacity", "chg cap", "chg capacity", "q charge", "capacity charge",
            "charging capacity", "ah cyc charge 0", "ah charge", "ahcharge", "ah ch", "充电容量",
            "ladekapazität", "ladung", "capacité charge", "charge cap",
        ),
    ),
    Quantity(
        t.DISCHARGE_CAPACITY, "charge",
        (
            "discharge capacity", "dchg cap", "dchg capacity", "q discharge",
            "capacity discharge", "discharging capacity", "ah cyc discharge 0", "ah discharge",
            "ahdischarge", "ah dis", "放电容量",
            "entladekapazität", "entladung", "capacité décharge",
            "discharge cap",
        ),
    ),
    Quantity(
        STEP_CAPACITY, "charge",
        (
            "capacity", "amp hr", "amphr", "ah", "cap", "step capacity", "ahstep", "ah step",
            "容量", "kapazität", "capacité", "capacidad",
        ),
    ),
    Quantity(
        t.CHARGE_ENERGY, "energy",
        (
            "charge energy", "chg energy", "energy charge", "charging energy", "wh cyc charge 0",
            "充电能量", "ladeenergie", "wh charge",
        ),
    ),
    Quantity(
        t.DISCHARGE_ENERGY, "energy",
        (
            "discharge energy", "dchg energy", "energy discharge", "discharging energy",
            "wh cyc discharge 0", "放电能量", "entladeenergie", "wh discharge",
        ),
    ),
    Quantity(
        STEP_ENERGY, "energy",
        ("energy", "watt hr", "watthr", "wh", "能量", "energie", "énergie", "whstep"),
    ),
    Quantity(
        t.SURFACE_TEMPERATURE, "temperature",
        (
            "temperature", "temp", "t", "cell temperature", "surface temperature",
            "aux temperature 1", "temp 1", "t1", "temperatur", "温度", "电池温度", "température",
            "temperatura", "temp1", "aux temperature",
        ),
    ),
    Quantity(
        t.AMBIENT_TEMPERATURE, "temperature",
        (
            "ambient temperature", "environment temperature", "chamber temperature",
            "room temperature", "umgebungstemperatur", "环境温度", "temperature 1",
        ),
    ),
    Quantity(
        DATETIME, "datetime",
        (
            "date time", "datetime", "date", "timestamp", "dpt time", "realtime", "real time",
            "absolute time", "system time", "date and time",
            "abs time", "绝对时间", "系统时间", "日期",
            "datum", "uhrzeit", "date heure",
        ),
    ),
    Quantity(
        STEP_TIME, "time",
        (
            "step time", "steptime", "cycle time", "half cycle time", "schrittdauer",
            "schrittzeit", "工步时间", "相对时间",
        ),
    ),
    Quantity(STATE, "text", ("state", "md", "status", "zustand", "状态", "step type", "工步类型")),
    Quantity(
        t.FREQUENCY, "frequency",
        ("frequency", "freq", "f", "frequenz", "fréquence", "频率"),
    ),
    # primes are spelled out by normalise(): Z' -> "z p", Z'' -> "z pp"
    Quantity(
        t.Z_REAL, "resistance",
        ("re z", "zre", "zreal", "z real", "z p", "z p a", "real z", "real", "zr", "实部"),
    ),
    Quantity(
        t.Z_IMAG, "resistance",
        (
            "im z", "zim", "zimg", "zimag", "z pp", "z pp b", "z imag", "imag z", "imag", "zi",
            "虚部",
        ),
    ),
)

# fmt: on
BY_TARGET = {q.target: q for q in QUANTITIES}

#: BDF columns a user may pick in the mapping dialog (intermediates are reader business)
MAPPING_TARGETS: tuple[str, ...] = (
    *tuple(q.target for q in QUANTITIES if not q.target.startswith("_")),
    STEP_CAPACITY,
    STEP_ENERGY,
    DATETIME,
)


@dataclass(frozen=True)
class Unit:
    """A unit found in a header: its dimension and the conversion ``bdf = value*factor+offset``."""

    dimension: str
    factor: float
    offset: float = 0.0


# fmt: off
_UNITS_BY_DIMENSION: dict[str, dict[str, tuple[float, float]]] = {
    "time": {
        "s": (1, 0), "sec": (1, 0), "secs": (1, 0), "second": (1, 0), "seconds": (1, 0),
        "ms": (1e-3, 0), "min": (60, 0), "mins": (60, 0), "minute": (60, 0), "minutes": (60, 0),
        "h": (3600, 0), "hr": (3600, 0), "hrs": (3600, 0), "hour": (3600, 0), "hours": (3600, 0),
        "d": (86400, 0), "day": (86400, 0), "days": (86400, 0), "秒": (1, 0), "分": (60, 0),
        "小时": (3600, 0),
    },
    "voltage": {"v": (1, 0), "mv": (1e-3, 0), "uv": (1e-6, 0), "kv": (1e3, 0)},
    "current": {"a": (1, 0), "ma": (1e-3, 0), "ua": (1e-6, 0), "na": (1e-9, 0)},
    "charge": {
        "ah": (1, 0), "mah": (1e-3, 0), "uah": (1e-6, 0), "as": (1 / 3600, 0),
        "mas": (1e-3 / 3600, 0), "c": (1 / 3600, 0), "mc": (1e-3 / 3600, 0), "kah": (1e3, 0),
    },
    "energy": {
        "wh": (1, 0), "mwh": (1e-3, 0), "kwh": (1e3, 0), "uwh": (1e-6, 0), "ws": (1 / 3600, 0),
        "mws": (1e-3 / 3600, 0), "j": (1 / 3600, 0), "kj": (1e3 / 3600, 0),
    },
    "temperature": {
        "c": (1, 0), "degc": (1, 0), "°c": (1, 0), "℃": (1, 0), "k": (1, -273.15),
        "deg c": (1, 0), "celsius": (1, 0), "f": (5 / 9, -32 * 5 / 9), "°f": (5 / 9, -32 * 5 / 9),
    },
    "frequency": {"hz": (1, 0), "khz": (1e3, 0), "mhz_mega": (1e6, 0)},
    "resistance": {
        "ohm": (1, 0), "ohms": (1, 0), "ω": (1, 0), "mohm": (1e-3, 0), "mω": (1e-3, 0),
        "kohm": (1e3, 0), "kω": (1e3, 0), "uohm": (1e-6, 0),
    },
    "count": {"1": (1, 0), "#": (1, 0), "": (1, 0)},
}

# fmt: on


#: a duration's notation given as its unit (``Programmdauer [h:mm:ss]``, ``Time
#: (h:min:s.ms)``, ``d.hh:mm:ss``): the cells are durations, read as seconds
_DURATION_NOTATION = re.compile(r"^(d+[ .:-])?h{1,2}:m{1,2}(in)?:s{1,2}([.,](x+|f+|m?s))?$")


def unit_candidates(text: str) -> dict[str, Unit]:
    """Dimension -> :class:`Unit` for a header unit text such as ``mA.h``, ``µA``, ``°C`` or
    ``h:mm:ss`` (a duration: its cells are read as seconds)."""
    if _DURATION_NOTATION.match(text.strip().lower()):
        return {"time": Unit("time", 1.0)}
    key = text.strip().lower().replace("µ", "u").replace("μ", "u").replace("·", "")
    key = key.replace(".", "").replace("*", "").replace(" ", "").replace("ω", "ohm")
    key = key.replace("ohm", "ohm").replace("deg", "deg")
    key = {"°c": "c", "degc": "c", "℃": "c", "oc": "c", "°k": "k"}.get(key, key)
    found = {}
    for dimension, table in _UNITS_BY_DIMENSION.items():
        if key in table:
            factor, offset = table[key]
            found[dimension] = Unit(dimension, float(factor), float(offset))
    return found


# Exact header names per vendor family: header -> (target, factor to the BDF unit).
VendorMap = dict[str, tuple[str, float]]

# fmt: off
VENDOR_ALIASES: dict[str, VendorMap] = {
    "arbin": {
        "Test_Time": (t.TEST_TIME, 1.0), "Test Time (s)": (t.TEST_TIME, 1.0),
        "Test_Time(s)": (t.TEST_TIME, 1.0), "Voltage": (t.VOLTAGE, 1.0),
        "Voltage (V)": (t.VOLTAGE, 1.0), "Voltage(V)": (t.VOLTAGE, 1.0),
        "Current": (t.CURRENT, 1.0), "Current (A)": (t.CURRENT, 1.0),
        "Current(A)": (t.CURRENT, 1.0), "Cycle_Index": (t.CYCLE, 1.0),
        "Cycle Index": (t.CYCLE, 1.0), "Step_Index": (t.STEP_INDEX, 1.0),
        "Step Index": (t.STEP_INDEX, 1.0), "Charge_Capacity": (t.CHARGE_CAPACITY, 1.0),
        "Charge Capacity (Ah)": (t.CHARGE_CAPACITY, 1.0),
        "Charge_Capacity(Ah)": (t.CHARGE_CAPACITY, 1.0),
        "Discharge_Capacity": (t.DISCHARGE_CAPACITY, 1.0),
        "Discharge Capacity (Ah)": (t.DISCHARGE_CAPACITY, 1.0),
        "Discharge_Capacity(Ah)": (t.DISCHARGE_CAPACITY, 1.0),
        "Charge_Energy": (t.CHARGE_ENERGY, 1.0), "Charge Energy (Wh)": (t.CHARGE_ENERGY, 1.0),
        "Charge_Energy(Wh)": (t.CHARGE_ENERGY, 1.0),
        "Discharge_Energy": (t.DISCHARGE_ENERGY, 1.0),
        "Discharge Energy (Wh)": (t.DISCHARGE_ENERGY, 1.0),
        "Discharge_Energy(Wh)": (t.DISCHARGE_ENERGY, 1.0),
        "Temperature": (t.SURFACE_TEMPERATURE, 1.0),
        "Aux_Temperature_1 (C)": (t.SURFACE_TEMPERATURE, 1.0),
        "Aux_Temperature_1(C)": (t.SURFACE_TEMPERATURE, 1.0), "Date Time": (DATETIME, 1.0),
        "Date_Time": (DATETIME, 1.0),
    },
    "maccor": {
        "Test (Min)": (t.TEST_TIME, 60.0), "Test (Sec)": (t.TEST_TIME, 1.0),
        "Test Time (sec)": (t.TEST_TIME, 1.0), "Test (Hr)": (t.TEST_TIME, 3600.0),
        "Volts": (t.VOLTAGE, 1.0), "Voltage": (t.VOLTAGE, 1.0), "Amps": (t.CURRENT, 1.0),
        "Current": (t.CURRENT, 1.0), "Cyc#": (t.CYCLE, 1.0), "Cycle C": (t.CYCLE, 1.0),
        "Cycle P": (t.CYCLE, 1.0), "Step": (t.STEP_INDEX, 1.0), "Amp-hr": (STEP_CAPACITY, 1.0),
        "Capacity": (STEP_CAPACITY, 1.0), "Watt-hr": (STEP_ENERGY, 1.0),
        "Energy": (STEP_ENERGY, 1.0), "Temp 1": (t.SURFACE_TEMPERATURE, 1.0),
        "State": (STATE, 1.0), "Md": (STATE, 1.0), "DPt Time": (DATETIME, 1.0),
        "DPT Time": (DATETIME, 1.0),
        # the export dialog's milli units (cellpy's maccor_txt_three, WMG's SIMBA exports)
        "mAmps": (t.CURRENT, 1e-3), "mAmp-hr": (STEP_CAPACITY, 1e-3),
        "mWatt-hr": (STEP_ENERGY, 1e-3),
    },
    "basytec": {
        "~Time[s]": (t.TEST_TIME, 1.0), "~Time[h]": (t.TEST_TIME, 3600.0),
        "Time[s]": (t.TEST_TIME, 1.0), "Time[h]": (t.TEST_TIME, 3600.0), "U[V]": (t.VOLTAGE, 1.0),
        "I[A]": (t.CURRENT, 1.0), "I[mA]": (t.CURRENT, 1e-3), "Line": (t.STEP_INDEX, 1.0),
        "Cyc-Count": (t.CYCLE, 1.0), "Ah-Cyc-Charge-0": (t.CHARGE_CAPACITY, 1.0),
        "Ah-Cyc-Discharge-0": (t.DISCHARGE_CAPACITY, 1.0),
        "Wh-Cyc-Charge-0": (t.CHARGE_ENERGY, 1.0),
        "Wh-Cyc-Discharge-0": (t.DISCHARGE_ENERGY, 1.0), "T1[°C]": (t.SURFACE_TEMPERATURE, 1.0),
        # "Ah[Ah]"/"Wh[Wh]" count charge + discharge since the start of the test, "Ah-Step"/
        # "Wh-Step" within the step (BaSyTec's test plan editor, registration format)
        "Ah-Step": (STEP_CAPACITY, 1.0), "Wh-Step": (STEP_ENERGY, 1.0),
        "T1[\ufffdC]": (t.SURFACE_TEMPERATURE, 1.0),
    },
    "novonix": {
        "Run Time (h)": (t.TEST_TIME, 3600.0), "Potential (V)": (t.VOLTAGE, 1.0),
        "Current (A)": (t.CURRENT, 1.0), "Cycle Number": (t.CYCLE, 1.0),
        "Step Number": (t.STEP_INDEX, 1.0), "Temperature (°C)": (t.SURFACE_TEMPERATURE, 1.0),
        "Capacity (Ah)": (STEP_CAPACITY, 1.0), "Energy (Wh)": (STEP_ENERGY, 1.0),
        "Date and Time": (DATETIME, 1.0), "Step Time (h)": (STEP_TIME, 3600.0),
    },
    "landt": {
        "test_time_s": (t.TEST_TIME, 1.0), "voltage_V": (t.VOLTAGE, 1.0),
        "current_A": (t.CURRENT, 1.0), "cycle_index": (t.CYCLE, 1.0),
        "step_index": (t.STEP_INDEX, 1.0), "discharge_capacity_Ah": (t.DISCHARGE_CAPACITY, 1.0),
        "charge_capacity_Ah": (t.CHARGE_CAPACITY, 1.0),
        "discharge_energy_Wh": (t.DISCHARGE_ENERGY, 1.0),
        "charge_energy_Wh": (t.CHARGE_ENERGY, 1.0),
        "temperature_1_C": (t.AMBIENT_TEMPERATURE, 1.0), "date_time_iso_string": (DATETIME, 1.0),
        # LANDdt's own export (Record-Tab/Cycle-Tab workbooks, or its CSV): "Capacity/mAh"
        # and "Energy/mWh" count within the step, "Step-State" names the work mode (R,
        # CCC/CCD, CVC, RateC/RateD ...), "AuxTemp/dC." is the auxiliary probe in degC, "-"
        # where no probe is fitted
        "TestTime/Sec": (t.TEST_TIME, 1.0), "StepTime/Sec": (STEP_TIME, 1.0),
        "Current/mA": (t.CURRENT, 1e-3), "Voltage/V": (t.VOLTAGE, 1.0),
        "Capacity/mAh": (STEP_CAPACITY, 1e-3), "Energy/mWh": (STEP_ENERGY, 1e-3),
        "Cycle-Index": (t.CYCLE, 1.0), "Step-Index": (t.STEP_INDEX, 1.0),
        "Step-State": (STATE, 1.0), "SysTime": (DATETIME, 1.0),
        "AuxTemp/dC.": (t.SURFACE_TEMPERATURE, 1.0),
    },
    "batteryarchive": {
        "Test_Time (s)": (t.TEST_TIME, 1.0), "Cycle_Index": (t.CYCLE, 1.0),
        "Current (A)": (t.CURRENT, 1.0), "Voltage (V)": (t.VOLTAGE, 1.0),
        "Charge_Capacity (Ah)": (t.CHARGE_CAPACITY, 1.0),
        "Discharge_Capacity (Ah)": (t.DISCHARGE_CAPACITY, 1.0),
        "Charge_Energy (Wh)": (t.CHARGE_ENERGY, 1.0),
        "Discharge_Energy (Wh)": (t.DISCHARGE_ENERGY, 1.0),
        "Environment_Temperature (C)": (t.AMBIENT_TEMPERATURE, 1.0),
        "Cell_Temperature (C)": (t.SURFACE_TEMPERATURE, 1.0), "Date_Time": (DATETIME, 1.0),
    },
    "eclab": {
        "time/s": (t.TEST_TIME, 1.0), "Ecell/V": (t.VOLTAGE, 1.0), "Ewe/V": (t.VOLTAGE, 1.0),
        "<Ewe>/V": (t.VOLTAGE, 1.0), "<Ecell>/V": (t.VOLTAGE, 1.0), "I/mA": (t.CURRENT, 1e-3),
        "<I>/mA": (t.CURRENT, 1e-3), "|I|/mA": (CURRENT_MAGNITUDE, 1e-3),
        "cycle number": (t.CYCLE, 1.0), "Ns": (t.STEP_INDEX, 1.0),
        "Q charge/mA.h": (t.CHARGE_CAPACITY, 1e-3),
        "Q discharge/mA.h": (t.DISCHARGE_CAPACITY, 1e-3),
        "Energy charge/W.h": (t.CHARGE_ENERGY, 1.0),
        "Energy discharge/W.h": (t.DISCHARGE_ENERGY, 1.0),
        "Temperature/°C": (t.SURFACE_TEMPERATURE, 1.0), "T/°C": (t.SURFACE_TEMPERATURE, 1.0),
        "freq/Hz": (t.FREQUENCY, 1.0), "Re(Z)/Ohm": (t.Z_REAL, 1.0),
        "-Im(Z)/Ohm": (t.Z_IMAG, -1.0), "step time/s": (STEP_TIME, 1.0),
    },
    "gamry": {
        "Freq": (t.FREQUENCY, 1.0), "Zreal": (t.Z_REAL, 1.0), "Zimag": (t.Z_IMAG, 1.0),
        "Time": (t.TEST_TIME, 1.0), "Vdc": (t.VOLTAGE, 1.0), "Idc": (t.CURRENT, 1.0),
    },
    "neware": {
        "Total Time": (t.TEST_TIME, 1.0), "Voltage(V)": (t.VOLTAGE, 1.0),
        "Current(A)": (t.CURRENT, 1.0), "Cycle Index": (t.CYCLE, 1.0),
        "Step Index": (t.STEP_INDEX, 1.0), "Chg. Cap.(Ah)": (t.CHARGE_CAPACITY, 1.0),
        "DChg. Cap.(Ah)": (t.DISCHARGE_CAPACITY, 1.0), "Chg. Energy(Wh)": (t.CHARGE_ENERGY, 1.0),
        "DChg. Energy(Wh)": (t.DISCHARGE_ENERGY, 1.0), "Date": (DATETIME, 1.0),
        "Realtime": (DATETIME, 1.0), "Time": (STEP_TIME, 1.0), "Step Type": (STATE, 1.0),
        "总时间": (t.TEST_TIME, 1.0), "电压(V)": (t.VOLTAGE, 1.0), "电流(A)": (t.CURRENT, 1.0),
        "循环号": (t.CYCLE, 1.0), "工步号": (t.STEP_INDEX, 1.0), "绝对时间": (DATETIME, 1.0),
        "系统时间": (DATETIME, 1.0), "工步类型": (STATE, 1.0), "相对时间": (STEP_TIME, 1.0),
        "充电容量(Ah)": (t.CHARGE_CAPACITY, 1.0), "放电容量(Ah)": (t.DISCHARGE_CAPACITY, 1.0),
        # BTS 7 "Detail" (record) sheets: step-relative time, a wall clock, a per-step capacity
        "Cur(mA)": (t.CURRENT, 1e-3), "CapaCity(mAh)": (STEP_CAPACITY, 1e-3),
        "Energy(mWh)": (STEP_ENERGY, 1e-3), "Relative Time(h:min:s.ms)": (STEP_TIME, 1.0),
        "Time(h:min:s.ms)": (STEP_TIME, 1.0),
        "Absolute Time": (DATETIME, 1.0), "Status": (STATE, 1.0), "Cycle": (t.CYCLE, 1.0),
        "Step": (t.STEP_INDEX, 1.0),
    },
    "pec": {
        "Total Time (Seconds)": (t.TEST_TIME, 1.0), "Total Time (Hours)": (t.TEST_TIME, 3600.0),
        "Total Time (Hours in hh:mm:ss.xxx)": (t.TEST_TIME, 1.0),  # a duration: read as s
        "Temp (°C)": (t.SURFACE_TEMPERATURE, 1.0),
        "Charge Energy (mWh)": (t.CHARGE_ENERGY, 1e-3),
        "Discharge Energy (mWh)": (t.DISCHARGE_ENERGY, 1e-3),
        "Voltage (V)": (t.VOLTAGE, 1.0), "Voltage (mV)": (t.VOLTAGE, 1e-3),
        "Current (A)": (t.CURRENT, 1.0), "Current (mA)": (t.CURRENT, 1e-3),
        "Cycle": (t.CYCLE, 1.0), "Step": (t.STEP_INDEX, 1.0),
        "Charge Capacity (Ah)": (t.CHARGE_CAPACITY, 1.0),
        "Discharge Capacity (Ah)": (t.DISCHARGE_CAPACITY, 1.0),
        "Charge Capacity (mAh)": (t.CHARGE_CAPACITY, 1e-3),
        "Discharge Capacity (mAh)": (t.DISCHARGE_CAPACITY, 1e-3),
        "Charge Energy (Wh)": (t.CHARGE_ENERGY, 1.0),
        "Discharge Energy (Wh)": (t.DISCHARGE_ENERGY, 1.0), "Real Time": (DATETIME, 1.0),
        "Step Time (Seconds)": (STEP_TIME, 1.0),
    },
    "digatron": {
        "Programmdauer": (t.TEST_TIME, 1.0), "Prog Time": (t.TEST_TIME, 1.0),
        "Spannung": (t.VOLTAGE, 1.0), "Voltage": (t.VOLTAGE, 1.0), "Strom": (t.CURRENT, 1.0),
        "Current": (t.CURRENT, 1.0), "Zyklus": (t.CYCLE, 1.0), "Cycle": (t.CYCLE, 1.0),
        "Schritt": (t.STEP_INDEX, 1.0), "Step": (t.STEP_INDEX, 1.0),
        "AhStep": (STEP_CAPACITY, 1.0), "WhStep": (STEP_ENERGY, 1.0), "Zustand": (STATE, 1.0),
        "Status": (STATE, 1.0), "Schrittdauer": (STEP_TIME, 1.0), "Step Time": (STEP_TIME, 1.0),
        "Zeitstempel": (DATETIME, 1.0), "Time Stamp": (DATETIME, 1.0),
        "Temp": (t.SURFACE_TEMPERATURE, 1.0), "T1": (t.SURFACE_TEMPERATURE, 1.0),
    },
}

# BDF machine names map to themselves; the human-readable BDF labels onto them.
_BDF = (
    t.TEST_TIME, t.UNIX_TIME, t.VOLTAGE, t.CURRENT, t.CYCLE, t.STEP_COUNT, t.STEP_INDEX,
    t.CHARGE_CAPACITY, t.DISCHARGE_CAPACITY, t.CHARGE_ENERGY, t.DISCHARGE_ENERGY,
    t.AMBIENT_TEMPERATURE, t.SURFACE_TEMPERATURE,
)
_BDF_LABELS = (
    "Test Time / s", "Unix Time / s", "Voltage / V", "Current / A", "Cycle Count / 1",
    "Step Count / 1", "Step Index / 1", "Charging Capacity / Ah", "Discharging Capacity / Ah",
    "Charging Energy / Wh", "Discharging Energy / Wh", "Ambient Temperature / degC",
    "Surface Temperature / degC",
)
VENDOR_ALIASES["bdf"] = {n: (n, 1.0) for n in _BDF} | {
    label: (name, 1.0) for label, name in zip(_BDF_LABELS, _BDF, strict=True)
}
# fmt: on

_SPLIT_UNIT = re.compile(
    r"^(?P<name>.*?)\s*(?:[\(\[\{（](?P<u1>[^\)\]\}）]*)[\)\]\}）]|/\s*(?P<u2>[^/]+)|_(?P<u3>[A-Za-zµ°℃Ω.]+))\s*$"
)


def split_header(header: str) -> tuple[str, str | None]:
    """``"Current (mA)"`` -> ``("Current", "mA")``; ``"I/mA"`` and ``"current_A"`` likewise.

    The ``_unit`` suffix form is only split when the suffix is a known unit, so that
    ``Cycle_Index`` stays whole.
    """
    text = header.strip().lstrip("~").strip()
    match = _SPLIT_UNIT.match(text)
    if not match or not match.group("name"):
        return text, None
    unit = match.group("u1") or match.group("u2") or match.group("u3")
    if match.group("u3") is not None and not unit_candidates(unit):
        return text, None
    return match.group("name"), unit


_NON_WORD = re.compile(r"[\s_\-.#:,'\"()\[\]/<>|~*+]+")


def normalise(name: str) -> str:
    """Lower-case words without punctuation: ``"Chg. Cap."`` -> ``"chg cap"``.

    Primes are spelled out (``Z'`` -> ``"z p"``, ``Z''`` -> ``"z pp"``) because impedance
    exports name their real and imaginary parts only by them.
    """
    text = name.lower().replace("\u2033", " pp ").replace("''", " pp ").replace('"', " pp ")
    text = text.replace("\u2032", " p ").replace("'", " p ")
    return _NON_WORD.sub(" ", text).strip()
