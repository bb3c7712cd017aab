"""The variants' comparison reads its numbers as the report's comparison of the same designs."""

from __future__ import annotations

import pytest

from cellwright.projects.design.compare import compare_reports

pytestmark = pytest.mark.gui


def test_figures_read_as_the_report_writes_them(qtbot) -> None:
    """'Cell volume 2.4532e-05' and 'Cycle life 12346' beside the report's 2.453 × 10⁻⁵ and
    12 346: the window writes them by the same rule."""
    from cellwright.app.compare_view import CompareView

    comparison = compare_reports(
        [
            ("base", {"Cell volume": (2.45321e-05, "m3"), "Cycle life": (12345.6, "1")}),
            ("thick", {"Cell volume": (2.45321e-05, "m3"), "Cycle life": (13580.2, "1")}),
        ]
    )
    view = CompareView(comparison)
    qtbot.addWidget(view)
    assert view.cell_text("Cell volume", 0) == "2.453 × 10⁻⁵"
    assert view.cell_text("Cycle life", 0) == "12\u202f346"
    assert view.cell_text("Cycle life", 1) == "13\u202f580  (+10.0 %)"
