"""Start-up time of `cellwright --help` (goal: instant; heavy imports are lazy)."""

from __future__ import annotations

import subprocess
import sys

import pytest

pytestmark = pytest.mark.bench


def test_cli_help_startup(benchmark) -> None:
    cmd = [
        sys.executable,
        "-c",
        "import sys; from cellwright.app.cli import main; sys.exit(main(['--help']))",
    ]
    benchmark.pedantic(
        subprocess.run,
        args=(cmd,),
        kwargs={"capture_output": True, "check": True},
        rounds=10,
        warmup_rounds=1,
    )
