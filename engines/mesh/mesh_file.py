"""Volume meshes other tools wrote (.msh 2.2/4.1, ASCII or binary; .vtu) as tetrahedra with groups.

Cells: tetrahedra as they are; hexahedra, wedges and pyramids split into tetrahedra around a node
added at their centre, each quadrilateral face cut along the diagonal through its lowest node
number, so two cells sharing a face cut it alike and the split mesh stays conforming; quadrilateral
faces are cut the same way into triangles. Second-order cells give their corners. Tetrahedra are
turned to positive volume (some writers number them the other way round); nodes no cell uses are
dropped (a 10-node mesh's edge nodes), so no node is left without a stiffness or a capacity.

Groups: a .msh its physical groups, by name (``$PhysicalNames``) or as ``group_<tag>``; a .vtu
Cellwright wrote its ``set:<name>`` membership arrays (the regions by name, overlapping ones
too: :func:`cellwright.engines.mesh.convert.set_arrays`); another .vtu its cell sets, or an
integer cell-data array: meshio writes cell sets ``a``, ``b``, ``c`` as
one array called ``a-b-c`` holding 0, 1, 2 (-1: in none; one set ``a``: ``a`` holding 0); any
other integer array names its groups ``<array>_<value>`` (``region_2``). Cells in no group form
``volume_1``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from cellwright.engines.mesh.convert import SET_PREFIX
from cellwright.projects.model import InputError, MeshData

__all__ = ["read_mesh_file"]

# meshio cell type -> (kind, corner count); kinds other than tetra/triangle are split below
_CORNERS = {
    "tetra": ("tetra", 4), "tetra10": ("tetra", 4),
    "hexahedron": ("hexahedron", 8), "hexahedron20": ("hexahedron", 8),
    "hexahedron27": ("hexahedron", 8), "wedge": ("wedge", 6), "wedge15": ("wedge", 6),
    "wedge18": ("wedge", 6), "pyramid": ("pyramid", 5), "pyramid13": ("pyramid", 5),
    "pyramid14": ("pyramid", 5), "triangle": ("triangle", 3), "triangle6": ("triangle", 3),
    "quad": ("quad", 4), "quad8": ("quad", 4), "quad9": ("quad", 4),
}  # fmt: skip
# faces of each solid in VTK/meshio node order (triangles and quadrilaterals)
_FACES = {
    "hexahedron": [(0, 1, 2, 3), (4, 5, 6, 7), (0, 1, 5, 4), (1, 2, 6, 5), (2, 3, 7, 6),
                   (3, 0, 4, 7)],
    "wedge": [(0, 1, 2), (3, 4, 5), (0, 1, 4, 3), (1, 2, 5, 4), (2, 0, 3, 5)],
    "pyramid": [(0, 1, 2, 3), (0, 1, 4), (1, 2, 4), (2, 3, 4), (3, 0, 4)],
}  # fmt: skip
# integer cell-data arrays that are meshio's or VTK's bookkeeping, not a user's groups
_NOT_GROUPS = {"gmsh:geometrical", "vtkOriginalCellIds", "vtkGhostType"}


def read_mesh_file(path: Path, scale: float) -> MeshData:
    """Tetrahedra, triangles and groups of the .msh or .vtu at ``path`` (coordinates × ``scale``).

    Raises
    ------
    InputError
        Naming the file: unreadable, no volume cells, or a cell of no volume.
    """
    import meshio

    msh = path.suffix.lower() == ".msh"
    # the format's own reader: meshio.read prints a reader's error and ends the process with
    # sys.exit(1) when no format reads the file, so a damaged .msh stopped `cellwright run`
    read = meshio.gmsh.read if msh else meshio.vtu.read
    try:
        m = read(str(path))
    except Exception as exc:  # meshio raises many types for a broken file
        kind = "gmsh mesh" if msh else "VTU mesh"
        reason = str(exc).strip() or "damaged, or of another format"
        raise InputError(f"not a readable {kind}: {reason}", str(path)) from None
    groups = _msh_groups(m) if path.suffix.lower() == ".msh" else _vtu_groups(m)
    points = np.asarray(m.points, dtype=float)[:, :3] * scale
    known = [(b, block) for b, block in enumerate(m.cells) if block.type in _CORNERS]
    if not any(_CORNERS[block.type][0] not in ("triangle", "quad") for _, block in known):
        found = ", ".join(sorted({block.type for block in m.cells})) or "no cells"
        raise InputError(f"the mesh has no volume cells (a 3D solid mesh is needed; it holds "
                         f"{found})", str(path))  # fmt: skip
    extra: list[np.ndarray] = []
    tets, tris, sets = [], [], {}
    for b, block in known:
        kind, n = _CORNERS[block.type]
        corners = np.asarray(block.data, dtype=np.int64)[:, :n]
        split, parent = _split(kind, corners, points, len(points) + sum(map(len, extra)), extra)
        target = "tetra" if split.shape[1] == 4 else "triangle"
        offset = sum(map(len, tets if target == "tetra" else tris))
        (tets if target == "tetra" else tris).append(split)
        for name, members in groups(b).items():
            local = np.flatnonzero(np.isin(parent, members)) + offset
            sets.setdefault(name, {}).setdefault(target, []).append(local)
    points = np.vstack([points, *extra]) if extra else points
    tet = _positive(points, np.concatenate(tets), path)
    tri = np.concatenate(tris) if tris else np.empty((0, 3), np.int64)
    cell_sets = {n: {k: np.concatenate(v) for k, v in b.items()} for n, b in sets.items()}
    grouped = np.zeros(len(tet), dtype=bool)
    for blocks in cell_sets.values():
        grouped[blocks.get("tetra", [])] = True
    if not grouped.any():
        cell_sets["volume_1"] = {"tetra": np.arange(len(tet))}
    elif not grouped.all():
        cell_sets.setdefault("volume_1", {})["tetra"] = np.flatnonzero(~grouped)
    return _compact(points, tet, tri, cell_sets)


def _split(kind: str, corners: np.ndarray, points: np.ndarray, start: int, extra: list):
    """Tetrahedra (or triangles) of ``corners`` and the index of the cell each came from."""
    if kind in ("tetra", "triangle"):
        return corners, np.arange(len(corners))
    if kind == "quad":
        return _cut_quads(corners)
    centre = start + np.arange(len(corners))
    extra.append(points[corners].mean(axis=1))
    pieces, parents = [], []
    for face in _FACES[kind]:
        tri, parent = (_cut_quads(corners[:, face]) if len(face) == 4
                       else (corners[:, face], np.arange(len(corners))))  # fmt: skip
        pieces.append(np.column_stack([tri, centre[parent]]))
        parents.append(parent)
    return np.concatenate(pieces), np.concatenate(parents)


def _cut_quads(quads: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Two triangles per quadrilateral, cut along the diagonal through its lowest node number."""
    through_0 = np.isin(np.argmin(quads, axis=1), (0, 2))
    a, b, c, d = quads.T
    first = np.where(through_0[:, None], np.column_stack([a, b, c]), np.column_stack([a, b, d]))
    second = np.where(through_0[:, None], np.column_stack([a, c, d]), np.column_stack([b, c, d]))
    idx = np.arange(len(quads))
    return np.concatenate([first, second]), np.concatenate([idx, idx])


