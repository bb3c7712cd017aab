"""Start-up time of `cellwright --help` (goal: instant; heavy imports are lazy)."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time

import pytest

pytestmark = pytest.mark.bench


def test_cli_help_startup(benchmark) -> None:
    cmd = [
        sys.executable,
        "-c",
        "import sys; from cellwright.app.cli import main; sys.exit(main(['--help']))",
    ]
    walls = []

    def run() -> None:
        start = time.perf_counter()
        subprocess.run(cmd, capture_output=True, check=True)
        walls.append(time.perf_counter() - start)

    benchmark.pedantic(run, rounds=10, warmup_rounds=1)
    median = statistics.median(walls[1:])
    benchmark.extra_info.update(median_s=median)
    print(
        f"cellwright --help (fresh process, 10 runs): median {median:.3f} s, "
        f"best {min(walls[1:]):.3f} s, load {os.getloadavg()[0]:.1f}"
    )
