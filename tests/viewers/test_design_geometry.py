"""Preview shapes of cells and packs: closed boxes, one merged surface per part, and fast."""

from __future__ import annotations

import numpy as np
import pytest

from cellwright.projects.design.reference_designs import lg_m50
from cellwright.projects.design.resolve import design_snapshot
from cellwright.projects.model import (
    Busbar,
    CellDesign,
    CoolingPlate,
    InputError,
    ModuleArrangement,
    PackDesign,
    PrismaticGeometry,
    ThermalInterface,
)
from cellwright.viewers.design_geometry import GROUP, boxes_polydata, design_parts


def _pack(**changes) -> PackDesign:
    values = dict(
        name="96s4p", cell="lg-m50", series=96, parallel=4,
        arrangement=ModuleArrangement(rows=4, columns=12, module_rows=2),
        busbar=Busbar(), cooling_plate=CoolingPlate(), thermal_interface=ThermalInterface(),
    )  # fmt: skip
    return PackDesign(**(values | changes))


def test_boxes_are_closed_surfaces_in_millimetres() -> None:
    boxes = boxes_polydata([(0, 0, 0, 0.01, 0.02, 0.03), (1, 1, 1, 0.001, 0.001, 0.001)])
    assert boxes.n_cells == 12 and boxes.n_points == 16
    assert boxes.bounds[1] == pytest.approx(1001) and boxes.bounds[3] == pytest.approx(1001)
    assert boxes.triangulate().volume == pytest.approx(10 * 20 * 30 + 1)


def test_96s4p_pack_is_one_surface_per_part(library) -> None:
    # its speed (goal < 100 ms) is measured by tests/bench/test_design_preview_bench.py
    pack = _pack()
    parts = design_parts(pack, design_snapshot(pack, None, library))
    cells = parts["cells"]
    assert set(np.unique(cells.cell_data["copy"])) == set(range(384))
    assert set(np.unique(cells.cell_data[GROUP])) == set(range(96))
    assert len(parts["busbars"].points) == 95 * 8  # one bar per series connection
    plate = parts["cooling plate"].bounds
    assert cells.bounds[4] == pytest.approx(plate[5] + 1.0, abs=1e-3)  # on the 1 mm pad


def test_impossible_pack_is_refused_by_name(library) -> None:
    from cellwright.projects.model import Enclosure

    pack = _pack(enclosure=Enclosure(length=0.5, width=0.5, height=0.2))
    with pytest.raises(InputError, match=r"enclosure\.length"):
        design_parts(pack, design_snapshot(pack, None, library))


def test_cells_of_every_format(library) -> None:
    cylinder = lg_m50()
    parts = design_parts(cylinder, design_snapshot(cylinder, None, library))
    assert parts["housing"].bounds[5] == pytest.approx(70.15, abs=1e-3)
    prismatic = cylinder.model_copy(
        update={
            "format": "prismatic",
            "geometry": PrismaticGeometry(length=0.148, width=0.091, thickness=0.0265),
        }
    )
    parts = design_parts(prismatic, design_snapshot(prismatic, None, library))
    assert parts["tabs"].bounds[5] > 91  # terminals on top of the can
    bare = CellDesign(name="ref only", format="cylindrical", reference_cell="lg-m50")
    parts = design_parts(bare, design_snapshot(bare, None, library))
    assert set(parts) == {"housing"}
