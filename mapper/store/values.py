"""Plain values and checks the store shares with its callers: ids, timestamps, name
folding, slug and id checks, records, and the attributes a node or tie carries in a
projection. No store in here: :mod:`mapper.io` imports these without the store base."""

from __future__ import annotations

import datetime as dt
import re
import secrets
import time
import unicodedata
from dataclasses import dataclass
from typing import Any

from ..errors import ValidationError
from ..i18n import Message, gettext, render
from ..labels import label
from ..model import Node, NodeKind, RelKind, Tie, field_word, node_kind, rel_kind

SLUG_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")
ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:-]{0,79}$")


#: The last second formatted by :func:`now_iso` (bulk writes ask for it a million times).
_NOW: tuple[int, str] = (0, "")


def now_iso() -> str:
    """The current UTC time as ISO text (seconds), used for ``recorded_at``."""
    global _NOW
    second = int(time.time())
    if _NOW[0] != second:
        stamp = dt.datetime.fromtimestamp(second, dt.UTC).isoformat(timespec="seconds")
        _NOW = (second, stamp)
        return stamp
    return _NOW[1]


def new_id(prefix: str) -> str:
    """A fresh random id such as ``per-3f9a0c1b2d4e``: unguessable, readable in a URL."""
    return f"{prefix}-{secrets.token_hex(6)}"


def new_ids(prefix: str, count: int) -> list[str]:
    """``count`` fresh ids as :func:`new_id` makes them, from one call to the random source
    (a bulk import needs a million)."""
    hexes = secrets.token_hex(6 * count)
    return [f"{prefix}-{hexes[i : i + 12]}" for i in range(0, 12 * count, 12)]


#: Collections of :meth:`Store.put_record`.
RECORD_COLLECTIONS: tuple[str, ...] = ("invitation", "answer")


@dataclass(frozen=True, slots=True)
class Record:
    """A small document kept beside the graph (see :meth:`Store.put_record`)."""

    collection: str
    id: str
    body: dict[str, Any]
    refs: tuple[str, ...] = ()
    created_at: str = ""
    updated_at: str = ""


def fold(text: str) -> str:
    """Case- and accent-insensitive form of ``text`` for matching names.

    >>> fold("  Fatma  Yılmaz ") == fold("fatma yilmaz")
    True
    """
    if text.isascii():  # most names: nothing to replace, decompose or strip (same result)
        return " ".join(text.lower().split())
    text = text.replace("ı", "i").replace("ł", "l").replace("ø", "o").replace("ß", "ss")
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(stripped.casefold().split())


def check_slug(slug: Any) -> str:
    if not isinstance(slug, str) or not SLUG_RE.match(slug):
        raise ValidationError(
            "workspace name {slug!r} must be lower-case letters, digits and hyphens",
            field="workspace",
            value=slug,
            slug=slug,
        )
    return slug


def check_id(value: Any, *, field: str = "id") -> str:
    if not isinstance(value, str) or not ID_RE.match(value):
        raise ValidationError(
            "{field_name} {given!r} is not a valid id",
            field=field,
            value=value,
            field_name=field_word(field),
            given=value,
        )
    return value


def node_attrs(node: Node) -> dict[str, Any]:
    """The attributes a node carries in a projection."""
    return {
        "kind": node.kind.value,
        "name": node.name,
        "props": node.props,
        "since": node.since,
        "until": node.until,
    }


def tie_attrs(tie: Tie) -> dict[str, Any]:
    """The attributes a tie carries in a projection."""
    return {
        "kind": tie.kind.value,
        "strength": tie.strength,
        "since": tie.since,
        "until": tie.until,
        "role": tie.role,
        "origin": tie.origin,
        "version": tie.version,
    }


def _kinds_arg(kind: Any) -> list[NodeKind] | None:
    if kind is None:
        return None
    if isinstance(kind, (str, NodeKind)):
        return [node_kind(kind)]
    return [node_kind(k) for k in kind]


def _rel_kinds_arg(kind: Any) -> list[RelKind] | None:
    if kind is None:
        return None
    if isinstance(kind, (str, RelKind)):
        return [rel_kind(kind)]
    return [rel_kind(k) for k in kind]


class KindWords(Message):
    """The kinds a message names, written out when it is shown, in the reader's words (the
    model's labels): ``Persoon of Organisatie``, ``Person or Organisation``.

    >>> from mapper.i18n import use_language
    >>> words = KindWords([NodeKind.PERSON, NodeKind.ORGANISATION, NodeKind.STAFF])
    >>> with use_language("nl"):
    ...     str(words), str(KindWords([NodeKind.THEME])), str(KindWords([]))
    ('Persoon, Organisatie of Medewerker', 'Thema', 'item')
    >>> with use_language("en"):
    ...     str(words)
    'Person, Organisation or Staff member'
    """

    __slots__ = ()

    def __init__(self, kinds: list[NodeKind]) -> None:
        # plain text, so a message kept as JSON keeps it (mapper/io/uploads.py)
        super().__init__("{kinds}", kinds=" ".join(k.value for k in kinds))

    def __str__(self) -> str:
        codes = self.params["kinds"].split()
        words = [label(NodeKind(k)) for k in codes] or [gettext("entity")]
        if len(words) == 1:
            return words[0]
        return render("{first} or {last}", {"first": ", ".join(words[:-1]), "last": words[-1]})


def _kind_words(kind: Any) -> KindWords:
    return KindWords(_kinds_arg(kind) or [])
