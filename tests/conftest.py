"""Fixtures for the whole test run (plain helpers live in tests/support)."""

from __future__ import annotations

import contextlib
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

#: a crashed worker's stacks, printed at the end of the run
pytest_plugins = ["support.crash_stacks"]


@pytest.fixture(autouse=True)
def _python_gc_on_the_ui_thread(request):
    """As in the window (app/ui_thread_gc.py), a test with Qt objects has Python's cycle
    collector run on the UI thread only. After it, with pytest-qt's widgets closed, their
    deferred deletes are sent and their cycles collected here, on the UI thread: left to the
    next test, a collection started by one of its threads (the library loader, say) would
    destroy them there: the likely cause of a worker's crash in a GUI test in CI."""
    if "qtbot" in request.fixturenames or "qapp" in request.fixturenames:
        from cellwright.app.ui_thread_gc import UiThreadCollector

        UiThreadCollector.install(request.getfixturevalue("qapp"))
    yield
    if "PySide6.QtWidgets" not in sys.modules:  # no Qt in this process: nothing to collect
        return
    from PySide6 import QtCore, QtWidgets

    app = QtWidgets.QApplication.instance()
    if app is not None:
        from cellwright.app.ui_thread_gc import UiThreadCollector

        QtCore.QCoreApplication.sendPostedEvents(None, QtCore.QEvent.Type.DeferredDelete)
        UiThreadCollector.uninstall(app)


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


#: the example's build (every engine, the squeeze to its short and the runaway it starts: ~9
#: minutes on a loaded two-core machine) may count against the first test that needs it
EXAMPLE_BUILD_TIMEOUT = 1500

#: the session's example build, run in a process of its own beside the xdist workers
_BUILD = """
import sys, traceback
from pathlib import Path
target = Path(sys.argv[1])
try:
    from cellwright.app.example_project import build
    build(target)
except BaseException:
    target.with_suffix(".failed").write_text(traceback.format_exc())
    raise
"""


_BUILDS: list[subprocess.Popen] = []  # referenced, so no "still running" warning at exit


def _needs_example(item) -> bool:
    return "example_project" in getattr(item, "fixturenames", ())


@pytest.hookimpl(trylast=True)  # after -k/-m deselection: only the tests that will run count
def pytest_collection_modifyitems(config, items) -> None:
    """Budgets and order for the example's two builds, so no worker sits idle waiting.

    The test that builds the example in the window runs first, so its build overlaps the rest;
    the tests that need the session's example run last, and that example is built from the
    start in a process of its own (:func:`_start_example_build`) while the workers test.
    """
    for item in items:
        if (_needs_example(item) or item.get_closest_marker("builds_example")) and (
            not item.get_closest_marker("timeout")
        ):
            item.add_marker(pytest.mark.timeout(EXAMPLE_BUILD_TIMEOUT))
    items.sort(  # stable: the order within each group stays
        key=lambda i: 0 if i.get_closest_marker("builds_example") else 2 if _needs_example(i) else 1
    )
    if any(map(_needs_example, items)) and os.environ.get("PYTEST_XDIST_WORKER") and fcntl:
        _start_example_build(_shared_dir(config._tmp_path_factory))


def _shared_dir(factory) -> Path:
    """A folder all xdist workers of this run share (beside their own temporary folders)."""
    shared = factory.getbasetemp().parent / "example-shared"
    shared.mkdir(exist_ok=True)
    return shared


def _start_example_build(shared: Path) -> None:
    """Start the session's example build once per run (the first worker to get here)."""
    try:
        os.close(os.open(shared / "started", os.O_CREAT | os.O_EXCL | os.O_WRONLY))
    except FileExistsError:
        return
    # not killed when this worker ends: xdist ends a worker with no tests left while the other
    # may still wait for the build (an interrupted run leaves it to finish on its own)
    with open(shared / "build.log", "w") as log:  # the process keeps its own descriptor
        process = subprocess.Popen(
            [sys.executable, "-X", "faulthandler", "-c", _BUILD, str(shared / "example.cwproj")],
            stdout=log, stderr=subprocess.STDOUT, cwd=ROOT,
        )  # fmt: skip
    (shared / "pid").write_text(str(process.pid))
    _BUILDS.append(process)


def pytest_sessionfinish(session) -> None:
    """Reap the session's example build before this worker's interpreter ends.

    Its tests wait for its file, which it renames into place just before it exits; a worker
    that ended first left the process running in its ``Popen``, whose finaliser then printed
    "ResourceWarning: subprocess … is still running" under the run's last line.
    """
    for process in _BUILDS:
        with contextlib.suppress(subprocess.TimeoutExpired):  # interrupted: it ends on its own
            process.wait(timeout=30)


def _stop_build(shared: Path) -> None:
    """End the session's example build (past its deadline: every test that needs it fails)."""
    import signal

    with contextlib.suppress(OSError, ValueError):
        os.kill(int((shared / "pid").read_text()), signal.SIGKILL)


def _build_alive(shared: Path) -> bool:
    try:
        pid = int((shared / "pid").read_text())
        os.kill(pid, 0)
    except (OSError, ValueError):  # no such process, or the pid not written yet
        return not (shared / "pid").exists()
    # a build that died (a crash, the OOM killer) stays a zombie until the worker that started
    # it reaps it, and kill(pid, 0) still answers for a zombie: every test waited out its budget
    with contextlib.suppress(OSError):
        stat = Path(f"/proc/{pid}/stat").read_text()
        return stat[stat.rindex(")") + 2] != "Z"  # the state follows the parenthesised name
    return True


def _wait_for_build(shared: Path, budget: float = EXAMPLE_BUILD_TIMEOUT) -> None:
    """Wait for the session's example build to put its project in place, or fail the test.

    One deadline for the whole run, counted from the build's start: a deadline per waiting test
    let a stuck build hold each of the tests that need it for the full budget in turn. A build
    past it is stopped and marked failed, so the tests after it fail at once.
    """
    import time

    built, failed = shared / "example.cwproj", shared / "example.failed"
    started = shared / "started"
    deadline = (started.stat().st_mtime if started.exists() else time.time()) + budget
    while not built.exists():  # the build renames its file into place when complete
        if failed.exists():
            pytest.fail(f"the example build failed:\n{failed.read_text()[-4000:]}")
        if not _build_alive(shared) and not built.exists():
            log = (shared / "build.log").read_text()[-4000:]
            pytest.fail(f"the example build ended without its project:\n{log}")
        if time.time() > deadline:
            _stop_build(shared)
            log = (shared / "build.log").read_text()[-4000:]
            failed.write_text(f"not done in {budget:.0f} s, so stopped:\n{log}")
        time.sleep(1.0)


@pytest.fixture(scope="session")
def example_project(tmp_path_factory, worker_id) -> Path:
    """The example project, built by the real engines once per test run (~7 min).

    Under xdist the build runs in a process of its own, started at collection, and the tests
    that need it run last, so the workers test meanwhile instead of waiting; each worker gets
    its own copy, so no test sees another's writes. A plain run builds it here.
    """

    from cellwright.app.example_project import build

    own = tmp_path_factory.mktemp("example") / "example.cwproj"
    if worker_id == "master" or fcntl is None:
        return build(own)
    shared = _shared_dir(tmp_path_factory)
    built = shared / "example.cwproj"
    if not (shared / "started").exists():  # collected without it (a -k selection): build here
        with open(shared / "build.lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
            if not built.exists():
                build(built)  # written under another name and renamed when complete
    _wait_for_build(shared)
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
