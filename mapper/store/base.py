"""The storage interface every adapter implements.

:class:`Store` holds the rules (validation, history, ids) once; an adapter implements the
small set of ``_``-prefixed primitives that read and write its database. Every method takes
the workspace slug first: a workspace is one library's graph, and nothing crosses between
workspaces. :meth:`Store.workspace` returns a :class:`Workspace` handle that supplies the slug,
which reads more naturally::

    store = open_store("sqlite:///town.db")
    ws = store.create_workspace("rijnstad", "Bibliotheek Rijnstad")
    jan = ws.add_node("Person", "Jan de Vries")
    theme = ws.add_node("Theme", "duurzaamheid")
    tie = ws.add_tie("ACTIVE_ON", jan.id, theme.id, strength=0.6, since="2025-01-01")
    ws.change_tie(tie.id, on="2025-06-01", strength=0.8)   # closes version 1, opens version 2
    graph = ws.project(as_of="2025-03-01")                 # networkx MultiDiGraph

Writes are atomic: each public write runs in one transaction, and ``with store.atomic():``
groups several (nested blocks become savepoints). A write that fails half-way leaves nothing.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
import time
import unicodedata
from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator, Mapping
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from .. import audit as _audit
from ..audit import AuditEntry
from ..errors import ConflictError, Day, MapperError, NotFoundError, ValidationError
from ..ids import UNSET
from ..model import (
    ID_PREFIX,
    Contact,
    Node,
    NodeKind,
    RelKind,
    Tie,
    WorkspaceInfo,
    check_date,
    check_interval,
    check_name,
    check_props,
    check_role,
    check_strength,
    check_text,
    check_tie_kinds,
    field_word,
    node_kind,
    rel_kind,
)
from ..policy import PERSONAL_KINDS, check_privacy_props, organisations_only
from .dump import WorkspaceDump
from .workspace import Workspace

if TYPE_CHECKING:  # networkx is imported when a graph is built, not with the store
    import networkx as nx


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
    (a bulk import needs a million; owner: io)."""
    hexes = secrets.token_hex(6 * count)
    return [f"{prefix}-{hexes[i : i + 12]}" for i in range(0, 12 * count, 12)]


#: Collections of :meth:`Store.put_record` (owner: invite).
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


