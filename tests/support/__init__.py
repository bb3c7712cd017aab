"""Helpers shared by the tests (importable as ``support``: pytest's ``pythonpath`` has tests/).

Fixtures live in the conftest files; plain helpers — paths, screenshots, test data and meshes —
live here, so no test imports a conftest module.
"""
