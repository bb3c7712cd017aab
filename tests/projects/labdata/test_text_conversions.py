"""Durations and wall clocks of large columns are converted by polars; the result must be the
one pandas gives on the same cells, valid or not."""

from __future__ import annotations

import contextlib

import numpy as np
import pandas as pd
import pytest

from cellwright.projects.labdata import (
    LabDataError,
    datetimes,
    delimited,
    numeric_columns,
    polars_tables,
    text_cells,
)
from support.labdata_reads import read_or_error


def _both(monkeypatch, func, *args):
    fast = func(*args)
    monkeypatch.setattr(text_cells, "POLARS_ROWS", 10**12)
    return fast, func(*args)


def test_durations_by_polars_equal_pandas_cell_by_cell(monkeypatch):
    rng = np.random.default_rng(7)
    n = text_cells.POLARS_ROWS + 500
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
    fast, slow = _both(monkeypatch, numeric_columns.durations, text)
    assert np.isnan(fast).sum() > n // 10  # the invalid cells are there and stay NaN
    np.testing.assert_array_equal(np.isnan(fast), np.isnan(slow))
    np.testing.assert_allclose(fast[~np.isnan(fast)], slow[~np.isnan(slow)], rtol=0, atol=1e-9)


@pytest.mark.parametrize(
    "layout", ["%m/%d/%Y %I:%M:%S %p", "%Y-%m-%d %H:%M:%S", "%d.%m.%Y %H:%M:%S", "%m/%d/%Y %H:%M"]
)
def test_wall_clocks_by_polars_equal_pandas(monkeypatch, layout):
    start = pd.Timestamp("2021-05-11 15:40:24")
    n = text_cells.POLARS_ROWS + 300
    stamps = start + pd.to_timedelta(np.arange(n) * 37.0, unit="s")
    cells = np.array([t.strftime(layout) for t in stamps], dtype=object)
    cells[5] = ""  # an empty cell
    cells[7] = "2021-05-11T15:45:00"  # one cell in another layout: parsed element-wise
    assert datetimes._datetimes_polars(cells, layout) is not None  # polars took it, no fallback
    fast, slow = _both(monkeypatch, datetimes.parse_datetimes, cells)
    np.testing.assert_array_equal(np.isnan(fast), np.isnan(slow))
    np.testing.assert_allclose(fast, slow, rtol=0, atol=1e-6)
    assert np.isnan(fast[5]) and fast[7] == pd.Timestamp("2021-05-11 15:45:00").timestamp()


