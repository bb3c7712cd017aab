"""Telling which text encoding a user's file is in, and saying plainly when it is not text.

Study, design, mapping and library files are UTF-8, but editors save them otherwise: Windows'
PowerShell (``Out-File``, ``>``) and Excel's "Unicode text" write UTF-16 with a byte-order mark,
Notepad wrote UTF-8 with one, and an older editor Latin-1 (Windows-1252). A byte-order mark says
the encoding for certain, so such a file is read as it says; UTF-16 without one shows in the
zero bytes of its first characters (as :func:`json.detect_encoding` tells JSON). Anything else
that is not UTF-8 is refused naming its line and byte, and what it looks like: Latin-1 text,
a Cellwright project, an archive (an Excel workbook) or other binary data.
"""

from __future__ import annotations

import codecs

from cellwright.projects.model.errors import InputError

__all__ = ["decode_text"]

#: byte-order marks, UTF-32 before UTF-16 (UTF-32 LE's mark starts with UTF-16 LE's)
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le", "UTF-32"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "UTF-32"),
    (codecs.BOM_UTF8, "utf-8", "UTF-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "UTF-16"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "UTF-16"),
)

#: the first bytes of binary files a user may pick by mistake -> what to call them
_SIGNATURES = (
    (b"SQLite format 3\x00", "an SQLite database (a Cellwright project?)"),
    (b"PK\x03\x04", "a ZIP archive (an Excel workbook?)"),
    (b"%PDF", "a PDF document"),
    (b"\xd0\xcf\x11\xe0", "an Office document (an old Excel workbook?)"),
    (b"\x89PNG", "a PNG image"),
    (b"\x1f\x8b", "a gzip archive"),
)


#: what a file with control characters that no text file holds is called
_BINARY = "it holds binary data, not text"

#: the control characters text files hold: tab, line feed, form feed, carriage return
_TEXT_CONTROLS = b"\t\n\x0c\r"


def decode_text(data: bytes, where: str, what: str = "file") -> str:
    """The text of a user's file: UTF-8, or UTF-16/32 with a byte-order mark, or UTF-16
    without one. The byte-order mark is not part of the text.

    Raises
    ------
    InputError
        Naming ``where`` (the file), the line and byte that is not text, and what the file
        looks like (Latin-1, UTF-16, a project, an archive, binary data).
    """
    for bom, codec, label in _BOMS:
        if data.startswith(bom):
            return _decode(data[len(bom) :], codec, label, where, what, len(bom))
    codec = _utf16_without_bom(data)
    if codec is not None:
        return _decode(data, codec, "UTF-16", where, what, 0)
    for signature, kind in _SIGNATURES:
        if data.startswith(signature):
            raise InputError(f"{what}: not text but {kind}", where)
    text = _decode(data, "utf-8", "UTF-8", where, what, 0)
    if "\x00" in text:  # valid UTF-8, but no text file holds NUL characters
        at = data.index(b"\x00")
        line = data.count(b"\n", 0, at) + 1
        raise InputError(f"line {line}: {what}: not text (byte {at} is NUL); {_BINARY}", where)
    return text


def _utf16_without_bom(data: bytes) -> str | None:
    """``utf-16-le``/``-be`` when the first two characters are ASCII written in two bytes
    each (one of them zero), else None."""
    head = data[:4]
    if len(head) < 4 or b"\x00\x00" in head:
        return None
    if head[1] == 0 and head[3] == 0:
        return "utf-16-le"
    if head[0] == 0 and head[2] == 0:
        return "utf-16-be"
    return None


def _decode(data: bytes, codec: str, label: str, where: str, what: str, offset: int) -> str:
    """``data`` decoded, or an :class:`InputError` naming the line and byte (``offset``: the
    length of a byte-order mark before ``data``) where it stops being ``label`` text."""
    try:
        return data.decode(codec)
    except UnicodeDecodeError as exc:
        line = data[: exc.start].decode(codec, errors="replace").count("\n") + 1
        shown = data[exc.start : exc.start + 4]
        raise InputError(
            f"line {line}: {what}: not {label} text (byte {exc.start + offset}: {shown!r}); "
            f"{_looks_like(data, label)}",
            where,
        ) from None


def _looks_like(data: bytes, label: str) -> str:
    """What a file that is not ``label`` text seems to be, and what to do about it."""
    if label != "UTF-8":
        return f"the file starts with a {label} byte-order mark but is not {label} throughout"
    head = data[:8192]
    controls = any(byte < 0x20 and byte not in _TEXT_CONTROLS for byte in head)
    # text in a one-byte encoding is mostly ASCII, even in French or German
    if controls or sum(byte >= 0x80 for byte in head) > len(head) / 4:
        return _BINARY
    try:
        head.decode("cp1252")
    except UnicodeDecodeError:  # a byte Windows-1252 leaves undefined
        return "save it as UTF-8 text"
    return "it looks like Latin-1 (Windows-1252) text: save it as UTF-8"
