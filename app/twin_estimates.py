"""State of health and remaining life of a physical battery, from everything in its history.

Qt-free (the CLI and the window share it). Reference capacities come from lab runs on the cell
(each full discharge cycle of a run of several, dated by the run's start plus the cycle's
start; the largest discharge of a run of one cycle) and from manufacturing or service records
that state a capacity; the joint EKF (engines/twin) runs over the telemetry on the design's ECM
and adds its capacity at the end of each telemetry segment. The fade models are fitted to those
points over calendar days, and the forecast and the filter's state are appended to the history
as an ``estimate`` event — once per state of the chain, so estimating twice adds nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import numpy as np

from cellwright.projects.model import EventKind, InputError
from cellwright.projects.passport.batteries import Battery, find_battery

__all__ = ["CapacityPoint", "SohReport", "capacity_points", "estimate_battery", "soh_curve"]

_CAPACITY_KEYS = ("capacity_ah", "capacity", "capacity_Ah", "Capacity_Ah", "discharge_capacity_ah")
DAY = 86400.0


@dataclass(frozen=True)
class CapacityPoint:
    """One capacity measurement or estimate of the battery."""

    time: float  # s since 1970 UTC
    capacity: float  # A.h
    source: str  # "lab", "manufacturing", "service", "ekf"
    detail: str
    sd: float = 0.0


@dataclass
class SohReport:
    """What ``twin soh`` prints and the estimate event stores."""

    serial: str
    rated_capacity: float | None
    points: list[CapacityPoint]
    soc: float | None = None
    soc_sd: float | None = None
    soc_time: float | None = None  # s since 1970: the end of the telemetry the SOC is from
    capacity: float | None = None
    capacity_sd: float | None = None
    resistance: float | None = None
    resistance_initial: float | None = None
    rul: dict[str, Any] | None = None
    notes: list[str] = field(default_factory=list)
    stored_event: int | None = None

    @property
    def soh(self) -> float | None:
        """Capacity over rated capacity."""
        if self.capacity is None or not self.rated_capacity:
            return None
        return self.capacity / self.rated_capacity

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready summary."""
        return {
            "serial": self.serial,
            "soh": self.soh,
            "capacity_ah": self.capacity,
            "capacity_sd_ah": self.capacity_sd,
            "rated_capacity_ah": self.rated_capacity,
            "resistance_ohm": self.resistance,
            "resistance_initial_ohm": self.resistance_initial,
            "soc": self.soc,
            "soc_sd": self.soc_sd,
            "rul": self.rul,
            "capacity_points": [
                {
                    "time": _iso(p.time),
                    "capacity_ah": p.capacity,
                    "sd_ah": p.sd,
                    "source": p.source,
                    "detail": p.detail,
                }
                for p in self.points
            ],
            "notes": self.notes,
            "estimate_event": self.stored_event,
        }


def _iso(t: float) -> str:
    return datetime.fromtimestamp(t, UTC).isoformat(timespec="seconds")


def _stamp(text: str) -> float | None:
    try:
        value = datetime.fromisoformat(str(text).replace("Z", "+00:00"))
    except ValueError:
        return None
    return (value if value.tzinfo else value.replace(tzinfo=UTC)).timestamp()


#: a cycle discharging less than this fraction of the run's median full discharge is a partial
#: cycle (an aborted step, a top-up), no capacity of the cell
_PARTIAL_CYCLE = 0.5


def _lab_points(
    project, battery: Battery, rated: float | None, notes: list[str]
) -> list[CapacityPoint]:
    from cellwright.projects.labdata.analysis import cycle_summary
    from cellwright.projects.labdata.runs import load_run
    from cellwright.projects.labdata.table import LabDataError

    out = []
    # runs linked to the battery that gave no capacity, and why: "no capacity check, record
    # or telemetry" was all a battery with twenty linked runs was told
    unread: list[str] = []
    none: list[str] = []
    small: list[str] = []
    for run in project.list("labrun"):
        # a per-cycle summary (BatteryArchive's cycle_data, INL's summary) is a fade test
        # too: linked, it was "no capacity check, record or telemetry to estimate from"
        if run.physical_cell != battery.id or run.kind not in ("timeseries", "cycle_summary"):
            continue
        try:
            summary = cycle_summary(load_run(project, run.id))
        except LabDataError:
            unread.append(run.name)
            continue
        when = _stamp(run.start_time) or run.imported_at.timestamp()
        points, left_out = _run_points(run, summary, when, rated, notes)
        out += points
        if left_out == "small":
            small.append(run.name)
        elif left_out == "none":
            none.append(run.name)
    if small:
        notes.append(
            f"{_names(small)}: a discharge under half the rated {rated:.4g} A.h (a partial "
            "discharge, or another cell's data), not taken as its capacity"
        )
    if none:
        notes.append(f"{_names(none)}: no discharge")
    if unread:
        notes.append(f"{_names(unread)}: no cycles to summarise")
    return out


