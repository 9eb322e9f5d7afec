"""Invitations: making, changing and finding them, their link tokens and public links, and
the names an invitation shows.
"""

from __future__ import annotations

import datetime as dt
import hmac
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from ..errors import Day, NotFoundError, ValidationError
from ..i18n import Message
from ..labels import KIND_LABELS
from ..model import Node, check_date
from ..policy import organisations_only
from ..store.base import Workspace, fold, new_id
from .base import (
    DEFAULT_BASE_URL,
    DEFAULT_NAMED_POLICY,
    MAX_NAME,
    MAX_TEXT,
    NAMED_PEOPLE,
    NAMED_POLICIES,
    PUBLIC_PATH,
    SHOWABLE_KINDS,
    TARGET_KINDS,
    _today,
    clean_text,
)


@dataclass(frozen=True)
class Invitation:
    """An invitation link for a theme or a community."""

    id: str
    token: str
    name: str
    target_kind: str
    target_id: str
    audience: str = ""
    text: str = ""
    until: dt.date | None = None
    max_answers: int | None = None
    shown: tuple[str, ...] = ()
    created_on: str = ""
    created_by: str | None = None
    closed: bool = False
    received: int = 0

    def state(self, today: dt.date | None = None) -> str:
        """``open``, ``closed``, ``expired`` (after the end date) or ``full``."""
        today = today or dt.date.today()
        if self.closed:
            return "closed"
        if self.until is not None and today > self.until:
            return "expired"
        if self.max_answers is not None and self.received >= self.max_answers:
            return "full"
        return "open"

    def body(self) -> dict[str, Any]:
        return {
            "token": self.token,
            "name": self.name,
            "target_kind": self.target_kind,
            "target_id": self.target_id,
            "audience": self.audience,
            "text": self.text,
            "until": self.until.isoformat() if self.until else None,
            "max_answers": self.max_answers,
            "shown": list(self.shown),
            "created_on": self.created_on,
            "created_by": self.created_by,
            "closed": self.closed,
            "received": self.received,
        }

    @classmethod
    def from_body(cls, record_id: str, body: Mapping[str, Any]) -> Invitation:
        return cls(
            id=record_id,
            token=body["token"],
            name=body["name"],
            target_kind=body["target_kind"],
            target_id=body["target_id"],
            audience=body.get("audience") or "",
            text=body.get("text") or "",
            until=check_date(body.get("until"), field="until"),
            max_answers=body.get("max_answers"),
            shown=tuple(body.get("shown") or ()),
            created_on=body.get("created_on") or "",
            created_by=body.get("created_by"),
            closed=bool(body.get("closed")),
            received=int(body.get("received") or 0),
        )


def create_invitation(
    ws: Workspace,
    target_id: str,
    *,
    name: str | None = None,
    audience: str = "",
    text: str = "",
    until: Any = None,
    max_answers: int | None = None,
    shown: Iterable[str] = (),
    today: Any = None,
) -> Invitation:
    """Make an invitation for a theme or community (``target_id``) and return it.

    Raises ValidationError for a target that is neither, an end date in the past, a maximum
    below 1, or a shown entity that is not a person or organisation of this workspace.
    """
    target = ws.get_node(target_id)
    if target.kind not in TARGET_KINDS:
        raise ValidationError(
            "an invitation is for a theme or a community, not for a {kind}",
            field="target",
            value=target_id,
            kind=Message(KIND_LABELS[target.kind]),
        )
    day = _today(today)
    end = check_date(until, field="until")
    if end is not None and end < day:
        raise ValidationError(
            "the end date {until} lies in the past", field="until", value=str(until), until=Day(end)
        )
    if max_answers is not None and (
        isinstance(max_answers, bool) or not isinstance(max_answers, int) or max_answers < 1
    ):
        raise ValidationError(
            "the maximum {given!r} is not a whole number of 1 or more",
            field="max_answers",
            given=max_answers,
        )
    invitation = Invitation(
        id=new_id("inv"),
        token=secrets.token_urlsafe(18),
        name=clean_text(name or target.name, limit=MAX_NAME, field="name", required=True),
        target_kind=target.kind.value,
        target_id=target.id,
        audience=clean_text(audience, limit=MAX_NAME * 2, field="audience"),
        text=clean_text(text, limit=MAX_TEXT, field="text"),
        until=end,
        max_answers=max_answers,
        shown=_check_shown(ws, shown),
        created_on=day.isoformat(),
        created_by=ws.store.actor,
    )
    ws.put_record("invitation", invitation.id, invitation.body(), refs=[target.id])
    return invitation


