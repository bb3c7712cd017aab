"""The cell and pack builder: derived figures of designs (capacity, energy, mass, cost, ...).

Qt-free and engine-free: everything here is computed from a design and the library materials
it names (``DesignSnapshot.materials``).
"""

from cellwright.projects.design.cell_figures import CellFigures, cell_figures
from cellwright.projects.design.cell_summary import CellSummary, cell_box
from cellwright.projects.design.pack_calculator import BomLine, PackFigures, pack_design_figures
from cellwright.projects.design.pack_layout import Box, CellBox, PackLayout, pack_layout
from cellwright.projects.design.report import cell_summary_for, design_report, design_warnings

__all__ = [
    "BomLine",
    "Box",
    "CellBox",
    "CellFigures",
    "CellSummary",
    "PackFigures",
    "PackLayout",
    "cell_box",
    "cell_figures",
    "cell_summary_for",
    "design_report",
    "design_warnings",
    "pack_design_figures",
    "pack_layout",
]
