"""A test process that crashes leaves its stacks at the end of the run's output
(tests/support/crash_stacks.py), where CI's excerpt of it shows them."""

from __future__ import annotations

import os
import subprocess
import sys

from support.paths import ROOT


def test_a_crashed_workers_stacks_are_printed_at_the_end(tmp_path) -> None:
    (tmp_path / "test_crashing.py").write_text(
        "import faulthandler\n\n"
        "def test_fine():\n    pass\n\n"
        "def test_segfaults_here():\n    faulthandler._sigsegv()\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT / "tests")}
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-p",
            "support.crash_stacks",
            "-p",
            "no:cacheprovider",
            "-n",
            "1",
            "-q",
            "--rootdir",
            str(tmp_path),
            "-c",
            os.devnull,
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        timeout=120,
    )
    assert run.returncode == 1, run.stdout + run.stderr
    summary = run.stdout[run.stdout.index("short test summary") :]
    crash = run.stdout[run.stdout.index("stacks of a crashed test process") :]
    assert "Segmentation fault" in crash and "test_segfaults_here" in crash
    assert "pluggy" not in crash  # the runner's own frames are left out
    assert "1 failed, 1 passed" in summary
