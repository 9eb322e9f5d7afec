"""*Aan de slag*: how a community is run, kept on its Community node.

The workbook's last step (after werkblad 6) asks the library and the community to agree who
does what (*werkafspraken*), when the (sub)goals are measured and the cooperation evaluated
(*meetmomenten*), which online platform they use, where the community's outcomes are kept,
and to plan communication moments ahead with an owner (*contentkalender*).

All of it lives in properties of the Community node, so every change is a new version of the
node (history and audit trail, through :meth:`~mapper.store.base.Store.update_node`):

====================  =========================================================================
``agreements``        list of tasks: ``{id, task, who, hours, since, until}`` — ``who`` is the
                      id of a Staff, Person or Organisation node, ``hours`` per month
``contact_person``    id of the contact person (*aanspreekpunt*), a Staff or Person node
``meeting_rhythm``    text: when and how often the community meets
``platform``          id of the Channel that is the community's online platform
``outcomes_place``    text: where and how outcomes are recorded
``outcomes``          list: ``{id, what, date, where, link}``
``checkpoints``       list of measurement moments: ``{id, date, goals, how, evaluation}``;
                      ``evaluation`` is ``None`` or ``{date, went_well, to_change,
                      partners_view, score}`` (score 1–5)
``calendar``          list of communication moments: ``{id, title, kind, date, channel, owner,
                      status}`` (see :mod:`mapper.content_calendar`)
====================  =========================================================================

People are referred to by node id only, never by name, so erasing a person (see
:mod:`mapper.privacy`) leaves no name here; a reference to an erased node reads as unknown.

Examples
--------
>>> check_agreement({"task": "Zaal regelen", "hours": "4,5"})["hours"]
4.5
>>> check_checkpoint({"date": "2026-03-01", "goals": ["sgl-1"]})["goals"]
['sgl-1']
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from .errors import Day, NotFoundError, ValidationError
from .i18n import N_, Message
from .model import MAX_TEXT_LENGTH, Node, NodeKind, check_date, check_name
from .store import Workspace

#: Record lists on a community, by property name.
RECORD_KEYS: tuple[str, ...] = ("agreements", "outcomes", "checkpoints", "calendar")
#: Plain settings on a community (text or a node id).
SETTING_KEYS: tuple[str, ...] = ("contact_person", "meeting_rhythm", "platform", "outcomes_place")
#: Kinds of node that can carry a task or own a communication moment.
PEOPLE_KINDS: frozenset[NodeKind] = frozenset(
    {NodeKind.STAFF, NodeKind.PERSON, NodeKind.ORGANISATION}
)
#: Kinds of communication moment (workbook tip: blogs, video's, posters/flyers, evenementen,
#: social media posts).
CONTENT_KINDS: tuple[str, ...] = ("blog", "video", "poster", "event", "social")
#: Status of a communication moment.
CONTENT_STATUSES: tuple[str, ...] = ("planned", "done")
#: Scores of an evaluation of the cooperation (1 = poor … 5 = very good).
SCORES: tuple[int, ...] = (1, 2, 3, 4, 5)
#: Most hours per month one task can take (a full-time job is about 150).
MAX_HOURS = 200.0


# --------------------------------------------------------------------------- validation

#: The fields of the records and settings as a person reads them in a message (English ids).
FIELD_LABELS: dict[str, str] = {
    "task": N_("the task"),
    "who": N_("who does it"),
    "hours": N_("the hours"),
    "since": N_("the start date"),
    "until": N_("the end date"),
    "what": N_("what it is"),
    "date": N_("the date"),
    "where": N_("where it is kept"),
    "link": N_("the link"),
    "how": N_("how it is measured"),
    "went_well": N_("what went well"),
    "to_change": N_("what to change"),
    "partners_view": N_("how the partners see it"),
    "score": N_("the score"),
    "title": N_("the title"),
    "kind": N_("the kind"),
    "status": N_("the status"),
    "channel": N_("the channel"),
    "owner": N_("who is responsible"),
    "contact_person": N_("the contact person"),
    "meeting_rhythm": N_("the meeting rhythm"),
    "platform": N_("the online platform"),
    "outcomes_place": N_("where outcomes are recorded"),
    "on": N_("the date"),
}


def field_label(field: str) -> Message:
    """The field's word in the reader's language, made when the message is shown."""
    return Message(FIELD_LABELS.get(field, field))


def _text(value: Any, *, field: str, required: bool = False) -> str | None:
    text = " ".join(str(value or "").split()) if field not in _LONG else str(value or "").strip()
    if not text:
        if required:
            raise ValidationError("{name} is empty", field=field, name=field_label(field))
        return None
    if len(text) > MAX_TEXT_LENGTH:
        raise ValidationError(
            "{name} is too long (at most {limit} characters)",
            field=field,
            name=field_label(field),
            limit=MAX_TEXT_LENGTH,
        )
    return text


_LONG = frozenset({"went_well", "to_change", "partners_view", "how", "what"})


def _iso(value: Any, *, field: str, required: bool = False) -> str | None:
    day = check_date(value, field=field)
    if day is None:
        if required:
            raise ValidationError(
                "{name} is missing (use YYYY-MM-DD)", field=field, name=field_label(field)
            )
        return None
    return day.isoformat()


def _ref(value: Any, *, field: str) -> str | None:
    text = str(value or "").strip()
    return text or None


def _hours(value: Any) -> float | None:
    if value is None or value == "":
        return None
    try:
        number = float(str(value).replace(",", "."))
    except ValueError:
        raise ValidationError(
            "hours {given!r} is not a number", field="hours", value=value, given=value
        ) from None
    if not 0 <= number <= MAX_HOURS:
        raise ValidationError(
            "hours {given!r} is not between 0 and {most} a month",
            field="hours",
            value=value,
            given=value,
            most=int(MAX_HOURS),
        )
    return number


def _link(value: Any) -> str | None:
    text = str(value or "").strip()
    if not text:
        return None
    if not text.lower().startswith(("https://", "http://")) or len(text) > 2000:
        raise ValidationError(
            "link {given!r} is not a web address (https://…)",
            field="link",
            value=text,
            given=text[:60],
        )
    return text


def _choice(value: Any, allowed: Iterable[str], *, field: str) -> str:
    allowed = tuple(allowed)
    text = str(value or "").strip()
    if text not in allowed:
        raise ValidationError(
            "{name} {given!r} is not one of {allowed}",
            field=field,
            value=text,
            name=field_label(field),
            given=text,
            allowed=", ".join(allowed),
        )
    return text


def check_agreement(data: Mapping[str, Any]) -> dict[str, Any]:
    """A working agreement (*werkafspraak*) cleaned: task, who, hours per month, period.

    >>> check_agreement({"task": " Inhoud  bijeenkomsten ", "who": "per-1", "hours": 8})
    {'task': 'Inhoud bijeenkomsten', 'who': 'per-1', 'hours': 8.0, 'since': None, 'until': None}
    """
    since = _iso(data.get("since"), field="since")
    until = _iso(data.get("until"), field="until")
    if since and until and until < since:
        raise ValidationError(
            "the end date {until} lies before the start date {since}",
            field="until",
            until=Day(until),
            since=Day(since),
        )
    return {
        "task": check_name(str(data.get("task") or ""), field="task"),
        "who": _ref(data.get("who"), field="who"),
        "hours": _hours(data.get("hours")),
        "since": since,
        "until": until,
    }


def check_outcome(data: Mapping[str, Any]) -> dict[str, Any]:
    """An outcome of the community (new knowledge, a product): what, when, where kept, link."""
    return {
        "what": _text(data.get("what"), field="what", required=True),
        "date": _iso(data.get("date"), field="date", required=True),
        "where": _text(data.get("where"), field="where"),
        "link": _link(data.get("link")),
    }


def check_checkpoint(data: Mapping[str, Any]) -> dict[str, Any]:
    """A measurement moment (*meetmoment*): a date, the SMART goals measured, and how."""
    goals = data.get("goals") or []
    if isinstance(goals, str):
        goals = [goals]
    return {
        "date": _iso(data.get("date"), field="date", required=True),
        "goals": sorted({str(g) for g in goals if g}),
        "how": _text(data.get("how"), field="how"),
    }


def check_evaluation(data: Mapping[str, Any]) -> dict[str, Any]:
    """An evaluation of the cooperation at a measurement moment.

    >>> check_evaluation({"date": "2026-05-01", "went_well": "Veel nieuwe leden", "score": "4"})["score"]
    4
    """
    raw = str(data.get("score") or "").strip()
    if raw not in {str(s) for s in SCORES}:
        raise ValidationError("score {given!r} is not 1–5", field="score", value=raw, given=raw)
    out = {
        "date": _iso(data.get("date"), field="date", required=True),
        "went_well": _text(data.get("went_well"), field="went_well"),
        "to_change": _text(data.get("to_change"), field="to_change"),
        "partners_view": _text(data.get("partners_view"), field="partners_view"),
        "score": int(raw),
    }
    if not (out["went_well"] or out["to_change"] or out["partners_view"]):
        raise ValidationError(
            "an evaluation needs at least one answer: what went well, what to change, "
            "or how the partners see it",
            field="went_well",
        )
    return out


def check_content(data: Mapping[str, Any]) -> dict[str, Any]:
    """A communication moment of the content calendar: title, kind, date, channel, owner,
    status.

    >>> check_content({"title": "Blog: een jaar taalmaatjes", "kind": "blog",
    ...                "date": "2026-06-01"})["status"]
    'planned'
    """
    return {
        "title": check_name(str(data.get("title") or ""), field="title"),
        "kind": _choice(data.get("kind"), CONTENT_KINDS, field="kind"),
        "date": _iso(data.get("date"), field="date", required=True),
        "channel": _ref(data.get("channel"), field="channel"),
        "owner": _ref(data.get("owner"), field="owner"),
        "status": _choice(data.get("status") or "planned", CONTENT_STATUSES, field="status"),
    }


CHECKS: dict[str, Callable[[Mapping[str, Any]], dict[str, Any]]] = {
    "agreements": check_agreement,
    "outcomes": check_outcome,
    "checkpoints": check_checkpoint,
    "calendar": check_content,
}
#: Which fields of a record name a node, and the kinds allowed there.
REFERENCES: dict[str, dict[str, frozenset[NodeKind]]] = {
    "agreements": {"who": PEOPLE_KINDS},
    "calendar": {"owner": PEOPLE_KINDS, "channel": frozenset({NodeKind.CHANNEL})},
    "checkpoints": {},
    "outcomes": {},
}


#: Messages for a reference to a node of the wrong kind, by the kinds allowed there.
_REF_MESSAGES: dict[frozenset[NodeKind], str] = {
    PEOPLE_KINDS: N_("{name} {id!r} is not a staff member, person or organisation"),
    frozenset({NodeKind.CHANNEL}): N_("{name} {id!r} is not a channel"),
    frozenset({NodeKind.STAFF, NodeKind.PERSON}): N_(
        "{name} {id!r} is not a staff member or person"
    ),
}
#: The record lists as a person reads them in a message (English ids).
RECORD_LABELS: dict[str, str] = {
    "agreements": N_("the working agreements"),
    "outcomes": N_("the outcomes"),
    "checkpoints": N_("the measurement moments"),
    "calendar": N_("the content calendar"),
}


# --------------------------------------------------------------------------- reading


def _community(ws: Workspace, community_id: str) -> Node:
    node = ws.get_node(community_id)
    if node.kind is not NodeKind.COMMUNITY:
        raise NotFoundError("{id!r} is not a community", id=community_id)
    return node


def records(node: Node, key: str) -> list[dict[str, Any]]:
    """The records of kind ``key`` on a community node, by date (or task), as copies."""
    if key not in RECORD_KEYS:
        raise ValidationError("unknown record list {key!r}", field="key", value=key, key=key)
    raw = node.props.get(key) or []
    rows = [dict(r) for r in raw if isinstance(r, dict)]
    rows.sort(key=lambda r: (r.get("date") or r.get("since") or "", r.get("id") or ""))
    return rows


def record(node: Node, key: str, record_id: str) -> dict[str, Any]:
    """One record by id; NotFoundError if the community has none with that id."""
    for row in records(node, key):
        if row.get("id") == record_id:
            return row
    raise NotFoundError(
        "no entry {id!r} in {list} of {community!r}",
        id=record_id,
        list=Message(RECORD_LABELS.get(key, key)),
        community=node.name,
    )


def settings(node: Node) -> dict[str, Any]:
    """The plain settings (contact person, meeting rhythm, platform, where outcomes go)."""
    return {k: node.props.get(k) for k in SETTING_KEYS}


def current_agreements(node: Node, day: dt.date) -> list[dict[str, Any]]:
    """The agreements that hold on ``day`` (begun, not ended)."""
    iso = day.isoformat()
    return [
        a
        for a in records(node, "agreements")
        if (a.get("since") or "") <= iso and (not a.get("until") or iso < a["until"])
    ]


def goal_ids(ws: Workspace, community_id: str) -> set[str]:
    """Ids of the SMART goals a community pursues (any time)."""
    return {
        t.target for t in ws.ties(node=community_id, kind="PURSUES") if t.source == community_id
    }


# --------------------------------------------------------------------------- writing


def _check_refs(ws: Workspace, key: str, row: Mapping[str, Any]) -> None:
    refs = {f: str(row[f]) for f in REFERENCES[key] if row.get(f)}
    found = ws.get_nodes(refs.values())
    for field, node_id in refs.items():
        node = found.get(node_id)
        if node is None or node.kind not in REFERENCES[key][field]:
            raise ValidationError(
                _REF_MESSAGES[REFERENCES[key][field]],
                field=field,
                value=node_id,
                name=field_label(field),
                id=node_id,
            )


def _write(ws: Workspace, node: Node, key: str, rows: list[dict[str, Any]]) -> Node:
    return ws.update_node(node.id, props={key: rows})


def add_record(ws: Workspace, community_id: str, key: str, data: Mapping[str, Any]) -> dict:
    """Validate ``data`` as a record of kind ``key`` and add it to the community.

    Returns the record (with its new ``id``). The community gets a new version.

    Raises
    ------
    ValidationError
        Naming the bad field.
    """
    row = CHECKS[key](data)
    with ws.atomic():
        node = _community(ws, community_id)
        _check_refs(ws, key, row)
        if key == "checkpoints":
            unknown = set(row["goals"]) - goal_ids(ws, community_id)
            if unknown:
                raise ValidationError(
                    "{ids} is not a SMART goal of {community!r}",
                    field="goals",
                    ids=", ".join(sorted(unknown)),
                    community=node.name,
                )
            row["evaluation"] = None
        row = {"id": secrets.token_hex(4), **row}
        _write(ws, node, key, [*records(node, key), row])
    return row


def update_record(
    ws: Workspace, community_id: str, key: str, record_id: str, changes: Mapping[str, Any]
) -> dict:
    """Change fields of one record (validated as a whole); the old version stays in history."""
    with ws.atomic():
        node = _community(ws, community_id)
        rows = records(node, key)
        i = next((n for n, r in enumerate(rows) if r.get("id") == record_id), None)
        if i is None:
            raise NotFoundError(
                "no entry {id!r} in {list} of {community!r}",
                id=record_id,
                list=Message(RECORD_LABELS.get(key, key)),
                community=node.name,
            )
        row = rows[i]
        extra = {k: v for k, v in row.items() if k in ("id", "evaluation")}
        merged = CHECKS[key]({**row, **changes})
        _check_refs(ws, key, merged)
        rows[i] = {**extra, **merged}
        _write(ws, node, key, rows)
    return rows[i]


def end_agreement(ws: Workspace, community_id: str, record_id: str, *, on: Any) -> dict:
    """End a working agreement on day ``on`` (it stays in the list, ended)."""
    day = check_date(on, field="on")
    if day is None:
        raise ValidationError("ending an agreement needs a date", field="on")
    return update_record(ws, community_id, "agreements", record_id, {"until": day.isoformat()})


def evaluate(ws: Workspace, community_id: str, checkpoint_id: str, data: Mapping[str, Any]) -> dict:
    """Record the evaluation of the cooperation at a measurement moment. An evaluation given
    again replaces the shown one; the earlier one stays in the node's history."""
    evaluation = check_evaluation(data)
    with ws.atomic():
        node = _community(ws, community_id)
        rows = records(node, "checkpoints")
        for row in rows:
            if row.get("id") == checkpoint_id:
                row["evaluation"] = evaluation
                break
        else:
            raise NotFoundError(
                "no measurement moment {id!r} on {community!r}",
                id=checkpoint_id,
                community=node.name,
            )
        _write(ws, node, "checkpoints", rows)
    return evaluation


