"""The report's pictures: charts and curves as SVG (matplotlib, text kept as text so the PDF stays
vector and searchable) and 3D fields rendered off-screen by pyvista with a colour bar (PNG).

Both come back as ``data:`` URIs, so an HTML report is one self-contained file. Which series and
field a result shows, and at which time, is :func:`cellwright.viewers.result_focus.result_focus`
(the Qt-free rule the window opens a result tab with), so the report shows what the window does.
"""

from __future__ import annotations

import base64
import io

import numpy as np

from cellwright.app.report.wording import series_label
from cellwright.projects.model import Result, unit_of
from cellwright.projects.readable import CELSIUS_ZERO, is_absolute_temperature, time_unit
from cellwright.viewers.result_units import lengths_in_mm, shown_length

__all__ = [
    "bar_chart",
    "field_picture",
    "is_absolute_temperature",
    "is_mode_shape",
    "series_plot",
    "table_plot",
]

_COLOURS = ("#1f4e79", "#c55a11", "#548235", "#7030a0", "#bf9000", "#2e75b6", "#a5a5a5")


def _pyplot():
    import matplotlib

    matplotlib.use("Agg")  # no display, no Qt: the CLI runs on a server
    import matplotlib.pyplot as plt

    plt.rcParams.update({"svg.fonttype": "none", "font.size": 9, "font.family": "DejaVu Sans"})
    return plt


def _svg(fig) -> str:
    plt = _pyplot()
    buffer = io.StringIO()
    # constrained layout (set on the figure) fits the labels in one drawing pass;
    # bbox_inches="tight" would draw every figure twice
    fig.savefig(buffer, format="svg")
    plt.close(fig)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue().encode()).decode()


def _whole_ticks(axis) -> None:
    """Each tick of a linear ``axis`` carries its whole value ("3.6001", "0.000019").

    matplotlib otherwise moves a common part into an offset or factor at the axis' end: a
    voltage of 3.6 V +- 0.1 mV read "Voltage [V]" over ticks -0.0001 to 0.0001 and "+3.6", a
    20 um gap "Gap [m]" over 1.90 to 2.10 and "1e-5" — beside the unit, a second unit.
    """
    from matplotlib.ticker import ScalarFormatter

    formatter = ScalarFormatter(useOffset=False)
    formatter.set_scientific(False)  # 0.000019 under "Gap [m]", not 1.9 and a "1e-5"
    axis.set_major_formatter(formatter)


def bar_chart(title: str, parts: dict[str, float], unit: str) -> str:
    """A horizontal bar per part (largest first) with its value and share of the total."""
    plt = _pyplot()
    items = sorted(((k, v) for k, v in parts.items() if v > 0), key=lambda kv: kv[1])
    total = sum(parts.values())
    fig, ax = plt.subplots(figsize=(6.2, 0.28 * len(items) + 0.9), layout="constrained")
    names = [k for k, _ in items]
    values = [v for _, v in items]
    ax.barh(names, values, color=_COLOURS[0])
    from cellwright.app.report.content import money, number

    shown = money if unit == "USD" else lambda v: number(v, 3)
    for y, v in enumerate(values):
        ax.text(v, y, f" {shown(v)} ({v / total:.0%})", va="center", fontsize=8)
    ax.set_xlabel(f"{title} [{unit}]")
    _whole_ticks(ax.xaxis)
    ax.set_xlim(0, max(values, default=1) * 1.3)
    ax.spines[["top", "right"]].set_visible(False)
    return _svg(fig)


def _time_axis(result: Result) -> tuple[np.ndarray, str]:
    """The run's time in the unit the window's field viewer reads it in (s, min or h:
    :func:`cellwright.projects.readable.time_unit`)."""
    t = result.series["Time [s]"]
    unit, size = time_unit(t[-1] if t.size else 0.0)
    return t / size, f"Time [{unit}]"


def series_plot(result: Result, headline: str | None, limit: int = 4) -> str | None:
    """The headline series and those sharing its unit (up to ``limit``) against time."""
    if not result.series or headline is None or "Time [s]" not in result.series:
        return None
    plt = _pyplot()
    unit = unit_of(headline)
    absolute = is_absolute_temperature(headline, result.series[headline])
    others = [n for n in result.series if n not in (headline, "Time [s]") and unit_of(n) == unit
              and is_absolute_temperature(n, result.series[n]) == absolute]  # fmt: skip
    names = [headline, *others[: limit - 1]]
    t, label = _time_axis(result)
    fig, ax = plt.subplots(figsize=(6.2, 2.8), layout="constrained")
    in_mm = lengths_in_mm(result)  # a crush's travel in mm, as in its tables
    for k, name in enumerate(names):
        values = result.series[name]
        shown_name, factor = shown_length(name, in_mm)
        shown, shown_unit = (
            (values - CELSIUS_ZERO, "°C") if absolute else (values * factor, unit_of(shown_name))
        )
        ax.plot(t, shown, color=_COLOURS[k % len(_COLOURS)], lw=1.4, label=series_label(name))
    ax.set_xlabel(label)
    ax.set_ylabel(f"{_quantity([n.rsplit(' [', 1)[0] for n in names])} [{shown_unit}]")
    _whole_ticks(ax.yaxis)
    ax.grid(alpha=0.3)
    if len(names) > 1:
        ax.legend(fontsize=7, frameon=False)
    ax.spines[["top", "right"]].set_visible(False)
    return _svg(fig)


