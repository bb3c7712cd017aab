"""A passport exported for a lower access level imports for what it holds: the required fields
it withholds are reported as missing; any other schema problem still refuses the file."""

from __future__ import annotations

import copy

import pytest

from cellwright.app.cli import main
from cellwright.projects.model import InputError
from cellwright.projects.passport.batteries import add_battery
from cellwright.projects.passport.compile import compile_passport
from cellwright.projects.passport.exchange import (
    export_passport,
    import_passport_file,
    validate_file,
)
from cellwright.projects.store import Project
from support.passports import complete_battery, write_json

MISSING = "(required by the schema; not in this file)"


def _public_catenax(tmp_path):
    with Project.create(tmp_path / "source.cwproj") as project:
        serial = complete_battery(project)
        document, _ = export_passport(compile_passport(project, serial), "public", "catena-x")
    return document


def test_a_public_catenax_export_imports_with_its_withheld_fields_missing(tmp_path, capsys):
    path = write_json(tmp_path, _public_catenax(tmp_path), "public.json")
    _, problems = validate_file(path)
    assert problems and all(p.missing for p in problems)
    with Project.create(tmp_path / "p.cwproj") as project:
        add_battery(project, "B1")
    p = ["--project", str(tmp_path / "p.cwproj")]
    assert main(["passport", "import", "B1", str(path), *p]) == 0
    out = capsys.readouterr().out
    assert f"missing: /performance/dynamic {MISSING}" in out
    assert f"missing: /materials/composition {MISSING}" in out
    assert "required field(s) missing" in out.splitlines()[-1]
    with Project.open(tmp_path / "p.cwproj") as project:
        passport = compile_passport(project, "B1")
    assert passport.values["rated_capacity"].source == "import"
    assert "remaining_capacity" not in passport.values
    assert main(["passport", "validate", str(path)]) != 0  # validation stays strict


def test_a_catenax_file_missing_a_field_of_a_list_element_names_its_index(catenax, tmp_path):
    document = copy.deepcopy(catenax)
    del document["materials"]["composition"][0]["unit"]
    path = write_json(tmp_path, document)
    with Project.create(tmp_path / "p.cwproj") as project:
        add_battery(project, "B1")
        imported = import_passport_file(project, "B1", path)
    assert imported.missing == ["/materials/composition[0]/unit"]


def test_any_other_schema_problem_still_refuses_the_import(catenax, tmp_path):
    document = copy.deepcopy(catenax)
    del document["performance"]["dynamic"]
    document["performance"]["rated"]["capacity"]["value"] = "four"  # wrong type
    path = write_json(tmp_path, document)
    with Project.create(tmp_path / "p.cwproj") as project:
        add_battery(project, "B1")
        with pytest.raises(InputError, match="'four' is not of type 'number'"):
            import_passport_file(project, "B1", path)
        assert "rated_capacity" not in compile_passport(project, "B1").values


def test_a_bare_battery_pass_aspect_missing_a_required_field_imports(tmp_path):
    with Project.create(tmp_path / "source.cwproj") as project:
        serial = complete_battery(project)
        document, _ = export_passport(compile_passport(project, serial), "authority")
    urn = next(u for u in document["aspects"] if "Performance" in u)
    aspect = document["aspects"][urn]
    del aspect["batteryTechicalProperties"]["ratedCapacity"]
    path = write_json(tmp_path, aspect)
    with Project.create(tmp_path / "p.cwproj") as project:
        add_battery(project, "B1")
        imported = import_passport_file(project, "B1", path)
        values = compile_passport(project, "B1").values
    assert imported.missing == ["/batteryTechicalProperties/ratedCapacity"]
    assert values["rated_energy"].source == "import"