class Store(ABC):
    """The storage interface: a set of workspaces, each a graph with history.

    Adapters implement the abstract ``_`` primitives and :meth:`atomic`; the public methods
    here validate input, assign ids and versions, and keep history.
    """

    #: Short name of the adapter ("sqlite", "neo4j").
    backend: str = "abstract"

    def __init_subclass__(cls, **kwargs: Any) -> None:
        # Every adapter's writes are journaled for the shared projection (mapper/graph.py).
        super().__init_subclass__(**kwargs)
        from .journal import install

        install(cls)

    # ------------------------------------------------------------------ lifecycle

    def close(self) -> None:  # noqa: B027 - optional hook
        """Release connections. The store is unusable afterwards."""

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @abstractmethod
    def atomic(self) -> AbstractContextManager[None]:
        """A transaction: everything inside is written, or nothing is. Nests as savepoints."""

    def bulk_write(self, *, ties: int = 0) -> AbstractContextManager[None]:
        """A transaction (as :meth:`atomic`) for a bulk write of about ``ties`` new ties,
        such as an import. An adapter may prepare for the load (SQLite: rebuilds its
        secondary tie indexes once at the end instead of updating them row by row); the
        default is plain :meth:`atomic`. Reads inside the block stay correct. (owner: io)"""
        return self.atomic()

    # ------------------------------------------------------------------ workspaces

    def create_workspace(
        self, slug: str, name: str | None = None, *, settings: Mapping[str, Any] | None = None
    ) -> Workspace:
        """Create a workspace (one library's graph) and return its handle."""
        slug = check_slug(slug)
        info = WorkspaceInfo(
            slug=slug,
            name=check_name(name or slug),
            created_at=now_iso(),
            settings=check_props(settings),
        )
        with self.atomic():
            self._create_workspace(info)
            self._audit_write(slug, _audit.CREATE, "workspace", slug, info.name, ())
        return Workspace(self, slug)

    def workspace(self, slug: str) -> Workspace:
        """The handle of an existing workspace; NotFoundError if there is none."""
        self.get_workspace(slug)
        return Workspace(self, slug)

    def get_workspace(self, slug: str) -> WorkspaceInfo:
        info = self._get_workspace(slug) if isinstance(slug, str) else None
        if info is None:
            raise NotFoundError("workspace {slug!r} not found", slug=slug)
        return info

    def update_workspace(
        self, slug: str, *, name: str | None = None, settings: Mapping[str, Any] | None = None
    ) -> WorkspaceInfo:
        info = self.get_workspace(slug)
        new = replace(
            info,
            name=check_name(name) if name is not None else info.name,
            settings={**info.settings, **check_props(settings)},
        )
        with self.atomic():
            if organisations_only(new.settings) and not organisations_only(info.settings):
                people = sum(1 for _ in self.nodes(slug, kind=list(PERSONAL_KINDS)))
                if people:
                    raise ConflictError(
                        "workspace {slug!r} still holds {people} people: erase them before "
                        "making it organisations only",
                        slug=slug,
                        people=people,
                    )
            self._update_workspace(new)
            changed = sorted(k for k in new.settings if new.settings[k] != info.settings.get(k))
            detail = {"settings": changed, **({"name": True} if new.name != info.name else {})}
            self._audit_write(slug, _audit.UPDATE, "workspace", slug, new.name, (), detail)
        return new

    @abstractmethod
    def workspaces(self) -> list[WorkspaceInfo]:
        """All workspaces, by slug."""

    @abstractmethod
    def delete_workspace(self, slug: str) -> None:
        """Remove a workspace and everything in it."""

    @abstractmethod
    def _create_workspace(self, info: WorkspaceInfo) -> None: ...

    @abstractmethod
    def _get_workspace(self, slug: str) -> WorkspaceInfo | None: ...

    @abstractmethod
    def _update_workspace(self, info: WorkspaceInfo) -> None: ...

    # ------------------------------------------------------------------ nodes

    def make_node(
        self,
        kind: str | NodeKind,
        name: str,
        *,
        id: str | None = None,
        props: Mapping[str, Any] | None = None,
        since: Any = None,
        until: Any = None,
        origin: str | None = None,
    ) -> Node:
        """Validate and build a node (version 1) without writing it."""
        kind = node_kind(kind)
        since_d = check_date(since, field="since")
        until_d = check_date(until, field="until")
        check_interval(since_d, until_d)
        return Node(
            id=check_id(id) if id is not None else new_id(ID_PREFIX[kind]),
            kind=kind,
            name=check_name(name),
            props=check_props(props),
            since=since_d,
            until=until_d,
            origin=check_text(origin, field="origin") or None,
            version=1,
            recorded_at=now_iso(),
        )

    def add_node(self, workspace: str, kind: str | NodeKind, name: str, **fields: Any) -> Node:
        """Add one node; ``fields`` are those of :meth:`make_node`."""
        return self.add_nodes(workspace, [dict(kind=kind, name=name, **fields)])[0]

    def add_nodes(self, workspace: str, specs: Iterable[Mapping[str, Any] | Node]) -> list[Node]:
        """Add many nodes in one transaction. Each spec is a Node or a mapping of
        :meth:`make_node` arguments. A duplicate id raises ConflictError and writes nothing."""
        info = self.get_workspace(workspace)
        nodes = [s if isinstance(s, Node) else self.make_node(**s) for s in specs]
        self._check_node_policy(info, nodes)
        with self.atomic():
            self._insert_nodes(workspace, nodes)
            self._insert_audit(
                workspace,
                [
                    self._audit_entry(
                        _audit.CREATE, "node", n.id, n.name, (n.id,), {"kind": n.kind.value}
                    )
                    for n in nodes
                ],
            )
        return nodes

    def get_node(self, workspace: str, node_id: str) -> Node:
        """The current version of a node; NotFoundError if it is not in this workspace."""
        found = self._get_nodes(workspace, [node_id]) if isinstance(node_id, str) else {}
        if node_id not in found:
            raise NotFoundError("no entity with id {node_id!r} in this workspace", node_id=node_id)
        return found[node_id]

    def get_nodes(self, workspace: str, node_ids: Iterable[str]) -> dict[str, Node]:
        """Current versions of the given nodes that exist, by id."""
        return self._get_nodes(workspace, list(dict.fromkeys(node_ids)))

    def update_node(
        self,
        workspace: str,
        node_id: str,
        *,
        name: str = UNSET,
        props: Mapping[str, Any] = UNSET,
        since: Any = UNSET,
        until: Any = UNSET,
        origin: str | None = UNSET,
        merge_props: bool = True,
    ) -> Node:
        """Change a node's details. The old version stays in :meth:`node_history`.

        With ``merge_props`` (the default) ``props`` is merged into the current properties; a
        key given as ``None`` is removed.
        """
        with self.atomic():
            current = self.get_node(workspace, node_id)
            new_props = dict(current.props)
            if props is not UNSET:
                checked = check_props(props)
                if merge_props:
                    new_props.update(checked)
                    new_props = {k: v for k, v in new_props.items() if v is not None}
                else:
                    new_props = checked
            new_since = current.since if since is UNSET else check_date(since, field="since")
            new_until = current.until if until is UNSET else check_date(until, field="until")
            check_interval(new_since, new_until)
            node = replace(
                current,
                name=current.name if name is UNSET else check_name(name),
                props=new_props,
                since=new_since,
                until=new_until,
                origin=current.origin
                if origin is UNSET
                else (check_text(origin, field="origin") or None),
                version=current.version + 1,
                recorded_at=now_iso(),
            )
            check_privacy_props(node.props)
            self._insert_node_version(workspace, node)
            changed = [
                f
                for f in ("name", "since", "until", "origin")
                if getattr(node, f) != getattr(current, f)
            ]
            changed += [
                f"props.{k}"
                for k in sorted(set(node.props) | set(current.props))
                if node.props.get(k) != current.props.get(k)
            ]
            self._audit_write(
                workspace,
                _audit.UPDATE,
                "node",
                node.id,
                node.name,
                (node.id,),
                {"changed": changed, "version": node.version},
            )
        return node

    def nodes(
        self,
        workspace: str,
        *,
        kind: str | NodeKind | Iterable[str | NodeKind] | None = None,
        as_of: Any = None,
    ) -> Iterator[Node]:
        """Current nodes, optionally of some kinds and valid on ``as_of``; ordered by id."""
        kinds = _kinds_arg(kind)
        day = check_date(as_of, field="as_of")
        return self._query_nodes(workspace, kinds, day)

    def node_history(self, workspace: str, node_id: str) -> list[Node]:
        """Every recorded version of a node, oldest first."""
        versions = self._node_versions(workspace, node_id)
        if not versions:
            raise NotFoundError("no entity with id {node_id!r} in this workspace", node_id=node_id)
        return versions

    def find_nodes(
        self,
        workspace: str,
        text: str,
        *,
        kind: str | NodeKind | Iterable[str | NodeKind] | None = None,
        limit: int = 20,
    ) -> list[Node]:
        """Nodes whose name matches ``text`` (case- and accent-insensitive), best first:
        exact matches, then prefix matches, then substring matches; ties by name and id."""
        wanted = fold(text)
        if not wanted:
            return []
        scored = []
        for node in self.nodes(workspace, kind=kind):
            name = fold(node.name)
            if name == wanted:
                rank = 0
            elif name.startswith(wanted):
                rank = 1
            elif wanted in name:
                rank = 2
            else:
                continue
            scored.append((rank, name, node.id, node))
        scored.sort(key=lambda t: t[:3])
        return [t[3] for t in scored[:limit]]

    def lookup(
        self, workspace: str, name: str, *, kind: str | NodeKind | Iterable[str | NodeKind]
    ) -> Node:
        """The one node of ``kind`` called ``name``; NotFoundError listing close matches."""
        import difflib

        candidates = list(self.nodes(workspace, kind=kind))
        exact = [n for n in candidates if fold(n.name) == fold(name)]
        if len(exact) == 1:
            return exact[0]
        if len(exact) > 1:
            ids = ", ".join(f"{n.name} ({n.id})" for n in exact[:5])
            raise NotFoundError("{name!r} is ambiguous: {ids}", name=name, ids=ids)
        names = {fold(n.name): n.name for n in candidates}
        close = difflib.get_close_matches(fold(name), list(names), n=5, cutoff=0.5)
        partial = [n.name for n in candidates if fold(name) in fold(n.name)][:5]
        suggestions = list(dict.fromkeys([names[c] for c in close] + partial))[:5]
        raise NotFoundError(
            "no {kinds} called {name!r}",
            suggestions=suggestions,
            kinds=_kind_words(kind),
            name=name,
        )

    # ------------------------------------------------------------------ ties

    def make_tie(
        self,
        kind: str | RelKind,
        source: str,
        target: str,
        *,
        strength: Any = None,
        since: Any = None,
        until: Any = None,
        role: str | None = None,
        origin: str | None = None,
        props: Mapping[str, Any] | None = None,
        id: str | None = None,
    ) -> Tie:
        """Validate and build a tie (version 1) without writing it or checking its ends."""
        kind = rel_kind(kind)
        since_d = check_date(since, field="since")
        until_d = check_date(until, field="until")
        check_interval(since_d, until_d)
        return Tie(
            id=check_id(id) if id is not None else new_id("tie"),
            kind=kind,
            source=check_id(source, field="source"),
            target=check_id(target, field="target"),
            strength=check_strength(strength),
            since=since_d,
            until=until_d,
            role=check_role(kind, role),
            origin=check_text(origin, field="origin") or None,
            props=check_props(props),
            version=1,
            current=True,
            recorded_at=now_iso(),
        )

    def add_tie(
        self, workspace: str, kind: str | RelKind, source: str, target: str, **fields: Any
    ) -> Tie:
        """Add one tie; ``fields`` are those of :meth:`make_tie`."""
        return self.add_ties(workspace, [dict(kind=kind, source=source, target=target, **fields)])[
            0
        ]

    def add_ties(self, workspace: str, specs: Iterable[Mapping[str, Any] | Tie]) -> list[Tie]:
        """Add many ties in one transaction, checking that both ends exist in this workspace
        and that the tie kind fits their kinds. Any error writes nothing."""
        self.get_workspace(workspace)
        ties = [s if isinstance(s, Tie) else self.make_tie(**s) for s in specs]
        with self.atomic():
            kinds = self._node_kinds(workspace, {t.source for t in ties} | {t.target for t in ties})
            fitting: set[tuple[RelKind, NodeKind, NodeKind]] = set()  # combinations checked
            for tie in ties:
                for end in (tie.source, tie.target):
                    if end not in kinds:
                        raise NotFoundError(
                            "no entity with id {node_id!r} in this workspace", node_id=end
                        )
                combination = (tie.kind, kinds[tie.source], kinds[tie.target])
                if combination not in fitting:
                    check_tie_kinds(*combination)
                    fitting.add(combination)
            self._insert_ties(workspace, ties)
            # one entry per tie, as _audit_entry makes them; time and actor read once
            at, actor, create = now_iso(), self.actor or _audit.SYSTEM_ACTOR, _audit.CREATE
            self._insert_audit(
                workspace,
                [
                    AuditEntry(
                        at,
                        actor,
                        create,
                        "tie",
                        t.id,
                        t.kind.value,
                        (t.id, t.source, t.target),
                        {"version": t.version},
                    )
                    for t in ties
                ],
            )
        return ties

    def get_tie(self, workspace: str, tie_id: str) -> Tie:
        """The current (latest) version of a tie."""
        versions = self._tie_versions(workspace, tie_id) if isinstance(tie_id, str) else []
        if not versions:
            raise NotFoundError("no tie with id {tie_id!r} in this workspace", tie_id=tie_id)
        return versions[-1]

    def tie_history(self, workspace: str, tie_id: str) -> list[Tie]:
        """Every version of a tie, oldest first."""
        versions = self._tie_versions(workspace, tie_id)
        if not versions:
            raise NotFoundError("no tie with id {tie_id!r} in this workspace", tie_id=tie_id)
        return versions

    def change_tie(
        self,
        workspace: str,
        tie_id: str,
        *,
        on: Any,
        strength: Any = UNSET,
        role: str | None = UNSET,
        origin: str | None = UNSET,
        props: Mapping[str, Any] = UNSET,
    ) -> Tie:
        """Change a tie from day ``on``: the current version is closed (``until = on``) and a
        new version opens on ``on`` with the changed values. Nothing is overwritten."""
        day = check_date(on, field="on")
        if day is None:
            raise ValidationError("a change needs the date it takes effect", field="on")
        with self.atomic():
            current = self.get_tie(workspace, tie_id)
            if current.since is not None and day < current.since:
                raise ValidationError(
                    "change date {day} lies before the tie began ({since})",
                    field="on",
                    value=day.isoformat(),
                    day=Day(day),
                    since=Day(current.since),
                )
            if current.until is not None and day >= current.until:
                raise ValidationError(
                    "the tie ended on {until}; add a new tie instead",
                    field="on",
                    value=day.isoformat(),
                    until=Day(current.until),
                )
            new = replace(
                current,
                strength=current.strength if strength is UNSET else check_strength(strength),
                role=current.role if role is UNSET else check_role(current.kind, role),
                origin=current.origin
                if origin is UNSET
                else (check_text(origin, field="origin") or None),
                props=current.props if props is UNSET else check_props(props),
                since=day,
                version=current.version + 1,
                current=True,
                recorded_at=now_iso(),
            )
            self._close_tie_version(workspace, tie_id, current.version, day)
            self._insert_ties(workspace, [new])
            changed = [
                f
                for f in ("strength", "role", "origin", "props")
                if getattr(new, f) != getattr(current, f)
            ]
            self._audit_write(
                workspace,
                _audit.CHANGE,
                "tie",
                tie_id,
                new.kind.value,
                (tie_id, new.source, new.target),
                {"changed": changed, "on": day.isoformat(), "version": new.version},
            )
        return new

    def end_tie(self, workspace: str, tie_id: str, *, on: Any) -> Tie:
        """End a tie from day ``on`` (its current version gets ``until = on``)."""
        day = check_date(on, field="on")
        if day is None:
            raise ValidationError("ending a tie needs a date", field="on")
        with self.atomic():
            current = self.get_tie(workspace, tie_id)
            check_interval(current.since, day)
            if current.until is not None and current.until <= day:
                return current
            self._set_tie_until(workspace, tie_id, current.version, day)
            self._audit_write(
                workspace,
                _audit.END,
                "tie",
                tie_id,
                current.kind.value,
                (tie_id, current.source, current.target),
                {"on": day.isoformat(), "version": current.version},
            )
        return replace(current, until=day)

    def reopen_tie(self, workspace: str, tie_id: str) -> Tie:
        """Undo the end of a tie: a new version opens on the day the current one ended, with
        the same values and no end (owner: edit). The ended version stays in the history."""
        with self.atomic():
            current = self.get_tie(workspace, tie_id)
            if current.until is None:
                return current
            new = replace(
                current,
                since=current.until,
                until=None,
                version=current.version + 1,
                current=True,
                recorded_at=now_iso(),
            )
            self._close_tie_version(workspace, tie_id, current.version, current.until)
            self._insert_ties(workspace, [new])
            self._audit_write(
                workspace,
                _audit.CHANGE,
                "tie",
                tie_id,
                new.kind.value,
                (tie_id, new.source, new.target),
                {"changed": ["until"], "on": current.until.isoformat(), "version": new.version},
            )
        return new

    def ties(
        self,
        workspace: str,
        *,
        node: str | None = None,
        kind: str | RelKind | Iterable[str | RelKind] | None = None,
        as_of: Any = None,
        history: bool = False,
    ) -> Iterator[Tie]:
        """Ties, ordered by id then version.

        Parameters
        ----------
        node : str, optional
            Only ties with this node at either end.
        kind : str or iterable, optional
            Only ties of these kinds.
        as_of : date or ISO text, optional
            Only the versions valid on that day (``since <= day < until``).
        history : bool
            Without ``as_of``: every version instead of only the latest of each tie.
        """
        kinds = _rel_kinds_arg(kind)
        day = check_date(as_of, field="as_of")
        return self._query_ties(workspace, node, kinds, day, history)

    # ------------------------------------------------------------------ contact moments

    def add_contact(
        self,
        workspace: str,
        a: str,
        b: str,
        *,
        on: Any,
        mode: str | None = None,
        notes: str | None = None,
        outcome: str | None = None,
        id: str | None = None,
    ) -> Contact:
        """Log a contact moment between ``a`` and ``b`` on day ``on``."""
        return self.add_contacts(
            workspace, [dict(a=a, b=b, on=on, mode=mode, notes=notes, outcome=outcome, id=id)]
        )[0]

    def add_contacts(self, workspace: str, specs: Iterable[Mapping[str, Any]]) -> list[Contact]:
        self.get_workspace(workspace)
        contacts = []
        for spec in specs:
            day = check_date(spec.get("on"), field="on")
            if day is None:
                raise ValidationError("a contact moment needs a date", field="on")
            notes = spec.get("notes")
            if notes is not None and len(notes) > 10_000:
                raise ValidationError("notes are too long (max 10,000 characters)", field="notes")
            contacts.append(
                Contact(
                    id=check_id(spec["id"]) if spec.get("id") else new_id("cnt"),
                    a=check_id(spec["a"], field="a"),
                    b=check_id(spec["b"], field="b"),
                    on=day,
                    mode=check_text(spec.get("mode"), field="mode") or None,
                    notes=check_text(notes, field="notes") or None,
                    outcome=check_text(spec.get("outcome"), field="outcome") or None,
                    recorded_at=now_iso(),
                )
            )
        with self.atomic():
            known = self._node_kinds(workspace, {c.a for c in contacts} | {c.b for c in contacts})
            for c in contacts:
                for end in (c.a, c.b):
                    if end not in known:
                        raise NotFoundError(
                            "no entity with id {node_id!r} in this workspace", node_id=end
                        )
                if c.a == c.b:
                    raise ValidationError("a contact moment needs two different parties")
            self._insert_contacts(workspace, contacts)
            self._insert_audit(
                workspace,
                [
                    self._audit_entry(
                        _audit.CREATE,
                        "contact",
                        c.id,
                        c.mode,
                        (c.id, c.a, c.b),
                        {"on": c.on.isoformat()},
                    )
                    for c in contacts
                ],
            )
        return contacts

    def contacts(
        self,
        workspace: str,
        *,
        node: str | None = None,
        between: tuple[str, str] | None = None,
        until: Any = None,
    ) -> Iterator[Contact]:
        """Contact moments, by date then id; only those up to and including ``until``."""
        day = check_date(until, field="until")
        return self._query_contacts(workspace, node, between, day)

    # ------------------------------------------------------------------ audit trail, privacy

    #: Who the store is acting for; recorded in the audit trail (see :meth:`acting_as`).
    actor: str | None = None

    @contextmanager
    def acting_as(self, actor: str | None) -> Iterator[Store]:
        """Record ``actor`` (an account, ``"local"``, a script's name) as the author of every
        write inside the block::

            with store.acting_as("anna@bibliotheek.nl"):
                store.add_node("rijnstad", "Person", "Jan de Vries")
        """
        previous = self.actor
        self.actor = actor
        try:
            yield self
        finally:
            self.actor = previous

    def audit(
        self,
        workspace: str,
        *,
        entity: str | None = None,
        action: str | Iterable[str] | None = None,
        limit: int | None = None,
    ) -> list[AuditEntry]:
        """The audit trail of a workspace, newest first.

        Parameters
        ----------
        entity : str, optional
            Only entries about this id (a node also gets the entries of its ties and
            contact moments).
        action : str or iterable, optional
            Only these actions (see :data:`mapper.audit.ACTIONS`).
        limit : int, optional
            At most this many entries.
        """
        self.get_workspace(workspace)
        if limit is not None and (
            isinstance(limit, bool) or not isinstance(limit, int) or limit < 1
        ):
            raise ValidationError(
                "limit {limit!r} is not a positive whole number",
                field="limit",
                value=limit,
                limit=limit,
            )
        actions = [action] if isinstance(action, str) else list(action) if action else None
        return self._query_audit(workspace, entity, actions, limit)

    def record_audit(
        self,
        workspace: str,
        action: str,
        *,
        target_type: str,
        target_id: str | None = None,
        label: str | None = None,
        refs: Iterable[str] = (),
        detail: Mapping[str, Any] | None = None,
    ) -> AuditEntry:
        """Add an entry to the audit trail for a write made elsewhere (a merge, an import).

        Call it inside the same ``with store.atomic():`` block as the write it describes.
        ``refs`` must name every entity the entry is about, so that erasing one of them
        also removes the entry.
        """
        if action not in _audit.ACTIONS:
            raise ValidationError(
                "audit action {action!r} is not one of: {actions}",
                field="action",
                value=action,
                action=action,
                actions=", ".join(_audit.ACTIONS),
            )
        if target_type not in _audit.TARGET_TYPES:
            raise ValidationError(
                "audit target {target_type!r} is not one of: {types}",
                field="target_type",
                value=target_type,
                target_type=target_type,
                types=", ".join(_audit.TARGET_TYPES),
            )
        refs = tuple(dict.fromkeys([*((target_id,) if target_id else ()), *refs]))
        entry = self._audit_entry(action, target_type, target_id, label, refs, check_props(detail))
        with self.atomic():
            self.get_workspace(workspace)
            self._insert_audit(workspace, [entry])
        return entry

    def _audit_entry(
        self,
        action: str,
        target_type: str,
        target_id: str | None,
        label: str | None,
        refs: Iterable[str],
        detail: Mapping[str, Any] | None = None,
    ) -> AuditEntry:
        return AuditEntry(
            at=now_iso(),
            actor=self.actor or _audit.SYSTEM_ACTOR,
            action=action,
            target_type=target_type,
            target_id=target_id,
            label=label,
            refs=tuple(refs),
            detail=dict(detail or {}),
        )

    def _audit_write(self, workspace: str, *args: Any) -> None:
        self._insert_audit(workspace, [self._audit_entry(*args)])

    def _check_node_policy(self, info: WorkspaceInfo, nodes: list[Node]) -> None:
        """The workspace's privacy rules for new nodes: no people in an "organisations
        only" workspace, and a known lawful basis."""
        if organisations_only(info.settings):
            for node in nodes:
                if node.kind in PERSONAL_KINDS:
                    raise ValidationError(
                        "workspace {slug!r} keeps organisations only: cannot add the "
                        "{kind} {name!r}",
                        field="kind",
                        value=node.kind.value,
                        slug=info.slug,
                        kind=node.kind.value,
                        name=node.name,
                    )
        for node in nodes:
            check_privacy_props(node.props)

    def last_contact(self, workspace: str, node_id: str) -> dt.date | None:
        """The date of the last logged contact moment with a node (None if never)."""
        self.get_node(workspace, node_id)
        days = [c.on for c in self.contacts(workspace, node=node_id)]
        return max(days) if days else None

    def erase_node(self, workspace: str, node_id: str) -> dict[str, Any]:
        """Erase a node for good (an AVG erasure request): every version of it, every version
        of its ties, its contact moments, and the audit entries that name it.

        The audit trail keeps one anonymous entry ("a Person was erased", with counts, no
        name and no id). Afterwards the store compacts its files so the erased data is gone
        from the disk too, not only hidden (SQLite: WAL checkpoint and VACUUM). Run outside
        any ``atomic()`` block so the compaction can run; inside one it is skipped and
        ``compacted`` is False.

        Returns
        -------
        dict
            Counts of what was removed (``versions``, ``ties``, ``tie_versions``,
            ``contacts``, ``audit``), ``kind``, and ``compacted`` (bool).
        """
        with self.atomic():
            node = self.get_node(workspace, node_id)
            counts = self._erase_node(workspace, node_id)
            records = self._delete_records_naming(workspace, node_id)
            if records:  # records (e.g. an accepted invitation answer) about the node
                counts["records"] = records
            scrubbed = self._scrub_settings(workspace, node_id)
            if scrubbed:  # e.g. a map's kept positions or a saved view's focus
                counts["settings"] = scrubbed
            detail = {"kind": node.kind.value, **counts}
            self._audit_write(workspace, _audit.ERASE, "node", None, None, (), detail)
        compacted = self._compact()
        return {"kind": node.kind.value, **counts, "compacted": compacted}

    def _scrub_settings(self, workspace: str, node_id: str) -> int:
        """Remove every trace of ``node_id`` from the workspace settings (kept map positions,
        saved views, ...): a key equal to the id is dropped, a value equal to it becomes None,
        and a setting holding the id inside a longer text (such as the map key of a person's
        warm-route map) is dropped whole. Returns how many settings changed."""
        info = self.get_workspace(workspace)
        changed = 0
        settings: dict[str, Any] = {}
        for key, value in info.settings.items():
            clean, touched, drop = _scrub(value, node_id)
            if drop:
                changed += 1
                continue
            changed += touched
            settings[key] = clean
        if changed:
            self._update_workspace(replace(info, settings=settings))
        return changed

    def compact(self) -> bool:
        """Squeeze deleted data out of the store's files (SQLite: WAL checkpoint and VACUUM).
        True when done; False if another connection was busy or the adapter cannot."""
        return self._compact()

    def merge_nodes(self, workspace: str, keep: str, drop: str) -> Node:
        """Merge two entities that are the same (duplicates): ``drop`` goes into ``keep``.

        Every version of every tie and every contact moment of ``drop`` moves to ``keep``
        (history kept, ids kept); a tie or contact moment *between* the two would become a loop
        and is removed. ``keep`` gets a new version whose properties are ``drop``'s overlaid
        with its own, with ``also_known_as`` (``drop``'s name, if different) and
        ``merged_from`` (``drop``'s id and name). ``drop``'s own versions are removed. Both must
        be of the same kind. All or nothing; recorded in the audit trail.

        Returns
        -------
        Node
            The new current version of ``keep``.
        """
        if keep == drop:
            raise ValidationError(
                "cannot merge {keep!r} with itself", field="drop", value=drop, keep=keep
            )
        with self.atomic():
            a = self.get_node(workspace, keep)
            b = self.get_node(workspace, drop)
            if a.kind is not b.kind:
                raise ValidationError(
                    "cannot merge a {kind} ({name!r}) into a {into_kind} ({into!r})",
                    field="drop",
                    value=drop,
                    kind=b.kind.value,
                    name=b.name,
                    into_kind=a.kind.value,
                    into=a.name,
                )
            props = {**b.props, **a.props}
            aliases = [*a.props.get("also_known_as", []), *b.props.get("also_known_as", [])]
            if fold(b.name) != fold(a.name):
                aliases.append(b.name)
            aliases = [n for n in dict.fromkeys(aliases) if fold(n) != fold(a.name)]
            if aliases:
                props["also_known_as"] = aliases
            merged_from = [*a.props.get("merged_from", []), *b.props.get("merged_from", [])]
            # Ties and contact moments *between* the two would become loops: they are kept
            # as a note on ``keep`` (and in the audit entry, so the merge can be undone).
            between = [
                t for t in self.ties(workspace, node=drop) if {t.source, t.target} == {keep, drop}
            ]
            contacts_between = [
                c for c in self.contacts(workspace, node=drop) if {c.a, c.b} == {keep, drop}
            ]
            entry: dict[str, Any] = {"id": b.id, "name": b.name}
            if between or contacts_between:
                entry["between"] = [_tie_note(t) for t in between]
                entry["contacts_between"] = len(contacts_between)
                note = _merge_note(b.name, between, len(contacts_between))
                props["notes"] = f"{props['notes']}\n{note}" if props.get("notes") else note
            props["merged_from"] = [*merged_from, entry]
            undo = {
                "drop": _node_snapshot(b),
                "keep_props": a.props,
                "ties": sorted(
                    {
                        (t.id, "source" if t.source == drop else "target")
                        for t in self.ties(workspace, node=drop, history=True)
                        if {t.source, t.target} != {keep, drop}
                    }
                ),
                "contacts": sorted(
                    (c.id, "a" if c.a == drop else "b")
                    for c in self.contacts(workspace, node=drop)
                    if {c.a, c.b} != {keep, drop}
                ),
                "between": [_tie_snapshot(t) for t in between],
                "contacts_between": [_contact_snapshot(c) for c in contacts_between],
            }
            self._repoint_node(workspace, drop, keep)
            node = self.update_node(workspace, keep, props=props, merge_props=False)
            self._audit_write(
                workspace,
                _audit.MERGE,
                "node",
                keep,
                a.name,
                (keep,),
                {"kind": a.kind.value, "merged": drop, "undo": undo},
            )
        return node

    def unmerge_nodes(self, workspace: str, seq: int) -> tuple[Node, Node]:
        """Undo the merge recorded in audit entry ``seq``: the dropped entity comes back
        (its id, its last name, properties and dates), with its own ties and contact moments
        (every version, ids kept), the ties and contact moments between the two (their latest
        version), and the kept entity's properties as they were before (a new version of it).
        Recorded in the audit trail as an undo of the merge.

        Raises
        ------
        NotFoundError
            When ``seq`` is no merge of this workspace.
        ConflictError
            When the merge was undone already, or the dropped id is in use again.

        Returns
        -------
        tuple of Node
            The kept entity and the entity brought back.
        """
        entries = [e for e in self.audit(workspace, action=_audit.MERGE) if e.seq == seq]
        if not entries or "undo" not in entries[0].detail:
            raise NotFoundError("no merge that can be undone with number {seq!r}", seq=seq)
        entry = entries[0]
        if any(
            e.detail.get("undoes_merge") == seq for e in self.audit(workspace, action=_audit.UNDO)
        ):
            raise ConflictError("merge {seq} has been undone already", seq=seq)
        undo = entry.detail["undo"]
        keep, snap = entry.target_id or "", undo["drop"]
        with self.atomic():
            if snap["id"] in self.get_nodes(workspace, [snap["id"]]):
                raise ConflictError(
                    "id {id!r} is in use again; cannot undo the merge", id=snap["id"]
                )
            kept = self.get_node(workspace, keep)
            back = self.add_node(
                workspace,
                snap["kind"],
                snap["name"],
                id=snap["id"],
                props=snap["props"],
                since=snap["since"],
                until=snap["until"],
            )
            self._repoint_ties(
                workspace,
                keep,
                back.id,
                [tuple(t) for t in undo["ties"]],
                [tuple(c) for c in undo["contacts"]],
            )
            if undo["between"]:
                self.add_ties(workspace, [_tie_from(t) for t in undo["between"]])
            if undo["contacts_between"]:
                self.add_contacts(workspace, undo["contacts_between"])
            kept = self.update_node(workspace, keep, props=undo["keep_props"], merge_props=False)
            self._audit_write(
                workspace,
                _audit.UNDO,
                "node",
                keep,
                kept.name,
                (keep, back.id),
                {"undoes_merge": seq, "restored": back.id},
            )
        return kept, back

    def erase_tie(self, workspace: str, tie_id: str) -> dict[str, Any]:
        """Erase one tie for good (owner: invite): every version of it and the audit entries
        that name it, leaving both ends. The trail keeps one anonymous "a tie was erased"
        entry. Compacts the store's files afterwards, as :meth:`erase_node` does.

        Returns
        -------
        dict
            ``kind``, ``tie_versions`` and ``audit`` (counts removed), ``compacted`` (bool).
        """
        with self.atomic():
            tie = self.get_tie(workspace, tie_id)
            counts = self._erase_tie(workspace, tie_id)
            detail = {"kind": tie.kind.value, **counts}
            self._audit_write(workspace, _audit.ERASE, "tie", None, None, (), detail)
        compacted = self._compact()
        return {"kind": tie.kind.value, **counts, "compacted": compacted}

    # ------------------------------------------------------------------ records (owner: invite)
    # Small documents kept beside the graph, per workspace: invitations and the answers that
    # came in through them (see mapper.invitations). ``refs`` names the entity ids a record is
    # about; erasing one of those entities deletes the record too (:meth:`erase_node`).

    def put_record(
        self,
        workspace: str,
        collection: str,
        record_id: str,
        body: Mapping[str, Any],
        *,
        refs: Iterable[str] = (),
    ) -> Record:
        """Create or replace the record ``record_id`` of ``collection``."""
        if collection not in RECORD_COLLECTIONS:
            raise ValidationError(
                "record collection {collection!r} is not one of: {collections}",
                field="collection",
                value=collection,
                collection=collection,
                collections=", ".join(RECORD_COLLECTIONS),
            )
        check_id(record_id)
        now = now_iso()
        with self.atomic():
            self.get_workspace(workspace)
            old = self._get_record(workspace, collection, record_id)
            record = Record(
                collection=collection,
                id=record_id,
                body=check_props(body),
                refs=tuple(dict.fromkeys(check_id(r, field="refs") for r in refs)),
                created_at=old.created_at if old else now,
                updated_at=now,
            )
            self._put_record(workspace, record)
        return record

    def get_record(self, workspace: str, collection: str, record_id: str) -> Record | None:
        """The record, or None if there is none in this workspace."""
        if not isinstance(record_id, str):
            return None
        return self._get_record(workspace, collection, record_id)

    def records(self, workspace: str, collection: str, *, ref: str | None = None) -> list[Record]:
        """The records of a collection (only those naming ``ref``), oldest first."""
        return self._query_records(workspace, collection, ref)

    def delete_record(self, workspace: str, collection: str, record_id: str) -> bool:
        """Delete a record; True if there was one. Call :meth:`compact` afterwards to squeeze
        its bytes out of the store's files."""
        with self.atomic():
            return self._delete_record(workspace, collection, record_id)

    def _put_record(self, workspace: str, record: Record) -> None:
        raise MapperError("the {backend} store cannot keep records", backend=self.backend)

    def _get_record(self, workspace: str, collection: str, record_id: str) -> Record | None:
        return None

    def _query_records(self, workspace: str, collection: str, ref: str | None) -> list[Record]:
        return []

    def _delete_record(self, workspace: str, collection: str, record_id: str) -> bool:
        return False

    def _delete_records_naming(self, workspace: str, ref: str) -> int:
        """Delete every record whose refs name ``ref``; the number deleted."""
        return 0

    def _erase_tie(self, workspace: str, tie_id: str) -> dict[str, int]:
        """Delete every version of a tie and every audit entry whose refs name it. Returns
        counts: ``tie_versions``, ``audit``."""
        raise MapperError("the {backend} store cannot erase ties", backend=self.backend)

    # ------------------------------------------------------------------ projection

    def project(
        self,
        workspace: str,
        *,
        as_of: Any = None,
        kinds: Iterable[str | NodeKind] | None = None,
    ) -> nx.MultiDiGraph:
        """The workspace as a networkx ``MultiDiGraph`` as of a date (default: today).

        Nodes carry ``kind``, ``name``, ``props``, ``since``, ``until``; edges are keyed by
        tie id and carry ``kind``, ``strength``, ``since``, ``until``, ``role``, ``origin``,
        ``version``. Only nodes and tie versions valid on the date are included, and a tie is
        only included when both its ends are. ``kinds`` limits the node kinds. A fresh graph,
        the caller's own; :meth:`projection` gives the shared one.
        """
        from .. import graph as _graph

        day = check_date(as_of, field="as_of") or dt.date.today()
        nodes, ties = self._graph_rows(workspace, as_of=day, kinds=_kinds_arg(kinds))
        return _graph.build_graph(nodes, ties, workspace=workspace, as_of=day)

    def projection(self, workspace: str) -> Any:
        """The workspace's shared in-memory projection (:class:`mapper.graph.Projection`):
        one per workspace and process, shared by every thread and request, kept current by
        this process's writes and built again after another process's. Read-only.

        ``projection(ws).as_of(day)`` equals ``project(ws, as_of=day)`` (for today it is the
        same frozen graph every time; for another day a view over the same memory)."""
        from .. import graph as _graph

        self.get_workspace(workspace)
        return _graph.shared_projection(
            self._projection_key(),
            workspace,
            mark=lambda: self._change_mark(workspace),
            load=lambda: self._graph_rows(workspace),
            catch_up=lambda mark: self._changes_since(workspace, mark),
        )

    def _audit_after(
        self, workspace: str, seq: Any, limit: int
    ) -> list[tuple[str, str, str | None]] | None:
        """``(action, target_type, target_id)`` of the audit entries after ``seq``, oldest
        first, at most ``limit``; None if the adapter cannot tell."""
        entries = self._query_audit(workspace, None, None, limit)
        newer = [e for e in entries if e.seq is not None and e.seq > seq]
        if len(newer) == len(entries) == limit:
            return None  # perhaps more than that
        return [(e.action, e.target_type, e.target_id) for e in reversed(newer)]

    def _changes_since(self, workspace: str, mark: Any) -> list[Any] | None:
        """What changed in the graph since ``mark`` (another process's writes), read from
        the audit trail: each node or tie an entry names is read again. None when that cannot
        be told precisely (an erasure or a merge, or more entries than are worth it): then the
        projection is built again."""
        from .. import graph as _graph

        newer = self._audit_after(workspace, mark, _graph.MAX_APPLY + 1)
        if newer is None or len(newer) > _graph.MAX_APPLY:
            return None
        nodes: set[str] = set()
        ties: set[str] = set()
        for action, target_type, target_id in newer:
            if action in (_audit.MERGE, _audit.ERASE, _audit.DELETE):
                return None
            if target_type == "node" and target_id:
                nodes.add(target_id)
            elif target_type == "tie" and target_id:
                ties.add(target_id)
        found = self._get_nodes(workspace, sorted(nodes))
        if len(found) != len(nodes):
            return None
        changes: list[Any] = [("nodes", [found[n] for n in sorted(found)])]
        for tie_id in sorted(ties):
            changes.append(("tie_versions", tie_id, self._tie_versions(workspace, tie_id)))
        return changes

    def _projection_key(self) -> Any:
        """What identifies this store's data across store objects of the process (for
        sharing a projection); adapters refine it (SQLite: the file's real path)."""
        return (self.backend, repr(self))

    def _change_mark(self, workspace: str) -> Any:
        """A value that changes whenever the workspace changes, by any process: the sequence
        number of its newest audit-trail entry (every write adds one; erasing adds one too)."""
        newest = self._query_audit(workspace, None, None, 1)
        return newest[0].seq if newest else 0

    def _graph_rows(
        self,
        workspace: str,
        *,
        as_of: dt.date | None = None,
        kinds: list[NodeKind] | None = None,
    ) -> tuple[Iterable[Any], Iterable[Any]]:
        """Rows for :mod:`mapper.graph`: current node versions ``(id, kind, name, props,
        since, until)`` and tie versions ``(id, version, kind, source, target, strength,
        since, until, role, origin)``; with ``as_of``, at least those valid that day (else
        every version). Adapters may read them without building value objects."""
        nodes = [
            (n.id, n.kind.value, n.name, n.props, n.since, n.until)
            for n in self._query_nodes(workspace, kinds, as_of)
        ]
        ties = [
            (
                t.id,
                t.version,
                t.kind.value,
                t.source,
                t.target,
                t.strength,
                t.since,
                t.until,
                t.role,
                t.origin,
            )
            for t in self._query_ties(workspace, None, None, as_of, as_of is None)
        ]
        return nodes, ties

    def project_history(
        self,
        workspace: str,
        *,
        kinds: Iterable[str | NodeKind] | None = None,
        tie_kinds: Iterable[str | RelKind] | None = None,
    ) -> nx.MultiDiGraph:
        """The workspace with its whole history, as one networkx ``MultiDiGraph``.

        Every node (its current version, with its validity interval ``since``/``until``) and
        every *version* of every tie between two of those nodes. Edges are keyed
        ``"<tie id>:<version>"`` and carry ``tie`` (the tie id) besides the attributes of
        :meth:`project`. Filtering the edges and nodes by ``since <= day < until`` gives the
        graph as of ``day``; the time-series analyses (``mapper.analysis.community``) read
        this once and evaluate many dates in memory. ``kinds``/``tie_kinds`` limit what is read.
        """
        import networkx as nx

        graph: nx.MultiDiGraph = nx.MultiDiGraph(workspace=workspace, as_of=None, history=True)
        for node in self.nodes(workspace, kind=kinds):
            graph.add_node(node.id, **node_attrs(node))
        for tie in self.ties(workspace, kind=tie_kinds, history=True):
            if tie.source in graph and tie.target in graph:
                graph.add_edge(
                    tie.source,
                    tie.target,
                    key=f"{tie.id}:{tie.version}",
                    tie=tie.id,
                    **tie_attrs(tie),
                )
        return graph

    def counts(self, workspace: str) -> dict[str, int]:
        """Number of current nodes per kind, current ties, and contact moments."""
        out: dict[str, int] = {k.value: 0 for k in NodeKind}
        for node in self.nodes(workspace):
            out[node.kind.value] += 1
        out["ties"] = sum(1 for _ in self.ties(workspace))
        out["contacts"] = sum(1 for _ in self.contacts(workspace))
        return out

    def project_around(
        self,
        workspace: str,
        node_ids: Iterable[str],
        *,
        depth: int = 1,
        as_of: Any = None,
        kinds: Iterable[str | NodeKind] | None = None,
    ) -> nx.MultiDiGraph:
        """The neighbourhood of some nodes as a networkx ``MultiDiGraph``, as of a date.

        Fetches only what it needs (hop by hop), not the whole workspace. The result equals
        the subgraph of ``project(as_of=..., kinds=...)`` induced by every node within
        ``depth`` ties (either direction) of one of the given nodes, as found by
        ``nx.ego_graph(..., radius=depth, undirected=True)``: those nodes and every tie valid
        on the date among them.

        Parameters
        ----------
        node_ids : iterable of str
            The centres (e.g. a theme's id, or a community's members). Ids that are not
            present on the date are ignored.
        depth : int
            How many ties away from a centre to go (0: the centres alone).
        as_of : date or ISO text, optional
            The day to look at (default: today).
        kinds : iterable of node kinds, optional
            Only nodes of these kinds take part (also as steps on the way).
        """
        if isinstance(depth, bool) or not isinstance(depth, int) or depth < 0:
            raise ValidationError(
                "depth {depth!r} is not a whole number >= 0", field="depth", depth=depth
            )
        day = check_date(as_of, field="as_of") or dt.date.today()
        allowed = set(_kinds_arg(kinds) or NodeKind)

        def present(ids: Iterable[str]) -> dict[str, Node]:
            found = self._get_nodes(workspace, sorted(set(ids)))
            return {i: n for i, n in found.items() if n.kind in allowed and n.valid_on(day)}

        keep = present(i for i in node_ids if isinstance(i, str))
        frontier = sorted(keep)
        ties: dict[str, Tie] = {}
        for _ in range(depth):
            if not frontier:
                break
            touching = self._ties_touching(workspace, frontier, day)
            ties.update((t.id, t) for t in touching)
            new = {t.other(i) for t in touching for i in (t.source, t.target) if i in keep}
            added = present(new - keep.keys())
            keep.update(added)
            frontier = sorted(added)
        if frontier:
            ties.update((t.id, t) for t in self._ties_touching(workspace, frontier, day))
        import networkx as nx

        graph: nx.MultiDiGraph = nx.MultiDiGraph(workspace=workspace, as_of=day)
        for node_id in sorted(keep):
            graph.add_node(node_id, **node_attrs(keep[node_id]))
        for tie_id in sorted(ties):
            tie = ties[tie_id]
            if tie.source in keep and tie.target in keep:
                graph.add_edge(tie.source, tie.target, key=tie.id, **tie_attrs(tie))
        return graph

    def _ties_touching(self, workspace: str, node_ids: list[str], day: dt.date) -> list[Tie]:
        """Tie versions valid on ``day`` with one of ``node_ids`` at either end, by id.

        Adapters may override this with a single query; the default asks per node."""
        found: dict[str, Tie] = {}
        for node_id in node_ids:
            for tie in self._query_ties(workspace, node_id, None, day, False):
                found[tie.id] = tie
        return [found[k] for k in sorted(found)]

    # ------------------------------------------------------------------ whole workspaces

    def dump_workspace(self, workspace: str) -> WorkspaceDump:
        """The workspace with its whole history as plain values (see :mod:`mapper.store.dump`):
        every node version, every tie version, every contact moment, its settings, and its
        audit trail (oldest first)."""
        info = self.get_workspace(workspace)
        with self.atomic():  # one consistent read
            nodes = self._all_node_versions(workspace)
            ties = list(self._query_ties(workspace, None, None, None, True))
            contacts = list(self._query_contacts(workspace, None, None, None))
            audit = [
                replace(e, seq=None) for e in self._query_audit(workspace, None, None, None)[::-1]
            ]
        return WorkspaceDump(info, nodes, ties, contacts, audit)

    def load_workspace(self, dump: WorkspaceDump, *, slug: str | None = None) -> Workspace:
        """Create a workspace from a dump, verbatim: ids, versions, ``current`` flags, dates
        and ``recorded_at`` times are kept. ``slug`` gives it another name. A workspace of
        that name must not exist yet (ConflictError). All or nothing."""
        info = replace(dump.info, slug=check_slug(slug)) if slug is not None else dump.info
        check_slug(info.slug)
        with self.atomic():
            self._create_workspace(info)
            self._load_versions(info.slug, dump.nodes, dump.ties, dump.contacts)
            self._insert_audit(info.slug, [replace(e, seq=None) for e in dump.audit])
        return Workspace(self, info.slug)

    def _all_node_versions(self, workspace: str) -> list[Node]:
        """Every version of every node, by id then version (adapters may do it in one query)."""
        out: list[Node] = []
        for node in self._query_nodes(workspace, None, None):
            out.extend(self._node_versions(workspace, node.id))
        return out

    def _load_versions(
        self, workspace: str, nodes: list[Node], ties: list[Tie], contacts: list[Contact]
    ) -> None:
        """Write history verbatim into an empty workspace (adapters may batch this).

        The default uses the primitives: version 1 of every node, then each later version in
        order (which leaves the highest one current), then every tie version with its own
        ``current`` flag, then the contact moments."""
        ordered = sorted(nodes, key=lambda n: (n.version, n.id))
        self._insert_nodes(workspace, [n for n in ordered if n.version == 1])
        for node in ordered:
            if node.version > 1:
                self._insert_node_version(workspace, node)
        self._insert_ties(workspace, sorted(ties, key=lambda t: (t.id, t.version)))
        self._insert_contacts(workspace, list(contacts))

    # ------------------------------------------------------------------ adapter primitives

    @abstractmethod
    def _insert_nodes(self, workspace: str, nodes: list[Node]) -> None:
        """Insert new nodes (version 1); ConflictError if an id exists."""

    @abstractmethod
    def _insert_node_version(self, workspace: str, node: Node) -> None:
        """Record ``node`` as the new current version of an existing node."""

    @abstractmethod
    def _get_nodes(self, workspace: str, node_ids: list[str]) -> dict[str, Node]: ...

    @abstractmethod
    def _node_kinds(self, workspace: str, node_ids: set[str]) -> dict[str, NodeKind]: ...

    @abstractmethod
    def _query_nodes(
        self, workspace: str, kinds: list[NodeKind] | None, as_of: dt.date | None
    ) -> Iterator[Node]: ...

    @abstractmethod
    def _node_versions(self, workspace: str, node_id: str) -> list[Node]: ...

    @abstractmethod
    def _insert_ties(self, workspace: str, ties: list[Tie]) -> None:
        """Insert tie versions (ends already checked); ConflictError on a duplicate
        (id, version). Inserting version > 1 marks it current."""

    @abstractmethod
    def _close_tie_version(self, workspace: str, tie_id: str, version: int, until: dt.date) -> None:
        """Set ``until`` on a version and mark it no longer current."""

    @abstractmethod
    def _set_tie_until(self, workspace: str, tie_id: str, version: int, until: dt.date) -> None:
        """Set ``until`` on a version, leaving it current."""

    @abstractmethod
    def _tie_versions(self, workspace: str, tie_id: str) -> list[Tie]: ...

    @abstractmethod
    def _query_ties(
        self,
        workspace: str,
        node: str | None,
        kinds: list[RelKind] | None,
        as_of: dt.date | None,
        history: bool,
    ) -> Iterator[Tie]: ...

    @abstractmethod
    def _insert_contacts(self, workspace: str, contacts: list[Contact]) -> None: ...

    @abstractmethod
    def _query_contacts(
        self,
        workspace: str,
        node: str | None,
        between: tuple[str, str] | None,
        until: dt.date | None,
    ) -> Iterator[Contact]: ...

    # Audit trail and erasure. Defaults keep an adapter that lacks them working: it keeps no
    # trail, and refuses to erase (silently keeping data would be worse than an error).

    def _insert_audit(self, workspace: str, entries: list[AuditEntry]) -> None:  # noqa: B027
        """Append entries to the trail, in the current transaction. Default: keep none."""

    def _query_audit(
        self,
        workspace: str,
        entity: str | None,
        actions: list[str] | None,
        limit: int | None,
    ) -> list[AuditEntry]:
        """Entries newest first; ``entity`` matches any id in an entry's ``refs``."""
        return []

    def _erase_node(self, workspace: str, node_id: str) -> dict[str, int]:
        """Delete every version of the node, every version of every tie at either end of it,
        its contact moments, and every audit entry whose refs name the node, one of those
        ties or one of those contact moments. Returns counts: ``versions``, ``ties``,
        ``tie_versions``, ``contacts``, ``audit``."""
        raise MapperError("the {backend} store cannot erase entities", backend=self.backend)

    def _compact(self) -> bool:
        """Make deleted data unrecoverable from the store's files; True when done."""
        return False

    def _repoint_ties(
        self,
        workspace: str,
        old: str,
        new: str,
        ties: list[tuple[str, str]],
        contacts: list[tuple[str, str]],
    ) -> None:
        """For :meth:`unmerge_nodes` (owner: io): move the ``ties`` (id, ``"source"`` or
        ``"target"``) and ``contacts`` (id, ``"a"`` or ``"b"``) at ``old`` to ``new``, every
        version, ids unchanged. Runs inside the caller's transaction."""
        raise MapperError("the {backend} store cannot undo a merge", backend=self.backend)

    def _repoint_node(self, workspace: str, old: str, new: str) -> None:
        """For :meth:`merge_nodes` (owner: io): move every version of every tie and every
        contact moment at ``old`` to ``new`` (ids and versions unchanged); delete those that
        would join ``new`` to itself; make audit entries naming ``old`` name ``new``; delete
        every version of ``old``. Runs inside the caller's transaction."""
        raise MapperError("the {backend} store cannot merge entities", backend=self.backend)


