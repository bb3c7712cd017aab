"""CAD files for the imported-geometry tests."""

from __future__ import annotations


def write_step_bar(path, length: float = 100.0, tilt: float = 0.0) -> None:
    """A ``length`` x 10 x 10 mm bar along x as STEP, its axis turned ``tilt`` degrees about y
    towards +z (round the corner at the origin), written in a child process: after a STEP write
    OpenCASCADE keeps a unit setting that makes later STEP reads in the same process ignore
    gmsh's Geometry.OCCTargetUnit."""
    import subprocess
    import sys

    code = (
        "import gmsh, math; gmsh.initialize(); gmsh.option.setNumber('General.Terminal', 0); "
        f"b = gmsh.model.occ.addBox(0, 0, 0, {length}, 10, 10); "
        f"gmsh.model.occ.rotate([(3, b)], 0, 0, 0, 0, 1, 0, -math.radians({tilt})); "
        "gmsh.model.occ.synchronize(); "
        f"gmsh.write({str(path)!r}); gmsh.finalize()"
    )
    subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, timeout=120)


def write_step_faces(path, *, leave_out: int = 0) -> None:
    """The six faces of a 100 x 10 x 10 mm box as STEP, no solid: a surface model, as CAD
    tools export a body that is a closed shell (a child process, as above); ``leave_out``
    faces fewer leave it open."""
    import subprocess
    import sys

    code = (
        "import gmsh; gmsh.initialize(); gmsh.option.setNumber('General.Terminal', 0); "
        "box = gmsh.model.occ.addBox(0, 0, 0, 100, 10, 10); "
        "gmsh.model.occ.remove([(3, box)]); "
        f"gmsh.model.occ.remove([(2, t) for t in range(1, {leave_out} + 1)], recursive=True); "
        "gmsh.model.occ.synchronize(); "
        f"gmsh.write({str(path)!r}); gmsh.finalize()"
    )
    subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, timeout=120)
