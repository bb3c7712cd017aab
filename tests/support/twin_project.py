"""A small project with one physical cell and a history to show: records, telemetry, estimate."""

from __future__ import annotations

from pathlib import Path

from support.passports import example_entries
from support.twin import START, write_csv
from support.twin_sim import simulate_fast


def battery_project(folder: Path) -> Path:
    """ECM-example cell ``ECM-001``: an end-of-line record, four 2-hour telemetry files a week
    apart with 1 % fade each, the example passport entries, and an estimate event."""
    from cellwright.app.twin_estimates import estimate_battery
    from cellwright.engines.electrochem.ecm_parameters import ecm_parameters_from_pybamm
    from cellwright.projects.model import CellDesign
    from cellwright.projects.passport.batteries import add_battery
    from cellwright.projects.passport.compile import set_user_values
    from cellwright.projects.passport.records import import_manufacturing
    from cellwright.projects.passport.telemetry import import_telemetry
    from cellwright.projects.store import Project

    ecm = ecm_parameters_from_pybamm("ECM_Example")
    path = folder / "battery.cwproj"
    with Project.create(path) as p:
        p.put(ecm)
        p.put(CellDesign(id="ecm-cell", name="ECM cell", format="prismatic", ecm_parameters=ecm.id))
        add_battery(p, "ECM-001", "ecm-cell", production_date="2023-11-01", production_site="Lab")
        eol = folder / "eol.csv"
        eol.write_text(
            f"serial,production_date,capacity_ah\nECM-001,2023-11-01,{0.97 * ecm.capacity}\n",
            encoding="utf-8",
        )
        import_manufacturing(p, eol)
        for week in range(4):
            sim = simulate_fast(ecm, 2 * 3600, (0.96 - 0.01 * week,) * 2, seed=40 + week)
            cols = {
                "time": sim.time + START + week * 7 * 86400,
                "current": sim.current,
                "voltage": sim.voltage,
                "temperature": sim.temperature - 273.15,
            }
            import_telemetry(p, write_csv(folder / f"week{week}.csv", cols), "ECM-001")
        entries = example_entries()
        measured = {
            "battery_mass": 2.0,
            "maximum_power": 1500.0,
            "power_energy_ratio": 4.1,
            "initial_round_trip_efficiency": 95.5,
        }  # typed in: no datasheet or lab run
        set_user_values(p, "ECM-001", entries["values"] | measured, entries["catenax"])
        estimate_battery(p, "ECM-001")
    return path
