"""Importing real files: templates, Dutch Excel CSV variants, bad rows, idempotency, matching."""

from __future__ import annotations

import io

import pytest

from mapper.errors import ValidationError
from mapper.i18n import use_language
from mapper.io import export as exporter
from mapper.io.matching import find_duplicates
from mapper.io.plan import ImportErrors, import_file, plan_import
from mapper.io.readers import ReadError, read_bytes, read_file
from mapper.model import NodeKind
from mapper.store.base import fold

HEADER = [
    "soort",
    "naam",
    "waar actief online",
    "waar actief offline",
    "activiteiten",
    "thema's",
    "band met bibliotheek",
    "sterkte band",
    "notities",
]
PEOPLE = [
    [
        "persoon",
        "Zoë Müller",
        "Facebook-groep Duurzaam",
        "Café De Brug",
        "Repair Café",
        "duurzaamheid; eenzaamheid",
        "ja",
        "0.6",
        "Contact via de wijkcoördinator",
    ],
    [
        "organisatie",
        "Stichting Repair Café",
        "",
        "Café De Brug",
        "Repair Café",
        "duurzaamheid",
        "nee",
        "",
        "€ 5 per jaar",
    ],
    ["persoon", "René Öztürk", "", "", "", "eenzaamheid", "ja", "4", ""],
]


def csv_text(rows: list[list[str]], delimiter: str) -> str:
    import csv

    buffer = io.StringIO(newline="")
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue()


def snapshot(store, slug: str) -> tuple:
    """What a workspace holds, by names (ids differ between imports)."""
    nodes = {n.id: n for n in store.nodes(slug)}
    entities = sorted(
        (n.kind.value, n.name, tuple(sorted(n.props.items()))) for n in nodes.values()
    )
    ties = sorted(
        (t.kind.value, nodes[t.source].name, nodes[t.target].name, t.strength)
        for t in store.ties(slug)
    )
    return entities, ties


def test_semicolon_bom_and_windows_1252_import_the_same_as_utf8(store, tmp_path):
    variants = {
        "comma-utf8.csv": csv_text([HEADER, *PEOPLE], ",").encode("utf-8"),
        "semicolon-bom.csv": b"\xef\xbb\xbf" + csv_text([HEADER, *PEOPLE], ";").encode("utf-8"),
        # Dutch Excel also writes decimal commas
        "semicolon-1252.csv": csv_text(
            [HEADER, *[[c.replace("0.6", "0,6") for c in r] for r in PEOPLE]], ";"
        ).encode("cp1252"),
    }
    expected_formats = {
        "comma-utf8.csv": "CSV (comma, UTF-8)",
        "semicolon-bom.csv": "CSV (semicolon, UTF-8 with BOM)",
        "semicolon-1252.csv": "CSV (semicolon, Windows-1252)",
    }
    snapshots = []
    for i, (name, data) in enumerate(variants.items()):
        path = tmp_path / name
        path.write_bytes(data)
        found = read_file(path)
        with use_language("en"):
            assert str(found.format) == expected_formats[name]
        slug = f"v{i}"
        store.create_workspace(slug, "Bibliotheek Rijnstad")
        import_file(store, slug, path)
        snapshots.append(snapshot(store, slug))
    assert snapshots[0] == snapshots[1] == snapshots[2]
    entities, ties = snapshots[0]
    names = {e[1] for e in entities}
    assert {"Zoë Müller", "Stichting Repair Café", "René Öztürk", "Café De Brug"} <= names
    assert ("BOND_WITH", "Bibliotheek Rijnstad", "Zoë Müller", 0.6) in ties
    assert ("BOND_WITH", "Bibliotheek Rijnstad", "René Öztürk", 0.8) in ties
    assert ("ACTIVE_ON", "Zoë Müller", "eenzaamheid", None) in ties
    notes = {e[1]: dict(e[2]).get("notes") for e in entities}
    assert notes["Stichting Repair Café"] == "€ 5 per jaar"


