"""Export variants of the vendor families, written here line by line as the instruments and their
software write them (layouts documented in each test), so that a reader knows the format rather
than one sample file: header blocks with comment and log lines, Maccor's ``0d 00:00:5.05``
durations and its MIMS layout with the test time in minutes, PEC's ``hh:mm:ss.xxx`` time
columns, BDF labels in other units and the discharge-positive sign convention, Neware's layered
CSV with its first step on the cycle row, numeric wall clocks in several epochs, and damaged
records in the measured columns."""

from __future__ import annotations

import numpy as np
import pytest

from cellwright.projects.labdata import LabDataError, detect_format, read_cycler_file
from cellwright.projects.labdata.resolve import epoch_seconds
from support.xls_files import biff8_workbook, ole2


def _write(path, lines, encoding="utf-8"):
    path.write_text("\n".join(lines) + "\n", encoding=encoding)
    return path


def test_a_semicolon_metadata_block_with_comment_and_log_lines_is_not_taken_for_the_table(
    tmp_path,
):
    """A lab's own logger: ``key;value`` lines padded with separators, ``#`` section lines and
    ``number;message`` log lines before the table; only ``--mapping auto`` may read it."""
    pad = ";" * 8
    lines = [
        f"# INSTRUMENT FILE --- HEAD ---;{pad}",
        f"operator;A. Person;{pad[:-1]}",
        f"date;01.01.2016;{pad[:-1]}",
        f"mass;0.0012;{pad[:-1]}",
        f"# INSTRUMENT FILE --- LOG ---;{pad}",
        f"15;Started collecting auxiliary data;{pad[:-1]}",
        f"773;Problem encountered - reloading config;{pad[:-1]}",
        f"78999;R0;{pad[:-1]}",
        f"# INSTRUMENT FILE --- DATA ---;{pad}",
        "index;test_time;step_time;step;cycle;current;voltage;charge_capacity;discharge_capacity",
    ]
    rows = [
        f"{k};{120.0 * (k + 1):.2f};{120.0 * (k + 1):.2f};1;1;0.00{k};{3.70 + 0.01 * k:.2f};0;0"
        for k in range(5)
    ]
    path = _write(tmp_path / "logger.csv", lines + rows)
    with pytest.raises(
        LabDataError,
        match=r"logger.csv: line 10: unrecognised cycler format.*"
        r"test_time->test_time_second.*--mapping auto",
    ):
        read_cycler_file(path)
    table = read_cycler_file(path, mapping="auto")
    assert len(table) == 5
    np.testing.assert_allclose(table["test_time_second"], [120, 240, 360, 480, 600])
    np.testing.assert_allclose(table["voltage_volt"], [3.70, 3.71, 3.72, 3.73, 3.74])


def _maccor_row(rec, cyc, step, test, step_time, ah, amps, volts, state, stamp):
    return "\t".join(
        [
            str(rec),
            str(cyc),
            str(step),
            test,
            step_time,
            f"{ah:.5f}",
            "0.00000",
            f"{amps:.5f}",
            f"{volts:.5f}",
            state,
            "0",
            stamp,
        ]
    )


def test_maccor_durations_with_a_day_count_and_unpadded_seconds(tmp_path):
    """Maccor text export with a ``Today's Date`` line: TestTime and StepTime written as
    ``Nd hh:mm:s.fff`` (seconds not zero-padded), current as a magnitude with the state."""
    header = (
        "Rec#\tCyc#\tStep\tTestTime\tStepTime\tAmp-hr\tWatt-hr\tAmps\tVolts\tState\tES\tDPt Time"
    )
    lines = [
        "Today's Date:\t14 December 2020\tDate of Test:\t11 December 2020, 12:22:12 PM",
        "    Filename:\tM50_Validation_0deg_01\tTester Channel:\t1",
        "Procedure:\tM50_Validation.000\tDescription:",
        header,
        _maccor_row(
            1, 0, 1, "  0d 00:00:0", "  0d 00:00:0", 0, 0, 3.4625, "R", "12/11/2020 12:22:12"
        ),
        _maccor_row(
            2,
            0,
            2,
            "  0d 00:00:5.05000019",
            "  0d 00:00:0.05",
            0,
            0.50401,
            3.41627,
            "D",
            "12/11/2020 12:22:17",
        ),
        _maccor_row(
            3, 0, 2, "  1d 02:03:04.5", "  1d 02:02:59.5", 0.1, 0.5, 3.2, "D", "12/12/2020 14:25:16"
        ),
    ]
    path = _write(tmp_path / "maccor.txt", lines)
    assert detect_format(path) == "maccor"
    table = read_cycler_file(path)
    np.testing.assert_allclose(table["test_time_second"], [0.0, 5.05000019, 93784.5])
    np.testing.assert_allclose(table["current_ampere"], [0.0, -0.50401, -0.5])
    np.testing.assert_allclose(table["discharging_capacity_ah"], [0.0, 0.0, 0.1])


