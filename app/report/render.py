"""Writing a design report: content, pictures, the Jinja2 template, then HTML or PDF.

The template is a folder (or one ``.html.j2`` file in one) that a user copies from
``resources/report`` and edits: ``report.html.j2`` with its ``report.css`` beside it. The PDF is
WeasyPrint's paged rendering of the very HTML the template produced, so both say the same.
Errors name the template file and line (:class:`TemplateError`), the output path, or the
missing piece; nothing is written unless the whole report could be made.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path

from cellwright.projects.model import InputError
from cellwright.projects.userfiles import read_text

__all__ = [
    "DEFAULT_TEMPLATE",
    "TemplateError",
    "build_report",
    "render_html",
    "write_html_and_pdf",
    "write_report",
]

Progress = Callable[[float, str], None]


def _default_template() -> Path:
    from cellwright.resources import ROOT

    return ROOT / "report" / "report.html.j2"


DEFAULT_TEMPLATE = _default_template()


class TemplateError(InputError):
    """A report template that cannot be read or rendered; names the file and line."""


def _template_path(template: str | Path | None) -> Path:
    path = Path(template) if template is not None else DEFAULT_TEMPLATE
    if path.is_dir():
        path = path / "report.html.j2"
    if not path.is_file():
        raise TemplateError("no such template file", str(path))
    return path


def render_html(content, template: str | Path | None = None) -> str:
    """The report's HTML from ``content`` (:class:`ReportContent`) and the template."""
    import jinja2

    from cellwright.app.report.content import money, number, unit_shown

    path = _template_path(template)
    env = jinja2.Environment(
        loader=jinja2.FunctionLoader(partial(_template_source, path.parent)),
        autoescape=jinja2.select_autoescape(["html", "j2"]),
        undefined=jinja2.StrictUndefined,
    )
    env.filters["num"] = number
    env.filters["usd"] = money
    env.filters["unit"] = unit_shown
    try:
        css_path = path.parent / "report.css"
        css = read_text(css_path, "report style sheet") if css_path.is_file() else ""
        return env.get_template(path.name).render(c=content, css=css)
    except InputError:  # a template or style sheet that is not text: said as such already
        raise
    except jinja2.TemplateSyntaxError as exc:
        where = f"{exc.filename or path}:{exc.lineno}"
        raise TemplateError(f"template syntax error: {exc.message}", where) from None
    except (jinja2.UndefinedError, TypeError, AttributeError, KeyError, ValueError) as exc:
        raise TemplateError(f"template error: {exc}", _failing_line(exc, path)) from None
    except jinja2.TemplateNotFound as exc:
        raise TemplateError(f"the template includes {exc.name!r}, which is not there",
                            str(path)) from None  # fmt: skip


def _template_source(folder: Path, name: str) -> tuple[str, str, Callable[[], bool]] | None:
    """A template of ``folder`` read as every user's text file is (UTF-16 with a byte-order
    mark too; Latin-1 or binary data refused naming line and byte): jinja's own loader took
    UTF-8 only and said "'utf-8' codec can't decode byte 0xff in position 0"."""
    import jinja2.loaders

    file = folder.joinpath(*jinja2.loaders.split_template_path(name))  # no ".." out of folder
    if not file.is_file():
        return None
    return read_text(file, "report template"), str(file), lambda: True


def _failing_line(exc: BaseException, path: Path) -> str:
    """file:line of the innermost frame of a template in ``exc``'s traceback."""
    import traceback

    found = str(path)
    for frame in traceback.extract_tb(exc.__traceback__):
        if frame.filename.endswith((".j2", ".html")):
            found = f"{frame.filename}:{frame.lineno}"
    return found


def build_report(
    project,
    design: str,
    studies: list[str] | None = None,
    compare: list[str] = (),
    progress: Progress | None = None,
    design_studies: bool = True,
):
    """Gather the content and make its pictures (charts, curves, 3D fields) with progress;
    ``design_studies=False`` leaves the design's design studies out."""
    from cellwright.app.report.content import gather
    from cellwright.app.report.illustrate import illustrate

    report = progress or (lambda _f, _m: None)
    report(0.0, "gathering figures, cost, studies, lab data and passports")
    content = gather(project, design, studies, compare, design_studies)
    illustrate(content, lambda f, m: report(0.1 + 0.8 * f, m))
    return content


def write_report(
    project_path: str | Path,
    design: str,
    out: str | Path,
    template: str | Path | None = None,
    studies: list[str] | None = None,
    compare: list[str] = (),
    progress: Progress | None = None,
    design_studies: bool = True,
) -> Path:
    """Make the report of ``design`` and write it to ``out`` (``.pdf`` or ``.html``); with
    ``design_studies=False`` without the design's design studies.

    Raises
    ------
    InputError
        The output path cannot be written (checked first), the template fails (file and line),
        or the project or design cannot be opened.
    """
    from cellwright.projects.store import Project
    from cellwright.projects.userfiles import check_writable

    out = Path(out)
    suffix = out.suffix.lower()
    check_writable(out, "report")  # first: a folder named "x.pdf" is a folder, not a suffix
    if suffix not in (".pdf", ".html", ".htm"):
        raise InputError("the report is written as .pdf or .html", str(out))
    _template_path(template)  # a missing template is an error before any work
    _probe_writable(out)
    report = progress or (lambda _f, _m: None)
    with Project.open(project_path, readonly=True) as project:
        content = build_report(project, design, studies, compare, report, design_studies)
    report(0.9, "laying out the report")
    html = render_html(content, template)
    if suffix == ".pdf":
        write_html_and_pdf(html, None, out)
    else:
        write_html_and_pdf(html, out, None)
    report(1.0, f"wrote {out}")
    return out


def _probe_writable(out: Path) -> None:
    """Create and remove the file the report is first written to, so a folder that refuses it
    (read-only, or /sys, which permission bits let root think writable) is an error before
    the minutes of work, not after."""
    from cellwright.projects.userfiles import describe_os_error

    tmp = out.with_name(out.name + ".part")
    try:
        tmp.open("xb").close()
    except FileExistsError:
        return  # a leftover of a failed write: it is replaced then
    except OSError as exc:
        raise InputError(f"cannot write the report: {describe_os_error(exc)}", str(out)) from None
    tmp.unlink(missing_ok=True)


def write_html_and_pdf(html: str, html_path: Path | None, pdf_path: Path | None) -> None:
    """Write the HTML and/or its PDF (WeasyPrint); each goes beside its path first and is
    renamed, so a failed write leaves no half report."""
    from cellwright.projects.userfiles import describe_os_error

    pdf_maker = _weasyprint_html(pdf_path) if pdf_path is not None else None
    for out in (p for p in (html_path, pdf_path) if p is not None):
        tmp = out.with_name(out.name + ".part")
        try:
            if out is pdf_path:
                pdf_maker(string=html, base_url=str(out.parent)).write_pdf(tmp)
            else:
                tmp.write_text(html, encoding="utf-8")
            tmp.replace(out)
        except OSError as exc:
            tmp.unlink(missing_ok=True)
            raise InputError(
                f"cannot write the report: {describe_os_error(exc)}", str(out)
            ) from None


def _weasyprint_html(pdf_path: Path):
    """WeasyPrint's HTML class; without its system libraries (Pango) a clear error, not a
    traceback from the dynamic loader."""
    try:
        from weasyprint import HTML
    except OSError as exc:
        raise InputError(
            f"a PDF needs Pango for WeasyPrint ({exc}); install libpango-1.0-0 and "
            "libpangoft2-1.0-0 (.ci/run does), or write the report as .html",
            str(pdf_path),
        ) from None
    return HTML