def test_bad_rows_are_all_reported_and_nothing_is_written(store, tmp_path):
    ws = store.create_workspace("rijnstad")
    ws.add_node("Person", "Jan de Vries")
    before = ws.dump_workspace()
    from openpyxl import Workbook

    wb = Workbook()
    sheet = wb.active
    sheet.title = "Individuen en organisaties"
    sheet.append(["soort", "naam", "thema's", "sterkte band"])
    sheet.append(["persoon", "Fatma Yılmaz", "taal", "3"])  # fine
    sheet.append(["persoon", "Piet Jansen", "taal", "7"])  # row 3: strength
    sheet.append(["vogel", "Tweety", "", ""])  # row 4: kind
    sheet.append(["organisatie", "", "taal", ""])  # row 5: empty name
    ties = wb.create_sheet("Relaties")
    ties.append(["van", "naar", "soort relatie", "sterkte", "sinds"])
    ties.append(["Fatma Yılmaz", "Jan de Vries", "kent", "0,4", "2024-02-30"])  # row 2: date
    ties.append(["Fatma Yılmaz", "Onbekende Persoon", "kent", "", ""])  # row 3: unknown name
    ties.append(["Fatma Yılmaz", "taal", "kent", "", ""])  # row 4: wrong kind of target
    ties.append(["Fatma Yılmaz", "Jan de Vries", "houdt van", "", ""])  # row 5: tie kind
    path = tmp_path / "scan.xlsx"
    wb.save(path)

    plan = plan_import(store, "rijnstad", read_file(path))
    where = {(e.sheet, e.row, e.column) for e in plan.errors}
    assert where == {
        ("Individuen en organisaties", 3, "sterkte band"),
        ("Individuen en organisaties", 4, "soort"),
        ("Individuen en organisaties", 5, "naam"),
        ("Relaties", 2, "sinds"),
        ("Relaties", 3, "naar"),
        ("Relaties", 4, "naar"),
        ("Relaties", 5, "soort relatie"),
    }
    messages = {(e.sheet, e.row): e.message for e in plan.errors}
    assert messages["Individuen en organisaties", 3] == "strength '7' is not between 0 and 1 or 1–5"
    assert "'vogel'" in messages["Individuen en organisaties", 4]
    assert "'2024-02-30' is not a date" in messages["Relaties", 2]
    assert "'Onbekende Persoon'" in messages["Relaties", 3]
    assert "Theme" in messages["Relaties", 4]
    values = {(e.sheet, e.row): e.value for e in plan.errors}
    assert values["Individuen en organisaties", 3] == "7"
    with pytest.raises(ImportErrors) as info:
        plan.apply()
    assert len(info.value.errors) == 7
    assert ws.dump_workspace() == before


def test_a_second_import_of_the_same_file_changes_nothing(store, tmp_path):
    ws = store.create_workspace("rijnstad")
    path = tmp_path / "scan.csv"
    path.write_bytes(b"\xef\xbb\xbf" + csv_text([HEADER, *PEOPLE], ";").encode("utf-8"))
    (tmp_path / "relaties.csv").write_text(
        "van;naar;soort relatie;sterkte;sinds;rol\n"
        "Zoë Müller;Stichting Repair Café;lid van;sterk;2024-03-01;vrijwilliger\n"
        "René Öztürk;Zoë Müller;kent;2;;\n",
        encoding="utf-8",
    )
    import zipfile

    bundle = tmp_path / "scan.zip"
    with zipfile.ZipFile(bundle, "w") as zf:
        zf.write(path, "individuen-en-organisaties.csv")
        zf.write(tmp_path / "relaties.csv", "relaties.csv")
    first = import_file(store, "rijnstad", bundle)
    assert first.counts()["ties_create"] > 0
    after_first = ws.dump_workspace()
    second = import_file(store, "rijnstad", bundle)
    assert second.changes_nothing()
    assert second.counts().get("entities_create", 0) == 0
    assert ws.dump_workspace() == after_first
    member = next(t for t in ws.ties(kind="MEMBER_OF"))
    assert (member.strength, member.role, member.since.isoformat()) == (
        0.8,
        "volunteer",
        "2024-03-01",
    )


def test_a_changed_strength_opens_a_new_version_instead_of_overwriting(store):
    ws = store.create_workspace("rijnstad")
    rows = "van;naar;soort relatie;sterkte\nAnna;Jan;kent;2\n"
    setup = "soort;naam\npersoon;Anna\npersoon;Jan\n"
    import_file(store, "rijnstad", setup.encode(), filename="mensen.csv")
    import_file(store, "rijnstad", rows.encode(), filename="relaties.csv")
    plan = import_file(
        store, "rijnstad", rows.replace(";2", ";4").encode(), filename="relaties.csv"
    )
    assert plan.counts()["ties_change"] == 1
    (tie,) = ws.ties()
    assert [v.strength for v in ws.tie_history(tie.id)] == [0.4, 0.8]


