"""Name matching: find the same person or organisation written differently.

Two names are *the same name* when they fold to the same text (case, accents and spacing
ignored: "jan  de vries" is "Jan de Vries"). They are *near-duplicates* — proposed as a match,
never merged without a person deciding — when one of these keys agrees:

- the letters and digits alone ("Repair-Café" and "Repair Cafe");
- for organisations, those without legal-form words ("Stichting Repair Café" and "Repair Cafe");
- for people, the first initial and the surname with its particles ("J. de Vries",
  "Jan de Vries", "de Vries, Jan");
- or, within a small group sharing a surname or a start, a spelling difference of a letter or
  two (``difflib`` ratio of at least :data:`TYPO_RATIO`).

Examples
--------
>>> from mapper.model import NodeKind
>>> same_name("jan  de vries", "Jan de Vries")
True
>>> bool(match_keys(NodeKind.PERSON, "J. de Vries") & match_keys(NodeKind.PERSON, "Jan de Vries"))
True
>>> bool(match_keys(NodeKind.ORGANISATION, "Stichting Repair Café")
...      & match_keys(NodeKind.ORGANISATION, "Repair Cafe"))
True
>>> bool(match_keys(NodeKind.PERSON, "Jan de Vries") & match_keys(NodeKind.PERSON, "Piet de Vries"))
False
"""

from __future__ import annotations

import difflib
import re
from collections import defaultdict
from collections.abc import Hashable, Iterable, Iterator
from typing import TypeVar

from ..model import Node, NodeKind
from ..store.base import fold
from .templates import cached_fold

#: Words of a legal form or an article, left out when comparing organisation names.
LEGAL_WORDS = frozenset(
    {
        "stichting",
        "stg",
        "st",
        "vereniging",
        "ver",
        "bv",
        "nv",
        "vof",
        "cv",
        "cooperatie",
        "coop",
        "ua",
        "vzw",
        "de",
        "het",
        "den",
        "the",
        "foundation",
        "b",
        "v",
        "n",
    }
)
#: Surname particles (tussenvoegsels).
PARTICLES = frozenset(
    {
        "van",
        "de",
        "der",
        "den",
        "het",
        "ter",
        "ten",
        "te",
        "la",
        "le",
        "du",
        "d",
        "op",
        "in",
        "t",
        "s",
        "von",
        "di",
        "da",
        "el",
        "al",
        "bin",
        "ben",
        "uit",
    }
)
#: Kinds whose near-duplicates are proposed.
MATCHED_KINDS = frozenset(
    {NodeKind.PERSON, NodeKind.ORGANISATION, NodeKind.ACTIVITY, NodeKind.STAFF, NodeKind.COMMUNITY}
)
_NON_WORD = re.compile(r"[^0-9a-z]+")
#: Minimum ``difflib.SequenceMatcher`` ratio for a spelling difference to count.
TYPO_RATIO = 0.9
#: Groups larger than this are not compared pairwise for spelling differences.
MAX_BLOCK = 60

T = TypeVar("T", bound=Hashable)


def same_name(a: str, b: str) -> bool:
    """True if two names are the same when case, accents and spacing are ignored."""
    return fold(a) == fold(b)


def name_tokens(name: str) -> list[str]:
    """The folded words of a name, punctuation dropped.

    >>> name_tokens("Stichting Repair-Café (Rijnstad)")
    ['stichting', 'repair', 'cafe', 'rijnstad']
    """
    return _NON_WORD.sub(" ", cached_fold(name)).split()


def _person_tokens(name: str) -> list[str]:
    if "," in name:  # "de Vries, Jan" -> "Jan de Vries"
        last, _, first = name.partition(",")
        name = f"{first} {last}"
    return name_tokens(name)


def match_keys(kind: NodeKind, name: str) -> set[str]:
    """The keys under which two names of the same kind count as near-duplicates."""
    tokens = (
        _person_tokens(name) if kind in (NodeKind.PERSON, NodeKind.STAFF) else name_tokens(name)
    )
    if not tokens:
        return set()
    keys = {"c:" + "".join(tokens)}
    if kind in (NodeKind.PERSON, NodeKind.STAFF):
        # surname: the last word and the particles right before it
        i = len(tokens) - 1
        while i > 0 and tokens[i - 1] in PARTICLES:
            i -= 1
        if i > 0:
            keys.add(f"i:{tokens[0][0]}:{''.join(tokens[i:])}")
    else:
        core = [t for t in tokens if t not in LEGAL_WORDS]
        if core:
            keys.add("c:" + "".join(core))
    return keys


