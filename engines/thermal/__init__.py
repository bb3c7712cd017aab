"""Thermal engines: 3D conduction (FEM), heat sources, thermal runaway."""
