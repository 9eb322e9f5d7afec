"""How the import corpus in this folder was made: the way the real tools write their files.

Run ``python tests/data/make_corpus.py`` to write them again (deterministic). Each file's
expected counts are in ``tests/io/test_io_corpus.py``.

- ``undirected.graphml`` — networkx ``write_graphml`` of an undirected ``nx.Graph`` (names as
  node keys, as people build them; about half the edges written target first);
  ``directed.graphml`` — the same town as a ``nx.MultiDiGraph`` with every tie the right way.
- ``kumu.xlsx`` — a Kumu workbook as Kumu documents it: ``Elements`` (Label first, Type,
  Description, Tags with ``|``, a custom field), ``Connections`` (From, To with a ``|`` list,
  Type — some empty —, Strength, Direction), and a ``Notes (ignore)`` sheet; one element type
  (``Company``) and one connection type (``Personal``) that need the mapping step.
- ``gephi-nodes.csv`` / ``gephi-edges.csv`` — Gephi's data-laboratory CSV pair (comma,
  UTF-8; ``Type`` = Undirected/Directed, ``Weight``, a ``kind`` attribute column);
  ``gephi.gexf`` — the same network as Gephi 0.10 writes GEXF 1.3 (``viz`` positions and
  colours, undirected by default, one directed edge).
- ``individuen-en-organisaties.csv`` / ``relaties.csv`` — the templates as Dutch Excel saves
  "CSV (gescheiden door lijstscheidingsteken)": semicolons, Windows-1252, CRLF.
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


def kumu() -> None:
    from openpyxl import Workbook

    wb = Workbook()
    elements = wb.active
    elements.title = "Elements"
    for row in [
        ["Label", "Type", "Description", "Tags", "Wijk"],
        ["Anna de Boer", "Staff", "community librarian", "bibliotheek", "Centrum"],
        ["Jan de Vries", "Person", "vrijwilliger", "repair|duurzaam", "Noord"],
        ["Fatma Yılmaz", "Person", "", "duurzaam", "Noord"],
        ["Piet Jansen", "Person", "", "", "Oost"],
        ["Repair Café", "Organization", "elke tweede zaterdag", "repair", "Noord"],
        ["Groenbedrijf BV", "Company", "", "", "Oost"],
        ["Duurzaamheidsmarkt", "Event", "", "", ""],
        ["duurzaamheid", "Topic", "", "", ""],
    ]:
        elements.append(row)
    connections = wb.create_sheet("Connections")
    for row in [
        ["From", "To", "Type", "Strength", "Direction"],
        ["Anna de Boer", "Jan de Vries", "", 0.8, "undirected"],
        ["Jan de Vries", "Fatma Yılmaz|Piet Jansen", "Personal", 0.6, "mutual"],
        ["Jan de Vries", "Repair Café", "", "", "directed"],
        ["Repair Café", "Fatma Yılmaz", "", "", "undirected"],
        ["Piet Jansen", "Groenbedrijf BV", "Member", 4, "directed"],
        ["Piet Jansen", "Duurzaamheidsmarkt", "organises", "", ""],
        ["Repair Café", "duurzaamheid", "active on", "", ""],
    ]:
        connections.append(row)
    wb.create_sheet("Notes (ignore)").append(["Kaart gemaakt voor de omgevingsscan"])
    wb.save(HERE / "kumu.xlsx")


def gephi() -> None:
    import csv

    names = [(f"n{i}", name, kind) for i, (name, kind) in enumerate(NODES)]
    key = {name: node_id for node_id, name, _ in names}
    with open(HERE / "gephi-nodes.csv", "w", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(["Id", "Label", "timeset", "kind"])
        for node_id, name, kind in names:
            out.writerow([node_id, name, "", kind])
    with open(HERE / "gephi-edges.csv", "w", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(
            ["Source", "Target", "Type", "Id", "Label", "timeset", "Weight", "kind", "strength"]
        )
        for i, (source, target, kind, strength) in enumerate(TIES):
            direction = "Directed" if kind == "WORKS_AT" else "Undirected"
            if direction == "Undirected" and i % 2:
                source, target = target, source
            weight = 1.0  # Gephi's default weight; the tie's strength is an attribute column
            out.writerow(
                [key[source], key[target], direction, i, "", "", weight, kind, strength or ""]
            )
    nodes = "\n".join(
        f'      <node id="{node_id}" label="{name}">\n'
        f'        <attvalues><attvalue for="kind" value="{kind}"/></attvalues>\n'
        f'        <viz:size value="10.0"/>\n'
        f'        <viz:position x="{i * 10.0}" y="{-i * 5.0}"/>\n'
        f'        <viz:color r="153" g="153" b="153"/>\n'
        f"      </node>"
        for i, (node_id, name, kind) in enumerate(names)
    )
    edges = []
    for i, (source, target, kind, strength) in enumerate(TIES):
        typed = ' type="directed"' if kind == "WORKS_AT" else ""
        if not typed and i % 2:
            source, target = target, source
        weight = ' weight="1.0"'
        edges.append(
            f'      <edge id="{i}" source="{key[source]}" target="{key[target]}"{typed}{weight}>\n'
            f'        <attvalues><attvalue for="kind" value="{kind}"/>'
            + (f'<attvalue for="strength" value="{strength}"/>' if strength is not None else "")
            + "</attvalues>\n      </edge>"
        )
    gexf = f"""<?xml version='1.0' encoding='UTF-8'?>
