"""LabDataViewer: a measured run — V/I/T against time, capacity and efficiency against cycle,
dQ/dV of chosen cycles, and the per-cycle summary table."""

from __future__ import annotations

import threading
from collections.abc import Callable

import numpy as np
from PySide6 import QtWidgets

from cellwright.projects.labdata import table as cols
from cellwright.projects.model import Provenance, Result
from cellwright.viewers.axis_labels import label_axis
from cellwright.viewers.cycle_axis import CycleAxis
from cellwright.viewers.labdata_dqdv import DqdvPage, RunTask
from cellwright.viewers.plot_viewer import PlotViewer, set_readable_axis
from cellwright.viewers.table_viewer import TableViewer
from cellwright.viewers.worker_result import deliver_when_ready

__all__ = ["LabDataViewer", "as_result", "capacity_unit", "label_capacity_axis"]

#: attributes of the pages built when first shown, and the tab each belongs to
_PAGE_OF = {
    "time_plot": "Time series",
    "cycle_plot": "Cycles",
    "fade": "Fade",
    "fade_plot": "Fade",
    "fade_note": "Fade",
    "cycle_list": "dQ/dV",
    "direction": "dQ/dV",
    "dqdv_plot": "dQ/dV",
    "dqdv_note": "dQ/dV",
    "dqdv_page": "dQ/dV",
    "summary_table": "Summary",
}


def _fit_in_worker(table, out: list) -> None:
    """Runs in the worker thread: computes and appends (fit or None, error text) to ``out``.

    It touches no Qt object: the viewer polls ``out`` on its own timer. Emitting a signal from
    here, the thread's end killed the process with a segmentation fault once the viewer had been
    closed during the fit (CI, 2026-12-04: a test's window teardown during the first fit,
    which imports scipy.optimize and impedance.py, seconds in a fresh environment)."""
    from cellwright.projects.labdata import LabDataError, impedance_fit

    try:
        fit, error = impedance_fit.fit_impedance(table), ""
    except LabDataError as exc:
        fit, error = None, str(exc)
    except Exception as exc:  # the solver's own errors (scipy's ValueError …)
        # left the busy bar turning for ever: the thread died and nothing was emitted
        fit, error = None, f"the circuit fit failed: {type(exc).__name__}: {exc}"
    out.append((fit, error))


_NAMES = {
    cols.TEST_TIME: "Time [s]",
    cols.VOLTAGE: "Voltage [V]",
    cols.CURRENT: "Current [A]",
    cols.CHARGE_CAPACITY: "Charge capacity [A.h]",
    cols.DISCHARGE_CAPACITY: "Discharge capacity [A.h]",
    cols.SURFACE_TEMPERATURE: "Surface temperature [°C]",  # as a result's read (°C, not degC)
    cols.AMBIENT_TEMPERATURE: "Ambient temperature [°C]",
    cols.CYCLE: "Cycle",
    cols.STEP_INDEX: "Step",
}


#: a run whose capacities all stay below this (A.h) reads in mA.h: a coin cell's 0.004123 A.h
#: printed as plain A.h, all zeros, in the Fade note and "(x0.001)" beside the axis
_MILLI_BELOW_AH = 0.1


def capacity_unit(values: np.ndarray) -> tuple[str, float]:
    """The unit capacities ``values`` (A.h) read in, and the factor from A.h to it.

    ``("mA.h", 1000.0)`` when every finite value is below 0.1 A.h (and one is not zero),
    else ``("A.h", 1.0)``.
    """
    v = np.abs(np.asarray(values, dtype=float))
    v = v[np.isfinite(v)]
    if v.size and 0 < v.max() < _MILLI_BELOW_AH:
        return "mA.h", 1e3
    return "A.h", 1.0


def label_capacity_axis(plot: PlotViewer, unit: str, factor: float) -> str:
    """Label ``plot``'s left axis "Discharge capacity" in ``unit`` (:func:`capacity_unit`);
    the label. The data stay in A.h (as an export writes them); only the ticks are scaled."""
    shown = f"Discharge capacity [{unit}]"
    axis = plot.plot.plotItem.getAxis("left")
    axis.setScale(factor)
    label_axis(plot.plot, "left", shown)  # the unit is chosen here: no "(x0.001)" on top
    return shown


