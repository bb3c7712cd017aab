"""Readable labels for the fields of specs and designs.

pydantic titles a field by capitalising the words of its name, which spells the trade's
abbreviations as words: "Assembly Soc", "C Rate", "Pybamm Parameter Set", "Capacity Std".
"""

from __future__ import annotations

import re

__all__ = ["readable_title"]

#: a word of a title (any case) -> how the trade writes it
_WORDS = {
    "bms": "BMS",
    "cc": "CC",
    "cfd": "CFD",
    "cv": "CV",
    "dfn": "DFN",
    "dt": "dt",
    "ecm": "ECM",
    "hppc": "HPPC",
    "id": "ID",
    "ntc": "NTC",
    "ocv": "OCV",
    "psd": "PSD",
    "pybamm": "PyBaMM",
    "rc": "RC",
    "rms": "RMS",
    "sei": "SEI",
    "soc": "SOC",
    "soh": "SOH",
    "spm": "SPM",
    "spme": "SPMe",
    "std": "SD",
}

_C_RATE = re.compile(r"\bc[ _]rate(s?)\b", re.IGNORECASE)


def readable_title(title: str) -> str:
    """``"Assembly Soc"`` -> ``"Assembly SOC"``, ``"C Rate"`` -> ``"C-rate"``,
    ``"Pybamm parameter set"`` -> ``"PyBaMM parameter set"``; other words as they are."""
    title = _C_RATE.sub(lambda m: "C-rate" + m.group(1), title)
    return re.sub(r"[A-Za-z]+", lambda m: _WORDS.get(m.group(0).lower(), m.group(0)), title)
