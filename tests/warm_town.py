"""A small hand-built town for the warm-contact tests (CLI, web, library).

Known answers, for the theme "duurzaamheid" on any day from 2025 on:

==============  =============================================  ==========================
person          best route                                      warmth
==============  =============================================  ==========================
Jan de Vries    Anna → Jan (KNOWS 0.8, direct, strong)          0.8
Fatma Yılmaz    Anna → Jan → Fatma (0.8 × 0.6)                  0.48
Els Bakker      the library's own bond (0.4)                    0.4  (path: [Els])
Piet Jansen     Anna → Jan → Fatma → Piet (0.8 × 0.6 × 0.2)     0.096
==============  =============================================  ==========================

Bas once knew Piet well (KNOWS 1.0), but that tie ended on 2021-01-01: it never counts.
"""

from __future__ import annotations

from typing import Any

SINCE = "2024-01-01"


def build_town(store: Any, slug: str = "demo") -> dict[str, str]:
    """Fill workspace ``slug`` (created if missing) and return the ids by short name."""
    if not any(w.slug == slug for w in store.workspaces()):
        store.create_workspace(slug, "Bibliotheek Rijnstad")
    ws = store.workspace(slug)
    spec = [
        ("lib", "Library", "Bibliotheek Rijnstad"),
        ("anna", "Staff", "Anna de Boer"),
        ("bas", "Staff", "Bas Smit"),
        ("duurzaam", "Theme", "duurzaamheid"),
        ("lezen", "Theme", "lezen"),
        ("repair", "Organisation", "Repair Café"),
        ("jan", "Person", "Jan de Vries"),
        ("fatma", "Person", "Fatma Yılmaz"),
        ("els", "Person", "Els Bakker"),
        ("piet", "Person", "Piet Jansen"),
        ("markt", "Activity", "Duurzaamheidsmarkt"),
    ]
    nodes = ws.add_nodes(
        [
            {
                "kind": kind,
                "name": name,
                "since": SINCE,
                **(
                    {"props": {"lawful_basis": "legitimate_interest", "data_source": "test"}}
                    if kind == "Person"
                    else {}
                ),
            }
            for _, kind, name in spec
        ]
    )
    ids = {key: node.id for (key, _, _), node in zip(spec, nodes)}
    t = ids
    ws.add_ties(
        [
            dict(kind="WORKS_AT", source=t["anna"], target=t["lib"], since=SINCE),
            dict(kind="WORKS_AT", source=t["bas"], target=t["lib"], since=SINCE),
            dict(kind="KNOWS", source=t["anna"], target=t["jan"], strength=0.8, since=SINCE),
            dict(kind="KNOWS", source=t["jan"], target=t["fatma"], strength=0.6, since=SINCE),
            dict(kind="KNOWS", source=t["fatma"], target=t["piet"], strength=0.2, since=SINCE),
            dict(
                kind="KNOWS",
                source=t["bas"],
                target=t["piet"],
                strength=1.0,
                since="2020-01-01",
                until="2021-01-01",
            ),
            dict(kind="BOND_WITH", source=t["lib"], target=t["els"], strength=0.4, since=SINCE),
            dict(kind="MEMBER_OF", source=t["jan"], target=t["repair"], since=SINCE),
            dict(
                kind="MEMBER_OF",
                source=t["fatma"],
                target=t["repair"],
                role="ambassador",
                since=SINCE,
            ),
            dict(kind="ACTIVE_ON", source=t["repair"], target=t["duurzaam"], since=SINCE),
            dict(kind="ACTIVE_ON", source=t["fatma"], target=t["duurzaam"], since=SINCE),
            dict(kind="ACTIVE_ON", source=t["els"], target=t["duurzaam"], since=SINCE),
            dict(kind="ACTIVE_ON", source=t["piet"], target=t["duurzaam"], since=SINCE),
            dict(kind="ABOUT", source=t["markt"], target=t["duurzaam"], since=SINCE),
            dict(kind="ORGANISES", source=t["piet"], target=t["markt"], since=SINCE),
        ]
    )
    return ids
