"""Meshes of geometry the builder did not make: CAD files meshed by gmsh, or .msh/.vtu meshes.

CAD (STEP/IGES through OpenCASCADE, in metres by their unit, times ``scale`` to correct a wrong
unit; BREP times ``scale``; faces with no solid sewn into solids): every volume is fragmented
against the others so that touching parts share nodes, and named ``volume_1``, ``volume_2`` … in
the order gmsh numbers them (or by the part's name when the file has one). A .msh keeps its
physical groups, a .vtu its cell sets or group array (:mod:`cellwright.engines.mesh.mesh_file`
reads them, hexahedra, wedges and pyramids split into tetrahedra). Every mesh gets ``boundary``
(its outer faces) and the face groups that
:class:`~cellwright.projects.model.ImportedGeometry` defines by boxes.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np

from cellwright.projects.model import ImportedGeometry, InputError, MeshData

__all__ = ["boundary_triangles", "read_imported"]

# the product name OpenCASCADE gives a solid when the writer named none (FreeCAD, gmsh and
# other OCC-based exports), or a sewn IGES shape its type: not the user's name for the part
_UNNAMED = re.compile(r"^(Open CASCADE STEP translator\b|(COMPOUND|SOLID|SHELL)$)")


def boundary_triangles(tets: np.ndarray) -> np.ndarray:
    """Faces of exactly one tetrahedron (outward orientation is not needed)."""
    faces = np.concatenate([tets[:, [0, 1, 2]], tets[:, [0, 1, 3]], tets[:, [0, 2, 3]],
                            tets[:, [1, 2, 3]]])  # fmt: skip
    key = np.sort(faces, axis=1)
    _, idx, counts = np.unique(key, axis=0, return_index=True, return_counts=True)
    return faces[idx[counts == 1]]


def read_imported(geometry: ImportedGeometry, base: Path | None = None) -> MeshData:
    """The tetrahedral mesh of ``geometry`` with its volume and face groups.

    Raises
    ------
    InputError
        Naming the file: missing, unreadable, no volumes, or a face box that holds no face.
    """
    path = Path(geometry.file)
    if not path.is_absolute() and base is not None:
        path = base / path
    if not path.is_file():
        raise InputError("geometry file not found", str(path))
    if geometry.kind == "cad":
        mesh = _mesh_cad(path, geometry)
    else:
        from cellwright.engines.mesh.mesh_file import read_mesh_file

        mesh = read_mesh_file(path, geometry.scale)
        points = np.asarray(mesh.points)
        _check_unit(float(np.ptp(points, axis=0).max()), geometry, path)
    return _with_faces(mesh, geometry, str(path))


#: a battery part larger than this, as read, is a file in millimetres taken for metres
_LARGEST_PART = 10.0


def _check_unit(extent: float, geometry: ImportedGeometry, path: Path) -> None:
    """Refuse a mesh or BREP (no unit in the file) that spans more than any battery part
    unless ``scale`` was given: a part drawn in millimetres and read as metres ran silently
    as a part a thousand times its size."""
    if extent <= _LARGEST_PART or "scale" in geometry.model_fields_set:
        return
    raise InputError(
        f"geometry.scale: the part spans {extent:.4g} m as read, and a {path.suffix} file "
        "carries no unit; give scale = 0.001 if it is drawn in millimetres (scale = 1 if it "
        "really is that large)",
        str(path),
    )


#: no battery part is smaller than this: a STEP/IGES part that small was scaled twice
_SMALLEST_PART = 1e-3


def _check_scale_on_unit(extent: float, geometry: ImportedGeometry, path: Path) -> None:
    """Refuse a ``scale`` that shrank a STEP/IGES part below any battery part: the file
    carries its unit and is read in metres, so ``scale = 0.001`` for a part drawn in
    millimetres converts it a second time (the case ``scale`` is still there for is a file
    whose unit header is wrong, e.g. millimetre values labelled metres)."""
    if extent >= _SMALLEST_PART:
        return
    raise InputError(
        f"geometry.scale: a {path.suffix} file carries its unit and is read in metres; "
        f"scale = {geometry.scale:g} on top of it makes the part span {extent:.3g} m. Leave "
        "scale out unless the file's unit is wrong",
        str(path),
    )


def _mesh_cad(path: Path, geometry: ImportedGeometry) -> MeshData:
    from cellwright.engines.mesh.extract import extract_mesh
    from cellwright.engines.mesh.session import MeshSettings, gmsh_session, refuse_oversized

    with gmsh_session(path.stem, MeshSettings().gmsh_options(1.0)) as gmsh:
        try:
            entities = _import_shapes(gmsh, path)
        except Exception as exc:  # gmsh raises a bare Exception with its log line
            raise InputError(f"gmsh cannot read this file: {exc}", str(path)) from None
        volumes = [tag for dim, tag in entities if dim == 3]
        if not volumes:
            why = " (its faces do not close into one)" if entities else ""
            raise InputError(f"the file holds no solid volume to mesh{why}", str(path))
        if len(volumes) > 1:
            gmsh.model.occ.fragment([(3, volumes[0])], [(3, t) for t in volumes[1:]])
        if geometry.scale != 1.0:
            all_volumes = gmsh.model.occ.getEntities(3)
            gmsh.model.occ.dilate(all_volumes, 0, 0, 0, *(3 * [geometry.scale]))
        gmsh.model.occ.synchronize()
        tags = [t for _, t in gmsh.model.getEntities(3)]
        x0, y0, z0, x1, y1, z1 = gmsh.model.getBoundingBox(-1, -1)
        if path.suffix.lower() == ".brep":
            _check_unit(max(x1 - x0, y1 - y0, z1 - z0), geometry, path)
        else:
            _check_scale_on_unit(max(x1 - x0, y1 - y0, z1 - z0), geometry, path)
        size = geometry.mesh_size or max(x1 - x0, y1 - y0, z1 - z0) / 20
        refuse_oversized(gmsh, size, str(path))
        gmsh.option.setNumber("Mesh.MeshSizeMax", size)
        gmsh.option.setNumber("Mesh.MeshSizeMin", size / 20)
        named: dict[str, list[int]] = {}
        for k, tag in enumerate(sorted(tags), start=1):
            label = gmsh.model.getEntityName(3, tag).split("/")[-1].strip()
            label = "" if _UNNAMED.match(label) else label
            named.setdefault(label or f"volume_{k}", []).append(tag)
        faces = gmsh.model.getBoundary([(3, t) for t in tags], combined=True, oriented=False)
        surfaces = {"boundary": sorted({abs(t) for _, t in faces})}
        gmsh.model.mesh.generate(3)
        mesh, _ = extract_mesh(gmsh, named, surfaces)
    return mesh


def _import_shapes(gmsh, path: Path) -> list[tuple[int, int]]:
    """The shapes of a CAD file, STEP and IGES in metres whatever unit the file is in.

    IGES files are mostly trimmed faces, not solids: their faces are sewn and closed shells
    made solids. A STEP or BREP with no solid (a surface model: a closed shell, or loose faces)
    is read again the same way; one with solids is not sewn, so touching parts stay apart.
    OpenCASCADE defines its IGES unit setting only once it has read an IGES file, so until
    then setting the target unit fails (every IGES was refused): the first IGES is read once
    without it. The setting outlives the read, so it is set on every read.
    """
    iges = path.suffix.lower() in (".iges", ".igs")
    entities = _read_shapes(gmsh, path, sew=iges)
    if iges or any(dim == 3 for dim, _ in entities) or not entities:
        return entities
    gmsh.model.occ.remove(entities, recursive=True)
    return _read_shapes(gmsh, path, sew=True)


def _read_shapes(gmsh, path: Path, *, sew: bool) -> list[tuple[int, int]]:
    iges = path.suffix.lower() in (".iges", ".igs")
    gmsh.option.setNumber("Geometry.OCCSewFaces", int(sew))
    gmsh.option.setNumber("Geometry.OCCMakeSolids", int(sew))
    gmsh.option.setString("Geometry.OCCTargetUnit", "M")  # STEP/IGES in their units -> m
    try:
        return gmsh.model.occ.importShapes(str(path))
    except Exception as exc:
        if not iges or "target unit" not in str(exc):
            raise
    gmsh.option.setString("Geometry.OCCTargetUnit", "")
    gmsh.model.occ.remove(gmsh.model.occ.importShapes(str(path)), recursive=True)
    gmsh.option.setString("Geometry.OCCTargetUnit", "M")
    return gmsh.model.occ.importShapes(str(path))


def _with_faces(mesh: MeshData, geometry: ImportedGeometry, where: str) -> MeshData:
    """Add ``boundary`` (if missing) and the box-selected face groups as triangles."""
    outer = boundary_triangles(np.asarray(mesh.cells["tetra"]))
    tris = np.asarray(mesh.cells.get("triangle", np.empty((0, 3), np.int64)), dtype=np.int64)
    sets = {n: dict(b) for n, b in mesh.cell_sets.items()}
    start = len(tris)
    tris = np.vstack([tris.reshape(-1, 3), outer])
    outer_idx = np.arange(start, len(tris))
    if "boundary" not in sets:
        sets["boundary"] = {"triangle": outer_idx}
    eps = 1e-9 * float(np.ptp(mesh.points, axis=0).max())
    for name, (x0, y0, z0, x1, y1, z1) in geometry.faces.items():
        lo, hi = np.array([x0, y0, z0]) - eps, np.array([x1, y1, z1]) + eps
        inside = np.all((mesh.points[outer] >= lo) & (mesh.points[outer] <= hi), axis=(1, 2))
        if not inside.any():
            raise InputError(f"geometry.faces.{name}: no boundary face lies inside its box", where)
        sets[name] = {"triangle": outer_idx[inside]}
    return MeshData(points=mesh.points, cells={**mesh.cells, "triangle": tris}, cell_sets=sets)
