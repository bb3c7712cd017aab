"""Anti-aliasing fitted to the OpenGL renderer, asked only once the widget's context exists.

``ReportCapabilities()`` on a render window whose QOpenGLWidget is not initialised yet makes
pyvistaqt create a throw-away QOffscreenSurface context; doing that from a ``showEvent`` led to
stale Qt wrappers and intermittent crashes in the GUI tests. So the question waits (polled on
the event loop) until the interactor reports ``isValid()``, i.e. after its ``initializeGL``.
"""

from __future__ import annotations

from typing import Any

from PySide6 import QtCore

from cellwright.viewers.field_data import is_software_renderer

__all__ = ["release_gl_wrappers", "tune_antialiasing_when_ready"]

_POLL_MS = 50
_TRIES = 100  # give up after ~5 s (a tab that is never shown keeps the default)


def tune_antialiasing_when_ready(plotter: Any, tries: int = _TRIES) -> None:
    """Drop 4x multisampling on a software rasteriser once the GL context exists.

    Mesa llvmpipe (X servers without a GPU, remote desktops) pays ~2.6x per frame for it
    (230 -> 88 ms for a 1200x800 view, measured); a GPU does it for free and keeps it.
    """
    if getattr(plotter, "_closed", False):
        return
    interactor = plotter.interactor
    valid = getattr(interactor, "isValid", lambda: True)()
    if not valid:
        if tries > 0:
            QtCore.QTimer.singleShot(
                _POLL_MS, lambda: tune_antialiasing_when_ready(plotter, tries - 1)
            )
        return
    if is_software_renderer(plotter.ren_win.ReportCapabilities()):
        plotter.ren_win.SetMultiSamples(0)
        plotter.render()


def release_gl_wrappers(plotter: Any) -> None:
    """Drop pyvistaqt's Python wrappers of the widget's own GL context and surface.

    pyvistaqt keeps wrappers of the QOpenGLWidget's context and its internal QOffscreenSurface
    after ``close()``. Qt frees those C++ objects with the widget, and a wrapper that outlives
    them stays in shiboken's map: a later Qt object at the same address came back as a
    "QOffscreenSurface" (AttributeError in pyqtgraph) or crashed the process. Releasing them
    while the widget still exists removes them from the map. Call after ``plotter.close()``.
    """
    for obj in (plotter, getattr(plotter, "interactor", None)):
        forget = getattr(obj, "_forget_context", None)
        if callable(forget):
            forget()
