"""A 1 M-tetrahedron pack for 1 h of simulated time at 10 s steps (issue 6; goal < 3 min wall).

The 96s4p pack of 21700 cells (see test_mesh_bench) meshed by default gives ~1.0 M tetrahedra;
every cell makes 2 W, coolant at h = 1000 W/(m^2 K) in the plate channels, still air outside.
Meshing is reported apart from the solve; the peak resident memory of the process is printed.
"""

from __future__ import annotations

import resource
import time

import pytest

from cellwright.engines.api import run_study
from cellwright.projects.design.reference_designs import lg_m50
from cellwright.projects.library import Library
from support.designs import pack_96s4p

pytestmark = pytest.mark.bench


def test_pack_96s4p_one_hour(benchmark) -> None:
    snap = Library.load_builtin().snapshot_for(lg_m50(), pack_96s4p())
    spec = {"target": "pack", "duration": 3600.0, "time_step": 10.0, "heat": {"power": 2.0},
            "output_every": 30}  # fmt: skip
    started = time.perf_counter()
    result = benchmark.pedantic(run_study, args=("thermal.conduction", spec, snap), rounds=1)
    wall = time.perf_counter() - started
    s = result.scalars
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2
    steps = 360
    print(
        f"\n96s4p pack, {s['Tetrahedra']:.0f} tetrahedra, {s['Nodes']:.0f} nodes: 1 h at 10 s in "
        f"{wall:.1f} s wall (mesh + assembly + {steps} steps); stepping "
        f"{s['Time stepping wall time [s]']:.1f} s, median {s['Median step time [s]'] * 1e3:.0f}"
        f" ms per step; peak RSS {peak:.2f} GiB; {result.provenance.warnings[-1]}"
    )
    assert s["Tetrahedra"] > 0.9e6 and s["Maximum temperature [K]"] > 298.15