def test_maccor_mims_layout_with_the_test_time_in_minutes(tmp_path):
    """MacNet/MIMS export: a ``Name:``/``Channel:`` block, a blank line, ``Rec``/``Cycle P``/
    ``Cycle C`` columns, units in brackets, ``Md`` for the state and the TestTime in minutes
    with no unit in its header: the minutes are told by the wall clock (``DPT Time``)."""
    head = [
        "Name:\tCELL-015.053",
        "Channel:\t53",
        "Tester\tMaccor #4",
        "Procedure\tCT.000",
        "Started\t5/11/2021 3:40:24 PM",
        "SCap\t0.017",
        "",
    ]
    header = (
        "Rec\tCycle P\tCycle C\tStep\tTestTime\tStepTime\tCap. [Ah]\tEner. [Wh]\t"
        "Current [A]\tVoltage [V]\tMd\tES\tDPT Time\tVAR1"
    )
    rows = []
    for k, (minutes, state, amps) in enumerate(
        [(0.0, "R", 0.0), (60.0, "C", 0.01), (120.0, "C", 0.01), (180.0, "D", 0.01)]
    ):
        hour = 3 + (40 + int(minutes)) // 60
        stamp = f"5/11/2021 {hour}:{(40 + int(minutes)) % 60:02d}:24 PM"
        rows.append(
            "\t".join(
                [
                    str(k + 1),
                    "1",
                    "1",
                    str(k + 1),
                    f"{minutes:.6f}",
                    "0.000000",
                    f"{0.001 * k:.8f}",
                    "0.0",
                    f"{amps:.8f}",
                    f"{3.5 + 0.1 * k:.4f}",
                    state,
                    "0",
                    stamp,
                    "0.0000",
                ]
            )
        )
    path = _write(tmp_path / "mims.txt", [*head, header, "", *rows])
    assert detect_format(path) == "maccor"
    table = read_cycler_file(path)
    np.testing.assert_allclose(table["test_time_second"], [0.0, 3600.0, 7200.0, 10800.0])
    np.testing.assert_allclose(table["current_ampere"], [0.0, 0.01, 0.01, -0.01])
    assert any("minutes" in note for note in table.metadata["notes"])


def test_maccor_export_in_milli_units_is_read_in_amperes_and_ampere_hours(tmp_path):
    """Maccor's export dialog can write current, capacity and energy in milli units: ``mAmps``,
    ``mAmp-hr``, ``mWatt-hr`` beside ``Volts`` (the layout of cellpy's maccor_txt_three
    configuration, WMG's SIMBA exports); current still a magnitude signed by the state."""
    header = "Rec#\tCyc#\tStep\tTestTime\tStepTime\tmAmp-hr\tmWatt-hr\tmAmps\tVolts\tState\tES"
    rows = [
        (1, 1, "  0d 00:00:00.00", "  0d 00:00:00.00", "0.0", "0.0", "0.0", "3.8186", "R"),
        (2, 2, "  0d 00:01:30.00", "  0d 00:00:30.00", "2.5", "9.5", "300.0", "3.9", "C"),
        (3, 2, "  0d 00:02:00.00", "  0d 00:01:00.00", "5.0", "19.0", "300.0", "3.95", "C"),
        (4, 3, "  0d 00:02:30.00", "  0d 00:00:30.00", "1.25", "4.5", "150.0", "3.7", "D"),
    ]
    lines = [
        "Today's Date\t03/28/2022 12:50:27 PM",
        "",
        "Date of Test:\t08/23/2021 6:04:18 PM",
        "",
        header,
        *("\t".join([str(rec), "0", str(step), *cells, "0"]) for rec, step, *cells in rows),
    ]
    path = _write(tmp_path / "maccor_milli.txt", lines)
    assert detect_format(path) == "maccor"
    table = read_cycler_file(path)
    np.testing.assert_allclose(table["test_time_second"], [0.0, 90.0, 120.0, 150.0])
    np.testing.assert_allclose(table["current_ampere"], [0.0, 0.3, 0.3, -0.15])
    np.testing.assert_allclose(table["charging_capacity_ah"], [0.0, 0.0025, 0.005, 0.0])
    np.testing.assert_allclose(table["discharging_capacity_ah"], [0.0, 0.0, 0.0, 0.00125])
    np.testing.assert_allclose(table["discharging_energy_wh"], [0.0, 0.0, 0.0, 0.0045])


