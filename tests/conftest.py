"""Fixtures for the whole test run (plain helpers live in tests/support)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

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


@pytest.hookimpl(tryfirst=True)  # before xdist's own hook reads the groups into the node ids
def pytest_collection_modifyitems(config, items) -> None:
    """Every test that uses the example project runs on one xdist worker (``--dist loadgroup``
    in ``make test``), so the ~2 min build happens once per run, not once per worker: the two
    builds were the suite's two slowest set-ups."""
    for item in items:
        if "example_project" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.xdist_group("example"))


@pytest.fixture(scope="session")
def example_project(tmp_path_factory) -> Path:
    """The example project, built once per session (per worker) by the real engines."""
    from cellwright.app.example_project import build

    return build(tmp_path_factory.mktemp("example") / "example.cwproj")


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
