"""The library: materials and reference cells, searchable, with user overrides on top.

The seed is loaded into an in-memory SQLite database with sqlite-utils so that filters (class,
chemistry, property ranges) are SQL queries; the seed files themselves are never written.
"""

from __future__ import annotations

import difflib
import importlib.metadata as metadata
import threading
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from cellwright.projects.library.seed import read_cells, read_materials, seed_version
from cellwright.projects.model import (
    CellDesign,
    DesignSnapshot,
    InputError,
    Material,
    PackDesign,
    ReferenceCell,
)

__all__ = [
    "Library",
    "attach_parameter_set",
    "lithium_ion_parameter_sets",
    "pybamm_parameter_sets",
]


def _default_folder() -> Path:
    from cellwright.resources import ROOT

    return ROOT / "library"


class Library:
    """Materials and reference cells; build with :meth:`load_builtin` or :meth:`load`."""

    def __init__(
        self, materials: Iterable[Material], cells: Iterable[ReferenceCell], version: str
    ) -> None:
        import sqlite3

        import sqlite_utils

        self._materials = {m.id: m for m in materials}
        self._cells = {c.id: c for c in cells}
        self.version = version
        # read-only after construction, and shared by the window's threads (it is built in a
        # background thread), hence one connection usable from any thread behind a lock
        self.db = sqlite_utils.Database(sqlite3.connect(":memory:", check_same_thread=False))
        self._lock = threading.Lock()
        self.db["materials"].insert_all(
            (
                {
                    "id": m.id,
                    "name": m.name,
                    "class": str(m.material_class),
                    "chemistry": m.chemistry,
                    "description": m.description,
                }
                for m in self._materials.values()
            ),
            pk="id",
        )
        self.db["properties"].insert_all(
            (
                {"material": m.id, "property": name, "value": p.value}
                for m in self._materials.values()
                for name, p in m.properties.items()
            ),
            pk=("material", "property"),
        )
        self.db["cells"].insert_all(
            (
                {
                    "id": c.id,
                    "name": c.name,
                    "format": str(c.format),
                    "cathode": c.cathode,
                    "anode": c.anode,
                }
                for c in self._cells.values()
            ),
            pk="id",
        )

    @classmethod
    def load(cls, folder: str | Path) -> Library:
        """Load a library from a folder of seed files (errors name file, line and field)."""
        folder = Path(folder)
        return cls(read_materials(folder), read_cells(folder), seed_version(folder))

    @classmethod
    def load_builtin(cls) -> Library:
        """The library shipped with Cellwright (loaded once per process)."""
        return _builtin()

    def with_overrides(
        self, materials: Iterable[Material] = (), cells: Iterable[ReferenceCell] = ()
    ) -> Library:
        """A library in which the project's edited entries shadow the seed ones."""
        mats = {**self._materials, **{m.id: m for m in materials}}
        cell_map = {**self._cells, **{c.id: c for c in cells}}
        changed = len(mats) != len(self._materials) or any(
            mats[k] is not v for k, v in self._materials.items()
        )
        version = self.version + ("+overrides" if changed or cell_map != self._cells else "")
        return Library(mats.values(), cell_map.values(), version)

    # -- materials ----------------------------------------------------------------------------
    def materials(
        self,
        material_class: str | None = None,
        chemistry: str | None = None,
        ranges: dict[str, tuple[float | None, float | None]] | None = None,
    ) -> list[Material]:
        """Materials filtered by class, chemistry (case-insensitive) and property ranges."""
        where, args = ["1 = 1"], []
        if material_class:
            where.append("class = ?")
            args.append(material_class)
        if chemistry:
            where.append("lower(chemistry) = lower(?)")
            args.append(chemistry)
        for i, (name, (lo, hi)) in enumerate((ranges or {}).items()):
            alias = f"p{i}"
            cond = [f"{alias}.material = materials.id", f"{alias}.property = ?"]
            args.append(name)
            if lo is not None:
                cond.append(f"{alias}.value >= ?")
                args.append(lo)
            if hi is not None:
                cond.append(f"{alias}.value <= ?")
                args.append(hi)
            where.append(f"EXISTS (SELECT 1 FROM properties {alias} WHERE {' AND '.join(cond)})")
        sql = f"SELECT id FROM materials WHERE {' AND '.join(where)} ORDER BY class, id"
        with self._lock:
            rows = self.db.execute(sql, args).fetchall()
        return [self._materials[row[0]] for row in rows]

    def material(self, material_id: str) -> Material:
        """One material by id; an unknown id suggests the closest ones."""
        try:
            return self._materials[material_id]
        except KeyError:
            raise InputError(_unknown("material", material_id, self._materials)) from None

    # -- cells --------------------------------------------------------------------------------
    def cells(
        self,
        format: str | None = None,
        chemistry: str | None = None,
    ) -> list[ReferenceCell]:
        """Reference cells, optionally of one format or cathode/anode chemistry."""
        out = []
        for cell in sorted(self._cells.values(), key=lambda c: c.id):
            if format and str(cell.format) != format:
                continue
            # "NMC" finds NMC811 and NMC622 cells, "graphite" finds graphite-SiOx anodes
            wanted = chemistry.lower() if chemistry else ""
            if wanted and not any(wanted in side.lower() for side in (cell.cathode, cell.anode)):
                continue
            out.append(cell)
        return out

    def cell(self, cell_id: str) -> ReferenceCell:
        """One reference cell by id."""
        try:
            return self._cells[cell_id]
        except KeyError:
            raise InputError(_unknown("library cell", cell_id, self._cells)) from None

    # -- search and snapshots -----------------------------------------------------------------
    def search(self, text: str) -> list[Material | ReferenceCell]:
        """Materials and cells whose id, name, class, chemistry or description contain text."""
        needle = text.lower().strip()
        hits: list[Material | ReferenceCell] = []
        for m in self._materials.values():
            hay = " ".join((m.id, m.name, str(m.material_class), m.chemistry, m.description))
            if needle in hay.lower():
                hits.append(m)
        for c in self._cells.values():
            hay = " ".join((c.id, c.name, c.manufacturer, str(c.format), c.cathode, c.anode))
            if needle in hay.lower():
                hits.append(c)
        return hits

    def design_for_cell(self, cell_id: str) -> CellDesign:
        """A cell design based on a library cell (its format and PyBaMM parameter set)."""
        cell = self.cell(cell_id)
        return CellDesign(
            id=f"lib-{cell.id}",
            name=cell.name,
            format=cell.format,
            reference_cell=cell.id,
            pybamm_parameter_set=cell.pybamm_parameter_set,
        )

    def snapshot_for(self, design: CellDesign, pack: PackDesign | None = None) -> DesignSnapshot:
        """The design (and pack) with the reference cell and every material they name."""
        from cellwright.projects.design.materials import design_material_ids, pack_material_ids

        names = design_material_ids(design)
        if pack is not None:
            names |= pack_material_ids(pack)
        materials = {n: self.material(n) for n in sorted(names)}
        ref = self.cell(design.reference_cell) if design.reference_cell else None
        return DesignSnapshot(
            cell=design,
            pack=pack,
            reference_cell=ref,
            materials=materials,
            library_version=self.version,
        )

    def __len__(self) -> int:
        return len(self._materials) + len(self._cells)


