"""Structural mechanics: quadratic-tetrahedron elasticity core, modal analysis, vibration."""
