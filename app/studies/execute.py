"""Running a design study and storing each point as it finishes.

The study and all its drawn points (pending) are stored before the first run, so an interrupted
study — cancelled, killed, its cluster lost — resumes with exactly the points that are not done:
:func:`run_design_study` on a study that is already stored runs only those. Each finished point
is one transaction (its result with provenance, and the point with its outputs), so whatever
stops the study, every point it finished is kept. A point whose values the design refuses, or
whose run fails, is stored as failed with its error; the others go on.

A study run ``fresh`` starts again from scratch in place: it is checked on the base design as it
is now, and only then, in the one transaction that stores it with its new fingerprint and its
points drawn again, are its old points and their runs deleted; a study refused on the way keeps
every old point.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from cellwright.app.studies.backends import StudyInterrupted
from cellwright.app.studies.fingerprint import check_fingerprint
from cellwright.app.studies.point import PointOutcome
from cellwright.app.studies.samplers import draw_points
from cellwright.app.studies.validate import as_started, base_snapshot, check_study
from cellwright.projects.model import (
    DesignSnapshot,
    DesignStudy,
    InputError,
    PointStatus,
    StudyPoint,
    point_id,
)

__all__ = [
    "StudyProgress",
    "discard_points",
    "discarded_text",
    "load_points",
    "run_design_study",
    "store_outcome",
    "stored_study",
    "study_steps",
    "unchecked_note",
]


@dataclass
class StudyProgress:
    """How far a study is; handed to the caller after every finished point."""

    total: int
    done: int = 0
    failed: int = 0
    last: StudyPoint | None = None
    failures: list[StudyPoint] = field(default_factory=list)
    note: str = ""
    #: points done or failed that a fresh run deleted before it started
    discarded: int = 0

    @property
    def finished(self) -> int:
        """Points done or failed."""
        return self.done + self.failed


def load_points(project, study: DesignStudy) -> list[StudyPoint]:
    """The stored points of ``study``, in index order."""
    return project.list("study_point", id_prefix=f"{study.id}.")


def new_point(study: DesignStudy, index: int, values: dict[str, Any]) -> StudyPoint:
    """A pending point of ``study``."""
    return StudyPoint(
        id=point_id(study.id, index), name=f"{study.name} #{index}", study=study.id,
        index=index, values=values,
    )  # fmt: skip


def store_outcome(project, study: DesignStudy, point: StudyPoint, outcome: PointOutcome):
    """Store a finished point (and its result) in one transaction; return the stored point."""
    update: dict[str, Any] = {
        "status": PointStatus.DONE if outcome.ok else PointStatus.FAILED,
        "error": outcome.error,
        "wall_time": outcome.wall_time,
        "worker": outcome.worker,
        "finished_at": datetime.now(UTC),
        "outputs": {},
        "result": "",
    }
    with project.transaction():
        if outcome.ok and outcome.result is not None:
            result = outcome.result
            result.study_id = study.id
            result.name = point.name
            project.put_result(result)
            update["result"] = result.id
            update["outputs"] = outcome.outputs
        if point.result and point.result != update["result"]:  # a retried point's old run
            project.delete_result(point.result)
        stored = point.model_copy(update=update)
        project.put(stored)
    return stored


def stored_study(
    project, study: DesignStudy, snapshot: DesignSnapshot, fresh: bool = False
) -> DesignStudy | None:
    """The stored ``study`` when this run resumes it (refused when its base design changed
    since it started; not checked when it starts ``fresh``), None on its first run."""
    try:
        stored = project.get("design_study", study.id)
    except InputError:
        return None
    if not fresh:
        check_fingerprint(stored, snapshot)
    return stored


def discard_points(project, study: DesignStudy) -> int:
    """Delete the stored points of ``study`` with their runs and the sensitivity computed from
    them; return how many had finished (done or failed).

    Call it inside the transaction that stores the study afresh, so that a failure leaves the
    old points as they were. Only the points' own results are deleted, never every result
    filed under the study's id, which a single study of the same id could share.
    """
    from cellwright.app.studies.insight import sensitivity_id

    old = load_points(project, study)
    for point in old:
        if point.result:
            project.delete_result(point.result)
        project.delete("study_point", point.id)
    if any(r.id == sensitivity_id(study) for r in project.results(study.id)):
        project.delete_result(sensitivity_id(study))
    return sum(p.status in (PointStatus.DONE, PointStatus.FAILED) for p in old)


def unchecked_note(study: DesignStudy) -> str:
    """What a resume says of a study stored before base-design fingerprints were kept."""
    if study.base_fingerprint:
        return ""
    return (f"note: design study {study.name!r} was stored before studies kept a fingerprint "
            "of their base design; edits to the design since it started cannot be detected, "
            "so it resumes unchecked")  # fmt: skip


def discarded_text(study: DesignStudy, progress: StudyProgress) -> str:
    """What a fresh run of ``study`` says once it has started (``progress`` its first step)."""
    points = "point" if progress.discarded == 1 else "points"
    return (f"{study.name}: discarded {progress.discarded} finished {points} and the stored "
            f"base-design fingerprint; running all {progress.total} points again on the base "
            "design as it is now")  # fmt: skip


def _prepare(
    project, study: DesignStudy, snapshot: DesignSnapshot, fresh: bool = False
) -> tuple[list[StudyPoint], str, int]:
    """Store the study and its drawn points on the first run (or ``fresh``, in place of its
    old ones); return the stored points, a note for the user (empty but for a study too old to
    be checked on resume) and how many finished points were discarded."""
    # an edited base design is the telling reason first: the edit may also have left a varied
    # field unset, which the field check would name without saying why
    stored = stored_study(project, study, snapshot, fresh)
    infos = check_study(study, snapshot)
    if stored is not None and not fresh:
        return load_points(project, stored), unchecked_note(stored), 0
    study = as_started(study, infos, snapshot)
    points = [] if study.optimises else [
        new_point(study, k, values) for k, values in enumerate(draw_points(study))
    ]  # fmt: skip
    with project.transaction():
        discarded = discard_points(project, stored) if stored is not None else 0
        project.put(study)
        for point in points:
            project.put(point)
    return points, "", discarded


def run_design_study(
    project,
    study: DesignStudy,
    backend,
    on_point: Callable[[StudyProgress], None] | None = None,
    snapshot: DesignSnapshot | None = None,
    retry_failed: bool = True,
    fresh: bool = False,
) -> StudyProgress:
    """Run every point of ``study`` that is not done, storing each as it finishes.

    Parameters
    ----------
    project
        The open project; the study, its points and their results are stored in it.
    study
        The study (stored on the first run; a stored study resumes).
    backend
        An :class:`~cellwright.app.studies.backends.InlineBackend` or ``DaskBackend``.
    on_point
        Told the progress after each finished point (streaming results).
    snapshot
        The base design, when not the one the study's design reference resolves to.
    retry_failed
        Run failed points again (a resume after the cause was fixed); else keep them failed.
    fresh
        Start a stored study again from scratch on the base design as it is now: its finished
        points and its base-design fingerprint are discarded (``progress.discarded`` says how
        many points), in the transaction that stores it afresh, after it has been checked.

    Raises
    ------
    InputError
        The study is refused before any run (a field that does not exist, a range outside what
        the field allows …); nothing is stored.
    StudyInterrupted
        Cancelled, or the cluster was lost; finished points are stored.
    """
    progress = StudyProgress(total=0)
    for step in study_steps(project, study, backend, on_point, snapshot, retry_failed, fresh):
        progress = step
    return progress


def study_steps(
    project,
    study: DesignStudy,
    backend,
    on_point: Callable[[StudyProgress], None] | None = None,
    snapshot: DesignSnapshot | None = None,
    retry_failed: bool = True,
    fresh: bool = False,
) -> Iterator[StudyProgress]:
    """:func:`run_design_study` one step at a time: yields the progress each time it is about
    to wait for the backend's next outcome.

    A caller that must not block (the window) resumes the generator only when the backend has
    an outcome ready (:class:`~cellwright.app.studies.threaded.ThreadedBackend`), so the
    project is only ever written on the caller's thread. Raises as :func:`run_design_study`.
    """
    if study.optimises:
        from cellwright.app.studies.optimise import optimisation_steps

        yield from optimisation_steps(project, study, backend, on_point, snapshot, fresh)
        return
    snapshot = base_snapshot(study, project, snapshot)
    points, note, discarded = _prepare(project, study, snapshot, fresh)
    progress = StudyProgress(total=len(points), note=note, discarded=discarded)
    todo = []
    for point in points:
        if point.status == PointStatus.DONE or (
            point.status == PointStatus.FAILED and not retry_failed
        ):
            progress.done += point.status == PointStatus.DONE
            progress.failed += point.status == PointStatus.FAILED
            continue
        todo.append(point)
    by_index = {p.index: p for p in todo}
    backend.start(study.engine, study.spec, snapshot)
    for point in todo:
        backend.submit(point.index, point.values)
    try:
        while backend.in_flight:
            yield progress
            outcome = backend.next_outcome()
            stored = store_outcome(project, study, by_index[outcome.index], outcome)
            _count(progress, stored)
            if on_point is not None:
                on_point(progress)
    except (KeyboardInterrupt, StudyInterrupted) as exc:
        backend.cancel()
        if isinstance(exc, KeyboardInterrupt):
            raise StudyInterrupted(_stopped(study, progress, "interrupted")) from None
        raise StudyInterrupted(_stopped(study, progress, exc.detail)) from None
    yield progress


def _count(progress: StudyProgress, point: StudyPoint) -> None:
    progress.last = point
    if point.status == PointStatus.DONE:
        progress.done += 1
    else:
        progress.failed += 1
        progress.failures.append(point)


def _stopped(study: DesignStudy, progress: StudyProgress, why: str) -> str:
    return (
        f"study {study.name!r} stopped ({why}) after {progress.finished} of {progress.total} "
        f"points; they are stored. Resume with: cellwright study resume {study.name!r} "
        "--project <project>"
    )
