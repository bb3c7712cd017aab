"""Find the table in a text export: encoding, separator, header line, units row, decimal mark.

Cycler exports put a metadata block of any length before the table (Maccor's one line,
EC-Lab's ``Nb header lines``, Novonix's ``[Summary]``, PEC's ``key:,value`` lines), use
comma, tab or semicolon, a decimal comma in German or French locales, and are written in
UTF-8 (with or without BOM), UTF-16, GB18030 (Chinese Neware/Landt software) or cp1252.
The table starts at the first line from which several lines have the same number of fields,
the first of them text and the next ones mostly numbers.
"""

from __future__ import annotations

import csv
import re
import threading
from dataclasses import dataclass, field, replace
from pathlib import Path

from cellwright.projects.labdata import file_head, timespans
from cellwright.projects.labdata.table import LabDataError

SEPARATORS = ("\t", ";", ",", "|")
_NUMBER = re.compile(r"^[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?$")
_DECIMAL_COMMA = re.compile(r"^[+-]?\d+,\d+([eE][+-]?\d+)?$")
_DURATION = re.compile(r"^\d+(-|d\s*|\s|\.)?\d*:\d\d:\d{1,2}([.,]\d+)?$")
_CJK_WORDS = ("电压", "电流", "时间", "循环", "容量", "工步", "能量", "温度", "记录")


@dataclass
class TextLayout:
    """Where and how the table of a text file is written."""

    encoding: str
    sep: str
    header_line: int
    headers: list[str]
    decimal: str = "."
    unit_line: int | None = None
    quoted_lines: bool = False
    preamble: list[str] = field(default_factory=list)

    @property
    def first_data_line(self) -> int:
        """0-based index of the first data row."""
        return self.header_line + (2 if self.unit_line is not None else 1)


def sniff_encoding(raw: bytes, path: Path) -> str:
    """The text encoding of ``raw`` (the head of ``path``)."""
    if raw.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    if len(raw) > 64 and raw[1:200:2].count(0) > 0.8 * len(raw[1:200:2]):
        return "utf-16-le"
    if len(raw) > 64 and raw[0:200:2].count(0) > 0.8 * len(raw[0:200:2]):
        return "utf-16-be"
    try:
        raw.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as exc:
        if exc.start >= len(raw) - 3:  # a character cut by the head limit
            return "utf-8"
    try:
        text = raw.decode("gb18030")
        if any(word in text for word in _CJK_WORDS):
            return "gb18030"
    except UnicodeDecodeError:
        pass
    try:
        raw.decode("cp1252")
        return "cp1252"
    except UnicodeDecodeError:
        return "latin-1"


#: the heads and layouts of the last few files: detection, a reader and its layout each look
#: at the head of the same file (up to three decodings and two table searches per import, ~1 ms
#: on a PEC export with a long metadata block). Keyed by the head's bytes, which are all that
#: decides either (reading them again costs ~25 µs): a file changed since is never mistaken.
_SEEN: dict[tuple, object] = {}
_SEEN_MAX = 16


_SEEN_LOCK = threading.Lock()  # imports of a folder may run side by side


def _remember(key: tuple, value):
    with _SEEN_LOCK:
        if len(_SEEN) >= _SEEN_MAX:
            _SEEN.pop(next(iter(_SEEN)))
        _SEEN[key] = value
    return value


def decode_head(path: Path, n_bytes: int = file_head.HEAD_BYTES) -> tuple[str, str]:
    """(encoding, text) of the head of ``path``; binary content is a LabDataError."""
    raw = file_head.read_head(path, n_bytes)
    found = _SEEN.get(("head", raw))
    return found if found is not None else _remember(("head", raw), _decode_head(path, raw))


def _decode_head(path: Path, raw: bytes) -> tuple[str, str]:
    if not raw.strip():
        raise LabDataError(f"{path}: file is empty")
    encoding = sniff_encoding(raw, path)
    if not encoding.startswith("utf-16") and b"\x00" in raw[:4096]:
        nul = raw.index(b"\x00")
        raise LabDataError(f"{path}: byte {nul}: NUL byte in a text file")
    text = raw.decode(encoding, errors="replace").lstrip("\ufeff")
    return encoding, text


def _cells(line: str, sep: str) -> list[str]:
    line = line.rstrip("\r\n")
    if len(line) > 1 and line[0] == '"' and line[-1] == '"' and line.count('"') == 2:
        line = line[1:-1]  # a whole line quoted as one field (Novonix HPC)
    if '"' in line:  # a quoted cell may hold the separator (Maccor's "5,577,644.47")
        cells = [c.strip().strip('"').strip() for c in next(csv.reader([line], delimiter=sep))]
    else:
        cells = [c.strip() for c in line.split(sep)]
    while cells and cells[-1] == "":  # a trailing separator is not a column
        cells.pop()
    return cells


def _is_number(cell: str) -> bool:
    return bool(_NUMBER.match(cell) or _DURATION.match(cell) or timespans.is_colon_form(cell))


