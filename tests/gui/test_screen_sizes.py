"""The window fits the screen it starts on — 1280×800, 1600×1000, 1920×1080, and a 4K screen
(3840×2160) at 200 % scaling — with the project tree wide enough for its names; a layout saved
on a larger screen is brought back inside a smaller one. Each case starts the window in a fresh
process on a virtual X display of that size; the screenshots are in build/screenshots/."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest

from support.paths import ROOT, SCREENSHOTS
from support.screens import colour_spread

pytestmark = pytest.mark.gui


def _probe(size, project, settings, name, scale=1.0) -> dict:
    from pyvirtualdisplay import Display

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    picture = SCREENSHOTS / f"{name}.png"
    with Display(visible=False, size=size, color_depth=24) as display:
        env = dict(os.environ, DISPLAY=display.new_display_var, QT_SCALE_FACTOR=str(scale))
        env.pop("QT_QPA_PLATFORM", None)
        proc = subprocess.run(
            [sys.executable, str(ROOT / "tests" / "support" / "window_probe.py"),
             str(project), str(picture), str(settings)],
            env=env, capture_output=True, text=True, timeout=600,
        )  # fmt: skip
    assert proc.returncode == 0, proc.stderr[-3000:]
    report = json.loads(proc.stdout.strip().splitlines()[-1])
    report["picture"] = picture
    return report


@pytest.mark.parametrize(
    "size, scale", [((1280, 800), 1.0), ((1600, 1000), 1.0), ((1920, 1080), 1.0),
                    ((3840, 2160), 2.0)],
)  # fmt: skip
def test_window_fits_the_screen(size, scale, example_project, tmp_path) -> None:
    project = shutil.copy(example_project, tmp_path / "example.cwproj")
    name = f"window_{size[0]}x{size[1]}" + ("_200" if scale != 1 else "")
    report = _probe(size, project, tmp_path / "settings.ini", name, scale)
    assert report["inside"], report
    assert report["tree_width"] >= report["longest_top_level_name"], report
    assert not report["alike"], report["alike"]  # every study told apart by what it shows
    assert report["tabs"] >= 5
    _, colours = colour_spread(report["picture"])  # drawn, not blank (fields: test_first_minutes)
    assert colours > 20, colours


def test_a_layout_saved_on_a_larger_screen_comes_back_inside(example_project, tmp_path) -> None:
    project = shutil.copy(example_project, tmp_path / "example.cwproj")
    settings = tmp_path / "settings.ini"
    large = _probe((1920, 1080), project, settings, "window_saved_large")
    assert large["inside"]
    small = _probe((1280, 800), project, settings, "window_restored_small")
    assert small["inside"], small