def _names(runs: list[str]) -> str:
    """Lab runs named, the first three of many."""
    shown = ", ".join(repr(name) for name in runs[:3])
    more = f" and {len(runs) - 3} more" if len(runs) > 3 else ""
    return f"lab run{'s' if len(runs) > 1 else ''} {shown}{more}"


def _run_points(
    run, summary, when: float, rated: float | None, notes: list[str]
) -> tuple[list[CapacityPoint], str | None]:
    """A run's capacity points: one per full discharge cycle of a run of several, dated by
    the run's start plus the cycle's start; the largest discharge for a run of one cycle.
    With them, why a run of one cycle gave none: "small" (under half the rated capacity),
    "none" (no discharge), else None.

    A 150-cycle fade test gave one point (its largest, first discharge): no trend, no
    forecast, and a present capacity from the start of the test.
    """
    discharge = np.nan_to_num(np.asarray(summary["discharge_capacity_ah"], dtype=float))
    cycles = np.asarray(summary["cycle"], dtype=float)
    times, dated_by = _cycle_times(summary)
    positive = discharge > 0
    reference = np.asarray(summary.get("reference_cycle", np.zeros(cycles.size)), dtype=float)
    checks = positive & (reference == 1.0)
    if checks.any():
        # the file labels its capacity checks: the state of health is judged on them, not
        # on the ageing cycles between (faster, hotter, or partial by design)
        positive = checks
    if positive.sum() < 2:
        capacity = float(np.max(discharge[positive], initial=0.0))
        if capacity > 0 and (rated is None or capacity > 0.5 * rated):
            return [CapacityPoint(when, capacity, "lab", f"lab run {run.name}")], None
        return [], ("small" if capacity > 0 else "none")
    full = positive & (discharge >= _PARTIAL_CYCLE * np.median(discharge[positive]))
    if not np.isfinite(times[positive]).all():
        # a summary that holds no cycle times: its last full discharge is what the cell
        # holds now, not its largest (the first, fresh one)
        last = int(np.flatnonzero(full)[-1])
        capacity = float(discharge[last])
        if rated is None or capacity > 0.5 * rated:
            notes.append(
                f"lab run {run.name}: no cycle times in the file, so no fade within it: its "
                f"last full discharge (cycle {cycles[last]:g}) taken as the capacity at the "
                "run's date"
            )
            return [
                CapacityPoint(when, capacity, "lab", f"lab run {run.name}, cycle {cycles[last]:g}")
            ], None
        return [], "small"
    if rated is not None:
        full &= discharge > 0.5 * rated
    skipped = [f"{c:g}" for c in cycles[positive & ~full]]
    which = (
        f"{int(full.sum())} of the {int(checks.sum())} capacity checks the file labels taken "
        f"as capacity points (its {cycles.size - int(checks.sum())} other cycles not)"
        if checks.any()
        else f"{int(full.sum())} of {cycles.size} cycles taken as capacity points"
    )
    notes.append(
        f"lab run {run.name}: {which} (each a full discharge, dated by the run's start plus "
        f"the cycle's {dated_by})"
        + (
            f"; not taken (under {100 * _PARTIAL_CYCLE:.0f} % of the median discharge"
            f"{' or half the rated capacity' if rated else ''}): cycle(s) "
            + ", ".join(skipped[:10])
            + (f" and {len(skipped) - 10} more" if len(skipped) > 10 else "")
            if skipped
            else ""
        )
        + (
            f"; {int((~positive).sum())} cycle(s) without discharge not taken"
            if not checks.any() and (~positive).any()
            else ""
        )
    )
    points = [
        CapacityPoint(
            when + float(times[i]),
            float(discharge[i]),
            "lab",
            f"lab run {run.name}, cycle {cycles[i]:g}",
        )
        for i in np.flatnonzero(full)
    ]
    return points, None


