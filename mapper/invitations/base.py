"""What every step of an invitation shares: the named-people setting, the consent text,
the limits on what a visitor may send, labels, errors and the cleaning of typed text.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Mapping
from typing import Any

from ..errors import MapperError, ValidationError
from ..i18n import LANGUAGES, N_, Message, gettext, use_language
from ..model import NodeKind, check_date
from ..store.base import fold

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