<gexf xmlns="http://gexf.net/1.3" version="1.3" xmlns:viz="http://gexf.net/1.3/viz" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://gexf.net/1.3 http://gexf.net/1.3/gexf.xsd">
  <meta lastmodifieddate="2025-03-01">
    <creator>Gephi 0.10.1</creator>
    <title></title>
    <description></description>
  </meta>
  <graph defaultedgetype="undirected" mode="static">
    <attributes class="node" mode="static">
      <attribute id="kind" title="kind" type="string"/>
    </attributes>
    <attributes class="edge" mode="static">
      <attribute id="kind" title="kind" type="string"/>
      <attribute id="strength" title="strength" type="double"/>
    </attributes>
    <nodes>
{nodes}
    </nodes>
    <edges>
{chr(10).join(edges)}
    </edges>
  </graph>
</gexf>
"""
    (HERE / "gephi.gexf").write_text(gexf, encoding="utf-8")


def dutch_excel() -> None:
    people = [
        "id;soort;naam;waar actief online;waar actief offline;activiteiten;thema's;"
        "band met bibliotheek;sterkte band;contactpersoon bibliotheek;notities;overige gegevens",
        ";persoon;José Martínez;Facebook-groep Duurzaam Rijnstad;Wijkcentrum De Brug;"
        "Repair Café;duurzaamheid;ja;sterk;;;",
        ";persoon;Chloë van Dijk;;Wijkcentrum De Brug;Repair Café (organisator);"
        "duurzaamheid, eenzaamheid;nee;;;Café-eigenares;",
        ";organisatie;Wijkcentrum De Brug;;;;eenzaamheid;ja;3;;;",
        ";organisatie;Stichting Groen Rijnstad;;;Boomfeestdag;duurzaamheid;;;;;",
    ]
    ties = [
        "id;van;naar;soort relatie;sterkte;sinds;tot;rol;bron;overige gegevens",
        ";José Martínez;Chloë van Dijk;kent;redelijk;01-03-2024;;;gesprek;",
        ";Chloë van Dijk;Stichting Groen Rijnstad;lid van;0,8;2023-09-01;;vrijwilliger;;",
    ]
    for name, lines in (("individuen-en-organisaties.csv", people), ("relaties.csv", ties)):
        (HERE / name).write_bytes("\r\n".join([*lines, ""]).encode("cp1252"))


def main() -> None:
    nx.write_graphml(town(nx.Graph(), flip=True), HERE / "undirected.graphml")
    nx.write_graphml(town(nx.MultiDiGraph(), flip=False), HERE / "directed.graphml")
    kumu()
    gephi()
    dutch_excel()


if __name__ == "__main__":
    main()
