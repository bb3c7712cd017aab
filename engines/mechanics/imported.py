"""A structural model of an imported geometry: every volume group gets its library material."""

from __future__ import annotations

from cellwright.engines.mechanics.cell_properties import elastic_constants
from cellwright.engines.mechanics.materials import ElasticMaterial
from cellwright.engines.mechanics.setup import StructuralProblem, model_from_mesh
from cellwright.projects.model import DesignSnapshot, ImportedGeometry, InputError

__all__ = ["imported_structure"]


def imported_structure(geometry: ImportedGeometry, design: DesignSnapshot) -> StructuralProblem:
    """Mesh (or read) ``geometry`` and assign the materials it names.

    Raises
    ------
    InputError
        A volume group without a material, a material group that does not exist, a material
        without elastic constants.
    """
    from cellwright.engines.mesh.imported import read_imported

    mesh = read_imported(geometry)
    problem = model_from_mesh(mesh)
    model = problem.model
    regions = sorted(model.regions)
    unknown = sorted(set(geometry.materials) - set(regions) - {"*"})
    if unknown:
        raise InputError(
            f"spec.geometry.materials: no volume group {', '.join(map(repr, unknown))} in "
            f"{geometry.file}; volume groups: {', '.join(regions)}"
        )
    for name in regions:
        material_id = geometry.materials.get(name, geometry.materials.get("*"))
        if material_id is None:
            raise InputError(
                f"spec.geometry.materials: volume group {name!r} of {geometry.file} has no "
                "material (name it, or give '*' for every unnamed group)"
            )
        e, nu, rho = elastic_constants(
            design.materials, material_id, f"spec.geometry.materials.{name}"
        )
        model.set_material(name, ElasticMaterial.isotropic(e, nu, rho, name=material_id))
        problem.add_sn_curve(name, design.materials[material_id])
    problem.quality = (
        f"{len(mesh.cells['tetra'])} tetrahedra, {mesh.points.shape[0]} nodes from {geometry.file}"
    )
    return problem
