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

The package by job: :mod:`.base` (the setting, the consent text, limits, errors, cleaning of
what is typed in), :mod:`.links` (invitations, their tokens and links), :mod:`.qr` (QR
codes), :mod:`.answers` (answers in the queue, withdrawal, what answers give back) and
:mod:`.moderation` (reviewing an answer and turning it into the graph).

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

from .answers import (
    answers_about,
    clean_answer,
    find_answer,
    from_invitation,
    invitation_summary,
    pending_answers,
    submit_answer,
    withdraw_answer,
)
from .base import (
    CONSENT_SECTIONS,
    CONSENT_TEXT,
    CONSENT_VERSION,
    DEFAULT_BASE_URL,
    DEFAULT_NAMED_POLICY,
    FIELD_LABELS,
    MAX_EMAIL,
    MAX_ITEM,
    MAX_ITEMS,
    MAX_NAME,
    MAX_TEXT,
    NAMED_PEOPLE,
    NAMED_POLICIES,
    PUBLIC_PATH,
    SHOWABLE_KINDS,
    STATE_LABELS,
    TARGET_KINDS,
    ConsentMissing,
    InvitationClosed,
    clean_text,
    split_items,
)
from .links import (
    Invitation,
    create_invitation,
    find_invitation,
    get_invitation,
    invitation_link,
    invitations,
    may_answer_as_person,
    named_policy,
    shown_names,
    update_invitation,
)
from .moderation import Item, accept_answer, reject_answer, review_answer, source_text
from .qr import qr_code

__all__ = [
    "CONSENT_SECTIONS",
    "CONSENT_TEXT",
    "CONSENT_VERSION",
    "ConsentMissing",
    "DEFAULT_BASE_URL",
    "DEFAULT_NAMED_POLICY",
    "FIELD_LABELS",
    "Invitation",
    "InvitationClosed",
    "Item",
    "MAX_EMAIL",
    "MAX_ITEM",
    "MAX_ITEMS",
    "MAX_NAME",
    "MAX_TEXT",
    "NAMED_PEOPLE",
    "NAMED_POLICIES",
    "PUBLIC_PATH",
    "SHOWABLE_KINDS",
    "STATE_LABELS",
    "TARGET_KINDS",
    "accept_answer",
    "answers_about",
    "clean_answer",
    "clean_text",
    "create_invitation",
    "find_answer",
    "find_invitation",
    "from_invitation",
    "get_invitation",
    "invitation_link",
    "invitation_summary",
    "invitations",
    "may_answer_as_person",
    "named_policy",
    "pending_answers",
    "qr_code",
    "reject_answer",
    "review_answer",
    "shown_names",
    "source_text",
    "split_items",
    "submit_answer",
    "update_invitation",
    "withdraw_answer",
]
