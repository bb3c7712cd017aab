"""Durations and wall clocks of large columns are converted by polars; the result must be the
one pandas gives on the same cells, valid or not."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from cellwright.projects.labdata import LabDataError, _parse


def _both(monkeypatch, func, *args):
    fast = func(*args)
    monkeypatch.setattr(_parse, "POLARS_ROWS", 10**12)
    return fast, func(*args)


def test_durations_by_polars_equal_pandas_cell_by_cell(monkeypatch):
    rng = np.random.default_rng(7)
    n = _parse.POLARS_ROWS + 500
    seconds = rng.uniform(0, 400 * 3600, n)
    cells = []
    for k, value in enumerate(seconds):
        h, rest = divmod(value, 3600)
        m, sec = divmod(rest, 60)
        layout = k % 5
        if layout == 0:
            cells.append(f"{int(h)}:{int(m):02d}:{sec:06.3f}")  # PEC: hh:mm:ss.xxx past 99 h
        elif layout == 1:
            d, hh = divmod(int(h), 24)
            cells.append(f"{d}d {hh:02d}:{int(m):02d}:{sec:.8f}")  # Maccor: 0d 00:00:5.05
        elif layout == 2:
            d, hh = divmod(int(h), 24)
            cells.append(f"{d}-{hh:02d}:{int(m):02d}:{int(sec):02d}")  # d-hh:mm:ss
        elif layout == 3:
            cells.append(f"{int(h):02d}:{int(m):02d}:{int(sec):02d},5")  # decimal comma
        else:
            cells.append(["", "n/a", "12:3:04", "5:00", "1:02:03:04", "7:00:5."][k % 6])
    text = pd.Series(cells, dtype="string")
    fast, slow = _both(monkeypatch, _parse.durations, text)
    assert np.isnan(fast).sum() > n // 10  # the invalid cells are there and stay NaN
    np.testing.assert_array_equal(np.isnan(fast), np.isnan(slow))
    np.testing.assert_allclose(fast[~np.isnan(fast)], slow[~np.isnan(slow)], rtol=0, atol=1e-9)


@pytest.mark.parametrize(
    "layout", ["%m/%d/%Y %I:%M:%S %p", "%Y-%m-%d %H:%M:%S", "%d.%m.%Y %H:%M:%S", "%m/%d/%Y %H:%M"]
)
def test_wall_clocks_by_polars_equal_pandas(monkeypatch, layout):
    start = pd.Timestamp("2021-05-11 15:40:24")
    n = _parse.POLARS_ROWS + 300
    stamps = start + pd.to_timedelta(np.arange(n) * 37.0, unit="s")
    cells = np.array([t.strftime(layout) for t in stamps], dtype=object)
    cells[5] = ""  # an empty cell
    cells[7] = "2021-05-11T15:45:00"  # one cell in another layout: parsed element-wise
    assert _parse._datetimes_polars(cells, layout) is not None  # polars took it, no fallback
    fast, slow = _both(monkeypatch, _parse.parse_datetimes, cells)
    np.testing.assert_array_equal(np.isnan(fast), np.isnan(slow))
    np.testing.assert_allclose(fast, slow, rtol=0, atol=1e-6)
    assert np.isnan(fast[5]) and fast[7] == pd.Timestamp("2021-05-11 15:45:00").timestamp()


def test_a_large_duration_column_names_its_bad_cell_by_line(monkeypatch, tmp_path):
    n = _parse.POLARS_ROWS + 10
    cells = np.array(
        [f"{k // 3600}:{k // 60 % 60:02d}:{k % 60:02d}" for k in range(n)], dtype=object
    )
    cells[100] = np.nan  # an empty cell is a gap, not an error
    cells[n - 3] = "12:xx:00"
    raw = {"Time": cells}
    path = tmp_path / "export.csv"
    for threshold in (_parse.POLARS_ROWS, 10**12):  # polars, then pandas
        monkeypatch.setattr(_parse, "POLARS_ROWS", threshold)
        with pytest.raises(LabDataError, match=rf"line {n - 3 + 2}: column 'Time' has non-numeric"):
            _parse.numeric(raw, "Time", path, 2)
    good = {"Time": np.delete(cells, n - 3)}
    monkeypatch.setattr(_parse, "POLARS_ROWS", 4096)
    fast = _parse.numeric(good, "Time", path, 2)
    monkeypatch.setattr(_parse, "POLARS_ROWS", 10**12)
    slow = _parse.numeric(good, "Time", path, 2)
    np.testing.assert_array_equal(fast, slow)
    assert np.isnan(fast[100]) and fast[101] == 101.0


def _text_files():
    from support.paths import CORPUS, FIXTURES

    folders = [FIXTURES / "cycler", CORPUS]
    files = sorted(p for f in folders if f.is_dir() for p in f.glob("**/*") if p.is_file())
    binary = {".res", ".mpr", ".nda", ".ndax", ".xlsx", ".xls", ".parquet", ".md"}
    return [p for p in files if p.suffix.lower() not in binary and "LICENSE" not in p.name]


def test_polars_and_pandas_tokenizers_read_every_text_file_alike(monkeypatch):
    """Every text table of the fixtures and the corpus, read with polars' tokenizer forced
    and with pandas', gives the same columns and values (or the same refusal)."""
    from cellwright.projects.labdata import read_cycler_file

    files = _text_files()
    if not files:
        pytest.skip("no fixtures or corpus files here (../shared absent)")
    compared = 0
    tokenized = []
    original = _parse._read_polars

    def counted(*args, **kwargs):
        table = original(*args, **kwargs)
        tokenized.append(table is not None)
        return table

    monkeypatch.setattr(_parse, "_read_polars", counted)
    for path in files:
        results = []
        for threshold in (0, 10**15):
            monkeypatch.setattr(_parse, "POLARS_BYTES", threshold)
            try:
                results.append(read_cycler_file(path))
            except LabDataError as exc:
                results.append(str(exc))
        fast, slow = results
        if isinstance(slow, str):
            assert fast == slow, path
            continue
        assert fast.names == slow.names, path
        for name in slow.names:
            np.testing.assert_allclose(fast[name], slow[name], rtol=1e-12, equal_nan=True,
                                       err_msg=f"{path}: {name}")  # fmt: skip
        compared += 1
    assert compared >= 30 and sum(tokenized) >= 25  # polars read most of them itself


