"""The privacy rules the store enforces on every write (AVG / GDPR).

These are the rules, not the services: :mod:`mapper.privacy` answers access requests and
builds the review list with a store; this module needs none, so the store base can import it
without a cycle.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .errors import ValidationError
from .i18n import use_language
from .labels import label
from .model import NodeKind

__all__ = [
    "DATA_SOURCE",
    "DEFAULT_REVIEW_MONTHS",
    "LAWFUL_BASES",
    "LAWFUL_BASIS",
    "ORGANISATIONS_ONLY",
    "PERSONAL_KINDS",
    "REVIEW_MONTHS",
    "check_privacy_props",
    "lawful_basis_label",
    "organisations_only",
]

#: The lawful bases of AVG article 6(1), with Dutch and English labels.
LAWFUL_BASES: dict[str, tuple[str, str]] = {
    "consent": ("toestemming", "consent"),
    "contract": ("overeenkomst", "contract"),
    "legal_obligation": ("wettelijke verplichting", "legal obligation"),
    "vital_interest": ("vitaal belang", "vital interest"),
    "public_task": ("taak van algemeen belang", "public task"),
    "legitimate_interest": ("gerechtvaardigd belang", "legitimate interest"),
}

#: Property names of the privacy fields on a node.
LAWFUL_BASIS = "lawful_basis"
DATA_SOURCE = "data_source"

#: Workspace setting: the library keeps no personal names (no Person nodes).
ORGANISATIONS_ONLY = "organisations_only"
#: Workspace setting: months without contact after which a person is up for review.
REVIEW_MONTHS = "review_months"
DEFAULT_REVIEW_MONTHS = 12

#: Node kinds that hold personal data of residents.
PERSONAL_KINDS: frozenset[NodeKind] = frozenset({NodeKind.PERSON})


def check_privacy_props(props: Mapping[str, Any]) -> None:
    """Raise ValidationError if ``props`` holds an unknown lawful basis.

    >>> check_privacy_props({"lawful_basis": "consent"})
    >>> check_privacy_props({"lawful_basis": "because"})
    Traceback (most recent call last):
    ...
    mapper.errors.ValidationError: lawful basis 'because' is not one of: consent, contract, \
legal_obligation, vital_interest, public_task, legitimate_interest
    """
    basis = props.get(LAWFUL_BASIS)
    if basis is not None and basis not in LAWFUL_BASES:
        raise ValidationError(
            "lawful basis {basis!r} is not one of: {bases}",
            field=LAWFUL_BASIS,
            value=basis,
            basis=basis,
            bases=", ".join(LAWFUL_BASES),
        )
    source = props.get(DATA_SOURCE)
    if source is not None and not isinstance(source, str):
        raise ValidationError(
            "data source {source!r} is not text", field=DATA_SOURCE, value=source, source=source
        )


def organisations_only(settings: Mapping[str, Any]) -> bool:
    """True if a workspace's settings say it keeps no personal names."""
    value = settings.get(ORGANISATIONS_ONLY)
    if isinstance(value, str):
        return value.strip().lower() in ("1", "true", "yes", "ja", "on")
    return bool(value)


def lawful_basis_label(code: str | None, lang: str | None = None) -> str:
    """The words for a lawful basis code in the reader's language (or ``lang``); "" for none.

    >>> lawful_basis_label("public_task", "nl"), lawful_basis_label("public_task", "en")
    ('taak van algemeen belang', 'public task')
    """
    if not code:
        return ""
    if lang is None:
        return label(code, "lawful_basis")
    with use_language(lang):
        return label(code, "lawful_basis")
