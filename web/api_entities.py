"""The JSON API for entities and ties, so other tools and scripts can feed the map.

Thin over :mod:`mapper.services.edit`: the same rules as the worksheet forms (validated,
versioned, audited, all or nothing; organisations-only workspaces refuse people). Token auth
as ``/api/warm-contacts`` (``Authorization: Bearer cm_…``, checked app-wide in
:mod:`web.auth`: viewers read, editors write). Errors are ``{"error", "field", "value"}`` with
400 (a bad value), 404 (the entity or tie in the address does not exist here) or 409 (the
change clashes with what is stored). The contract is ``web/static/openapi.json``, served at
``/api/openapi.json``.
"""

from __future__ import annotations

import datetime as dt
import json
from functools import cache
from pathlib import Path
from typing import Any

from flask import Blueprint, jsonify, request

from mapper.errors import ConflictError, MapperError, NotFoundError, ValidationError
from mapper.model import Node, Tie, check_date, strength_label
from mapper.services import edit
from mapper.services.edit import UNSET, UnknownRef

from .auth import public
from .db import current_workspace
from .edit_state import error_message

bp = Blueprint("api_entities", __name__)

OPENAPI = Path(__file__).parent / "static" / "openapi.json"
#: Most entities one GET returns.
MAX_LIMIT = 1000
DEFAULT_LIMIT = 100
#: Error codes of the edit service that are clashes with the stored state (409).
CONFLICT_CODES = frozenset({"tie_ended", "entity_ended", "undo_conflict", "undo_done"})


class ApiError(Exception):
    def __init__(self, status: int, error: str, field: str | None = None, value: Any = None):
        super().__init__(error)
        self.status, self.error, self.field, self.value = status, error, field, value


@bp.errorhandler(ApiError)
def _api_error(exc: ApiError):  # type: ignore[no-untyped-def]
    return jsonify(error=exc.error, field=exc.field, value=_jsonable(exc.value)), exc.status


@bp.errorhandler(MapperError)
def _mapper_error(exc: MapperError):  # type: ignore[no-untyped-def]
    if isinstance(exc, UnknownRef):
        status = 400
    elif isinstance(exc, NotFoundError):
        status = 404
    elif isinstance(exc, ConflictError) or getattr(exc, "code", None) in CONFLICT_CODES:
        status = 409
    else:
        status = 400
    return jsonify(
        error=error_message(exc),
        field=getattr(exc, "field", None),
        value=_jsonable(getattr(exc, "value", None)),
    ), status


def _jsonable(value: Any) -> Any:
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


# --------------------------------------------------------------------------- shapes


def node_json(node: Node, *, day: dt.date | None = None) -> dict[str, Any]:
    return {
        "id": node.id,
        "kind": node.kind.value,
        "name": node.name,
        "details": dict(node.props),
        "since": _iso(node.since),
        "until": _iso(node.until),
        "origin": node.origin,
        "version": node.version,
        "recorded_at": node.recorded_at,
        "valid": node.valid_on(day or dt.date.today()),
    }


def tie_json(tie: Tie) -> dict[str, Any]:
    return {
        "id": tie.id,
        "kind": tie.kind.value,
        "source": tie.source,
        "target": tie.target,
        "strength": tie.strength,
        "strength_word": strength_label(tie.strength, "nl") if tie.strength is not None else None,
        "since": _iso(tie.since),
        "until": _iso(tie.until),
        "role": tie.role,
        "origin": tie.origin,
        "version": tie.version,
        "current": tie.current,
    }


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def body() -> dict[str, Any]:
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise ApiError(400, "the request body must be a JSON object", "body", None)
    return data


def as_of() -> dt.date | None:
    return check_date(request.args.get("as_of") or None, field="as_of")


def _list(data: dict[str, Any], key: str) -> list[str]:
    value = data.get(key) or []
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ApiError(400, f"{key} must be a list of ids or names", key, value)
    return value


def _known(data: dict[str, Any], allowed: set[str]) -> None:
    extra = sorted(set(data) - allowed)
    if extra:
        raise ApiError(400, f"unknown field {extra[0]!r}", extra[0], None)