def _quantity(labels: list[str]) -> str:
    """What an axis of several curves shows: the one label, or the word their labels end with
    ("Maximum temperature", "Cell 0 mean temperature": "Temperature"), else "Value"."""
    if len(labels) == 1:
        return labels[0]
    last = {label.split()[-1].lower() for label in labels if label.split()}
    return last.pop().capitalize() if len(last) == 1 else "Value"


def table_plot(result: Result, table: str, x: str, y: str) -> str | None:
    """A log-log plot of two columns of a table (spectra: frequency against PSD)."""
    columns = result.tables.get(table, {})
    if x not in columns or y not in columns:
        return None
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(6.2, 2.6), layout="constrained")
    ax.loglog(columns[x], columns[y], color=_COLOURS[0], lw=1.2)
    ax.set_xlabel(x)
    ax.set_ylabel(y)
    ax.grid(alpha=0.3, which="both")
    return _svg(fig)


def field_picture(result: Result, field_name: str, time: float | None) -> tuple[str, str] | None:
    """(caption, PNG data URI) of ``field_name`` at the step nearest ``time``, off-screen."""
    import pyvista as pv

    from cellwright.viewers.field_data import FieldFrames, to_pyvista

    field = result.field(field_name)
    mesh = result.meshes[field.mesh]
    step = int(np.argmin(np.abs(field.times - time))) if time is not None else len(field.times) - 1
    grid = to_pyvista(mesh, f"field {field.name!r}")
    values = FieldFrames(field).frame(step)
    unit = field.unit
    if is_absolute_temperature(field.name, values):
        values, unit = values - CELSIUS_ZERO, "°C"
    elif unit == "m" and lengths_in_mm(result):  # a crush's displacement, as in its tables
        values, unit = values * 1e3, "mm"
    name = f"{field.name.rsplit(' [', 1)[0]} [{unit}]"
    if field.association == "point":
        grid.point_data[name] = values
    else:
        grid.cell_data[name] = values
    _quiet_headless_vtk()
    plotter = pv.Plotter(off_screen=True, window_size=(900, 620))
    plotter.set_background("white")
    # the bar's title is the unit alone: a whole name ("RMS von Mises stress [Pa]") is cut off
    # at the picture's right edge; the caption under the picture names the quantity
    bar = {"title": unit, "color": "black", "vertical": True, "position_x": 0.86,
           "position_y": 0.12, "height": 0.76, "width": 0.06, "fmt": "%.4g"}  # fmt: skip
    plotter.add_mesh(grid, scalars=name, cmap="viridis", scalar_bar_args=bar)
    # VTK sets the title right on the bar's top, and the top tick label, centred on that end,
    # rises into it ("W.m-3" sat on "9.773e+04"): the bar and its labels are moved down clear
    plotter.scalar_bar.SetVerticalTitleSeparation(_TITLE_CLEARANCE)
    plotter.view_isometric()
    plotter.camera.zoom(1.1)
    image = plotter.screenshot(return_img=True)
    plotter.close()
    from PIL import Image

    buffer = io.BytesIO()
    Image.fromarray(image).save(buffer, format="PNG", optimize=False)
    uri = "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()
    return _field_caption(result, field.name, name, field.times, step), uri


#: pixels between a field picture's colour-bar title and its bar: more than half a tick label's
#: height (about 12 px in the 900 × 620 picture), so the top label keeps a line of air
_TITLE_CLEARANCE = 16


def _quiet_headless_vtk() -> None:
    """On a server without a display VTK tries X first and prints "bad X server connection"
    before it renders off-screen without one: a warning on every `cellwright report -q` that
    says nothing wrong. Only its warnings are hushed, only where there is no display."""
    import os

    if os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"):
        return
    from vtkmodules.vtkCommonCore import vtkLogger

    vtkLogger.SetStderrVerbosity(vtkLogger.VERBOSITY_ERROR)


#: the modal engine's field; its "times" are the mode numbers 1, 2, … (engines/mechanics/modal.py)
MODE_FIELD = "Mode shape [-]"


def is_mode_shape(result: Result, field_name: str) -> bool:
    """True for a modal result's mode shapes (one frame per mode, not per time)."""
    return field_name == MODE_FIELD and "modes" in result.tables


def _field_caption(result: Result, field_name: str, name: str, times, step: int) -> str:
    if len(times) == 1:  # one frame (a random-vibration response): no moment to name
        return name
    if not is_mode_shape(result, field_name):
        return f"{name} at t = {times[step]:.4g} s (step {step + 1} of {len(times)})"
    modes = result.tables["modes"]
    column = next((c for c in modes if c.startswith("Frequency")), None)
    frequency = f" at {float(modes[column][step]):.4g} Hz" if column else ""
    return f"Mode shape of mode {step + 1} of {len(times)}{frequency}"