def _check_shown(ws: Workspace, shown: Iterable[str]) -> tuple[str, ...]:
    ids = list(dict.fromkeys(shown))
    found = ws.get_nodes(ids)
    for node_id in ids:
        node = found.get(node_id)
        if node is None or node.kind not in SHOWABLE_KINDS:
            raise ValidationError(
                "{id!r} is not a person or organisation of this workspace",
                field="shown",
                id=node_id,
            )
    return tuple(ids)


def update_invitation(
    ws: Workspace,
    invitation_id: str,
    *,
    shown: Iterable[str] | None = None,
    closed: bool | None = None,
) -> Invitation:
    """Change which names an invitation shows, or close (or reopen) it."""
    with ws.atomic():
        invitation = get_invitation(ws, invitation_id)
        if shown is not None:
            invitation = replace(invitation, shown=_check_shown(ws, shown))
        if closed is not None:
            invitation = replace(invitation, closed=bool(closed))
        ws.put_record("invitation", invitation.id, invitation.body(), refs=[invitation.target_id])
    return invitation


def invitations(ws: Workspace, *, target: str | None = None) -> list[Invitation]:
    """The workspace's invitations (for one theme or community), newest first."""
    found = [Invitation.from_body(r.id, r.body) for r in ws.records("invitation", ref=target)]
    return sorted(found, key=lambda i: (i.created_on, i.id), reverse=True)


def get_invitation(ws: Workspace, invitation_id: str) -> Invitation:
    record = ws.get_record("invitation", invitation_id)
    if record is None:
        raise NotFoundError("no invitation {id!r} in this workspace", id=invitation_id)
    return Invitation.from_body(record.id, record.body)


def find_invitation(ws: Workspace, token: str) -> Invitation:
    """The invitation with this link token in this workspace (NotFoundError otherwise)."""
    if isinstance(token, str) and token:
        for record in ws.records("invitation"):
            if hmac.compare_digest(str(record.body.get("token", "")), token):
                return Invitation.from_body(record.id, record.body)
    raise NotFoundError("no such invitation in this workspace")


def invitation_link(base_url: str | None, workspace: str, invitation: Invitation) -> str:
    """The address of an invitation's public form.

    >>> invitation_link("https://kaart.bieb.nl/", "rijnstad", Invitation("inv-1", "abc", "x",
    ...     "Theme", "thm-1"))
    'https://kaart.bieb.nl/doe-mee/rijnstad/abc'
    """
    base = (base_url or DEFAULT_BASE_URL).rstrip("/")
    return base + PUBLIC_PATH.format(workspace=workspace, token=invitation.token)


def shown_names(ws: Workspace, invitation: Invitation) -> list[Node]:
    """The entities the invitation shows, by name (those that still exist)."""
    found = ws.get_nodes(invitation.shown)
    nodes = [found[i] for i in invitation.shown if i in found]
    return sorted(nodes, key=lambda n: (fold(n.name), n.id))


def named_policy(ws: Workspace) -> str:
    """The workspace's :data:`NAMED_PEOPLE` setting."""
    value = ws.info.settings.get(NAMED_PEOPLE)
    return value if value in NAMED_POLICIES else DEFAULT_NAMED_POLICY


def may_answer_as_person(ws: Workspace) -> bool:
    """False in an "organisations only" workspace: there one answers for an organisation."""
    return not organisations_only(ws.info.settings)
