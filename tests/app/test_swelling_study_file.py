"""The worked mechanics.swelling study file of docs/study-file.md runs through `cellwright run`
as written."""

from __future__ import annotations

import csv
import json
import re

import pytest

from cellwright.app.cli import main
from support.paths import ROOT

DOC = ROOT / "docs" / "study-file.md"


def _example() -> str:
    blocks = re.findall(r"```toml\n(.*?)```", DOC.read_text(), re.S)
    return next(b for b in blocks if 'engine = "mechanics.swelling"' in b)


def test_documented_swelling_example_runs(tmp_path, capsys) -> None:
    study = tmp_path / "study.toml"
    study.write_text(_example(), encoding="utf-8")
    out = tmp_path / "out"
    assert main(["run", str(study), "--out", str(out)]) == 0, capsys.readouterr().err
    saved = json.loads((out / "scalars.json").read_text())
    s = saved["scalars"]
    assert s["Maximum end-plate force [N]"] == pytest.approx(1310, rel=0.01)
    assert s["Minimum end-plate force [N]"] == pytest.approx(1000, rel=0.01)
    assert s["Maximum pad strain [-]"] == pytest.approx(0.40, abs=0.005)
    assert s["Reversible thickness change per cell [m]"] == pytest.approx(89e-6, rel=0.01)
    assert s["Electrode pairs through the thickness"] == 48
    assert s["Force at 100 % SOC, end of life [N]"] == pytest.approx(4.1e3, rel=0.02)
    assert s["Exceeds force limit [-]"] == 1.0
    warnings = saved["provenance"]["warnings"]
    assert any("passes the design limit 3000 N from cycle" in w for w in warnings)
    with (out / "series.csv").open() as handle:
        header = next(csv.reader(handle))
    assert {"End-plate force [N]", "Pad strain [-]", "Cell face pressure [Pa]"} <= set(header)


def test_the_run_prints_what_the_engine_assumed_on_stderr(tmp_path, capsys) -> None:
    study = tmp_path / "lf280k.toml"
    study.write_text(
        _example().replace("kokam-slpb-75106100", "eve-lf280k").replace("12", "4", 1),
        encoding="utf-8",
    )
    assert main(["run", str(study)]) == 0
    out, err = capsys.readouterr()
    assert "Maximum end-plate force [kN]" in out and "warning:" not in out
    assert re.search(r"^warning: EVE LF280K: .*estimated from the datasheet", err, re.M)
    assert re.search(r"^warning: over life the force at 100 % SOC passes", err, re.M)
