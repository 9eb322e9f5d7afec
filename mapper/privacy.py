"""Privacy (AVG / GDPR): lawful basis and source per person, access requests, review list.

The store keeps the rules that must hold for every write (see
:meth:`mapper.store.base.Store.erase_node` and the "organisations only" workspace setting);
this module answers the questions a library gets from residents and from its privacy officer:

- :func:`access_export`: everything held on one person (details, every version, ties with
  their history, contact moments, audit entries, sources), as a dict; :func:`export_json` and
  :func:`export_html` turn it into a file a resident can read.
- :func:`review_list`: people not contacted for a configurable period, to review or erase.
- :func:`last_contact`: the date of the last logged contact moment with a node.

Per person two properties record the basis of processing (``props``):

``lawful_basis``  one of :data:`LAWFUL_BASES` (AVG article 6(1));
``data_source``   where the data came from (free text: "gesprek op de Repair Café", "import
                  ledenlijst 2025", ...).
"""

from __future__ import annotations

import datetime as dt
import html
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .errors import ValidationError
from .model import Node, NodeKind, strip_bidi

if TYPE_CHECKING:  # pragma: no cover
    from .store.base import Store

from .policy import (  # noqa: F401 - the rules live in policy; re-exported for callers
    DATA_SOURCE,
    DEFAULT_REVIEW_MONTHS,
    LAWFUL_BASES,
    LAWFUL_BASIS,
    ORGANISATIONS_ONLY,
    PERSONAL_KINDS,
    REVIEW_MONTHS,
    check_privacy_props,
    lawful_basis_label,
    organisations_only,
)

# --------------------------------------------------------------------------- last contact


def last_contact(store: Store, workspace: str, node_id: str) -> dt.date | None:
    """The date of the last logged contact moment with ``node_id`` (None if never)."""
    last = None
    for contact in store.contacts(workspace, node=node_id):
        if last is None or contact.on > last:
            last = contact.on
    return last


def last_contacts(store: Store, workspace: str) -> dict[str, dt.date]:
    """The date of the last contact moment per node id, for every node ever contacted."""
    out: dict[str, dt.date] = {}
    for contact in store.contacts(workspace):
        for end in (contact.a, contact.b):
            if end not in out or contact.on > out[end]:
                out[end] = contact.on
    return out


# --------------------------------------------------------------------------- review list


@dataclass(frozen=True, slots=True)
class ReviewItem:
    """A person up for review: not contacted since ``cutoff``."""

    node: Node
    last_contact: dt.date | None
    added_on: dt.date | None

    @property
    def lawful_basis(self) -> str | None:
        return self.node.props.get(LAWFUL_BASIS)

    @property
    def data_source(self) -> str | None:
        return self.node.props.get(DATA_SOURCE) or self.node.origin


def review_cutoff(today: dt.date, months: int) -> dt.date:
    """The day ``months`` months before ``today`` (clamped to the month's last day).

    >>> review_cutoff(dt.date(2025, 3, 31), 1)
    datetime.date(2025, 2, 28)
    """
    if not isinstance(months, int) or isinstance(months, bool) or months < 1:
        raise ValidationError(
            "review period {months!r} is not a whole number of months (1 or more)",
            field=REVIEW_MONTHS,
            value=months,
            months=months,
        )
    year, month = divmod(today.year * 12 + today.month - 1 - months, 12)
    month += 1
    for day in range(today.day, 0, -1):
        try:
            return dt.date(year, month, day)
        except ValueError:
            continue
    raise AssertionError("unreachable")  # pragma: no cover


def review_list(
    store: Store,
    workspace: str,
    *,
    months: int | None = None,
    today: dt.date | None = None,
    kinds: Iterable[NodeKind] = PERSONAL_KINDS,
) -> list[ReviewItem]:
    """People not contacted for ``months`` months (default: the workspace's
    ``review_months`` setting, else :data:`DEFAULT_REVIEW_MONTHS`).

    A person never contacted is listed once they were added before the cutoff. Ordered by
    last contact (never first), then name and id.
    """
    if months is None:
        settings = store.get_workspace(workspace).settings
        months = int(settings.get(REVIEW_MONTHS) or DEFAULT_REVIEW_MONTHS)
    cutoff = review_cutoff(today or dt.date.today(), months)
    lasts = last_contacts(store, workspace)
    items = []
    for node in store.nodes(workspace, kind=list(kinds)):
        last = lasts.get(node.id)
        added = _added_on(store, workspace, node)
        if last is not None and last >= cutoff:
            continue
        if last is None and added is not None and added >= cutoff:
            continue
        items.append(ReviewItem(node=node, last_contact=last, added_on=added))
    items.sort(key=lambda i: (i.last_contact or dt.date.min, i.node.name.casefold(), i.node.id))
    return items


