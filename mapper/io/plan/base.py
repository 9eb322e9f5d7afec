"""The shared parts of an import plan: its rows, its errors, and the state every step reads."""

from __future__ import annotations

import datetime as dt
import gc
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from ...errors import MapperError
from ...i18n import Message, ngettext, render
from ...labels import label
from ...model import (
    ID_PREFIX,
    SYMMETRIC,
    TIE_RULES,
    Node,
    NodeKind,
    RelKind,
    Tie,
)
from ...privacy import organisations_only
from ...store.base import Store
from ..matching import NameIndex
from ..readers import DEFAULT_LIMITS, Found, ReadError, Table
from ..templates import cached_fold as fold
from ..values import text

#: Rows written per store call while applying a plan (progress is reported between chunks).
CHUNK = 100_000
#: Ids from graph files are kept only when they look like the store's own.
STORE_ID_SHAPE = tuple(f"{p}-" for p in (*ID_PREFIX.values(), "tie", "cnt"))
#: How many examples of each action a summary lists.
SAMPLE = 50
#: Up to this many new entities in a file are also compared for spelling differences among
#: themselves (the keys of :mod:`mapper.io.matching` are always compared).
MAX_TYPO_CHECKS = 5_000

Progress = Callable[[int, int, str], None]


@dataclass(frozen=True)
class RowError:
    """One bad cell: where it is, what it holds, and what is wrong.

    ``message`` keeps the message id and its values: ``str()`` says it in the reader's
    language when it is shown.

    >>> from mapper.i18n import use_language
    >>> e = RowError("Entiteiten", 3, "soort", "persoonn",
    ...              Message("kind {kind!r} is not known", kind="persoonn"))
    >>> with use_language("en"):
    ...     str(e)
    "Entiteiten, row 3, column 'soort': kind 'persoonn' is not known"
    """

    sheet: str
    row: int
    column: str
    value: Any
    message: Message

    def __str__(self) -> str:
        return render(
            "{sheet}, row {row}, column {column!r}: {message}",
            {"sheet": self.sheet, "row": self.row, "column": self.column, "message": self.message},
        )


#: How many bad rows the one line of :class:`ImportErrors` names.
SHOWN_ERRORS = 5


class ImportErrors(MapperError):
    """A file has bad rows; ``errors`` lists every one of them."""

    def __init__(self, errors: list[RowError]):
        self.errors = errors
        super().__init__("{n} bad row(s), nothing imported: {rows}", n=len(errors))

    @property
    def message(self) -> str:
        errors = self.errors
        shown = "; ".join(str(e) for e in errors[:SHOWN_ERRORS])
        if len(errors) > SHOWN_ERRORS:
            shown = render(
                "{rows} (and {n} more)", {"rows": shown, "n": len(errors) - SHOWN_ERRORS}
            )
        head = ngettext(
            "{n} bad row, nothing imported: {rows}",
            "{n} bad rows, nothing imported: {rows}",
            len(errors),
        )
        return head.format(n=len(errors), rows=shown)


@dataclass(eq=False)
class Entity:
    """An entity a file names: created, or matched to an existing node."""

    kind: NodeKind
    name: str
    sheet: str
    row: int
    given_id: str | None = None
    props: dict[str, Any] = field(default_factory=dict)
    since: dt.date | None = None
    until: dt.date | None = None
    implicit: bool = False
    cells: dict[str, Any] = field(default_factory=dict)
    existing: Node | None = None
    how: str = ""
    proposals: list[Node] = field(default_factory=list)
    node_id: str = ""
    action: str = ""
    changes: dict[str, Any] = field(default_factory=dict)

    @property
    def token(self) -> str:
        """A stable key for this row, used by decisions on proposals."""
        return f"{self.sheet}:{self.row}:{fold(self.name)}:{self.kind.value}"


Ref = Entity | Node


@dataclass(eq=False, slots=True)
class TieRow:
    kind: RelKind
    source: Ref
    target: Ref
    strength: float | None
    since: dt.date | None
    until: dt.date | None
    role: str | None
    origin: str | None
    props: dict[str, Any] | None
    id: str | None
    sheet: str
    row: int
    explicit: bool
    action: str = ""
    existing: Tie | None = None
    changes: dict[str, Any] | None = None


@dataclass(eq=False, slots=True)
class ContactRow:
    a: Ref
    b: Ref
    on: dt.date
    mode: str | None
    notes: str | None
    outcome: str | None
    id: str | None
    sheet: str
    row: int
    action: str = ""


@dataclass
class Proposal:
    """A row whose name is near an existing entity's: the person importing decides."""

    entity: Entity
    candidates: list[Node]

    @property
    def token(self) -> str:
        return self.entity.token


def _ref_id(ref: Ref) -> str:
    return ref.node_id if isinstance(ref, Entity) else ref.id


def _ref_name(ref: Ref) -> str:
    return ref.name


def _ref_kind(ref: Ref) -> NodeKind:
    return ref.kind


def tie_key(kind: RelKind, source: str, target: str) -> tuple[str, str, str]:
    """The identity of a tie by kind and ends (either direction for symmetric kinds)."""
    if kind in SYMMETRIC and target < source:
        source, target = target, source
    return kind.value, source, target