def test_pec_export_with_hh_mm_ss_time_columns_and_no_test_name_line(tmp_path):
    """PEC SBT/ACT export: ``Key:,value`` lines (any number), then the table whose time
    columns are ``(Hours in hh:mm:ss.xxx)`` and whose channel address is Rack/Shelf/Position;
    current signed, capacities in mAh, energies in mWh."""
    meta = [
        "Request Year:,2026",
        "Test:,25195",
        "TestRegime Name:,OCV generic long HP",
        "Start Time:,01/06/2026 17:46:49",
        "Operator Instructions:,",
    ]
    header = (
        "Test,Cell,Rack,Shelf,Position,Cell ID,Step,Instruction Name,Cycle,"
        "Total Time (Hours in hh:mm:ss.xxx),Step Time (Seconds),Real Time,Voltage (V),"
        "Current (A),Charge Capacity (mAh),Discharge Capacity (mAh),Charge Energy (mWh),"
        "Discharge Energy (mWh),Temp (°C),"
    )
    rows = [
        "25195,1,ACT4,014,1,C-6,0,Idle,0,00:00:00.002,0.002,01/06/2026 17:51:06,3.5690308,"
        "-8E-06,0,0,0,0,,",
        "25195,1,ACT4,014,1,C-6,1,Discharge,0,00:00:01.000,1,01/06/2026 17:51:07,3.55,-1.5,0,"
        "0.4,0,1.5,16.75,",
        "25195,1,ACT4,014,1,C-6,1,Discharge,0,101:00:01.500,363600.5,01/10/2026 22:51:07,3.0,"
        "-1.5,0,1500,0,5000,17.0,",
    ]
    path = _write(tmp_path / "Test25195.csv", [*meta, header, *rows])
    assert detect_format(path) == "pec_csv"
    table = read_cycler_file(path)
    np.testing.assert_allclose(table["test_time_second"], [0.002, 1.0, 363601.5])
    np.testing.assert_allclose(table["current_ampere"], [-8e-6, -1.5, -1.5])
    np.testing.assert_allclose(table["discharging_capacity_ah"], [0.0, 4e-4, 1.5])
    np.testing.assert_allclose(table["discharging_energy_wh"], [0.0, 1.5e-3, 5.0])
    assert "test_time_second" not in {
        target for column, target in table.metadata["column_map"].items() if column == "Test"
    }


def test_bdf_labels_in_hours_and_a_discharge_positive_file_signed_by_its_step_type(tmp_path):
    """BDF's human-readable labels with the unit the writer chose (``Test Time / h``), and a
    writer (a simulation tool) that counts discharge current as positive: the ``Step Type``
    column says which steps charge, and the current is negated to BDF's convention."""
    header = (
        "Test Time / h,Current / A,Voltage / V,Step Type / 1,Cycle Count / 1,"
        "Step Index / 1,Charge Capacity / Ah,Discharge Capacity / Ah"
    )
    rows = []
    for k in range(12):
        kind, amps = ("discharge", 0.006) if k < 6 else ("charge", -0.006)
        rows.append(f"{k / 6:.6f},{amps},{3.3 - 0.01 * k:.3f},{kind},1,{1 if k < 6 else 2},0,0")
    rows.append(f"{2.0:.6f},0,3.2,rest,1,3,0,0")
    path = _write(tmp_path / "sim_bdf.csv", [header, *rows])
    assert detect_format(path) == "bdf_csv"
    table = read_cycler_file(path)
    np.testing.assert_allclose(table["test_time_second"][:3], [0.0, 600.0, 1200.0], atol=1e-2)
    assert (table["current_ampere"][:6] < 0).all() and (table["current_ampere"][6:12] > 0).all()
    assert any("negated" in note for note in table.metadata["notes"])


def test_neware_layered_csv_with_datapoint_records_and_the_first_step_on_the_cycle_row(tmp_path):
    """Neware BTS CSV with three layers (cycle / ``,Step …`` / ``,,DataPoint …`` headers); some
    BTS versions write a cycle's first step on the cycle's own row."""
    lines = [
        "Cycle Index,Chg. Cap.(Ah),DChg. Cap.(Ah),Chg.-DChg. Eff(%)",
        ",Step Index,Step Number,Step Type,Step Time,Capacity(Ah)",
        ",,DataPoint,Time,Total Time,Current(A),Voltage(V),Capacity(Ah),Date",
        "1,0.02256,0.33067,1465.46,1,1,Rest,00:00:20,0.00000",
        ",,1,00:00:00,00:00:00,0.00000,4.3185,0.000000000,2026-03-06 12:37:25",
        ",,2,00:00:02,00:00:02,0.00000,4.3186,0.000000000,2026-03-06 12:37:27",
        ",2,2,CC Chg,00:02:51,0.02256",
        ",,3,00:00:00,00:00:20,0.50000,4.3734,0.000000000,2026-03-06 12:37:45",
        ",,4,00:00:30,00:00:50,0.47417,4.4530,0.003952875,2026-03-06 12:38:15",
    ]
    path = _write(tmp_path / "bts.csv", lines)
    assert detect_format(path) == "neware_csv"
    table = read_cycler_file(path)
    np.testing.assert_allclose(table["step_index"], [1, 1, 2, 2])
    np.testing.assert_allclose(table["test_time_second"], [0, 2, 20, 50])
    np.testing.assert_allclose(table["charging_capacity_ah"], [0, 0, 0, 0.003952875])