def _is_comment(line: str) -> bool:
    """A comment line of a metadata block (``# ...``, ``! ...``), never a table row."""
    return line.lstrip().startswith(("#", "!"))


#: how exports write a missing number (MATLAB and pandas ``NaN``/``nan``, R ``NA``, Excel
#: ``#N/A``): neither a number nor a name, so not counted either way
_MISSING = frozenset({"nan", "-nan", "na", "n/a", "#n/a", "null", "none"})


def _numeric_share(cells: list[str]) -> float:
    # INL's per-cycle summaries write NaN wherever a cycle has no such figure: a summary whose
    # ageing cycles lack most of them was "no table found" (a row mostly NaN read as text)
    filled = [c for c in cells if c and c.strip().lower() not in _MISSING]
    return sum(_is_number(c) for c in filled) / len(filled) if filled else 0.0


def _score_header(lines: list[str], i: int, sep: str) -> int:
    """Number of columns if a table with its header on line ``i`` starts there, else 0."""
    header = _cells(lines[i], sep)
    n = len(header)
    # a header names columns: a line with a number among few cells is a data or log line
    if n < 2 or _numeric_share(header) > 0.25 or sum(1 for c in header if c) < 2:
        return 0
    following = [line for line in lines[i + 1 : i + 7] if line.strip()]
    # a comment line (``# ...``) belongs to a metadata block, never to a table's first rows
    if not following or any(_is_comment(line) for line in following):
        return 0
    body = [_cells(line, sep) for line in following]
    if _numeric_share(body[0]) < 0.5 and len(body) > 1:  # a units row under the header
        body = body[1:]
    if not body or any(len(row) > n + 1 or len(row) < 2 for row in body):
        return 0
    return n if sum(_numeric_share(r) for r in body) / len(body) >= 0.5 else 0


def find_table(lines: list[str], path: Path, start: int = 0) -> tuple[int, str]:
    """(header line, separator) of the first table at or after ``start``."""
    for i in range(start, len(lines)):
        scores = [(_score_header(lines, i, sep), sep) for sep in SEPARATORS]
        best, sep = max(scores, key=lambda s: s[0])
        if best:
            return i, sep
    raise LabDataError(
        f"{path}: no table found in the first {len(lines)} lines (a header row followed by "
        "rows of numbers)"
    )


def sniff_layout(path: Path, header_line: int | None = None, sep: str | None = None) -> TextLayout:
    """The :class:`TextLayout` of ``path``; ``header_line``/``sep`` fix what the caller knows."""
    key = ("layout", file_head.read_head(path), header_line, sep)
    layout = _SEEN.get(key)
    if layout is None:
        layout = _remember(key, _sniff_layout(path, header_line, sep))
    # a copy: a caller may change its lists
    return replace(layout, headers=list(layout.headers), preamble=list(layout.preamble))


def _sniff_layout(path: Path, header_line: int | None, sep: str | None) -> TextLayout:
    encoding, text = decode_head(path)
    lines = lines_of(text)[:1000]
    if len(text) >= file_head.HEAD_BYTES - 8 and len(lines) > 1:
        lines = lines[:-1]  # the last line of the head may be cut
    if header_line is None or sep is None:
        found, found_sep = find_table(lines, path, header_line or 0)
        header_line = found if header_line is None else header_line
        sep = sep or found_sep
    if header_line >= len(lines):
        raise LabDataError(f"{path}: line {header_line + 1}: header is past the end of the file")
    headers = [file_head.clean_name(h) for h in _cells(lines[header_line], sep)]
    following = [_cells(line, sep) for line in lines[header_line + 1 : header_line + 3]]
    unit_line = None
    if following and following[0] and _numeric_share(following[0]) < 0.5 and len(following) > 1:
        unit_line = header_line + 1
        headers = [
            f"{h} [{u}]" if u and h else h
            for h, u in zip(headers, following[0] + [""] * len(headers), strict=False)
        ]
    data = [c for row in following[1 if unit_line is not None else 0 :] for c in row if c]
    decimal = "," if sep != "," and any(_DECIMAL_COMMA.match(c) for c in data) else "."
    quoted = (
        lines[header_line].startswith('"')
        and lines[header_line].rstrip().endswith('"')
        and lines[header_line].count('"') == 2
    )
    return TextLayout(
        encoding=encoding,
        sep=sep,
        header_line=header_line,
        headers=headers,
        decimal=decimal,
        unit_line=unit_line,
        quoted_lines=quoted,
        preamble=lines[:header_line],
    )


def lines_of(text: str) -> list[str]:
    """Lines as a CSV parser counts them (only LF / CRLF end a line, unlike str.splitlines)."""
    return [line.rstrip("\r") for line in text.split("\n")]


def is_duration(sample: str) -> bool:
    """True for ``h:mm:ss(.fff)`` and ``d-hh:mm:ss`` / ``1d 02:03:04`` / ``1.02:03:04``
    durations."""
    return bool(_DURATION.match(sample.strip()) or timespans.is_colon_form(sample))
