"""The project file survives SIGKILL at random moments: it always opens with its last commit.

A child process writes objects and arrays in a loop, one transaction each, and prints the
counter after each commit returns. The parent kills it at random moments (seeded), then opens
the file, checks its integrity and that it holds at least the last counter the child reported.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import textwrap
import time

import pytest

from cellwright.projects.store import Project

CHILD = textwrap.dedent(
    """
    import sys
    import numpy as np
    from cellwright.projects.model import CellDesign
    from cellwright.projects.store import Project

    path = sys.argv[1]
    project = Project.open(path)
    n = int(project.metadata.get("counter", "0"))
    while True:
        n += 1
        with project.transaction():
            project.put(CellDesign(id=f"c{n % 50}", name=f"cell {n}"))
            project.put_array(f"a{n % 7}", np.full(50_000, float(n)))
            project._set_meta("counter", str(n))
        print(n, flush=True)
    """
)


@pytest.mark.parametrize(
    "kills", [8, pytest.param(20, marks=pytest.mark.slow)]
)  # each kill starts a child that imports Cellwright: ~6 s on a loaded CI machine
def test_survives_sigkill_at_random_moments(tmp_path, kills) -> None:
    path = tmp_path / "kill.cwproj"
    Project.create(path).close()
    rng = random.Random(20261125)
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    for _ in range(kills):
        child = subprocess.Popen(
            [sys.executable, "-c", CHILD, str(path)], stdout=subprocess.PIPE, text=True, env=env
        )
        first = child.stdout.readline()  # the child is writing
        assert first.strip().isdigit()
        time.sleep(rng.uniform(0.0, 0.3))
        child.send_signal(signal.SIGKILL)
        out, _ = child.communicate()
        reported = [int(x) for x in (first + out).split()]
        with Project.open(path) as project:
            assert project._db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            stored = int(project.metadata["counter"])
            assert stored >= reported[-1], (stored, reported[-1])
            # the arrays written in the same transaction as the counter are there too
            key = f"a{stored % 7}"
            assert float(project.get_array(key)[0]) == pytest.approx(stored)
