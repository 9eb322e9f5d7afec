"""The recent changes of a workspace and undoing one: writing its recorded reverse as a new
change.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ... import audit
from ...errors import ConflictError, NotFoundError
from ...i18n import N_
from ...store.base import Workspace
from .change import Change, EditError, _iso, today
from .ties import _tie_label

#: How long after a change its author may undo it.
UNDO_WINDOW = dt.timedelta(hours=1)
#: How many audit entries are read to find the recent changes.
RECENT_LIMIT = 500
#: How many of the newest audit entries :func:`recent_changes` reads to see whether the undo
#: window lies among them.
WINDOW_PROBE = 2_000


# --------------------------------------------------------------------------- undo


@dataclass
class RecentChange:
    """A change in the audit trail, as the "recent changes" list shows it."""

    seq: int
    at: str
    actor: str
    op: str
    label: str
    target_id: str | None
    undone: bool
    undoable: bool


def _parse_at(text: str) -> dt.datetime:
    moment = dt.datetime.fromisoformat(text)
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def recent_changes(
    ws: Workspace,
    actor: str | None,
    *,
    entity: str | None = None,
    now: dt.datetime | None = None,
    limit: int = 20,
) -> list[RecentChange]:
    """The worksheet changes of the last hour, newest first; those by ``actor`` not undone
    yet can be undone. ``entity`` limits them to changes touching that entity."""
    now = now or dt.datetime.now(dt.UTC)
    entries = _recent_entries(ws, entity, now)
    undone = {e.detail.get("undoes") for e in entries if e.action == audit.UNDO}
    out = []
    for e in entries:
        if e.action != audit.EDIT or e.seq is None:
            continue
        if now - _parse_at(e.at) > UNDO_WINDOW:
            break
        done = e.seq in undone
        out.append(
            RecentChange(
                seq=e.seq,
                at=e.at,
                actor=e.actor,
                op=str(e.detail.get("op", "")),
                label=e.label or "",
                target_id=e.target_id,
                undone=done,
                undoable=not done and actor is not None and e.actor == actor,
            )
        )
        if len(out) >= limit:
            break
    return out


def _recent_entries(ws: Workspace, entity: str | None, now: dt.datetime) -> list[Any]:
    """The newest :data:`RECENT_LIMIT` edits and undos (about ``entity``), as far as the
    undo window needs them. When the newest :data:`WINDOW_PROBE` entries of any kind reach
    back beyond the window, they hold every edit the window can show (the audit trail is in
    time order), and are filtered here: asking the database for edits alone makes it read
    back through the whole trail when there are few (a province's import: a million entries).
    Otherwise the database is asked."""
    kinds = (audit.EDIT, audit.UNDO)
    newest = ws.audit(limit=WINDOW_PROBE)
    if len(newest) == WINDOW_PROBE and now - _parse_at(newest[-1].at) <= UNDO_WINDOW:
        return ws.audit(action=list(kinds), entity=entity, limit=RECENT_LIMIT)
    found = [e for e in newest if e.action in kinds and (entity is None or entity in e.refs)]
    return found[:RECENT_LIMIT]


def _find_edit(ws: Workspace, seq: int) -> Any:
    for entry in ws.audit(action=[audit.EDIT, audit.UNDO], limit=RECENT_LIMIT):
        if entry.seq == seq and entry.action == audit.EDIT:
            return entry
    raise NotFoundError("no change {seq!r} among the recent ones", seq=seq)


def undo(ws: Workspace, seq: Any, *, now: dt.datetime | None = None) -> Change:
    """Write the reverse of change ``seq``: only its author, only within
    :data:`UNDO_WINDOW`, only once, and only while what it wrote was not changed again."""
    try:
        seq = int(seq)
    except (TypeError, ValueError):
        raise EditError(
            "bad_change", N_("change {seq!r} is not a number"), field="change", seq=seq
        ) from None
    entry = _find_edit(ws, seq)
    actor = ws.store.actor or audit.SYSTEM_ACTOR
    now = now or dt.datetime.now(dt.UTC)
    if entry.actor != actor:
        raise EditError(
            "undo_other", N_("only who made a change can undo it"), field="change", value=seq
        )
    if now - _parse_at(entry.at) > UNDO_WINDOW:
        raise EditError(
            "undo_late",
            N_("only changes of the last hour can be undone"),
            field="change",
            value=seq,
        )
    undone = [
        e for e in ws.audit(action=audit.UNDO, limit=RECENT_LIMIT) if e.detail.get("undoes") == seq
    ]
    if undone:
        raise EditError(
            "undo_done", N_("this change was undone already"), field="change", value=seq
        )
    change = Change("undo", entry.label or "")
    with ws.atomic():
        for step in reversed(entry.detail.get("reverse", [])):
            _reverse(ws, change, step)
        entry_undo = ws.record_audit(
            audit.UNDO,
            target_type=entry.target_type,
            target_id=entry.target_id,
            label=entry.label,
            refs=entry.refs,
            detail={"undoes": seq, "op": entry.detail.get("op")},
        )
        change.seq = entry_undo.seq
    return change


def _conflict(ws: Workspace, what: str) -> EditError:
    return EditError(
        "undo_conflict",
        N_("{label} was changed again since; undo the later change first"),
        field="change",
        label=what,
    )


def _reverse(ws: Workspace, change: Change, step: Mapping[str, Any]) -> None:
    do, ident = step["do"], step["id"]
    if do in ("void_node", "restore_node"):
        node = ws.get_node(ident)
        if node.version != step["version"]:
            raise _conflict(ws, node.name)
        if do == "void_node":
            day = node.since or today()
            new = ws.update_node(ident, since=day, until=day)
        else:
            new = ws.update_node(
                ident,
                name=step["name"],
                props=step["props"],
                merge_props=False,
                since=step["since"],
                until=step["until"],
                origin=step["origin"],
            )
        change.nodes.append(new)
        return
    tie = ws.get_tie(ident)
    moved = tie.version != step["version"]
    if do == "restore_tie" and "now" in step:
        # a later version with the same values (an end undone since) is still this change
        now = step["now"]
        moved = tie.version < step["version"] or (tie.strength, tie.role) != (
            now["strength"],
            now["role"],
        )
    if do != "void_tie" and _iso(tie.until) != step.get("until"):
        moved = True
    if moved:
        raise _conflict(ws, _tie_label(ws, tie))
    if do == "void_tie":
        day = tie.since or today()
        if tie.until is not None and tie.until <= day:
            change.ties.append(tie)
            return
        change.ties.append(ws.end_tie(ident, on=day))
    elif do == "restore_tie":
        change.ties.append(
            ws.change_tie(
                ident,
                on=max(dt.date.fromisoformat(step["on"]), tie.since or dt.date.min),
                strength=step["strength"],
                role=step["role"],
                origin=step["origin"],
                props=step["props"],
            )
        )
    elif do == "reopen_tie":
        reopened = ws.reopen_tie(ident)
        if step.get("old_until"):
            reopened = ws.end_tie(ident, on=step["old_until"])
        change.ties.append(reopened)
    else:  # pragma: no cover - only the steps above are ever recorded
        raise ConflictError("unknown reverse step {do!r}", do=do)
