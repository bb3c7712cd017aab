"""Meshes of geometry the builder did not make: CAD files meshed by gmsh, or .msh/.vtu meshes.

CAD (STEP/IGES through OpenCASCADE, in metres; BREP times ``scale``): every volume is fragmented
against the others so that touching parts share nodes, and named ``volume_1``, ``volume_2`` …
in the order gmsh numbers them (or by the part's name when the file has one). A .msh keeps its
physical groups, a .vtu its cell sets (as :func:`cellwright.engines.mesh.convert.to_meshio`
writes them); only tetrahedra and triangles are read (a 10-node tetrahedron contributes its
corners). Every mesh gets ``boundary`` (its outer faces) and the face groups that
:class:`~cellwright.projects.model.ImportedGeometry` defines by boxes.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np

from cellwright.projects.model import ImportedGeometry, InputError, MeshData

__all__ = ["boundary_triangles", "read_imported"]

# the product name OpenCASCADE gives a solid when the writer named none (FreeCAD, gmsh and
# other OCC-based exports): not the user's name for the part
_UNNAMED = re.compile(r"^Open CASCADE STEP translator\b")


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
    elif path.suffix.lower() == ".msh":
        mesh = _read_msh(path, geometry.scale)
    else:
        mesh = _read_vtu(path, geometry.scale)
    return _with_faces(mesh, geometry, str(path))


def _mesh_cad(path: Path, geometry: ImportedGeometry) -> MeshData:
    from cellwright.engines.mesh.extract import extract_mesh
    from cellwright.engines.mesh.session import MeshSettings, gmsh_session, refuse_oversized

    with gmsh_session(path.stem, MeshSettings().gmsh_options(1.0)) as gmsh:
        gmsh.option.setString("Geometry.OCCTargetUnit", "M")  # STEP/IGES in their units -> m
        try:
            entities = gmsh.model.occ.importShapes(str(path))
        except Exception as exc:  # gmsh raises a bare Exception with its log line
            raise InputError(f"gmsh cannot read this file: {exc}", str(path)) from None
        volumes = [tag for dim, tag in entities if dim == 3]
        if not volumes:
            raise InputError("the file holds no solid volume to mesh", str(path))
        if len(volumes) > 1:
            gmsh.model.occ.fragment([(3, volumes[0])], [(3, t) for t in volumes[1:]])
        if path.suffix.lower() == ".brep" and geometry.scale != 1.0:
            all_volumes = gmsh.model.occ.getEntities(3)
            gmsh.model.occ.dilate(all_volumes, 0, 0, 0, *(3 * [geometry.scale]))
        gmsh.model.occ.synchronize()
        tags = [t for _, t in gmsh.model.getEntities(3)]
        x0, y0, z0, x1, y1, z1 = gmsh.model.getBoundingBox(-1, -1)
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


def _read_msh(path: Path, scale: float) -> MeshData:
    import meshio

    try:
        m = meshio.read(path)
    except Exception as exc:  # meshio raises many types for a broken file
        raise InputError(f"not a readable gmsh mesh: {exc}", str(path)) from None
    return _from_blocks(m, scale, path)


def _read_vtu(path: Path, scale: float) -> MeshData:
    import meshio

    try:
        m = meshio.read(path)
    except Exception as exc:
        raise InputError(f"not a readable VTU mesh: {exc}", str(path)) from None
    return _from_blocks(m, scale, path)


def _from_blocks(m, scale: float, path: Path) -> MeshData:
    """Tetrahedra and triangles of a meshio mesh, its cell sets (or gmsh physical tags) named."""
    points = np.asarray(m.points, dtype=float)[:, :3] * scale
    tets, tris, sets = [], [], {}
    counts = {"tetra": 0, "triangle": 0}
    physical = m.cell_data.get("gmsh:physical")
    names = {int(v[0]): k for k, v in getattr(m, "field_data", {}).items() if len(v) >= 2}
    for b, block in enumerate(m.cells):
        kind = {"tetra": "tetra", "tetra10": "tetra", "triangle": "triangle",
                "triangle6": "triangle"}.get(block.type)  # fmt: skip
        if kind is None:
            continue
        corners = np.asarray(block.data)[:, : 4 if kind == "tetra" else 3]
        (tets if kind == "tetra" else tris).append(corners)
        local = np.arange(len(corners)) + counts[kind]
        for name, per_block in m.cell_sets.items():
            if name.startswith("gmsh:"):  # meshio's bookkeeping, not a user's group
                continue
            idx = per_block[b] if b < len(per_block) else None
            if idx is not None and len(idx):
                sets.setdefault(name, {}).setdefault(kind, []).append(local[np.asarray(idx)])
        if physical is not None and not m.cell_sets:
            tags = np.asarray(physical[b])
            for tag in np.unique(tags):
                name = names.get(int(tag), f"group_{int(tag)}")
                sets.setdefault(name, {}).setdefault(kind, []).append(local[tags == tag])
        counts[kind] += len(corners)
    if not tets:
        raise InputError("the mesh has no tetrahedra (a 3D solid mesh is needed)", str(path))
    cell_sets = {n: {k: np.concatenate(v) for k, v in blocks.items()} for n, blocks in sets.items()}
    cells = {"tetra": np.concatenate(tets).astype(np.int64)}
    cells["triangle"] = (np.concatenate(tris) if tris else np.empty((0, 3))).astype(np.int64)
    if not any("tetra" in b for b in cell_sets.values()):
        cell_sets["volume_1"] = {"tetra": np.arange(len(cells["tetra"]))}
    return MeshData(points=points, cells=cells, cell_sets=cell_sets)


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
