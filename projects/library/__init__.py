"""The materials and cell library: seed data with sources, queries, user overrides."""

from cellwright.projects.library.catalog import (
    Library,
    attach_parameter_set,
    lithium_ion_parameter_sets,
    pybamm_parameter_sets,
)
from cellwright.projects.library.seed import LibraryError

__all__ = [
    "Library",
    "LibraryError",
    "attach_parameter_set",
    "lithium_ion_parameter_sets",
    "pybamm_parameter_sets",
]
