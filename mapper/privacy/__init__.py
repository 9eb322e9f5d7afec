"""Privacy (AVG / GDPR): lawful basis and source per person, access requests, review list.

The store keeps the rules that must hold for every write (see
:meth:`mapper.store.base.Store.erase_node` and the "organisations only" workspace setting);
this package answers the questions a library gets from residents and from its privacy officer:

- :func:`access_export`: everything held on one person (details, every version, ties with
  their history, contact moments, audit entries, sources), as a dict; :func:`export_json` and
  :func:`export_html` turn it into a file a resident can read.
- :func:`review_list`: people not contacted for a configurable period, to review or erase.
- :func:`last_contact`: the date of the last logged contact moment with a node.

Per person two properties record the basis of processing (``props``):

``lawful_basis``  one of :data:`LAWFUL_BASES` (AVG article 6(1));
``data_source``   where the data came from (free text: "gesprek op de Repair Café", "import
                  ledenlijst 2025", ...).

The package by job: :mod:`.review` (last contact and the review list), :mod:`.access` (the
access export as data and JSON, and forgetting a person in other records) and :mod:`.page`
(the access export as a page a resident can read). The rules the store enforces live in
:mod:`mapper.policy`; they are re-exported here for callers.
"""

from __future__ import annotations

from ..policy import (  # noqa: F401 - the rules live in policy; re-exported for callers
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
from .access import access_export, export_json, forget_everywhere
from .page import ANSWER_FIELDS, OWN_ROWS, export_html
from .review import ReviewItem, last_contact, last_contacts, review_cutoff, review_list

__all__ = [
    "ANSWER_FIELDS",
    "OWN_ROWS",
    "ReviewItem",
    "access_export",
    "export_html",
    "export_json",
    "forget_everywhere",
    "last_contact",
    "last_contacts",
    "review_cutoff",
    "review_list",
]
