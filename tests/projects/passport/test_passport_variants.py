"""Passport files as other tools write them: encodings, nesting, extra fields, versions."""

from __future__ import annotations

import json

import pytest

from cellwright.projects.model import InputError
from cellwright.projects.passport.exchange import validate_file
from cellwright.projects.passport.json_text import MAX_DEPTH, decode_json_bytes


@pytest.fixture
def bp_dir(fixtures_dir):
    return fixtures_dir / "passport" / "batterypass_v1.2.0"


@pytest.fixture
def gpi(bp_dir):
    name = "io.BatteryPass.GeneralProductInformation__1.2.0__GeneralProductInformation-payload.json"
    return json.loads((bp_dir / name).read_text(encoding="utf-8"))


@pytest.mark.parametrize("depth", [MAX_DEPTH + 1, 10_000])
def test_deeply_nested_json_is_refused_not_crashed(depth):
    for data in (b"[" * depth + b"]" * depth, b'{"a":' * depth + b"1" + b"}" * depth):
        with pytest.raises(InputError, match="nested more than"):
            decode_json_bytes(data, "deep.json")


def test_utf16_and_utf32_without_a_bom_are_read():
    for encoding in ("utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"):
        assert decode_json_bytes('{"a": "é"}'.encode(encoding), "x.json") == {"a": "é"}


def test_deep_value_inside_an_aspect_is_refused_by_name(gpi, tmp_path):
    node: object = 1
    for _ in range(MAX_DEPTH):
        node = {"a": node}
    gpi["manufacturerInformation"]["note"] = node
    path = tmp_path / "deep.json"
    path.write_text(json.dumps(gpi), encoding="utf-8")
    with pytest.raises(InputError) as err:
        validate_file(path)
    assert "deep.json" in str(err.value)
