"""Black-and-white masks for ``cfd.flow2d``: grey levels of a PNG or a PNM (PBM/PGM/PPM) image.

Both formats are read here from their specifications (PNG: ISO/IEC 15948:2004, non-interlaced,
bit depth 8 in any colour type, or 1 for grey and palette images; Netpbm: P1-P6) so that a mask
needs no image library and its bytes never touch a file the engine would have to write.
"""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

import numpy as np

from cellwright.projects.model import InputError

__all__ = ["read_mask_image"]

_CHANNELS = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}  # PNG colour type -> samples per pixel


def read_mask_image(path: str, where: str) -> np.ndarray:
    """Grey levels 0 (black) .. 1 (white), rows from the top of the image."""
    from cellwright.projects.userfiles import read_bytes

    data = read_bytes(path, "mask image")
    suffix = Path(path).suffix.lower()
    try:
        if suffix == ".png":
            return _png(data)
        if suffix in (".pbm", ".pgm", ".ppm", ".pnm"):
            return _pnm(data)
    except (ValueError, zlib.error, struct.error, IndexError) as exc:
        raise InputError(f"mask image {path}: not a readable image ({exc})", where) from None
    raise InputError(f"mask image {path}: use PNG or PNM (PBM/PGM/PPM), not {suffix!r}", where)


def _pnm(data: bytes) -> np.ndarray:
    magic = data[:2].decode("ascii")
    if magic not in ("P1", "P2", "P3", "P4", "P5", "P6"):
        raise ValueError(f"unknown Netpbm magic {magic!r}")
    bitmap = magic in ("P1", "P4")
    fields, pos = [], 2
    needed = 2 if bitmap else 3
    while len(fields) < needed:  # header: width, height[, maxval], '#' comments allowed
        while data[pos : pos + 1].isspace():
            pos += 1
        if data[pos : pos + 1] == b"#":
            pos = data.index(b"\n", pos)
            continue
        end = pos
        while not data[end : end + 1].isspace():
            end += 1
        fields.append(int(data[pos:end]))
        pos = end
    width, height = fields[0], fields[1]
    top = 1 if bitmap else fields[2]
    channels = 3 if magic in ("P3", "P6") else 1
    count = width * height * channels
    if magic in ("P1", "P2", "P3"):
        values = (
            np.array(data[pos:].split()[:count], float)
            if magic != "P1"
            else np.array([c - 48 for c in data[pos:] if c in (48, 49)][:count], float)
        )
    elif magic == "P4":
        rows = (width + 7) // 8
        raw = np.frombuffer(data[pos + 1 : pos + 1 + rows * height], np.uint8).reshape(height, rows)
        values = np.unpackbits(raw, axis=1)[:, :width].astype(float).ravel()
    else:
        dtype = np.uint8 if top < 256 else ">u2"
        values = np.frombuffer(data[pos + 1 :], dtype)[:count].astype(float)
    grey = values.reshape(height, width, channels).mean(axis=2) / top
    return 1.0 - grey if bitmap else grey  # in a PBM 1 is black


def _png(data: bytes) -> np.ndarray:
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("no PNG signature")
    pos, idat, palette = 8, b"", None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos : pos + 8])
        body = data[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", body)
        elif kind == b"PLTE":
            palette = np.frombuffer(body, np.uint8).reshape(-1, 3).mean(axis=1)
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    if interlace or not (depth == 8 or (depth == 1 and colour in (0, 3))):
        raise ValueError(
            f"bit depth {depth}, colour type {colour}, interlace {interlace} is not "
            "supported: save the mask as an 8-bit non-interlaced PNG"
        )
    channels = _CHANNELS[colour]
    stride = (width * channels * depth + 7) // 8
    rows = _unfilter(zlib.decompress(idat), height, stride, max(1, channels * depth // 8))
    if depth == 1:
        pixels = np.unpackbits(rows, axis=1)[:, :width].astype(float)
    else:
        pixels = rows.reshape(height, width, channels).astype(float)
    if colour == 3:
        return palette[pixels.astype(int).reshape(height, width)] / 255.0
    if depth == 1:
        return pixels
    grey = pixels[..., : 3 if colour in (2, 6) else 1].mean(axis=2)
    return grey / 255.0


def _unfilter(raw: bytes, height: int, stride: int, bpp: int) -> np.ndarray:
    """Undo the per-row filters (PNG spec §9: None, Sub, Up, Average, Paeth)."""
    out = np.zeros((height, stride), np.uint8)
    previous = np.zeros(stride, np.int32)
    for r in range(height):
        start = r * (stride + 1)
        kind, line = raw[start], np.frombuffer(raw[start + 1 : start + 1 + stride], np.uint8)
        row = line.astype(np.int32)
        if kind == 2:
            row = (row + previous) & 0xFF
        elif kind in (1, 3, 4):
            row = row.copy()
            for i in range(stride):
                left = row[i - bpp] if i >= bpp else 0
                up, corner = previous[i], previous[i - bpp] if i >= bpp else 0
                if kind == 1:
                    predictor = left
                elif kind == 3:
                    predictor = (left + up) // 2
                else:
                    p = left + up - corner
                    pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                    predictor = left if pa <= pb and pa <= pc else (up if pb <= pc else corner)
                row[i] = (row[i] + predictor) & 0xFF
        out[r] = row
        previous = row
    return out
