"""Where a plot's legend covers the least data: the corner its curves leave emptiest.

A fixed top-right legend covered the end of a crush's force-displacement curve, which rises
to that corner; a discharge's voltage falls away from it. Each curve is seen as auto-range
fits it (in decades on a log axis), the curves of the right axis in their own y range, or,
once the user has zoomed or panned, as the view shows it: only the points in sight crowd a
corner.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

__all__ = ["emptiest_corner"]

#: (right, bottom) corners in the order a tie is settled: top right, as pyqtgraph puts it
_CORNERS = ((1, 0), (0, 0), (1, 1), (0, 1))


#: the view's x and y range of the left (False) or right (True) axis' curves, in the view's
#: coordinates (decades on a log axis)
ViewRanges = dict[bool, tuple[tuple[float, float], tuple[float, float]]]


def emptiest_corner(
    curves: Sequence[tuple[np.ndarray, np.ndarray, bool]],
    size: tuple[float, float],
    log: tuple[bool, bool] = (False, False),
    ranges: ViewRanges | None = None,
) -> tuple[int, int]:
    """The corner, as (right, bottom) flags, holding the smallest share of the curves' points.

    Parameters
    ----------
    curves
        (x, y, on the right axis) of each curve, in data values.
    size
        The legend's width and height as shares of the view's.
    log
        Whether the x and y axes are logarithmic.
    ranges
        What the view shows (a zoomed or panned view); None: the curves' whole extent.
    """
    w, h = (min(max(s, 0.05), 1.0) for s in size)
    crowding = dict.fromkeys(_CORNERS, 0.0)
    for u, v in _shares_of_view(curves, log, ranges):
        for right, bottom in _CORNERS:
            # a point out of sight (a share outside 0-1) is in no corner
            in_x = (u >= 1 - w) & (u <= 1) if right else (u <= w) & (u >= 0)
            in_y = (v <= h) & (v >= 0) if bottom else (v >= 1 - h) & (v <= 1)
            crowding[right, bottom] += np.count_nonzero(in_x & in_y) / max(u.size, 1)
    return min(_CORNERS, key=crowding.__getitem__)  # the first of equals


def _shares_of_view(
    curves: Sequence[tuple[np.ndarray, np.ndarray, bool]],
    log: tuple[bool, bool],
    ranges: ViewRanges | None = None,
) -> list[tuple[np.ndarray, np.ndarray]]:
    """Each curve's points as shares (0-1 in sight) of the view's range on its axis, or of
    the range of the curves on its axis."""
    groups: dict[bool, list[tuple[np.ndarray, np.ndarray]]] = {False: [], True: []}
    for x, y, right in curves:
        x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
        with np.errstate(divide="ignore", invalid="ignore"):
            x, y = (np.log10(x) if log[0] else x), (np.log10(y) if log[1] else y)
        keep = np.isfinite(x) & np.isfinite(y)
        groups[right].append((x[keep], y[keep]))
    shares = []
    for side, group in groups.items():
        if not any(x.size for x, _ in group):
            continue
        if ranges is not None and side in ranges:
            (x0, x1), (y0, y1) = ranges[side]
        else:
            xs, ys = np.concatenate([x for x, _ in group]), np.concatenate([y for _, y in group])
            (x0, x1), (y0, y1) = (xs.min(), xs.max()), (ys.min(), ys.max())
        shares += [((x - x0) / ((x1 - x0) or 1.0), (y - y0) / ((y1 - y0) or 1.0))
                   for x, y in group]  # fmt: skip
    return shares
