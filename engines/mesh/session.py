"""One gmsh session per mesh: settings, named parts, conformal fragments, physical groups.

gmsh is a process-wide singleton, so a session is a context manager that initialises it
quietly (``General.Terminal = 0``), applies the settings and always finalises it. Geometry is
built from named parts with the OpenCASCADE kernel; :meth:`Assembly.fragment` makes every
interface conformal (shared nodes between can and jelly roll, cell and cooling plate) and keeps
track of which pieces came from which named part.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated, Any

from pydantic import Field

from cellwright.projects.model import CWModel, InputError, Unit

__all__ = [
    "MAX_TETRAHEDRA",
    "Assembly",
    "MeshSettings",
    "estimate_tetrahedra",
    "gmsh_session",
    "refuse_oversized",
]

# gmsh keeps global state: two meshes at once in one process would trample each other
_LOCK = threading.Lock()

#: the most tetrahedra a mesh may be estimated at before gmsh is let loose on it. Measured on
#: the LG M50 at 0.8 mm (273k tetrahedra): 18 s and 0.26 GB at its peak, about a kilobyte per
#: tetrahedron, so 5 million take some 5 minutes and 5 GB before any engine starts; an element
#: size typed in the wrong unit (1e-5 for 10 mm) made gmsh mesh on for ever, growing
MAX_TETRAHEDRA = 5e6


class MeshSettings(CWModel):
    """How finely and with which algorithms to mesh."""

    size: Annotated[float, Unit("m"), Field(gt=0, le=1.0)] | None = Field(
        None, description="target element size; default: from the part's dimensions"
    )
    size_min: Annotated[float, Unit("m"), Field(gt=0, le=1.0)] | None = None
    algorithm_3d: int | None = Field(
        None,
        description="gmsh Mesh.Algorithm3D: 1 Delaunay, 4 Frontal, 10 HXT (parallel); default: "
        "Delaunay for one cell (fewer slivers to optimise), HXT for modules and packs",
    )
    threads: int = Field(
        0,
        ge=0,
        le=256,
        description="0: all cores for HXT, one for the serial 3D algorithms (reproducible meshes)",
    )
    optimize: bool = Field(True, description="gmsh tetrahedron optimisation (Mesh.Optimize)")

    curvature: int = Field(0, ge=0, le=100, description="elements per 2π of curvature (0: off)")
    # where a squeeze meets the part: the centres of the two faces of the bounding box across
    # ``axis``, refined to ``size`` within ``fraction`` of the part's extent along the axis
    refine_ends: tuple[int, float, float] | None = Field(
        None, description="(axis 0-2, radius as a fraction of the extent, element size [m])"
    )

    def gmsh_options(self, size: float, algorithm_3d: int = 1) -> dict[str, float]:
        """The gmsh options for element size ``size`` (``algorithm_3d`` unless set here)."""
        import os

        algorithm = self.algorithm_3d or algorithm_3d
        # gmsh meshes surfaces in parallel threads, and with more than one the mesh of the same
        # part differs from run to run (2468-2478 tetrahedra on the Kokam pouch), and so do
        # the results of every study on it. Delaunay and Frontal are serial in 3D, so one
        # thread costs them little; HXT is the parallel 3D algorithm and keeps all cores.
        threads = self.threads or ((os.cpu_count() or 1) if algorithm == 10 else 1)
        return {
            "General.Terminal": 0,
            "General.NumThreads": threads,
            "Mesh.MaxNumThreads3D": threads,
            "Mesh.Algorithm3D": algorithm,
            "Mesh.MeshSizeMax": size,
            "Mesh.MeshSizeMin": self.size_min or size / 20,
            "Mesh.MeshSizeFromCurvature": self.curvature,
            "Mesh.Optimize": int(self.optimize),
        }


@contextmanager
def gmsh_session(name: str, options: dict[str, float]) -> Iterator[Any]:
    """Initialise gmsh with ``options``, yield the module, and always finalise it."""
    import gmsh

    with _LOCK:
        gmsh.initialize(interruptible=False)
        try:
            gmsh.option.setNumber("General.Terminal", 0)
            for key, value in options.items():
                gmsh.option.setNumber(key, value)
            gmsh.model.add(name)
            yield gmsh
        except Exception as exc:
            if type(exc).__name__ == "Exception" and str(exc):  # gmsh reports errors this way
                raise InputError(f"gmsh could not build the mesh: {exc}", name) from None
            raise
        finally:
            gmsh.finalize()


def estimate_tetrahedra(volume: float, size: float,
                        refined: tuple[float, float] | None = None) -> float:  # fmt: skip
    """About how many tetrahedra of edge ``size`` fill ``volume`` [m³]: six per cube of the
    size (a cube splits into six); ``refined`` (volume, size) counts a finer zone inside it.

    gmsh's meshes come out a little denser (the LG M50 at 1.6 mm: 43k against 35k estimated),
    so the estimate errs on the side of letting a mesh through.
    """
    count = 6.0 * volume / size**3
    if refined is not None:
        zone, fine = min(refined[0], volume), refined[1]
        if fine < size:
            count += 6.0 * zone * (1.0 / fine**3 - 1.0 / size**3)
    return count


def refuse_oversized(gmsh: Any, size: float, where: str, what: str = "mesh_size",
                     refined: tuple[float, float] | None = None,
                     refined_what: str = "contact_mesh_size") -> None:  # fmt: skip
    """Raise :class:`InputError` before meshing when the model's volumes at element ``size``
    (and ``refined`` (volume, size)) would give more than :data:`MAX_TETRAHEDRA`.

    ``what`` and ``refined_what`` name the settings of the two sizes for the message (the one
    whose zone holds most of the estimate is named), ``where`` the part (InputError's place).
    """
    tags = [t for _, t in gmsh.model.getEntities(3)]
    volume = sum(gmsh.model.occ.getMass(3, t) for t in tags)
    count = estimate_tetrahedra(volume, size, refined)
    if count > MAX_TETRAHEDRA:
        x0, y0, z0, x1, y1, z1 = gmsh.model.getBoundingBox(-1, -1)
        fine = size
        if refined is not None and count > 2 * estimate_tetrahedra(volume, size):
            fine, what = refined[1], refined_what
        raise InputError(
            f"{what} {fine * 1e3:.3g} mm would give about {count:.2g} tetrahedra for a part of "
            f"{(x1 - x0) * 1e3:.4g} x {(y1 - y0) * 1e3:.4g} x {(z1 - z0) * 1e3:.4g} mm, more "
            f"than the {MAX_TETRAHEDRA:.0e} that can be meshed (is the value in the unit you "
            f"meant?); choose a larger {what}",
            where,
        )


class Assembly:
    """Named volumes added to the OCC model, fragmented together into a conformal assembly."""

    def __init__(self, gmsh: Any) -> None:
        self.gmsh = gmsh
        self.occ = gmsh.model.occ
        self._parts: list[tuple[str, tuple[int, int]]] = []
        self.volumes: dict[str, list[int]] = defaultdict(list)

    def add(self, name: str, dimtags: list[tuple[int, int]] | tuple[int, int] | int) -> None:
        """Record volume(s) as belonging to part ``name`` (several parts may share a name)."""
        if isinstance(dimtags, int):
            dimtags = [(3, dimtags)]
        elif isinstance(dimtags, tuple):
            dimtags = [dimtags]
        self._parts.extend((name, dt) for dt in dimtags)

    def fragment(self) -> dict[str, list[int]]:
        """Fragment all parts together; returns part name -> volume tags after fragmenting.

        Where parts overlap, the later part keeps the overlap (a tab inside the cap region
        belongs to the tab).
        """
        dimtags = [dt for _, dt in self._parts]
        _, mapping = self.occ.fragment(dimtags[:1], dimtags[1:])
        self.occ.synchronize()
        owner: dict[int, str] = {}
        for (name, _), pieces in zip(self._parts, mapping, strict=True):
            for dim, tag in pieces:
                if dim == 3:
                    owner[tag] = name  # later parts win the overlap
        self.volumes = defaultdict(list)
        for tag, name in sorted(owner.items()):
            self.volumes[name].append(tag)
        return dict(self.volumes)

    def boundary(self, names: list[str] | None = None) -> list[int]:
        """Surface tags on the outside of the named volumes (of all volumes if None)."""
        tags = [t for n, ts in self.volumes.items() if names is None or n in names for t in ts]
        faces = self.gmsh.model.getBoundary([(3, t) for t in tags], combined=True, oriented=False)
        return sorted({abs(tag) for _, tag in faces})

    def interface(self, first: list[str], second: list[str]) -> list[int]:
        """Surfaces shared by a volume of ``first`` and a volume of ``second``."""
        return sorted(set(self._faces(first)) & set(self._faces(second)))

    def _faces(self, names: list[str]) -> list[int]:
        out = []
        for name in names:
            for tag in self.volumes.get(name, []):
                faces = self.gmsh.model.getBoundary([(3, tag)], oriented=False)
                out.extend(abs(t) for _, t in faces)
        return out