@pytest.mark.parametrize(
    ("scale", "offset"),
    [(1.0, 0.0), (1e3, 0.0), (1e6, 0.0), (1e7, 0.0), (1e9, 0.0), (1e7, 62135596800.0)],
    ids=["s", "ms", "us", "100ns", "ns", "dotnet-ticks"],
)
def test_numeric_wall_clocks_in_any_epoch_unit_become_unix_seconds(scale, offset):
    stamps = np.array([1656695298.4409, 1656695598.4412])
    np.testing.assert_allclose(epoch_seconds((stamps + offset) * scale), stamps, rtol=1e-12)


def test_excel_serial_days_become_unix_seconds():
    # 44336.98354166666 is 2021-05-20 23:36:18 in Excel's 1900 date system
    np.testing.assert_allclose(
        epoch_seconds(np.array([44336.98354166666])), [1621553778.0], atol=1e-3
    )


def test_arbin_sql_export_with_a_tick_clock_reads_with_mapping_auto(tmp_path):
    """Arbin's SQL export (MitsPro 7) in XLSX: ``Date_Time`` in 100 ns ticks since 1970."""
    import pandas as pd

    frame = pd.DataFrame(
        {
            "Test_ID": [22, 22, 22],
            "Date_Time": [1.6566952984409e16, 1.6566955984412e16, 1.6566958984415e16],
            "Test_Time": [300.0004, 600.0003, 900.0003],
            "Cycle_ID": [1, 1, 1],
            "Step_ID": [1, 1, 2],
            "Current": [0.0, 0.0, 0.1],
            "Voltage": [3.030851, 3.032557, 3.1],
        }
    )
    frame.to_excel(tmp_path / "arbin_sql.xlsx", index=False, sheet_name="arbin_sql")
    table = read_cycler_file(tmp_path / "arbin_sql.xlsx", mapping="auto")
    assert table.metadata["start_time"].startswith("2022-07-01T17:08:18")


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        ("", r"data record 2: voltage_volt is empty \(line 3, column 'Voltage\(V\)'\)"),
        ("inf", r"data record 2: voltage_volt is inf \(line 3, column 'Voltage\(V\)'\)"),
        # a cell the parser reads as missing is named where it stands, as an empty one
        ("N/A", r"data record 2: voltage_volt is empty \(line 3, column 'Voltage\(V\)'\)"),
    ],
)
def test_a_damaged_measurement_names_its_record(tmp_path, cell, message):
    lines = [
        "Data_Point,Test_Time(s),Step_Index,Cycle_Index,Current(A),Voltage(V)",
        "1,0,1,1,0,3.7",
        f"2,1,1,1,0,{cell}",
        "3,2,1,1,0,3.7",
    ]
    path = _write(tmp_path / "arbin.csv", lines)
    with pytest.raises(LabDataError, match=r"arbin.csv: " + message):
        read_cycler_file(path)


def test_an_hdf5_store_is_named_as_such(tmp_path):
    path = tmp_path / "run.h5"
    path.write_bytes(b"\x89HDF\r\n\x1a\n" + bytes(600))
    with pytest.raises(LabDataError, match=r"run.h5: byte 0: an HDF5 file .* not a cycler export"):
        read_cycler_file(path)


# --- legacy .xls ---------------------------------------------------------------------------


def test_a_legacy_xls_neware_workbook_reads_its_detail_sheet(tmp_path):
    """Neware BTS 7 .xls: Info, Cycle_, Statis_ (one row a step, which also has voltage and
    current) and Detail_ (the records) sheets; the records are the run."""
    detail = [
        [
            "Record Index",
            "Status",
            "Cycle",
            "Step",
            "Cur(mA)",
            "Voltage(V)",
            "CapaCity(mAh)",
            "Relative Time(h:min:s.ms)",
            "Absolute Time",
        ]
    ]
    for k, (status, ma, volts) in enumerate(
        [
            ("Rest", 0.0, 2.3304),
            ("Rest", 0.0, 2.3316),
            ("CCCV_DChg", -0.163, 1.9),
            ("CCCV_DChg", -0.16, 1.8),
        ]
    ):
        detail.append(
            [
                k + 1,
                status,
                1,
                1 if k < 2 else 2,
                ma,
                volts,
                0.05 * max(k - 2, 0),
                f"0:0{k}:00.000",
                f"2021-05-20 23:3{k}:18",
            ]
        )
    statis = [
        [
            "Channel",
            "CyCle",
            "Step",
            "Status",
            "Start Voltage(V)",
            "Start Current(mA)",
            "Endure Time(h:min:s.ms)",
        ],
        [3, 1, 1, "Rest", 2.3304, 0.0, "0:55:00.000"],
    ]
    book = {
        "Info": [["Testing Information"], ["test.xls"]],
        "Cycle_14_1_3": [["Channel"], [3]],
        "Statis_14_1_3": statis,
        "Detail_14_1_3": detail,
    }
    path = tmp_path / "neware.xls"
    path.write_bytes(ole2(biff8_workbook(book)))
    assert detect_format(path) == "neware_xlsx"
    table = read_cycler_file(path)
    assert table.metadata["sheets"] == ["Detail_14_1_3"]
    np.testing.assert_allclose(table["voltage_volt"], [2.3304, 2.3316, 1.9, 1.8])
    np.testing.assert_allclose(table["current_ampere"], [0.0, 0.0, -1.63e-4, -1.6e-4])
    np.testing.assert_allclose(table["test_time_second"], [0.0, 60.0, 120.0, 180.0])
    np.testing.assert_allclose(table["discharging_capacity_ah"], [0.0, 0.0, 0.0, 5e-5])


