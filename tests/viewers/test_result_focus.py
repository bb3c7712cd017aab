"""A result opens on its headline series and at the moment its study is about."""

from __future__ import annotations

import numpy as np

from cellwright.projects.model import FieldData, MeshData, Provenance, Result
from cellwright.viewers.result_focus import result_focus

PROV = Provenance(engine_id="x.y", engine_version="1", spec_hash="")


def _result(series, scalars=None, fields=()):
    mesh = MeshData(points=np.eye(3, 3), cells={"vertex": np.arange(3).reshape(-1, 1)})
    return Result(series=series, scalars=scalars or {}, fields=list(fields),
                  meshes={"m": mesh} if fields else {}, provenance=PROV)  # fmt: skip


def test_electrochemistry_opens_on_voltage_at_the_end() -> None:
    t = np.linspace(0, 3600, 5)
    focus = result_focus(_result({"Time [s]": t, "Current [A]": t, "Voltage [V]": t}))
    assert (focus.series, focus.time, focus.reason) == ("Voltage [V]", 3600.0, "end of the run")


def test_runaway_opens_on_the_hottest_temperature_at_onset() -> None:
    t = np.linspace(0, 200, 11)
    field = FieldData(name="Temperature [K]", mesh="m", times=t, values=np.ones((11, 3)))
    result = _result(
        {"Time [s]": t, "Ambient temperature [K]": t, "Maximum temperature [K]": t},
        {"Runaway [-]": 1.0, "First onset time [s]": 107.0},
        [field],
    )
    focus = result_focus(result)
    assert focus.series == "Maximum temperature [K]" and focus.field == "Temperature [K]"
    assert focus.time == 107.0 and focus.reason == "first onset time"


def test_no_runaway_falls_back_to_the_end() -> None:
    t = np.linspace(0, 50, 3)
    focus = result_focus(_result({"Time [s]": t, "Maximum temperature [K]": t},
                                 {"First onset time [s]": float("nan")}))  # fmt: skip
    assert focus.time == 50.0 and focus.reason == "end of the run"


def test_a_force_is_the_headline_of_mechanics() -> None:
    d = np.linspace(0, 1e-3, 3)
    series = {"Time [s]": d, "Displacement [m]": d, "Indenter force [N]": d}
    focus = result_focus(_result(series))
    assert focus.series == "Indenter force [N]"
    assert focus.x == "Displacement [m]"  # the force–displacement curve, not force over time


def test_a_crush_opens_on_its_plastic_strain_at_the_short() -> None:
    t = np.linspace(0, 1.0, 3)
    fields = [FieldData(name=name, mesh="m", times=t, values=np.ones((3, 3)))
              for name in ("Displacement [m]", "Equivalent plastic strain [-]",
                           "Contact pressure [Pa]")]  # fmt: skip
    series = {"Time [s]": t, "Displacement [m]": 2e-3 * t, "Force [N]": 2e4 * t}
    focus = result_focus(_result(series, {"Short-circuit onset time [s]": 0.9}, fields))
    assert (focus.x, focus.series) == ("Displacement [m]", "Force [N]")
    assert focus.field == "Equivalent plastic strain [-]"
    assert focus.time == 0.9 and focus.reason == "short-circuit onset time"


def test_a_transient_is_drawn_against_time() -> None:
    t = np.linspace(0, 3600, 5)
    focus = result_focus(_result({"Time [s]": t, "Voltage [V]": t}))
    assert focus.x == "Time [s]"


def test_the_line_above_a_result_names_its_moment_as_the_viewers_read_it() -> None:
    """A runaway tab opened with "Showing Maximum temperature [K] at t = 1235 s" above a plot
    in °C and a 3D view whose time read 20.58 min: now in the viewers' words."""
    from cellwright.viewers.result_focus import focus_words

    t = np.linspace(0, 3600, 11)
    field = FieldData(name="Temperature [K]", mesh="m", times=t, values=np.full((11, 3), 400.0))
    result = _result({"Time [s]": t, "Maximum temperature [K]": 298.15 + t / 10},
                     {"First onset time [s]": 1234.56}, [field])  # fmt: skip
    focus = result_focus(result)
    assert focus_words(result, focus) == ("Maximum temperature [°C]", "20.58 min")
    fields_only = _result({}, {"First onset time [s]": 12.5}, [field])
    assert focus_words(fields_only, result_focus(fields_only)) == ("Temperature [°C]", "0.2083 min")
