"""Pressure drop and heat transfer of one branch at a given flow and coolant temperature.

The pressure drop of a branch is written Δp = a Q + b Q|Q| with a and b evaluated at the
current flow (a carries laminar friction, linear in Q; b turbulent friction and minor losses,
quadratic): the network solver iterates on those coefficients. Minor losses come from
``fluids.fittings`` (Rennels 2012 bends, contractions and expansions; Crane TP-410 tees),
each referred to the branch's own velocity. Tube banks use Zukauskas (1972): Nu from the
correlation of Incropera et al. (6th ed., Table 7.5) with ``ht``'s row correction, Δp from
``ht.dP_Zukauskas`` (the friction charts of Incropera Figs. 7.14-7.15).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

from cellwright.engines.cfd.coolants import Coolant
from cellwright.engines.cfd.correlations import Duct, WallCondition, friction_factor, nusselt
from cellwright.engines.cfd.network_model import Branch, Fitting, TubeBank

__all__ = ["BranchState", "branch_state", "segment_heat_transfer", "tube_bank_nusselt"]

_TINY_RE = 1e-6  # a branch without flow is evaluated at this Re (its laminar limit)


@lru_cache(maxsize=1)
def _fittings():
    """fluids.fittings, imported once on first use (a solve asks for it thousands of times)."""
    from fluids import fittings

    return fittings


@dataclass
class BranchState:
    """What a branch does at one flow: Δp law coefficients and the figures the result shows."""

    a: float  # Pa s/m^3
    b: float  # Pa s^2/m^6
    velocity: float
    reynolds: float
    friction: float  # Darcy (tube bank: Zukauskas f)
    k_total: float
    friction_name: str
    minor_names: tuple[str, ...]

    def pressure_drop(self, flow: float) -> float:
        """Δp from start to end at ``flow`` [Pa]."""
        return self.a * flow + self.b * flow * abs(flow)

    def split(self, flow: float, rho: float, area: float) -> tuple[float, float]:
        """(friction, minor-loss) parts of the pressure drop [Pa] at ``flow``."""
        minor = self.k_total * rho * (flow / area) ** 2 / 2 * math.copysign(1.0, flow)
        return self.pressure_drop(flow) - minor, minor


def _fitting_k(f: Fitting, duct: Duct, re: float, fd: float, flows, areas) -> tuple[float, str]:
    F = _fittings()
    d = duct.hydraulic_diameter
    if f.kind == "k":
        return f.k, "given K"
    if f.kind in ("bend", "u_turn"):
        angle = 180.0 if f.kind == "u_turn" else f.angle
        k = F.bend_rounded(Di=d, angle=angle, fd=fd, bend_diameters=f.radius_ratio, Re=re)
        return k, f"Rennels 2012 {angle:g} deg bend (fluids.bend_rounded)"
    if f.kind == "contraction":
        return F.contraction_sharp(Di1=f.other_diameter, Di2=d, fd=fd, Re=re), (
            "Rennels 2012 sharp contraction (fluids.contraction_sharp)"
        )
    if f.kind == "expansion":
        return F.diffuser_sharp(Di1=d, Di2=f.other_diameter, Re=re, fd=fd), (
            "Rennels 2012 sharp expansion (fluids.diffuser_sharp)"
        )
    if f.kind == "entrance":
        return F.entrance_sharp(), "Rennels 2012 sharp entrance (fluids.entrance_sharp)"
    if f.kind == "exit":
        return F.exit_normal(), "exit K = 1 (fluids.exit_normal)"
    return _tee_k(f, d, flows, areas)


def _tee_k(f: Fitting, d: float, flows, areas) -> tuple[float, str]:
    """A tee's K from Crane TP-410 (fluids), referred to the combined stream, then converted
    to this branch's velocity: K_own = K_comb (V_comb / V_own)^2.

    ``flows`` are (this branch's, the combined stream's); on a branch fitting this branch is
    the tee's side branch, on a run fitting its straight-through leg.
    """
    F = _fittings()
    own, combined = abs(flows[0]), abs(flows[1])
    if own <= 0 or combined <= 0:
        return 0.0, "Crane TP-410 tee (fluids)"
    own = min(own, combined)
    side = own if "branch" in f.kind else combined - own  # flow through the side branch
    function = {
        "tee_branch_diverging": F.K_branch_diverging_Crane,
        "tee_run_diverging": F.K_run_diverging_Crane,
        "tee_branch_converging": F.K_branch_converging_Crane,
        "tee_run_converging": F.K_run_converging_Crane,
    }[f.kind]
    run_d = f.run_diameter or d
    side_d = d if "branch" in f.kind else (f.other_diameter or run_d)
    k = function(
        D_run=run_d,
        D_branch=side_d,
        Q_run=max(combined - side, 1e-30 * combined),
        Q_branch=max(side, 1e-30 * combined),
    )
    v_comb, v_own = combined / areas[1], own / areas[0]
    return k * (v_comb / v_own) ** 2, f"Crane TP-410 {f.kind.replace('_', ' ')} (fluids)"


def branch_state(
    branch: Branch,
    flow: float,
    rho: float,
    mu: float,
    flows,
    areas,
    developing: bool = True,
) -> BranchState:
    """The branch's Δp law and figures at ``flow`` [m^3/s], density ``rho`` and viscosity ``mu``.

    ``flows``/``areas`` give every branch's current flow and area (tees refer to a partner);
    ``developing`` adds the entrance region's extra friction to laminar ducts.
    """
    area = branch.area
    velocity = abs(flow) / area
    if branch.bank is not None:
        return _bank_state(branch.bank, velocity, rho, mu, area)
    duct = branch.duct
    d = duct.hydraulic_diameter
    re = max(rho * velocity * d / mu, _TINY_RE)
    fd, name = friction_factor(duct, re, developing)
    if re < 2300:  # laminar: Δp = (f Re) mu L V / (2 d^2), linear in Q
        a, b = fd * re * mu * duct.length / (2 * d**2 * area), 0.0
    else:
        a, b = 0.0, fd * duct.length / d * rho / (2 * area**2)
    k_total, names = 0.0, []
    for f in branch.fittings:
        partner = (flow, flows[f.partner]) if f.partner >= 0 else (flow, flow)
        partner_areas = (area, areas[f.partner]) if f.partner >= 0 else (area, area)
        k, k_name = _fitting_k(f, duct, re, fd, partner, partner_areas)
        k_total += k
        names.append(k_name)
    # a combining tee can recover pressure (K < 0); the branch's total loss is kept >= 0 so
    # that its pressure drop grows with its flow, as the solver's Newton steps assume
    k_total = max(k_total, 0.0)
    b += k_total * rho / (2 * area**2)
    return BranchState(a, b, velocity, re, fd, k_total, name, tuple(names))


def _bank_state(bank: TubeBank, velocity: float, rho: float, mu: float, area: float):
    from ht.conv_tube_bank import dP_Zukauskas

    v_max = _max_velocity(bank, velocity)
    re = max(rho * v_max * bank.diameter / mu, _TINY_RE)
    st, sl = bank.pitch_transverse, bank.pitch_longitudinal
    if not bank.staggered:
        sl = st  # ht picks the in-line chart when the pitches are equal
    dp = dP_Zukauskas(re, bank.rows, st, sl, bank.diameter, rho, v_max) if re > 0 else 0.0
    flow = velocity * area
    b = dp / flow**2 if flow > 0 else 0.0
    f = dp / (bank.rows * rho * v_max**2 / 2) if v_max > 0 else 0.0
    return BranchState(
        0.0, b, velocity, re, f, 0.0, "Zukauskas 1972 tube bank (ht.dP_Zukauskas)", ()
    )


def _max_velocity(bank: TubeBank, velocity: float) -> float:
    """Velocity in the narrowest gap (Incropera eqs. 7.57-7.59)."""
    st, sl, d = bank.pitch_transverse, bank.pitch_longitudinal, bank.diameter
    if bank.staggered:
        diagonal = math.hypot(sl, st / 2)
        if diagonal < (st + d) / 2:
            return st / (2 * (diagonal - d)) * velocity
    return st / (st - d) * velocity


# Zukauskas (1972) as in Incropera et al. 6th ed. Table 7.5: (Re upper limit, C, m)
_ALIGNED = ((100, 0.80, 0.40), (1000, 0.51, 0.50), (2e5, 0.27, 0.63), (2e6, 0.021, 0.84))
_STAGGERED = ((100, 0.90, 0.40), (1000, 0.51, 0.50), (2e5, 0.35, 0.60), (2e6, 0.022, 0.84))


def tube_bank_nusselt(bank: TubeBank, re_max: float, pr: float) -> tuple[float, str]:
    """Mean Nu over the bank (tube diameter), Zukauskas (1972) with the row correction.

    The 100 < Re < 1000 band is the single-cylinder value Incropera's table defers to
    (Zukauskas: C = 0.51, m = 0.5); (Pr/Pr_s)^(1/4) is taken as 1 (bulk ≈ wall Pr for air).
    """
    from ht.conv_tube_bank import Zukauskas_tube_row_correction

    table = _STAGGERED if bank.staggered else _ALIGNED
    c, m = next(((c, m) for limit, c, m in table if re_max < limit), table[-1][1:])
    if bank.staggered and re_max >= 1000:
        ratio = bank.pitch_transverse / bank.pitch_longitudinal
        c = 0.35 * ratio**0.2 if ratio < 2 and re_max < 2e5 else (0.40 if re_max < 2e5 else c)
    nu = c * re_max**m * pr**0.36
    if bank.rows < 20:
        nu *= Zukauskas_tube_row_correction(bank.rows, staggered=bank.staggered, Re=re_max)
    return nu, "Zukauskas 1972 tube bank (Incropera Table 7.5; row correction ht)"


def segment_heat_transfer(
    branch: Branch,
    state: BranchState,
    temperature: float,
    coolant: Coolant,
    wall: WallCondition,
    laminar_model: str,
) -> tuple[list[float], str]:
    """Mean h [W/(m^2 K)] of each segment of the branch, and the correlation's name.

    For a duct the segment over [x0, x1] gets h from the mean Nusselt number Nu_m(x) of the
    duct's first x metres: h = k/d (x1 Nu_m(x1) - x0 Nu_m(x0)) / (x1 - x0), which is exact for
    a mean defined as the area average; the entrance region's higher h stays at the entrance.
    """
    k = float(coolant.conductivity(temperature))
    pr = float(coolant.prandtl(temperature))
    n = branch.segments
    if branch.bank is not None:
        nu, name = tube_bank_nusselt(branch.bank, state.reynolds, pr)
        return [nu * k / branch.bank.diameter] * n, name
    duct, re = branch.duct, max(state.reynolds, _TINY_RE)
    d = duct.hydraulic_diameter
    edges = [duct.length * j / n for j in range(n + 1)]
    totals, name = [0.0], ""
    for x in edges[1:]:
        nu = nusselt(duct, re, pr, wall, laminar_model, length=x)
        totals.append(x * nu.value)
        name = nu.name
    return [(totals[j + 1] - totals[j]) / (edges[j + 1] - edges[j]) * k / d for j in range(n)], name