def test_near_duplicates_are_proposed_not_merged(store):
    ws = store.create_workspace("rijnstad")
    jan = ws.add_node("Person", "Jan de Vries")
    repair = ws.add_node("Organisation", "Stichting Repair Café")
    data = (
        b"soort;naam;thema's\n"
        b"persoon;J. de Vries;duurzaamheid\n"
        b"persoon;jan  de vries;duurzaamheid\n"
        b"organisatie;Repair Cafe;duurzaamheid\n"
    )
    plan = plan_import(store, "rijnstad", read_bytes(data, "scan.csv"))
    proposals = {p.entity.name: [c.id for c in p.candidates] for p in plan.proposals}
    assert proposals == {"J. de Vries": [jan.id], "Repair Cafe": [repair.id]}
    same = next(e for e in plan.entities if e.row == 3)
    assert same.name == "jan de vries"
    assert (same.action, same.node_id) == ("match", jan.id)

    # By default a proposal becomes a new entity: nothing merged silently ...
    plan.apply()
    names = sorted(n.name for n in ws.nodes(kind=["Person", "Organisation"]))
    assert names == ["J. de Vries", "Jan de Vries", "Repair Cafe", "Stichting Repair Café"]
    assert ws.get_node(jan.id).name == "Jan de Vries"
    # ... and the pair shows up as duplicates to merge.
    pairs = {frozenset((a.name, b.name)) for a, b, _ in find_duplicates(ws.nodes())}
    assert frozenset(("J. de Vries", "Jan de Vries")) in pairs
    assert frozenset(("Repair Cafe", "Stichting Repair Café")) in pairs


def test_a_decision_makes_a_proposal_the_existing_entity(store):
    ws = store.create_workspace("rijnstad")
    jan = ws.add_node("Person", "Jan de Vries")
    data = b"soort;naam;thema's\npersoon;J. de Vries;duurzaamheid\n"
    plan = plan_import(store, "rijnstad", read_bytes(data, "scan.csv"))
    (proposal,) = plan.proposals
    plan.decide({proposal.token: jan.id})
    plan.apply()
    assert [n.name for n in ws.nodes(kind="Person")] == ["Jan de Vries"]
    (tie,) = ws.ties(kind="ACTIVE_ON")
    assert tie.source == jan.id
    with pytest.raises(ValidationError):
        plan.decide({proposal.token: "per-notproposed"})


def test_graphml_and_gexf_written_by_networkx_import(store, tmp_path):
    import networkx as nx

    g = nx.MultiDiGraph()
    g.add_node("n1", kind="Person", name="Jan de Vries", age=54)
    g.add_node("n2", kind="organisatie", name="Repair Café")
    g.add_node("n3", kind="Theme", label="duurzaamheid")
    g.add_edge("n1", "n2", kind="MEMBER_OF", strength=0.8, since="2024-01-01", role="volunteer")
    g.add_edge("n1", "n3", kind="ACTIVE_ON", strength=0.4)
    g.add_edge("n2", "n3", kind="actief op", since="2023-05-01", until="2025-01-01")
    nx.write_graphml(g, tmp_path / "scan.graphml")
    nx.write_gexf(g, tmp_path / "scan.gexf")
    for i, name in enumerate(["scan.graphml", "scan.gexf"]):
        slug = f"g{i}"
        ws = store.create_workspace(slug)
        import_file(store, slug, tmp_path / name)
        by_name = {n.name: n for n in ws.nodes()}
        assert {n: by_name[n].kind.value for n in by_name} == {
            "Jan de Vries": "Person",
            "Repair Café": "Organisation",
            "duurzaamheid": "Theme",
        }
        assert by_name["Jan de Vries"].props == {"age": 54}
        ties = {
            (t.kind.value, ws.get_node(t.source).name, ws.get_node(t.target).name): (
                t.strength,
                t.since and t.since.isoformat(),
                t.until and t.until.isoformat(),
                t.role,
            )
            for t in ws.ties()
        }
        assert ties == {
            ("MEMBER_OF", "Jan de Vries", "Repair Café"): (0.8, "2024-01-01", None, "volunteer"),
            ("ACTIVE_ON", "Jan de Vries", "duurzaamheid"): (0.4, None, None, None),
            ("ACTIVE_ON", "Repair Café", "duurzaamheid"): (None, "2023-05-01", "2025-01-01", None),
        }
        again = import_file(store, slug, tmp_path / name, dry_run=True)
        assert again.changes_nothing()


