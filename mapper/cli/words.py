"""Words the commands share: counts of what a workspace holds, yes and no."""

from __future__ import annotations

from collections.abc import Mapping

from ..i18n import N_, format_number, gettext
from ..labels import label

#: Words of the counts that are not a kind of entity (``Store.counts``, the demo seed).
COUNT_WORDS: dict[str, str] = {
    "ties": N_("ties"),
    "contacts": N_("contact moments"),
    "tie_changes": N_("tie changes"),
    "ties_ended": N_("ties ended"),
}


def count_word(key: str) -> str:
    """The word of one count: a kind's label (``Person`` → Persoon) or a count word."""
    if key in COUNT_WORDS:
        return gettext(COUNT_WORDS[key])
    return label(key, "kind")


def count_rows(counts: Mapping[str, int], *, skip_zero: bool = False) -> list[tuple[str, str]]:
    """``(word, number)`` per count, numbers the reader's way."""
    return [
        (count_word(key), format_number(value))
        for key, value in counts.items()
        if value or not skip_zero
    ]


def count_list(counts: Mapping[str, int]) -> str:
    """The non-zero counts on one line: ``Persoon 150, relaties 820``."""
    return ", ".join(f"{word} {number}" for word, number in count_rows(counts, skip_zero=True))


__all__ = ["COUNT_WORDS", "count_list", "count_rows", "count_word"]
