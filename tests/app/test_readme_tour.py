"""The README's short tour works as written: every `cellwright` line of it runs, in order, in a
fresh folder (the window is left out; the lab-data lines need ../shared)."""

from __future__ import annotations

import re
import shlex

import pytest

from cellwright.app.cli import main
from support.paths import FIXTURES, ROOT


def _tour_lines() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    tour = readme[readme.index("## A short tour") :]
    block = re.search(r"```\n(.*?)```", tour, re.S).group(1)
    return [line for line in block.splitlines() if line.startswith(".venv/bin/cellwright ")]


def test_the_readme_tour_runs(tmp_path, monkeypatch, capsys) -> None:
    monkeypatch.chdir(tmp_path)
    lines = _tour_lines()
    assert len(lines) >= 10
    for line in lines:
        command = line.split("#")[0].replace(".venv/bin/cellwright ", "", 1)
        command = command.replace("resources/", f"{ROOT / 'resources'}/")
        command = command.replace("../shared/fixtures", str(FIXTURES))
        args = shlex.split(command)
        if args[0] == "gui" or (str(FIXTURES) in command and not FIXTURES.is_dir()):
            continue
        status = main(args)
        assert status == 0, f"{line}: {capsys.readouterr().err}"
    assert (tmp_path / "pack.toml").is_file() and (tmp_path / "results" / "series.csv").is_file()


@pytest.mark.parametrize("doc", ["docs/tour.md"])
def test_the_window_tour_is_the_help_page(doc) -> None:
    from cellwright.resources import ROOT as RESOURCES

    assert (ROOT / doc).read_text() == (RESOURCES / "help" / "tour.md").read_text()
