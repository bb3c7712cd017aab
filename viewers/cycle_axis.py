"""CycleAxis: an axis of whole numbers (cycles), which never ticks between two of them.

pyqtgraph picks tick spacings of 1, 2 or 5 times a power of ten to suit the pixels it has: a
run of two cycles got ticks at 1.2, 1.4 … on its cycle axis, places no cycle can be.
"""

from __future__ import annotations

import pyqtgraph as pg

__all__ = ["CycleAxis"]


class CycleAxis(pg.AxisItem):
    """An :class:`pyqtgraph.AxisItem` whose ticks are whole numbers only.

    Spacings below one are dropped; a view of a few cycles ticks every cycle. Long runs keep
    pyqtgraph's spacing (500 and 100 for 2000 cycles), which is whole already.
    """

    # pyqtgraph's hook, with pyqtgraph's names
    def tickSpacing(self, minVal: float, maxVal: float, size: float) -> list[tuple[float, float]]:
        levels = super().tickSpacing(minVal, maxVal, size)
        if self.logMode or self.scale != 1.0:
            return levels  # log ticks are powers of ten; a scaled axis is not counting cycles
        # spacings of one and more are 1, 2, 5 × 10^k with offset 0: every tick is whole
        whole = [(spacing, offset) for spacing, offset in levels if spacing >= 1.0]
        return whole or [(1.0, 0.0)]