def test_a_clock_pandas_cannot_guess_gets_a_common_cycler_layout():
    # pandas' guess_datetime_format finds no layout for this Maccor MIMS stamp
    stamps = np.array(["5/11/2021 3:40:24 PM", "5/11/2021 3:41:24 PM"], dtype=object)
    assert _parse._guess_layout(stamps) == "%m/%d/%Y %I:%M:%S %p"
    seconds = _parse.parse_datetimes(stamps)
    np.testing.assert_allclose(seconds, [1620747624.0, 1620747684.0])


@pytest.mark.parametrize(("sep", "decimal"), [(",", "."), (";", ",")])
def test_polars_types_each_column_as_pandas_does(monkeypatch, tmp_path, sep, decimal):
    """Column by column, the typing of polars' cells matches pandas' C parser: numbers with
    leading blanks, missing-value words among numbers, a column of words only, text whose
    first 64 cells are words and later ones numbers, an empty column, decimal commas."""
    n = 300
    rows = []
    for k in range(n):
        value = f"{k * 0.25:.2f}".replace(".", decimal)
        rows.append(
            [
                value,  # numbers
                f"  {value}",  # leading blanks
                "n/a" if k % 7 == 0 else ("" if k % 11 == 0 else value),  # NA words, blanks
                ["CC_Chg", "Rest", "CC_DChg"][k % 3],  # a state column
                "Rest" if k < 70 else value,  # words first: text throughout
                "",  # empty
                "N/A" if k < 70 else value,  # NA words first, numbers later: numbers
                "n/a",  # NA words only: numbers (all missing)
            ]
        )
    header = ["a", "b", "c", "state", "late", "empty", "na first", "na only"]
    path = tmp_path / "table.csv"
    path.write_text("\n".join(sep.join(r) for r in [header, *rows]) + "\n", encoding="utf-8")
    tables = []
    for threshold in (0, 10**15):  # polars, then pandas
        monkeypatch.setattr(_parse, "POLARS_BYTES", threshold)
        tables.append(
            _parse.read_delimited(path, header_line=0, sep=sep, encoding="utf-8", decimal=decimal)
        )
    fast, slow = tables
    assert list(fast) == list(slow) == header
    for name in header:
        assert fast[name].dtype == slow[name].dtype, name
        if fast[name].dtype == object:
            assert list(fast[name]) == [None if pd.isna(v) else v for v in slow[name]], name
        else:
            np.testing.assert_array_equal(fast[name], slow[name], err_msg=name)
    assert fast["state"].polars is not None  # text keeps its polars strings for conversions
    assert fast["late"][:1].polars is None  # ... but nothing derived from it does
