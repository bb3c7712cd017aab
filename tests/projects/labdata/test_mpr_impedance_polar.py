"""EC-Lab .mpr files whose data module keeps the impedance as modulus and phase only (no
Re(Z), -Im(Z) columns): their spectra were stored without the impedance, and the window's
viewer failed on them with a KeyError."""

from __future__ import annotations

import numpy as np
import pytest

from cellwright.projects.labdata import read_cycler_file
from cellwright.projects.labdata import table as t
from support.paths import CORPUS


def _corpus(name: str):
    found = sorted(CORPUS.rglob(name)) if CORPUS.is_dir() else []
    if not found:
        pytest.skip(f"{name} not found in the cycler corpus at {CORPUS} (set CELLWRIGHT_CORPUS)")
    return found[0]


def test_spectra_of_an_mpr_with_modulus_and_phase_match_the_text_export():
    """navani's mb.mpr against the EC-Lab text export of the same run, which writes Re(Z)
    and -Im(Z): every point of the eight spectra within the float32 precision of the .mpr."""
    binary = read_cycler_file(_corpus("mb.mpr"))
    text = read_cycler_file(_corpus("mb.mpt"))
    assert len(binary.spectra) == len(text.spectra) == 8
    for ours, exported in zip(binary.spectra, text.spectra, strict=True):
        scale = np.abs(exported[t.Z_REAL])
        np.testing.assert_array_less(np.abs(ours[t.Z_REAL] - exported[t.Z_REAL]), 1e-5 * scale)
        np.testing.assert_array_less(np.abs(ours[t.Z_IMAG] - exported[t.Z_IMAG]), 1e-5 * scale)


def test_an_mpr_without_cycle_numbers_counts_them_from_its_half_cycles():
    """mb.mpr keeps EC-Lab's half cycle and not its cycle number: it was one cycle (then one
    counted from the current's direction), where its text export mb.mpt has four; both now
    give the same cycles and capacities."""
    from cellwright.projects.labdata import cycle_summary

    binary = cycle_summary(read_cycler_file(_corpus("mb.mpr")))
    text = cycle_summary(read_cycler_file(_corpus("mb.mpt")))
    assert binary["cycle"].tolist() == text["cycle"].tolist() == [0.0, 1.0, 2.0, 3.0]
    for key in ("charge_capacity_ah", "discharge_capacity_ah"):
        np.testing.assert_allclose(binary[key], text[key], rtol=1e-4)
