"""A study through a real ``dask scheduler`` and two ``dask worker`` processes on loopback.

Also: a worker killed mid-study (its point is rescheduled on the other worker, nothing is lost),
every worker gone (the study stops with finished points kept, and resumes when workers are back),
and an unreachable scheduler (a clear message, nothing stored).
"""

from __future__ import annotations

import threading

import pytest

from cellwright.app.studies.backends import DaskBackend, StudyInterrupted
from cellwright.app.studies.execute import load_points, run_design_study
from cellwright.projects.model import InputError
from cellwright.projects.store import Project
from support.dask_cluster import Cluster, task_dependencies
from support.studies import m50_project, rate_study, thickness_study


@pytest.fixture
def cluster(tmp_path):
    cluster = Cluster(tmp_path)
    try:
        cluster.add_worker()
        cluster.add_worker()
        cluster.wait_for_workers(2)
        yield cluster
    finally:
        cluster.stop()


def test_a_study_runs_through_a_real_scheduler_and_two_workers(cluster, tmp_path) -> None:
    path = m50_project(tmp_path / "p.cwproj")
    study = rate_study(points=6)  # one model build per worker, then one solve per point
    backend = DaskBackend(address=cluster.address)
    assert backend.slots == 2
    graphs = []

    def record_graph(progress) -> None:
        if not graphs:  # every point task depends on the one scattered copy of the base inputs
            graphs.append(task_dependencies(backend.client))

    with Project.open(path) as project:
        try:
            progress = run_design_study(project, study, backend, record_graph)
            base_key = backend._base.key
            holders = backend.client.who_has([backend._base])[base_key]
        finally:
            backend.close()
        points = load_points(project, study)
    assert progress.done == 6 and progress.failed == 0
    assert holders  # scattered once, kept by the cluster; tasks refer to it by key
    point_tasks = {k: deps for k, deps in graphs[0].items() if str(k).startswith("cw-point-")}
    assert point_tasks and all(deps == [base_key] for deps in point_tasks.values())
    assert len({p.worker for p in points}) == 2  # both workers ran points
    assert all(p.result and p.outputs["Discharge capacity [A.h]"] > 3.0 for p in points)


@pytest.mark.slow  # a cluster of its own and a 6-point thickness study (about 30 s)
def test_a_worker_killed_mid_study_loses_no_point(cluster, tmp_path) -> None:
    path = m50_project(tmp_path / "p.cwproj")
    study = thickness_study(points=8, name="killed worker")
    backend = DaskBackend(address=cluster.address)
    killed = threading.Event()

    def kill_one(progress) -> None:
        if not killed.is_set():  # after the first finished point, one worker dies
            killed.set()
            Cluster.kill(cluster.workers[0])

    with Project.open(path) as project:
        try:
            progress = run_design_study(project, study, backend, kill_one)
        finally:
            backend.close()
        points = load_points(project, study)
    assert killed.is_set() and progress.done == 8
    assert all(p.status == "done" for p in points)


@pytest.mark.slow  # two clusters' worth of starts and a 6-point study (about 40 s)
def test_with_every_worker_gone_the_study_stops_and_resumes_later(cluster, tmp_path) -> None:
    path = m50_project(tmp_path / "p.cwproj")
    study = thickness_study(points=6, name="no workers")
    backend = DaskBackend(address=cluster.address, worker_wait=3.0)

    def kill_all(progress) -> None:
        if progress.finished == 1:
            for worker in cluster.workers:
                Cluster.kill(worker)

    with Project.open(path) as project:
        with pytest.raises(
            StudyInterrupted,
            match=r"no workers for 3 s; start workers, then resume\) after \d of 6 points; "
            r"they are stored",
        ):
            try:
                run_design_study(project, study, backend, kill_all)
            finally:
                backend.close()
        done = [p for p in load_points(project, study) if p.status == "done"]
        assert 1 <= len(done) < 6
        cluster.add_worker()
        cluster.wait_for_workers(1)
        backend = DaskBackend(address=cluster.address)
        try:
            progress = run_design_study(project, project.get("design_study", study.id), backend)
        finally:
            backend.close()
        assert progress.done == 6
        assert len(project.results()) == 6


def test_an_unreachable_scheduler_is_a_clear_message(tmp_path) -> None:
    with pytest.raises(InputError, match=r"cannot reach the Dask scheduler at "
                                         r"tcp://127.0.0.1:9 within 2 s"):  # fmt: skip
        DaskBackend(address="tcp://127.0.0.1:9", timeout=2.0)
