"""Pieces of the community pages that are not forms or words: the history around some
communities read once per request (:func:`history_around`), and a long table shown a page at a
time (:func:`paginate`, with :func:`page_args` for the links to the other pages)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import networkx as nx
from flask import g, request, url_for

from mapper import workplan
from mapper.community_history import community_history

from .db import current_workspace

#: Rows per page of a long table (the members of a community).
PER_PAGE = 50


def history_around(community_ids: Iterable[str], also: Iterable[str] = ()) -> nx.MultiDiGraph:
    """:func:`mapper.community_history.community_history` of the current workspace, read once
    per request for the same arguments (the community page and the panels it includes share
    it)."""
    key = (frozenset(community_ids), frozenset(also))
    cache: dict[Any, nx.MultiDiGraph] = g.setdefault("community_histories", {})
    if key not in cache:
        cache[key] = community_history(current_workspace(), sorted(key[0]), also=sorted(key[1]))
    return cache[key]


def calendar_owners(node: Any) -> list[str]:
    """Who owns the items of a community's content calendar (the pulse looks them up)."""
    return [str(i["owner"]) for i in workplan.records(node, "calendar") if i.get("owner")]


def paginate(items: Sequence[Any], raw: str | None, per_page: int = PER_PAGE) -> dict[str, Any]:
    """One page of ``items``: ``raw`` is the page number asked for (1-based; anything else,
    or a page past the end, gives the nearest page there is).

    Returns ``items`` (that page's), ``page``, ``pages``, ``total``, ``first`` and ``last``
    (the 1-based positions of the page's first and last item; 0 when there are none).
    """
    total = len(items)
    pages = max(1, -(-total // per_page))
    try:
        page = int(raw or 1)
    except ValueError:
        page = 1
    page = min(max(page, 1), pages)
    start = (page - 1) * per_page
    chunk = list(items[start : start + per_page])
    return {
        "items": chunk,
        "page": page,
        "pages": pages,
        "total": total,
        "first": start + 1 if chunk else 0,
        "last": start + len(chunk),
    }


def page_args(anchor: str = "", **changes: Any) -> str:
    """This page's URL with some query arguments changed (``None`` drops one)."""
    args: dict[str, Any] = {k: v for k, v in request.args.items() if k not in changes}
    args.update({k: v for k, v in changes.items() if v is not None})
    args.update(request.view_args or {})
    return url_for(str(request.endpoint), **args) + anchor