def _positive(points: np.ndarray, tets: np.ndarray, path: Path) -> np.ndarray:
    """``tets`` numbered for positive volume; a cell of no volume is refused."""
    a, b, c, d = (points[tets[:, i]] for i in range(4))
    volume = np.einsum("ij,ij->i", np.cross(b - a, c - a), d - a) / 6.0
    size = float(np.ptp(points[tets.ravel()], axis=0).max())
    flat = np.abs(volume) <= 1e-15 * size**3
    if flat.any():
        raise InputError(f"{int(flat.sum())} of {len(tets)} cells have no volume (flat or with "
                         "repeated nodes)", str(path))  # fmt: skip
    tets = tets.copy()
    tets[volume < 0, 1:3] = tets[volume < 0, 2:0:-1]
    return tets


def _compact(points, tet, tri, cell_sets) -> MeshData:
    """Drop the nodes no tetrahedron uses (and the triangles on them)."""
    used = np.zeros(len(points), dtype=bool)
    used[tet.ravel()] = True
    renumber = np.full(len(points), -1, dtype=np.int64)
    renumber[used] = np.arange(used.sum())
    keep_tri = np.all(used[tri], axis=1) if len(tri) else np.ones(0, dtype=bool)
    new_tri = np.cumsum(keep_tri) - 1
    for blocks in cell_sets.values():
        if "triangle" in blocks:
            idx = blocks["triangle"]
            blocks["triangle"] = new_tri[idx[keep_tri[idx]]]
    cells = {"tetra": renumber[tet], "triangle": renumber[tri[keep_tri]].reshape(-1, 3)}
    return MeshData(points=points[used], cells=cells, cell_sets=cell_sets)


