"""Design reports: a project's design, cost, studies, lab data and passports as HTML or PDF.

Qt-free (the CLI's ``cellwright report`` runs headless on a server; import-linter checks it):
:mod:`.content` gathers, :mod:`.pictures` draws (matplotlib SVG, pyvista off-screen),
:mod:`.illustrate` puts the pictures in, :mod:`.render` fills the Jinja2 template
(``resources/report``) and writes HTML, or PDF through WeasyPrint.
"""

from __future__ import annotations

from cellwright.app.report.render import (
    DEFAULT_TEMPLATE,
    TemplateError,
    build_report,
    render_html,
    write_report,
)

__all__ = ["DEFAULT_TEMPLATE", "TemplateError", "build_report", "render_html", "write_report"]
