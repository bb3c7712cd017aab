"""The pack builder's cooling section: live pressure drop, coolant rise and flow split of the
selected pack's cooling plate, and the flow-split views of results that carry a network.

The plate's fields are edited in the property editor like every other field; this dock shows
what ``cfd.network`` makes of them, recomputed off the UI thread shortly after each edit (the
first computation also loads the coolant property tables, about two seconds). A computation
that a newer edit has overtaken is dropped when it arrives.
"""

from __future__ import annotations

from concurrent.futures import Future, ThreadPoolExecutor

from PySide6 import QtCore, QtWidgets

from cellwright.projects.model import InputError, PackDesign
from cellwright.projects.readable import CELSIUS_ZERO, number

__all__ = ["CoolingMixin", "CoolingPanel", "plate_preview"]

_LMIN = 6e4


def plate_preview(snapshot, heat_per_cell: float):
    """The network result of a pack's plate (Qt-free; runs in a worker thread)."""
    from cellwright.engines.api import run_study

    return run_study("cfd.network", {"heat_per_cell": heat_per_cell}, snapshot)


def _preview_or_error(snapshot, heat: float):
    """(result, "") or (None, the reason): a worker must report, never die silently."""
    try:
        return plate_preview(snapshot, heat), ""
    except Exception as exc:
        return None, str(exc) if isinstance(exc, InputError) else repr(exc)


class CoolingPanel(QtWidgets.QWidget):
    """Figures of the selected pack's coolant network and its flow split."""

    _FIGURES = (
        ("flow", "Coolant flow", "L/min"),
        ("dp", "Pressure drop", "kPa"),
        ("power", "Pumping power (hydraulic)", "W"),
        ("rise", "Coolant temperature rise", "K"),
        ("wall", "Hottest channel wall", "°C"),
        ("split", "Channel flow max/min", ""),
    )

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        from cellwright.viewers.flow_split_viewer import FlowSplitViewer

        super().__init__(parent)
        self.heat = QtWidgets.QDoubleSpinBox()
        self.heat.setRange(0.0, 1000.0)
        self.heat.setValue(2.0)
        self.heat.setSuffix(" W per cell")
        self.heat.setToolTip("heat each cell gives the plate in this preview (not stored)")
        self.status = QtWidgets.QLabel("")
        self.status.setWordWrap(True)
        self.labels: dict[str, QtWidgets.QLabel] = {}
        form = QtWidgets.QFormLayout()
        form.addRow("Heat", self.heat)
        for key, title, unit in self._FIGURES:
            self.labels[key] = QtWidgets.QLabel("–")
            form.addRow(f"{title}{f' [{unit}]' if unit else ''}", self.labels[key])
        self.viewer = FlowSplitViewer()
        self.viewer.setMinimumHeight(220)
        layout = QtWidgets.QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.status)
        layout.addWidget(self.viewer, 1)
        self.result = None
        self._snapshot = None
        self._generation = 0
        self._running: tuple[int, Future] | None = None
        # one worker thread; its answer is collected by polling, as the jobs panel does: a
        # Python object carried by a queued signal from a worker thread loses a reference to
        # True per emission in PySide6 6.12, which ends in a fatal error at exit
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="cooling-preview")
        self._timer = QtCore.QTimer(self, singleShot=True, interval=250)
        self._timer.timeout.connect(self._start)
        self._poll = QtCore.QTimer(self, interval=50)
        self._poll.timeout.connect(self._collect)
        self.heat.valueChanged.connect(lambda _v: self._timer.start())
        self.destroyed.connect(lambda *_: self._pool.shutdown(wait=False, cancel_futures=True))

    def request(self, snapshot) -> None:
        """Recompute for ``snapshot`` soon (edits in quick succession compute once)."""
        self._snapshot = snapshot
        self._timer.start()

    @property
    def busy(self) -> bool:
        """True while a computation for the latest request is pending or running."""
        return self._timer.isActive() or self.status.text().startswith("Computing")

    def _start(self) -> None:
        self._generation += 1
        self.status.setStyleSheet("")
        self.status.setText("Computing the coolant network…")
        future = self._pool.submit(_preview_or_error, self._snapshot, self.heat.value())
        self._running = (self._generation, future)
        self._poll.start()

    def _collect(self) -> None:
        if self._running is None or not self._running[1].done():
            return
        generation, future = self._running
        self._running = None
        self._poll.stop()
        if generation != self._generation:
            return  # overtaken by a newer edit, which is computing now or will be
        self._show(*future.result())

    def _show(self, result, error: str) -> None:
        self.result = result
        if result is None:
            self.status.setStyleSheet("color: #b00020")
            self.status.setText(f"Cannot compute: {error}")
            for label in self.labels.values():
                label.setText("–")
            self.viewer.set_tables(None, None)
            return
        self.status.setText("")
        s = result.scalars
        # to the figures the result's table and the report give them (readable.number): the
        # hottest wall 31.85 °C here as there, not 31.8
        self.labels["flow"].setText(number(s["Total flow rate [m3/s]"] * _LMIN))
        self.labels["dp"].setText(number(s["Pressure drop [Pa]"] / 1e3))
        self.labels["power"].setText(number(s["Hydraulic pumping power [W]"]))
        self.labels["rise"].setText(number(s["Coolant temperature rise [K]"]))
        self.labels["wall"].setText(number(s["Maximum wall temperature [K]"] - CELSIUS_ZERO))
        split = s.get("Channel flow maldistribution (max/min) [-]")
        self.labels["split"].setText("one channel" if split is None else number(split))
        from cellwright.viewers.flow_split_viewer import cooling_tables

        self.viewer.set_tables(*cooling_tables(result.tables))