def test_a_large_duration_column_names_its_bad_cell_by_line(monkeypatch, tmp_path):
    n = text_cells.POLARS_ROWS + 10
    cells = np.array(
        [f"{k // 3600}:{k // 60 % 60:02d}:{k % 60:02d}" for k in range(n)], dtype=object
    )
    cells[100] = np.nan  # an empty cell is a gap, not an error
    cells[n - 3] = "12:xx:00"
    raw = {"Time": cells}
    path = tmp_path / "export.csv"
    for threshold in (text_cells.POLARS_ROWS, 10**12):  # polars, then pandas
        monkeypatch.setattr(text_cells, "POLARS_ROWS", threshold)
        with pytest.raises(LabDataError, match=rf"line {n - 3 + 2}: column 'Time' has non-numeric"):
            numeric_columns.numeric(raw, "Time", path, 2)
    good = {"Time": np.delete(cells, n - 3)}
    monkeypatch.setattr(text_cells, "POLARS_ROWS", 4096)
    fast = numeric_columns.numeric(good, "Time", path, 2)
    monkeypatch.setattr(text_cells, "POLARS_ROWS", 10**12)
    slow = numeric_columns.numeric(good, "Time", path, 2)
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

    files = _text_files()
    if not files:
        pytest.skip("no fixtures or corpus files here (../shared absent)")
    compared = 0
    tokenized = []
    original = polars_tables.read_polars

    def counted(*args, **kwargs):
        table = original(*args, **kwargs)
        tokenized.append(table is not None)
        return table

    monkeypatch.setattr(polars_tables, "read_polars", counted)
    for path in files:
        results = []
        for threshold in (0, 10**15):
            monkeypatch.setattr(delimited, "POLARS_BYTES", threshold)
            results.append(read_or_error(path))
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
    assert datetimes._guess_layout(stamps) == "%m/%d/%Y %I:%M:%S %p"
    seconds = datetimes.parse_datetimes(stamps)
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
        monkeypatch.setattr(delimited, "POLARS_BYTES", threshold)
        tables.append(
            delimited.read_delimited(
                path, header_line=0, sep=sep, encoding="utf-8", decimal=decimal
            )
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


FRACTIONS = ["", ".", ",", ".1", ".123", ",05", ".1234567", ".123456789012",
             ".0500000007450581", ".879999995231628", ".1234567890123456789"]  # fmt: skip


def _random_durations(rng, n: int) -> list[str | None]:
    """Cells near and far from the duration grammar: random strings of its characters and
    stamps with every variant of day prefix, digit counts, fraction, padding and tail."""
    alphabet = list("0123456789::::..,,-d  \t")
    cells: list[str | None] = ["".join(rng.choice(alphabet, rng.integers(0, 14))) for _ in range(n)]
    for _ in range(n):
        day = rng.choice(["", "1-", "12d ", "3d", "2 ", "0-", "1  ", " ", "1.", "12.", "0."])
        # after a day count mostly an hour of the day; 24 and more, refused by both, as well
        hours = rng.integers(0, 30 if day.strip() else 300)
        hours = str(hours).zfill(int(rng.choice([1, 2, 3])))
        # mostly below 60, where they read; 60 and more, where both refuse them, as well
        minutes = str(rng.integers(0, 75)).zfill(int(rng.choice([1, 2, 2])))
        secs = str(rng.integers(0, 75)).zfill(int(rng.choice([1, 2, 2, 3])))
        fraction = rng.choice(FRACTIONS)
        pad, tail = rng.choice(["", " ", "\t"]), rng.choice(["", " ", "x", "\n"])
        cells.append(f"{pad}{day}{hours}:{minutes}:{secs}{fraction}{tail}")
    return [*cells, None, "", "   "]


def test_scanned_durations_equal_the_regular_expression_cell_by_cell():
    """The byte scanner matches and fails on the cells the regular expression does and gives
    its seconds, bit for bit up to 15 significant digits (float32 clocks printed in full have
    16-19: within one unit in the last place there); a column it cannot take (an hour count
    past 15 digits, non-ASCII digits) goes to the regular expression."""
    import polars as pl

    from cellwright.projects.labdata._text_kernels import duration_parts

    rng = np.random.default_rng(11)
    cells = _random_durations(rng, 6000)
    scanned = 0
    for extra in ([], ["1234567890123456:00:01"], ["1:02:03", "٣:02:03"]):
        column = cells + extra
        strings = pl.Series(column, dtype=pl.String)
        scanned += duration_parts(strings) is not None
        fast = numeric_columns.durations_polars(np.array(column, dtype=object))
        slow = numeric_columns._durations_regex(strings)
        np.testing.assert_array_equal(fast[1], slow[1])
        np.testing.assert_array_equal(np.isnan(fast[0]), np.isnan(slow[0]))
        finite = np.isfinite(slow[0])
        np.testing.assert_array_max_ulp(fast[0][finite], slow[0][finite], maxulp=1)
        short = np.array([c is not None and len(c.strip()) < 16 for c in column])
        np.testing.assert_array_equal(fast[0][short], slow[0][short])  # <= 15 digits: exact
        assert 0.1 < finite.mean() < 0.9  # both kinds of cell are there
    assert scanned == 1  # only the first column is the scanner's


@pytest.mark.parametrize(
    "layout", ["%Y-%m-%d %H:%M:%S", "%Y/%m/%d %H:%M:%S", "%d.%m.%Y %H:%M:%S", "%Y-%m-%d"]
)
def test_scanned_clocks_equal_chrono_and_pandas(layout):
    import polars as pl

    from cellwright.projects.labdata._text_kernels import clock_seconds

    rng = np.random.default_rng(5)
    # across pandas' whole range, leap days included
    seconds = rng.uniform(pd.Timestamp("1678-01-01").timestamp(), 9.2e9, 3000)
    stamps = pd.to_datetime(seconds, unit="s").floor("s")
    stamps = stamps.append(pd.DatetimeIndex(["2000-02-29 23:59:59", "2024-02-29", "1900-02-28"]))
    cells = [t.strftime(layout) for t in stamps]
    cells[3], cells[8] = None, "  "
    cells[9] = f" {cells[9]}\t"
    scanned = clock_seconds(pl.Series(cells, dtype=pl.String), layout)
    assert scanned is not None
    reference = datetimes._datetimes_chrono(np.array(cells, dtype=object), layout)
    np.testing.assert_array_equal(scanned[1], reference[1])
    np.testing.assert_array_equal(scanned[0], reference[0])
    assert clock_seconds(pl.Series(["2021-05-11 10:00:00"]), "%Y-%m-%d %I:%M:%S %p") is None


@pytest.mark.parametrize(
    "odd",
    ["2023-02-29 10:00:00", "2021-04-31 10:00:00", "2021-05-11 24:00:00", "2021-05-11 10:00:60",
     "2021-05-11  10:00:00", "2021-5-11 10:00:00", "2262-01-01 00:00:00", "1677-12-31 00:00:00",
     "2021-05-11 10:00:00 x", "2021-05-11 10:00:00\u00a0"],
)  # fmt: skip
def test_a_clock_the_scan_does_not_read_strictly_goes_to_chrono_and_pandas(monkeypatch, odd):
    import polars as pl

    from cellwright.projects.labdata._text_kernels import clock_seconds

    layout = "%Y-%m-%d %H:%M:%S"
    start = pd.Timestamp("2021-05-11 15:40:24")
    n = text_cells.POLARS_ROWS + 10
    cells = [(start + pd.Timedelta(seconds=7 * k)).strftime(layout) for k in range(n)]
    cells[n // 2] = odd
    assert clock_seconds(pl.Series(cells[: n // 2]), layout) is not None
    assert clock_seconds(pl.Series(cells), layout) is None
    fast, slow = _both(monkeypatch, datetimes.parse_datetimes, np.array(cells, dtype=object))
    np.testing.assert_array_equal(fast, slow)


def test_text_from_an_object_array_that_starts_empty():
    """A column read by pandas whose first cell is missing (NaN) becomes polars strings."""
    cells = np.array([np.nan, "0:00:01", "0:00:02"] * 2000, dtype=object)
    seconds, empty = numeric_columns.durations_polars(cells)
    assert empty[0] and np.isnan(seconds[0]) and seconds[1] == 1.0 and seconds[2] == 2.0


def test_scanners_read_every_text_file_as_the_regular_expression_and_chrono_do(monkeypatch):
    """Every text table of the fixtures and the corpus read with the byte scanners and with
    them switched off (polars' regular expression, chrono and pandas) gives the same table:
    durations within an ulp, clocks exactly. Columns of any length take the polars path here
    (most of these files are short)."""
    from cellwright.projects.labdata import _text_kernels, read_cycler_file

    files = _text_files()
    if not files:
        pytest.skip("no fixtures or corpus files here (../shared absent)")
    monkeypatch.setattr(text_cells, "POLARS_ROWS", 1)
    scanned = []
    durations_of, clocks_of = _text_kernels.duration_parts, _text_kernels.clock_seconds

    def counted(func):
        def wrapper(*args):
            found = func(*args)
            scanned.append(found is not None)
            return found

        return wrapper

    def read_all():
        tables = {}
        for path in files:
            try:
                tables[path] = read_cycler_file(path)
            except LabDataError as exc:
                tables[path] = str(exc)
        return tables

    monkeypatch.setattr(_text_kernels, "duration_parts", counted(durations_of))
    monkeypatch.setattr(_text_kernels, "clock_seconds", counted(clocks_of))
    fast = read_all()
    monkeypatch.setattr(_text_kernels, "duration_parts", lambda *args: None)
    monkeypatch.setattr(_text_kernels, "clock_seconds", lambda *args: None)
    slow = read_all()
    assert sum(scanned) >= 5  # the scanners read real exports' columns
    for path in files:
        if isinstance(slow[path], str):
            assert fast[path] == slow[path], path
            continue
        assert fast[path].names == slow[path].names, path
        for name in slow[path].names:
            np.testing.assert_allclose(
                fast[path][name], slow[path][name], rtol=1e-15, equal_nan=True, err_msg=str(path)
            )


def _same_raw_table(fast: dict, slow: dict, where: str) -> None:
    assert list(fast) == list(slow), where
    for name in slow:
        assert fast[name].dtype == slow[name].dtype, f"{where}: {name}"
        if slow[name].dtype == object:
            assert list(fast[name]) == list(slow[name]), f"{where}: {name}"
            assert fast[name].polars is not None, f"{where}: {name}"
        else:
            np.testing.assert_array_equal(fast[name], slow[name], err_msg=f"{where}: {name}")


def test_typed_read_gives_every_text_file_the_columns_typing_after_the_read_does(monkeypatch):
    """Every table of the fixtures and the corpus that polars tokenizes, read with the columns
    its head shows as numbers typed by the tokenizer and with every column read as text and
    typed after: the same columns, dtypes and cells, the text columns with their strings."""
    from cellwright.projects.labdata import read_cycler_file

    files = _text_files()
    if not files:
        pytest.skip("no fixtures or corpus files here (../shared absent)")
    monkeypatch.setattr(delimited, "POLARS_BYTES", 0)  # polars for the small files too
    calls = []
    original, typed = polars_tables.read_polars, polars_tables._read_typed
    took = []

    def recorded(*args):
        calls.append(args)
        return original(*args)

    def counted(*args):
        frame = typed(*args)
        took.append(frame is not None)
        return frame

    monkeypatch.setattr(polars_tables, "read_polars", recorded)
    monkeypatch.setattr(polars_tables, "_read_typed", counted)
    for path in files:
        with contextlib.suppress(LabDataError):
            read_cycler_file(path)
    compared = 0
    for args in calls:
        took.clear()
        monkeypatch.setattr(polars_tables, "TYPED_READ", True)
        fast = original(*args)
        typed_here = any(took)
        monkeypatch.setattr(polars_tables, "TYPED_READ", False)
        slow = original(*args)
        assert (fast is None) == (slow is None), args[0]
        if fast is not None:
            _same_raw_table(fast, slow, str(args[0]))
            compared += typed_here
    assert compared >= 20  # most real exports take the typed read


def test_typed_read_falls_back_for_a_word_after_the_head_and_copes_with_duplicate_names(
    monkeypatch, tmp_path
):
    """A column of numbers in the head with a word or a missing-value word further down, a
    header naming a column twice, leading blanks and NaN among numbers: the typed read gives
    what typing after the read gives (or hands the table to it)."""
    n = 200
    header = ["a", "late word", "late na", "blanks", "nan", "x", "x", "state"]
    rows = []
    for k in range(n):
        rows.append([
            f"{k * 0.5}",
            "Rest" if k == 150 else f"{k}",
            "n/a" if k == 120 else f"{k}",
            f"   {k}",
            "NaN" if k % 5 == 0 else f"{k}.25",
            "1",
            "2",
            ["CC_Chg", " CC_DChg", "NA"][k % 3],
        ])  # fmt: skip
    path = tmp_path / "table.csv"
    path.write_text("\n".join(",".join(r) for r in [header, *rows]) + "\n", encoding="utf-8")
    monkeypatch.setattr(delimited, "POLARS_BYTES", 0)
    tables = []
    for typed in (True, False):
        monkeypatch.setattr(polars_tables, "TYPED_READ", typed)
        tables.append(polars_tables.read_polars(path, 0, ",", None, ".", 0))
    fast, slow = tables
    _same_raw_table(fast, slow, "table")
    assert fast["late word"].dtype == object and fast["late na"][120] != fast["late na"][120]
    assert list(fast["state"][:3]) == ["CC_Chg", "CC_DChg", None]
    pandas = pd.read_csv(path, skipinitialspace=True)
    np.testing.assert_array_equal(fast["blanks"], pandas["blanks"].to_numpy(float))
    np.testing.assert_array_equal(fast["nan"], pandas["nan"].to_numpy(float))


def test_the_number_grammar_of_the_head_is_polars_float_parser():
    """A cell the head calls no number is one polars' cast cannot read, and the reverse:
    fuzzed over the characters of numbers, exponents, signs and the words inf and nan."""
    import polars as pl

    rng = np.random.default_rng(7)
    alphabet = [*list("0123456789+-.eE"), "inf", "nan", "Infinity", "NaN", "x", " ", "\t"]
    cells = ["".join(rng.choice(alphabet, size=rng.integers(1, 7))) for _ in range(20000)]
    cells += ["1", "1.", ".5", "-.5e-3", "+1E+05", "inf", "-Infinity", "nan", "1e", "e5", "."]
    stripped = [c.lstrip(polars_tables._BLANKS) for c in cells]
    parsed = pl.Series(stripped).cast(pl.Float64, strict=False).is_not_null().to_list()
    grammar = [polars_tables._NUMBER_CELL.fullmatch(c) is not None for c in stripped]
    disagree = [c for c, p, g in zip(stripped, parsed, grammar, strict=True) if p != g]
    assert not disagree, disagree[:10]
    assert sum(parsed) > 2000  # numbers among them, not only noise


def test_year_first_stamps_get_the_layout_pandas_guesses():
    """The shortcut for ``2022-05-18 16:27:52`` stamps gives pandas' guess or nothing:
    random year-first stamps, real dates and impossible ones (Feb 30, month 13, hour 24),
    each separator, T or blank, with and without fractions."""
    import warnings

    from pandas.tseries.api import guess_datetime_format

    rng = np.random.default_rng(3)
    taken = 0
    for _ in range(3000):
        y, mo, d = rng.integers(1890, 2300), rng.integers(0, 14), rng.integers(0, 33)
        h, mi, s = rng.integers(0, 26), rng.integers(0, 61), rng.integers(0, 61)
        sep, t = rng.choice(["-", "/"]), rng.choice([" ", "T"])
        fraction = rng.choice(["", ".5", ".123456", ".123456789"])
        stamp = f"{y}{sep}{mo:02d}{sep}{d:02d}{t}{h:02d}:{mi:02d}:{s:02d}{fraction}"
        shortcut = datetimes._iso_layout(stamp)
        if shortcut is None:
            continue
        taken += 1
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            assert shortcut == guess_datetime_format(stamp), stamp
    assert taken > 1000
    assert datetimes._iso_layout("2022-02-30 10:00:00") is None
    assert datetimes._iso_layout("2022-05-18 16:27:52") == "%Y-%m-%d %H:%M:%S"


@pytest.mark.parametrize(
    "damage",
    ["truncated", "blank line", "word among numbers", "extra cell", "half a row",
     "missing-value word", "leading blanks", "word in the head"],
)  # fmt: skip
def test_typed_read_of_damaged_tables_ends_as_typing_after_the_read(monkeypatch, tmp_path, damage):
    """Each text export of the fixtures damaged one way: the typed read gives the same table
    or the same one-line error as reading every column as text."""

    files = [p for p in _text_files() if p.stat().st_size > 20_000][:12]
    if not files:
        pytest.skip("no fixtures or corpus files here (../shared absent)")
    monkeypatch.setattr(delimited, "POLARS_BYTES", 0)
    for number, source in enumerate(files):
        lines = source.read_bytes().split(b"\n")
        k = len(lines) * 2 // 3
        if damage == "truncated":
            lines = [*lines[:k], lines[k][: len(lines[k]) // 2]]
        elif damage == "blank line":
            lines.insert(k, b"")
        elif damage == "word among numbers":
            lines[k] = lines[k].replace(b",", b",x", 1).replace(b"\t", b"\tx", 1)
        elif damage == "extra cell":
            lines[k] += b",extra"
        elif damage == "half a row":
            lines[k] = lines[k][: len(lines[k]) // 2]
        elif damage == "missing-value word":
            lines[k] = lines[k].replace(b"0", b"n/a", 1)
        elif damage == "leading blanks":
            lines[k] = b" " + lines[k].replace(b",", b", ", 3)
        else:
            lines[len(lines) // 20 + 3] = lines[len(lines) // 20 + 3].replace(b"1", b"Rest", 1)
        path = tmp_path / f"{number}{source.suffix}"
        path.write_bytes(b"\n".join(lines))
        results = []
        for typed in (True, False):
            monkeypatch.setattr(polars_tables, "TYPED_READ", typed)
            results.append(read_or_error(path))
        fast, slow = results
        if isinstance(fast, str) or isinstance(slow, str):
            assert fast == slow, source
            continue
        assert fast.names == slow.names, source
        for name in slow.names:
            np.testing.assert_array_equal(fast[name], slow[name], err_msg=f"{source}: {name}")


def test_lazy_text_behaves_as_the_array_it_stands_for():
    """A large text column read for conversion keeps only its polars strings until an array
    is asked for; every way of reading it gives what the TextCells array gives."""
    import polars as pl

    n = text_cells.POLARS_ROWS + 7
    cells = pl.Series([None if k % 5 == 0 else f"c{k}" for k in range(n)], dtype=pl.String)
    lazy = text_cells.text_column(cells)
    array = text_cells.text_array(cells)
    assert isinstance(lazy, text_cells.LazyText) and lazy._array is None
    assert len(lazy) == n and lazy.shape == (n,) and lazy.dtype == object
    for k in (0, 1, 5, -1, -6, n - 1):
        assert lazy[k] == array[k]
    for key in (slice(None, 1000), slice(-6, -1), slice(10, 3), slice(None, None, 3)):
        assert list(lazy[key]) == list(array[key])
    lazy = text_cells.text_column(cells)
    assert lazy._array is None and lazy[:1000].size == 1000 and lazy._array is None
    np.testing.assert_array_equal(np.asarray(lazy, dtype=object), array)
    assert lazy.polars is cells and (lazy == "c1")[1] and lazy.tolist() == array.tolist()
    assert list(lazy) == list(array)
    assert isinstance(lazy.array(), text_cells.TextCells) and lazy.array().polars is cells


def test_read_delimited_gives_arrays_unless_asked_for_lazy_text(tmp_path):
    n = text_cells.POLARS_ROWS + 100
    path = tmp_path / "big.csv"
    rows = [f"{k},{k * 0.5},{['CC_Chg', 'Rest'][k % 2]},0:00:{k % 60:02d}" for k in range(n)]
    path.write_text("i,v,state,t\n" + "\n".join(rows) + "\n", encoding="utf-8")
    size = path.stat().st_size
    options = dict(header_line=0, sep=",", encoding="utf-8")
    old = delimited.POLARS_BYTES
    try:
        delimited.POLARS_BYTES = min(size, old)
        plain = delimited.read_delimited(path, **options)
        lazy = delimited.read_delimited(path, lazy_text=True, **options)
    finally:
        delimited.POLARS_BYTES = old
    assert isinstance(plain["state"], text_cells.TextCells)
    assert isinstance(lazy["state"], text_cells.LazyText)
    assert list(lazy["state"]) == list(plain["state"])
    seconds = numeric_columns.numeric(lazy, "t", path, 2)
    np.testing.assert_array_equal(seconds, np.arange(n) % 60)
    assert lazy["t"]._array is None  # converted from the polars strings
