"""Making a report in a worker process, for the window: the PDF, the HTML and page previews.

The report renders 3D fields off-screen with VTK and lays out the PDF (seconds of CPU), so the
window hands it to its own process (spawned: a fork of a process with Qt and a GL context is not
safe) and polls :attr:`ReportBuild.progress` from a timer, as it does for jobs. The worker writes
``report.pdf``, ``report.html`` and ``page-N.png`` (the PDF's pages rasterised by PDFium) into a
scratch folder; saving copies the chosen one, so what was previewed is what is saved. Qt-free.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = ["ReportBuild", "ReportRequest", "render_pages", "start_report_build"]


@dataclass(frozen=True)
class ReportRequest:
    """What to report: project file, design, studies (None: all of it), variants, template,
    and whether the design's design studies are in it."""

    project: Path
    design: str
    folder: Path
    studies: tuple[str, ...] | None = None
    compare: tuple[str, ...] = ()
    template: Path | None = None
    design_studies: bool = True


@dataclass
class ReportBuild:
    """A running (or finished) report build; read it from any thread."""

    request: ReportRequest
    progress: tuple[float, str] = (0.0, "starting")
    error: str = ""
    pages: list[Path] = field(default_factory=list)
    _done: threading.Event = field(default_factory=threading.Event, repr=False)
    _process: Any = field(default=None, repr=False)

    @property
    def done(self) -> bool:
        """True once the build finished, well or not (see :attr:`error`)."""
        return self._done.is_set()

    @property
    def pdf(self) -> Path:
        """The PDF made (valid once done without error)."""
        return self.request.folder / "report.pdf"

    @property
    def html(self) -> Path:
        """The HTML made from the same content."""
        return self.request.folder / "report.html"

    def wait(self, timeout: float | None = None) -> bool:
        """Block until done (tests); True if it finished in time."""
        return self._done.wait(timeout)

    def cancel(self) -> None:
        """Stop the worker; the build ends with the error "cancelled"."""
        if self._process is not None and self._process.is_alive():
            self.error = "cancelled"
            self._process.terminate()


def render_pages(pdf: Path, folder: Path, scale: float = 1.0) -> list[Path]:
    """Every page of ``pdf`` as ``page-N.png`` in ``folder`` (PDFium, 72 dpi × ``scale``)."""
    import pypdfium2

    document = pypdfium2.PdfDocument(str(pdf))
    try:
        pages = []
        for k in range(len(document)):
            path = folder / f"page-{k + 1:03d}.png"
            document[k].render(scale=scale).to_pil().save(path)
            pages.append(path)
        return pages
    finally:
        document.close()


def _build_in_worker(request: ReportRequest, queue: Any) -> None:
    from cellwright.app.report.render import build_report, render_html, write_html_and_pdf
    from cellwright.projects.store import Project

    def progress(fraction: float, message: str) -> None:
        queue.put(("progress", (0.85 * fraction, message)))

    try:
        with Project.open(request.project, readonly=True) as project:
            studies = list(request.studies) if request.studies is not None else None
            content = build_report(project, request.design, studies, request.compare, progress,
                                   request.design_studies)  # fmt: skip
        queue.put(("progress", (0.85, "laying out the pages")))
        html = render_html(content, request.template)
        write_html_and_pdf(html, request.folder / "report.html", request.folder / "report.pdf")
        queue.put(("progress", (0.95, "drawing the preview")))
        pages = render_pages(request.folder / "report.pdf", request.folder)
        queue.put(("done", [str(p) for p in pages]))
    except BaseException as exc:  # reported to the window, which stays usable
        from cellwright.projects.model import InputError

        text = str(exc) if isinstance(exc, InputError) else f"{type(exc).__name__}: {exc}"
        queue.put(("error", text))


def start_report_build(request: ReportRequest) -> ReportBuild:
    """Make the report of ``request`` in a new process; returns at once."""
    from cellwright.app.worker_process import start_worker

    request.folder.mkdir(parents=True, exist_ok=True)
    build = ReportBuild(request)

    def receive(kind: str, payload: Any) -> None:
        if kind == "progress":
            build.progress = payload
        elif kind == "done":
            build.pages = [Path(p) for p in payload]
            build.progress = (1.0, "ready")
        else:
            build.error = build.error or payload  # "cancelled" stays what it was

    build._process = start_worker(_build_in_worker, (request,), "cellwright-report", receive,
                                  build._done.set)  # fmt: skip
    return build
