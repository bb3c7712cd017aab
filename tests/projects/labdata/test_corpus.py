# ruff: noqa: E501  (the CASES table: one file per line)
"""The real corpus: files from public instrument-reader projects, read as a new lab would.

Each entry of ``tests/data/cycler/MANIFEST.toml`` (origin repository, commit, path, licence,
SHA-256; the files are committed in ``tests/data/cycler/corpus``) is read here and checked for its row count and the first and last values of time,
voltage, current (and, for spectra, frequency and impedance) in SI units and BDF column names.
The expected values were taken from the files themselves: for text exports from the raw rows
(cross-checked with a plain ``csv``-module parse of the first data row of 34 text files), for
binary files from the text export of the same measurement where the project ships one
(yadg's ``.mpr``/``.mpt`` pairs, fastnda's ``interp-test.ndax``/``.csv``), else from the
third-party reader (galvani, fastnda) with the vendor unit converted by hand.
Files that are not runs (a companion ``_Metadata.csv``, a cell list, a technique that
recorded nothing, header-less tables) are checked for their one-line error in ERRORS.
"""

from __future__ import annotations

import hashlib
import tomllib
from math import nan

import numpy as np
import pytest

from cellwright.projects.labdata import LabDataError, read_cycler_file
from support.paths import CORPUS, MANIFEST

GPL_COMPATIBLE = {"Apache-2.0", "BSD-3-Clause", "GPL-3.0-or-later", "GPL-3.0-only", "MIT"}
MANIFEST_ENTRIES = tomllib.loads(MANIFEST.read_text(encoding="utf-8"))["file"]

