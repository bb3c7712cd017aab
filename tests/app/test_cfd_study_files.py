"""The worked cfd study files of docs/study-file.md run through `cellwright run` as written."""

from __future__ import annotations

import json
import re

import pytest

from cellwright.app.cli import main
from support.paths import ROOT

DOC = ROOT / "docs" / "study-file.md"


def _example(engine: str) -> str:
    blocks = re.findall(r"```toml\n(.*?)```", DOC.read_text(), re.S)
    return next(b for b in blocks if f'engine = "{engine}"' in b)


@pytest.mark.parametrize("engine", ["cfd.network", "cfd.flow2d"])
def test_documented_cfd_examples_run(tmp_path, capsys, engine) -> None:
    study = tmp_path / "study.toml"
    study.write_text(_example(engine), encoding="utf-8")
    out = tmp_path / "out"
    assert main(["run", str(study), "--out", str(out)]) == 0, capsys.readouterr().err
    scalars = json.loads((out / "scalars.json").read_text())
    if engine == "cfd.network":
        s = scalars["scalars"]
        assert 5000 < s["Pressure drop [Pa]"] < 6500
        assert s["Coolant temperature rise [K]"] == pytest.approx(1.3, abs=0.05)
        assert any("Shah & London" in m for m in scalars["provenance"]["methods"])
    else:
        s = scalars["scalars"]
        assert s["Heat carried away by the flow [W]"] == pytest.approx(1.0, rel=1e-6)
        assert s["Energy imbalance [-]"] < 1e-6 and s["Converged [-]"] == 1.0
        assert (out / "domain.pvd").exists()