class PlanBase:
    """The state of an :class:`~mapper.io.plan.core.ImportPlan` that every step reads and writes."""

    def __init__(self, store: Store, workspace: str, found: Found, origin: str):
        self.store = store
        self.workspace = workspace
        self.found = found
        self.origin = origin
        self.errors: list[RowError] = []
        self.notes: list[Message] = []  # what the dry run says besides counts (skipped rows, …)
        self.note_codes: list[tuple[str, dict[str, Any]]] = []  # each note's code and values
        self.entities: list[Entity] = []
        self.ties: list[TieRow] = []
        self.contacts: list[ContactRow] = []
        self.decisions: dict[str, str] = {}
        self._existing: dict[str, Node] = {}
        self._existing_by_name: dict[tuple[NodeKind, str], list[Node]] = defaultdict(list)
        self._existing_any_name: dict[str, list[Node]] = defaultdict(list)
        self._by_ref: dict[str, Entity] = {}
        self._by_name: dict[tuple[NodeKind, str], list[Entity]] = defaultdict(list)
        self._any_name: dict[str, list[Entity]] = defaultdict(list)
        self._library_ref: Ref | None = None
        self._index: NameIndex | None = None
        self.file_duplicates: list[tuple[Entity, Entity]] = []
        self._orgs_only = organisations_only(store.get_workspace(workspace).settings)
        self._fitting: set[tuple[RelKind, NodeKind, NodeKind]] = set()
        self._tie_rows: dict[str, tuple[str, int]] = {}  # tie id -> (sheet, row) first seen
        #: (parser, cell text) -> value, for the cells a tie row repeats (kinds, strengths,
        #: dates): each distinct text parsed once; a bad one is parsed (and reported) each time.
        self._parsed: dict[tuple[Any, str], Any] = {}
        #: (cell text, allowed kinds) -> the one entity it names, for tie ends: each distinct
        #: name resolved once. Emptied whenever an entity is added.
        self._resolved: dict[tuple[str, Any], Any] = {}
        self._limits = getattr(found, "limits", DEFAULT_LIMITS)

    def _check_size(self) -> None:
        """Refuse a file that names more entities or ties than one import takes (a few rows
        of long lists could otherwise plan millions), before planning them all."""
        limits = self._limits
        if len(self.entities) >= limits.entities:
            raise ReadError(
                "the file names more than {limit} entities (the most one import takes)",
                code="entities",
                params={"limit": limits.entities},
            )
        if len(self.ties) >= limits.ties:
            raise ReadError(
                "the file names more than {limit} ties (the most one import takes)",
                code="ties",
                params={"limit": limits.ties},
            )

    def note(self, text: Message, code: str, **params: Any) -> None:
        """Say something in the dry run: ``text`` a message id with its values, ``code`` and
        ``params`` for an interface that says it in its own words."""
        self.notes.append(text)
        self.note_codes.append((code, params))

    def error(
        self, table: Table | str, row: int, column: str, value: Any, message: Message | MapperError
    ) -> None:
        """Report a bad cell; ``message`` (a message id with values, or the error that said
        what is wrong) is put into words when the problem is shown."""
        if isinstance(message, MapperError):
            message = message.as_message()
        title = table.title if isinstance(table, Table) else table
        header = column
        if isinstance(table, Table):
            col = next((c for c in table.columns if c is not None and c.field == column), None)
            col = col or next((c for c in table.sheet.columns if c.field == column), None)
            header = col.header if col else column
        self.errors.append(RowError(title, row, header, text(value) or "", message))


@contextmanager
def _no_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector: planning and writing a big file make millions of
    small objects that live until the end, and every full collection would rescan them all
    (about a tenth of a 1M-tie import). Nothing here makes reference cycles."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@cache
@cache
def _allowed(kind: RelKind | None) -> tuple[Any, Any, Message | str, Message | str]:
    """The kinds a tie of ``kind`` may start and end at, and the words saying so (made once
    per kind: a big file asks for every row; the messages are only read)."""
    if kind is None:
        return None, None, "", ""
    sources, targets = TIE_RULES[kind]
    if kind in SYMMETRIC:
        sources = targets = sources | targets
    return (
        sources,
        targets,
        Message("a {kind} tie goes from {kinds}", kind=kind.value, kinds=_kinds(sources)),
        Message("a {kind} tie goes to {kinds}", kind=kind.value, kinds=_kinds(targets)),
    )


class KindWords(Message):
    """Kinds in a message, each said with its word in the reader's language when the message
    is shown (``Organisatie | Persoon``; one kind alone: ``Persoon``).

    >>> from mapper.i18n import use_language
    >>> words = KindWords([NodeKind.PERSON, NodeKind.ORGANISATION])
    >>> with use_language("nl"):
    ...     str(words)
    'Organisatie | Persoon'
    """

    __slots__ = ()

    def __init__(self, kinds: Iterable[NodeKind], sep: str = " | ") -> None:
        super().__init__("{kinds}", kinds=tuple(sorted(k.value for k in kinds)), sep=sep)

    def __str__(self) -> str:
        return self.params["sep"].join(label(NodeKind(k)) for k in self.params["kinds"])


def _kinds(kinds: Iterable[NodeKind]) -> KindWords:
    """Kinds as a message names them: ``Organisation | Person``."""
    return KindWords(kinds)


def _contact_key(
    a: str, b: str, on: dt.date, mode: str | None, notes: str | None
) -> tuple[Any, ...]:
    return (min(a, b), max(a, b), on, mode or "", notes or "")


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _chunks(items: list[Any], size: int) -> Iterator[list[Any]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]
