"""``mapper add``, ``tie``, ``end-tie``, ``edit`` and ``undo`` through Click's runner: werkblad
1–3 built from the command line into a store that does not exist yet."""

from __future__ import annotations

import datetime as dt
import json

from click.testing import CliRunner

from mapper.cli import main
from mapper.store import SQLiteStore


def run(db, *args, ok=True):
    result = CliRunner(env={"MAPPER_LANGUAGE": "en"}).invoke(
        main, [*args, "--database", str(db), "--workspace", "werkplaats"]
    )
    if ok:
        assert result.exit_code == 0, (args, result.output)
    return result


def made(db, *args):
    return json.loads(run(db, *args, "--format", "json").stdout.strip().splitlines()[-1])


def test_build_worksheets_from_the_command_line(tmp_path):
    db = tmp_path / "nieuw" / "kaart.db"
    assert not db.exists()
    today = dt.date.today().isoformat()
    theme = made(db, "add", "THEMA", "Eenzaamheid", "--library-theme")
    assert db.exists() and theme["id"].startswith("thm-") and theme["kind"] == "Theme"
    for goal in ("Iedereen doet mee", "Samen sterk in de wijk"):
        made(db, "add", "doel", goal)
        made(db, "tie", "over", goal, "Eenzaamheid")
    channel = made(
        db, "add", "Kanaal", "Facebookgroep Noord", "--theme", "Eenzaamheid", "--set", "mode=online"
    )
    ids = {}
    for kind, name, extra in (
        ("organisatie", "Repair Café Noord", ["--bond", "--bond-strength", "sterk"]),
        ("Organisation", "Buurthuis De Kern", ["--bond", "--bond-strength", "3"]),
        ("ORGANISATION", "Stichting Welzijn Noord", ["--channel", "Facebookgroep Noord"]),
        (
            "persoon",
            "Fatma Yılmaz",
            ["--set", "lawful_basis=consent", "--set", "data_source=workshop"],
        ),
        ("Person", "Jan de Vries", ["--channel", channel["id"]]),
        ("PERSOON", "Anna de Boer", []),
    ):
        out = made(db, "add", kind, name, "--theme", "Eenzaamheid", "--strength", "3", *extra)
        ids[name] = out["id"]
    activity = made(db, "add", "activiteit", "Repair-middag", "--theme", theme["id"])
    ties = {}
    for kind, source, target, strength in (
        ("kent", "Fatma Yılmaz", "Jan de Vries", "redelijk"),
        ("lid van", "Jan de Vries", "Buurthuis De Kern", "0.6"),
        ("ATTENDS", "Fatma Yılmaz", "Repair-middag", None),
        ("organiseert", "Repair Café Noord", "Repair-middag", None),
        ("ACTIVE_IN", activity["id"], "Facebookgroep Noord", None),
        ("knows", "Anna de Boer", "Fatma Yılmaz", "4"),
        ("MEMBER_OF", "Stichting Welzijn Noord", "Buurthuis De Kern", "zwak"),
        ("neemt deel aan", "Jan de Vries", "Repair-middag", None),
    ):
        args = ["tie", kind, source, target] + (["--strength", strength] if strength else [])
        ties[(source, target)] = made(db, *args)
    assert ties[("Fatma Yılmaz", "Jan de Vries")]["strength"] == 0.6
    assert ties[("Anna de Boer", "Fatma Yılmaz")]["strength"] == 0.8

    with SQLiteStore(db) as store:
        assert store.get_workspace("werkplaats")
        counts = store.counts("werkplaats")
        bonds = list(store.ties("werkplaats", kind="BOND_WITH"))
    assert counts["Goal"] == 2 and counts["Theme"] == 1 and counts["Activity"] == 1
    assert counts["Person"] + counts["Organisation"] == 6 and counts["Channel"] == 1
    assert len(bonds) == 2

    # change a strength (edit = a new version), end a tie, undo a change
    knows = ties[("Fatma Yılmaz", "Jan de Vries")]
    text = run(db, "tie", "kent", "Jan de Vries", "Anna de Boer").stdout
    assert "tie added" in text and "mapper undo" in text
    change = int(text.split("mapper undo ")[1].rstrip(")\n"))
    undone = run(db, "undo", str(change)).stdout
    assert f"undone: change {change}" in undone
    assert run(db, "undo", str(change), ok=False).exit_code == 1  # not twice
    ended = made(db, "end-tie", knows["id"], "--on", today)
    assert ended["until"] == today
    person = made(
        db,
        "edit",
        ids["Fatma Yılmaz"],
        "--set",
        "name=Fatma Yilmaz-Bakker",
        "--set",
        "data_source=gesprek",
        "--set",
        f"since={today}",
    )
    assert person["version"] == 2 and person["name"] == "Fatma Yilmaz-Bakker"

    with SQLiteStore(db) as store:
        history = store.node_history("werkplaats", ids["Fatma Yılmaz"])
        tie = store.get_tie("werkplaats", knows["id"])
        undone_tie = [
            t
            for t in store.ties("werkplaats", kind="KNOWS")
            if t.id not in {v["id"] for v in ties.values()}
        ]
        entries = store.audit("werkplaats", action=["edit", "undo"])
    assert [v.props.get("data_source") for v in history] == ["workshop", "gesprek"]
    assert tie.until == dt.date.today()
    assert len(undone_tie) == 1 and undone_tie[0].since == undone_tie[0].until  # valid nowhere
    assert {e.action for e in entries} == {"edit", "undo"}
    assert all(e.actor.startswith("cli") for e in entries)


def test_cli_errors_are_one_clear_line(tmp_path):
    db = tmp_path / "kaart.db"
    result = run(db, "add", "vogel", "Merel", ok=False)
    assert result.exit_code == 1 and "vogel" in result.output
    result = run(db, "tie", "kent", "Niemand", "Ook niemand", ok=False)
    assert result.exit_code == 1 and "Niemand" in result.output
    result = run(db, "add", "persoon", "Jan", "--strength", "9", ok=False)
    assert result.exit_code == 1 and "'9'" in result.output
    result = run(db, "edit", "per-000000000000", "--set", "x", ok=False)
    assert result.exit_code == 2 and "key=value" in result.output
    assert "Traceback" not in result.output