def _msh_groups(m: Any):
    """Per block: group name -> indices of its cells, from gmsh's physical tags (0: none)."""
    physical = m.cell_data.get("gmsh:physical")
    names = {int(v[0]): k for k, v in getattr(m, "field_data", {}).items() if len(v) >= 2}

    def groups(b: int) -> dict[str, np.ndarray]:
        sets = {n: idx for n, idx in _block_sets(m, b).items() if not n.startswith("gmsh:")}
        if physical is None:
            return sets
        tags = np.asarray(physical[b])
        for tag in np.unique(tags[tags != 0]):
            sets.setdefault(names.get(int(tag), f"group_{int(tag)}"), np.flatnonzero(tags == tag))
        return sets

    return groups


def _vtu_groups(m: Any):
    """Per block: group name -> indices of its cells, from our ``set:<name>`` arrays, cell sets
    or one integer array."""
    ours = [k for k in m.cell_data if k.startswith(SET_PREFIX)]
    array = _group_array(m)

    def groups(b: int) -> dict[str, np.ndarray]:
        if ours:
            members = {k[len(SET_PREFIX) :]: np.asarray(m.cell_data[k][b]).ravel() for k in ours}
            return {n: np.flatnonzero(v) for n, v in members.items() if v.any()}
        sets = _block_sets(m, b)
        if sets or array is None:
            return sets
        key = array
        values = np.asarray(m.cell_data[key][b]).astype(np.int64).ravel()
        joined = key.split("-")
        if values.min(initial=0) >= -1 and values.max(initial=0) < len(joined):
            named = {v: joined[v] for v in np.unique(values[values >= 0])}  # meshio's cell sets
        else:
            named = {v: f"{key}_{v}" for v in np.unique(values)}
        for value, name in named.items():
            sets[name] = np.flatnonzero(values == value)
        return sets

    return groups


def _group_array(m: Any) -> str | None:
    """The integer cell-data array that names the volume groups: meshio's joined cell-set names
    first, then the only integer array there is."""
    arrays = [k for k, v in m.cell_data.items()
              if k not in _NOT_GROUPS and all(map(_is_ids, v))]  # fmt: skip
    joined = [k for k in arrays if "-" in k]
    if joined:
        return joined[0]
    return arrays[0] if len(arrays) == 1 else None


def _is_ids(values) -> bool:
    a = np.asarray(values)
    return a.dtype.kind in "iu" and a.ndim == 1


def _block_sets(m: Any, b: int) -> dict[str, np.ndarray]:
    """The cells of block ``b`` in each of meshio's cell sets."""
    return {n: np.asarray(s[b]) for n, s in m.cell_sets.items()
            if b < len(s) and s[b] is not None and len(s[b])}  # fmt: skip
