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


def colour_spread(path: Path) -> tuple[float, int]:
    """(share of the most common colour, number of distinct colours) among the pixels that
    are not the background (the corner pixel's colour); colours quantised to 32 levels.

    A field drawn in one flat colour has a share near 1; a field that shows structure spreads
    over many colours.
    """
    from PySide6 import QtGui

    image = QtGui.QImage(str(path)).convertToFormat(QtGui.QImage.Format.Format_RGB32)
    assert not image.isNull(), f"{path} is not a readable image"
    pixels = np.frombuffer(image.constBits(), dtype=np.uint8, count=image.sizeInBytes())
    rgb = pixels.reshape(image.height(), -1, 4)[:, : image.width(), :3].reshape(-1, 3)
    background = rgb[0]
    shown = rgb[np.any(np.abs(rgb.astype(int) - background) > 8, axis=1)] // 8
    if len(shown) == 0:
        return 1.0, 0
    codes = shown[:, 0].astype(np.int64) * 1024 + shown[:, 1] * 32 + shown[:, 2]
    _, counts = np.unique(codes, return_counts=True)
    return float(counts.max() / counts.sum()), int(counts.size)
