"""Import + cycle summary of 1-million-row Arbin CSV and Maccor text files.

The files repeat the column layout of the fixtures (Arbin ``Data_Point,Test_Time,...`` CSV as
in ``2017-05-09_test-TC-contact_CH33.csv``; Maccor tab export as in ``maccor_example.001``)
with a synthetic CC charge / rest / CC discharge / rest pattern of 4000 s per cycle.
Reports rows/s and peak traced memory (numpy/pandas buffers) in ``extra_info``.
"""

from __future__ import annotations

import time

import numpy as np
import pytest

from cellwright.projects.labdata import cycle_summary, read_cycler_file

ROWS = 1_000_000
pytestmark = pytest.mark.bench


def _pattern(rows: int):
    seconds = np.arange(rows, dtype=float)
    phase = seconds % 4000
    current = np.select([phase < 1800, (phase >= 2000) & (phase < 3800)], [1.0, -1.0], 0.0)
    soc = np.clip(np.where(phase < 2000, phase, 3800 - phase) / 1800, 0, 1)
    voltage = 3.0 + 1.2 * soc + 0.05 * current
    cycle = 1 + seconds // 4000
    step = 1 + np.searchsorted([1800, 2000, 3800], phase, side="right") + 4 * (cycle - 1)
    return seconds, current, voltage, cycle, step


@pytest.fixture(scope="module")
def arbin_file(tmp_path_factory):
    import pandas as pd

    seconds, current, voltage, cycle, step = _pattern(ROWS)
    frame = pd.DataFrame(
        {
            "Data_Point": np.arange(ROWS),
            "Test_Time": seconds,
            "DateTime": 1.49e9 + seconds,
            "Step_Time": seconds % 4000,
            "Step_Index": step,
            "Cycle_Index": cycle,
            "Current": current,
            "Voltage": voltage,
            "Charge_Capacity": 0.0,
            "Discharge_Capacity": 0.0,
            "Charge_Energy": 0.0,
            "Discharge_Energy": 0.0,
            "dV/dt": 0.0,
            "Internal_Resistance": 0.0,
            "Temperature": 25.0,
        }
    )
    path = tmp_path_factory.mktemp("bench") / "arbin_1M.csv"
    frame.to_csv(path, index=False, float_format="%.6f")
    return path


@pytest.fixture(scope="module")
def maccor_file(tmp_path_factory):
    import pandas as pd

    seconds, current, voltage, cycle, step = _pattern(ROWS)
    state = np.where(current > 0, "C", np.where(current < 0, "D", "R"))
    stamps = pd.Timestamp("2016-03-31 16:05:31") + pd.to_timedelta(seconds, unit="s")
    frame = pd.DataFrame(
        {
            "Rec#": np.arange(1, ROWS + 1),
            "Cyc#": cycle,
            "Step": step,
            "Test (Min)": seconds / 60,
            "Step (Min)": (seconds % 4000) / 60,
            "Amp-hr": 0.0,
            "Watt-hr": 0.0,
            "Amps": np.abs(current),
            "Volts": voltage,
            "State": state,
            "ES": 0,
            "DPt Time": stamps.strftime("%m/%d/%Y %H:%M:%S"),
        }
    )
    path = tmp_path_factory.mktemp("bench") / "maccor_1M.001"
    with open(path, "w", encoding="latin-1") as handle:
        handle.write(
            "Today's Date 04/04/2016  Date of Test:\t03/31/2016\t Filename:\tbench.001"
            " Procedure: bench\tComment/Barcode: BENCH-1\n"
        )
        frame.to_csv(handle, sep="\t", index=False, float_format="%.6f")
    return path


def _import_and_summarise(path):
    table = read_cycler_file(path)
    summary = cycle_summary(table)
    return table, summary


_MEMORY_PROBE = """
import json, sys, time
import pandas, scipy.ndimage  # libraries loaded before the baseline
from cellwright.projects.labdata import cycle_summary, read_cycler_file
def hwm():  # VmHWM: this address space's peak RSS (ru_maxrss would inherit the parent's)
    with open("/proc/self/status") as status:
        return next(int(l.split()[1]) for l in status if l.startswith("VmHWM"))
base = hwm()
start = time.perf_counter()
table = read_cycler_file(sys.argv[1])
cycle_summary(table)
elapsed = time.perf_counter() - start
peak = hwm()
print(json.dumps({"seconds": elapsed, "peak_kib": peak, "growth_kib": peak - base}))
"""


def _peak_memory(path) -> dict:
    """Run the import in a fresh interpreter so the peak RSS is this workload's own."""
    import json
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-c", _MEMORY_PROBE, str(path)],
        check=True,
        capture_output=True,
        text=True,
        timeout=600,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("which", ["arbin_file", "maccor_file"])
def test_import_and_summary_1m_rows(benchmark, request, which):
    path = request.getfixturevalue(which)
    start = time.perf_counter()
    table, summary = benchmark.pedantic(_import_and_summarise, args=(path,), rounds=1, iterations=1)
    elapsed = time.perf_counter() - start
    assert len(table) == ROWS
    assert len(summary["cycle"]) == ROWS // 4000
    np.testing.assert_allclose(summary["discharge_capacity_ah"][:-1], 0.5, rtol=1e-3)
    memory = _peak_memory(path)
    benchmark.extra_info["rows_per_second"] = ROWS / elapsed
    benchmark.extra_info["peak_rss_mib"] = memory["peak_kib"] / 1024
    benchmark.extra_info["rss_growth_mib"] = memory["growth_kib"] / 1024
    benchmark.extra_info["file_mib"] = path.stat().st_size / 2**20
    print(
        f"{which}: {ROWS / elapsed:,.0f} rows/s, peak RSS {memory['peak_kib'] / 1024:.0f} MiB "
        f"(+{memory['growth_kib'] / 1024:.0f} MiB over imports), "
        f"file {path.stat().st_size / 2**20:.0f} MiB"
    )
