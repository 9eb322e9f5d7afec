"""How the import corpus in this folder was made: the way the real tools write their files.

Run ``python tests/data/make_corpus.py`` to write them again (deterministic). Each file's
expected counts are in ``tests/test_io_corpus.py``.

- ``undirected.graphml`` — networkx ``write_graphml`` of an undirected ``nx.Graph`` (names as
  node keys, as people build them; about half the edges written target first);
  ``directed.graphml`` — the same town as a ``nx.MultiDiGraph`` with every tie the right way.
"""

from __future__ import annotations

from pathlib import Path

import networkx as nx

HERE = Path(__file__).resolve().parent
SINCE = "2024-01-01"

#: (name, kind) of the small town of the corpus.
NODES = [
    ("Bibliotheek Rijnstad", "Library"),
    ("Anna de Boer", "Staff"),
    ("Bas Smit", "Staff"),
    ("duurzaamheid", "Theme"),
    ("Repair Café", "Organisation"),
    ("Repaircommunity", "Community"),
    ("Jan de Vries", "Person"),
    ("Fatma Yılmaz", "Person"),
    ("Els Bakker", "Person"),
    ("Piet Jansen", "Person"),
    ("Noor Visser", "Person"),
    ("Duurzaamheidsmarkt", "Activity"),
]
#: (source, target, kind, strength) with the tie rules' direction.
TIES = [
    ("Anna de Boer", "Bibliotheek Rijnstad", "WORKS_AT", None),
    ("Bas Smit", "Bibliotheek Rijnstad", "WORKS_AT", None),
    ("Anna de Boer", "Jan de Vries", "KNOWS", 0.8),
    ("Jan de Vries", "Fatma Yılmaz", "KNOWS", 0.6),
    ("Fatma Yılmaz", "Piet Jansen", "KNOWS", 0.2),
    ("Piet Jansen", "Noor Visser", "KNOWS", 0.6),
    ("Bas Smit", "Noor Visser", "KNOWS", 0.4),
    ("Bibliotheek Rijnstad", "Els Bakker", "BOND_WITH", 0.4),
    ("Jan de Vries", "Repair Café", "MEMBER_OF", None),
    ("Fatma Yılmaz", "Repaircommunity", "MEMBER_OF", None),
    ("Piet Jansen", "Repaircommunity", "MEMBER_OF", None),
    ("Noor Visser", "Repaircommunity", "MEMBER_OF", None),
    ("Repair Café", "duurzaamheid", "ACTIVE_ON", None),
    ("Fatma Yılmaz", "duurzaamheid", "ACTIVE_ON", None),
    ("Els Bakker", "duurzaamheid", "ACTIVE_ON", None),
    ("Piet Jansen", "duurzaamheid", "ACTIVE_ON", None),
    ("Duurzaamheidsmarkt", "duurzaamheid", "ABOUT", None),
    ("Piet Jansen", "Duurzaamheidsmarkt", "ORGANISES", None),
    ("Repaircommunity", "duurzaamheid", "ABOUT", None),
]


def _attrs(kind: str, strength: float | None) -> dict[str, object]:
    attrs: dict[str, object] = {"kind": kind, "since": SINCE}
    if strength is not None:
        attrs["strength"] = strength
    return attrs


def town(graph: nx.Graph, *, flip: bool) -> nx.Graph:
    for name, kind in NODES:
        graph.add_node(name, kind=kind, name=name)
    for i, (source, target, kind, strength) in enumerate(TIES):
        if flip and i % 2:
            source, target = target, source  # an undirected edge has no "first" end
        graph.add_edge(source, target, **_attrs(kind, strength))
    return graph


def main() -> None:
    nx.write_graphml(town(nx.Graph(), flip=True), HERE / "undirected.graphml")
    nx.write_graphml(town(nx.MultiDiGraph(), flip=False), HERE / "directed.graphml")


if __name__ == "__main__":
    main()
