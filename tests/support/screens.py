"""Screenshots of widgets, saved under build/screenshots and checked not to be blank."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from support.paths import SCREENSHOTS

__all__ = ["SCREENSHOTS", "screenshot"]


def screenshot(widget, name: str) -> Path:
    """Save a picture of ``widget`` as build/screenshots/<name>.png; fail if it is blank."""
    from PySide6 import QtGui

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    image = widget.grab().toImage().convertToFormat(QtGui.QImage.Format.Format_RGB32)
    assert image.save(str(path))
    ptr = image.constBits()
    pixels = np.frombuffer(ptr, dtype=np.uint8, count=image.sizeInBytes())
    assert pixels.reshape(-1, 4)[:, :3].std() > 10, f"{name} looks blank"
    return path
