"""A pump curve and the operating point where it meets the network's system curve.

The pump curve is the user's table of flow against pressure rise, interpolated with a monotone
cubic (Fritsch & Carlson 1980, scipy's PCHIP) so that it never invents a bump between points.
The operating point is the flow at which the pump's pressure rise equals what the network
needs, found by Brent's method between the curve's first and last flow; when the two curves do
not cross there, the error says which way they miss and by how much.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from cellwright.projects.model import InputError

__all__ = ["PumpCurve", "operating_point"]

_LMIN = 6e4  # (L/min) per (m^3/s): messages speak the units pump data sheets use


class PumpCurve:
    """Pressure rise [Pa] against volumetric flow [m^3/s] from a table of points.

    Raises
    ------
    InputError
        Unless there are two or more points with increasing flow and falling pressure.
    """

    def __init__(self, points: Sequence[Sequence[float]], where: str = "spec.pump_curve"):
        table = np.asarray(points, float)
        if table.ndim != 2 or table.shape[1] != 2 or table.shape[0] < 2:
            raise InputError("give two or more [flow m^3/s, pressure rise Pa] points", where)
        flows, rises = table[:, 0], table[:, 1]
        if np.any(flows < 0) or np.any(np.diff(flows) <= 0):
            raise InputError("flows must be zero or positive and increase point by point", where)
        if np.any(np.diff(rises) > 0):
            raise InputError(
                "the pressure rise must fall (or stay level) as the flow grows: a rising pump "
                "curve has no stable operating point",
                where,
            )
        from scipy.interpolate import PchipInterpolator

        self.flows, self.rises, self.where = flows, rises, where
        self._curve = PchipInterpolator(flows, rises)

    def rise(self, flow: float) -> float:
        """Pressure rise at ``flow`` [Pa]."""
        return float(self._curve(flow))


def operating_point(curve: PumpCurve, system: Callable[[float], float]) -> float:
    """The flow [m^3/s] where ``curve`` meets ``system`` (flow -> pressure the network needs).

    Raises
    ------
    InputError
        If the curves do not cross within the pump curve's flows.
    """
    from scipy.optimize import brentq

    low = max(curve.flows[0], curve.flows[-1] * 1e-6)
    high = curve.flows[-1]
    excess_low = curve.rise(low) - system(low)
    if excess_low <= 0:
        raise InputError(
            f"the pump curve never meets the system curve: at {low * _LMIN:.3g} L/min, the "
            f"lowest flow on the curve, the network needs {system(low) / 1e3:.3g} kPa but the "
            f"pump gives {curve.rise(low) / 1e3:.3g} kPa (a stronger pump, or wider channels)",
            curve.where,
        )
    excess_high = curve.rise(high) - system(high)
    if excess_high > 0:
        raise InputError(
            f"the pump curve never meets the system curve: at {high * _LMIN:.3g} L/min, the "
            f"highest flow on the curve, the pump still gives {curve.rise(high) / 1e3:.3g} kPa "
            f"where the network needs only {system(high) / 1e3:.3g} kPa; extend the curve to "
            "higher flows, down to where its pressure rise meets the network's",
            curve.where,
        )
    return float(
        brentq(lambda q: curve.rise(q) - system(q), low, high, xtol=1e-12 * high, rtol=1e-10)
    )