def test_graph_without_kinds_reports_each_node(store, tmp_path):
    import networkx as nx

    store.create_workspace("rijnstad")
    g = nx.Graph()
    g.add_edge("a", "b")
    nx.write_graphml(g, tmp_path / "plain.graphml")
    plan = plan_import(store, "rijnstad", read_file(tmp_path / "plain.graphml"))
    assert {(e.sheet, e.row, e.column) for e in plan.errors} >= {
        ("nodes", 1, "soort"),
        ("nodes", 2, "soort"),
    }


def test_unknown_file_and_sheet_give_clear_errors(tmp_path):
    with pytest.raises(ReadError, match="cannot be imported"):
        read_bytes(b"x", "scan.pdf")
    with pytest.raises(ReadError, match="does not look like a template"):
        read_bytes(b"fruit;kleur\nappel;rood\n", "fruit.csv")
    with pytest.raises(ReadError, match="misses the column"):
        read_bytes(b"van;naar\nA;B\n", "relaties.csv")


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_the_empty_templates_import(store, fmt):
    out = io.BytesIO()
    exporter.write_templates(fmt, out)
    ws = store.create_workspace("leeg", "Bibliotheek Leeg")
    found = read_bytes(out.getvalue(), "sjabloon" + exporter.FORMATS[fmt])
    assert {t.sheet.key for t in found.tables} == set(exporter.SHEETS)
    for table in found.tables:  # examples whose mark is removed are rows like any other
        for row in table.rows:
            if row[:3] != ["voorbeeld", "thema", "duurzaamheid"]:
                row[0] = ""
    plan = plan_import(store, "leeg", found)
    assert plan.ok, plan.errors
    plan.apply()
    jan = ws.lookup("Jan de Vries", kind="Person")
    themes = [ws.get_node(t.target).name for t in ws.ties(node=jan.id, kind="ACTIVE_ON")]
    assert themes == ["duurzaamheid"]
    (bond,) = ws.ties(node=jan.id, kind="BOND_WITH")
    assert bond.strength == 0.8 and ws.get_node(bond.source).kind is NodeKind.LIBRARY
    (contact,) = ws.contacts()
    assert {ws.get_node(contact.a).name, ws.get_node(contact.b).name} == {
        "Anna Bakker",
        "Jan de Vries",
    }
    assert contact.mode == "conversation"


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_every_template_sheet_round_trips(demo_db, fmt):
    """Export the demo town in the templates' shape, import it into an empty workspace, and
    export again: every sheet holds the same rows."""
    from mapper.store import SQLiteStore

    store = SQLiteStore(demo_db)
    try:
        first = exporter.template_rows(exporter.select(store, "demo"))
        out = io.BytesIO()
        exporter.export(store, "demo", fmt, out)
    finally:
        store.close()
    target = SQLiteStore(":memory:")
    target.create_workspace("kopie")
    plan = plan_import(
        target, "kopie", read_bytes(out.getvalue(), "export" + exporter.FORMATS[fmt])
    )
    assert plan.ok, plan.errors[:5]
    plan.apply()
    second = exporter.template_rows(exporter.select(target, "kopie"))
    for key in exporter.SHEETS:
        assert first[key], f"the demo town has no rows for sheet {key}"
        assert second[key] == first[key], key
    assert plan_import(
        target, "kopie", read_bytes(out.getvalue(), "x" + exporter.FORMATS[fmt])
    ).changes_nothing()
    target.close()


def test_organisations_only_workspace_refuses_people_per_row(store):
    store.create_workspace("orgs", settings={"organisations_only": True})
    plan = plan_import(
        store, "orgs", read_bytes(b"soort;naam\norganisatie;IVN\npersoon;Jan\n", "s.csv")
    )
    assert [(e.row, e.column) for e in plan.errors] == [(3, "soort")]


def test_fold_keeps_names_comparable():
    assert fold("Repair Café") == fold("repair cafe")
