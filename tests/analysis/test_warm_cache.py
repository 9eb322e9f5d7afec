"""The warm-contact graph comes from the shared projection and is kept between requests, yet
always equals a fresh projection with strengths from the contact log, after every change."""

from __future__ import annotations

import datetime as dt

import networkx as nx
import pytest

from mapper.analysis.strength import STRENGTH_ATTR, annotate_strengths
from mapper.services.warm import log_conversation, warm_contacts, warm_graph
from mapper.store import SQLiteStore
from tests.warm_town import build_town

DAY = dt.date(2026, 6, 1)


@pytest.fixture
def town(tmp_path):
    store = SQLiteStore(tmp_path / "town.db")
    ids = build_town(store)
    yield store.workspace("demo"), ids
    store.close()


def _fresh(ws, day):
    return annotate_strengths(ws.project(as_of=day), ws.contacts(until=day), as_of=day)


def _edges(graph):
    return sorted((u, v, k, sorted(d.items())) for u, v, k, d in graph.edges(keys=True, data=True))


def test_equal_to_a_fresh_projection_and_kept_while_nothing_changes(town):
    ws, _ = town
    first = warm_graph(ws, as_of=DAY)
    assert _edges(first) == _edges(_fresh(ws, DAY))
    assert sorted(first.nodes(data=True)) == sorted(ws.project(as_of=DAY).nodes(data=True))
    assert warm_graph(ws, as_of=DAY) is first  # the next request reuses it


def test_shared_graph_is_read_only_and_the_projection_is_not_touched(town):
    ws, _ = town
    graph = warm_graph(ws, as_of=DAY)
    with pytest.raises(nx.NetworkXError):
        graph.add_edge("a", "b")
    shared = ws.projection().as_of(DAY)
    assert all(STRENGTH_ATTR not in d for _, _, d in shared.edges(data=True))


def test_the_warm_graph_copies_nothing_and_works_out_only_the_ties_read(town):
    """A view over the shared projection (a copy of the whole graph cost about 8 s at 1M
    ties before the first ranking): it holds the projection's own node dicts, and a tie's
    strength is worked out when the ranking first reads it."""
    ws, ids = town
    graph = warm_graph(ws, as_of=DAY)
    shared = ws.projection().as_of(DAY)
    assert graph._node is shared._node
    assert not graph._succ._edges  # nothing worked out before anything is read
    some = next(n for n in shared if shared.degree(n))
    list(graph[some].items())
    assert 0 < len(graph._succ._edges) < shared.number_of_edges()


def test_a_logged_conversation_and_a_changed_tie_give_a_new_graph(town):
    ws, ids = town
    before = warm_graph(ws, as_of=DAY)
    log_conversation(ws, staff=ids["anna"], person=ids["piet"], on="2026-05-30")
    after = warm_graph(ws, as_of=DAY)
    assert after is not before
    assert _edges(after) == _edges(_fresh(ws, DAY))
    tie = next(t for t in ws.ties() if {t.source, t.target} == {ids["jan"], ids["fatma"]})
    ws.change_tie(tie.id, on="2026-05-31", strength=0.1)
    again = warm_graph(ws, as_of=DAY)
    assert again is not after
    assert _edges(again) == _edges(_fresh(ws, DAY))


def test_the_ranking_on_the_kept_graph_is_the_ranking_on_a_fresh_one(town):
    ws, ids = town
    kept = warm_contacts(ws, ids["duurzaam"], as_of=DAY)
    fresh = warm_contacts(ws, ids["duurzaam"], as_of=DAY, graph=_fresh(ws, DAY))
    assert [(c.id, round(c.score, 9)) for c in kept.contacts] == [
        (c.id, round(c.score, 9)) for c in fresh.contacts
    ]
    assert kept.contacts, "the town has warm contacts for its theme"


def test_a_contact_moment_alone_gives_a_new_graph(town):
    """A contact moment changes derived strengths (the graph's ties stay as they were)."""
    ws, _ = town
    before = warm_graph(ws, as_of=DAY)
    mark = ws.projection()
    u, v = next((u, v) for u, v, d in before.edges(data=True) if d["strength"] is None)
    ws.add_contact(u, v, on="2026-05-30")
    after = warm_graph(ws, as_of=DAY)
    assert after is not before
    assert _edges(after) == _edges(_fresh(ws, DAY))
    assert _edges(after) != _edges(before)  # a strength is now derived from the contact
    del mark