def _label_capacity(plot: PlotViewer, name: str, unit: str, factor: float) -> None:
    """:func:`label_capacity_axis`, and the legend entry of curve ``name`` in ``unit``."""
    shown = label_capacity_axis(plot, unit, factor)
    label = plot.legend.getLabel(plot.curves[name])
    if label is not None:
        label.setText(shown)
        plot.legend.updateSize()


def as_result(table, name: str) -> Result:
    """A measured time series as a Result, so the curve viewers can show it."""
    # a column the file names but never fills (the CALCE excerpt's temperatures, a Maccor
    # export's charge capacity: all NaN) was offered as a series that plotted nothing
    series = {
        label: table[column]
        for column, label in _NAMES.items()
        if column in table and np.isfinite(np.asarray(table[column], dtype=float)).any()
    }
    return Result(
        name=name,
        series=series,
        provenance=Provenance(engine_id="labdata.import", engine_version="1", spec_hash=""),
    )


class LabDataViewer(QtWidgets.QTabWidget):
    """Viewers of one run (a :class:`cellwright.projects.labdata.CyclerTable`).

    ``summary`` is the run's :func:`~cellwright.projects.labdata.cycle_summary` and ``fade``
    its :func:`~cellwright.projects.labdata.fade.cycle_fade` when the caller computed them off
    the UI thread; without them the viewer computes them. ``run_task`` computes the dQ/dV of
    ticked cycles off the UI thread (:data:`~cellwright.viewers.labdata_dqdv.RunTask`; inline
    without it).
    """

    def __init__(
        self,
        table,
        name: str,
        parent: QtWidgets.QWidget | None = None,
        summary: dict | None = None,
        fade=None,
        run_task: RunTask | None = None,
    ) -> None:
        super().__init__(parent)
        from cellwright.projects.labdata import cycle_summary

        self.table = table
        if table.metadata.get("kind") == "impedance":
            self._impedance_pages()
            return
        # a per-cycle summary (a BatteryArchive cycle_data file) has no trace to plot against
        # time nor to differentiate: its cycles and its table only
        timeseries = table.metadata.get("kind", "timeseries") == "timeseries"
        self._name, self._fade_given, self._run_task = name, fade, run_task
        if not timeseries:
            self.time_plot = None
        self.summary = summary if summary is not None else cycle_summary(table)
        # one unit for every page of the run, from all it charged and discharged
        self.capacity_unit = capacity_unit(
            np.concatenate(
                [self.summary["discharge_capacity_ah"], self.summary.get("charge_capacity_ah", [])]
            )
        )
        pages = [("Cycles", self._cycles_page), ("Fade", self._fade_page)]
        if timeseries:
            pages = [("Time series", self._time_page), *pages, ("dQ/dV", self._dqdv_page)]
        self._lazy_pages(dict([*pages, ("Summary", self._summary_page)]))

    # -- pages built when first shown -----------------------------------------------------------
    def _lazy_pages(self, builders: dict[str, Callable[[], QtWidgets.QWidget]]) -> None:
        """One empty holder per tab; a page is built into it when its tab is first shown.

        Building every page when the run opened took ~0.2 s on the UI thread for a Landt run
        (the dQ/dV cycle list, the fade fit, the summary table of every cycle).
        """
        self._builders = builders
        for title in builders:
            holder = QtWidgets.QWidget()
            QtWidgets.QVBoxLayout(holder).setContentsMargins(0, 0, 0, 0)
            self.addTab(holder, title)
        self.currentChanged.connect(self._on_current_changed)
        self._on_current_changed(self.currentIndex())

    def _on_current_changed(self, index: int) -> None:
        if index >= 0:
            self.build_page(self.tabText(index))

    def build_page(self, title: str) -> None:
        """Build the page of tab ``title`` now, if it is not built yet."""
        build = self._builders.pop(title, None)
        if build is None:
            return
        holder = self.widget([self.tabText(i) for i in range(self.count())].index(title))
        page = build()
        holder.layout().addWidget(page)
        # a child added to a shown widget is shown only when the event loop next runs: its
        # tab would be blank (and its labels not visible) until then
        page.show()

    def __getattr__(self, name: str):
        # a page's widgets (fade_plot, summary_table …) exist once its tab was shown; asked for
        # before that, the page is built then (tick_cycles, a test, an export)
        page = _PAGE_OF.get(name)
        if page is None or page not in self.__dict__.get("_builders", {}):
            raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")
        self.build_page(page)
        return self.__dict__[name]

    def _time_page(self) -> QtWidgets.QWidget:
        self.time_plot = PlotViewer(as_result(self.table, self._name))
        return self.time_plot

    def _cycles_page(self) -> QtWidgets.QWidget:
        """Discharge capacity and, on the right axis, coulombic efficiency per cycle."""
        self.cycle_plot = PlotViewer(x_axis=CycleAxis("bottom"))
        cyc = self.summary["cycle"]
        self.cycle_plot.add_curve(
            cyc, self.summary["discharge_capacity_ah"], "Discharge capacity [A.h]"
        )
        self.cycle_plot.add_curve(
            cyc, self.summary["coulombic_efficiency"], "Coulombic efficiency", right=True
        )
        self.cycle_plot.plot.setLabel("bottom", "Cycle")
        _label_capacity(self.cycle_plot, "Discharge capacity [A.h]", *self.capacity_unit)
        # a ratio has no prefix: an efficiency of 0.98 read "980 (x0.001)"
        right = self.cycle_plot.plot.plotItem.getAxis("right")
        right.setSIPrefixEnableRanges(())
        right.updateAutoSIPrefix()
        return self.cycle_plot

    def _summary_page(self) -> QtWidgets.QWidget:
        self.summary_table = TableViewer()
        keys = list(self.summary)
        rows = range(len(self.summary["cycle"]))
        self.summary_table.set_rows(keys, [[float(self.summary[k][i]) for k in keys] for i in rows])
        return self.summary_table

    def _fade_page(self) -> QtWidgets.QWidget:
        """Capacity per cycle with its trend and, on the right axis, DC resistance per cycle."""
        fade = self._fade_given
        if fade is None:  # the window computes it in the task that reads the run
            from cellwright.projects.labdata.fade import cycle_fade

            fade = cycle_fade(self.table, self.summary)
        self.fade = fade
        self.fade_plot = PlotViewer(x_axis=CycleAxis("bottom"))
        self.fade_plot.add_curve(
            fade.cycle, fade.capacity_ah, "Discharge capacity [A.h]", points=True
        )
        lines = []
        if fade.fit is not None:
            fit = fade.fit
            # on a fine grid: a square-root trend drawn through the measured cycles only was
            # a polyline with corners at each
            n = np.linspace(fit.cycle.min(), fit.cycle.max(), 200)
            x = np.sqrt(n) if fit.model == "sqrt" else n
            self.fade_plot.add_curve(n, fit.q0_ah - fit.rate * x, f"{fit.model} trend")
            term = "√n" if fit.model == "sqrt" else "n"
            to80 = fit.cycles_to_80_percent
            if not np.isfinite(to80):
                to80 = "no fade towards 80 % of Q0"
            elif to80 <= fit.cycle.max():  # not a forecast: the run measured it
                to80 = f"the trend is below 80 % of Q0 by cycle {fit.cycle.max():g}"
            else:
                to80 = f"80 % of Q0 at cycle {to80:.0f} on this trend"
            unit, factor = self.capacity_unit
            q0, rate = fit.q0_ah * factor, fit.rate * factor
            lines.append(
                f"Q = {q0:.4g} − {rate:.3g}·{term} {unit} (R² {fit.r_squared:.3f}); {to80}"
            )
        if fade.resistance_ohm is not None:
            self.fade_plot.add_curve(
                fade.resistance_cycle,
                fade.resistance_ohm,
                f"DC resistance at {fade.delay_s:g} s [Ohm]",
                right=True,
                points=True,
            )
        lines += fade.notes
        self.fade_plot.plot.setLabel("bottom", "Cycle")
        _label_capacity(self.fade_plot, "Discharge capacity [A.h]", *self.capacity_unit)
        self.fade_note = QtWidgets.QLabel("\n".join(lines))
        self.fade_note.setWordWrap(True)
        page = QtWidgets.QWidget()
        layout = QtWidgets.QVBoxLayout(page)
        layout.addWidget(self.fade_plot, 1)
        layout.addWidget(self.fade_note)
        return page

    def _impedance_pages(self) -> None:
        """Nyquist plot of the measured spectrum; the equivalent-circuit fit (a non-linear
        least-squares solve, 0.1-2 s) runs in a worker thread and is drawn when ready."""
        self.fit = None
        if cols.Z_REAL not in self.table or cols.Z_IMAG not in self.table:
            # a spectrum an earlier import of an .mpr stored with its frequencies only (the
            # file held |Z| and phase): the viewer failed to open with a KeyError
            self.nyquist = None
            page = TableViewer()
            page.set_rows(
                ["Spectrum"],
                [["stored without its impedance (Re(Z), Im(Z)): import its file into a new "
                  "project, which reads them from |Z| and the phase"]],
            )  # fmt: skip
            self.addTab(page, "Nyquist")
            return
        self.nyquist = PlotViewer()
        z_re, z_im = self.table[cols.Z_REAL], self.table[cols.Z_IMAG]
        self.nyquist.add_curve(z_re, -z_im, "measured", points=True)
        # a cell's impedance is tens of mOhm: it read "Z' [Ohm] (x0.001)" beside ticks 20-60.
        # Both axes in the one unit the larger part reads in: the aspect is locked
        reach = np.concatenate([np.asarray(z_re, float), -np.asarray(z_im, float)])
        for side, name in (("bottom", "Z' [Ohm]"), ("left", "-Z'' [Ohm]")):
            set_readable_axis(self.nyquist.plot.plotItem, side, name, reach)
        self.nyquist.plot.setAspectLocked(True)
        self.addTab(self.nyquist, "Nyquist")
        page = QtWidgets.QWidget()
        self.fit_progress = QtWidgets.QProgressBar()
        self.fit_progress.setRange(0, 0)  # busy: the solver reports no fraction
        self.fit_progress.setFormat("fitting the equivalent circuit…")
        self.fit_progress.setTextVisible(True)
        self.fit_table = TableViewer()
        self.fit_table.set_rows(["Fit"], [["fitting the equivalent circuit…"]])
        layout = QtWidgets.QVBoxLayout(page)
        layout.addWidget(self.fit_progress)
        layout.addWidget(self.fit_table, 1)
        self.addTab(page, "Circuit fit")
        self.fit = None
        self._fit_out: list = []
        self._fit_thread = threading.Thread(
            target=_fit_in_worker, args=(self.table, self._fit_out), daemon=True, name="eis-fit"
        )
        self._fit_thread.start()
        deliver_when_ready(self, self._fit_out, lambda done: self._on_fit_done(*done))

    def fit_running(self) -> bool:
        """True while the circuit fit is still being computed."""
        if self.nyquist is None:  # nothing to fit: stored without its impedance
            return False
        return self._fit_thread.is_alive() or not self.fit_progress.isHidden()

    def _on_fit_done(self, fit, error: str) -> None:
        self.fit_progress.hide()
        if fit is None:
            self.fit_table.set_rows(["Fit"], [[error]])
            return
        self.fit = fit
        self.nyquist.add_curve(fit.fitted.real, -fit.fitted.imag, f"fit {fit.circuit}")
        rows = [[n, v, u] for n, (v, u) in fit.parameters.items()]
        rows.append(["relative RMSE", fit.relative_rmse, "1"])
        self.fit_table.set_rows(["Parameter", "Value", "Unit"], rows)

    def _dqdv_page(self) -> QtWidgets.QWidget:
        page = self.dqdv_page = DqdvPage(self.table, self.summary["cycle"], self._run_task,
                                         capacity_unit=self.capacity_unit)  # fmt: skip
        self.cycle_list, self.direction = page.cycle_list, page.direction
        self.dqdv_plot, self.dqdv_note = page.plot, page.note
        return page

    def tick_cycles(self, *cycles: float) -> None:
        """Tick cycles for the dQ/dV overlay (its page is built if it was not shown yet)."""
        self.dqdv_page.tick_cycles(*cycles)