def _cycle_times(summary) -> tuple[np.ndarray, str]:
    """Each cycle's test time to date it by: its start, or its end where the file gives only
    that (BatteryArchive's cycle_data); with which of the two it is."""
    starts = np.asarray(summary["start_time_second"], dtype=float)
    ends = np.asarray(summary.get("end_time_second", np.full(starts.size, np.nan)), dtype=float)
    if np.isfinite(starts).any() or not np.isfinite(ends).any():
        return starts, "start"
    return ends, "end"


#: a record's capacity above this many times the rated one is no capacity in A.h: no cell
#: holds half as much again as its rating (new cells measure within a few per cent of it)
_MOST_OVER_RATED = 1.5


def _record_points(events, rated: float | None, notes: list[str]) -> list[CapacityPoint]:
    out = []
    for event in events:
        if event.kind not in (EventKind.MANUFACTURING, EventKind.SERVICE):
            continue
        for key in _CAPACITY_KEYS:
            raw = event.payload.get(key)
            if raw is None or raw == "":
                continue
            try:
                value = float(raw)
            except (TypeError, ValueError):
                # a decimal comma ("4,98") dropped the record's capacity without a word
                comma = " (a decimal comma? write 4.98)" if "," in str(raw) else ""
                notes.append(
                    f"{event.kind} event {event.seq}: {key} {raw!r} not taken: not a number "
                    f"of A.h{comma}"
                )
                continue
            when = _stamp(event.time)
            if rated and value > _MOST_OVER_RATED * rated:
                # a column in mA.h (5020 for a 5 A.h cell) became an SOH of 100400 % and a
                # passport remaining capacity of 5020 A.h
                notes.append(
                    f"{event.kind} event {event.seq}: {key} {value:g} not taken: an SOH of "
                    f"{100 * value / rated:.0f} % of the rated {rated:g} A.h (record "
                    "capacities are read in A.h; is it in mA.h?)"
                )
            elif value > 0 and when is not None:
                out.append(CapacityPoint(when, value, event.kind, f"event {event.seq}"))
            break
    return out


def capacity_points(
    project, serial: str, rated: float | None = None, notes: list[str] | None = None
) -> list[CapacityPoint]:
    """Reference capacities of the battery, oldest first (without the EKF's).

    Parameters
    ----------
    project
        The open project.
    serial
        The battery's serial.
    rated
        Its rated capacity [A.h], if known: a record stating more than 1.5 times it is not
        taken (a capacity in mA.h read as A.h).
    notes
        Where to say which cycles of each lab run were taken, and which record capacities
        were not taken, and why.

    Returns
    -------
    list of CapacityPoint
        Lab and record capacities in time order.
    """
    battery = find_battery(project, serial)
    notes = [] if notes is None else notes
    records = _record_points(project.events(battery.id), rated, notes)
    points = _lab_points(project, battery, rated, notes) + records
    return sorted(points, key=lambda p: p.time)


def _ecm(project, battery: Battery):
    """The ECM of the battery's cell and the cells in series and in parallel (1, 1 for a
    cell); None when the design has no ECM."""
    if not battery.obj.design:
        return None
    from cellwright.projects.design.resolve import find_design
    from cellwright.projects.model import PackDesign

    design, snapshot = find_design(battery.obj.design, project, prefer=battery.kind)
    if snapshot.ecm_parameters is None:
        return None
    if isinstance(design, PackDesign):
        return snapshot.ecm_parameters, design.series, design.parallel
    return snapshot.ecm_parameters, 1, 1


def _segments(project, battery: Battery):
    events = [e for e in project.events(battery.id) if e.kind == EventKind.TELEMETRY]
    return sorted(events, key=lambda e: e.payload["span_s"][0])