#: The Dutch words a merge note uses for the ties two entities of one kind can have.
_NOTE_WORDS = {"KNOWS": "kent", "MEMBER_OF": "lid van"}


def _merge_note(name: str, between: list[Tie], contacts: int) -> str:
    """The note a merge leaves on the kept entity about what joined the two (in Dutch: it is
    read on the entity page)."""
    parts = [
        _NOTE_WORDS.get(t.kind.value, t.kind.value)
        + (f" (sterkte {t.strength:g})" if t.strength is not None else "")
        for t in between
    ]
    if contacts:
        parts.append(f"{contacts} contactmoment(en)")
    return f"Samengevoegd met {name}; wat hen verbond is vervallen: {', '.join(parts)}."


def _tie_note(t: Tie) -> dict[str, Any]:
    return {
        "kind": t.kind.value,
        "strength": t.strength,
        "since": t.since.isoformat() if t.since else None,
        "until": t.until.isoformat() if t.until else None,
    }


def _node_snapshot(n: Node) -> dict[str, Any]:
    return {
        "id": n.id,
        "kind": n.kind.value,
        "name": n.name,
        "props": n.props,
        "since": n.since.isoformat() if n.since else None,
        "until": n.until.isoformat() if n.until else None,
    }


def _tie_snapshot(t: Tie) -> dict[str, Any]:
    return {
        "id": t.id,
        "kind": t.kind.value,
        "source": t.source,
        "target": t.target,
        "strength": t.strength,
        "since": t.since.isoformat() if t.since else None,
        "until": t.until.isoformat() if t.until else None,
        "role": t.role,
        "origin": t.origin,
        "props": t.props,
    }


