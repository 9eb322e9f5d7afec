"""Pieces of the community pages that are not forms or words: a long table shown a page at a
time (:func:`paginate`, with :func:`page_args` for the links to the other pages)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from flask import request, url_for

#: Rows per page of a long table (the members of a community).
PER_PAGE = 50


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
