"""Legacy .xls workbooks written byte by byte for the lab-data tests (no writer of BIFF8 is
a dependency): a BIFF8 stream of number and text cells in an OLE2 compound file."""

from __future__ import annotations


def biff8_workbook(sheets: dict[str, list[list]]) -> bytes:
    """A BIFF8 workbook stream: globals (BOF, BOUNDSHEET per sheet, EOF) then each sheet's
    BOF, NUMBER/LABEL cells and EOF (Microsoft [MS-XLS] 2.4.21 BOF, 2.4.28 BoundSheet8,
    2.4.180 Number, 2.4.148 Label)."""
    import struct

    def record(opcode: int, data: bytes = b"") -> bytes:
        return struct.pack("<HH", opcode, len(data)) + data

    def bof(kind: int) -> bytes:
        return record(0x0809, struct.pack("<HHHHII", 0x0600, kind, 0x0DBB, 0x07CC, 0, 0x0006))

    bodies = []
    for rows in sheets.values():
        body = bof(0x0010)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if isinstance(value, str):
                    text = value.encode("latin-1")
                    body += record(0x0204, struct.pack("<HHHHB", r, c, 0, len(text), 0) + text)
                elif value is not None:
                    body += record(0x0203, struct.pack("<HHHd", r, c, 0, float(value)))
        bodies.append(body + record(0x000A))
    names = [name.encode("latin-1") for name in sheets]
    globals_size = len(bof(0x0005)) + len(record(0x000A))
    globals_size += sum(len(record(0x0085, b"\0" * (8 + len(n)))) for n in names)
    out, offset = bof(0x0005), globals_size
    for name, body in zip(names, bodies, strict=True):
        out += record(0x0085, struct.pack("<IBBBB", offset, 0, 0, len(name), 0) + name)
        offset += len(body)
    return out + record(0x000A) + b"".join(bodies)


def ole2(stream: bytes, name: str = "Workbook") -> bytes:
    """``stream`` in an OLE2 compound file ([MS-CFB] version 3: 512-byte sectors): FAT in
    sector 0, directory in sector 1, the stream from sector 2 (padded past the 4096-byte
    mini-stream cut-off so that no mini FAT is needed)."""
    import struct

    free, end, fat_sect, none = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF
    stream = stream + b"\0" * max(0, 4096 - len(stream))
    stream += b"\0" * (-len(stream) % 512)
    n = len(stream) // 512
    assert n + 2 <= 128, "one FAT sector holds 128 entries"
    fat = [fat_sect, end] + [2 + k + 1 for k in range(n - 1)] + [end]
    fat += [free] * (128 - len(fat))
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 16
    header += struct.pack("<HHHHH", 0x003E, 0x0003, 0xFFFE, 9, 6) + b"\0" * 6
    header += struct.pack("<IIIIIIIII", 0, 1, 1, 0, 4096, end, 0, end, 0)
    header += struct.pack("<I", 0) + struct.pack("<I", free) * 108

    def entry(label: str, kind: int, child: int, start: int, size: int) -> bytes:
        raw = (label + "\0").encode("utf-16-le") if label else b""
        return (
            raw.ljust(64, b"\0")
            + struct.pack("<HBBIII", len(raw), kind, 1, none, none, child)
            + b"\0" * 16
            + struct.pack("<I", 0)
            + b"\0" * 16
            + struct.pack("<III", start, size, 0)
        )

    directory = entry("Root Entry", 5, 1, end, 0) + entry(name, 2, none, 2, len(stream))
    directory += entry("", 0, none, end, 0) * 2
    return header + struct.pack("<128I", *fat) + directory + stream
