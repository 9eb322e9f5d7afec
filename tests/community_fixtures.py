"""A small hand-built community with dated joins, leaves and tie changes (the "Leesclub").

Its metrics on four dates are worked out by hand in ``tests/analysis/test_community.py``; the CLI and
web tests use it too. The story, in dates:

=============  ==============================================================================
2025-01-01     Anna (ambassador) and Bart join; they know each other (0.8). Sanne (staff)
               has a bond with Anna and takes the builder role. The goal "4 leden" is set.
2025-02-10     activity "Voorleesavond", organised by the community (sessions 02-10, 03-20)
2025-03-01     Dirk joins; Bart knows Dirk (0.6)
2025-03-15     Anna knows Dirk (0.2)
2025-04-01     Eva joins; she is a member of the Buurtvereniging
2025-04-10     activity "Boekenruil", organised by Dirk (a member then)
2025-04-15     Sanne (staff) knows Bart: Bart is bonded from now on
2025-05-01     Anna–Bart grows weaker (0.8 → 0.4); the Library bonds with the Buurtvereniging
2025-06-01     Dirk leaves
2025-07-01     activity "Zomerfeest", organised by Dirk — no longer a member, so not counted
=============  ==============================================================================
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from mapper.store import Workspace

D1 = dt.date(2025, 2, 1)
D2 = dt.date(2025, 4, 1)
D3 = dt.date(2025, 5, 1)
D4 = dt.date(2025, 7, 1)

#: The metrics on D1–D4, computed by hand (see the module docstring and test_community.py).
EXPECTED: dict[dt.date, dict[str, Any]] = {
    D1: dict(
        members=2,
        organisations=0,
        ties=1,
        density=1.0,
        average_strength=0.8,
        components=1,
        largest_component_share=1.0,
        clustering=0.0,
        bonded=1 / 2,
        library_reach=1.0,
        ambassadors=1,
        activities_30d=0,
        activities_90d=0,
        roles_filled=1,
        staff=1,
    ),
    D2: dict(
        members=4,
        organisations=0,
        ties=3,
        density=3 / 6,
        average_strength=1.6 / 3,
        components=2,
        largest_component_share=3 / 4,
        clustering=3 / 4,
        bonded=1 / 4,
        library_reach=3 / 4,
        ambassadors=1,
        activities_30d=1,
        activities_90d=2,
        roles_filled=1,
        staff=1,
    ),
    D3: dict(
        members=4,
        organisations=0,
        ties=3,
        density=3 / 6,
        average_strength=1.2 / 3,
        components=2,
        largest_component_share=3 / 4,
        clustering=3 / 4,
        bonded=2 / 4,
        library_reach=1.0,
        ambassadors=1,
        activities_30d=1,
        activities_90d=3,
        roles_filled=1,
        staff=1,
    ),
    D4: dict(
        members=3,
        organisations=0,
        ties=1,
        density=1 / 3,
        average_strength=0.4,
        components=2,
        largest_component_share=2 / 3,
        clustering=0.0,
        bonded=2 / 3,
        library_reach=1.0,
        ambassadors=1,
        activities_30d=0,
        activities_90d=1,
        roles_filled=1,
        staff=1,
    ),
}


def build_leesclub(ws: Workspace) -> dict[str, str]:
    """Write the Leesclub into ``ws``; return the ids by short name."""
    ids: dict[str, str] = {}

    def node(key: str, kind: str, name: str, **fields: Any) -> None:
        ids[key] = ws.add_node(kind, name, **fields).id

    node("lib", "Library", "Bibliotheek Leesstad")
    node("sanne", "Staff", "Sanne Bakker")
    node("club", "Community", "Leesclub De Linde", props={"bond_type": "affinity"})
    node("anna", "Person", "Anna de Vries")
    node("bart", "Person", "Bart Jansen")
    node("dirk", "Person", "Dirk van Dam")
    node("eva", "Person", "Eva Öztürk")
    node("buurt", "Organisation", "Buurtvereniging De Linde")
    node("voorlees", "Activity", "Voorleesavond", props={"dates": ["2025-02-10", "2025-03-20"]})
    node("ruil", "Activity", "Boekenruil", props={"date": "2025-04-10"})
    node("feest", "Activity", "Zomerfeest", since="2025-07-01")
    node(
        "goal",
        "SmartGoal",
        "4 leden",
        props={"metric": "members", "target": 4, "deadline": "2025-04-30"},
        since="2025-01-01",
    )

    def tie(kind: str, a: str, b: str, **fields: Any) -> str:
        t = ws.add_tie(kind, ids[a], ids[b], **fields)
        ids[f"{kind}:{a}:{b}"] = t.id
        return t.id

    tie("WORKS_AT", "sanne", "lib", since="2024-01-01")
    tie("MEMBER_OF", "anna", "club", since="2025-01-01", role="ambassador")
    tie("MEMBER_OF", "bart", "club", since="2025-01-01", role="member")
    tie("MEMBER_OF", "dirk", "club", since="2025-03-01", until="2025-06-01")
    tie("MEMBER_OF", "eva", "club", since="2025-04-01")
    tie("MEMBER_OF", "eva", "buurt", since="2020-01-01")
    ab = tie("KNOWS", "anna", "bart", since="2025-01-01", strength=0.8)
    ws.change_tie(ab, on="2025-05-01", strength=0.4)
    tie("KNOWS", "bart", "dirk", since="2025-03-01", strength=0.6)
    tie("KNOWS", "anna", "dirk", since="2025-03-15", strength=0.2)
    tie("BOND_WITH", "sanne", "anna", since="2025-01-01", strength=0.8)
    tie("KNOWS", "sanne", "bart", since="2025-04-15", strength=0.6)
    tie("BOND_WITH", "lib", "buurt", since="2025-05-01", strength=0.6)
    tie("BOND_WITH", "lib", "club", since="2025-01-01", strength=0.8)  # never a step
    tie("HAS_ROLE", "sanne", "club", since="2025-01-01", role="builder")
    tie("ORGANISES", "club", "voorlees")
    tie("ORGANISES", "dirk", "ruil")
    tie("ORGANISES", "dirk", "feest")
    tie("PURSUES", "club", "goal", since="2025-01-01")
    return ids