class CoolingMixin:
    """Part of :class:`cellwright.app.main_window.MainWindow`: the Cooling dock."""

    def _init_cooling(self) -> None:
        self.cooling = CoolingPanel()
        # scrolled, so the dock can be shorter than its figures and plots want (407 px): it
        # shares the right column with the property editor (see _share_right_docks)
        scroll = QtWidgets.QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QtWidgets.QFrame.Shape.NoFrame)
        scroll.setWidget(self.cooling)
        self.cooling_dock = self._dock(
            "Cooling", scroll, QtCore.Qt.DockWidgetArea.RightDockWidgetArea
        )
        self.cooling_dock.hide()

    def show_cooling(self, obj) -> None:
        """Show the cooling section for a pack with a cooling plate; hide it otherwise."""
        cooled = isinstance(obj, PackDesign) and obj.cooling_plate is not None
        shown = self.cooling_dock.isVisible()
        self.cooling_dock.setVisible(cooled and self.library is not None)
        if not cooled or self.library is None:
            return
        if not shown:  # appearing under the properties: they keep most of the height
            self._share_right_docks()
        from cellwright.projects.design.resolve import design_snapshot

        try:
            snapshot = design_snapshot(obj, self.project, self.library)
        except InputError as exc:
            self.cooling.status.setText(f"Cannot compute: {exc}")
            return
        self.cooling.request(snapshot)

    def _share_right_docks(self) -> None:
        """Give the property editor three fifths of the right column and the cooling figures
        the rest. Left to Qt, the cooling dock took what its plots asked for and left the
        pack's fields a strip of one line on a 1400 x 860 window."""
        if self.dockWidgetArea(self.cooling_dock) != self.dockWidgetArea(self.properties_dock):
            return  # the user moved one of them elsewhere: their layout, not ours
        if self.tabifiedDockWidgets(self.cooling_dock):
            return
        total = self.properties_dock.height() + self.cooling_dock.height()
        self.resizeDocks(
            [self.properties_dock, self.cooling_dock],
            [int(total * 0.6), total - int(total * 0.6)],
            QtCore.Qt.Orientation.Vertical,
        )

    def add_cooling_views(self, split: QtWidgets.QSplitter, result):
        """Below a result that carries a coolant network: its flow split and profiles (the
        viewer, or None when the result has no network)."""
        from cellwright.viewers.flow_split_viewer import FlowSplitViewer, cooling_tables

        channels, along = cooling_tables(result.tables)
        if channels is None and along is None:
            return None
        viewer = FlowSplitViewer(channels, along)
        split.addWidget(viewer)
        split.setStretchFactor(split.count() - 1, 3)
        return viewer