# --------------------------------------------------------------------------- entities

ENTITY_FIELDS = {
    "kind",
    "name",
    "details",
    "since",
    "origin",
    "theme",
    "theme_strength",
    "channels",
    "organises",
    "attends",
    "organisers",
    "bond",
    "bond_holder",
    "bond_strength",
    "library_theme",
    "goals",
    "themes",
    "signals",
}


@bp.get("/api/entities")
def list_entities():  # type: ignore[no-untyped-def]
    """Entities, by name: ``?kind=`` (model name or Dutch word), ``?q=`` (part of the name),
    ``?as_of=`` (only those valid that day), ``?limit=`` (default 100, at most 1000)."""
    ws = current_workspace()
    day = as_of()
    raw_limit = request.args.get("limit", str(DEFAULT_LIMIT))
    if not raw_limit.isdigit() or not 1 <= int(raw_limit) <= MAX_LIMIT:
        raise ApiError(
            400, f"limit must be a whole number from 1 to {MAX_LIMIT}", "limit", raw_limit
        )
    kind = request.args.get("kind")
    kinds = [edit.parse_kind(kind)] if kind else None
    text = (request.args.get("q") or "").strip()
    if text:
        nodes = ws.find_nodes(text, kind=kinds, limit=int(raw_limit))
        if day is not None:
            nodes = [n for n in nodes if n.valid_on(day)]
    else:
        nodes = sorted(ws.nodes(kind=kinds, as_of=day), key=lambda n: (n.name.casefold(), n.id))
    return jsonify([node_json(n, day=day) for n in nodes[: int(raw_limit)]])


@bp.post("/api/entities")
def create_entity():  # type: ignore[no-untyped-def]
    data = body()
    _known(data, ENTITY_FIELDS)
    if "kind" not in data or "name" not in data:
        missing = "kind" if "kind" not in data else "name"
        raise ApiError(400, f"{missing} is required", missing, None)
    details = data.get("details") or {}
    if not isinstance(details, dict):
        raise ApiError(400, "details must be an object", "details", None)
    if not isinstance(data["name"], str):
        raise ApiError(400, "name must be text", "name", data["name"])
    change = edit.add_entity(
        current_workspace(),
        data["kind"],
        data["name"],
        details=details,
        since=data.get("since"),
        origin=data.get("origin"),
        theme=data.get("theme"),
        theme_strength=data.get("theme_strength"),
        channels=_list(data, "channels"),
        organises=_list(data, "organises"),
        attends=_list(data, "attends"),
        organisers=_list(data, "organisers"),
        bond=bool(data.get("bond")),
        bond_holder=data.get("bond_holder"),
        bond_strength=data.get("bond_strength"),
        library_theme=bool(data.get("library_theme")),
        goals=_list(data, "goals"),
        themes=_list(data, "themes"),
        signals=_list(data, "signals"),
    )
    return jsonify(
        {
            **node_json(change.node),
            "change": change.seq,
            "ties": [tie_json(t) for t in change.ties],
        }
    ), 201


@bp.get("/api/entities/<node_id>")
def get_entity(node_id: str):  # type: ignore[no-untyped-def]
    """One entity with its ties valid on ``?as_of=`` (default today)."""
    ws = current_workspace()
    day = as_of() or dt.date.today()
    node = ws.get_node(node_id)
    ties = [tie_json(t) for t in ws.ties(node=node_id, as_of=day)]
    return jsonify({**node_json(node, day=day), "ties": ties})


@bp.patch("/api/entities/<node_id>")
def patch_entity(node_id: str):  # type: ignore[no-untyped-def]
    """Change name, details (``null`` removes one), ``since``, ``until``, ``origin``: a new
    version."""
    ws = current_workspace()
    ws.get_node(node_id)
    data = body()
    _known(data, {"name", "details", "since", "until", "origin"})
    details = data.get("details")
    if details is not None and not isinstance(details, dict):
        raise ApiError(400, "details must be an object", "details", None)
    change = edit.update_entity(
        ws,
        node_id,
        name=data.get("name", UNSET),
        details=details,
        since=data.get("since", UNSET),
        until=data.get("until", UNSET),
        origin=data.get("origin", UNSET),
    )
    return jsonify({**node_json(ws.get_node(node_id)), "change": change.seq})


