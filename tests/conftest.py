"""Fixtures for the whole test run (plain helpers live in tests/support)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

try:
    import fcntl
except ImportError:  # Windows: every worker builds its own example
    fcntl = None

from support.paths import FIXTURES, ROOT

os.environ.setdefault("PYBAMM_DISABLE_TELEMETRY", "true")


@pytest.fixture(scope="session")
def fixtures_dir() -> Path:
    """../shared/fixtures, or skip with the reason when it is absent."""
    if not FIXTURES.is_dir():
        pytest.skip(f"shared fixtures not found at {FIXTURES} (clone ../shared beside the repo)")
    return FIXTURES


@pytest.fixture(scope="session")
def library():
    """The built-in library, loaded once for the whole test run."""
    from cellwright.projects.library import Library

    return Library.load_builtin()


#: the example's build (every engine, the squeeze to its short and the runaway it starts: ~8
#: minutes on a loaded two-core machine) counts against the first test that asks for it
EXAMPLE_BUILD_TIMEOUT = 1500


def pytest_collection_modifyitems(items) -> None:
    """Tests that need the example (or build it themselves) get the build's time budget."""
    for item in items:
        builds = "example_project" in getattr(item, "fixturenames", ())
        if (builds or item.get_closest_marker("builds_example")) and not item.get_closest_marker(
            "timeout"
        ):
            item.add_marker(pytest.mark.timeout(EXAMPLE_BUILD_TIMEOUT))


@pytest.fixture(scope="session")
def example_project(tmp_path_factory, worker_id) -> Path:
    """The example project, built by the real engines once per test run (~6 min).

    The xdist workers share one build through a lock on a file in their common temporary
    folder (the pattern of pytest-xdist's docs; xdist_group marks do not group tests under
    pytest 9.2 with xdist 3.8, whose worker still writes the group into ``item._nodeid``),
    and each worker gets its own copy, so no test sees another's writes.  A worker that needs
    the example while the other builds it waits for that build instead of running a second.
    """
    from cellwright.app.example_project import build

    own = tmp_path_factory.mktemp("example") / "example.cwproj"
    if worker_id == "master" or fcntl is None:
        return build(own)
    shared = tmp_path_factory.getbasetemp().parent / "example-shared"
    shared.mkdir(exist_ok=True)
    built = shared / "example.cwproj"
    with open(shared / "build.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        if not built.exists():
            build(built)  # written under another name and renamed when complete
    shutil.copy(built, own)
    return own


@pytest.fixture(scope="session")
def plugin_site(tmp_path_factory) -> Path:
    """tests/plugin_engine installed with pip into a folder of its own."""
    target = tmp_path_factory.mktemp("plugin-site")
    # built from a copy: setuptools leaves a build/ folder beside the sources it builds
    source = shutil.copytree(ROOT / "tests" / "plugin_engine", target.with_name("plugin-src"))
    proc = subprocess.run(
        [
            sys.executable, "-m", "pip", "install", "--quiet", "--no-deps",
            "--no-build-isolation", "--no-index", "--target", str(target), str(source),
        ],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return target
