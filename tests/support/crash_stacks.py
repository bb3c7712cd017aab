"""A pytest plugin: a test process that crashes leaves its threads' stacks where the run's end
shows them.

pytest's faulthandler plugin writes a crashed process's stacks to its stderr, i.e. among the
progress dots at the moment of the crash, and xdist then reports only "worker 'gw1' crashed
while running …". CI keeps the end of the output, so the stacks were lost the one time a worker
crashed (stop 65). Here every process writes them to a file of its own, and the controller
prints the non-empty ones in the terminal summary, after the failures.
"""

from __future__ import annotations

import faulthandler
import os
from pathlib import Path

import pytest

_open_files: list = []  # faulthandler writes to the descriptor: keep the file open


def _folder(config: pytest.Config) -> Path:
    return Path(config.rootpath) / "build" / "test-crashes"


@pytest.hookimpl(trylast=True)  # after pytest's own faulthandler plugin has pointed it at stderr
def pytest_configure(config: pytest.Config) -> None:
    folder = _folder(config)
    folder.mkdir(parents=True, exist_ok=True)
    worker = getattr(config, "workerinput", {}).get("workerid")
    if worker is None:  # the controller (or a run without xdist): start from an empty folder
        for old in folder.glob("*.log"):
            old.unlink()
    stacks = (folder / f"{worker or 'main'}-{os.getpid()}.log").open("w")
    _open_files.append(stacks)
    faulthandler.enable(file=stacks, all_threads=True)


@pytest.hookimpl(tryfirst=True)  # before pytest's faulthandler plugin points it back at stderr
def pytest_unconfigure(config: pytest.Config) -> None:
    faulthandler.disable()
    while _open_files:
        _open_files.pop().close()


#: frames of the test runner itself, the same in every crash: left out of the summary
_RUNNER_FRAMES = ("/pluggy/", "/_pytest/", "/xdist/", "/execnet/", 'File "<string>"')


def condensed(stacks: str) -> str:
    """``stacks`` without the test runner's own frames or the list of extension modules."""
    return "\n".join(
        line
        for line in stacks.splitlines()
        if not any(frame in line for frame in _RUNNER_FRAMES)
        and not line.startswith("Extension modules:")
    )


def pytest_terminal_summary(terminalreporter, config: pytest.Config) -> None:
    if hasattr(config, "workerinput"):
        return
    for log in sorted(_folder(config).glob("*.log")):
        text = log.read_text(errors="replace").strip()
        if text:
            name = f"stacks of a crashed test process ({log.relative_to(config.rootpath)})"
            terminalreporter.section(name, sep="=")
            terminalreporter.write_line(condensed(text))
