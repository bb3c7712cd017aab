"""The QR code on a battery: its passport identifier (Art. 77(3) of Regulation (EU) 2023/1542).

segno writes ISO/IEC 18004 QR codes; error-correction level Q (25 %) because the code sits on a
battery label that gets scratched. The symbol holds the identifier, or the URL it resolves at
when a resolver is given.
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["QR_FORMATS", "passport_qr"]

#: the suffixes segno writes
QR_FORMATS = (".svg", ".png", ".pdf", ".eps", ".txt")


def passport_qr(identifier: str, path: str | Path, resolver: str = "", scale: int = 8) -> Path:
    """Write the QR code of ``identifier`` (as ``resolver + identifier`` if a resolver URL is
    given) to ``path``; the suffix chooses the format (.svg, .png, .pdf, .eps, .txt).

    Raises
    ------
    InputError
        For a suffix segno does not write or a path that cannot be written.
    """
    import segno

    from cellwright.projects.userfiles import check_writable

    path = check_writable(path, "QR code", QR_FORMATS)  # not segno's "Unknown file extension"
    qr = segno.make(f"{resolver}{identifier}", error="q", micro=False)
    # a text file is one character per module: segno's text writer takes no scale
    qr.save(path, border=4, **({} if path.suffix.lower() == ".txt" else {"scale": scale}))
    return path
