"""Lines of the keys of JSON text (projects/jsontext.py), against json's own reading."""

from __future__ import annotations

import json

from cellwright.projects.jsontext import key_lines


def test_every_key_has_its_line_and_strings_do_not_confuse_it() -> None:
    text = (
        '{\n  "cell": {\n    "name": "a \\"quoted\\" name: {not a key}",\n'
        '    "tags": ["x", {"inner": 1}, {"inner": 2}],\n'
        '    "positive": {"porosity": 0.3,\n      "note": "a: b"}\n  },\n'
        '  "pack": {"series": 4}\n}\n'
    )
    json.loads(text)  # valid JSON
    lines = key_lines(text)
    assert lines == {
        ("cell",): 2,
        ("cell", "name"): 3,
        ("cell", "tags"): 4,
        ("cell", "tags", "inner"): 4,  # the first element's, array positions left out
        ("cell", "positive"): 5,
        ("cell", "positive", "porosity"): 5,
        ("cell", "positive", "note"): 6,
        ("pack",): 8,
        ("pack", "series"): 8,
    }