def _added_on(store: Store, workspace: str, node: Node) -> dt.date | None:
    first = node if node.version == 1 else store.node_history(workspace, node.id)[0]
    if first.recorded_at:
        return dt.date.fromisoformat(first.recorded_at[:10])
    return None


# --------------------------------------------------------------------------- access export


def access_export(store: Store, workspace: str, node_id: str) -> dict[str, Any]:
    """Everything the store holds on one entity (usually a person), as plain values.

    Holds the current details, every recorded version, every tie (every version, with the
    other end's kind and name), every contact moment (with the other party), the audit
    entries that name the entity, the lawful basis, and every source the data came from.
    Raises NotFoundError if the entity is not in this workspace.
    """
    from .model import strength_label

    node = store.get_node(workspace, node_id)
    versions = store.node_history(workspace, node_id)
    ties = list(store.ties(workspace, node=node_id, history=True))
    contacts = list(store.contacts(workspace, node=node_id))
    others = store.get_nodes(
        workspace,
        {t.other(node_id) for t in ties} | {c.b if c.a == node_id else c.a for c in contacts},
    )

    def other(other_id: str) -> dict[str, Any]:
        found = others.get(other_id)
        return {
            "id": other_id,
            "kind": found.kind.value if found else None,
            "name": found.name if found else None,
        }

    sources: set[str] = set()
    for version in versions:
        for value in (version.origin, version.props.get(DATA_SOURCE)):
            if value:
                sources.add(str(value))
    for tie in ties:
        if tie.origin:
            sources.add(tie.origin)
    return {
        "format": "community-mapper access export 1",
        "generated_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "workspace": {"slug": workspace, "name": store.get_workspace(workspace).name},
        "entity": _node_dict(node),
        "lawful_basis": node.props.get(LAWFUL_BASIS),
        "data_source": node.props.get(DATA_SOURCE),
        "last_contact": _iso(last_contact(store, workspace, node_id)),
        "versions": [_node_dict(v) for v in versions],
        "ties": [
            {
                "id": t.id,
                "version": t.version,
                "current": t.current,
                "kind": t.kind.value,
                "direction": "out" if t.source == node_id else "in",
                "other": other(t.other(node_id)),
                "strength": t.strength,
                "strength_label": strength_label(t.strength, "en"),
                "role": t.role,
                "since": _iso(t.since),
                "until": _iso(t.until),
                "origin": t.origin,
                "props": t.props,
                "recorded_at": t.recorded_at,
            }
            for t in ties
        ],
        "contacts": [
            {
                "id": c.id,
                "on": c.on.isoformat(),
                "with": other(c.b if c.a == node_id else c.a),
                "mode": c.mode,
                "notes": c.notes,
                "outcome": c.outcome,
                "recorded_at": c.recorded_at,
            }
            for c in contacts
        ],
        "audit": [e.as_dict() for e in reversed(store.audit(workspace, entity=node_id))],
        "sources": sorted(sources),
        # invitation answers naming the entity (mapper.invitations), waiting or accepted
        "answers": _answers_about(store, workspace, node_id),
        # Aan de slag: tasks, calendar items and moments that name the person (by id only).
        "aandeslag": _aandeslag_about(store, workspace, node_id),
    }


def _answers_about(store: Store, workspace: str, node_id: str) -> list[dict[str, Any]]:
    from .invitations import answers_about

    return answers_about(store.workspace(workspace), node_id)


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day is not None else None


