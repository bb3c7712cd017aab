"""Issued passport versions: stored, chained into the history, compared in words; the QR code."""

from __future__ import annotations

import hashlib

import pytest

from cellwright.projects.passport.batteries import find_battery
from cellwright.projects.passport.compile import set_user_values
from cellwright.projects.passport.qr import passport_qr
from cellwright.projects.passport.versions import (
    diff_passports,
    issue_passport,
    passport_version,
    passport_versions,
)
from cellwright.projects.store import Project
from cellwright.projects.store.history import canonical_json
from support.passports import complete_battery


def test_versions_are_chained_and_diffed(tmp_path):
    with Project.create(tmp_path / "p.cwproj") as project:
        serial = complete_battery(project)
        first = issue_passport(project, serial)
        set_user_values(project, serial, {"carbon_footprint": 70.1, "battery_status": "Reused"})
        second = issue_passport(project, serial)
        assert [p.version for p in passport_versions(project, serial)] == [1, 2]
        assert passport_version(project, serial).version == 2
        events = [
            e for e in project.events(find_battery(project, serial).id) if e.kind == "passport"
        ]
        assert project.verify_history() == []
    digest = hashlib.sha256(canonical_json(second.model_dump(mode="json")).encode()).hexdigest()
    assert events[-1].payload["sha256"] == digest
    assert second.chain_head == events[0].hash  # issued right after the first passport event
    lines = [str(c) for c in diff_passports(first, second)]
    assert "~ Battery status: Original -> Reused  [user]" in lines
    assert any(
        line.startswith("~ Battery carbon footprint per Functional Unit: 72.5 -> 70.1")
        for line in lines
    )
    assert len(lines) == 2


def test_an_edited_version_is_not_exported_or_compared_as_issued(tmp_path):
    import sqlite3

    from cellwright.projects.model import InputError

    path = tmp_path / "p.cwproj"
    with Project.create(path) as project:
        serial = complete_battery(project)
        issue_passport(project, serial)
        issue_passport(project, serial)
    db = sqlite3.connect(path)
    (text,) = db.execute("SELECT json FROM passport_versions WHERE version = 1").fetchone()
    db.execute(
        "UPDATE passport_versions SET json = ? WHERE version = 1",
        (text.replace('"value":5.0,', '"value":6.0,', 1),),
    )
    db.commit()
    db.close()
    with Project.open(path, readonly=True) as project:
        assert passport_version(project, serial, 2).version == 2
        # it was exported as version 1, rated 6 A.h, "valid"
        with pytest.raises(InputError, match="version 1 of 'SN-001' is not the one issued"):
            passport_version(project, serial, 1)


def test_qr_code_is_written(tmp_path):
    svg = passport_qr("urn:cellwright:abc123", tmp_path / "qr.svg")
    assert svg.read_text().startswith("<?xml")
    png = passport_qr("urn:cellwright:abc123", tmp_path / "qr.png", resolver="https://dpp.example/")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize("suffix", [".txt", ".eps", ".pdf"])
def test_every_qr_format_offered_is_written(tmp_path, suffix):
    """.txt was offered but failed inside segno (its text writer takes no scale)."""
    path = passport_qr("urn:cellwright:abc123", tmp_path / f"qr{suffix}")
    assert path.stat().st_size > 0
