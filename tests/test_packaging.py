"""The installed house: one ``cellwright.*`` namespace, complete package list, plug-ins from
outside.

A third-party engine (tests/plugin_engine) is installed as its own distribution into a folder
of its own and found through the ``cellwright.engines`` entry point by the real CLI, so the
plug-in contract is proven the way a plug-in author's users would meet it.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from support.paths import ROOT

ROOMS = ("app", "engines", "projects", "viewers", "resources")


def _python(code: str, cwd: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", code], cwd=cwd, env=env, capture_output=True, text=True, timeout=120
    )


def test_every_package_folder_is_installed_under_cellwright() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]
    listed = set(config["setuptools"]["packages"])
    on_disk = {
        "cellwright." + init.parent.relative_to(ROOT).as_posix().replace("/", ".")
        for room in ROOMS
        for init in (ROOT / room).rglob("__init__.py")
    }
    assert on_disk == listed, (
        f"not listed: {on_disk - listed}; listed, not on disk: {listed - on_disk}"
    )
    assert config["setuptools"]["package-dir"] == {f"cellwright.{r}": r for r in ROOMS}


def test_no_top_level_room_is_importable_outside_the_checkout(tmp_path) -> None:
    code = (
        "import importlib.util, cellwright.projects, cellwright.engines.api\n"
        f"rooms = {ROOMS!r}\n"
        "print([r for r in rooms if importlib.util.find_spec(r) is not None])\n"
    )
    proc = _python(code, tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "[]"


def test_no_module_imports_a_room_without_the_namespace() -> None:
    import ast

    bare = []
    for room in ROOMS:
        for path in (ROOT / room).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                names = (
                    [a.name for a in node.names]
                    if isinstance(node, ast.Import)
                    else [node.module]
                    if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module
                    else []
                )
                bare += [f"{path}:{node.lineno} {n}" for n in names if n.split(".")[0] in ROOMS]
    assert not bare, bare


def _with_plugin(plugin_site: Path) -> dict:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(plugin_site), env.get("PYTHONPATH", "")])
    return env


def _cli(args: list[str], cwd: Path, env: dict) -> subprocess.CompletedProcess:
    code = f"import sys; from cellwright.app.cli import main; sys.exit(main({args!r}))"
    return _python(code, cwd, env)


def test_a_third_party_engine_is_found_and_runs(plugin_site, tmp_path) -> None:
    env = _with_plugin(plugin_site)
    listed = _cli(["engines"], tmp_path, env)
    assert listed.returncode == 0, listed.stderr
    lines = {line.split()[0]: line for line in listed.stdout.splitlines()}
    assert "RC step response (demo plug-in)" in lines["demo.rc_step"]
    assert "thermal.conduction" in lines  # the built-ins are still there
    study = tmp_path / "rc.toml"
    study.write_text(
        '[study]\nname = "RC"\nengine = "demo.rc_step"\n[design]\nlibrary_cell = "lg-m50"\n'
        "[spec]\nresistance = 2.0\ncapacitance = 0.5\nduration = 3.0\n"
    )
    run = _cli(["run", str(study), "--out", str(tmp_path / "out")], tmp_path, env)
    assert run.returncode == 0, run.stderr
    assert "Time constant [s]" in run.stdout and " 1\n" in run.stdout + "\n"
    series = (tmp_path / "out" / "series.csv").read_text().splitlines()
    t, u = (float(x) for x in series[-1].split(",")[:2])
    assert t == pytest.approx(3.0) and u == pytest.approx(1 - 2.718281828459045**-3, rel=1e-9)


def test_a_broken_plugin_is_listed_with_its_error_and_the_others_work(plugin_site, tmp_path):
    listed = _cli(["engines"], tmp_path, _with_plugin(plugin_site))
    assert listed.returncode == 0, listed.stderr
    broken = next(line for line in listed.stdout.splitlines() if line.startswith("demo.broken"))
    assert "unavailable" in broken and "cellwright-demo-engine" in broken
    assert "No module named 'cellwright_demo_engine_missing_dependency'" in broken
    assert any(line.startswith("electrochem.ecm") for line in listed.stdout.splitlines())
