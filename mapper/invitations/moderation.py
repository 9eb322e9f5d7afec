"""Moderation: reviewing a pending answer beside what the map holds, turning an accepted
answer into entities and ties with lawful basis ``consent``, or rejecting it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .. import audit as _audit
from ..errors import ValidationError
from ..i18n import Message
from ..labels import KIND_LABELS
from ..model import Node, NodeKind, RelKind
from ..policy import DATA_SOURCE, LAWFUL_BASIS
from ..store.base import Workspace
from .answers import _answer
from .base import MAX_NAME, MAX_TEXT, _today, clean_text
from .links import Invitation, get_invitation, may_answer_as_person, named_policy


@dataclass
class Item:
    """One thing an answer names, with what the map already holds that looks like it."""

    key: str
    kind: NodeKind
    name: str
    matches: list[Node] = field(default_factory=list)
    default: str = "new"  # "new" or the id of an existing entity


def _items(answer: Mapping[str, Any]) -> list[tuple[str, NodeKind, str]]:
    out = [
        (
            "self",
            NodeKind.PERSON if answer["as"] == "person" else NodeKind.ORGANISATION,
            answer["name"],
        )
    ]
    for key, kind in (
        ("online", NodeKind.CHANNEL),
        ("offline", NodeKind.CHANNEL),
        ("activities", NodeKind.ACTIVITY),
        ("known_orgs", NodeKind.ORGANISATION),
        ("known_people", NodeKind.PERSON),
    ):
        out += [(f"{key}:{i}", kind, name) for i, name in enumerate(answer.get(key) or ())]
    return out


def review_answer(ws: Workspace, answer_id: str) -> list[Item]:
    """Everything a pending answer names, each beside the entities of the same kind with the
    same or a near-duplicate name (the import's check); an exact single match is the default."""
    from ..io.matching import NameIndex, same_name

    answer = _answer(ws, answer_id).body["answer"]
    items = _items(answer)
    kinds = sorted({k for _, k, _ in items}, key=lambda k: k.value)
    index = NameIndex()
    nodes: dict[str, Node] = {}
    for node in ws.nodes(kind=kinds):
        nodes[node.id] = node
        index.add(node.id, node.kind, node.name)
    out = []
    for key, kind, name in items:
        ids = index.near(name, kind, exclude_same=False)
        matches = [nodes[str(i)] for i in ids]
        exact = [n for n in matches if same_name(n.name, name)]
        matches = exact + [n for n in matches if n not in exact]
        out.append(Item(key, kind, name, matches, exact[0].id if len(exact) == 1 else "new"))
    return out


def source_text(invitation_name: str, day: str) -> str:
    """The source recorded on what an answer adds.

    >>> source_text("Duurzaam Rijnstad", "2026-03-02")
    'uitnodiging Duurzaam Rijnstad, 2026-03-02'
    """
    return f"uitnodiging {invitation_name}, {day}"


def accept_answer(
    ws: Workspace,
    answer_id: str,
    *,
    choices: Mapping[str, str] | None = None,
    edits: Mapping[str, Any] | None = None,
    today: Any = None,
) -> dict[str, Any]:
    """Turn a pending answer into entities and ties, with lawful basis ``consent``.

    Parameters
    ----------
    choices : mapping, optional
        Per item key of :func:`review_answer`: ``"new"``, an existing entity's id (the same
        one), or ``"skip"``. Missing keys take the review's default.
    edits : mapping, optional
        Corrections by the editor: ``name``, ``about``.

    Returns
    -------
    dict
        ``respondent`` (id), ``nodes`` (ids created), ``ties`` (ids created).
    """
    day = _today(today)
    with ws.atomic():
        record = _answer(ws, answer_id)
        body = record.body
        if body.get("status") != "pending":
            raise ValidationError(
                "answer {id!r} was already accepted", field="answer", id=answer_id
            )
        answer = dict(body["answer"])
        for key in ("name", "about"):
            if edits and edits.get(key) is not None:
                limit = MAX_NAME if key == "name" else MAX_TEXT
                answer[key] = clean_text(edits[key], limit=limit, field=key, required=key == "name")
        body = {**body, "answer": answer}
        ws.put_record("answer", answer_id, body)
        invitation = get_invitation(ws, body["invitation"])
        review = {i.key: i for i in review_answer(ws, answer_id)}
        chosen = {k: (choices or {}).get(k, item.default) for k, item in review.items()}
        made = _Writer(ws, invitation, answer_id, body, day)
        report = made.write(answer, review, chosen)
        ws.put_record(
            "answer",
            answer_id,
            {
                "status": "accepted",
                "invitation": invitation.id,
                "received_on": body["received_on"],
                "accepted_on": day.isoformat(),
                "consent_version": body["consent_version"],
                "withdraw": body["withdraw"],
                "respondent": report["respondent"],
                "respondent_new": report["respondent_new"],
                "nodes": report["nodes"],
                "ties": report["ties"],
            },
            refs=[report["respondent"]],
        )
        ws.record_audit(
            _audit.CREATE,
            target_type="node",
            target_id=report["respondent"],
            label=f"uitnodiging {invitation.name}",
            refs=[*report["ties"]],
            detail={
                "invitation": invitation.id,
                "answer": answer_id,
                "accepted": True,
                "consent_version": body["consent_version"],
                "nodes": len(report["nodes"]),
                "ties": len(report["ties"]),
            },
        )
    return report


class _Writer:
    """Writes one accepted answer (inside the caller's transaction)."""

    def __init__(
        self, ws: Workspace, invitation: Invitation, answer_id: str, body: Any, day: dt.date
    ):
        self.ws = ws
        self.invitation = invitation
        self.answer_id = answer_id
        self.source = source_text(invitation.name, body["received_on"])
        self.consent_version = body["consent_version"]
        self.day = day
        self.nodes: list[str] = []
        self.ties: list[str] = []

    def node(self, choice: str, kind: NodeKind, name: str, props: dict[str, Any]) -> str | None:
        if choice == "skip":
            return None
        if choice != "new":
            existing = self.ws.get_node(choice)
            if existing.kind is not kind:
                raise ValidationError(
                    "{name!r} is a {kind}, not a {wanted}",
                    field="choice",
                    name=existing.name,
                    kind=Message(KIND_LABELS[existing.kind]),
                    wanted=Message(KIND_LABELS[kind]),
                )
            return existing.id
        node = self.ws.add_node(kind, name, props=props, origin=self.source)
        self.nodes.append(node.id)
        return node.id

    def tie(self, kind: RelKind, source: str, target: str, **props: Any) -> None:
        for tie in self.ws.ties(node=source, kind=kind):
            if tie.until is None and {tie.source, tie.target} == {source, target}:
                return  # already on the map; not this answer's to add or to withdraw
        tie = self.ws.add_tie(
            kind,
            source,
            target,
            since=self.day,
            origin=self.source,
            props={
                LAWFUL_BASIS: "consent",
                "consent_version": self.consent_version,
                "invitation": self.invitation.id,
                "answer": self.answer_id,
                **{k: v for k, v in props.items() if v not in (None, "", False)},
            },
        )
        self.ties.append(tie.id)

    def write(
        self, answer: Mapping[str, Any], review: Mapping[str, Item], chosen: Mapping[str, str]
    ) -> dict[str, Any]:
        person = answer["as"] == "person"
        kind = NodeKind.PERSON if person else NodeKind.ORGANISATION
        consent = {
            LAWFUL_BASIS: "consent",
            DATA_SOURCE: self.source,
            "consent_version": self.consent_version,
            "invitation": self.invitation.id,
        }
        if chosen["self"] == "skip":
            raise ValidationError("the one who answered cannot be skipped", field="choice")
        me = self.node(chosen["self"], kind, answer["name"], dict(consent))
        assert me is not None
        contact = {"contact_wish": answer.get("contact") or None, "email": answer.get("email")}
        target = self.ws.get_node(self.invitation.target_id)
        if target.kind is NodeKind.THEME:
            self.tie(RelKind.ACTIVE_ON, me, target.id, description=answer.get("about"), **contact)
            themes = [target.id]
        else:
            self.tie(RelKind.MEMBER_OF, me, target.id, description=answer.get("about"), **contact)
            themes = [
                t.target
                for t in self.ws.ties(node=target.id, kind=RelKind.ABOUT)
                if t.source == target.id
            ]
        named = {DATA_SOURCE: f"genoemd in {self.source}", "invitation": self.invitation.id}
        for key in ("online", "offline"):
            for i, name in enumerate(answer.get(key) or ()):
                channel = self.node(
                    chosen[f"{key}:{i}"], NodeKind.CHANNEL, name, {**named, "mode": key}
                )
                if channel:
                    self.tie(RelKind.ACTIVE_IN, me, channel)
        for i, name in enumerate(answer.get("activities") or ()):
            activity = self.node(chosen[f"activities:{i}"], NodeKind.ACTIVITY, name, dict(named))
            if activity:
                self.tie(RelKind.ORGANISES, me, activity)
                if activity in self.nodes:
                    for theme in themes:
                        self.tie(RelKind.ABOUT, activity, theme)
        for node_id in answer.get("known") or ():
            other = self.ws.get_nodes([node_id]).get(node_id)
            if other is None:
                continue  # erased since
            if other.kind is NodeKind.PERSON and person:
                self.tie(RelKind.KNOWS, me, other.id)
            elif other.kind is NodeKind.ORGANISATION and other.id != me:
                self.tie(RelKind.MEMBER_OF, me, other.id)
        for i, name in enumerate(answer.get("known_orgs") or ()):
            org = self.node(chosen[f"known_orgs:{i}"], NodeKind.ORGANISATION, name, dict(named))
            if org and org != me:
                self.tie(RelKind.MEMBER_OF, me, org)
        if person and named_policy(self.ws) == "review" and may_answer_as_person(self.ws):
            for i, name in enumerate(answer.get("known_people") or ()):
                flagged = {**named, "needs_review": "named by someone else, no own consent"}
                other_id = self.node(chosen[f"known_people:{i}"], NodeKind.PERSON, name, flagged)
                if other_id and other_id != me:
                    self.tie(RelKind.KNOWS, me, other_id)
        return {
            "respondent": me,
            "respondent_new": me in self.nodes,
            "nodes": self.nodes,
            "ties": self.ties,
        }


def reject_answer(ws: Workspace, answer_id: str) -> bool:
    """Delete a pending answer for good (and compact the store's files)."""
    record = _answer(ws, answer_id)
    if record.body.get("status") != "pending":
        raise ValidationError("answer {id!r} was already accepted", field="answer", id=answer_id)
    ws.delete_record("answer", answer_id)
    ws.store.compact()
    return True