def _node_dict(node: Node) -> dict[str, Any]:
    return {
        "id": node.id,
        "kind": node.kind.value,
        "name": node.name,
        "props": node.props,
        "since": _iso(node.since),
        "until": _iso(node.until),
        "origin": node.origin,
        "version": node.version,
        "recorded_at": node.recorded_at,
    }


def export_json(data: Mapping[str, Any]) -> str:
    """An access export as indented JSON text (UTF-8, readable names)."""
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False)


#: Headings of the readable export, per language.
_HTML_WORDS: dict[str, dict[str, str]] = {
    "nl": {
        "title": "Inzageverzoek: alle gegevens over",
        "generated": "Gemaakt op",
        "workspace": "Werkruimte",
        "details": "Gegevens",
        "basis": "Grondslag",
        "source": "Bron",
        "sources": "Bronnen",
        "last_contact": "Laatste contact",
        "versions": "Eerdere en huidige versies",
        "ties": "Relaties (met geschiedenis)",
        "contacts": "Contactmomenten",
        "audit": "Logboek (wie wat wanneer deed)",
        "none": "geen",
        "kind": "soort",
        "name": "naam",
        "props": "eigenschappen",
        "since": "vanaf",
        "until": "tot",
        "version": "versie",
        "recorded": "vastgelegd",
        "with": "met",
        "strength": "sterkte",
        "role": "rol",
        "on": "datum",
        "mode": "vorm",
        "notes": "notities",
        "outcome": "uitkomst",
        "actor": "door",
        "action": "actie",
        "what": "wat",
    },
    "en": {
        "title": "Access request: everything held on",
        "generated": "Generated at",
        "workspace": "Workspace",
        "details": "Details",
        "basis": "Lawful basis",
        "source": "Source",
        "sources": "Sources",
        "last_contact": "Last contact",
        "versions": "Past and current versions",
        "ties": "Ties (with history)",
        "contacts": "Contact moments",
        "audit": "Audit trail (who did what, when)",
        "none": "none",
        "kind": "kind",
        "name": "name",
        "props": "properties",
        "since": "since",
        "until": "until",
        "version": "version",
        "recorded": "recorded",
        "with": "with",
        "strength": "strength",
        "role": "role",
        "on": "date",
        "mode": "mode",
        "notes": "notes",
        "outcome": "outcome",
        "actor": "by",
        "action": "action",
        "what": "what",
    },
}


