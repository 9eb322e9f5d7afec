"""The access export as a self-contained page a resident can read, every item said in words."""

from __future__ import annotations

import html
from collections.abc import Mapping
from typing import Any

from .. import audit as _audit
from ..audit import actor_text
from ..i18n import N_, current_language, format_date, format_datetime, use_language
from ..i18n import gettext as _
from ..labels import field_label, label
from ..model import strength_label, strip_bidi
from ..policy import DATA_SOURCE, LAWFUL_BASIS, lawful_basis_label


def export_html(data: Mapping[str, Any], *, lang: str | None = "nl") -> str:
    """An access export as a self-contained page a resident can read (no script, no links
    out), in ``lang`` (Dutch by default; ``None`` for the reader's language).

    Every item is said in words: what it is (the kind of tie, the strength as a word), where
    it came from (the source, who added it and when), dates written out, the lawful basis in
    words. No codes, no ISO timestamps. Every value is escaped: the page shows text exactly
    as it was stored.
    """
    if lang is None:
        return _AccessPage(data).render()
    with use_language(lang):
        return _AccessPage(data).render()


class _AccessPage:
    """The readable access export, built section by section."""

    def __init__(self, data: Mapping[str, Any]):
        self.data = data
        self.entity = data["entity"]
        self.me = self.entity["name"]
        # who recorded each version of the entity and of each tie: (id, version) → actor
        self.authors: dict[tuple[str | None, int], str] = {}
        for entry in data.get("audit") or ():
            version = (entry.get("detail") or {}).get("version")
            if entry.get("action") in (_audit.CREATE, _audit.MERGE) and version is None:
                version = 1
            if isinstance(version, int):
                self.authors.setdefault((entry.get("target_id"), version), entry.get("actor"))

    # ---------------------------------------------------------------- pieces

    @staticmethod
    def e(value: Any) -> str:
        """Escaped text, bidi controls neutralised (model.strip_bidi)."""
        return html.escape(strip_bidi(str(value)))

    def cell(self, value: Any) -> str:
        if value is None or value == "" or value == {} or value == []:
            return "–"
        return self.e(value)

    def table(self, headers: list[str], rows: list[list[Any]]) -> str:
        if not rows:
            return f"<p>{self.e(_('Nothing recorded.'))}</p>"
        head = "".join(f'<th scope="col">{self.e(h)}</th>' for h in headers)
        body = "".join(
            "<tr>" + "".join(f"<td>{self.cell(c)}</td>" for c in row) + "</tr>" for row in rows
        )
        return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"

    def section(self, title: str, explanation: str, body: str) -> list[str]:
        return [f"<h2>{self.e(title)}</h2>", f"<p>{self.e(explanation)}</p>", body]

    @staticmethod
    def period(since: str | None, until: str | None) -> str:
        if since and until:
            return _("from {since} until {until}").format(
                since=format_date(since), until=format_date(until)
            )
        if since:
            return _("from {since}").format(since=format_date(since))
        if until:
            return _("until {until}").format(until=format_date(until))
        return _("no start or end date")

    def added(self, target: str | None, version: int, recorded_at: str | None) -> str:
        """ "by anna@bieb.nl on 1 december 2026 at 14:05" (who, when it was recorded)."""
        actor = self.authors.get((target, version))
        when = format_datetime(recorded_at) if recorded_at else ""
        if actor and when:
            return _("by {who}, {when}").format(who=actor_text(actor), when=when)
        return actor_text(actor) if actor else when

    @staticmethod
    def other(other: Mapping[str, Any]) -> str:
        if other.get("name"):
            kind = label(other["kind"], "kind") if other.get("kind") else ""
            return f"{other['name']} ({kind})" if kind else str(other["name"])
        return _("someone no longer on the map")

    def details(self, props: Mapping[str, Any]) -> str:
        parts = []
        for key, value in props.items():
            if key == LAWFUL_BASIS:
                value = lawful_basis_label(str(value)) if value else value
            elif isinstance(value, dict):
                value = "; ".join(f"{k}: {v}" for k, v in value.items())
            elif isinstance(value, list):
                value = ", ".join(str(v) for v in value)
            elif key == "mode" and isinstance(value, str):
                value = label(value, "channel_mode")
            elif key == "bond_type" and isinstance(value, str):
                value = label(value, "bond_type")
            parts.append(f"{field_label(key)}: {value}")
        return "; ".join(parts)

    # ---------------------------------------------------------------- sections

    def summary(self) -> list[str]:
        data, entity = self.data, self.entity
        basis = data.get("lawful_basis")
        rows = [
            (_("What this is"), label(entity["kind"], "kind")),
            (_("Name"), entity["name"]),
            (
                _("Details"),
                self.details(
                    {k: v for k, v in (entity.get("props") or {}).items() if k not in OWN_ROWS}
                ),
            ),
            (_("Valid"), self.period(entity.get("since"), entity.get("until"))),
            (
                _("Why the library may keep this (lawful basis)"),
                lawful_basis_label(basis) if basis else _("not recorded"),
            ),
            (_("Where the data came from"), data.get("data_source") or _("not recorded")),
            (
                _("Last contact"),
                format_date(data["last_contact"]) if data.get("last_contact") else _("never"),
            ),
            (_("All sources named"), ", ".join(data.get("sources") or ()) or _("none")),
        ]
        items = "".join(f"<dt>{self.e(k)}</dt><dd>{self.cell(v)}</dd>" for k, v in rows)
        return self.section(
            _("Your details"),
            _(
                "What the library holds on you now. The lawful basis is the reason in the "
                "privacy law (AVG, article 6) why the library may keep these details."
            ),
            f"<dl>{items}</dl>",
        )

    def versions(self) -> list[str]:
        rows = [
            [
                v["version"],
                v["name"],
                self.details(v.get("props") or {}),
                self.period(v.get("since"), v.get("until")),
                v.get("origin"),
                self.added(v.get("id"), v["version"], v.get("recorded_at")),
            ]
            for v in self.data["versions"]
        ]
        return self.section(
            _("Earlier and current versions"),
            _("Every time your details were changed, the earlier version was kept. Here is each."),
            self.table(
                [_("Version"), _("Name"), _("Details"), _("Valid"), _("Source"), _("Recorded")],
                rows,
            ),
        )

    def ties(self) -> list[str]:
        rows = []
        for t in self.data["ties"]:
            other = self.other(t["other"])
            word = label(t["kind"], "rel")
            tie = (
                f"{self.me} {word} {other}"
                if t["direction"] == "out"
                else f"{other} {word} {self.me}"
            )
            rows.append(
                [
                    tie,
                    strength_label(t["strength"]) if t.get("strength") is not None else None,
                    label(t["role"], "role") if t.get("role") else None,
                    self.period(t.get("since"), t.get("until")),
                    _("current") if t.get("current") else _("replaced by a later version"),
                    t.get("origin"),
                    self.added(t.get("id"), t["version"], t.get("recorded_at")),
                ]
            )
        return self.section(
            _("Ties with others"),
            _(
                "Whom you know and where you take part, as the library noted it, with how strong "
                "the tie is (fleeting, weak, fair, strong or very strong). A changed tie keeps its "
                "earlier version."
            ),
            self.table(
                [
                    _("Tie"),
                    _("Strength"),
                    _("Role"),
                    _("Valid"),
                    _("Status"),
                    _("Source"),
                    _("Recorded"),
                ],
                rows,
            ),
        )

    def contacts(self) -> list[str]:
        rows = [
            [
                format_date(c["on"]),
                self.other(c["with"]),
                label(c["mode"], "contact_mode") if c.get("mode") else None,
                c.get("notes"),
                label(c["outcome"], "outcome") if c.get("outcome") else None,
                format_datetime(c["recorded_at"]) if c.get("recorded_at") else None,
            ]
            for c in self.data["contacts"]
        ]
        return self.section(
            _("Contact moments"),
            _("Conversations, meetings and messages between you and the library that were noted."),
            self.table(
                [_("Date"), _("With"), _("How"), _("Notes"), _("Outcome"), _("Recorded")], rows
            ),
        )

    def audit(self) -> list[str]:
        rows = []
        for a in self.data["audit"]:
            entry = _audit.AuditEntry(
                at=a["at"],
                actor=a["actor"],
                action=a["action"],
                target_type=a["target_type"],
                target_id=a.get("target_id"),
                label=a.get("label"),
                detail=a.get("detail") or {},
            )
            rows.append(
                [
                    _audit.moment_text(entry),
                    _audit.actor_text(entry.actor),
                    _audit.action_text(entry),
                    _audit.subject_text(entry),
                ]
            )
        return self.section(
            _("Audit trail"),
            _("Who added or changed something about you, and when."),
            self.table([_("When"), _("Who"), _("What was done"), _("Concerning")], rows),
        )

    def answers(self) -> list[str]:
        answers = self.data.get("answers") or []
        if not answers:
            return []
        parts = []
        for answer in answers:
            given = answer.get("answer") or {}
            rows = [
                (_("Received on"), format_date(answer.get("received_on")) or None),
                (_("Status"), label(answer.get("status"), "answer_status")),
            ]
            for key in ANSWER_FIELDS:
                value = given.get(key)
                if key == "as" and value:
                    value = label(value, "answer_as")
                elif isinstance(value, bool):
                    value = _("yes") if value else _("no")
                elif isinstance(value, list):
                    value = ", ".join(str(v) for v in value)
                rows.append((_(ANSWER_FIELDS[key]), value))
            items = "".join(f"<dt>{self.e(k)}</dt><dd>{self.cell(v)}</dd>" for k, v in rows)
            parts.append(f"<dl>{items}</dl>")
        return self.section(
            _("Answers to invitations"),
            _("What you filled in on an invitation of the library to be on the map."),
            "".join(parts),
        )

    def aandeslag(self) -> list[str]:
        refs = self.data.get("aandeslag") or []
        if not refs:
            return []
        rows = []
        for ref in refs:
            record = ref.get("record") or {}
            key = ref.get("key")
            if key == "agreements":
                what = _("Task in a working agreement: {task}").format(task=record.get("task", ""))
                when = self.period(record.get("since"), record.get("until"))
            elif key == "calendar":
                what = _("Content calendar: {title}").format(title=record.get("title", ""))
                when = format_date(record.get("date"))
            else:
                what, when = _("Contact person of the community"), ""
            rows.append([ref.get("community_name"), what, when])
        return self.section(
            _("Plans of a community"),
            _("Where the plans of a community (Aan de slag) name you."),
            self.table([_("Community"), _("What"), _("When")], rows),
        )

    def render(self) -> str:
        data, e = self.data, self.e
        title = _("Everything the library holds on {name}").format(name=self.me)
        made = _("Made on {when} by {workspace}.").format(
            when=format_datetime(data.get("generated_at")), workspace=data["workspace"]["name"]
        )
        kind = _("Access request (AVG, article 15).")
        parts = [
            "<!doctype html>",
            f'<html lang="{e(current_language())}"><head><meta charset="utf-8">',
            f"<title>{e(title)}</title>",
            "<style>body{font-family:sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}"
            "table{border-collapse:collapse;width:100%;margin-bottom:1.5rem}"
            "th,td{border:1px solid #999;padding:.25rem .5rem;text-align:left;"
            "vertical-align:top}dt{font-weight:bold}dd{margin:0 0 .5rem 0}</style>",
            "</head><body>",
            f"<h1>{e(title)}</h1>",
            f"<p>{e(kind)} {e(made)}</p>",
            *self.summary(),
            *self.versions(),
            *self.ties(),
            *self.contacts(),
            *self.audit(),
            *self.answers(),
            *self.aandeslag(),
            "</body></html>",
        ]
        return "\n".join(parts)


#: Details the summary of an access export shows on rows of their own.
OWN_ROWS: frozenset[str] = frozenset({LAWFUL_BASIS, DATA_SOURCE})

#: What a resident filled in on an invitation (mapper.invitations.clean_answer), in order.
ANSWER_FIELDS: dict[str, str] = {
    "as": N_("Answered as"),
    "name": N_("Name"),
    "about": N_("About you"),
    "online": N_("Active online"),
    "offline": N_("Active offline"),
    "activities": N_("Activities"),
    "known_orgs": N_("Organisations you know"),
    "known_people": N_("People you know"),
    "contact": N_("May be contacted"),
    "email": N_("E-mail address"),
    "consent_map": N_("Consent to be on the map"),
    "consent_ties": N_("Consent to show whom you know"),
}
