"""Manufacturing records, life events and lab runs into the history: mapping, atomicity."""

from __future__ import annotations

import json

import pytest

from cellwright.projects.model import InputError
from cellwright.projects.passport.batteries import add_battery, find_battery
from cellwright.projects.passport.records import import_events, import_labrun, import_manufacturing
from cellwright.projects.store import Project


@pytest.fixture
def project(tmp_path):
    with Project.create(tmp_path / "r.cwproj") as p:
        add_battery(p, "A1")
        add_battery(p, "A2")
        yield p


def _events(project, serial):
    return [e for e in project.events(find_battery(project, serial).id)]


def test_manufacturing_csv_with_a_column_mapping(project, tmp_path):
    path = tmp_path / "eol.csv"
    path.write_text(
        "Barcode,Date,Capacity_Ah,ACIR_mOhm\nA1,2024-03-01,5.02,21.5\nA2,2024-03-02,4.98,22.1\n",
        encoding="utf-8",
    )
    mapping = {"serial": "Barcode", "production_date": "Date"}
    report = import_manufacturing(project, path, mapping=mapping)
    assert report.events == 2 and report.batteries == ["A1", "A2"]
    event = _events(project, "A2")[-1]
    assert event.kind == "manufacturing" and event.time.startswith("2024-03-02")
    assert event.payload["Capacity_Ah"] == "4.98"
    assert import_manufacturing(project, path, mapping=mapping).skipped
    assert project.verify_history() == []


def test_manufacturing_row_with_unknown_serial_stores_nothing(project, tmp_path):
    path = tmp_path / "eol.csv"
    path.write_text("serial,capacity\nA1,5.0\nZZ9,4.9\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"eol.csv, line 3: no battery with serial 'ZZ9'"):
        import_manufacturing(project, path)
    assert [e.kind for e in _events(project, "A1")] == ["registered"]


def test_life_events_json_sets_status(project, tmp_path):
    path = tmp_path / "life.json"
    path.write_text(
        json.dumps(
            {
                "events": [
                    {
                        "time": "2025-01-05T10:00:00Z",
                        "kind": "service",
                        "description": "module swap",
                    },
                    {
                        "time": "2026-02-01",
                        "kind": "second-life",
                        "status": "Repurposed",
                        "description": "home storage",
                    },
                ]
            }
        ),
        encoding="utf-16",
    )
    report = import_events(project, path, serial="A1")
    assert report.events == 2
    kinds = [e.kind for e in _events(project, "A1")]
    assert kinds == ["registered", "service", "second_life"]


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ('{"time": "2025-01-05", "kind": "party"}', r"record 1: column 'kind': 'party'"),
        ('{"time": "yesterday", "kind": "service"}', r"'yesterday' is not an ISO 8601"),
        ('{"kind": "service"}', r"column 'time' is empty"),
        # a typo for 2026 made the passport say the battery was waste
        ('{"time": "2062-01-05", "kind": "recycling"}', r"'2062-01-05' is in the future \(now"),
        ('{"time": "2025-01-05", "kind": "second_life", "status": "Reborn"}', r"'Reborn'"),
        (
            '{"time": "2025-01-05", "kind": "recycling", "status": "Reused"}',
            r"record 1: column 'status': 'Reused' is not one of Waste \(the battery status a "
            r"recycling event leaves\)",
        ),
    ],
)
def test_bad_life_events_are_named(project, tmp_path, row, message):
    path = tmp_path / "bad.json"
    path.write_text(f"[{row}]", encoding="utf-8")
    with pytest.raises(InputError, match=message):
        import_events(project, path, serial="A1")
    assert len(_events(project, "A1")) == 1


def test_lab_run_is_linked_and_recorded_once(project, fixtures_dir):
    path = fixtures_dir / "aging" / "arbin_bench_log.csv"
    assert import_labrun(project, path, "A1").events == 1
    assert import_labrun(project, path, "A1").skipped
    (run,) = project.list("labrun")
    assert run.physical_cell == find_battery(project, "A1").id
    event = _events(project, "A1")[-1]
    assert (event.kind, event.payload["run"]) == ("labrun", run.id)


def test_manufacturing_xlsx(project, tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["Serial No", "Built", "Cap [Ah]"])
    sheet.append(["A1", "2024-04-01", 5.01])
    path = tmp_path / "eol.xlsx"
    book.save(path)
    report = import_manufacturing(
        project, path, mapping={"serial": "Serial No", "production_date": "Built"}
    )
    assert report.events == 1
    event = _events(project, "A1")[-1]
    assert event.time.startswith("2024-04-01") and event.payload["Cap [Ah]"] == 5.01


