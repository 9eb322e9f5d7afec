"""Name matching: find the same person or organisation written differently.

Two names are *the same name* when they fold to the same text (case, accents and spacing
ignored: "jan  de vries" is "Jan de Vries"). They are *near-duplicates* — proposed as a match,
never merged without a person deciding — when one of these keys agrees:

- the letters and digits alone ("Repair-Café" and "Repair Cafe");
- for organisations, those without legal-form words ("Stichting Repair Café" and "Repair Cafe");
- for people, the first initial and the surname with its particles ("J. de Vries",
  "Jan de Vries", "de Vries, Jan") — when the first names agree too: one is an initial or the
  start of the other. A different first name with the same surname ("Elif Demir", "Emre
  Demir": family members, most often) is *not* a near-duplicate unless other evidence says so
  (:func:`find_duplicates`: the same e-mail or phone, or membership of the same
  organisation);
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
>>> index = NameIndex()
>>> index.add("per-1", NodeKind.PERSON, "Elif Demir")
>>> index.near("Emre Demir", NodeKind.PERSON), index.near("E. Demir", NodeKind.PERSON)
([], ['per-1'])
"""

from __future__ import annotations

import difflib
import re
from collections import defaultdict
from collections.abc import Hashable, Iterable, Iterator
from typing import Any, TypeVar

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


def first_name(kind: NodeKind, name: str) -> str | None:
    """A person's first name (folded), or None for other kinds and one-word names.

    >>> first_name(NodeKind.PERSON, "de Vries, Jan"), first_name(NodeKind.PERSON, "J. de Vries")
    ('jan', 'j')
    """
    if kind not in (NodeKind.PERSON, NodeKind.STAFF):
        return None
    tokens = _person_tokens(name)
    return tokens[0] if len(tokens) > 1 else None


def same_first_name(a: str | None, b: str | None) -> bool:
    """True if two first names can be the same person's: equal, or one an initial or the
    start of the other ("J" and "Jan", "Joh" and "Johannes"); not "Elif" and "Emre"."""
    if a is None or b is None:
        return True
    short, long = sorted((a, b), key=len)
    return long.startswith(short) or _one_edit(a, b)


def _one_edit(a: str, b: str) -> bool:
    """True if ``a`` and ``b`` differ by one letter added, dropped, changed or two swapped
    ("Jna" for "Jan"): a spelling slip, not another name."""
    if abs(len(a) - len(b)) > 1 or min(len(a), len(b)) < 3:
        return False
    if len(a) == len(b):
        diff = [i for i, (x, y) in enumerate(zip(a, b)) if x != y]
        return len(diff) <= 1 or (
            len(diff) == 2
            and diff[1] == diff[0] + 1
            and a[diff[0]] == b[diff[1]]
            and a[diff[1]] == b[diff[0]]
        )
    short, long = sorted((a, b), key=len)
    return any(long[:i] + long[i + 1 :] == short for i in range(len(long)))


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
        if not self._names:  # an empty index (a first import into an empty workspace)
            return []
        found: dict[Hashable, None] = {}
        first = first_name(kind, name)
        for key in match_keys(kind, name):
            for item in self._keys.get((kind, key), ()):
                if key.startswith("i:") and not same_first_name(
                    first, first_name(kind, self._names[item][1])
                ):
                    continue  # same surname and initial, another first name: not by name
                found[item] = None
        for key in _block_keys(kind, name) if typos else ():
            block = self._blocks.get((kind, key), ())
            if len(block) <= MAX_BLOCK:
                for item in block:
                    other = self._names[item][1]
                    if (
                        item not in found
                        and _typo(name, other)
                        and same_first_name(first, first_name(kind, other))
                    ):
                        found[item] = None
        wanted = cached_fold(name)
        return [i for i in found if not (exclude_same and cached_fold(self._names[i][1]) == wanted)]


#: Properties that, when equal, say two people are the same (contact details held).
EVIDENCE_PROPS = ("email", "e_mail", "phone", "telefoon")


def _evidence(a: Node, b: Node, organisations: dict[str, set[str]]) -> str | None:
    """Why two people with the same surname and initial but other first names may be one."""
    for key in EVIDENCE_PROPS:
        x, y = a.props.get(key), b.props.get(key)
        if isinstance(x, str) and isinstance(y, str) and x.strip() and fold(x) == fold(y):
            return "same phone" if key in ("phone", "telefoon") else "same e-mail"
    if organisations.get(a.id, set()) & organisations.get(b.id, set()):
        return "same organisation"
    return None


def find_duplicates(
    nodes: Iterable[Node], *, ties: Iterable[Any] = ()
) -> Iterator[tuple[Node, Node, str]]:
    """Pairs of nodes of the same kind that look like duplicates, with the reason.

    Yields ``(a, b, reason)`` with ``a.id < b.id``, each pair once, ordered by ``a``'s name.
    ``reason`` is ``"same name"`` or ``"similar name"``; or, for two people with the same
    surname and initial but different first names (not a duplicate by name alone), the other
    evidence: ``"same e-mail"``, ``"same phone"`` (properties ``email``/``phone``) or
    ``"same organisation"`` (both MEMBER_OF one, from ``ties``).

    Examples
    --------
    >>> from mapper.model import Node
    >>> people = [Node("per-1", NodeKind.PERSON, "Jan de Vries"),
    ...           Node("per-2", NodeKind.PERSON, "J. de Vries"),
    ...           Node("per-3", NodeKind.PERSON, "Joost de Vries"),
    ...           Node("org-1", NodeKind.ORGANISATION, "Jan de Vries")]
    >>> [(a.id, b.id, why) for a, b, why in find_duplicates(people)]
    [('per-1', 'per-2', 'similar name'), ('per-2', 'per-3', 'similar name')]
    >>> people += [Node("per-4", NodeKind.PERSON, "Elif Demir", props={"email": "e@x.nl"}),
    ...            Node("per-5", NodeKind.PERSON, "Emre Demir", props={"email": "E@x.nl"})]
    >>> [(a.id, b.id, why) for a, b, why in find_duplicates(people)][-1]
    ('per-4', 'per-5', 'same e-mail')
    """
    index = NameIndex()
    by_id: dict[str, Node] = {}
    ordered = sorted(
        (n for n in nodes if n.kind in MATCHED_KINDS), key=lambda n: (fold(n.name), n.id)
    )
    for node in ordered:
        by_id[node.id] = node
        index.add(node.id, node.kind, node.name)
    organisations: dict[str, set[str]] = defaultdict(set)
    for tie in ties:
        if getattr(tie.kind, "value", tie.kind) == "MEMBER_OF" and getattr(tie, "current", True):
            organisations[tie.source].add(tie.target)
    surnames: dict[tuple[NodeKind, str], list[Node]] = defaultdict(list)
    seen: set[tuple[str, str]] = set()
    for node in ordered:
        for key in match_keys(node.kind, node.name):
            if key.startswith("i:"):
                surnames[node.kind, key].append(node)
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
    for group in surnames.values():
        if len(group) > MAX_BLOCK:
            continue
        for i, x in enumerate(group):
            for y in group[i + 1 :]:
                pair = (min(x.id, y.id), max(x.id, y.id))
                if pair in seen:
                    continue
                why = _evidence(x, y, organisations)
                if why is not None:
                    seen.add(pair)
                    yield by_id[pair[0]], by_id[pair[1]], why