# (file, mapping, format, kind, rows, impedance spectra inside, {column: (first, last)})
# fmt: off
CASES = [
    ('dgbowl+yadg/tests/test_x_eclab/mb.mpr', None, 'biologic_mpr', 'timeseries', 1588, 8, {'test_time_second': (1151.097, 33990.74), 'voltage_volt': (0.00026495, -0.00112112), 'current_ampere': (0.0, -6.812604e-07)}),
    ('dgbowl+yadg/tests/test_x_eclab/mb.mpt', None, 'biologic_mpt', 'timeseries', 1588, 8, {'test_time_second': (1151.097, 33990.74), 'voltage_volt': (0.00026495, -0.00112112), 'current_ampere': (0.0, -6.812604e-07)}),
    ('dgbowl+yadg/tests/test_x_eclab/mb.old.mpt', None, 'biologic_mpt', 'timeseries', 1588, 8, {'test_time_second': (1151.097, 33990.74), 'voltage_volt': (0.00026495, -0.00112112), 'current_ampere': (0.0, -6.812604e-07)}),
    ('dgbowl+yadg/tests/test_x_eclab/peis.mpr', None, 'biologic_mpr', 'impedance', 32, 0, {'test_time_second': (448.1567, 464.2571), 'voltage_volt': (-3.591429, -3.591345), 'current_ampere': (-0.109886, -0.1094703), 'frequency_hertz': (199998.1, 1.000062), 'impedance_real_ohm': (10.5123, 18.02431), 'impedance_imaginary_ohm': (-0.7304766, -2.696253)}),
    ('dgbowl+yadg/tests/test_x_eclab/peis.mpt', None, 'biologic_mpt', 'impedance', 32, 0, {'test_time_second': (448.1567, 464.2571), 'voltage_volt': (-3.591429, -3.591345), 'current_ampere': (-0.109886, -0.1094703), 'frequency_hertz': (199998.1, 1.000062), 'impedance_real_ohm': (10.5123, 18.02432), 'impedance_imaginary_ohm': (-0.7304766, -2.696253)}),
    ('dgbowl+yadg/tests/test_x_eclab/geis.mpr', None, 'biologic_mpr', 'timeseries', 2528, 61, {'test_time_second': (45322.92, 48374.59), 'voltage_volt': (0.0527804, 2.251381), 'current_ampere': (0.0003805617, 0.0003804112)}),
    ('dgbowl+yadg/tests/test_x_eclab/ca.mpr', None, 'biologic_mpr', 'timeseries', 721, 0, {'test_time_second': (108874.2, 152074.2), 'voltage_volt': (0.1464316, 0.298593), 'current_ampere': (1.860406e-05, 2.765074e-09)}),
    ('dgbowl+yadg/tests/test_x_eclab/ca.mpt', None, 'biologic_mpt', 'timeseries', 721, 0, {'test_time_second': (108874.2, 152074.2), 'voltage_volt': (0.1464316, 0.298593), 'current_ampere': (1.860406e-05, 2.765074e-09)}),
    ('dgbowl+yadg/tests/test_x_eclab/cp.mpr', None, 'biologic_mpr', 'timeseries', 121, 0, {'test_time_second': (328.3642, 447.3646), 'voltage_volt': (-3.24632, -3.594434), 'current_ampere': (-0.099888, -0.09991855)}),
    ('dgbowl+yadg/tests/test_x_eclab/cp.mpt', None, 'biologic_mpt', 'timeseries', 121, 0, {'test_time_second': (328.3642, 447.3646), 'voltage_volt': (-3.24632, -3.594434), 'current_ampere': (-0.099888, -0.09991855)}),
    ('dgbowl+yadg/tests/test_x_eclab/cv.mpr', None, 'biologic_mpr', 'timeseries', 5103, 0, {'test_time_second': (43202.04, 149651.4), 'voltage_volt': (2.480712, 3.163259), 'current_ampere': (-1.235984e-09, 6.838552e-07)}),
    ('dgbowl+yadg/tests/test_x_eclab/ocv.mpr', None, 'biologic_mpr', 'timeseries', 602, 0, {'test_time_second': (0.0, 36000.0), 'voltage_volt': (0.2559445, 0.4419447), 'current_ampere': (0.0, 0.0)}),
    ('dgbowl+yadg/tests/test_x_eclab/ocv.mpt', None, 'biologic_mpt', 'timeseries', 602, 0, {'test_time_second': (0.0, 36000.0), 'voltage_volt': (0.2559445, 0.4419447), 'current_ampere': (0.0, 0.0)}),
    ('dgbowl+yadg/tests/test_x_eclab/ocv.old.mpt', None, 'biologic_mpt', 'timeseries', 602, 0, {'test_time_second': (0.0, 36000.0), 'voltage_volt': (0.2559445, 0.4419447), 'current_ampere': (0.0, 0.0)}),
    # dgbowl+yadg/tests/test_x_eclab/wait.mpr: not a readable run (see ERRORS)
    # dgbowl+yadg/tests/test_x_eclab/wait.mpt: not a readable run (see ERRORS)
    ('dgbowl+yadg/tests/test_x_eclab/lsv.mpr', None, 'biologic_mpr', 'timeseries', 1186, 0, {'test_time_second': (0.048, 197.2072), 'voltage_volt': (-0.2461846, -4.000806), 'current_ampere': (-0.006556889, -0.119575)}),
    ('dgbowl+yadg/tests/test_x_eclab/zir.mpr', None, 'biologic_mpr', 'impedance', 1, 0, {'test_time_second': (43202.99, 43202.99), 'voltage_volt': (2.259973, 2.259973), 'current_ampere': (-1.629132e-11, -1.629132e-11), 'frequency_hertz': (10019.53, 10019.53), 'impedance_real_ohm': (104070.6, 104070.6), 'impedance_imaginary_ohm': (-93853.56, -93853.56)}),
    ('dgbowl+yadg/tests/test_x_eclab/gcpl.issue_149.mpr', None, 'biologic_mpr', 'timeseries', 132, 0, {'test_time_second': (30.153, 659.9858), 'voltage_volt': (3.422872, 3.432014), 'current_ampere': (0.0, -2.999591e-05)}),
    ('dgbowl+yadg/tests/test_x_eclab/gcpl.issue_149.mpt', None, 'biologic_mpt', 'timeseries', 132, 0, {'test_time_second': (30.153, 659.9858), 'voltage_volt': (3.422872, 3.432015), 'current_ampere': (0.0, -2.999591e-05)}),
    ('dgbowl+yadg/tests/test_x_eclab/gcpl.issue_226.CxN.mpt', None, 'biologic_mpt', 'timeseries', 15, 0, {'test_time_second': (0.0482, 118.8672), 'voltage_volt': (-0.03617587, -0.2095993), 'current_ampere': (0.0, -0.000119954)}),
    ('dgbowl+yadg/tests/test_x_eclab/mb.issue_95.de.mpt', None, 'biologic_mpt', 'timeseries', 33, 0, {'test_time_second': (0.0, 30.0002), 'voltage_volt': (2.327855, 2.326079), 'current_ampere': (0.0, -0.06498028)}),
    ('dgbowl+yadg/tests/test_x_eclab/mb.issue_95.mpr', None, 'biologic_mpr', 'timeseries', 33, 0, {'test_time_second': (0.0, 30.0002), 'voltage_volt': (2.327855, 2.326079), 'current_ampere': (0.0, -0.06498028)}),
    ('dgbowl+yadg/tests/test_x_eclab/mb.issue_95.mpt', None, 'biologic_mpt', 'timeseries', 33, 0, {'test_time_second': (0.0, 30.0002), 'voltage_volt': (2.327855, 2.326079), 'current_ampere': (0.0, -0.06498028)}),
    ('dgbowl+yadg/tests/test_x_eclab/mb.issue_223.mpr', None, 'biologic_mpr', 'timeseries', 108, 4, {'test_time_second': (0.0, 179.0766), 'voltage_volt': (3.69815, 3.698017), 'current_ampere': (0.0, 0.0)}),
    ('dgbowl+yadg/tests/test_x_eclab/peis.issue_225.with_ece.mpr', None, 'biologic_mpr', 'impedance', 32, 0, {'test_time_second': (2.83353, 58.4979), 'voltage_volt': (-0.03034448, -0.03028974), 'current_ampere': (0.0002792654, -2.180566e-07), 'frequency_hertz': (199998.1, 1.001602), 'impedance_real_ohm': (1.227384, 25.24165), 'impedance_imaginary_ohm': (-0.1115181, -13.08314)}),
    ('dgbowl+yadg/tests/test_x_eclab/peis.issue_225.no_ece.mpt', None, 'biologic_mpt', 'impedance', 32, 0, {'test_time_second': (3.117486, 63.62835), 'voltage_volt': (-0.02910425, -0.0291295), 'current_ampere': (0.0002497968, 8.89567e-07), 'frequency_hertz': (199998.1, 0.9985301), 'impedance_real_ohm': (1.227413, 24.6482), 'impedance_imaginary_ohm': (-0.1122705, -12.45439)}),
    ('dgbowl+yadg/tests/test_x_eclab/cva.issue_202.mpr', None, 'biologic_mpr', 'timeseries', 455, 0, {'test_time_second': (3.3484, 3.516), 'voltage_volt': (2.866359, -1.87584), 'current_ampere': (2.204512e-07, 0.002501074)}),
    ('dgbowl+yadg/tests/test_x_eclab/coc.issue_185.mpr', None, 'biologic_mpr', 'timeseries', 24, 0, {'test_time_second': (70.05, 140.0498), 'voltage_volt': (0.002799633, 0.06109751), 'current_ampere': (0.0, 1.123378e-05)}),
    ('dgbowl+yadg/tests/test_x_eclab/ocv.issue_149.mpt', None, 'biologic_mpt', 'timeseries', 43, 0, {'test_time_second': (1.0, 609.8326), 'voltage_volt': (3.420688, 3.440899), 'current_ampere': (0.0, 0.0)}),
    ('dgbowl+yadg/tests/test_x_eclab/vsp_ocv_wo.mpr', None, 'biologic_mpr', 'timeseries', 121, 0, {'test_time_second': (1525.219, 8725.171), 'voltage_volt': (0.03291448, 0.02806127), 'current_ampere': (0.0, 0.0)}),
    ('dgbowl+yadg/tests/test_x_eclab/cp.issue_149.mpr', None, 'biologic_mpr', 'timeseries', 44, 0, {'test_time_second': (10.9998, 619.885), 'voltage_volt': (3.424458, 3.444937), 'current_ampere': (2.000351e-05, 2.000885e-05)}),
    ('dgbowl+yadg/tests/test_x_eclab/cp.issue_149.mpt', None, 'biologic_mpt', 'timeseries', 44, 0, {'test_time_second': (10.9998, 619.885), 'voltage_volt': (3.424458, 3.444937), 'current_ampere': (2.000351e-05, 2.000885e-05)}),
    ('dgbowl+yadg/tests/test_x_eclab/ca.issue_149.mpr', None, 'biologic_mpr', 'timeseries', 80, 0, {'test_time_second': (20.6506, 629.9354), 'voltage_volt': (3.424187, 3.443132), 'current_ampere': (9.693702e-06, 1.332343e-05)}),
    ('dgbowl+yadg/tests/test_x_eclab/ca.issue_149.mpt', None, 'biologic_mpt', 'timeseries', 80, 0, {'test_time_second': (20.6506, 629.9354), 'voltage_volt': (3.424187, 3.443132), 'current_ampere': (9.693702e-06, 1.332343e-05)}),
    ('dgbowl+yadg/tests/test_x_eclab/cov.issue_185.mpr', None, 'biologic_mpr', 'timeseries', 23, 0, {'test_time_second': (0.0, 69.9998), 'voltage_volt': (0.0001215054, 2.000092), 'current_ampere': (0.0, 0.0003948516)}),
    ('dgbowl+yadg/tests/test_x_eclab/cov.issue_185.mpt', None, 'biologic_mpt', 'timeseries', 23, 0, {'test_time_second': (0.0, 69.9998), 'voltage_volt': (0.0001215054, 2.000092), 'current_ampere': (0.0, 0.0003948516)}),
    ('dgbowl+yadg/tests/test_x_eclab/coc.issue_185.mpt', None, 'biologic_mpt', 'timeseries', 24, 0, {'test_time_second': (70.05, 140.0498), 'voltage_volt': (0.002799633, 0.06109751), 'current_ampere': (0.0, 1.123378e-05)}),
    ('dgbowl+yadg/tests/test_x_eclab/gcpl.issue_226.I.mpr', None, 'biologic_mpr', 'timeseries', 15, 0, {'test_time_second': (0.0482, 118.8656), 'voltage_volt': (-0.05030638, -0.2091983), 'current_ampere': (0.0, -0.0001199579)}),
    ('dgbowl+yadg/tests/test_x_eclab/gcpl.issue_226.I.mpt', None, 'biologic_mpt', 'timeseries', 15, 0, {'test_time_second': (0.0482, 118.8656), 'voltage_volt': (-0.05030638, -0.2091983), 'current_ampere': (0.0, -0.0001199579)}),
    ('dgbowl+yadg/tests/test_x_eclab/zir.mpt', None, 'biologic_mpt', 'impedance', 1, 0, {'test_time_second': (43202.99, 43202.99), 'voltage_volt': (2.259973, 2.259973), 'current_ampere': (-1.629132e-11, -1.629132e-11), 'frequency_hertz': (10019.53, 10019.53), 'impedance_real_ohm': (104070.6, 104070.6), 'impedance_imaginary_ohm': (-93853.56, -93853.56)}),
    ('dgbowl+yadg/tests/test_x_eclab/vsp_ocv_wo.mpt', None, 'biologic_mpt', 'timeseries', 121, 0, {'test_time_second': (1525.219, 8725.171), 'voltage_volt': (0.03291448, 0.02806127), 'current_ampere': (0.0, 0.0)}),
    ('dgbowl+yadg/tests/test_x_eclab/vsp_ocv_with.mpr', None, 'biologic_mpr', 'timeseries', 13, 0, {'test_time_second': (53876.92, 53996.92), 'voltage_volt': (-0.001734119, 0.0001060046), 'current_ampere': (0.0, 0.0)}),
    ('dgbowl+yadg/tests/test_x_eclab/vsp_ocv_with.mpt', None, 'biologic_mpt', 'timeseries', 13, 0, {'test_time_second': (53876.92, 53996.92), 'voltage_volt': (-0.001734119, 0.0001060046), 'current_ampere': (0.0, 0.0)}),
    ('dgbowl+yadg/tests/test_x_eclab/ocv.issue_149.mpr', None, 'biologic_mpr', 'timeseries', 43, 0, {'test_time_second': (1.0, 609.8326), 'voltage_volt': (3.420688, 3.440899), 'current_ampere': (0.0, 0.0)}),
    ('dgbowl+yadg/tests/test_x_eclab/peis.issue_225.no_ece.mpr', None, 'biologic_mpr', 'impedance', 32, 0, {'test_time_second': (3.117486, 63.62835), 'voltage_volt': (-0.02910425, -0.0291295), 'current_ampere': (0.0002497968, 8.89567e-07), 'frequency_hertz': (199998.1, 0.9985301), 'impedance_real_ohm': (1.227413, 24.6482), 'impedance_imaginary_ohm': (-0.1122705, -12.4544)}),
    ('dgbowl+yadg/tests/test_x_eclab/peis.issue_225.with_ece.mpt', None, 'biologic_mpt', 'impedance', 32, 0, {'test_time_second': (2.83353, 58.4979), 'voltage_volt': (-0.03034448, -0.03028974), 'current_ampere': (0.0002792654, -2.180566e-07), 'frequency_hertz': (199998.1, 1.001602), 'impedance_real_ohm': (1.227384, 25.24165), 'impedance_imaginary_ohm': (-0.1115181, -13.08314)}),
    ('ImperialCollegeLondon+PyProBE/tests/sample_data/arbin/sample_data_arbin.csv', None, 'arbin_csv', 'timeseries', 13, 0, {'test_time_second': (30.0005, 301.214), 'voltage_volt': (3.534595, 3.599601), 'current_ampere': (0.0, 2.650138)}),
    ('ImperialCollegeLondon+PyProBE/tests/sample_data/basytec/sample_data_basytec.txt', None, 'basytec', 'timeseries', 74, 0, {'test_time_second': (0.0, 70.2358), 'voltage_volt': (3.525755, 3.53285), 'current_ampere': (0.0, 0.4496017)}),
    ('ImperialCollegeLondon+PyProBE/tests/sample_data/biologic/Sample_data_biologic_01_MB_CA1.txt', None, 'biologic_mpt', 'timeseries', 1397, 0, {'test_time_second': (0.0, 139.524), 'voltage_volt': (3.518055, 3.485448), 'current_ampere': (0.0, -0.8998264)}),
    ('ImperialCollegeLondon+PyProBE/tests/sample_data/biologic/Sample_data_biologic_timestamped.txt', None, 'biologic_mpt', 'timeseries', 8, 0, {'test_time_second': (0.0, 12.464), 'voltage_volt': (4.14656, 4.154593), 'current_ampere': (0.0, 0.4499184)}),
    ('ImperialCollegeLondon+PyProBE/tests/sample_data/maccor/sample_data_maccor.csv', None, 'maccor', 'timeseries', 15, 0, {'test_time_second': (0.0, 13.06), 'voltage_volt': (3.668, 3.716), 'current_ampere': (0.0, 28.798)}),
    # ImperialCollegeLondon+PyProBE/tests/sample_data/neware/Experiment_Record.xlsx: not a readable run (see ERRORS)
    ('ImperialCollegeLondon+PyProBE/tests/sample_data/novonix/sample_data_novonix.csv', None, 'novonix', 'timeseries', 207, 0, {'test_time_second': (0.0, 12287.48), 'voltage_volt': (3.843183, 4.128646), 'current_ampere': (0.0, 0.4999939)}),
    ('ROVI-org+battery-data-toolkit/tests/files/arbin_example.csv', None, 'arbin_csv', 'timeseries', 2142, 0, {'test_time_second': (0.0, 6308.482), 'voltage_volt': (3.279636, 2.408065), 'current_ampere': (-9.63e-05, 0.0)}),
    ('ROVI-org+battery-data-toolkit/tests/files/batterydata/p492-13-raw.csv', None, 'batterydata_csv', 'timeseries', 2021, 0, {'test_time_second': (0.0, 305712.5), 'voltage_volt': (3.276036, 3.324102), 'current_ampere': (0.0, 0.0), 'frequency_hertz': (nan, nan), 'impedance_real_ohm': (nan, nan), 'impedance_imaginary_ohm': (nan, nan)}),
    ('ROVI-org+battery-data-toolkit/tests/files/batterydata/p492-13-summary.csv', None, 'batterydata_csv', 'cycle_summary', 267, 0, {}),
    ('ROVI-org+battery-data-toolkit/tests/files/maccor_example.001', None, 'maccor', 'timeseries', 8, 0, {'test_time_second': (0.0, 70.002), 'voltage_volt': (3.306783, 3.306172), 'current_ampere': (0.0, 0.0)}),
    ('ROVI-org+battery-data-toolkit/tests/files/maccor_example.002', None, 'maccor', 'timeseries', 8, 0, {'test_time_second': (0.0, 70.002), 'voltage_volt': (3.306783, 3.306172), 'current_ampere': (0.0, 0.0)}),
    ('ROVI-org+battery-data-toolkit/tests/files/batteryarchive/CALCE_CX2-33_prism_LCO_25C_0-100_0.5-0.5C_d_timeseries.csv', None, 'batteryarchive_csv', 'timeseries', 15, 0, {'test_time_second': (30.009, 450.16), 'voltage_volt': (3.843, 4.032), 'current_ampere': (0.0, 0.675)}),
    ('TRI-AMDD+beep/beep/tests/test_files/2017-05-09_test-TC-contact_CH33.csv', None, 'arbin_csv', 'timeseries', 287, 0, {'test_time_second': (0.0, 1022.891), 'voltage_volt': (3.298668, 3.411986), 'current_ampere': (6.600445, 1.100029)}),
    # TRI-AMDD+beep/beep/tests/test_files/2017-05-09_test-TC-contact_CH33_Metadata.csv: not a readable run (see ERRORS)
    ('TRI-AMDD+beep/beep/tests/test_files/FastCharge_000025_CH8.csv', None, 'arbin_csv', 'timeseries', 248, 0, {'test_time_second': (10.0024, 1800.01), 'voltage_volt': (3.301144, 3.300968), 'current_ampere': (0.0, 0.0)}),
    # TRI-AMDD+beep/beep/tests/test_files/FastCharge_000025_CH8_Metadata.csv: not a readable run (see ERRORS)
    ('TRI-AMDD+beep/beep/tests/test_files/PreDiag_000229_000229_truncated.034', None, 'maccor', 'timeseries', 4061, 0, {'test_time_second': (0.0, 82621.28), 'voltage_volt': (3.45922, 4.180209), 'current_ampere': (0.0, -0.6981003)}),
    ('TRI-AMDD+beep/beep/tests/test_files/PredictionDiagnostics_000151_paused.052', None, 'maccor', 'timeseries', 332, 0, {'test_time_second': (769267.24, 769270.57), 'voltage_volt': (3.86823835, 3.86251621), 'current_ampere': (-4.840009, -4.840238)}),
    ('TRI-AMDD+beep/beep/tests/test_files/xTESLADIAG_000038con.078', None, 'maccor', 'timeseries', 3873, 0, {'test_time_second': (0.0, 63123.6), 'voltage_volt': (3.710765, 3.194781), 'current_ampere': (0.0, 0.0)}),
    ('TRI-AMDD+beep/beep/tests/test_files/maccor_test_file_4267-66-6519.EDA0001.041', None, 'maccor_eis', 'impedance', 60, 0, {'frequency_hertz': (999999.0, 1.25892), 'impedance_real_ohm': (0.773446, 22.09557), 'impedance_imaginary_ohm': (-0.849201, -0.307756)}),
    ('TRI-AMDD+beep/beep/tests/test_files/maccor_test_file_4267-66-6519.041', None, 'maccor', 'timeseries', 74, 0, {'test_time_second': (0.0, 10.0), 'voltage_volt': (3.908064, 3.911727), 'current_ampere': (0.0, 0.0)}),
    ('TRI-AMDD+beep/beep/tests/test_files/raw/test_Nova_Form-CH01-01_short.csv', None, 'novonix', 'timeseries', 3942, 0, {'test_time_second': (0.0, 62764.47), 'voltage_volt': (0.1373642, 3.427441), 'current_ampere': (0.0, 0.01200008)}),
    ('TRI-AMDD+beep/beep/tests/test_files/raw/test_loopsnewoutput_MB_CE1_short10k.csv', None, 'biologic_mpt', 'timeseries', 9999, 0, {'test_time_second': (0.0, 102040.8), 'voltage_volt': (3.815032, 4.173678), 'current_ampere': (0.0, 0.0)}),
    ('Solid-Energy-Systems+NewareNDA/tests/nda/github/Issue94/123456789012_Unit27_Example_Data_File.ndax', None, 'neware_nda', 'timeseries', 301, 0, {'test_time_second': (0.0, 300.0), 'voltage_volt': (2.982991, 2.982875), 'current_ampere': (0.0, 0.0)}),
    ('Solid-Energy-Systems+NewareNDA/tests/nda/github/Issue72/TestFile.nda', None, 'neware_nda', 'timeseries', 6670, 0, {'test_time_second': (0.01, 72373.26), 'voltage_volt': (3.881992, 4.158703), 'current_ampere': (0.0, 0.0)}),
    ('Solid-Energy-Systems+NewareNDA/tests/nda/neware_reader/new_nda_file.nda', None, 'neware_nda', 'timeseries', 439, 0, {'test_time_second': (0.0, 721.6), 'voltage_volt': (-0.0911, -0.0951), 'current_ampere': (0.0, 0.0)}),
    ('Solid-Energy-Systems+NewareNDA/tests/nda/mediafire/2-1-6_61[07005012].nda', None, 'neware_nda', 'timeseries', 15567, 0, {'test_time_second': (0.463075, 3602.118), 'voltage_volt': (4.029788, 3.966784), 'current_ampere': (-1.699767, -1.69985)}),
    ('g-kimbell+fastnda/tests/test_data/21_10_7_85.ndax', None, 'neware_nda', 'timeseries', 141, 0, {'test_time_second': (0.0, 140.0), 'voltage_volt': (-3.572494e-05, -6.055075e-06), 'current_ampere': (0.0, 0.0)}),
    ('g-kimbell+fastnda/tests/test_data/46_1_5_60_bts16.ndax', None, 'neware_nda', 'timeseries', 84, 0, {'test_time_second': (0.0, 80.0), 'voltage_volt': (2.900084, 2.884816), 'current_ampere': (0.0, 0.0)}),
    ('g-kimbell+fastnda/tests/test_data/interp-test.ndax', None, 'neware_nda', 'timeseries', 333, 0, {'test_time_second': (0.0, 1800.0), 'voltage_volt': (0.0002101111, 0.0002155607), 'current_ampere': (0.0, 0.0)}),
    ('g-kimbell+fastnda/tests/test_data/interp-test.csv', None, 'neware_csv', 'timeseries', 333, 0, {'test_time_second': (0.0, 1800.0), 'voltage_volt': (0.0002, 0.0002), 'current_ampere': (0.0, 0.0)}),
    ('g-kimbell+fastnda/tests/test_data/nw4-120-1-6-53.ndax', None, 'neware_nda', 'timeseries', 18700, 0, {'test_time_second': (0.0, 173045.9), 'voltage_volt': (1.662795, 3.496701), 'current_ampere': (0.0, -0.0003900234)}),
    ('g-kimbell+fastnda/tests/test_data/TESTCELL0001-Test_Data_Collection_Ndc17.ndax', None, 'neware_nda', 'timeseries', 80, 0, {'test_time_second': (0.0, 75.0), 'voltage_volt': (3.587182, 3.586053), 'current_ampere': (0.0, 0.0)}),
    ('g-kimbell+fastnda/tests/test_data/scrubbed_ndc2.ndax', None, 'neware_nda', 'timeseries', 28, 0, {'test_time_second': (0.0, 664.4), 'voltage_volt': (-3.3883, -3.3579), 'current_ampere': (0.0, 0.0)}),
    ('g-kimbell+fastnda/tests/test_data/test_2.ndax', None, 'neware_nda', 'timeseries', 108563, 0, {'test_time_second': (0.0, 93207.6), 'voltage_volt': (0.1998792, 3.191492), 'current_ampere': (0.0, -0.0003168205)}),
    ('g-kimbell+fastnda/tests/test_data/Unit27_Example_Corrupt.ndax', None, 'neware_nda', 'timeseries', 301, 0, {'test_time_second': (0.0, 300.0), 'voltage_volt': (2.982991, 2.982875), 'current_ampere': (0.0, 0.0)}),
    ('be-smith+navani/Example_data/00_test_01_OCV_C01.mpr', None, 'biologic_mpr', 'timeseries', 2, 0, {'test_time_second': (0.0, 5.5932), 'voltage_volt': (-0.373809, -0.3732822), 'current_ampere': (0.0, 0.0)}),
    ('be-smith+navani/Example_data/00_test_04_MB_C01.mpr', None, 'biologic_mpr', 'timeseries', 1501, 0, {'test_time_second': (16.1674, 17.6672), 'voltage_volt': (-1.650138, -1.65013), 'current_ampere': (-4.469791e-05, -4.339667e-05)}),
    ('be-smith+navani/Example_data/bs542_004_gr_li_50ua_50mv_1v_191020_Channel_11.xlsx', None, 'arbin_xlsx', 'timeseries', 4526, 0, {'test_time_second': (1.001, 1204816.0), 'voltage_volt': (2.637299, 0.07228661), 'current_ampere': (0.0, 5.082786e-05)}),
    ('be-smith+navani/Example_data/test.ndax', None, 'neware_nda', 'timeseries', 1464, 0, {'test_time_second': (0.0, 43800.0), 'voltage_volt': (3.4666, 1.8105), 'current_ampere': (0.0, 0.0)}),
    ('be-smith+navani/Example_data/jdb11-1_c3_gcpl_5cycles_2V-3p8V_C-24_data_C09.mpr', None, 'biologic_mpr', 'timeseries', 46102, 0, {'test_time_second': (0.0, 456309.6), 'voltage_volt': (2.508576, 1.99996), 'current_ampere': (0.0, -8.877942e-05)}),
    # ECSHackWeek+impedance.py/data/exampleData.csv: not a readable run (see ERRORS)
    # ECSHackWeek+impedance.py/data/exampleDataAutolab.txt: not a readable run (see ERRORS)
    ('ECSHackWeek+impedance.py/data/exampleDataBioLogic.mpt', None, 'biologic_mpt', 'impedance', 43, 0, {'test_time_second': (0.7836905, 288.5022), 'voltage_volt': (-0.0002867755, -0.0002803494), 'current_ampere': (-4.804119e-05, -4.593946e-05), 'frequency_hertz': (1000.32, 0.01689554), 'impedance_real_ohm': (65.47089, 110.97), 'impedance_imaginary_ohm': (-0.3899898, -2.345857)}),
    ('ECSHackWeek+impedance.py/data/exampleDataCHInstruments.txt', 'auto', 'generic', 'impedance', 73, 0, {'frequency_hertz': (99610.0, 0.1), 'impedance_real_ohm': (98.91, 5685.0), 'impedance_imaginary_ohm': (-2.748, -15860.0)}),
    ('ECSHackWeek+impedance.py/data/exampleDataGamry.DTA', None, 'gamry_dta', 'impedance', 72, 0, {'test_time_second': (1.0, 861.0), 'voltage_volt': (-0.3413299, -0.3411888), 'current_ampere': (-5.89286e-06, -2.233894e-06), 'frequency_hertz': (200015.6, 0.0158898), 'impedance_real_ohm': (825.8584, 17007.49), 'impedance_imaginary_ohm': (-1367.239, -6635.557)}),
    ('ECSHackWeek+impedance.py/data/exampleDataParstat.txt', 'auto', 'generic', 'timeseries', 812, 0, {'test_time_second': (10.0, 7750.167), 'voltage_volt': (3.493227, 3.500294), 'current_ampere': (-0.1499623, 0.02457479), 'frequency_hertz': (0.0, 10.0), 'impedance_real_ohm': (0.0, 0.02709465), 'impedance_imaginary_ohm': (0.0, -0.003997911)}),
    ('ECSHackWeek+impedance.py/data/exampleDataPowersuite.txt', 'auto', 'generic', 'impedance', 30, 0, {'frequency_hertz': (0.1, 2000000.0), 'impedance_real_ohm': (423929.5, -470.5411), 'impedance_imaginary_ohm': (-49014.06, -1397.736)}),
    ('ixdat+ixdat/test_data/biologic/Pt_poly_cv_CUT.mpt', None, 'biologic_mpt', 'timeseries', 223, 0, {'test_time_second': (3.2896, 151.8102), 'voltage_volt': (0.8786953, 0.154713), 'current_ampere': (-2.604325e-06, 1.777132e-05)}),
    ('bcliang+gamry-parser/tests/chronoa_data.dta', None, 'gamry_dta', 'timeseries', 10, 0, {'test_time_second': (0.0, 270.0), 'voltage_volt': (-0.00054, 0.4), 'current_ampere': (-2.34197e-08, 3e-09)}),
    ('bcliang+gamry-parser/tests/chronoa_de_data.dta', None, 'gamry_dta', 'timeseries', 10, 0, {'test_time_second': (0.0, 270.0), 'voltage_volt': (-0.0005, 0.4), 'current_ampere': (-2e-08, 3e-09)}),
    ('bcliang+gamry-parser/tests/cv_data.dta', None, 'gamry_dta', 'timeseries', 50, 0, {'test_time_second': (0.1, 601.1), 'voltage_volt': (0.49, 0.889001), 'current_ampere': (7.80498e-09, 2.62272e-07), 'cycle_count': (1.0, 5.0)}),
    ('bcliang+gamry-parser/tests/ocp_data.dta', None, 'gamry_dta', 'timeseries', 21, 0, {'test_time_second': (5.00833, 105.175), 'voltage_volt': (0.0205436, 0.0345678), 'current_ampere': (0.0, 0.0)}),
    ('bcliang+gamry-parser/tests/ocvcurve_data.dta', None, 'gamry_dta', 'timeseries', 11, 0, {'test_time_second': (0.3, 3.3), 'voltage_volt': (0.398788, 0.250361), 'current_ampere': (6.55358e-07, -4.2422e-05)}),
    ('battery-data-alliance+battery-data-format/docs/examples/reference/SINTEF__LiGrR2032__2024-04-30__25degC__Landt.bdf.csv', None, 'bdf_csv', 'timeseries', 25162, 0, {'test_time_second': (0.02, 262657.8), 'voltage_volt': (2.9215, 0.1086), 'current_ampere': (0.0, -0.0002)}),
    ('battery-data-alliance+battery-data-format/docs/examples/reference/SINTEF__G20M7-202512-Gru6mV__20251228__C30__25degC__Neware.bdf.csv', None, 'bdf_csv', 'timeseries', 17587, 0, {'test_time_second': (0.0, 175734.1), 'voltage_volt': (3.3067, 3.138426), 'current_ampere': (0.0, 0.0)}),
    ('jepegit+cellpy/testdata/data/pec_multiple_tests/Test25195.csv', None, 'pec_csv', 'timeseries', 19, 0, {'test_time_second': (0.002, 162.363), 'voltage_volt': (3.569031, 3.568858), 'current_ampere': (-8e-06, 0.0)}),
    ('jepegit+cellpy/testdata/data/pec_multiple_tests/Test25205.csv', None, 'pec_csv', 'timeseries', 489, 0, {'test_time_second': (0.002, 70918.98), 'voltage_volt': (3.682495, 0.0639655), 'current_ampere': (0.0, 0.0)}),
    ('jepegit+cellpy/testdata/data/pec_multiple_tests/Test25209.csv', None, 'pec_csv', 'timeseries', 281, 0, {'test_time_second': (0.002, 29768.1), 'voltage_volt': (3.752564, 3.753438), 'current_ampere': (-6e-06, 0.0)}),
    ('jepegit+cellpy/testdata/data/pec.csv', None, 'pec_csv', 'timeseries', 16255, 0, {'test_time_second': (1.0, 323010.2), 'voltage_volt': (3.272632, 3.787557), 'current_ampere': (0.0, 1.6401)}),
    ('jepegit+cellpy/testdata/data/maccor_001.txt', None, 'maccor', 'timeseries', 6704, 0, {'test_time_second': (0.0, 183171.6), 'voltage_volt': (3.4625, 3.55131), 'current_ampere': (0.0, 0.0)}),
    ('jepegit+cellpy/testdata/data/maccor_002.txt', None, 'maccor', 'timeseries', 7446, 0, {'test_time_second': (0.0, 228590.5), 'voltage_volt': (0.1783, 1.3), 'current_ampere': (0.0, -0.00016037)}),
    ('jepegit+cellpy/testdata/data/neware_uio.csv', None, 'neware_csv', 'timeseries', 9065, 0, {'test_time_second': (0.0, 518538.0), 'voltage_volt': (2.917, 0.4251), 'current_ampere': (0.0, 0.00099171)}),
    ('jepegit+cellpy/testdata/data/nw_regular_export_ife_example.csv', None, 'neware_csv', 'timeseries', 9295, 0, {'test_time_second': (0.0, 100543.0), 'voltage_volt': (4.3185, 4.1544), 'current_ampere': (0.0, 0.0)}),
    ('jepegit+cellpy/testdata/data/custom_data_002.xlsx', None, 'landt_xlsx', 'timeseries', 16538, 0, {'test_time_second': (0.0, 388864.0), 'voltage_volt': (2.81529, 0.588418), 'current_ampere': (0.0, 0.0)}),
    ('jepegit+cellpy/testdata/data/custom_data_003.xls', None, 'neware_xlsx', 'timeseries', 2943, 0, {'test_time_second': (0.0, 383539.0), 'voltage_volt': (2.3304, 0.0499), 'current_ampere': (0.0, -0.00163)}),
    ('jepegit+cellpy/testdata/data/20160805_test001_45_cc_01.res', None, 'arbin_res', 'timeseries', 10261, 0, {'test_time_second': (300.0105, 859077.2), 'voltage_volt': (3.097617, 0.2940689), 'current_ampere': (0.0, -0.000304207)}),
    ('jepegit+cellpy/testdata/data/aux_one_x_dx.res', None, 'arbin_res', 'timeseries', 7235, 0, {'test_time_second': (1.0053, 7233.912), 'voltage_volt': (3.739501, 4.200007), 'current_ampere': (0.0, 0.04999557)}),
    ('jepegit+cellpy/testdata/data/20260302_IFE_BTS85_2_9_8_1.ndax', None, 'neware_nda', 'timeseries', 252951, 0, {'test_time_second': (0.0, 252946.0), 'voltage_volt': (0.2069546, 4.748331), 'current_ampere': (0.0, 0.001935565)}),
    ('jepegit+cellpy/testdata/data/batmo_bdf.csv', None, 'bdf_csv', 'timeseries', 21206, 0, {'test_time_second': (500.0, 1411480.0), 'voltage_volt': (3.311215, 3.006548), 'current_ampere': (-0.006055158, 0.0)}),
    ('jepegit+cellpy/testdata/data/biol.mpr', None, 'biologic_mpr', 'timeseries', 23561, 5, {'test_time_second': (0.0, 76139.1), 'voltage_volt': (0.1234872, 0.5515371), 'current_ampere': (0.0, 0.0)}),
    ('shriyachallam+maccorcyclingdata/example_data/multiple_csv/testdata18.csv', None, 'maccor', 'timeseries', 40819, 0, {'test_time_second': (5577644.47, 5828274.92), 'voltage_volt': (3.92, 2.6344), 'current_ampere': (1499.8856, 0.0)}),
]
# fmt: on
ERRORS = [
    ("dgbowl+yadg/tests/test_x_eclab/wait.mpr", "holds no rows"),
    ("dgbowl+yadg/tests/test_x_eclab/wait.mpt", "line 55: header but no data rows"),
    (
        "ImperialCollegeLondon+PyProBE/tests/sample_data/neware/Experiment_Record.xlsx",
        "no sheet has a header row with time, voltage and current",
    ),
    ("TRI-AMDD+beep/beep/tests/test_files/2017-05-09_test-TC-contact_CH33_Metadata.csv", "sidecar"),
    ("TRI-AMDD+beep/beep/tests/test_files/FastCharge_000025_CH8_Metadata.csv", "sidecar"),
    (
        "TRI-AMDD+beep/beep/tests/test_files/xTESLADIAG_000003_CH68.000",
        r"line 2: a Maccor procedure \(the test's schedule, XML\), a sidecar",
    ),
    (
        "TRI-AMDD+beep/beep/tests/test_files/raw/test_loopsnewoutput_MB_CE1_short10k.mpl",
        r"line 1: an EC-Lab/BT-Lab log file \(.mpl\), a sidecar",
    ),
    ("ECSHackWeek+impedance.py/data/exampleData.csv", "no table found"),
    ("ECSHackWeek+impedance.py/data/exampleDataAutolab.txt", "no table found"),
    (
        "bcliang+gamry-parser/tests/squarewave_data.dta",
        r"line 64: CURVE table has no 'Vf' column for voltage_volt",
    ),
    (
        "bcliang+gamry-parser/tests/cv_data_incompleteheader.dta",
        r"no ZCURVE \(impedance\) or CURVE \(DC\) table found in the first 19 lines",
    ),
    # cellpy's step annotation table (cycle;step;type;info), a sidecar with no measured column
    (
        "jepegit+cellpy/testdata/data/steps.csv",
        "line 1: unrecognised cycler format .*no column found for test_time_second, voltage_volt, current_ampere",
    ),
    (
        "shriyachallam+maccorcyclingdata/example_data/schedule.csv",
        r"line 1: a Maccor procedure's step table \(the test's schedule, CSV\), a sidecar",
    ),
]


