"""The main window's physical batteries: a tab per battery with its timeline, its
state-of-health curve with the forecast, and its passport as a form with exports per level."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

from PySide6 import QtCore, QtWidgets

from cellwright.viewers.worker_result import deliver_when_ready

__all__ = ["BatteriesMixin", "BatteryTab"]


class BatteryTab(QtWidgets.QTabWidget):
    """Timeline, state of health and passport of one battery."""

    def __init__(self, serial: str, timeline, passport_form, window, parent=None) -> None:
        super().__init__(parent)
        self.serial = serial
        self._window = window
        self.timeline = timeline
        self.passport_form = passport_form
        self.soh_view = None
        self.payload: dict = {}
        self.soh_page = QtWidgets.QWidget()
        self.soh_layout = QtWidgets.QVBoxLayout(self.soh_page)
        self.soh_status = QtWidgets.QLabel("fitting the fade models …")
        self.estimate_button = QtWidgets.QPushButton("Estimate state of health now")
        self.soh_layout.addWidget(self.soh_status)
        self.soh_layout.addWidget(self.estimate_button)
        self.addTab(timeline, "Timeline")
        self.addTab(self.soh_page, "State of health")
        self.addTab(passport_form, "Passport")

    def collect(self, out: list, on_value: Callable[[object], None]) -> None:
        """Hand what a worker thread appends to ``out`` — ``(value, "")`` or ``(None, error
        text)`` — to ``on_value``, or the error to the status line, on the UI thread.

        The worker touches no Qt object: it emitted into a parentless signals object it held,
        and that object's last reference (so its destruction) went with the thread, after the
        tab might have been closed (:mod:`~cellwright.viewers.worker_result`)."""

        def hand_on(done: tuple) -> None:
            value, error = done
            if error:
                self.soh_status.setText(error)
            else:
                on_value(value)

        deliver_when_ready(self, out, hand_on)

    def _on_curve(self, curve: dict) -> None:
        """Draw the fitted curve for the payload it was fitted to."""
        from cellwright.viewers.soh_view import SohView

        payload = self.payload
        sources = [p["source"] for p in payload["capacity_points"]]
        self.show_soh(SohView(curve, sources, payload.get("rul")))

    def on_estimated(self, report) -> None:
        """A new estimate arrived: log it and redraw the curve."""
        self._window._on_estimated(self, report)

    def replace_pages(self, timeline, passport_form) -> None:
        """Put a new timeline and passport form in place of the old ones (after the history
        grew), keeping the page the user is on."""
        current = self.currentIndex()
        for index, (old, new, label) in enumerate(
            ((self.timeline, timeline, "Timeline"), (self.passport_form, passport_form, "Passport"))
        ):
            at = 0 if index == 0 else 2
            self.removeTab(at)
            self.insertTab(at, new, label)
            old.deleteLater()
        self.timeline, self.passport_form = timeline, passport_form
        self.setCurrentIndex(current)

    def show_soh(self, view) -> None:
        """Put the SOH plot in place of the waiting message."""
        if self.soh_view is not None:
            self.soh_layout.removeWidget(self.soh_view)
            self.soh_view.deleteLater()
        self.soh_view = view
        self.soh_status.setText("")
        self.soh_layout.insertWidget(0, view, 1)


class BatteriesMixin:
    """Part of :class:`cellwright.app.main_window.MainWindow` (expects its project, tree, tabs,
    log and status bar)."""

    def _add_battery_items(self, group: QtWidgets.QTreeWidgetItem) -> None:
        from cellwright.projects.passport.batteries import batteries

        for battery in batteries(self.project):
            label = battery.serial + (" (pack)" if battery.kind == "pack" else "")
            item = QtWidgets.QTreeWidgetItem(group, [label])
            kind = "physical_pack" if battery.kind == "pack" else "physical_cell"
            item.setData(0, QtCore.Qt.ItemDataRole.UserRole, (kind, battery.id))

    def open_battery(self, battery_id: str) -> BatteryTab:
        """A tab with the battery's timeline, SOH curve (computed off the UI thread) and
        passport form."""
        from cellwright.projects.passport.batteries import find_battery
        from cellwright.viewers.twin_timeline import TwinTimeline

        battery = find_battery(self.project, battery_id)
        events = self.project.events(battery.id)
        tab = BatteryTab(
            battery.serial, TwinTimeline(events), self._passport_form(battery.serial), self
        )
        self._connect_passport_form(tab)
        tab.estimate_button.clicked.connect(lambda _=False, t=tab: self.estimate_battery(t))
        self.tabs.setCurrentIndex(self.tabs.addTab(tab, battery.serial))
        estimates = [e for e in events if e.kind == "estimate"]
        if estimates:
            self._fit_soh_curve(tab, estimates[-1].payload)
        else:
            tab.soh_status.setText("no estimate yet: estimate the state of health")
        return tab

    def _connect_passport_form(self, tab: BatteryTab) -> None:
        tab.passport_form.export_requested.connect(
            lambda level, kind, s=tab.serial: self._on_passport_export_requested(s, level, kind)
        )

    def _passport_form(self, serial: str):
        from cellwright.projects.passport.attributes import ACCESS_LEVELS, attributes
        from cellwright.projects.passport.compile import compile_passport
        from cellwright.viewers.passport_form import PassportForm, PassportRow

        passport = compile_passport(self.project, serial)
        rows = []
        for attr in attributes():
            value = passport.values.get(attr.key)
            rows.append(
                PassportRow(
                    attr.number,
                    attr.name.strip(),
                    attr.category,
                    attr.access,
                    value.value if value else None,
                    value.source if value else "",
                    value.detail if value else "",
                )
            )
        title = (
            f"{passport.identifier} — {serial} (as it stands now; head {passport.chain_head[:12]})"
        )
        return PassportForm(title, rows, ACCESS_LEVELS)

    def _fit_soh_curve(self, tab: BatteryTab, payload: dict) -> threading.Thread:
        """Fit the fade models for the plot in a worker thread; the plot appears when done."""
        from cellwright.app.twin_estimates import soh_curve

        tab.payload = payload
        out: list = []  # the thread touches no Qt object; the tab collects (BatteryTab.collect)

        def work() -> None:
            try:
                out.append((soh_curve(payload), ""))
            except Exception as exc:  # a fit that fails is shown, not raised in a thread
                out.append((None, f"no curve: {exc}"))

        thread = threading.Thread(target=work, daemon=True, name="soh-curve")
        thread.start()
        tab.collect(out, tab._on_curve)
        tab.curve_thread = thread
        return thread

    def estimate_battery(self, tab: BatteryTab) -> threading.Thread:
        """Run the estimators on the battery's history in a worker thread (its own connection
        to the working copy), then refresh the tab."""
        from cellwright.app.twin_estimates import estimate_battery
        from cellwright.projects.store import Project

        path, serial = self.project.path, tab.serial
        tab.soh_status.setText("estimating …")
        out: list = []  # the thread touches no Qt object; the tab collects (BatteryTab.collect)

        def work() -> None:
            try:
                with Project.open(path) as project:
                    out.append((estimate_battery(project, serial), ""))
            except Exception as exc:  # shown in the tab
                out.append((None, f"estimate failed: {exc}"))

        thread = threading.Thread(target=work, daemon=True, name="soh-estimate")
        thread.start()
        tab.collect(out, tab.on_estimated)
        tab.estimate_thread = thread
        return thread

    def _on_estimated(self, tab: BatteryTab, report) -> None:
        from cellwright.projects.passport.batteries import find_battery
        from cellwright.viewers.twin_timeline import TwinTimeline

        self.log_message(
            f"{report.serial}: SOH {100 * (report.soh or 0):.1f} %, "
            f"{(report.rul or {}).get('message', 'no forecast')}"
        )
        # the estimate is a new event and sets the passport's dynamic values: the timeline
        # lacked its mark and the form showed the remaining capacity from before it
        events = self.project.events(find_battery(self.project, tab.serial).id)
        tab.replace_pages(TwinTimeline(events), self._passport_form(tab.serial))
        self._connect_passport_form(tab)
        self._fit_soh_curve(tab, report.as_dict())

    def export_passport_file(self, serial: str, level: str, kind: str, path: str | Path) -> list:
        """Write the passport for ``level`` in ``kind`` and return its schema problems."""
        from cellwright.projects.passport.compile import compile_passport
        from cellwright.projects.passport.exchange import export_passport, write_json

        passport = compile_passport(self.project, serial)
        document, problems = export_passport(passport, level, kind, self.project.path)
        write_json(document, path)
        for problem in problems:
            self.log_message(f"{Path(path).name}: {problem}")
        # every problem was called a missing value: a value in a form the schema refuses
        # (a Catena-X import's category 'SLI') was counted as missing too
        missing = sum(1 for problem in problems if problem.missing)
        counts = [f"{missing} required values missing"] if missing else []
        if len(problems) > missing:
            counts.append(f"{len(problems) - missing} values the schema refuses")
        state = ", ".join(counts) or "valid"
        self.statusBar().showMessage(f"exported the {level} passport of {serial} ({state})", 8000)
        return problems

    def _on_passport_export_requested(self, serial: str, level: str, kind: str) -> None:
        path, _ = QtWidgets.QFileDialog.getSaveFileName(
            self, f"Export the {level} passport", f"{serial}-{level}-{kind}.json", "JSON (*.json)"
        )
        if path:
            self.export_passport_file(serial, level, kind, path)
