"""Report templates and style sheets are read as every user's text file is.

Jinja's own loader took UTF-8 only: a template saved as UTF-16 by a Windows editor was
"template error: 'utf-8' codec can't decode byte 0xff in position 0"; it is read now, and a
Latin-1 one is refused naming its line and what it looks like.
"""

from __future__ import annotations

import codecs

import pytest

from cellwright.app.report.render import render_html
from cellwright.projects.model import InputError


def test_a_utf16_template_and_a_bom_style_sheet_are_read(tmp_path) -> None:
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "report.html.j2").write_bytes(
        "<style>{{ css }}</style><p>Zelle ü</p>{% include 'part.j2' %}".encode("utf-16")
    )
    (folder / "part.j2").write_bytes(codecs.BOM_UTF8 + "<p>Größe</p>".encode())
    (folder / "report.css").write_bytes("p { color: red } /* é */".encode("utf-16"))
    html = render_html(None, folder)
    assert html == "<style>p { color: red } /* é */</style><p>Zelle ü</p><p>Größe</p>"


def test_a_latin1_template_is_refused_naming_its_line(tmp_path) -> None:
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "report.html.j2").write_bytes(b"<p>\n{% include 'part.j2' %}")
    (folder / "part.j2").write_bytes("<p>\nGr\xf6\xdfe</p>".encode("latin-1"))
    with pytest.raises(InputError) as error:
        render_html(None, folder)
    message = str(error.value)
    assert message.startswith(f"{folder / 'part.j2'}: line 2: report template: not UTF-8 text")
    assert message.endswith("it looks like Latin-1 (Windows-1252) text: save it as UTF-8")


def test_an_include_out_of_the_template_folder_is_not_read(tmp_path) -> None:
    folder = tmp_path / "mine"
    folder.mkdir()
    (tmp_path / "secret.j2").write_text("secret")
    (folder / "report.html.j2").write_text("{% include '../secret.j2' %}")
    with pytest.raises(InputError, match=r"the template includes '\.\./secret\.j2', which is not"):
        render_html(None, folder)