@pytest.fixture(scope="module")
def corpus():
    if not CORPUS.is_dir():
        pytest.skip(f"cycler corpus not found at {CORPUS} (set CELLWRIGHT_CORPUS)")
    return CORPUS


def test_manifest_covers_the_corpus_and_its_origins():
    named = {e["local"] for e in MANIFEST_ENTRIES}
    assert named == {c[0] for c in CASES} | {e[0] for e in ERRORS}
    assert len(named) >= 60
    assert len({e["repository"] for e in MANIFEST_ENTRIES}) >= 8
    # permissive or GPL-3.0-compatible licences only (the corpus ships in a GPL repository)
    assert {e["licence"] for e in MANIFEST_ENTRIES} <= GPL_COMPATIBLE
    for entry in MANIFEST_ENTRIES:
        assert len(entry["commit"]) == 40 and entry["licence"] and len(entry["sha256"]) == 64


def test_corpus_files_are_the_manifest_bytes(corpus):
    for entry in MANIFEST_ENTRIES:
        data = (corpus / entry["local"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == entry["sha256"], entry["local"]


@pytest.mark.parametrize(
    ("name", "mapping", "fmt", "kind", "rows", "spectra", "values"),
    CASES,
    ids=[c[0] for c in CASES],
)
def test_corpus_file(corpus, name, mapping, fmt, kind, rows, spectra, values):
    table = read_cycler_file(corpus / name, mapping=mapping)
    assert table.metadata["format"] == fmt
    assert table.metadata["kind"] == kind
    assert len(table) == rows
    assert len(table.spectra) == spectra
    for column, (first, last) in values.items():
        got = table[column]
        for expected, value in ((first, got[0]), (last, got[-1])):
            if np.isnan(expected):
                assert np.isnan(value)
            else:
                assert value == pytest.approx(expected, rel=2e-6, abs=1e-12), column


@pytest.mark.parametrize(("name", "message"), ERRORS, ids=[e[0] for e in ERRORS])
def test_corpus_non_runs_fail_in_one_line(corpus, name, message):
    with pytest.raises(LabDataError, match=message) as info:
        read_cycler_file(corpus / name)
    assert str(corpus / name) in str(info.value) and "\n" not in str(info.value)


# (.mpr, .mpt) of one measurement: EC-Lab writes the .mpr, its text export computes the rest
MPR_MPT_PAIRS = sorted(
    (name, name[:-4] + ".mpt")
    for name in {c[0] for c in CASES}
    if name.endswith(".mpr") and name[:-4] + ".mpt" in {c[0] for c in CASES}
)


@pytest.mark.parametrize(("mpr", "mpt"), MPR_MPT_PAIRS, ids=[p[0] for p in MPR_MPT_PAIRS])
def test_an_mpr_reads_as_its_text_export(corpus, mpr, mpt):
    """A .mpr stores the mode packed in its flags byte, the half cycle and one signed capacity;
    the .mpt export writes them out as ``mode``, ``cycle number``, ``Q charge/mA.h`` and ``Q
    discharge/mA.h``. Both files of one measurement give the same cycles, techniques and
    capacities."""
    binary = read_cycler_file(corpus / mpr)
    text = read_cycler_file(corpus / mpt)
    assert len(binary) == len(text)
    for column in (
        "cycle_count",
        "technique_code",
        "step_index",
        "charging_capacity_ah",
        "discharging_capacity_ah",
    ):
        assert (column in binary.columns) == (column in text.columns), column
        if column in text.columns:
            np.testing.assert_allclose(
                binary[column], text[column], rtol=1e-5, atol=1e-12, err_msg=column
            )


def test_the_mpr_pairs_cover_cycles_and_techniques():
    assert len(MPR_MPT_PAIRS) >= 7
