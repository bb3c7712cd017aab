"""Delimited text tables read at C speed: pandas' C tokenizer in chunks (progress and cancel
per chunk), or polars for a mid-sized UTF-8 table (:mod:`.polars_tables`); either way the
table's tail is checked for a record cut mid-row.

The result is handed on as plain numpy arrays so nothing downstream depends on pandas.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np

from cellwright.projects.labdata import polars_tables
from cellwright.projects.labdata.file_head import clean_name, read_head
from cellwright.projects.labdata.table import Cancelled, LabDataError
from cellwright.projects.labdata.text_cells import LazyText

CHUNK_ROWS = 250_000


def read_delimited(
    path: Path,
    *,
    header_line: int,
    sep: str,
    encoding: str,
    usecols: list[str] | None = None,
    decimal: str = ".",
    skip_after_header: int = 0,
    quoted_lines: bool = False,
    names: list[str] | None = None,
    progress=None,
    lazy_text: bool = False,
) -> dict[str, np.ndarray]:
    """Parse a delimited table whose header is on (0-based) ``header_line``.

    Returns column name -> numpy array (object arrays for text columns; with ``lazy_text``
    large text columns tokenized by polars may be :class:`.text_cells.LazyText`, for a
    caller that converts them with :func:`.numeric_columns.numeric` or
    :func:`.datetimes.parse_datetimes` or takes them as arrays).
    The table is parsed in chunks of :data:`CHUNK_ROWS` by pandas' C tokenizer;
    ``progress(fraction, message)`` is called after each chunk and may raise
    :class:`.table.Cancelled`.
    """
    import pandas as pd

    if _polars_tokenizer_fits(path, encoding, quoted_lines, names):
        table = polars_tables.read_polars(
            path, header_line, sep, usecols, decimal, skip_after_header
        )
        if table is not None:
            table = _checked_tail(table, path, header_line + skip_after_header, sep, encoding)
            if progress is not None:
                progress(1.0, f"read {len(next(iter(table.values()))):,} rows")
            if not lazy_text:
                table = {k: v.array() if isinstance(v, LazyText) else v for k, v in table.items()}
            return table
    columns: dict[str, list[np.ndarray]] = {}
    other_encoding = None
    size = max(path.stat().st_size, 1) if progress is not None else 1
    source = _unquoted(path, encoding) if quoted_lines else path
    with warnings.catch_warnings():  # ragged rows -> error, not a silent warning
        try:
            warnings.simplefilter("error", pd.errors.ParserWarning)
            reader = pd.read_csv(
                source,
                sep=sep,
                skiprows=list(range(header_line))
                + [header_line + 1 + k for k in range(skip_after_header)]
                if skip_after_header
                else header_line,
                header=0,
                names=names,
                encoding=encoding if not quoted_lines else None,
                engine="c",
                usecols=usecols,
                chunksize=CHUNK_ROWS,
                skipinitialspace=True,
                low_memory=False,
                index_col=False,
                decimal=decimal,
                encoding_errors="strict",
                on_bad_lines="error",
            )
            with reader:  # closed on a cancel or a parse error too
                for chunk in reader:
                    for name in chunk.columns:
                        columns.setdefault(clean_name(name), []).append(chunk[name].to_numpy())
                    if progress is not None:
                        done = reader.handles.handle.tell() if hasattr(reader, "handles") else 0
                        rows = sum(len(p) for p in next(iter(columns.values())))
                        progress(min(done / size, 1.0), f"read {rows:,} rows")
        except Cancelled:
            raise  # a LabDataError too, but the user's, not the file's
        except UnicodeDecodeError as exc:
            try:  # the whole file, once: what it is in, or where it stops being text
                raw = path.read_bytes()
            except OSError:
                raw = None
            other_encoding = _whole_file_encoding(raw, path, encoding)
            if other_encoding is None:
                byte = _first_bad_byte(raw, encoding)
                raise LabDataError(f"{path}: byte {byte}: not valid {encoding} text") from exc
        except pd.errors.EmptyDataError as exc:
            raise LabDataError(
                f"{path}: line {header_line + 1}: no table after the header"
            ) from exc
        except (pd.errors.ParserError, pd.errors.ParserWarning, ValueError) as exc:
            raise LabDataError(
                f"{path}: table starting at line {header_line + 1}: {_short(exc)}"
            ) from exc
    if other_encoding is not None:  # the head was ASCII: the encoding shows further on
        return read_delimited(
            path, header_line=header_line, sep=sep, encoding=other_encoding, usecols=usecols,
            decimal=decimal, skip_after_header=skip_after_header, quoted_lines=quoted_lines,
            names=names, progress=progress, lazy_text=lazy_text,
        )  # fmt: skip
    if not columns or not any(len(v) and len(v[0]) for v in columns.values()):
        raise LabDataError(f"{path}: line {header_line + 2}: header but no data rows")
    table = {name: np.concatenate(parts) for name, parts in columns.items()}
    return _checked_tail(table, path, header_line + skip_after_header, sep, encoding)


#: text tables of this size and more (up to :data:`POLARS_MAX_BYTES`, beyond which pandas'
#: chunks keep the memory bounded and report progress) are tokenized by polars: 4.4 ms
#: against pandas' 13.4 ms on a 3.5 MB Maccor export (multithreaded Rust, only the mapped
#: columns materialised)
POLARS_BYTES = 1 << 20
POLARS_MAX_BYTES = 256 << 20


def _polars_tokenizer_fits(path: Path, encoding: str, quoted_lines: bool, names) -> bool:
    """Polars reads the table when it is UTF-8, plain and of :data:`POLARS_BYTES` or more, and
    when pandas would have read it in one chunk anyway (its rows estimated from the lines of
    the file's head): a larger table keeps its chunks, with progress and cancel per chunk."""
    if quoted_lines or names is not None or encoding not in ("utf-8", "ascii"):
        return False
    try:
        size = path.stat().st_size
        if not POLARS_BYTES <= size <= POLARS_MAX_BYTES:
            return False
        head = read_head(path)
    except (OSError, LabDataError):
        return False
    lines = max(head.count(b"\n"), 1)
    return size * lines / max(len(head), 1) <= CHUNK_ROWS


def _short(exc: Exception) -> str:
    return " ".join(str(exc).split())[:200]


def _unquoted(path: Path, encoding: str):
    """A text stream of ``path`` with each line's outer quotes removed (Novonix HPC)."""
    import io

    with open(path, encoding=encoding, errors="strict", newline="") as handle:
        text = handle.read()
    lines = [
        line[1:-1] if line[:1] == '"' and line[-1:] == '"' else line for line in text.splitlines()
    ]
    return io.StringIO("\n".join(lines))


def _checked_tail(
    table: dict[str, np.ndarray], path: Path, header_line: int, sep: str, encoding: str
) -> dict[str, np.ndarray]:
    """The table without the empty records that end it, its last record checked whole.

    A sheet saved as CSV by Excel ends in rows of separators only (``,,,,``): records with
    no cell at all, not data.  A file cut mid-row leaves its last record short: cells filled
    in every preceding row are missing.  That is reported, never kept as half a record,
    whether the export stopped there (no final newline) or something was written after it.
    """
    import pandas as pd

    n_rows = len(next(iter(table.values())))
    end = n_rows
    while end > 1 and all(_blank(values[end - 1]) for values in table.values()):
        end -= 1
    if end < n_rows:
        table = {name: values[:end] for name, values in table.items()}
    if end < 3 or not _last_record_cut(path, sep, encoding):
        return table
    always_filled = [
        name for name, values in table.items() if not pd.isna(values[-min(end, 6) : -1]).any()
    ]
    if always_filled and _blank(table[always_filled[-1]][-1]):  # rightmost cell is cut off
        line = header_line + 1 + end
        raise LabDataError(
            f"{path}: line {line}: truncated record (column {always_filled[-1]!r} empty)"
        )
    return table


def _blank(cell) -> bool:
    if isinstance(cell, str):
        return not cell.strip()
    return cell is None or (isinstance(cell, float) and cell != cell)


def _last_record_cut(path: Path, sep: str, encoding: str) -> bool:
    """Whether the file's last record may be cut: no newline after it, or fewer fields than
    the record before it (rows of separators only and blank lines after it left aside)."""
    try:
        with open(path, "rb") as handle:
            size = handle.seek(0, 2)
            handle.seek(max(size - 65536, 0) & ~1)  # even: a UTF-16 character stays whole
            tail = handle.read()
    except OSError:
        return False
    if encoding.lower().replace("_", "-") == "utf-16":
        encoding = "utf-16-be" if _big_endian_bom(path) else "utf-16-le"
    text = tail.decode(encoding.replace("-sig", ""), errors="replace")
    if not text.endswith(("\n", "\r")):
        return True
    lines = [line for line in text.splitlines() if line.replace(sep, "").strip()]
    return len(lines) >= 2 and lines[-1].count(sep) < lines[-2].count(sep)


def _big_endian_bom(path: Path) -> bool:
    with open(path, "rb") as handle:
        return handle.read(2) == b"\xfe\xff"


def _whole_file_encoding(raw: bytes | None, path: Path, encoding: str) -> str | None:
    """The encoding of a file that is not the UTF-8 its head was taken for: a head of plain
    ASCII (an English header) tells nothing, and a step name (GB18030 ``恒流充电``) or a unit
    (cp1252 ``°C``) further on is the first byte that does.  None when the whole file does not
    tell another encoding than ``encoding``, or when the head already showed UTF-8 text (a
    bad byte in such a file is damage, named by its offset)."""
    from cellwright.projects.labdata.sniff import sniff_encoding

    if encoding.lower().replace("_", "-") not in ("utf-8", "ascii"):
        return None
    if raw is None or not read_head(path).isascii():
        return None
    found = sniff_encoding(raw, path)
    return found if found not in ("utf-8", "utf-8-sig", encoding) else None


def _first_bad_byte(raw: bytes | None, encoding: str) -> str:
    """The offset in the file (``raw``, its bytes) of the first byte that is not ``encoding``
    text (pandas reports one within its buffer), or ``"~0"`` when the file could not be read
    again."""
    try:
        if raw is not None:
            raw.decode(encoding)
    except UnicodeDecodeError as exc:
        return str(exc.start)
    except LookupError:
        pass
    return "~0"
