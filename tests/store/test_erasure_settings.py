"""Erasure reaches the workspace settings too: a map's kept positions, a saved view's focus and
a person's own warm-route map name no erased node afterwards (on every store adapter)."""

from __future__ import annotations

import json

from mapper.model import NodeKind


def test_erasure_removes_the_node_from_kept_positions_and_views(ws):
    store, slug = ws.store, ws.slug
    anna = store.add_node(slug, NodeKind.PERSON, "Anna Bakker")
    piet = store.add_node(slug, NodeKind.PERSON, "Piet Smit")
    store.update_workspace(
        slug,
        settings={
            "maplayout_scan": {"map": "scan:th-1", "positions": {anna.id: [1, 2], piet.id: [3, 4]}},
            "maplayout_warm": {"map": f"warm:{anna.id}", "positions": {piet.id: [5, 6]}},
            "map_views": {"views": [{"id": 1, "focus": anna.id, "hidden": [anna.id, piet.id]}]},
            "review_months": 12,
        },
    )
    result = store.erase_node(slug, anna.id)
    assert result["settings"] == 3
    settings = store.get_workspace(slug).settings
    assert anna.id not in json.dumps(settings)
    assert settings["maplayout_scan"]["positions"] == {piet.id: [3, 4]}
    assert "maplayout_warm" not in settings  # the map of Anna's own warm routes is gone whole
    assert settings["map_views"]["views"] == [{"id": 1, "focus": None, "hidden": [piet.id]}]
    assert settings["review_months"] == 12


def test_erased_positions_are_gone_from_the_file_bytes(file_store, tmp_path):
    ws = file_store.create_workspace("w", "W")
    anna = file_store.add_node("w", NodeKind.PERSON, "Anna Bakker")
    file_store.update_workspace(
        "w", settings={"maplayout_x": {"map": "scan:t", "positions": {anna.id: [1.5, 2.5]}}}
    )
    assert ws.slug == "w"
    file_store.erase_node("w", anna.id)
    file_store.close()
    raw = b"".join(p.read_bytes() for p in tmp_path.glob("mapper.db*"))
    assert anna.id.encode() not in raw
