"""Contract of the store's import write step (issue 12): on every adapter (SQLite in memory,
SQLite file, Neo4j) the ``create`` entries ``_insert_tie_audit`` writes for new ties are those an
:class:`~mapper.audit.AuditEntry` per tie gives, it is journaled (the shared projection sees an
audit-only change), it rolls back with its transaction, and erasing an end of a tie removes its
entry (the SQLite rows need no ``audit_refs``); ``add_tie_rows`` (ties as their fields' values)
writes what ``add_ties`` writes for the same ties, checks their ends, and writes nothing on an
error."""

from __future__ import annotations

import datetime as dt
from dataclasses import astuple

import pytest

from mapper import audit as _audit
from mapper.audit import AuditEntry
from mapper.errors import NotFoundError, ValidationError
from mapper.model import RelKind, Tie
from mapper.store.journal import PRIMITIVES


def _entries(store, slug, tie_ids):
    got = [e for e in store.audit(slug, action="create") if e.target_id in tie_ids]
    return sorted(got, key=lambda e: e.target_id or "")


def test_add_ties_writes_one_create_entry_per_tie(ws):
    store, slug = ws.store, ws.slug
    a = ws.add_node("Person", "Jan de Vries", id="per-jan")
    b = ws.add_node("Person", "Fatma Yılmaz", id="per-fatma")
    org = ws.add_node("Organisation", "Stichting Groen", id="org-groen")
    with store.acting_as("anna@bibliotheek.nl"):
        ties = store.add_ties(
            slug,
            [
                dict(kind="KNOWS", source=a.id, target=b.id, id="tie-1", strength=0.6),
                dict(kind="MEMBER_OF", source=a.id, target=org.id, id="tie-2", since="2024-03-01"),
            ],
        )
    got = _entries(store, slug, {"tie-1", "tie-2"})
    assert [
        (e.actor, e.action, e.target_type, e.target_id, e.label, e.refs, e.detail) for e in got
    ] == [
        (
            "anna@bibliotheek.nl",
            "create",
            "tie",
            t.id,
            t.kind.value,
            (t.id, t.source, t.target),
            {"version": 1},
        )
        for t in ties
    ]
    assert len({e.at for e in got}) == 1  # one time for the whole batch


def test_the_primitive_writes_what_audit_entries_would(ws):
    """The primitive beside ``_insert_audit`` with the AuditEntry the old path made."""
    store, slug = ws.store, ws.slug
    a = ws.add_node("Person", "Jan de Vries", id="per-jan")
    b = ws.add_node("Person", "Fatma Yılmaz", id="per-fatma")
    tie = store.make_tie("KNOWS", a.id, b.id, id="tie-fast")
    twin = store.make_tie("KNOWS", b.id, a.id, id="tie-plain")
    at, actor = "2026-12-01T12:00:00Z", _audit.SYSTEM_ACTOR
    with store.atomic():
        store._insert_ties(slug, [tie, twin])
        store._insert_tie_audit(slug, [tie], at, actor)
        store._insert_audit(
            slug,
            [
                AuditEntry(
                    at,
                    actor,
                    _audit.CREATE,
                    "tie",
                    twin.id,
                    twin.kind.value,
                    (twin.id, twin.source, twin.target),
                    {"version": twin.version},
                )
            ],
        )
    fast, plain = _entries(store, slug, {"tie-fast", "tie-plain"})
    assert fast.target_id == "tie-fast" and plain.target_id == "tie-plain"
    assert fast.refs == ("tie-fast", "per-jan", "per-fatma")
    assert plain.refs == ("tie-plain", "per-fatma", "per-jan")
    same = ("at", "actor", "action", "target_type", "label", "detail")
    assert [getattr(fast, f) for f in same] == [getattr(plain, f) for f in same]
    # erasing an end removes the entry (found without audit_refs on SQLite)
    store.erase_node(slug, "per-jan")
    assert not _entries(store, slug, {"tie-fast", "tie-plain"})


def test_the_primitive_rolls_back_with_its_transaction(ws):
    store, slug = ws.store, ws.slug
    a = ws.add_node("Person", "Jan de Vries", id="per-jan")
    b = ws.add_node("Person", "Fatma Yılmaz", id="per-fatma")
    tie = store.make_tie("KNOWS", a.id, b.id, id="tie-gone")
    try:
        with store.atomic():
            store._insert_ties(slug, [tie])
            store._insert_tie_audit(slug, [tie], "2026-12-01T12:00:00Z", "system")
            raise RuntimeError("stop")
    except RuntimeError:
        pass
    assert not _entries(store, slug, {"tie-gone"})
    assert not list(store.ties(slug))


