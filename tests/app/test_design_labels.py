"""The tree's labels of designs of one kind that share a name (an older project's)."""

from __future__ import annotations

from cellwright.app.design_labels import shared_name_labels
from cellwright.projects.model import CellDesign, PackDesign


def test_only_a_shared_name_gets_kind_and_the_shortest_telling_start_of_its_id() -> None:
    designs = [
        CellDesign(id="m50-a", name="M50"),
        CellDesign(id="m50-b", name="M50"),
        CellDesign(id="9f00aa11bb22", name="Q"),
        CellDesign(id="9f00aa11bb23", name="Q"),
        CellDesign(id="0123456789ab", name="Alone"),
    ]
    labels = shared_name_labels(designs, "cell")
    assert {i: label for i, (label, _) in labels.items()} == {
        "m50-a": "M50 (cell m50-a)",  # as short as six characters: whole
        "m50-b": "M50 (cell m50-b)",
        "9f00aa11bb22": "Q (cell 9f00aa11bb22)",  # told apart only by the last digit: whole
        "9f00aa11bb23": "Q (cell 9f00aa11bb23)",
    }
    assert "cell design id 9f00aa11bb22" in labels["9f00aa11bb22"][1]


def test_long_ids_are_cut_where_they_part_but_not_below_six_characters() -> None:
    def labels(ids):
        packs = [PackDesign(id=i, name="Module", cell="x", series=4, parallel=2) for i in ids]
        return [label for label, _ in shared_name_labels(packs, "pack").values()]

    assert labels(["1a2b3c4d5e6f", "7a8b9c0d1e2f"]) == ["Module (pack 1a2b3c…)",
                                                         "Module (pack 7a8b9c…)"]  # fmt: skip
    assert labels(["1a2b3c4d5e6f", "7a8b9c0d1e2f", "1a2b3cffffff"]) == [
        "Module (pack 1a2b3c4…)",
        "Module (pack 7a8b9c0…)",
        "Module (pack 1a2b3cf…)",
    ]
