"""The pack builder's cooling section and the flow-split views, used as a person would."""

from __future__ import annotations

import pytest

from cellwright.app.commands import PutObject
from cellwright.projects.design.reference_designs import lg_m50
from support.designs import cooled_module
from support.screens import screenshot

pytestmark = pytest.mark.gui


def _module():
    return cooled_module(
        12,
        2,
        channel_layout="parallel",
        channel_count=5,
        channel_width=6e-3,
        manifold_width=8e-3,
        flow_rate=1.0 / 6e4,
    )


def _figure(window, key: str) -> float:
    return float(window.cooling.labels[key].text())


def test_cooling_section_follows_edits_live(window, qtbot) -> None:
    window.new_project()
    cell = lg_m50()
    window.push(PutObject(window.project, cell))
    window.push(PutObject(window.project, _module()))
    assert not window.cooling_dock.isVisible()
    window.select_in_tree("Packs", "12s2p")
    assert window.cooling_dock.isVisible()
    # the pack's fields keep most of the right column (the cooling dock's plots once took all
    # but a strip of one field)
    props, cooling = window.properties_dock, window.cooling_dock
    qtbot.waitUntil(lambda: props.height() >= 0.55 * (props.height() + cooling.height()))
    qtbot.waitUntil(lambda: window.cooling.labels["dp"].text() != "–", timeout=60000)
    assert _figure(window, "flow") == pytest.approx(1.0)
    # the hottest wall as the result's table and the report read it (°C, 4 figures), not
    # to the 3 figures the panel gave it ("31.8" beside the table's "31.85")
    from cellwright.projects.readable import scalar_shown

    wall = "Maximum wall temperature [K]"
    _label, shown, unit = scalar_shown(wall, window.cooling.result.scalars[wall])
    assert (window.cooling.labels["wall"].text(), unit) == (shown.text, "°C")
    assert window.cooling.viewer.shares.size == 5
    assert window.cooling.viewer.shares.sum() == pytest.approx(100.0)
    low = _figure(window, "dp")
    rise = _figure(window, "rise")
    window.properties.type_into("cooling_plate.flow_rate", "3 L/min")  # the user types a flow
    qtbot.waitUntil(lambda: _figure(window, "flow") == pytest.approx(3.0), timeout=20000)
    assert _figure(window, "dp") > 2 * low and _figure(window, "rise") < rise
    window.cooling.heat.setValue(4.0)
    qtbot.waitUntil(lambda: _figure(window, "rise") > rise / 2, timeout=20000)
    screenshot(window.cooling, "cooling_section")
    window.properties.type_into("cooling_plate.channel_width", "60 mm")  # wider than the plate
    qtbot.waitUntil(lambda: "wider than" in window.cooling.status.text(), timeout=20000)
    assert "cooling_plate.channel_width" in window.cooling.status.text()
    assert window.cooling.labels["dp"].text() == "–"
    window.undo_action.trigger()
    qtbot.waitUntil(lambda: window.cooling.labels["dp"].text() != "–", timeout=20000)
    window.select_in_tree("Cells", cell.name)
    assert not window.cooling_dock.isVisible()


def test_network_result_opens_with_its_flow_split(window, qtbot, library) -> None:
    from cellwright.engines.api import run_study

    window.new_project()
    result = run_study(
        "cfd.network", {"heat_per_cell": 2.0}, library.snapshot_for(lg_m50(), _module())
    )
    result.name = "plate network"
    window.project.put_result(result)
    page = window.open_result(result.id)
    viewer = page.flow_split_viewer
    assert viewer is not None and viewer.shares.size == 5
    assert page.field_viewer is not None  # the network drawn in 3D, coloured by a field
    qtbot.wait(100)
    screenshot(viewer, "flow_split_result")
