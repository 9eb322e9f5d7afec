"""Answers: checking and queueing a visitor's answer, withdrawal with a personal token, and
what answers give back to a theme or community page and to an access request.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from ..errors import NotFoundError, ValidationError
from ..i18n import Message
from ..store.base import Workspace, new_id
from .base import (
    _EMAIL,
    CONSENT_VERSION,
    MAX_EMAIL,
    MAX_NAME,
    MAX_TEXT,
    STATE_LABELS,
    ConsentMissing,
    InvitationClosed,
    _today,
    clean_text,
    split_items,
)
from .links import Invitation, find_invitation, invitations, may_answer_as_person, named_policy


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def clean_answer(ws: Workspace, invitation: Invitation, raw: Mapping[str, Any]) -> dict[str, Any]:
    """A visitor's answer checked and reduced to what may be kept.

    Raises :class:`ConsentMissing` without consent to be on the map, ValidationError for a
    field that is too long or missing. Without consent for ties, no names are kept at all;
    typed names are kept only as far as the workspace's :data:`NAMED_PEOPLE` setting allows;
    picked names only if the invitation shows them.
    """
    if not raw.get("consent_map"):
        raise ConsentMissing("no consent to be on the map: nothing is stored", field="consent")
    as_who = raw.get("as") or "person"
    if as_who not in ("person", "organisation"):
        raise ValidationError(
            "answer as {given!r}? (choose a person or an organisation)", field="as", given=as_who
        )
    if as_who == "person" and not may_answer_as_person(ws):
        raise ValidationError("this library keeps organisations only", field="as")
    ties = bool(raw.get("consent_ties"))
    policy = named_policy(ws)
    known = [i for i in (raw.get("known") or ()) if i in invitation.shown] if ties else []
    known_orgs = split_items(raw.get("known_orgs"), field="known_orgs")
    known_people = split_items(raw.get("known_people"), field="known_people")
    if not ties or policy == "none":
        known_orgs = []
    if not ties or policy != "review" or as_who != "person" or not may_answer_as_person(ws):
        known_people = []
    contact = bool(raw.get("contact"))
    email = clean_text(raw.get("email"), limit=MAX_EMAIL, field="email")
    if email and not _EMAIL.match(email):
        raise ValidationError("that is not an e-mail address", field="email")
    return {
        "as": as_who,
        "name": clean_text(raw.get("name"), limit=MAX_NAME, field="name", required=True),
        "about": clean_text(raw.get("about"), limit=MAX_TEXT, field="about"),
        "online": split_items(raw.get("online"), field="online"),
        "offline": split_items(raw.get("offline"), field="offline"),
        "activities": split_items(raw.get("activities"), field="activities"),
        "known": list(dict.fromkeys(known)),
        "known_orgs": known_orgs,
        "known_people": known_people,
        "contact": contact,
        "email": email or None,
        "consent_map": True,
        "consent_ties": ties,
    }


def submit_answer(
    ws: Workspace, token: str, raw: Mapping[str, Any], *, today: Any = None
) -> tuple[str, str]:
    """Store a visitor's answer in the queue; returns ``(answer id, withdrawal token)``.

    Raises NotFoundError for an unknown token, :class:`InvitationClosed` when the invitation
    is closed, past its end date or full, and :class:`ConsentMissing` / ValidationError for
    an answer that may not be kept (nothing is stored then).
    """
    day = _today(today)
    withdraw = secrets.token_urlsafe(24)
    with ws.atomic():
        invitation = find_invitation(ws, token)  # read inside the transaction: the count holds
        state = invitation.state(day)
        if state != "open":
            raise InvitationClosed(
                "the invitation {name!r} is {state}",
                reason=state,
                name=invitation.name,
                state=Message(STATE_LABELS.get(state, state)),
            )
        answer = clean_answer(ws, invitation, raw)
        answer_id = new_id("ans")
        body = {
            "status": "pending",
            "invitation": invitation.id,
            "received_on": day.isoformat(),
            "consent_version": CONSENT_VERSION,
            "withdraw": _hash(withdraw),
            "answer": answer,
        }
        ws.put_record("answer", answer_id, body)
        counted = replace(invitation, received=invitation.received + 1)
        ws.put_record("invitation", counted.id, counted.body(), refs=[counted.target_id])
    return answer_id, withdraw


def pending_answers(ws: Workspace, *, invitation: str | None = None) -> list[Any]:
    """The answers waiting for moderation (records), oldest first."""
    return [
        r
        for r in ws.records("answer")
        if r.body.get("status") == "pending"
        and (invitation is None or r.body.get("invitation") == invitation)
    ]


def _answer(ws: Workspace, answer_id: str) -> Any:
    record = ws.get_record("answer", answer_id)
    if record is None:
        raise NotFoundError("no answer {id!r} in this workspace", id=answer_id)
    return record


# --------------------------------------------------------------------------- withdrawal


def find_answer(ws: Workspace, token: str) -> Any:
    """The answer record whose withdrawal token this is (NotFoundError otherwise)."""
    if isinstance(token, str) and token:
        wanted = _hash(token)
        for record in ws.records("answer"):
            if hmac.compare_digest(str(record.body.get("withdraw", "")), wanted):
                return record
    raise NotFoundError("no answer with this withdrawal link in this workspace")


def withdraw_answer(ws: Workspace, token: str) -> dict[str, Any]:
    """Erase what the answer behind a withdrawal token added, and the answer itself.

    A pending answer is deleted. For an accepted one: every tie it added, the one who
    answered if the answer added them, and every other entity it added that nothing else
    ties to any more. Ends by compacting the store's files (the name is gone from the disk).

    Returns
    -------
    dict
        ``status`` (``pending`` or ``accepted``), ``erased_nodes``, ``erased_ties``,
        ``compacted``.
    """
    record = find_answer(ws, token)
    body = record.body
    report = {"status": body.get("status"), "erased_nodes": 0, "erased_ties": 0}
    with ws.atomic():
        if body.get("status") == "accepted":
            for tie_id in body.get("ties") or ():
                try:
                    ws.get_tie(tie_id)
                except NotFoundError:
                    continue
                ws.erase_tie(tie_id)
                report["erased_ties"] += 1
            respondent = body.get("respondent")
            if body.get("respondent_new") and respondent and ws.get_nodes([respondent]):
                ws.erase_node(respondent)
                report["erased_nodes"] += 1
            for node_id in body.get("nodes") or ():
                if node_id == respondent or not ws.get_nodes([node_id]):
                    continue
                if next(iter(ws.ties(node=node_id, history=True)), None) is None:
                    ws.erase_node(node_id)
                    report["erased_nodes"] += 1
        ws.delete_record("answer", record.id)
    report["compacted"] = ws.store.compact()
    return report


# --------------------------------------------------------------------------- what it gives back


def invitation_summary(ws: Workspace, target_id: str) -> dict[str, Any]:
    """For a theme or community page: its invitations with how many answered, are waiting
    and were accepted, and the ids of the ties that came from answers."""
    rows = []
    answers = ws.records("answer")
    for invitation in invitations(ws, target=target_id):
        mine = [a for a in answers if a.body.get("invitation") == invitation.id]
        rows.append(
            {
                "invitation": invitation,
                "received": invitation.received,
                "pending": sum(1 for a in mine if a.body.get("status") == "pending"),
                "accepted": sum(1 for a in mine if a.body.get("status") == "accepted"),
            }
        )
    ids = {invitation.id for invitation in invitations(ws, target=target_id)}
    ties = [a.body.get("ties") or [] for a in answers if a.body.get("invitation") in ids]
    return {
        "invitations": rows,
        "received": sum(r["received"] for r in rows),
        "accepted": sum(r["accepted"] for r in rows),
        "ties": sorted({t for group in ties for t in group}),
    }


def from_invitation(props: Mapping[str, Any] | None) -> bool:
    """True for a tie (or entity) that came from an invitation answer."""
    return bool(props and props.get("invitation"))


def answers_about(ws: Workspace, node_id: str) -> list[dict[str, Any]]:
    """For an access request: the answer records that name an entity (as the one who
    answered, or picked from an invitation's list), as plain values."""
    out = []
    for record in ws.records("answer"):
        body = record.body
        answer = body.get("answer") or {}
        if node_id in record.refs or node_id in (answer.get("known") or ()):
            held = {k: v for k, v in body.items() if k != "withdraw"}
            out.append({"id": record.id, "created_at": record.created_at, **held})
    return out
