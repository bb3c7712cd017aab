"""The VTK stack is imported by one thread at a time (viewers/vtk_imports.py)."""

from __future__ import annotations

import threading
import time


def test_an_import_of_the_vtk_stack_waits_for_the_one_under_way() -> None:
    from cellwright.viewers import vtk_imports

    done = threading.Event()
    with vtk_imports._LOCK:  # the library loader's pyvista import, under way
        worker = threading.Thread(target=lambda: (vtk_imports.import_vtk_stack(), done.set()))
        worker.start()
        time.sleep(0.2)
        assert not done.is_set()  # the UI thread's pyvistaqt import waits for it
    worker.join(timeout=60)
    assert done.is_set()
    import pyvista
    import pyvistaqt

    assert pyvista.global_theme is not None and pyvistaqt.QtInteractor is not None


def test_the_window_warms_pyvista_under_the_same_lock() -> None:
    import inspect

    from cellwright.app import main_window

    # the loader thread's function (it holds no window: tests/gui/test_threads_outlive_widgets)
    source = inspect.getsource(main_window._load_library)
    assert "import_vtk_stack(qt=False)" in source and "import pyvista" not in source
    assert "_load_library" in inspect.getsource(main_window.MainWindow._load_library_in_background)
