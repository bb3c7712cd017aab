"""The PyInstaller bundle (dist/cellwright, made by `make dist`) works as a user would use it.

Run by `make test-dist` (it builds the bundle first); not part of `make test`, because building
takes about ten minutes. Each test starts the bundled executables in fresh processes: the CLI's
help, the headless example study, the window under the test's X display until its title
appears, and one study of every installed engine family on the example project.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from support.paths import ROOT

pytestmark = pytest.mark.dist

BUNDLE = ROOT / "dist" / "cellwright"

#: one short study per engine family, as a study file body; the design is in the example project
FAMILY_STUDIES = {
    "electrochem": """
        [study]
        name = "bundle: SPM 1C"
        engine = "electrochem.pybamm_discharge"
        [design]
        library_cell = "lg-m50"
        [spec]
        model = "SPM"
        c_rate = 1.0
    """,
    "thermal": """
        [study]
        name = "bundle: cell heating"
        engine = "thermal.conduction"
        [design]
        cell = "lg-m50-entered"
        [spec]
        target = "cell"
        duration = 60.0
        time_step = 20.0
        boundaries = [{ group = "ambient", h = 10.0 }]
        heat = { source = "constant", power = 2.0 }
    """,
    "cfd": """
        [study]
        name = "bundle: plate coolant network"
        engine = "cfd.network"
        [design]
        pack = "module-4s2p-parallel"
        [spec]
        heat_per_cell = 2.0
    """,
    "mechanics": """
        [study]
        name = "bundle: LG M50 modes"
        engine = "mechanics.modal"
        [design]
        library_cell = "lg-m50"
        [spec]
        target = "cell"
        modes = 4
        supports = [{ group = "bottom", kind = "clamped" }]
    """,
}


@pytest.fixture(scope="module")
def bundle() -> Path:
    if not (BUNDLE / "cellwright").is_file():
        pytest.fail(f"{BUNDLE} is not built: run `make dist` (`make test-dist` builds and tests)")
    return BUNDLE


def _run(bundle: Path, *args: str, timeout: float = 600, **kw) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYBAMM_DISABLE_TELEMETRY": "true", **kw.pop("env", {})}
    # a clean environment: nothing of the development venv leaks into the bundle
    env.pop("PYTHONPATH", None)
    env.pop("VIRTUAL_ENV", None)
    return subprocess.run(
        [str(bundle / "cellwright"), *args],
        capture_output=True, text=True, timeout=timeout, env=env, **kw,
    )  # fmt: skip


def test_help_works(bundle) -> None:
    proc = _run(bundle, "--help", timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert "Cellwright: lithium-ion cell and pack engineering" in proc.stdout


def test_bundle_size_is_reported(bundle) -> None:
    size = sum(f.stat().st_size for f in bundle.rglob("*") if f.is_file() and not f.is_symlink())
    print(f"\nbundle size: {size / 2**30:.2f} GiB in {bundle}")
    assert size < 2 * 2**30  # the aim is 1 GiB; past 2 GiB something unneeded came in


def test_headless_example_study_runs(bundle, tmp_path) -> None:
    study = next(bundle.rglob("examples/lg-m50-1c.toml"))
    project = tmp_path / "example.cwproj"
    assert _run(bundle, "new", str(project)).returncode == 0
    proc = _run(bundle, "run", str(study), "--project", str(project), "--out", str(tmp_path / "r"))
    assert proc.returncode == 0, proc.stderr
    assert "Discharge capacity [A.h]" in proc.stdout
    assert (tmp_path / "r" / "series.csv").is_file()


def test_one_study_of_each_engine_family_on_the_example(bundle, example_project, tmp_path):
    listed = _run(bundle, "engines")
    assert listed.returncode == 0, listed.stderr
    ids = [line.split()[0] for line in listed.stdout.splitlines() if line.strip()]
    assert not [line for line in listed.stdout.splitlines() if "unavailable" in line]
    families = sorted({engine_id.split(".")[0] for engine_id in ids})
    assert set(families) <= set(FAMILY_STUDIES), f"add a bundle study for {families}"
    project = Path(shutil.copy(example_project, tmp_path / "example.cwproj"))
    before = len(_run(bundle, "results", str(project)).stdout.splitlines())
    for family in families:
        study = tmp_path / f"{family}.toml"
        study.write_text("\n".join(line.strip() for line in FAMILY_STUDIES[family].splitlines()))
        proc = _run(bundle, "run", str(study), "--project", str(project))
        assert proc.returncode == 0, f"{family}: {proc.stderr}"
    after = len(_run(bundle, "results", str(project)).stdout.splitlines())
    assert after == before + len(families)  # each study's result is stored in the project


def _window_titles() -> str:
    proc = subprocess.run(
        ["xwininfo", "-root", "-tree"], capture_output=True, text=True, timeout=30
    )
    return proc.stdout


@pytest.mark.skipif(not shutil.which("xwininfo"), reason="xwininfo (x11-utils) lists X windows")
def test_window_opens_under_x(bundle, example_project, tmp_path, qapp) -> None:
    # qapp: pytest-xvfb's display is up and DISPLAY points at it
    assert os.environ.get("DISPLAY"), "no X display"
    project = Path(shutil.copy(example_project, tmp_path / "example.cwproj"))
    env = {**os.environ, "PYBAMM_DISABLE_TELEMETRY": "true", "HOME": str(tmp_path)}
    env.pop("PYTHONPATH", None)
    log = tmp_path / "gui.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            [str(bundle / "cellwright-gui"), str(project)], env=env, stdout=out, stderr=out
        )
        try:
            deadline = time.monotonic() + 120
            while "example.cwproj — Cellwright" not in _window_titles():
                assert process.poll() is None, f"the window exited: {log.read_text()}"
                assert time.monotonic() < deadline, "no window 'example.cwproj — Cellwright'"
                time.sleep(0.5)
        finally:
            process.terminate()
            try:
                process.wait(20)
            except subprocess.TimeoutExpired:
                process.kill()
    assert sys.platform.startswith("linux")