def _block_keys(kind: NodeKind, name: str) -> set[str]:
    tokens = name_tokens(name)
    if not tokens:
        return set()
    compact = "".join(tokens)
    return {f"l:{tokens[-1]}", f"p:{compact[:4]}"}


def _typo(a: str, b: str) -> bool:
    x, y = "".join(name_tokens(a)), "".join(name_tokens(b))
    if abs(len(x) - len(y)) > 3 or min(len(x), len(y)) < 6:
        return False
    matcher = difflib.SequenceMatcher(None, x, y)
    return (
        matcher.real_quick_ratio() >= TYPO_RATIO
        and matcher.quick_ratio() >= TYPO_RATIO
        and matcher.ratio() >= TYPO_RATIO
    )


class NameIndex:
    """An index of names by kind, answering "which names are near-duplicates of this one?"
    without comparing every pair.

    Examples
    --------
    >>> index = NameIndex()
    >>> index.add("per-1", NodeKind.PERSON, "Jan de Vries")
    >>> index.add("per-2", NodeKind.PERSON, "Piet Jansen")
    >>> index.near("J. de Vries", NodeKind.PERSON)
    ['per-1']
    """

    def __init__(self) -> None:
        self._names: dict[Hashable, tuple[NodeKind, str]] = {}
        self._keys: dict[tuple[NodeKind, str], list[Hashable]] = defaultdict(list)
        self._blocks: dict[tuple[NodeKind, str], list[Hashable]] = defaultdict(list)

    def add(self, item: Hashable, kind: NodeKind, name: str) -> None:
        self._names[item] = (kind, name)
        for key in match_keys(kind, name):
            self._keys[kind, key].append(item)
        for key in _block_keys(kind, name):
            self._blocks[kind, key].append(item)

    def near(
        self, name: str, kind: NodeKind, *, exclude_same: bool = True, typos: bool = True
    ) -> list[Hashable]:
        """Items of ``kind`` whose names are near-duplicates of ``name``, in the order added.
        Items with exactly the same (folded) name are left out unless ``exclude_same`` is
        false; ``typos=False`` skips the (slower) spelling comparison."""
        found: dict[Hashable, None] = {}
        for key in match_keys(kind, name):
            for item in self._keys.get((kind, key), ()):
                found[item] = None
        for key in _block_keys(kind, name) if typos else ():
            block = self._blocks.get((kind, key), ())
            if len(block) <= MAX_BLOCK:
                for item in block:
                    if item not in found and _typo(name, self._names[item][1]):
                        found[item] = None
        wanted = cached_fold(name)
        return [i for i in found if not (exclude_same and cached_fold(self._names[i][1]) == wanted)]


def find_duplicates(nodes: Iterable[Node]) -> Iterator[tuple[Node, Node, str]]:
    """Pairs of nodes of the same kind that look like duplicates, with the reason.

    Yields ``(a, b, reason)`` with ``a.id < b.id``, each pair once, ordered by ``a``'s name.
    ``reason`` is ``"same name"`` or ``"similar name"``.

    Examples
    --------
    >>> from mapper.model import Node
    >>> people = [Node("per-1", NodeKind.PERSON, "Jan de Vries"),
    ...           Node("per-2", NodeKind.PERSON, "J. de Vries"),
    ...           Node("org-1", NodeKind.ORGANISATION, "Jan de Vries")]
    >>> [(a.id, b.id, why) for a, b, why in find_duplicates(people)]
    [('per-1', 'per-2', 'similar name')]
    """
    index = NameIndex()
    by_id: dict[str, Node] = {}
    ordered = sorted(
        (n for n in nodes if n.kind in MATCHED_KINDS), key=lambda n: (fold(n.name), n.id)
    )
    for node in ordered:
        by_id[node.id] = node
        index.add(node.id, node.kind, node.name)
    seen: set[tuple[str, str]] = set()
    for node in ordered:
        for other_id in index.near(node.name, node.kind, exclude_same=False):
            if other_id == node.id:
                continue
            pair = (min(node.id, str(other_id)), max(node.id, str(other_id)))
            if pair in seen:
                continue
            seen.add(pair)
            a, b = by_id[pair[0]], by_id[pair[1]]
            reason = "same name" if same_name(a.name, b.name) else "similar name"
            yield a, b, reason
