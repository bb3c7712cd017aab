"""The example project's physical cells: passports, lab runs, telemetry, SOH, RUL, a verified
chain — what issue 18 says the example must show."""

from __future__ import annotations

from cellwright.app.twin_estimates import estimate_battery
from cellwright.projects.passport.batteries import batteries
from cellwright.projects.passport.exchange import export_passport
from cellwright.projects.passport.versions import diff_passports, passport_versions
from cellwright.projects.store import Project


def test_example_cells_have_a_verified_life_and_passports(example_project):
    with Project.open(example_project, readonly=True) as project:
        cells = [b for b in batteries(project) if b.kind == "cell"]
        # beside the twin's two M50 cells, the Enertech cell its parameter fit was measured on
        assert [c.serial for c in cells] == ["EN-1", "M50-0001", "M50-0002"]
        cells = [c for c in cells if c.serial.startswith("M50")]
        assert project.verify_history() == []
        for cell in cells:
            kinds = [e.kind for e in project.events(cell.id)]
            assert kinds.count("labrun") == 3 and kinds.count("telemetry") == 4
            assert kinds.count("estimate") == 1 and kinds.count("passport") == 2
            estimate = next(e for e in project.events(cell.id) if e.kind == "estimate").payload
            assert 0.9 < estimate["soh"] < 1.0 and estimate["rul"]["median"] > 0
            assert estimate["rul"]["low"] < estimate["rul"]["median"] < estimate["rul"]["high"]
            first, second = passport_versions(project, cell.serial)
            changed = {c.key for c in diff_passports(first, second)}
            assert {"remaining_capacity", "full_cycles", "capacity_fade"} <= changed
            for level in ("public", "legitimate-interest", "authority"):
                for kind in ("battery-pass", "catena-x"):
                    _, problems = export_passport(second, level, kind)
                    assert problems == [], (cell.serial, level, kind, problems[:3])
            # estimating again from the same history adds nothing
            report = estimate_battery(project, cell.serial, store=False)
            assert abs(report.capacity / estimate["capacity_ah"] - 1) < 1e-9
