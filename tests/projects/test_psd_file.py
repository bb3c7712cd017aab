"""PSD files of random vibration: every row two finite numbers, named by its line."""

from __future__ import annotations

import pytest

from cellwright.projects.model import InputError
from cellwright.projects.vibration import read_psd_csv


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        # a NaN frequency passed "does not increase" and "positive": the profile held it
        (
            "10,0.01\nnan,0.02\n30,0.01\n",
            "line 3: frequency and PSD must be finite numbers (got nan",
        ),
        ("10,0.01\ninf,0.02\n", "line 3: frequency and PSD must be finite numbers (got inf Hz"),
        ("10,0.01\n20,inf\n", "line 3: frequency and PSD must be finite numbers (got 20 Hz, inf)"),
    ],
)
def test_a_nonfinite_row_is_refused_naming_its_line(tmp_path, rows, expected) -> None:
    path = tmp_path / "psd.csv"
    path.write_text("Frequency [Hz],PSD [g^2/Hz]\n" + rows)
    with pytest.raises(InputError, match=expected.replace("(", r"\(").replace(")", r"\)")):
        read_psd_csv(path)


def test_a_utf16_psd_file_is_read(tmp_path) -> None:
    path = tmp_path / "psd.csv"
    path.write_bytes("Frequency [Hz],PSD [g^2/Hz]\r\n10,0.01\r\n20,0.02\r\n".encode("utf-16"))
    profile = read_psd_csv(path)
    assert list(profile.frequency) == [10.0, 20.0]