def test_xls_date_cells_become_datetimes():
    import datetime as dt

    import xlrd

    from cellwright.projects.labdata.xls_book import _value

    stamp = _value(xlrd.XL_CELL_DATE, 44336.98354166666, 0, xlrd)
    assert stamp == dt.datetime(2021, 5, 20, 23, 36, 18)
    assert _value(xlrd.XL_CELL_EMPTY, "", 0, xlrd) is None


def test_an_office_file_that_is_not_a_workbook_is_refused_with_its_name(tmp_path):
    path = tmp_path / "notes.xls"
    path.write_bytes(ole2(b"not a workbook", name="WordDocument"))
    with pytest.raises(LabDataError, match=r"notes.xls: cannot open the workbook"):
        read_cycler_file(path)


def test_arbin_mits_csv_without_its_data_point_column(tmp_path):
    """Arbin MITS Pro 8 / MitsPro7 CSV column names (spaces, units in parentheses) are Arbin's
    even when the export leaves out the Data Point column."""
    header = (
        "Date Time,Test Time (s),Step Time (s),Cycle Index,Step Index,Current (A),Voltage (V),"
        "Charge Capacity (Ah),Discharge Capacity (Ah)"
    )
    rows = [
        "2023-01-05 10:00:00.000,0.0,0.0,1,1,0,3.6,0,0",
        "2023-01-05 10:00:01.000,1.0,1.0,1,2,1.0,3.7,0.0003,0",
        "2023-01-05 10:00:02.000,2.0,2.0,1,3,-1.0,3.5,0.0003,0.0003",
    ]
    path = _write(tmp_path / "mits.csv", [header, *rows])
    assert detect_format(path) == "arbin_csv"
    table = read_cycler_file(path)
    np.testing.assert_allclose(table["current_ampere"], [0.0, 1.0, -1.0])
    np.testing.assert_allclose(table["discharging_capacity_ah"], [0.0, 0.0, 0.0003])


def test_a_neware_xlsx_with_chinese_layer_sheets_reads_its_record_layer(tmp_path):
    """Neware BTS workbook exported in Chinese: a step layer (工步层), which also maps to
    voltage and current, before the record layer (记录层), which is the run."""
    import pandas as pd

    steps = pd.DataFrame(
        {
            "循环号": [1, 1],
            "工步号": [1, 2],
            "工步类型": ["搁置", "恒流放电"],
            "电压(V)": [3.6, 3.5],
            "电流(A)": [0.0, -1.0],
            "总时间": [0.0, 10.0],
        }
    )
    records = pd.DataFrame(
        {
            "数据序号": [1, 2, 3],
            "循环号": [1, 1, 1],
            "工步号": [1, 2, 2],
            "工步类型": ["搁置", "恒流放电", "恒流放电"],
            "总时间": ["00:00:00", "00:00:10", "00:01:10"],
            "电流(A)": [0.0, -1.0, -1.0],
            "电压(V)": [3.6, 3.5, 3.45],
        }
    )
    path = tmp_path / "neware_cn.xlsx"
    with pd.ExcelWriter(path) as writer:
        steps.to_excel(writer, sheet_name="工步层", index=False)
        records.to_excel(writer, sheet_name="记录层", index=False)
    assert detect_format(path) == "neware_xlsx"
    table = read_cycler_file(path)
    assert table.metadata["sheets"] == ["记录层"]
    np.testing.assert_allclose(table["test_time_second"], [0.0, 10.0, 70.0])
    np.testing.assert_allclose(table["voltage_volt"], [3.6, 3.5, 3.45])


