"""The real ageing histories of ../shared/fixtures/aging as cycle, capacity, reference flag."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import numpy as np


def tri_cell(aging_dir: Path) -> dict[str, np.ndarray]:
    """TRI PreDiag cell 00021F (beep): aging cycles from the summary, 1C reference checks
    (``rpt_1C``) from the diagnostic summary, by cycle index."""
    data = json.loads((aging_dir / "tri_prediag_000233_structure.json").read_text())
    summary, diag = data["summary"], data["diagnostic_summary"]
    diag_cycles = set(diag["cycle_index"])
    use = [i for i, c in enumerate(summary["cycle_index"]) if c not in diag_cycles]
    ref = [i for i, kind in enumerate(diag["cycle_type"]) if kind == "rpt_1C"]
    cycle = np.array(
        [summary["cycle_index"][i] for i in use] + [diag["cycle_index"][i] for i in ref],
        dtype=float,
    )
    capacity = np.array(
        [summary["discharge_capacity"][i] for i in use]
        + [diag["discharge_capacity"][i] for i in ref],
        dtype=float,
    )
    reference = np.array([False] * len(use) + [True] * len(ref))
    return {"cycle": cycle, "capacity": capacity, "reference": reference}


def inl_cell(aging_dir: Path) -> dict[str, np.ndarray]:
    """INL XCEL cell p492-13: aging cycles and capacity checks by cycle index."""
    with (aging_dir / "inl_xcel_p492-13-summary.csv").open(encoding="utf-8") as fh:
        rows = [
            r for r in csv.DictReader(fh) if r["Cycle_Label"] in ("Aging cycle", "Capacity check")
        ]
    return {
        "cycle": np.array([float(r["Cycle_Index"]) for r in rows]),
        "capacity": np.array([float(r["Q_dis"]) for r in rows]),
        "reference": np.array([r["Cycle_Label"] == "Capacity check" for r in rows]),
    }