def _filter(project, battery: Battery, ecm, report: SohReport, progress) -> None:
    """Run the EKF segment by segment (rests between them), adding its capacity points.

    ``ecm`` is the cell's ECM with the cells in series and in parallel: a pack is filtered as
    its average cell (pack voltage over the series count, current over the parallel count) and
    the cell's capacity and resistance are scaled back to the pack's. The cell's ECM on the
    pack's voltage gave an SOH of -968 % and an SOC of 1948 %.
    """
    from cellwright.engines.twin.ekf import EkfSettings, TableModel, rest, run_ekf

    ecm, series, parallel = ecm
    if series * parallel > 1:
        report.notes.append(
            f"pack telemetry filtered as its average cell ({series} in series, {parallel} "
            "in parallel)"
        )
    model, settings = TableModel.from_parameters(ecm), EkfSettings(out_every=600)
    segments = _segments(project, battery)
    result, last_t = None, None
    for n, event in enumerate(segments):
        cols = {k: project.get_array(v["key"]) for k, v in event.payload["arrays"].items()}
        cols["voltage"] = cols["voltage"] / series
        cols["current"] = cols["current"] / parallel
        start = None if result is None else rest(model, settings, result, cols["time"][0] - last_t)
        result = run_ekf(
            model,
            cols["time"],
            cols["current"],
            cols["voltage"],
            cols.get("temperature"),
            settings,
            start=start,
        )
        last_t = float(cols["time"][-1])
        report.points.append(
            CapacityPoint(
                last_t,
                float(result.capacity[-1]) * parallel,
                "ekf",
                f"EKF over telemetry {event.source}",
                float(result.capacity_sd[-1]) * parallel,
            )
        )
        if progress is not None:
            progress((n + 1) / len(segments), f"filtered {event.source}")
    if result is None:
        return
    report.soc, report.soc_sd = float(result.soc[-1]), float(result.soc_sd[-1])
    report.soc_time = last_t
    report.capacity = float(result.capacity[-1]) * parallel
    report.capacity_sd = float(result.capacity_sd[-1]) * parallel
    r0 = result.reference_r0 * series / parallel
    report.resistance = float(result.resistance_factor[-1]) * r0
    report.resistance_initial = r0


def _forecast(report: SohReport, threshold: float) -> None:
    from cellwright.engines.twin.rul import forecast_rul

    points = sorted(report.points, key=lambda p: p.time)
    if len(points) < 4:
        report.notes.append(f"{len(points)} capacity point(s): a forecast needs 4 or more")
        return
    t0 = points[0].time
    days = np.array([(p.time - t0) / DAY for p in points])
    capacity = np.array([p.capacity for p in points])
    try:
        f = forecast_rul(days, capacity, threshold, report.rated_capacity or capacity[0])
    except InputError as exc:
        report.notes.append(f"no remaining-life forecast: {exc}")
        return
    median, low, high = f.rul
    report.rul = {
        "threshold_fraction": threshold,
        "threshold_capacity_ah": f.threshold_capacity,
        "unit": "days",
        "median": _finite(median),
        "low": _finite(low),
        "high": _finite(high),
        "crossing_date": _iso(t0 + f.median * DAY) if np.isfinite(f.median) else None,
        "level": f.level,
        "probability_within_horizon": f.probability_within_horizon,
        "observed_crossing_days": f.observed_crossing,
        "model_weights": f.weights,
        "message": f.message("days"),
        "origin": _iso(t0),
        "history": _forecast_history(points, days, capacity, threshold, report.rated_capacity),
    }


#: the forecast history is refitted at most this many times: each refit of a long history
#: (a lab run's cycles) takes up to a second
_MOST_REFITS = 12


def _forecast_history(points, days, capacity, threshold: float, rated: float | None) -> list:
    """The forecast as the capacity points arrived (refitted on the first k points, for
    at most 12 values of k)."""
    from cellwright.engines.twin.rul import rul_history

    history = rul_history(
        days, capacity, threshold, rated or capacity[0], most=_MOST_REFITS, draws=1000
    )
    out = []
    for f in history:
        k = int(np.searchsorted(days, f.last_x, side="right"))  # points the forecast saw
        median, low, high = f.rul
        out.append(
            {
                "as_of": _iso(points[k - 1].time),
                "points": k,
                "median": _finite(median),
                "low": _finite(low),
                "high": _finite(high),
            }
        )
    return out


def _finite(value: float) -> float | None:
    return float(value) if np.isfinite(value) else None


