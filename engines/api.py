"""The engine plug-in contract, progress reporting, cancellation and the engine registry.

An engine is a class with ``id``, ``title``, ``version``, ``Spec`` (a pydantic model),
``validate(spec, design)`` and ``run(spec, design, progress, workdir) -> Result``. Engines are
found through the entry-point group ``cellwright.engines``; the module an entry point names is
imported only when that engine is first used, so listing engines costs no heavy imports.
"""

from __future__ import annotations

import importlib.metadata as metadata
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, ClassVar, Protocol, runtime_checkable

from pydantic import BaseModel, ValidationError

from cellwright.projects.model import (
    DesignSnapshot,
    InputError,
    Result,
    describe_validation_error,
    spec_hash,
)
from cellwright.projects.model.errors import FINITE, nonfinite_numbers

__all__ = [
    "ENTRY_POINT_GROUP",
    "Cancelled",
    "Engine",
    "EngineError",
    "EngineInfo",
    "EngineListing",
    "Progress",
    "ProgressEvent",
    "available_engines",
    "list_engines",
    "load_engine",
    "parse_spec",
    "run_study",
    "spec_schema",
]

ENTRY_POINT_GROUP = "cellwright.engines"


class Cancelled(Exception):
    """Raised inside an engine when the user cancelled the run."""


class EngineError(RuntimeError):
    """An engine could not do what was asked; the message is meant for the user.

    Parameters
    ----------
    message
        What went wrong, in the user's terms.
    partial
        What was computed before the failure, if anything (kept with status ``partial``).
    """

    def __init__(self, message: str, partial: Result | None = None) -> None:
        super().__init__(message)
        self.partial = partial


@dataclass(frozen=True)
class ProgressEvent:
    """One progress report: fraction done (0–1, or None if unknown), a message, partial results."""

    fraction: float | None
    message: str
    partial: Result | None = None


class Progress:
    """Progress reporting and cancellation, handed to :meth:`Engine.run`.

    Parameters
    ----------
    report
        Called with each :class:`ProgressEvent`; the runner forwards it to the UI or the log.
    is_cancelled
        Returns True once the user asked to cancel. Engines call :meth:`check` (or read
        :attr:`cancelled`) at least once a second.
    """

    def __init__(
        self,
        report: Callable[[ProgressEvent], None] | None = None,
        is_cancelled: Callable[[], bool] | None = None,
    ) -> None:
        self._report = report
        self._is_cancelled = is_cancelled
        self.last: ProgressEvent = ProgressEvent(0.0, "")

    def update(
        self, fraction: float | None = None, message: str = "", partial: Result | None = None
    ) -> None:
        """Report how far the run is; raises :class:`Cancelled` if the user cancelled."""
        if fraction is not None:
            fraction = min(max(float(fraction), 0.0), 1.0)
        self.last = ProgressEvent(fraction, message or self.last.message, partial)
        if self._report is not None:
            self._report(self.last)
        self.check()

    @property
    def cancelled(self) -> bool:
        """True once the user asked to cancel."""
        return bool(self._is_cancelled and self._is_cancelled())

    def check(self) -> None:
        """Raise :class:`Cancelled` if the user asked to cancel."""
        if self.cancelled:
            raise Cancelled("cancelled by the user")


@runtime_checkable
class Engine(Protocol):
    """What every engine provides (docs/architecture.md, "The engine plug-in contract")."""

    id: ClassVar[str]
    title: ClassVar[str]
    version: ClassVar[str]
    Spec: ClassVar[type[BaseModel]]
    #: distributions whose versions go into result provenance
    libraries: ClassVar[tuple[str, ...]]

    def validate(self, spec: Any, design: DesignSnapshot) -> None:
        """Raise :class:`cellwright.projects.model.InputError` if the study cannot run, before heavy
        work."""

    def run(self, spec: Any, design: DesignSnapshot, progress: Progress, workdir: Path) -> Result:
        """Compute and return the result."""


@dataclass(frozen=True)
class EngineInfo:
    """An engine known from its entry point, before its module is imported."""

    id: str
    target: str
    distribution: str


def available_engines() -> dict[str, EngineInfo]:
    """Every engine declared in the ``cellwright.engines`` entry-point group, by id."""
    found: dict[str, EngineInfo] = {}
    for ep in metadata.entry_points(group=ENTRY_POINT_GROUP):
        dist = ep.dist.name if ep.dist is not None else ""
        found[ep.name] = EngineInfo(ep.name, ep.value, dist)
    return dict(sorted(found.items()))


_loaded: dict[str, type] = {}


