"""Versions for the About box, read from package metadata (no heavy imports)."""

from __future__ import annotations

import importlib.metadata as md

__all__ = ["versions_text"]

_PACKAGES = (
    ("Cellwright", "cellwright"),
    ("Qt for Python", "pyside6-essentials"),
    ("PyBaMM", "pybamm"),
    ("VTK", "vtk"),
    ("gmsh", "gmsh"),
    ("pyvista", "pyvista"),
    ("NumPy", "numpy"),
    ("SciPy", "scipy"),
)


def versions_text() -> str:
    """One line per component with its installed version."""
    lines = ["Cellwright — lithium-ion cell and pack engineering (GPL-3.0-or-later)", ""]
    for label, dist in _PACKAGES:
        try:
            lines.append(f"{label}: {md.version(dist)}")
        except md.PackageNotFoundError:
            lines.append(f"{label}: not installed")
    return "\n".join(lines)