def export_html(data: Mapping[str, Any], *, lang: str = "nl") -> str:
    """An access export as a self-contained, readable HTML page (no script, no links out).

    Every value is escaped: the page shows text exactly as it was stored.
    """
    w = _HTML_WORDS.get(lang, _HTML_WORDS["en"])

    def e(value: str) -> str:  # escaped, bidi controls neutralised (model.strip_bidi)
        return html.escape(strip_bidi(value))

    def text(value: Any) -> str:
        if value is None or value == "" or value == {}:
            return "–"
        if isinstance(value, dict):
            return "; ".join(f"{e(str(k))}: {e(str(v))}" for k, v in value.items())
        return e(str(value))

    def table(headers: list[str], rows: list[list[Any]]) -> str:
        if not rows:
            return f"<p>{e(w['none'])}</p>"
        head = "".join(f"<th>{e(h)}</th>" for h in headers)
        body = "".join(
            "<tr>" + "".join(f"<td>{text(c)}</td>" for c in row) + "</tr>" for row in rows
        )
        return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"

    entity = data["entity"]
    basis = data.get("lawful_basis")
    parts = [
        "<!doctype html>",
        f'<html lang="{e(lang)}"><head><meta charset="utf-8">',
        f"<title>{e(w['title'])} {e(entity['name'])}</title>",
        "<style>body{font-family:sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}"
        "table{border-collapse:collapse;width:100%;margin-bottom:1.5rem}"
        "th,td{border:1px solid #999;padding:.25rem .5rem;text-align:left;"
        "vertical-align:top}</style>",
        "</head><body>",
        f"<h1>{e(w['title'])} {e(entity['name'])}</h1>",
        f"<p>{e(w['generated'])}: {text(data['generated_at'])} · {e(w['workspace'])}: "
        f"{text(data['workspace']['name'])}</p>",
        f"<h2>{e(w['details'])}</h2>",
        "<dl>",
        f"<dt>{e(w['kind'])}</dt><dd>{text(entity['kind'])}</dd>",
        f"<dt>{e(w['name'])}</dt><dd>{text(entity['name'])}</dd>",
        f"<dt>{e(w['props'])}</dt><dd>{text(entity['props'])}</dd>",
        f"<dt>{e(w['basis'])}</dt><dd>{text(lawful_basis_label(basis, lang) or None)}</dd>",
        f"<dt>{e(w['source'])}</dt><dd>{text(data.get('data_source'))}</dd>",
        f"<dt>{e(w['last_contact'])}</dt><dd>{text(data.get('last_contact'))}</dd>",
        f"<dt>{e(w['sources'])}</dt><dd>{text(', '.join(data['sources']) or None)}</dd>",
        "</dl>",
        f"<h2>{e(w['versions'])}</h2>",
        table(
            [
                w["version"],
                w["name"],
                w["props"],
                w["since"],
                w["until"],
                w["source"],
                w["recorded"],
            ],
            [
                [
                    v["version"],
                    v["name"],
                    v["props"],
                    v["since"],
                    v["until"],
                    v["origin"],
                    v["recorded_at"],
                ]
                for v in data["versions"]
            ],
        ),
        f"<h2>{e(w['ties'])}</h2>",
        table(
            [
                w["kind"],
                w["with"],
                w["version"],
                w["strength"],
                w["role"],
                w["since"],
                w["until"],
                w["source"],
                w["recorded"],
            ],
            [
                [
                    t["kind"],
                    _other_text(t["other"]),
                    t["version"],
                    t["strength_label"] if t["strength"] is not None else None,
                    t["role"],
                    t["since"],
                    t["until"],
                    t["origin"],
                    t["recorded_at"],
                ]
                for t in data["ties"]
            ],
        ),
        f"<h2>{e(w['contacts'])}</h2>",
        table(
            [w["on"], w["with"], w["mode"], w["notes"], w["outcome"], w["recorded"]],
            [
                [
                    c["on"],
                    _other_text(c["with"]),
                    c["mode"],
                    c["notes"],
                    c["outcome"],
                    c["recorded_at"],
                ]
                for c in data["contacts"]
            ],
        ),
        f"<h2>{e(w['audit'])}</h2>",
        table(
            [w["recorded"], w["actor"], w["action"], w["what"]],
            [
                [a["at"], a["actor"], a["action"], f"{a['target_type']} {a['label'] or ''}".strip()]
                for a in data["audit"]
            ],
        ),
        *_answers_html(data.get("answers") or [], lang),
        "</body></html>",
    ]
    return "\n".join(parts)


def _answers_html(answers: list[Mapping[str, Any]], lang: str) -> list[str]:
    """The invitation answers of an access export (mapper.invitations), every value as text."""
    if not answers:
        return []
    e = html.escape
    title = "Antwoorden op uitnodigingen" if lang == "nl" else "Answers to invitations"
    rows = []
    for answer in answers:
        details = {k: v for k, v in answer.items() if k not in ("id",)}
        cells = [answer.get("id"), json.dumps(details, ensure_ascii=False, sort_keys=True)]
        rows.append("<tr>" + "".join(f"<td>{e(str(c))}</td>" for c in cells) + "</tr>")
    return [f"<h2>{e(title)}</h2>", "<table><tbody>", *rows, "</tbody></table>"]


def _other_text(other: Mapping[str, Any]) -> str:
    if other.get("name"):
        return f"{other['name']} ({other['kind']})"
    return str(other.get("id"))


def _aandeslag_about(store: Store, workspace: str, node_id: str) -> list[dict[str, Any]]:
    """The *Aan de slag* records (working agreements, calendar, measurement moments, the
    contact person) that name ``node_id``."""
    from . import workplan

    return workplan.references(store.workspace(workspace), node_id)


def forget_everywhere(store: Store, workspace: str, node_id: str) -> int:
    """Before an erasure: take ``node_id`` out of the records that name it by id in other
    nodes' details (the *Aan de slag* tasks, calendar items and moments, the contact person).
    Returns how many references were removed."""
    from . import workplan

    return workplan.forget(store.workspace(workspace), node_id)
