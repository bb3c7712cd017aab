"""Which PyBaMM parameters a study runs on: a user's cell design, or a stock parameter set.

A design with a geometry and both electrodes is the user's own cell, so its derived set
(:mod:`cellwright.engines.electrochem.design_parameters`) is used; a design that only points at a
library cell runs on that cell's stock PyBaMM set.
"""

from __future__ import annotations

from typing import Any

from cellwright.projects.model import DesignSnapshot, InputError

__all__ = [
    "describes_own_cell",
    "missing_set_message",
    "parameter_label",
    "parameter_values_for",
]


def describes_own_cell(design: DesignSnapshot) -> bool:
    """True when the design defines its own electrodes and geometry."""
    cell = design.cell
    return cell.geometry is not None and cell.positive is not None and cell.negative is not None


def one_cell_note(design: DesignSnapshot, engine_id: str) -> list[str]:
    """The warning of a one-cell engine run on a pack's design: it ran one of its cells.

    A 2s1p pack of 18650s ran as one 18650 and its 11.9 W.h was stored as the pack's study
    without a word; ``electrochem.pack`` is the pack's engine.
    """
    pack = design.pack
    if pack is None:
        return []
    return [
        f"{engine_id} models one cell: this ran one cell ({design.cell.name}) of pack "
        f"{pack.name!r}, {pack.series}s{pack.parallel}p; electrochem.pack runs the pack"
    ]


def missing_set_message(design: DesignSnapshot, known: tuple[str, ...]) -> str:
    """Why a design cannot run on PyBaMM without a set, and the two ways to give it one."""
    ref = design.reference_cell
    datasheet = (
        f"; to run the library cell {ref.id!r} from its datasheet, name a design file in "
        f'[design] file whose [cell] has from = "datasheet:{ref.id}"'
        if ref is not None
        else ""
    )
    return (
        f"pybamm_parameter_set: the design has no PyBaMM parameter set{datasheet}; "
        f"or give the cell design pybamm_parameter_set, choose one of: {', '.join(known)}"
    )


def parameter_label(design: DesignSnapshot) -> str:
    """What the parameters are, for progress messages and provenance."""
    if describes_own_cell(design):
        return f"{design.cell.name} (derived from {design.parameter_set})"
    return str(design.parameter_set)


def parameter_values_for(
    design: DesignSnapshot, thermal: bool = False, notes: list[str] | None = None
) -> Any:
    """A fresh ``pybamm.ParameterValues`` for ``design``.

    Parameters
    ----------
    design
        The study's design.
    thermal
        The run has a thermal model: a stock set without thermal values gets them
        (:mod:`cellwright.engines.electrochem.stock_thermal`), said in ``notes``.
    notes
        Receives what a run's warnings should say about the parameters (also whose
        open-circuit potentials a derived design runs on).

    Raises
    ------
    InputError
        If the design has neither its own electrodes and geometry nor a PyBaMM parameter set.
    """
    from cellwright.engines.electrochem._pybamm import import_pybamm

    pybamm = import_pybamm()
    if describes_own_cell(design):
        from cellwright.engines.electrochem.design_parameters import derived_parameter_values

        values = pybamm.ParameterValues(derived_parameter_values(design.cell, design, notes))
    elif design.parameter_set is None:
        raise InputError(
            "pybamm_parameter_set: the design has no PyBaMM parameter set", design.cell.name
        )
    else:
        values = _with_cell_layers(pybamm.ParameterValues(design.parameter_set), design)
        if thermal:
            from cellwright.engines.electrochem.stock_thermal import fill_thermal_values

            fill_thermal_values(values, design, [] if notes is None else notes)
    return _with_fitted_factors(_with_stack_face_cooling(values), design)


_FACE_H = tuple(
    f"{side} current collector surface heat transfer coefficient [W.m-2.K-1]"
    for side in ("Negative", "Positive")
)


def _with_stack_face_cooling(values: Any) -> Any:
    """Collector-face cooling of PyBaMM's x-full model shared out over the cell's surface.

    x-full models one electrode pair and cools both its collector faces, each the pair's
    electrode area, at these coefficients (PyBaMM 26.10, ``thermal/pouch_cell/x_full.py``,
    ``set_rhs``). That is a single-layer pouch (Marquis2019: faces 0.057 m², cell surface
    0.057 m²); a stack or a roll has one outer surface for all its layers, so every layer was
    cooled as if it were the outer one: the Kokam SLPB 75106100 (48 layers of Ecker2015,
    0.82 m² of faces in a 0.024 m² envelope) rose 0.09 K at 1C against the lumped model's
    1.7 K. The coefficients are scaled so the faces of all the layers together carry the
    cell's cooling surface, never raised.
    """
    if not all(key in values for key in _FACE_H) or "Cell cooling surface area [m2]" not in values:
        return values
    faces = 2.0 * float(values["Electrode height [m]"]) * float(values["Electrode width [m]"])
    layers = float(values["Number of electrodes connected in parallel to make a cell"])
    share = float(values["Cell cooling surface area [m2]"]) / (faces * layers)
    if share >= 1.0:
        return values
    for key in _FACE_H:
        h = values[key]
        values[key] = (lambda *a, f=h, k=share: k * f(*a)) if callable(h) else share * h
    return values


def stock_layers(values: Any, design: DesignSnapshot) -> int:
    """How many of the stock set's electrode pairs make the library cell, by capacity.

    Some sets describe one layer of a stacked cell (Ecker2015: 0.156 A.h of the 7.5 A.h Kokam
    SLPB 75106100, Ecker et al. 2015, J. Electrochem. Soc. 162 A1836): its capacity over the
    layer's gives the layers. A set that already counts its layers, or is within a factor 1.5
    of the cell, is taken as the whole cell.
    """
    ref = design.reference_cell
    n = float(values["Number of electrodes connected in parallel to make a cell"])
    if ref is None or not ref.nominal_capacity or n > 1:
        return 1
    return max(1, round(ref.nominal_capacity / float(values["Nominal cell capacity [A.h]"])))


def _with_cell_layers(values: Any, design: DesignSnapshot) -> Any:
    layers = stock_layers(values, design)
    if layers > 1:
        values["Number of electrodes connected in parallel to make a cell"] = float(layers)
        values["Nominal cell capacity [A.h]"] = layers * values["Nominal cell capacity [A.h]"]
        # the set's volume and cooling surface are its layer's: the lumped model put the
        # whole cell's heat into one layer (stock_thermal)
        from cellwright.engines.electrochem.stock_thermal import datasheet_envelope

        envelope = datasheet_envelope(design.reference_cell)
        if "Cell volume [m3]" in values and envelope is not None:
            values["Cell volume [m3]"], values["Cell cooling surface area [m2]"] = envelope
        elif "Cell volume [m3]" in values:
            values["Cell volume [m3]"] = layers * values["Cell volume [m3]"]
    return values


def _with_fitted_factors(values: Any, design: DesignSnapshot) -> Any:
    """Apply the reference cell's factors fitted to lab data (a project's library override)."""
    ref = design.reference_cell
    if ref is None or not ref.pybamm_parameter_factors:
        return values
    for name, factor in ref.pybamm_parameter_factors.items():
        if name not in values:
            raise InputError(f"pybamm_parameter_factors: {design.parameter_set} has no "
                             f"parameter {name!r}", ref.id)  # fmt: skip
        original = values[name]
        values[name] = (lambda *a, f=original, k=factor: k * f(*a)) if callable(original) \
            else factor * original  # fmt: skip
    return values
