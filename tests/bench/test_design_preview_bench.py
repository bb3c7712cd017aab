"""Builder preview speed for a 96s4p pack (384 cells, plate, channels, busbars): the Qt-free
shapes (goal < 100 ms) and a full redraw after an edit, rendered (software OpenGL under Xvfb).

Run with ``make bench``.
"""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.bench, pytest.mark.gui]


@pytest.fixture(scope="module")
def pack_and_snapshot():
    from cellwright.projects.design.resolve import design_snapshot
    from cellwright.projects.library import Library
    from cellwright.projects.model import (
        Busbar,
        CoolingPlate,
        ModuleArrangement,
        PackDesign,
        ThermalInterface,
    )

    pack = PackDesign(
        name="96s4p", cell="lg-m50", series=96, parallel=4,
        arrangement=ModuleArrangement(rows=4, columns=12, module_rows=2),
        busbar=Busbar(), cooling_plate=CoolingPlate(), thermal_interface=ThermalInterface(),
    )  # fmt: skip
    return pack, design_snapshot(pack, None, Library.load_builtin())


def test_pack_preview_shapes(benchmark, pack_and_snapshot) -> None:
    from cellwright.viewers.design_geometry import design_parts

    parts = benchmark(design_parts, *pack_and_snapshot)
    assert len(parts) == 5
    assert benchmark.stats["mean"] < 0.1


def test_pack_preview_redraw(benchmark, pack_and_snapshot, qapp) -> None:
    from cellwright.viewers.design_preview import DesignPreview

    preview = DesignPreview()
    preview.resize(1200, 800)
    preview.show()
    qapp.processEvents()
    try:
        benchmark.pedantic(preview.show_design, args=pack_and_snapshot, rounds=10, warmup_rounds=1)
        assert benchmark.stats["mean"] < 1.0  # a sanity bound; the figure is the result
    finally:
        preview.close_viewer()
        preview.deleteLater()
