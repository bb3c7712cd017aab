"""The QR code on a battery: its passport identifier (Art. 77(3) of Regulation (EU) 2023/1542).

segno writes ISO/IEC 18004 QR codes; error-correction level Q (25 %) because the code sits on a
battery label that gets scratched. The symbol holds the identifier, or the URL it resolves at
when a resolver is given.
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["passport_qr"]


def passport_qr(identifier: str, path: str | Path, resolver: str = "", scale: int = 8) -> Path:
    """Write the QR code of ``identifier`` (as ``resolver + identifier`` if a resolver URL is
    given) to ``path``; the suffix chooses the format (.svg, .png, .pdf, .eps, .txt)."""
    import segno

    path = Path(path)
    qr = segno.make(f"{resolver}{identifier}", error="q", micro=False)
    qr.save(path, scale=scale, border=4)
    return path