def test_a_step_capacity_beside_both_sides_is_not_read(tmp_path):
    """A Neware CSV gives the step's capacity and energy and the charge and discharge sides
    of both: BDF keeps the sides, so the step columns are not read (a damaged cell there
    stops nothing); without the sides the step capacity is read and split by the state."""
    header = (
        "DataPoint,Cycle Index,Step Index,Step Type,Cumulative Time,Current(A),Voltage(V),"
        "Capacity(Ah),Chg. Cap.(Ah),DChg. Cap.(Ah),Energy(Wh),Chg. Energy(Wh),DChg. Energy(Wh),"
        "Date"
    )
    rows = [
        "1,1,1,CC Chg,00:00:00,1.0,3.5,0.0,0.0,0.0,0.0,0.0,0.0,2022-05-18 16:27:52",
        "2,1,1,CC Chg,00:01:00,1.0,3.6,#bad,0.0167,0.0,0.06,0.06,0.0,2022-05-18 16:28:52",
        "3,1,2,CC DChg,00:02:00,-1.0,3.4,0.0167,0.0,0.0167,0.057,0.0,0.057,2022-05-18 16:29:52",
    ]
    table = read_cycler_file(_write(tmp_path / "both.csv", [header, *rows]))
    np.testing.assert_allclose(table["charging_capacity_ah"], [0.0, 0.0167, 0.0])
    np.testing.assert_allclose(table["discharging_capacity_ah"], [0.0, 0.0, 0.0167])
    np.testing.assert_allclose(table["test_time_second"], [0.0, 60.0, 120.0])
    # only the step columns: the bad cell now counts, and names its line
    keep = [0, 1, 2, 3, 4, 5, 6, 7, 13]
    lines = [",".join(np.array(line.split(","))[keep]) for line in (header, *rows)]
    with pytest.raises(LabDataError, match=r"line 3: column 'Capacity\(Ah\)'"):
        read_cycler_file(_write(tmp_path / "step_only.csv", lines))
    lines[2] = lines[2].replace("#bad", "0.0167")
    table = read_cycler_file(_write(tmp_path / "step_only.csv", lines))
    np.testing.assert_allclose(table["charging_capacity_ah"], [0.0, 0.0167, 0.0])
    np.testing.assert_allclose(table["discharging_capacity_ah"], [0.0, 0.0, 0.0167])


