"""Python's cycle collector runs on the UI thread only while the window is up
(app/ui_thread_gc.py), so a thread that allocates never destroys the window's Qt objects."""

from __future__ import annotations

import gc
import threading
import weakref

import pytest
from PySide6 import QtCore, QtWidgets

from cellwright.app.ui_thread_gc import UiThreadCollector

pytestmark = pytest.mark.gui


class _Panel(QtWidgets.QWidget):
    """A widget in a reference cycle, with a running timer of its own, as a closed viewer
    holding a closure of itself is."""

    def __init__(self) -> None:
        super().__init__()
        self.timer = QtCore.QTimer()  # parentless: deleted with the wrapper, where that runs
        self.timer.start(1000)
        self.me = self


def _drop_a_panel_in_a_cycle(qapp) -> list[str]:
    finalized_on: list[str] = []
    panel = _Panel()
    panel.show()
    qapp.processEvents()
    weakref.finalize(panel, lambda: finalized_on.append(threading.current_thread().name))
    panel.close()
    del panel
    return finalized_on


def _allocate_on_a_thread() -> None:
    def churn() -> None:
        keep = [[[] for _ in range(10)] for _ in range(20_000)]  # far past threshold 0
        del keep

    worker = threading.Thread(target=churn, name="busy-worker")
    worker.start()
    worker.join()


def test_a_cycle_dropped_on_the_ui_thread_is_collected_there_while_a_thread_allocates(
    qapp, qtbot, qtlog
) -> None:
    collector = UiThreadCollector.install(qapp)
    assert collector.active and not gc.isenabled()
    # every tick a full pass, wherever the panel's generation is (showing it ran some ticks)
    collector._thresholds = (1, 0, 0)
    finalized_on = _drop_a_panel_in_a_cycle(qapp)
    _allocate_on_a_thread()
    assert finalized_on == []  # the thread did not collect it
    qtbot.waitUntil(lambda: bool(finalized_on), timeout=5000)  # the UI thread's tick did
    assert finalized_on == ["MainThread"]
    assert not [r for r in qtlog.records if "another thread" in r.message]


def test_without_it_the_allocating_thread_collects_the_cycle(qapp) -> None:
    """What the collector is for: CPython collects on whichever thread allocates. (A plain
    object stands in for the widget here: destroying a widget on the worker is the crash.)"""
    UiThreadCollector.uninstall(qapp)  # the fixture installed one: CPython's collection back
    assert gc.isenabled()

    class Cycle:
        def __init__(self) -> None:
            self.me = self

    gc.collect()
    finalized_on: list[str] = []
    cycle = Cycle()
    weakref.finalize(cycle, lambda: finalized_on.append(threading.current_thread().name))
    del cycle
    _allocate_on_a_thread()
    assert finalized_on == ["busy-worker"]


def _allocate_past_threshold(limit: int) -> list:
    return [[] for _ in range(limit + 50)]  # kept alive: counts allocations, frees none


def test_generations_are_collected_by_cpythons_thresholds(qapp) -> None:
    collector = UiThreadCollector(qapp)
    collector._timer.stop()  # driven by hand here
    try:
        limit0, limit1, _ = gc.get_threshold()
        gc.collect()
        assert collector.collect_due() is None  # nothing allocated yet
        kept, generations = [], []
        for _ in range(limit1 + 2):
            kept.append(_allocate_past_threshold(limit0))
            generations.append(collector.collect_due()[0])
        # generation 1 once generation 0 has been collected more than threshold 1 times
        assert generations == [0] * (limit1 + 1) + [1]
    finally:
        collector.stop()


def test_a_full_pass_waits_for_a_quarter_more_long_lived_objects(qapp) -> None:
    collector = UiThreadCollector(qapp)
    collector._timer.stop()
    try:
        limit0, _, limit2 = gc.get_threshold()
        kept = []

        def next_due_above_generation_0() -> int:
            while True:
                kept.append(_allocate_past_threshold(limit0))
                generation, _ = collector.collect_due()
                if generation:
                    return generation

        gc.collect()
        for _ in range(limit2 + 1):  # generation 2's count past its threshold
            assert next_due_above_generation_0() == 1
        collector._long_lived = len(gc.get_objects(2)) * 10  # as if a huge heap had survived
        assert next_due_above_generation_0() == 1  # too few new long-lived objects: no full pass
        collector._long_lived = 0
        assert next_due_above_generation_0() == 2
        assert collector._long_lived == len(gc.get_objects(2))  # the survivors are recounted
    finally:
        collector.stop()


def test_one_collector_per_application_and_uninstall_gives_collection_back(qapp) -> None:
    UiThreadCollector.uninstall(qapp)
    assert gc.isenabled()
    first = UiThreadCollector.install(qapp)
    assert UiThreadCollector.install(qapp) is first and not gc.isenabled()
    UiThreadCollector.uninstall(qapp)
    assert gc.isenabled() and not first.active
    second = UiThreadCollector.install(qapp)
    assert second is not first and second.active
    UiThreadCollector.uninstall(qapp)
    assert gc.isenabled()


def test_the_window_runs_the_collector_for_its_life(window) -> None:
    assert not gc.isenabled()
    found = QtWidgets.QApplication.instance().findChild(UiThreadCollector, "UiThreadCollector")
    assert found is not None and found.active