def test_status_is_the_latest_life_event_in_time_not_in_import_order(project, tmp_path):
    from cellwright.projects.passport.compile import compile_passport

    recycled = tmp_path / "recycler.csv"
    recycled.write_text("time,kind,description\n2026-01-01T00:00:00Z,recycling,x\n", "utf-8")
    reused = tmp_path / "fleet.csv"
    # imported after the recycling, but it happened before: +02:00 is 2025-01-01T22:00Z
    reused.write_text(
        "time,kind,description,status\n2025-01-02T00:00:00+02:00,second_life,y,Reused\n", "utf-8"
    )
    import_events(project, recycled, serial="A1")
    import_events(project, reused, serial="A1")
    status = compile_passport(project, "A1").values["battery_status"]
    assert status.value == "Waste" and "recycling event 1" in status.detail


def test_a_later_export_of_the_same_event_log_adds_only_its_new_events(project, tmp_path):
    from cellwright.projects.passport.compile import compile_passport

    first = tmp_path / "log-may.csv"
    first.write_text("time,kind,description\n2026-05-01T10:00:00Z,field,overheat\n", "utf-8")
    later = tmp_path / "log-june.csv"  # the same log again, a serial column and a new event
    later.write_text(
        "serial,time,kind,description\n"
        "A1,2026-05-01T12:00:00+02:00,Field,overheat\n"
        "A1,2026-06-01T10:00:00Z,field,deep discharge\n",
        "utf-8",
    )
    assert import_events(project, first, serial="A1").events == 1
    report = import_events(project, later)
    assert report.events == 1 and "1 event(s) already in the history" in report.notes[0]
    negative = compile_passport(project, "A1").values["negative_events"].value
    assert [e["negativeEvent"] for e in negative] == ["overheat", "deep discharge"]
    again = tmp_path / "log-june-copy.csv"
    again.write_text(later.read_text("utf-8") + "\n", "utf-8")  # other bytes, same events
    assert import_events(project, again).skipped == "every event is already in the history"
    assert project.verify_history() == []


def test_semicolon_and_tab_separated_records_and_events(project, tmp_path):
    # Excel in many locales writes ';': the header came in as one column 'Barcode;Date;…'
    eol = tmp_path / "eol.csv"
    eol.write_text("Barcode;Date;Capacity_Ah\nA1;2024-03-01;5.02\n", encoding="utf-8")
    report = import_manufacturing(
        project, eol, mapping={"serial": "Barcode", "production_date": "Date"}
    )
    assert report.batteries == ["A1"]
    event = _events(project, "A1")[-1]
    assert event.time.startswith("2024-03-01") and event.payload["Capacity_Ah"] == "5.02"
    life = tmp_path / "life.csv"
    life.write_text("time\tkind\tdescription\n2025-01-05\tfield\thot, then cold\n", "utf-8")
    assert import_events(project, life, serial="A2").events == 1
    assert _events(project, "A2")[-1].payload["description"] == "hot, then cold"


def test_a_production_date_in_the_future_is_refused(project, tmp_path):
    path = tmp_path / "eol.csv"
    path.write_text("serial,production_date\nA1,2024-03-01\nA2,2204-03-01\n", encoding="utf-8")
    with pytest.raises(
        InputError,
        match=r"eol.csv, line 3: column 'production_date': "
        r"'2204-03-01' is in the future",
    ):
        import_manufacturing(project, path)
    assert [e.kind for e in _events(project, "A1")] == ["registered"]


def test_events_of_a_file_enter_the_history_in_time_order_whatever_their_offsets(project, tmp_path):
    path = tmp_path / "log.csv"
    path.write_text(
        "time,kind,description\n"
        "2026-05-01T09:00:00Z,field,second\n"
        "2026-05-01T10:00:00+02:00,field,first\n",  # 08:00Z, though it sorts after 09:00Z
        encoding="utf-8",
    )
    import_events(project, path, serial="A1")
    assert [e.payload["description"] for e in _events(project, "A1")[1:]] == ["first", "second"]


def test_negative_events_are_listed_oldest_first_whatever_the_import_order(project, tmp_path):
    from cellwright.projects.passport.compile import compile_passport

    june, may = tmp_path / "june.csv", tmp_path / "may.csv"
    june.write_text("time,kind,description\n2026-06-01T10:00:00Z,field,deep discharge\n", "utf-8")
    may.write_text("time,kind,description\n2026-05-01T10:00:00Z,field,overheat\n", "utf-8")
    import_events(project, june, serial="A1")
    import_events(project, may, serial="A1")  # the older event, imported later
    negative = compile_passport(project, "A1").values["negative_events"].value
    assert [e["negativeEvent"] for e in negative] == ["overheat", "deep discharge"]