def set_settings(ws: Workspace, community_id: str, values: Mapping[str, Any]) -> Node:
    """Set the contact person, meeting rhythm, platform (a channel) and where outcomes are
    recorded. An empty value clears the setting."""
    props: dict[str, Any] = {}
    for key, value in values.items():
        if key not in SETTING_KEYS:
            raise ValidationError("unknown setting {key!r}", field=key, key=key)
        props[key] = _text(value, field=key)
    with ws.atomic():
        _community(ws, community_id)
        wanted = {
            "contact_person": frozenset({NodeKind.STAFF, NodeKind.PERSON}),
            "platform": frozenset({NodeKind.CHANNEL}),
        }
        for key, kinds in wanted.items():
            if props.get(key):
                found = ws.get_nodes([props[key]]).get(props[key])
                if found is None or found.kind not in kinds:
                    raise ValidationError(
                        _REF_MESSAGES[kinds],
                        field=key,
                        value=props[key],
                        name=field_label(key),
                        id=props[key],
                    )
        return ws.update_node(community_id, props=props)


# --------------------------------------------------------------------------- privacy


#: Fields of each record list (and settings) that name a person.
PERSON_FIELDS: dict[str, str] = {"agreements": "who", "calendar": "owner"}


def references(ws: Workspace, node_id: str) -> list[dict[str, Any]]:
    """Every *Aan de slag* record that names ``node_id`` (for an access request): rows
    ``{community, community_name, key, record}``; ``key`` is ``contact_person`` for the
    contact-person setting. Current versions only."""
    out: list[dict[str, Any]] = []
    for community in ws.nodes(kind=NodeKind.COMMUNITY):
        if community.props.get("contact_person") == node_id:
            out.append(
                {
                    "community": community.id,
                    "community_name": community.name,
                    "key": "contact_person",
                    "record": None,
                }
            )
        for key, field in PERSON_FIELDS.items():
            for row in records(community, key):
                if row.get(field) == node_id:
                    out.append(
                        {
                            "community": community.id,
                            "community_name": community.name,
                            "key": key,
                            "record": row,
                        }
                    )
    return out