@bp.delete("/api/entities/<node_id>")
def end_entity(node_id: str):  # type: ignore[no-untyped-def]
    """End an entity on ``?on=`` (default today); it stays in the history. Erasing a person
    is the privacy page's job."""
    ws = current_workspace()
    ws.get_node(node_id)
    change = edit.end_entity(ws, node_id, on=request.args.get("on") or None)
    return jsonify({**node_json(ws.get_node(node_id)), "change": change.seq})


# --------------------------------------------------------------------------- ties


@bp.get("/api/ties")
def list_ties():  # type: ignore[no-untyped-def]
    """Ties (their latest versions, or those valid on ``?as_of=``), ``?node=`` at either end,
    ``?kind=``; ``?history=1`` gives every version."""
    ws = current_workspace()
    day = as_of()
    node = request.args.get("node") or None
    if node is not None:
        ws.get_node(node)
    kind = request.args.get("kind")
    kinds = [edit.parse_tie_kind(kind)] if kind else None
    history = request.args.get("history") in ("1", "true")
    ties = ws.ties(node=node, kind=kinds, as_of=day, history=history and day is None)
    return jsonify([tie_json(t) for t in ties])


@bp.post("/api/ties")
def create_tie():  # type: ignore[no-untyped-def]
    data = body()
    _known(data, {"kind", "source", "target", "strength", "since", "role", "origin"})
    for key in ("kind", "source", "target"):
        if not data.get(key):
            raise ApiError(400, f"{key} is required", key, None)
    change = edit.add_tie(
        current_workspace(),
        data["kind"],
        data["source"],
        data["target"],
        strength=data.get("strength"),
        since=data.get("since"),
        role=data.get("role"),
        origin=data.get("origin"),
    )
    return jsonify({**tie_json(change.tie), "change": change.seq}), 201


@bp.get("/api/ties/<tie_id>")
def get_tie(tie_id: str):  # type: ignore[no-untyped-def]
    ws = current_workspace()
    versions = ws.tie_history(tie_id)
    return jsonify({**tie_json(versions[-1]), "versions": [tie_json(v) for v in versions]})


@bp.patch("/api/ties/<tie_id>")
def patch_tie(tie_id: str):  # type: ignore[no-untyped-def]
    """A new version from ``on`` (default today) with ``strength``/``role``; ``until`` ends
    the tie on that day instead."""
    ws = current_workspace()
    ws.get_tie(tie_id)
    data = body()
    _known(data, {"strength", "role", "origin", "on", "until"})
    if "until" in data:
        if set(data) - {"until"}:
            raise ApiError(400, "until ends a tie; change it in another request", "until", None)
        change = edit.end_tie(ws, tie_id, on=data["until"])
    else:
        change = edit.change_tie(
            ws,
            tie_id,
            on=data.get("on"),
            strength=data.get("strength", UNSET),
            role=data.get("role", UNSET),
            origin=data.get("origin", UNSET),
        )
    return jsonify({**tie_json(ws.get_tie(tie_id)), "change": change.seq})


@bp.post("/api/changes/<int:seq>/undo")
def undo_change(seq: int):  # type: ignore[no-untyped-def]
    """Undo a change of the last hour made by the same account."""
    change = edit.undo(current_workspace(), seq)
    return jsonify(
        {"undone": seq, "nodes": [n.id for n in change.nodes], "ties": [t.id for t in change.ties]}
    )


# --------------------------------------------------------------------------- the contract


@cache
def openapi_document() -> dict[str, Any]:
    return json.loads(OPENAPI.read_text(encoding="utf-8"))


@bp.get("/api/openapi.json")
@public
def openapi():  # type: ignore[no-untyped-def]
    return jsonify(openapi_document())


__all__ = ["bp", "node_json", "tie_json", "openapi_document", "ValidationError"]
