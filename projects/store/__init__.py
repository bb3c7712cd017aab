"""The project file: one SQLite database per project (docs/architecture.md, "The project file")."""

from cellwright.projects.store.project import (
    KINDS,
    AmbiguousNameError,
    NotInProjectError,
    Project,
    ProjectError,
    ResultInfo,
)
from cellwright.projects.store.schema import APPLICATION_ID, SCHEMA_VERSION
from cellwright.projects.store.working_copy import (
    RecoveryEntry,
    WorkingCopy,
    discard_recovered,
    new_for_editing,
    open_for_editing,
    recoverable_projects,
)

__all__ = [
    "APPLICATION_ID",
    "KINDS",
    "SCHEMA_VERSION",
    "AmbiguousNameError",
    "NotInProjectError",
    "Project",
    "ProjectError",
    "RecoveryEntry",
    "ResultInfo",
    "WorkingCopy",
    "discard_recovered",
    "new_for_editing",
    "open_for_editing",
    "recoverable_projects",
]
