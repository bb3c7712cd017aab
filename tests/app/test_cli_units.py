"""`cellwright run` prints a result's figures as the window's table and the report show them:
a runaway's peak of 965 °C, not "Maximum temperature [K] 1238.15"; its files keep SI."""

from __future__ import annotations

import pytest

from cellwright.app.cli import main
from cellwright.projects.model import Provenance, Result


@pytest.fixture
def printed(monkeypatch, tmp_path, capsys):
    """What `cellwright run` prints for a runaway-like result (the engine is not run: the
    study file's runner is replaced by one that returns it)."""
    import cellwright.app.run_study as run_study

    result = Result(
        scalars={
            "Maximum temperature [K]": 1238.15,
            "Maximum temperature rise [K]": 12.25,
            "Time to runaway [s]": 1234.56789,
            "Peak force [N]": 20423.4,
            "Runaway [-]": 1.0,
        },
        provenance=Provenance(engine_id="thermal.runaway", engine_version="1", spec_hash=""),
    )
    monkeypatch.setattr(run_study, "run_study_file", lambda *args, **kwargs: result)
    study = tmp_path / "runaway.toml"
    study.write_text("")
    assert main(["run", str(study)]) == 0
    return capsys.readouterr().out.splitlines()


def test_run_prints_temperatures_in_celsius_at_the_windows_precision(printed) -> None:
    rows = {line[:36].strip(): line[36:].strip() for line in printed}
    assert rows == {
        "Maximum temperature [°C]": "965",
        "Maximum temperature rise [K]": "12.25",  # a difference stays in K
        "Time to runaway [s]": "1235",  # 4 figures, not 1234.57
        "Peak force [kN]": "20.42",
        "Runaway": "yes",
    }