def load_engine(engine_id: str) -> type[Engine]:
    """The engine class for ``engine_id``, importing its module on first use.

    Raises
    ------
    InputError
        If no engine has that id; the message lists the ids that exist.
    EngineError
        If the engine's module cannot be imported or its class breaks the contract (a broken
        plug-in); the message names the entry point and its distribution.
    """
    if engine_id in _loaded:
        return _loaded[engine_id]
    engines = available_engines()
    if engine_id not in engines:
        known = ", ".join(engines) or "(none installed)"
        raise InputError(f"unknown engine {engine_id!r}; available engines: {known}")
    ep = next(e for e in metadata.entry_points(group=ENTRY_POINT_GROUP) if e.name == engine_id)
    origin = f"{ep.value} (from {engines[engine_id].distribution or 'an unknown distribution'})"
    try:
        cls = ep.load()
    except Exception as exc:  # a broken plug-in must not take the program down with it
        raise EngineError(
            f"engine {engine_id!r} could not be loaded from {origin}: {type(exc).__name__}: {exc}"
        ) from exc
    missing = [name for name in _CONTRACT if not hasattr(cls, name)]
    if missing:
        raise EngineError(
            f"engine {engine_id!r} at {origin} lacks {', '.join(missing)} of the engine contract"
        )
    if cls.id != engine_id:
        raise EngineError(f"entry point {engine_id!r} loads {origin} whose id is {cls.id!r}")
    _loaded[engine_id] = cls
    return cls


#: what :func:`load_engine` checks an engine class has (see :class:`Engine`)
_CONTRACT = ("id", "title", "version", "Spec", "validate", "run")


@dataclass(frozen=True)
class EngineListing:
    """An installed engine as a list shows it: its title, or why it cannot be used."""

    id: str
    title: str
    distribution: str
    error: str = ""

    @property
    def available(self) -> bool:
        """True when the engine loaded."""
        return not self.error


def list_engines() -> list[EngineListing]:
    """Every installed engine, loaded; a plug-in that fails to load is listed with its error
    instead of stopping the others."""
    out = []
    for engine_id, info in available_engines().items():
        try:
            out.append(EngineListing(engine_id, load_engine(engine_id).title, info.distribution))
        except EngineError as exc:
            out.append(EngineListing(engine_id, engine_id, info.distribution, str(exc)))
    return out


def spec_schema(engine_id: str) -> dict[str, Any]:
    """The JSON Schema of an engine's spec (the GUI builds the study form from it)."""
    return load_engine(engine_id).Spec.model_json_schema()


def parse_spec(engine: type[Engine], data: dict[str, Any], where: str | None = None) -> Any:
    """Validate plain spec data against the engine's ``Spec``; clear error naming the field."""
    try:
        spec = engine.Spec.model_validate(data)
    except ValidationError as exc:
        raise describe_validation_error(exc, where, prefix="spec") from None
    for loc, number in nonfinite_numbers(spec):  # a field without bounds took nan silently
        field = ".".join(["spec", *map(str, loc)])
        raise InputError(f"{field}: {FINITE} (got {number})", where)
    return spec


@lru_cache(maxsize=64)
def _installed_versions(names: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    versions = {}
    for name in ("cellwright", *names):
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return tuple(versions.items())


def _library_versions(names: tuple[str, ...]) -> dict[str, str]:
    """Versions of cellwright and the engine's libraries (looked up once per process)."""
    return dict(_installed_versions(tuple(names)))


def run_study(
    engine_id: str,
    spec_data: dict[str, Any],
    design: DesignSnapshot,
    progress: Progress | None = None,
    workdir: Path | None = None,
) -> Result:
    """Validate and run one study, and fill in the result's provenance.

    This is what every runner (inline, worker process, Dask) calls in the end.
    """
    engine_cls = load_engine(engine_id)
    spec = parse_spec(engine_cls, spec_data)
    engine = engine_cls()
    engine.validate(spec, design)
    progress = progress or Progress()
    workdir = Path(workdir) if workdir is not None else Path.cwd()
    started = time.perf_counter()
    result = engine.run(spec, design, progress, workdir)
    prov = result.provenance
    prov.engine_id = engine_cls.id
    prov.engine_version = engine_cls.version
    prov.spec_hash = spec_hash(spec.model_dump(mode="json"))
    prov.library_versions = _library_versions(getattr(engine_cls, "libraries", ()))
    if design.library_version:
        prov.library_versions["cellwright-library"] = design.library_version
    prov.wall_time = time.perf_counter() - started
    return result