def _tie_from(snap: dict[str, Any]) -> dict[str, Any]:
    return dict(snap)


def _contact_snapshot(c: Any) -> dict[str, Any]:
    return {
        "id": c.id,
        "a": c.a,
        "b": c.b,
        "on": c.on.isoformat(),
        "mode": c.mode,
        "notes": c.notes,
        "outcome": c.outcome,
    }


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


def _kind_words(kind: Any) -> str:
    kinds = _kinds_arg(kind) or []
    return " or ".join(k.value for k in kinds) or "entity"


def _scrub(value: Any, node_id: str) -> tuple[Any, bool, bool]:
    """``value`` without ``node_id``: (clean value, whether it changed, whether the whole
    setting must go because the id sits inside a longer text).

    >>> _scrub({"positions": {"per-1": [0, 0], "per-2": [1, 1]}, "focus": "per-1"}, "per-1")
    ({'positions': {'per-2': [1, 1]}, 'focus': None}, True, False)
    >>> _scrub({"map": "warm:per-1"}, "per-1")[2]
    True
    """
    if isinstance(value, str):
        if value == node_id:
            return None, True, False
        return value, False, node_id in value
    if isinstance(value, dict):
        out: dict[str, Any] = {}
        touched = drop = False
        for key, item in value.items():
            if key == node_id:
                touched = True
                continue
            clean, changed, inner_drop = _scrub(item, node_id)
            out[key] = clean
            touched, drop = touched or changed, drop or inner_drop
        return out, touched, drop
    if isinstance(value, list):
        items: list[Any] = []
        touched = drop = False
        for item in value:
            if item == node_id:
                touched = True
                continue
            clean, changed, inner_drop = _scrub(item, node_id)
            items.append(clean)
            touched, drop = touched or changed, drop or inner_drop
        return items, touched, drop
    return value, False, False
