"""What changed in a community between two days, and the day it started."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

import networkx as nx

from .metrics import BOND_KINDS, MEMBER_TIE_KINDS, _check_community, community_snapshot

# --------------------------------------------------------------------------- what changed


def community_changes(
    G: nx.MultiDiGraph,
    community: str,
    start: Any,
    end: Any,
    *,
    weight: str = "strength",
    tie_kinds: Iterable[str] = MEMBER_TIE_KINDS,
    bond_kinds: Iterable[str] = BOND_KINDS,
) -> dict[str, list[Any]]:
    """What changed in the community between two days (a history graph is needed).

    Returns
    -------
    dict
        ``new_members`` and ``lost_members`` (member ids), ``new_ties`` and ``lost_ties``
        (member pairs tied on one day and not on the other), ``newly_bonded`` and
        ``lost_bonds`` (members of ``end`` with a direct bond to the library on one day and not
        the other), ``weaker`` and ``stronger`` (pairs tied on both days whose strength fell or
        rose, as ``(pair, before, after)``). Lists are sorted; pairs are sorted id tuples.
    """
    a = community_snapshot(
        G, community, as_of=start, weight=weight, tie_kinds=tie_kinds, bond_kinds=bond_kinds
    )
    b = community_snapshot(
        G, community, as_of=end, weight=weight, tie_kinds=tie_kinds, bond_kinds=bond_kinds
    )
    ma, mb = set(a["members"]), set(b["members"])
    pa, pb = a["pairs"], b["pairs"]
    both = sorted(set(pa) & set(pb))
    return {
        "new_members": sorted(mb - ma),
        "lost_members": sorted(ma - mb),
        "new_ties": sorted(set(pb) - set(pa)),
        "lost_ties": sorted(set(pa) - set(pb)),
        "newly_bonded": sorted(m for m in mb if m in b["bonded"] and m not in a["bonded"]),
        "lost_bonds": sorted(m for m in mb & ma if m in a["bonded"] and m not in b["bonded"]),
        "weaker": [
            (p, pa[p], pb[p])
            for p in both
            if pa[p] is not None and pb[p] is not None and pb[p] < pa[p]
        ],
        "stronger": [
            (p, pa[p], pb[p])
            for p in both
            if pa[p] is not None and pb[p] is not None and pb[p] > pa[p]
        ],
    }


def community_start(G: nx.MultiDiGraph, community: str) -> dt.date | None:
    """The first day the community has a member (or its own ``since``), if known."""
    _check_community(G, community)
    days: list[dt.date] = [
        d["since"]
        for _, _, d in G.in_edges(community, data=True)
        if d.get("kind") == "MEMBER_OF" and d.get("since") is not None
    ]
    own = G.nodes[community].get("since")
    if own is not None:
        days.append(own)
    return min(days) if days else None