@pytest.mark.parametrize("number_format", ["[h]:mm:ss", "h:mm:ss"])
def test_xlsx_time_cells_typed_as_durations_read_as_seconds_past_a_day(tmp_path, number_format):
    """A Neware record sheet whose times are Excel time cells (typed by the exporter, or by
    Excel when it opened ``26:03:04`` text): ``[h]:mm:ss`` cells come as durations, ``h:mm:ss``
    ones as a time of day and, past 24 h, as a date in 1900; all are seconds of test time."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "record"
    sheet.append(["DataPoint", "Cycle Index", "Step Index", "Step Type", "Total Time",
                  "Current(A)", "Voltage(V)"])  # fmt: skip
    hours = [0.0, 12.0, 26.05, 80.5]
    for k, h in enumerate(hours):
        sheet.append([k + 1, 1, 1, "CC Chg", h / 24.0, 0.5, 3.6 + k / 100])
        sheet.cell(row=k + 2, column=5).number_format = number_format
    book.save(tmp_path / "neware.xlsx")
    table = read_cycler_file(tmp_path / "neware.xlsx")
    np.testing.assert_allclose(table["test_time_second"], [h * 3600.0 for h in hours])


def test_xls_duration_cells_before_excels_first_year_are_seconds_not_clocks():
    """xlrd gives a legacy workbook's ``h:mm:ss`` cells as dates from 1899-12-31 (or 1904-01-01
    in the Mac date system): durations, not wall clocks of 1899."""
    import datetime as dt

    from cellwright.projects.labdata.readers_xlsx import _as_array

    cells = [dt.datetime(1899, 12, 31, 12), dt.datetime(1900, 1, 1, 6), dt.datetime(1900, 3, 10)]
    np.testing.assert_allclose(_as_array(cells), [43200.0, 108000.0, 70 * 86400.0])
    np.testing.assert_allclose(_as_array([dt.datetime(1904, 1, 2, 6)]), [108000.0])


def test_neware_constant_power_and_unnamed_steps_keep_their_capacity(tmp_path):
    """Neware's constant-power steps (``CP Chg``, ``CPCV Chg``, ``CPCV DChg``) are charge and
    discharge steps; a step type the state words do not name (a drive-cycle ``SIM``) takes
    its side from the signed current: a per-step capacity of either is split, not dropped."""
    steps = [("Rest", 0.0), ("CP Chg", 0.5), ("CPCV Chg", 0.3), ("SIM", 0.2),
             ("CP DChg", -0.5), ("CPCV DChg", -0.4)]  # fmt: skip
    lines = ["DataPoint,Cycle Index,Step Index,Step Type,Total Time,Current(A),Voltage(V),"
             "Capacity(Ah)"]  # fmt: skip
    for step, (name, amps) in enumerate(steps):
        for k in range(2):
            n = 2 * step + k
            lines.append(f"{n + 1},1,{step + 1},{name},{10 * n},{amps},3.6,{abs(amps) * k / 360}")
    path = _write(tmp_path / "neware.csv", lines)
    table = read_cycler_file(path)
    per_step = [abs(a) / 360 for _, a in steps]
    np.testing.assert_allclose(table["charging_capacity_ah"][1::2], [0, *per_step[1:4], 0, 0])
    np.testing.assert_allclose(table["discharging_capacity_ah"][1::2], [0, 0, 0, 0, *per_step[4:]])
    np.testing.assert_allclose(table["current_ampere"][1::2], [a for _, a in steps])


@pytest.mark.parametrize(
    ("stamps", "expected"),
    [
        # the offset changing with daylight saving: one hour apart, not two
        (["2024-03-31T01:30:00+01:00", "2024-03-31T03:30:00+02:00"], [1711845000.0, 1711848600.0]),
        (["2024-03-31T01:30:00Z", "2024-03-31T03:30:00Z"], [1711848600.0, 1711855800.0]),
    ],
)
def test_iso_stamps_with_a_utc_offset_are_the_instants_they_name(tmp_path, stamps, expected):
    """A Landt table's ``date_time_iso_string`` written as ISO 8601 with its offset (or Z)
    was refused whole ("Cannot subtract tz-naive and tz-aware")."""
    lines = ["channel_index,cycle_index,step_index,date_time_iso_string,test_time_s,current_A,"
             "voltage_V"]  # fmt: skip
    for k, stamp in enumerate(stamps):
        lines.append(f"{k + 1},1,1,{stamp},{3600.0 * k},0.1,3.7")
    table = read_cycler_file(_write(tmp_path / "landt.csv", lines))
    np.testing.assert_allclose(table["unix_time_second"], expected)
    np.testing.assert_allclose(table["test_time_second"], [0.0, 3600.0])


def test_a_text_cell_in_a_bdf_parquet_is_refused_at_its_row(tmp_path):
    """A Parquet file has rows, not lines: its third row is 'row 3' (it was 'line 3')."""
    import polars as pl

    path = tmp_path / "run.bdf.parquet"
    columns = {
        "test_time_second": [0.0, 1.0, 2.0],
        "voltage_volt": ["3.6", "3.6", "n/a V"],
        "current_ampere": [0.5, 0.5, 0.5],
    }
    pl.DataFrame(columns).write_parquet(path)
    with pytest.raises(LabDataError, match=r"run.bdf.parquet: row 3: column 'voltage_volt' has"):
        read_cycler_file(path)


def test_a_damaged_measurement_in_a_workbook_names_its_sheet_row_and_column(tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Channel_1-008"
    sheet.append(["Data_Point", "Test_Time(s)", "Step_Index", "Cycle_Index", "Current(A)",
                  "Voltage(V)"])  # fmt: skip
    for k, amps in enumerate([0.5, 0.5, None, 0.5]):
        sheet.append([k + 1, float(k), 1, 1, amps, 3.7])
    book.save(tmp_path / "arbin.xlsx")
    with pytest.raises(
        LabDataError,
        match=r"data record 3: current_ampere is empty "
        r"\(sheet 'Channel_1-008', row 4, column 'Current\(A\)'\)",
    ):
        read_cycler_file(tmp_path / "arbin.xlsx")


def test_digatron_german_export_with_durations_named_in_its_units_row(tmp_path):
    """A Digatron export in a German locale: semicolons, decimal commas, a units row naming
    the time columns' notation (``h:mm:ss``) and no wall clock.  ``Programmdauer [h:mm:ss]``
    was left unmapped (a unit of no known dimension, and the word misspelt in the
    vocabulary): the file was refused as an unrecognised table without a test time."""
    lines = [
        "Schritt;Zustand;Programmdauer;Schrittdauer;Zyklus;Spannung;Strom;AhStep",
        ";;h:mm:ss;h:mm:ss;;V;A;Ah",
        "1;PAU;0:00:00;0:00:00;1;3,600;0,000;0,0000",
        "2;LAD;1:00:00;0:00:00;1;3,650;2,500;0,0000",
        "2;LAD;26:00:00;25:00:00;1;4,100;2,500;62,5000",
        "3;ELA;27:00:00;1:00:00;1;3,500;-2,500;2,5000",
    ]
    path = _write(tmp_path / "digatron.csv", lines, encoding="cp1252")
    assert detect_format(path) == "digatron_csv"
    table = read_cycler_file(path)
    np.testing.assert_allclose(table["test_time_second"], [0.0, 3600.0, 93600.0, 97200.0])
    np.testing.assert_allclose(table["current_ampere"], [0.0, 2.5, 2.5, -2.5])
    np.testing.assert_allclose(table["discharging_capacity_ah"], [0.0, 0.0, 0.0, 2.5])


def test_a_time_column_whose_unit_is_its_duration_notation_maps_with_mapping_auto(tmp_path):
    lines = ["Test Time (h:mm:ss),Voltage (V),Current (mA)", "0:00:00,3.6,0", "25:00:00,3.7,500"]
    table = read_cycler_file(_write(tmp_path / "plain.csv", lines), mapping="auto")
    np.testing.assert_allclose(table["test_time_second"], [0.0, 90000.0])
    np.testing.assert_allclose(table["current_ampere"], [0.0, 0.5])


def test_neware_bts7_csv_time_column_is_the_step_time(tmp_path):
    """BTS 7 record CSVs (as BEEP reads them) write the step-relative time as
    ``Time(h:min:s.ms)``: the test time comes from ``Realtime``, not from a time that
    restarts with each step."""
    lines = ["Cycle ID,Step ID,Record ID,Time(h:min:s.ms),Voltage(V),Current(mA),Realtime"]
    for k, (step, clock) in enumerate([(1, "0:00:00.000"), (1, "0:10:00.000"),
                                       (2, "0:00:00.000"), (2, "0:10:00.000")]):  # fmt: skip
        lines.append(f"1,{step},{k + 1},{clock},3.6,{500 if step == 2 else 0},"
                     f"2019-12-31 23:{10 + 10 * k}:00")  # fmt: skip
    table = read_cycler_file(_write(tmp_path / "neware.csv", lines))
    np.testing.assert_allclose(table["test_time_second"], [0.0, 600.0, 1200.0, 1800.0])


def test_basytec_step_capacity_is_ah_step_not_the_count_since_the_test_start(tmp_path):
    """BaSyTec's registration format is the user's: without its Ah-Cyc-…-0 columns the
    per-step capacity is ``Ah-Step``; ``Ah[Ah]`` counts from the start of the test (BaSyTec's
    test plan editor) and was taken for it, a discharge reading 0.2, 0.1, 0.0 Ah."""
    lines = ["~Resultfile from Basytec Battery Test System", "~",
             "~Time[s]\tLine\tCommand\tU[V]\tI[A]\tAh[Ah]\tAh-Step\tWh[Wh]\tWh-Step"]  # fmt: skip
    rows = [(3, "Pause", 0.0, 0.0, 0.0), (4, "Charge", 1.0, 0.1, 0.1), (4, "Charge", 1.0, 0.2, 0.2),
            (5, "Discharge", -1.0, 0.2, 0.0), (5, "Discharge", -1.0, 0.1, -0.1),
            (5, "Discharge", -1.0, 0.0, -0.2)]  # fmt: skip
    for k, (line, command, amps, total, step) in enumerate(rows):
        lines.append(f"{360 * k}\t{line}\t{command}\t3.7\t{amps}\t{total}\t{step}\t"
                     f"{3.7 * total:.2f}\t{3.7 * step:.2f}")  # fmt: skip
    table = read_cycler_file(_write(tmp_path / "basytec.txt", lines))
    np.testing.assert_allclose(table["charging_capacity_ah"], [0, 0.1, 0.2, 0, 0, 0])
    np.testing.assert_allclose(table["discharging_capacity_ah"], [0, 0, 0, 0, 0.1, 0.2])
    np.testing.assert_allclose(table["discharging_energy_wh"], [0, 0, 0, 0, 0.37, 0.74])


@pytest.mark.parametrize(
    ("sheets", "times"),
    [
        (("Channel_1_1", "Channel_1_2"), ([0.0, 10.0], [20.0, 30.0])),  # one record, split
        (("Channel_1-008", "Channel_1-009"), ([0.0, 10.0], [0.0, 10.0])),  # two channels
    ],
)
def test_arbin_workbook_sheets_join_only_when_their_test_time_runs_on(tmp_path, sheets, times):
    """Sheets of one header were joined whatever they held: two channels' records became one
    run whose test time went back to 0 s mid-run."""
    from openpyxl import Workbook

    book = Workbook()
    book.active.title = "Global_Info"
    for title, part in zip(sheets, times, strict=True):
        sheet = book.create_sheet(title)
        sheet.append(["Data_Point", "Test_Time(s)", "Step_Index", "Cycle_Index", "Current(A)",
                      "Voltage(V)"])  # fmt: skip
        for k, time in enumerate(part):
            sheet.append([k + 1, time, 1, 1, 0.5, 3.7])
    book.save(tmp_path / "arbin.xlsx")
    if times[1][0] > times[0][-1]:
        table = read_cycler_file(tmp_path / "arbin.xlsx")
        np.testing.assert_allclose(table["test_time_second"], [0.0, 10.0, 20.0, 30.0])
        return
    with pytest.raises(
        LabDataError, match=r"sheet 'Channel_1-009' starts its test time again \(0 s after 10 s"
    ):
        read_cycler_file(tmp_path / "arbin.xlsx")


def test_a_test_time_whose_header_says_seconds_is_not_rescaled_by_the_clock(tmp_path):
    """A channel paused for most of an hour: its test time (in seconds, as the header says)
    spans 60 s while the wall clock spans 3600 s. The clock's 1/60 once made these minutes,
    the test 1 h long; only a bare ``TestTime`` leaves its unit to the clock."""
    lines = [
        "Test Time (s),Date Time,Current (A),Voltage (V)",
        "0,2024-03-01 10:00:00,-1.0,4.10",
        "30,2024-03-01 10:00:30,-1.0,4.05",
        "60,2024-03-01 11:00:00,0.0,4.08",
        "60.5,2024-03-01 11:00:00.5,0.0,4.08",
    ]
    path = _write(tmp_path / "paused.csv", lines)
    table = read_cycler_file(path, mapping="auto")
    np.testing.assert_allclose(table["test_time_second"], [0.0, 30.0, 60.0, 60.5])
    assert not any("minutes" in note for note in table.metadata.get("notes", []))
