"""Gather the map with the community, with consent: invitations, answers, moderation, withdrawal.

An editor makes an :class:`Invitation` for a theme or a community (who it is for, a short
text, an end date, a maximum number of answers, and the names the library chooses to show).
Anyone with its link may answer once per visit, without an account; nothing is stored
without their consent to be on the map (:func:`submit_answer`). Answers wait in a queue as
*records* beside the graph (:meth:`mapper.store.base.Store.put_record`), personal data of
people not yet accepted; an editor sees each beside what is already known
(:func:`review_answer`, the near-duplicate check of imports), then accepts it
(:func:`accept_answer`: entities and ties with lawful basis ``consent``, source
"uitnodiging <name>, <date>" and the consent text's version, all in the audit trail) or
rejects it (:func:`reject_answer`: deleted for good). Whoever answered holds a personal
withdrawal token; :func:`withdraw_answer` erases what that answer added (the store's erasure).

People *named* by someone who answered have not consented themselves. The workspace setting
:data:`NAMED_PEOPLE` decides what is kept of names typed in (names picked from the
invitation's list are already on the map):

``none``           nothing typed in is kept;
``organisations``  typed organisations are kept, typed people are not (the default);
``review``         typed people are kept too, without a lawful basis and flagged, so they
                   appear on the privacy review list until someone decides.

Examples
--------
>>> from mapper.store import SQLiteStore
>>> ws = SQLiteStore(":memory:").create_workspace("rijnstad", "Bibliotheek Rijnstad")
>>> theme = ws.add_node("Theme", "duurzaamheid")
>>> inv = create_invitation(ws, theme.id, name="Duurzaam Rijnstad", today="2026-03-01")
>>> answer_id, token = submit_answer(ws, inv.token, {"as": "person", "name": "Jan de Vries",
...     "about": "Ik repareer fietsen", "consent_map": True}, today="2026-03-02")
>>> report = accept_answer(ws, answer_id, today="2026-03-03")
>>> person = ws.get_node(report["respondent"])
>>> person.props["lawful_basis"], person.origin
('consent', 'uitnodiging Duurzaam Rijnstad, 2026-03-02')
>>> withdraw_answer(ws, token)["erased_nodes"]
1
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
import secrets
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from . import audit as _audit
from .errors import Day, MapperError, NotFoundError, ValidationError
from .i18n import LANGUAGES, N_, Message, gettext, use_language
from .labels import KIND_LABELS
from .model import Node, NodeKind, RelKind, check_date
from .policy import DATA_SOURCE, LAWFUL_BASIS, organisations_only
from .store.base import Workspace, fold, new_id

__all__ = [
    "CONSENT_TEXT",
    "CONSENT_VERSION",
    "NAMED_PEOPLE",
    "NAMED_POLICIES",
    "Invitation",
    "InvitationClosed",
    "accept_answer",
    "answers_about",
    "create_invitation",
    "find_invitation",
    "invitation_link",
    "invitation_summary",
    "invitations",
    "named_policy",
    "pending_answers",
    "qr_code",
    "reject_answer",
    "review_answer",
    "submit_answer",
    "withdraw_answer",
]

#: Workspace setting: what is kept of people and organisations typed in by someone else.
NAMED_PEOPLE = "invite_named_people"
NAMED_POLICIES: tuple[str, ...] = ("none", "organisations", "review")
DEFAULT_NAMED_POLICY = "organisations"

#: The version of :data:`CONSENT_TEXT`; recorded with every answer. Change it with the text.
CONSENT_VERSION = "toestemming-2026-12-01"

#: The consent text shown above the form: (heading, text) pairs as English message ids;
#: ``{library}`` is the library's name. :data:`CONSENT_TEXT` gives it in a language.
CONSENT_SECTIONS: tuple[tuple[str, str], ...] = (
    (
        N_("What we keep"),
        N_(
            "What you fill in below: your name (or your organisation's), what you do, where "
            "you are active, your activities, whom you know and, if you like, your e-mail "
            "address. Nothing more: no address, no date of birth."
        ),
    ),
    (
        N_("Why"),
        N_(
            "{library} maps who is active in the area, so that together we can do more and "
            "bring the right people into contact with each other."
        ),
    ),
    (
        N_("How long"),
        N_(
            "As long as the map is in use. Every year we check whether data is still needed. "
            "If your answer is not accepted, we erase it straight away."
        ),
    ),
    (
        N_("Who sees it"),
        N_(
            "Only staff of {library} who work on the map. We give your data to no one else "
            "and never show it to other visitors of this form."
        ),
    ),
    (
        N_("Withdrawing"),
        N_(
            "After sending you get a personal link. With it you can always withdraw your "
            "consent: we then erase everything this answer added."
        ),
    ),
)


class _ConsentText(Mapping[str, list[tuple[str, str]]]):
    """:data:`CONSENT_SECTIONS` per language, translated when asked for
    (``CONSENT_TEXT["nl"]``, ``CONSENT_TEXT.get(lang, ...)``)."""

    def __getitem__(self, lang: str) -> list[tuple[str, str]]:
        if lang not in LANGUAGES:
            raise KeyError(lang)
        with use_language(lang):
            return [(gettext(head), gettext(text)) for head, text in CONSENT_SECTIONS]

    def __iter__(self) -> Iterator[str]:
        return iter(LANGUAGES)

    def __len__(self) -> int:
        return len(LANGUAGES)


#: The consent text shown above the form, per language; ``{library}`` is the library's name.
CONSENT_TEXT: Mapping[str, list[tuple[str, str]]] = _ConsentText()

#: Limits on what a visitor may send.
MAX_NAME = 120
MAX_TEXT = 1000
MAX_ITEM = 120
MAX_ITEMS = 10
MAX_EMAIL = 254

#: The public form's path (the web app's ``invite_public.form`` route; the CLI builds links).
PUBLIC_PATH = "/doe-mee/{workspace}/{token}"
#: Where links point when no site address is given.
DEFAULT_BASE_URL = "http://127.0.0.1:5000"

TARGET_KINDS = (NodeKind.THEME, NodeKind.COMMUNITY)
#: Kinds the library may show on an invitation, for visitors to pick from.
SHOWABLE_KINDS = (NodeKind.PERSON, NodeKind.ORGANISATION)

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")
_SPLIT = re.compile(r"[;,\n]")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


#: The fields of an invitation and an answer as a person reads them in a message.
FIELD_LABELS: dict[str, str] = {
    "name": N_("the name"),
    "audience": N_("who it is for"),
    "text": N_("the text"),
    "about": N_("what you do"),
    "online": N_("where you are active online"),
    "offline": N_("where you are active offline"),
    "activities": N_("the activities"),
    "known_orgs": N_("the other organisations"),
    "known_people": N_("the other people"),
    "email": N_("the e-mail address"),
}
#: Why an invitation takes no answers, as a person reads it.
STATE_LABELS: dict[str, str] = {
    "closed": N_("closed"),
    "expired": N_("past its end date"),
    "full": N_("full"),
}


def _field(field: str) -> Message:
    return Message(FIELD_LABELS.get(field, field))


class InvitationClosed(MapperError):
    """The invitation takes no answers (``reason``: closed, expired, full)."""

    def __init__(self, message: object, *, reason: str, **params: Any):
        super().__init__(message, **params)
        self.reason = reason


class ConsentMissing(ValidationError):
    """An answer without consent to be on the map: nothing is stored."""


# --------------------------------------------------------------------------- invitations


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


def _today(today: Any) -> dt.date:
    return check_date(today, field="today") or dt.date.today()


def clean_text(value: Any, *, limit: int, field: str, required: bool = False) -> str:
    """``value`` as plain text: control and direction characters removed, spaces trimmed,
    at most ``limit`` characters (ValidationError beyond).

    >>> clean_text("  Jan\\x00 de Vries ", limit=20, field="name")
    'Jan de Vries'
    """
    text = _CONTROL.sub("", str(value or "")).strip()
    if len(text) > limit:
        raise ValidationError(
            "{name} is too long ({length} characters, at most {limit})",
            field=field,
            name=_field(field),
            length=len(text),
            limit=limit,
        )
    if required and not text:
        raise ValidationError("{name} is empty", field=field, name=_field(field))
    return text


def split_items(value: Any, *, field: str) -> list[str]:
    """A list typed as text ("a, b; c" or one per line), or a list, as clean items.

    >>> split_items("Facebookgroep Groen, buurthuis De Kolk;; ", field="online")
    ['Facebookgroep Groen', 'buurthuis De Kolk']
    """
    raw = value if isinstance(value, (list, tuple)) else _SPLIT.split(str(value or ""))
    items: list[str] = []
    for item in raw:
        text = clean_text(item, limit=MAX_ITEM, field=field)
        if text and fold(text) not in {fold(i) for i in items}:
            items.append(text)
    if len(items) > MAX_ITEMS:
        raise ValidationError(
            "{name} names more than {most} items", field=field, name=_field(field), most=MAX_ITEMS
        )
    return items


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


def qr_code(link: str, kind: str = "svg") -> bytes:
    """A QR code of ``link`` as PNG or SVG bytes, made locally (segno, pure Python)."""
    import io

    import segno

    if kind not in ("png", "svg"):
        raise ValidationError("QR code format {kind!r} is not png or svg", field="kind", kind=kind)
    buffer = io.BytesIO()
    code = segno.make(link, error="m")
    if kind == "png":
        code.save(buffer, kind="png", scale=8, border=4)
    else:
        code.save(buffer, kind="svg", scale=8, border=4, xmldecl=False)
    return buffer.getvalue()


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


# --------------------------------------------------------------------------- answers


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


# --------------------------------------------------------------------------- moderation


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
    from .io.matching import NameIndex, same_name

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
