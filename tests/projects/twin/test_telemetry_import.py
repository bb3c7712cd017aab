"""BMS telemetry import: formats, units, idempotence, atomicity and clear errors on bad input."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import numpy as np
import pytest

from cellwright.projects.model import InputError
from cellwright.projects.passport.batteries import add_battery
from cellwright.projects.passport.telemetry import import_telemetry, load_telemetry
from cellwright.projects.store import Project
from support.twin import START, telemetry_columns, write_csv


@pytest.fixture
def project(tmp_path):
    with Project.create(tmp_path / "t.cwproj") as p:
        add_battery(p, "CELL-1")
        yield p


def _stored(project) -> tuple[int, int]:
    arrays = project._db.execute("SELECT count(*) FROM arrays").fetchone()[0]
    return arrays, len(project.events())


def test_csv_is_stored_in_si_and_chained(project, tmp_path):
    cols = telemetry_columns()
    report = import_telemetry(project, write_csv(tmp_path / "a.csv", cols), "CELL-1")
    assert report.rows == 600
    data = load_telemetry(project, "CELL-1")
    np.testing.assert_allclose(data["time"], cols["time"])
    np.testing.assert_allclose(data["current"], cols["current"], rtol=1e-6)
    np.testing.assert_allclose(data["temperature"], cols["temperature"] + 273.15, rtol=1e-6)
    np.testing.assert_allclose(data["soc"], cols["soc"] / 100, rtol=1e-6)
    assert project.verify_history() == []
    event = project.events()[-1]
    assert event.kind == "telemetry"
    assert event.payload["summary"]["capacity_throughput_ah"] == pytest.approx(2 * 599 / 3600, 0.01)


def test_the_same_file_twice_adds_nothing(project, tmp_path):
    path = write_csv(tmp_path / "a.csv", telemetry_columns())
    import_telemetry(project, path, "CELL-1")
    before = _stored(project)
    assert import_telemetry(project, path, "CELL-1").skipped.startswith("already imported")
    assert _stored(project) == before


def test_overlapping_time_span_is_refused(project, tmp_path):
    import_telemetry(project, write_csv(tmp_path / "a.csv", telemetry_columns()), "CELL-1")
    shifted = telemetry_columns(start=START + 300, seed=1)
    with pytest.raises(InputError, match=r"overlaps telemetry already imported from a\.csv"):
        import_telemetry(project, write_csv(tmp_path / "b.csv", shifted), "CELL-1")


def test_json_records_with_iso_times_and_parquet(project, tmp_path):
    import polars as pl

    cols = telemetry_columns(n=50)
    stamps = [f"2024-01-01T00:{i // 60:02d}:{i % 60:02d}Z" for i in range(50)]
    records = [
        {"timestamp": stamps[i], "current": cols["current"][i], "voltage": cols["voltage"][i]}
        for i in range(50)
    ]
    (tmp_path / "r.json").write_text(json.dumps(records), encoding="utf-8")
    assert import_telemetry(project, tmp_path / "r.json", "CELL-1").rows == 50
    frame = pl.DataFrame(
        {
            "Time [s]": cols["time"] + 1e6,
            "Current [mA]": cols["current"] * 1e3,
            "Voltage [V]": cols["voltage"],
            "Temperature [K]": cols["temperature"] + 273.15,
        }
    )
    frame.write_parquet(tmp_path / "p.parquet")
    assert import_telemetry(project, tmp_path / "p.parquet", "CELL-1").rows == 50
    data = load_telemetry(project, "CELL-1")
    np.testing.assert_allclose(data["current"][:50], cols["current"], rtol=1e-5)
    np.testing.assert_allclose(data["temperature"][:50], cols["temperature"] + 273.15, rtol=1e-6)


def _bad(tmp_path, **changes):
    cols = telemetry_columns(n=100)
    header = None
    for key, value in changes.items():
        if key == "header":
            header = value
        else:
            cols[key] = value(cols[key]) if callable(value) else value
    return write_csv(tmp_path / "bad.csv", cols, header)


def _dup(t):
    t = t.copy()
    t[41] = t[40]
    return t


def _back(t):
    t = t.copy()
    t[41] = t[40] - 5
    return t


def _gap(t):
    t = t.copy()
    t[60:] += 7200
    return t


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"time": _dup}, r"line 43: time duplicated"),
        ({"time": _back}, r"line 43: time goes backwards"),
        ({"time": _gap}, r"line 61–line 62: a gap of 2:00:01 without samples"),
        ({"current": lambda c: c * 1000}, r"column 'Current \[A\]'.*in mA\?"),
        ({"temperature": lambda t: t + 273.15}, r"column 'Temperature \[degC\]'.*implausible"),
        ({"voltage": lambda v: v * 1000}, r"column 'Voltage \[V\]'.*in mV\?"),
        (
            {"header": {"time": "Time [s]", "current": "Current [A]", "temperature": "T [degC]"}},
            r"no voltage column",
        ),
        (
            {
                "header": {
                    "time": "Time [fortnights]",
                    "current": "Current [A]",
                    "voltage": "Voltage [V]",
                }
            },
            r"unit 'fortnights'",
        ),
    ],
)
def test_bad_telemetry_names_file_row_and_column_and_stores_nothing(
    project, tmp_path, changes, message
):
    path = _bad(tmp_path, **changes)
    before = _stored(project)
    with pytest.raises(InputError, match=message) as err:
        import_telemetry(project, path, "CELL-1")
    assert err.value.where == str(path)
    assert _stored(project) == before


def test_kelvin_without_a_unit_is_caught(project, tmp_path):
    cols = telemetry_columns(n=20)
    cols["temperature"] = cols["temperature"] + 273.15
    header = {"time": "time", "current": "current", "voltage": "voltage", "temperature": "temp"}
    with pytest.raises(InputError, match=r"line 2, column 'temp'.*in kelvin\?"):
        import_telemetry(project, write_csv(tmp_path / "k.csv", cols, header), "CELL-1")


def test_empty_value_is_named(project, tmp_path):
    path = write_csv(tmp_path / "e.csv", telemetry_columns(n=20))
    lines = path.read_text().splitlines()
    fields = lines[5].split(",")
    fields[2] = ""
    lines[5] = ",".join(fields)
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(InputError, match=r"line 6, column 'Voltage \[V\]': empty"):
        import_telemetry(project, path, "CELL-1")


def test_unknown_serial_is_named(project, tmp_path):
    with pytest.raises(InputError, match="no battery with serial 'CELL-9'"):
        import_telemetry(project, write_csv(tmp_path / "a.csv", telemetry_columns()), "CELL-9")


def test_arbin_bench_log_with_a_mapping(project, fixtures_dir):
    path = fixtures_dir / "aging" / "arbin_bench_log.csv"
    mapping = {
        "time": "Test_Time",
        "current": "Current",
        "voltage": "Voltage",
        "temperature": "Temperature",
        "time_origin": "2017-07-02T02:39:13Z",
    }
    report = import_telemetry(project, path, "CELL-1", mapping)
    assert report.rows == 2142
    data = load_telemetry(project, "CELL-1")
    assert data["voltage"].min() >= 1.99 and data["voltage"].max() <= 3.61
    assert np.abs(data["current"]).max() == pytest.approx(6.6, abs=0.2)


def _text_table(cols: dict, separator: str, decimal: str) -> str:
    names = ["Time [s]", "Current [A]", "Voltage [V]", "Temperature [degC]", "SOC [%]"]
    keys = ["time", "current", "voltage", "temperature", "soc"]
    rows = [separator.join(names)]
    for i in range(len(cols["time"])):
        rows.append(separator.join(f"{cols[k][i]:.6f}".replace(".", decimal) for k in keys))
    return "\r\n".join(rows) + "\r\n"


@pytest.mark.parametrize(
    ("separator", "decimal", "encoding"),
    [(";", ",", "utf-8-sig"), ("\t", ".", "utf-8"), ("\t", ",", "utf-16"), (",", ".", "utf-16")],
)
def test_csv_dialects_of_bms_loggers(project, tmp_path, separator, decimal, encoding):
    cols = telemetry_columns(n=50)
    path = tmp_path / "log.csv"
    path.write_bytes(_text_table(cols, separator, decimal).encode(encoding))
    assert import_telemetry(project, path, "CELL-1").rows == 50
    data = load_telemetry(project, "CELL-1")
    np.testing.assert_allclose(data["current"], cols["current"], atol=1e-5)
    np.testing.assert_allclose(data["voltage"], cols["voltage"], atol=1e-5)


def test_a_time_that_is_not_iso_8601_is_named_by_line(project, tmp_path):
    path = tmp_path / "t.csv"
    path.write_text(
        "time,current,voltage\n2024-01-01T00:00:00Z,1,3.5\n2024-01-01T00:00:10Z,1,3.5\n"
        "2024-01-01T00:00:"
    )
    with pytest.raises(InputError, match=r"line 4, column 'time': '2024-01-01T00:00:' is not an"):
        import_telemetry(project, path, "CELL-1")


@pytest.mark.parametrize("scale", [1e3, 1e6, 1e9])
def test_epoch_milli_micro_and_nanoseconds_without_a_unit(project, tmp_path, scale):
    cols = telemetry_columns(n=50)
    cols["time"] = np.round(cols["time"] * scale)
    header = {"time": "timestamp", "current": "Current [A]", "voltage": "Voltage [V]"}
    import_telemetry(project, write_csv(tmp_path / "ms.csv", cols, header), "CELL-1")
    np.testing.assert_allclose(load_telemetry(project, "CELL-1")["time"], START + np.arange(50))


def test_excel_serial_days(project, tmp_path):
    cols = telemetry_columns(n=50)
    cols["time"] = cols["time"] / 86400 + 25569  # days since 1899-12-30
    header = {"time": "Time", "current": "Current [A]", "voltage": "Voltage [V]"}
    path = write_csv(tmp_path / "x.csv", cols, header)
    with pytest.raises(InputError, match=r"Excel serial days: \"units\": \{\"time\": \"d\"\}"):
        import_telemetry(project, path, "CELL-1")
    mapping = {"units": {"time": "d"}, "time_origin": "1899-12-30T00:00:00Z"}
    import_telemetry(project, path, "CELL-1", mapping)
    times = load_telemetry(project, "CELL-1")["time"]
    np.testing.assert_allclose(times, START + np.arange(50), atol=1e-3)


def test_fahrenheit_is_read_when_declared_and_caught_when_not(project, tmp_path):
    cols = telemetry_columns(n=50)
    cols["temperature"] = cols["temperature"] * 9 / 5 + 32
    header = {"time": "Time [s]", "current": "Current [A]", "voltage": "Voltage [V]"}
    with pytest.raises(InputError, match=r"column 'temp': median 77\.\d read as °C.*in °F\?"):
        import_telemetry(
            project, write_csv(tmp_path / "f.csv", cols, header | {"temperature": "temp"}), "CELL-1"
        )
    path = write_csv(tmp_path / "g.csv", cols, header | {"temperature": "Temperature [°F]"})
    import_telemetry(project, path, "CELL-1")
    stored = load_telemetry(project, "CELL-1")["temperature"]
    np.testing.assert_allclose(stored, (cols["temperature"] - 32) * 5 / 9 + 273.15, rtol=1e-6)


def test_discharge_positive_current_is_caught_by_the_soc(project, tmp_path):
    cols = telemetry_columns(n=600)
    cols["current"] = -cols["current"]  # > 0 on discharge while SOC falls
    path = write_csv(tmp_path / "d.csv", cols)
    with pytest.raises(InputError, match=r"current > 0 on discharge\? give \"current_sign\": -1"):
        import_telemetry(project, path, "CELL-1")
    import_telemetry(project, path, "CELL-1", {"current_sign": -1})
    np.testing.assert_allclose(load_telemetry(project, "CELL-1")["current"], -cols["current"])


def test_milliamperes_without_a_unit_are_caught_by_the_soc(project, tmp_path):
    cols = telemetry_columns(n=600)  # SOC falls 10 % in 600 s
    cols["current"] = cols["current"] * 600  # -1.2 A as mA: below the per-row limit
    header = {"time": "Time [s]", "current": "Current", "voltage": "Voltage [V]", "soc": "SOC [%]"}
    with pytest.raises(InputError, match=r"column 'Current': .* capacity of [\d,]+ A\.h.*in mA\?"):
        import_telemetry(project, write_csv(tmp_path / "m.csv", cols, header), "CELL-1")


def _pulses(steps: int) -> dict:
    """No SOC column: rest and 2 A loads in turn, the voltage V = OCV + I R0 (> 0 charging)."""
    n = 40 * steps
    rng = np.random.default_rng(3)
    load = np.where((np.arange(n) // 40) % 2 == 1, -2.0, 0.0)  # rest, discharge, rest, ...
    load[(np.arange(n) // 40) % 4 == 3] = 2.0  # every other load charges
    current = load + 0.01 * rng.standard_normal(n)
    ocv = 3.7 - 0.1 * np.arange(n) / n
    voltage = ocv + 0.03 * load + 0.002 * rng.standard_normal(n)
    return {"time": START + np.arange(n), "current": current, "voltage": voltage}


def test_discharge_positive_current_is_caught_by_the_voltage_steps(project, tmp_path):
    cols = _pulses(steps=8)
    cols["current"] = -cols["current"]  # the log counts discharge positive
    path = write_csv(tmp_path / "v.csv", cols, {k: f"{k} [{u}]" for k, u in _SI.items()})
    with pytest.raises(InputError, match=r"on 7 of its 7 steps.*\"current_sign\": -1"):
        import_telemetry(project, path, "CELL-1")
    import_telemetry(project, path, "CELL-1", {"current_sign": -1})
    np.testing.assert_allclose(load_telemetry(project, "CELL-1")["current"], -cols["current"])


def test_too_few_current_steps_give_no_verdict_on_the_sign(project, tmp_path):
    cols = _pulses(steps=3)  # two steps: not enough to tell
    cols["current"] = -cols["current"]
    path = write_csv(tmp_path / "v.csv", cols, {k: f"{k} [{u}]" for k, u in _SI.items()})
    assert import_telemetry(project, path, "CELL-1").rows == 120


_SI = {"time": "s", "current": "A", "voltage": "V"}


def _local_log(path, stamps: list[str]):
    rows = [f"{s},-1.0,{3.8 - 0.001 * i:.3f}" for i, s in enumerate(stamps)]
    path.write_text("time,current,voltage\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return path


def test_times_without_a_zone_are_utc_and_said_so_or_local_with_a_time_zone(project, tmp_path):
    stamps = [f"2024-07-01T12:00:{s:02d}" for s in range(0, 60, 10)]
    report = import_telemetry(project, _local_log(tmp_path / "u.csv", stamps), "CELL-1")
    assert report.notes == (
        "times without a zone taken as UTC (set time_zone in the mapping for local times)",
    )
    utc = datetime(2024, 7, 1, 12, tzinfo=UTC).timestamp()
    np.testing.assert_allclose(
        load_telemetry(project, "CELL-1")["time"], utc + np.arange(0, 60, 10)
    )
    later = [s.replace("T12", "T16") for s in stamps]
    path = _local_log(tmp_path / "b.csv", later)
    report = import_telemetry(project, path, "CELL-1", {"time_zone": "Europe/Berlin"})
    assert report.notes == ()
    local = datetime(2024, 7, 1, 14, tzinfo=UTC).timestamp()  # 16:00 CEST is 14:00 UTC
    np.testing.assert_allclose(
        load_telemetry(project, "CELL-1")["time"][6:], local + np.arange(0, 60, 10)
    )


def test_time_zone_fall_back_is_inferred_from_order_and_spring_forward_refused(project, tmp_path):
    fall = [
        f"2024-10-27T0{h}:{m:02d}:00"
        for h, m in ((1, 45), (2, 15), (2, 45), (2, 15), (2, 45), (3, 15))
    ]
    import_telemetry(
        project, _local_log(tmp_path / "f.csv", fall), "CELL-1", {"time_zone": "Europe/Berlin"}
    )
    start = datetime(2024, 10, 26, 23, 45, tzinfo=UTC).timestamp()
    np.testing.assert_allclose(
        load_telemetry(project, "CELL-1")["time"], start + 1800 * np.arange(6)
    )
    spring = ["2024-03-31T01:45:00", "2024-03-31T02:15:00", "2024-03-31T03:15:00"]
    path = _local_log(tmp_path / "s.csv", spring)
    with pytest.raises(
        InputError,
        match=r"line 3, column 'time': 2024-03-31 02:15:00 does not exist in Europe/Berlin",
    ):
        import_telemetry(project, path, "CELL-1", {"time_zone": "Europe/Berlin"})
    with pytest.raises(InputError, match=r"time_zone 'Europe/Bxl' is not an IANA time zone name"):
        import_telemetry(project, path, "CELL-1", {"time_zone": "Europe/Bxl"})