def estimate_battery(
    project, serial: str, threshold: float = 0.8, store: bool = True, progress=None
) -> SohReport:
    """State of health, resistance, SOC and remaining life of a battery now.

    Raises
    ------
    InputError
        For an unknown serial, a battery with neither telemetry nor capacity records, or a
        threshold that is not a fraction between 0 and 1.
    """
    from cellwright.projects.passport.telemetry import rated_capacity

    if not 0 < threshold < 1:  # also refuses NaN; 5 or -1 gave a forecast to a nonsense end
        raise InputError(
            f"threshold: the end-of-life capacity is a fraction between 0 and 1 "
            f"(0.8 for 80 %), not {threshold:g}"
        )
    battery = find_battery(project, serial)
    rated = rated_capacity(project, battery)
    notes: list[str] = []
    report = SohReport(battery.serial, rated, capacity_points(project, serial, rated, notes))
    report.notes += notes
    ecm = _ecm(project, battery)
    if _segments(project, battery):
        if ecm is None:
            report.notes.append(
                "telemetry not filtered: the design has no ECM parameters "
                "(fit them with `cellwright ecm fit`)"
            )
        else:
            _filter(project, battery, ecm, report, progress)
    if not report.points:
        why = "".join(f"; {note}" for note in notes)
        raise InputError(f"{serial}: no capacity check, record or telemetry to estimate from{why}")
    report.points.sort(key=lambda p: p.time)
    last = report.points[-1]
    if last.source != "ekf":  # a later check or record is the better present capacity
        report.capacity, report.capacity_sd = last.capacity, last.sd or None
        report.notes.append(f"capacity from the latest {last.source} record ({last.detail})")
    _forecast(report, threshold)
    if store:
        _store(project, battery, report, threshold)
    return report


def _store(project, battery: Battery, report: SohReport, threshold: float) -> None:
    events = project.events(battery.id)
    if events and events[-1].kind == EventKind.ESTIMATE and _threshold(events[-1]) == threshold:
        report.stored_event = events[-1].seq  # nothing new since the last estimate
        return
    # another end-of-life threshold is another forecast: naming the stored one (made for
    # 0.8) as the estimate of --threshold 0.7 pointed at a remaining life never asked for
    payload = report.as_dict()
    payload["threshold"] = threshold
    payload["as_of"] = _iso(report.points[-1].time)
    payload["method"] = "joint EKF on the design's ECM; fade models with BIC averaging"
    event = project.append_event(battery.id, EventKind.ESTIMATE, payload["as_of"], payload)
    report.stored_event = event.seq


def _threshold(event) -> float:
    """The end-of-life threshold an estimate event was made for (0.8, the default, for one
    stored before the threshold was)."""
    payload = event.payload
    rul = payload.get("rul") or {}
    return float(payload.get("threshold", rul.get("threshold_fraction", 0.8)))


def soh_curve(report_payload: dict[str, Any], days_ahead: float | None = None, points: int = 200):
    """The capacity points, the model-averaged fade curve with its 90 % band, and the
    threshold, for plotting: a dict of arrays over days since the first point."""
    from cellwright.engines.twin.fade import fit_models, model_weights

    pts = report_payload["capacity_points"]
    t0 = _stamp(pts[0]["time"])
    days = np.array([(_stamp(p["time"]) - t0) / DAY for p in pts])
    cap = np.array([p["capacity_ah"] for p in pts])
    rul = report_payload.get("rul") or {}
    end = days_ahead or max(days[-1] * 2.0, (rul.get("median") or 0) + days[-1] * 1.2, 1.0)
    grid = np.linspace(0.0, end, points)
    out = {"days": days, "capacity": cap, "grid": grid}
    if len(pts) >= 4:
        fits, _ = fit_models(days, cap)
        # quantiles of the model-averaged posterior: curves drawn from each model in
        # proportion to its weight, pooled (averaging each model's quantiles would not be)
        rng = np.random.default_rng(0)
        counts = rng.multinomial(2000, model_weights(fits))
        curves = np.concatenate(
            [
                np.array([f.predict(grid, p) for p in f.sample(int(n), rng)])
                for f, n in zip(fits, counts, strict=True)
                if n > 0
            ]
        )
        out["low"], out["high"] = np.quantile(curves, [0.05, 0.95], axis=0)
        weights = model_weights(fits)
        best = fits[int(np.argmax(weights))]
        out["median"] = best.predict(grid)  # the best model's least-squares curve
        out["model"] = best.model
    out["threshold"] = rul.get("threshold_capacity_ah")
    return out