def forget(ws: Workspace, node_id: str) -> int:
    """Remove ``node_id`` from every community's current *Aan de slag* records (the task or
    moment stays, without a person; the contact person is cleared). Returns how many
    references were removed. Earlier versions of the community nodes keep the id (only the
    id: no name is ever stored here); an erasure that must also rewrite history needs the
    store to do it."""
    removed = 0
    with ws.atomic():
        for community in ws.nodes(kind=NodeKind.COMMUNITY):
            props: dict[str, Any] = {}
            if community.props.get("contact_person") == node_id:
                props["contact_person"] = None
                removed += 1
            for key, field in PERSON_FIELDS.items():
                rows = records(community, key)
                hits = [r for r in rows if r.get(field) == node_id]
                for row in hits:
                    row[field] = None
                if hits:
                    props[key] = rows
                    removed += len(hits)
            if props:
                ws.update_node(community.id, props=props)
    return removed


__all__ = [
    "CONTENT_KINDS",
    "CONTENT_STATUSES",
    "RECORD_KEYS",
    "SCORES",
    "SETTING_KEYS",
    "add_record",
    "check_agreement",
    "check_checkpoint",
    "check_content",
    "check_evaluation",
    "check_outcome",
    "current_agreements",
    "end_agreement",
    "evaluate",
    "forget",
    "references",
    "record",
    "records",
    "set_settings",
    "settings",
    "update_record",
]
