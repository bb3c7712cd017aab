"""A spectrum stored with its frequencies and without its impedance (an .mpr of |Z| and phase
imported before the reader took Re(Z) and Im(Z) from them) opens with a page saying so; the
viewer failed with a KeyError."""

from __future__ import annotations

import numpy as np
import pytest

from cellwright.projects.labdata import CyclerTable
from cellwright.projects.labdata import table as t

pytestmark = pytest.mark.gui


def test_a_spectrum_without_impedance_opens_saying_so(qtbot) -> None:
    from cellwright.viewers.labdata_viewer import LabDataViewer

    frequency = np.logspace(5, -1, 12)
    table = CyclerTable(
        {t.FREQUENCY: frequency, t.TEST_TIME: np.arange(12.0)}, {"kind": "impedance"}
    )
    viewer = LabDataViewer(table, "mb EIS 1")
    qtbot.addWidget(viewer)
    assert viewer.nyquist is None and not viewer.fit_running()
    assert [viewer.tabText(i) for i in range(viewer.count())] == ["Nyquist"]
    page = viewer.widget(0)
    text = str(page.model.data(page.model.index(0, 0)))
    assert "stored without its impedance" in text
