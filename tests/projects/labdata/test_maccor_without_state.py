"""A Maccor export whose ``State`` column was deselected in the export dialog: the current is a
magnitude, so each step's direction comes from what else the file holds (the voltage under
current, V = OCV + I·R), and a file where nothing tells it is refused naming the column, not
imported with every current positive."""

from __future__ import annotations

import numpy as np
import pytest

from cellwright.projects.labdata import LabDataError, read_cycler_file

HEADER = "Rec#\tCyc#\tStep\tTest (Sec)\tStep (Sec)\tAmp-hr\tWatt-hr\tAmps\tVolts\tES\tDPt Time"

#: (step, amps, volts of its records): rest, CC charge, CV charge, rest, CC discharge, rest
PROFILE = [
    (1, 0.0, [3.600, 3.600, 3.600]),
    (2, 1.5, [3.680, 3.750, 3.900, 4.100, 4.200]),
    (3, 0.8, [4.200, 4.200, 4.200]),  # CV: current decays, voltage held
    (4, 0.0, [4.120, 4.110, 4.105]),
    (5, 1.5, [3.990, 3.850, 3.700, 3.500]),
    (6, 0.0, [3.560, 3.570]),
]


def _export(path, profile) -> None:
    """A MIMS text export (tab separated, CRLF) without the State column."""
    lines = [
        "Today's Date 04/04/2024  Date of Test:\t04/01/2024\t Filename:\tC:\\Data\\MIMS\\"
        "cell7.001 Procedure: Form.000Formation\tComment/Barcode: cell7",
        HEADER,
    ]
    k = 0
    for step, amps, volts in profile:
        for n, volt in enumerate(volts):
            capacity = amps * n * 10 / 3600
            lines.append(
                f"{k + 1}\t0\t{step}\t{10.0 * k:.4f}\t{10.0 * n:.4f}\t{capacity:.10f}\t"
                f"{capacity * volt:.10f}\t{amps * (0.5**n if step == 3 else 1):.10f}\t"
                f"{volt:.8f}\t{0 if n == 0 else 1}\t04/01/2024 10:{k // 6:02d}:{10 * (k % 6):02d}"
            )
            k += 1
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("latin-1"))


def test_each_step_takes_the_direction_its_voltage_tells(tmp_path):
    path = tmp_path / "cell7.001"
    _export(path, PROFILE)
    run = read_cycler_file(path)
    step, current = run["step_index"], run["current_ampere"]
    assert (current[step == 2] == 1.5).all()
    assert (current[step == 3] > 0).all()  # the CV part continues the charge
    assert (current[step == 5] == -1.5).all()
    assert (current[np.isin(step, (1, 4, 6))] == 0).all()
    assert run["discharging_capacity_ah"][step == 5].max() > 0
    assert run["charging_capacity_ah"][step == 5].max() == 0
    assert any("no State column" in note for note in run.metadata["notes"])


def test_a_step_nothing_tells_is_refused_naming_the_column(tmp_path):
    """A constant-voltage step straight after a rest at that voltage: no jump, no trend."""
    path = tmp_path / "cell7.001"
    _export(path, [(1, 0.0, [3.600, 3.600]), (2, 0.2, [3.600, 3.600, 3.600])])
    with pytest.raises(
        LabDataError, match=r"data records 3-5: the current is written as a magnitude and the "
        r"export has no 'State' column"
    ):  # fmt: skip
        read_cycler_file(path)
