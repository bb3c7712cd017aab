"""Gamry .DTA files of DC techniques, written line by line as the Framework writes them
(``EXPLAIN``, ``TAG``, setup objects, then ``CURVE<n>\tTABLE``, a header line, a units line and
rows that start with a tab): read as a run, one cycle per ``CURVE<n>``, the ``OCVCURVE`` before
the experiment left out, an open-circuit technique with zero current, a decimal comma, and
damaged tables refused at their line."""

from __future__ import annotations

import numpy as np
import pytest

from cellwright.projects.labdata import LabDataError, detect_format, read_cycler_file

HEAD = [
    "EXPLAIN",
    "TAG\t{tag}",
    "TITLE\tLABEL\tCyclic Voltammetry\tTest &Identifier",
    "DATE\tLABEL\t3/6/2019\tDate",
    "TIME\tLABEL\t16:35:22\tTime",
    "PSTAT\tPSTAT\tIFC1010-12345\tPotentiostat",
    "CONVENTION\tIQUANT\t1\tCurrent Convention",
]
DC_HEADER = [
    "\tPt\tT\tVf\tIm\tVu\tSig\tAch\tIERange\tOver",
    "\t#\ts\tV vs. Ref.\tA\tV\tV\tV\t#\tbits",
]


def _row(pt, time, volts, amps):
    return (
        f"\t{pt}\t{time}\t{volts}\t{amps}\t0.00000E+000\t5.00000E-001\t-1.07E-003\t5\t..........."
    )


def _write(path, tag, body, decimal="."):
    text = "\n".join([line.format(tag=tag) for line in HEAD] + body) + "\n"
    if decimal != ".":
        text = text.replace(".", decimal)
    path.write_text(text, encoding="latin-1")
    return path


def test_cv_curves_are_one_run_with_a_cycle_per_curve_and_the_ocv_curve_left_out(tmp_path):
    body = [
        "OCVCURVE\tTABLE\t2",
        "\tPt\tT\tVf\tVm\tAch\tOver",
        "\t#\ts\tV vs. Ref.\tV\tV\tbits",
        "\t0\t0.25\t2.83470E-001\t2.83470E-001\t-3.75E-004\t...........",
        "\t1\t0.5\t2.83471E-001\t2.83475E-001\t-3.72E-004\t...........",
        "EOC\tQUANT\t2.83471E-001\tOpen Circuit (V)",
        "CURVE1\tTABLE",
        *DC_HEADER,
        _row(0, 0.1, "4.9E-001", "7.80498E-009"),
        _row(1, 0.2, "4.98267E-001", "-5.33521E-009"),
        "CURVE2\tTABLE",
        *DC_HEADER,
        _row(2, 120.2, "8.97987E-001", "6.57772E-007"),
        _row(3, 120.3, "8.89001E-001", "2.62272E-007"),
    ]
    path = _write(tmp_path / "CV.DTA", "CV", body)
    assert detect_format(path) == "gamry_dta"
    table = read_cycler_file(path)
    assert table.metadata["kind"] == "timeseries" and table.metadata["technique"] == "CV"
    np.testing.assert_allclose(table["test_time_second"], [0.1, 0.2, 120.2, 120.3])
    np.testing.assert_allclose(table["voltage_volt"], [0.49, 0.498267, 0.897987, 0.889001])
    np.testing.assert_allclose(
        table["current_ampere"], [7.80498e-9, -5.33521e-9, 6.57772e-7, 2.62272e-7]
    )
    np.testing.assert_allclose(table["cycle_count"], [1, 1, 2, 2])
    assert table.metadata["start_time"] == "2019-03-06T16:35:22+00:00"


def test_a_decimal_comma_file_reads_as_its_decimal_point_twin(tmp_path):
    body = [
        "CURVE\tTABLE\t2",
        *DC_HEADER,
        _row(0, 0, "-5.00000E-004", "-2.00000E-008"),
        _row(1, 30, "4.99669E-001", "1.40441E-008"),
    ]
    point = read_cycler_file(_write(tmp_path / "point.DTA", "CHRONOA", body))
    comma = read_cycler_file(_write(tmp_path / "comma.DTA", "CHRONOA", body, decimal=","))
    for column in ("test_time_second", "voltage_volt", "current_ampere"):
        np.testing.assert_allclose(comma[column], point[column])
    np.testing.assert_allclose(point["current_ampere"], [-2e-8, 1.40441e-8])


def test_open_circuit_potential_has_zero_current_and_says_so(tmp_path):
    body = [
        "CURVE\tTABLE\t99999",
        "\tPt\tT\tVf\tVm\tAch\tOver\tTemp",
        "\t#\ts\tV vs. Ref.\tV\tV\tbits\tdeg C",
        "\t0\t5.00833\t2.05436E-002\t2.05436E-002\t1.67396E-003\t...........\t25",
        "\t1\t10.0133\t2.01844E-002\t2.02111E-002\t1.67701E-003\t...........\t25",
    ]
    table = read_cycler_file(_write(tmp_path / "OCP.DTA", "CORPOT", body))
    np.testing.assert_allclose(table["current_ampere"], [0.0, 0.0])
    np.testing.assert_allclose(table["voltage_volt"], [0.0205436, 0.0201844])
    assert "open-circuit technique (CORPOT)" in table.metadata["notes"]
    assert table.metadata["column_map"] == {"T": "test_time_second", "Vf": "voltage_volt"}


@pytest.mark.parametrize(
    ("tag", "body", "message"),
    [
        (
            "CHRONOA",
            ["CURVE\tTABLE\t2", *DC_HEADER, _row(0, 0, "1.0E-001", "1E-009"), "\t1\t30\t1.0E-001"],
            r"T.DTA: line 12: truncated record \(3 of 9 cells\)",
        ),
        (
            "CHRONOA",
            [
                "CURVE\tTABLE\t1",
                DC_HEADER[0],
                DC_HEADER[1].replace("\tA\t", "\tmA\t"),
                _row(0, 0, "1.0E-001", "1E-009"),
            ],
            r"T.DTA: line 10: CURVE column 'Im' in 'mA', expected 'A'",
        ),
        (
            "SQUARE_WAVE",
            [
                "CURVE\tTABLE\t1",
                "\tPt\tT\tVfwd\tVrev\tIfwd\tIrev",
                "\t#\ts\tV\tV\tA\tA",
                "\t0\t0.01\t-2.5E-002\t3.7E-002\t1.9E-007\t-1.7E-006",
            ],
            r"T.DTA: line 9: CURVE table has no 'Vf' column for voltage_volt",
        ),
        (
            "CHRONOA",
            ["CURVE\tTABLE\t1", *DC_HEADER, _row(0, 0, "1.0E-001", "n/a")],
            r"T.DTA: line 11: column 'Im' has non-numeric value 'n/a'",
        ),
    ],
    ids=["truncated", "unit", "no-vf", "text-cell"],
)
def test_a_damaged_curve_is_refused_at_its_line(tmp_path, tag, body, message):
    with pytest.raises(LabDataError, match=message) as info:
        read_cycler_file(_write(tmp_path / "T.DTA", tag, body))
    assert "\n" not in str(info.value)
