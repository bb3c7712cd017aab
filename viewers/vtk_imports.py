"""One import of the VTK stack at a time, whichever thread asks first.

The window warms ``pyvista`` on its library-loading thread so the first result opens sooner
(app/main_window.py). If the UI thread imports ``pyvistaqt`` meanwhile, the two threads take
the module locks of the VTK stack in different orders (pyvistaqt takes Qt's and VTK's before
pyvista's); Python's import system breaks that deadlock by handing one of them the module half
initialised, and the window probe failed once on CI with "cannot import name 'global_theme'
from 'pyvista'". Both imports go through :func:`import_vtk_stack`, under one lock.
"""

from __future__ import annotations

import threading

__all__ = ["import_vtk_stack"]

_LOCK = threading.Lock()


def import_vtk_stack(qt: bool = True) -> None:
    """Import pyvista (and pyvistaqt if ``qt``) unless another thread is doing so: then wait.

    Parameters
    ----------
    qt
        Import pyvistaqt too (the UI thread only: it builds Qt classes).
    """
    with _LOCK:
        import pyvista  # noqa: F401

        if qt:
            import pyvistaqt  # noqa: F401
