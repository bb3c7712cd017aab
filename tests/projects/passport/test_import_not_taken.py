"""An import says which values of the file it did not take, by path and why: none silently."""

from __future__ import annotations

import json

import pytest

from cellwright.app.cli import main
from cellwright.projects.passport.batteries import add_battery
from cellwright.projects.passport.exchange import import_passport_file
from cellwright.projects.store import Project
from support.passports import write_json

PERFORMANCE = "io.BatteryPass.Performance__1.2.1__PerformanceAndDurability-payload.json"
GENERAL = "io.BatteryPass.GeneralProductInformation__1.2.0__GeneralProductInformation-payload.json"


@pytest.fixture
def passport_dir(fixtures_dir):
    return fixtures_dir / "passport"


def _import(tmp_path, path):
    with Project.create(tmp_path / "p.cwproj") as project:
        add_battery(project, "B1")
        return import_passport_file(project, "B1", path)


def test_the_files_own_identifiers_are_listed_not_taken(passport_dir, tmp_path):
    imported = _import(tmp_path, passport_dir / "batterypass_v1.2.0" / GENERAL)
    assert imported.skipped == [
        ("/batteryPassportIdentifier", "the battery keeps its own passport identifier"),
        ("/productIdentifier", "the battery keeps its own serial number"),
    ]
    assert imported.attributes == 9


def test_a_value_no_attribute_takes_is_listed_with_its_path(passport_dir, tmp_path):
    imported = _import(tmp_path, passport_dir / "batterypass_v1.2.0" / PERFORMANCE)
    # the times beside dynamic values are taken with them (they were listed as not kept)
    assert imported.skipped == [("/batteryTechicalProperties/cRate", "no attribute takes it")]


def test_a_dynamic_values_time_is_kept_and_exported_back(passport_dir, tmp_path):
    from cellwright.projects.passport.compile import compile_passport
    from cellwright.projects.passport.exchange import export_passport

    path = passport_dir / "batterypass_v1.2.0" / PERFORMANCE
    payload = json.loads(path.read_text(encoding="utf-8"))
    times = {
        k: v["lastUpdate"] for k, v in payload["batteryCondition"].items() if "lastUpdate" in v
    }
    assert times
    with Project.create(tmp_path / "p.cwproj") as project:
        add_battery(project, "B1")
        import_passport_file(project, "B1", path)
        # every export wrote its own time: a state of charge measured then was dated now
        document, _ = export_passport(compile_passport(project, "B1"), "authority")
    (exported,) = [v for k, v in document["aspects"].items() if "Performance" in k]
    condition = exported["batteryCondition"]
    assert {k: condition[k]["lastUpdate"] for k in times} == times


def test_catenax_lists_only_what_the_passport_owns_itself(catenax, tmp_path):
    document = catenax
    document["specVersion"] = "urn:io.catenax.battery.battery_pass:6.0.0"
    # a second total (the one the attribute takes) cannot be kept apart from the first
    footprints = document["sustainability"]["carbonFootprint"]
    footprints += [dict(footprints[0], lifecycle="total"), dict(footprints[0], lifecycle="total")]
    imported = _import(tmp_path, write_json(tmp_path, document, "in.json"))
    assert [path for path, _ in imported.skipped] == [
        "/sustainability/carbonFootprint[2]",
        "/specVersion",
        "/metadata/version",
        "/metadata/passportIdentifier",
        "/identification/identification/serial[key=partInstanceId]/value",
    ]
    assert imported.attributes > 40 and imported.catenax > 50


def test_passport_import_prints_each_value_not_taken(passport_dir, tmp_path, capsys):
    project = tmp_path / "p.cwproj"
    assert main(["new", str(project)]) == 0
    assert main(["battery", "add", "B1", "-p", str(project)]) == 0
    capsys.readouterr()
    path = passport_dir / "batterypass_v1.2.0" / GENERAL
    assert main(["passport", "import", "B1", str(path), "-p", str(project)]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "not taken: /batteryPassportIdentifier: the battery keeps its own passport identifier",
        "not taken: /productIdentifier: the battery keeps its own serial number",
        "imported 9 attribute(s) into the passport of B1; 2 value(s) not taken",
    ]


def test_an_export_documents_values_are_listed_by_their_path_in_it(passport_dir, tmp_path):
    from cellwright.projects.passport.schemas import aspect_urn

    payload = json.loads((passport_dir / "batterypass_v1.2.0" / GENERAL).read_text())
    urn = aspect_urn("GeneralProductInformation")
    document = {"format": "cellwright.battery-pass-export/1", "aspects": {urn: payload}}
    imported = _import(tmp_path, write_json(tmp_path, document, "in.json"))
    assert [path for path, _ in imported.skipped] == [
        f"/aspects/{urn}/batteryPassportIdentifier",
        f"/aspects/{urn}/productIdentifier",
    ]