def _unknown(what: str, key: str, known: dict) -> str:
    close = difflib.get_close_matches(key, list(known), n=3, cutoff=0.5)
    hint = f"; did you mean {', '.join(close)}?" if close else ""
    return f"no {what} {key!r} in the library{hint}"


@lru_cache(maxsize=1)
def _builtin() -> Library:
    return Library.load(_default_folder())


def pybamm_parameter_sets() -> list[str]:
    """Names of the parameter sets the installed PyBaMM offers (read without importing it)."""
    return sorted(ep.name for ep in metadata.entry_points(group="pybamm_parameter_sets"))


def lithium_ion_parameter_sets() -> tuple[str, ...]:
    """Names of the installed PyBaMM's lithium-ion parameter sets, the ones a cell design can
    be modelled by (PyBaMM also ships lead-acid, sodium-ion and ECM sets), read without
    importing it."""
    sets = metadata.entry_points(group="pybamm_parameter_sets")
    return tuple(sorted(ep.name for ep in sets if ".lithium_ion." in ep.value))


def attach_parameter_set(cell: ReferenceCell, name: str) -> ReferenceCell:
    """A copy of ``cell`` modelled by PyBaMM parameter set ``name``."""
    known = pybamm_parameter_sets()
    if name not in known:
        raise InputError(f"unknown PyBaMM parameter set {name!r}; known: {', '.join(known)}")
    return cell.model_copy(update={"pybamm_parameter_set": name})
