"""Bad input on the command line: each case exits 2 with one line naming what and where.

The cases come from an audit of the commands as a hostile but realistic user types them; each
one was once a traceback (an "unexpected failure"), a wrong success or a misleading message.
"""

from __future__ import annotations

from cellwright.app.cli import main


def _error(capsys) -> str:
    err = capsys.readouterr().err
    assert "unexpected failure" not in err
    return err


def test_new_project_in_a_missing_folder_names_the_folder(tmp_path, capsys) -> None:
    target = tmp_path / "no" / "such" / "my.cwproj"
    assert main(["new", str(target)]) == 2
    assert f"the folder {target.parent} does not exist" in _error(capsys)
    assert not target.parent.exists()