def test_the_primitive_is_journaled(any_store):
    assert "_insert_tie_audit" in PRIMITIVES
    assert PRIMITIVES["_insert_tie_audit"](any_store, "ws", [], "", "") == ("audit",)
    method = type(any_store)._insert_tie_audit
    # an adapter that writes the rows itself is journaled; one that keeps the default
    # writes through its journaled _insert_audit
    assert getattr(method, "_journaled", False) or getattr(
        type(any_store)._insert_audit, "_journaled", False
    )


def _town(ws):
    a = ws.add_node("Person", "Jan de Vries", id="per-jan")
    b = ws.add_node("Person", "Fatma Yılmaz", id="per-fatma")
    org = ws.add_node("Organisation", "Stichting Groen", id="org-groen")
    return a, b, org


def _row(tie_id, kind, source, target, **fields):
    values = dict(strength=None, since=None, until=None, role=None, origin=None, props={})
    values.update(fields)
    tie = Tie(tie_id, kind, source, target, **values, recorded_at="2026-12-01T12:00:00Z")
    return tuple(getattr(tie, f) for f in Tie.__slots__)


def test_add_tie_rows_writes_what_add_ties_writes(ws):
    store, slug = ws.store, ws.slug
    a, b, org = _town(ws)
    fields = [
        (RelKind.KNOWS, a.id, b.id, dict(strength=0.6, since=dt.date(2024, 3, 1))),
        (
            RelKind.MEMBER_OF,
            a.id,
            org.id,
            dict(role="bestuur", origin="import x.csv", until=dt.date(2026, 1, 1)),
        ),
        (RelKind.MEMBER_OF, b.id, org.id, dict(props={"hobby": "schaken"}, strength=1.0)),
    ]
    with store.acting_as("anna@bibliotheek.nl"):
        assert store.add_tie_rows(
            slug, [_row(f"tie-row{i}", k, s, t, **f) for i, (k, s, t, f) in enumerate(fields)]
        ) == len(fields)
        store.add_ties(
            slug, [Tie(*_row(f"tie-obj{i}", k, s, t, **f)) for i, (k, s, t, f) in enumerate(fields)]
        )

    def strip(tie_id):
        return tie_id.replace("tie-row", "").replace("tie-obj", "")

    ties = {}
    for t in store.ties(slug, history=True):
        ties.setdefault(t.id[:7], []).append((strip(t.id), *astuple(t)[1:]))
    assert len(ties["tie-row"]) == len(fields)
    assert sorted(ties["tie-row"]) == sorted(ties["tie-obj"])
    entries = {}
    for e in store.audit(slug, action="create"):
        if e.target_type == "tie":
            key = (strip(e.target_id), e.actor, e.label, tuple(map(strip, e.refs)), e.detail)
            entries.setdefault(e.target_id[:7], []).append(key)
    assert sorted(entries["tie-row"]) == sorted(entries["tie-obj"])
    assert len(entries["tie-row"]) == len(fields)


def test_add_tie_rows_checks_the_ends_and_writes_nothing_on_error(ws):
    store, slug = ws.store, ws.slug
    a, b, org = _town(ws)
    good = _row("tie-good", RelKind.KNOWS, a.id, b.id)
    before = len(store.audit(slug))
    with pytest.raises(NotFoundError):
        store.add_tie_rows(slug, [good, _row("tie-x", RelKind.KNOWS, a.id, "per-nobody")])
    with pytest.raises(ValidationError):
        store.add_tie_rows(slug, [good, _row("tie-y", RelKind.KNOWS, a.id, org.id)])
    assert not list(store.ties(slug))
    assert len(store.audit(slug)) == before


def test_add_tie_rows_is_journaled_as_the_ties(any_store):
    change = PRIMITIVES["_insert_tie_rows"](any_store, "ws", [_row("tie-j", "KNOWS", "a", "b")])
    assert change[0] == "ties" and len(change[1]) == 1
    assert list(change[1]) == [Tie(*_row("tie-j", "KNOWS", "a", "b"))]
