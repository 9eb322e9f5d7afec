"""The review list: the last contact moment with a person, and the people not contacted for
a configurable period, to review or erase.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..errors import ValidationError
from ..model import Node, NodeKind
from ..policy import DATA_SOURCE, DEFAULT_REVIEW_MONTHS, LAWFUL_BASIS, PERSONAL_KINDS, REVIEW_MONTHS

if TYPE_CHECKING:  # pragma: no cover
    from ..store.base import Store


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
