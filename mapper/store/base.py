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
import unicodedata
from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator, Mapping
from contextlib import AbstractContextManager
from dataclasses import replace
from typing import Any

import networkx as nx

from ..errors import NotFoundError, ValidationError
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
    check_tie_kinds,
    node_kind,
    rel_kind,
)


class _Unset:
    """Sentinel for "not given" where ``None`` is a meaningful value."""

    _instance: _Unset | None = None

    def __new__(cls) -> _Unset:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "UNSET"

    def __bool__(self) -> bool:
        return False


UNSET: Any = _Unset()

SLUG_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")
ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:-]{0,79}$")


def now_iso() -> str:
    """The current UTC time as ISO text (seconds), used for ``recorded_at``."""
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


def new_id(prefix: str) -> str:
    """A fresh random id such as ``per-3f9a0c1b2d4e``: unguessable, readable in a URL."""
    return f"{prefix}-{secrets.token_hex(6)}"


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
            f"workspace name {slug!r} must be lower-case letters, digits and hyphens",
            field="workspace",
            value=slug,
        )
    return slug


def check_id(value: Any, *, field: str = "id") -> str:
    if not isinstance(value, str) or not ID_RE.match(value):
        raise ValidationError(f"{field} {value!r} is not a valid id", field=field, value=value)
    return value


class Store(ABC):
    """The storage interface: a set of workspaces, each a graph with history.

    Adapters implement the abstract ``_`` primitives and :meth:`atomic`; the public methods
    here validate input, assign ids and versions, and keep history.
    """

    #: Short name of the adapter ("sqlite", "neo4j").
    backend: str = "abstract"

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
        self._create_workspace(info)
        return Workspace(self, slug)

    def workspace(self, slug: str) -> Workspace:
        """The handle of an existing workspace; NotFoundError if there is none."""
        self.get_workspace(slug)
        return Workspace(self, slug)

    def get_workspace(self, slug: str) -> WorkspaceInfo:
        info = self._get_workspace(slug) if isinstance(slug, str) else None
        if info is None:
            raise NotFoundError(f"workspace {slug!r} not found")
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
        self._update_workspace(new)
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
            origin=origin or None,
            version=1,
            recorded_at=now_iso(),
        )

    def add_node(self, workspace: str, kind: str | NodeKind, name: str, **fields: Any) -> Node:
        """Add one node; ``fields`` are those of :meth:`make_node`."""
        return self.add_nodes(workspace, [dict(kind=kind, name=name, **fields)])[0]

    def add_nodes(
        self, workspace: str, specs: Iterable[Mapping[str, Any] | Node]
    ) -> list[Node]:
        """Add many nodes in one transaction. Each spec is a Node or a mapping of
        :meth:`make_node` arguments. A duplicate id raises ConflictError and writes nothing."""
        self.get_workspace(workspace)
        nodes = [s if isinstance(s, Node) else self.make_node(**s) for s in specs]
        with self.atomic():
            self._insert_nodes(workspace, nodes)
        return nodes

    def get_node(self, workspace: str, node_id: str) -> Node:
        """The current version of a node; NotFoundError if it is not in this workspace."""
        found = self._get_nodes(workspace, [node_id]) if isinstance(node_id, str) else {}
        if node_id not in found:
            raise NotFoundError(f"no entity with id {node_id!r} in this workspace")
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
                origin=current.origin if origin is UNSET else (origin or None),
                version=current.version + 1,
                recorded_at=now_iso(),
            )
            self._insert_node_version(workspace, node)
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
            raise NotFoundError(f"no entity with id {node_id!r} in this workspace")
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
            raise NotFoundError(f"{name!r} is ambiguous: {ids}")
        names = {fold(n.name): n.name for n in candidates}
        close = difflib.get_close_matches(fold(name), list(names), n=5, cutoff=0.5)
        partial = [n.name for n in candidates if fold(name) in fold(n.name)][:5]
        suggestions = list(dict.fromkeys([names[c] for c in close] + partial))[:5]
        raise NotFoundError(f"no {_kind_words(kind)} called {name!r}", suggestions=suggestions)

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
            origin=origin or None,
            props=check_props(props),
            version=1,
            current=True,
            recorded_at=now_iso(),
        )

    def add_tie(
        self, workspace: str, kind: str | RelKind, source: str, target: str, **fields: Any
    ) -> Tie:
        """Add one tie; ``fields`` are those of :meth:`make_tie`."""
        return self.add_ties(workspace, [dict(kind=kind, source=source, target=target, **fields)])[0]

    def add_ties(self, workspace: str, specs: Iterable[Mapping[str, Any] | Tie]) -> list[Tie]:
        """Add many ties in one transaction, checking that both ends exist in this workspace
        and that the tie kind fits their kinds. Any error writes nothing."""
        self.get_workspace(workspace)
        ties = [s if isinstance(s, Tie) else self.make_tie(**s) for s in specs]
        with self.atomic():
            kinds = self._node_kinds(workspace, {t.source for t in ties} | {t.target for t in ties})
            for tie in ties:
                for end in (tie.source, tie.target):
                    if end not in kinds:
                        raise NotFoundError(f"no entity with id {end!r} in this workspace")
                check_tie_kinds(tie.kind, kinds[tie.source], kinds[tie.target])
            self._insert_ties(workspace, ties)
        return ties

    def get_tie(self, workspace: str, tie_id: str) -> Tie:
        """The current (latest) version of a tie."""
        versions = self._tie_versions(workspace, tie_id) if isinstance(tie_id, str) else []
        if not versions:
            raise NotFoundError(f"no tie with id {tie_id!r} in this workspace")
        return versions[-1]

    def tie_history(self, workspace: str, tie_id: str) -> list[Tie]:
        """Every version of a tie, oldest first."""
        versions = self._tie_versions(workspace, tie_id)
        if not versions:
            raise NotFoundError(f"no tie with id {tie_id!r} in this workspace")
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
                    f"change date {day.isoformat()} lies before the tie began "
                    f"({current.since.isoformat()})",
                    field="on",
                    value=day.isoformat(),
                )
            if current.until is not None and day >= current.until:
                raise ValidationError(
                    f"the tie ended on {current.until.isoformat()}; add a new tie instead",
                    field="on",
                    value=day.isoformat(),
                )
            new = replace(
                current,
                strength=current.strength if strength is UNSET else check_strength(strength),
                role=current.role if role is UNSET else check_role(current.kind, role),
                origin=current.origin if origin is UNSET else (origin or None),
                props=current.props if props is UNSET else check_props(props),
                since=day,
                version=current.version + 1,
                current=True,
                recorded_at=now_iso(),
            )
            self._close_tie_version(workspace, tie_id, current.version, day)
            self._insert_ties(workspace, [new])
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
        return replace(current, until=day)

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
                    mode=spec.get("mode") or None,
                    notes=notes or None,
                    outcome=spec.get("outcome") or None,
                    recorded_at=now_iso(),
                )
            )
        with self.atomic():
            known = self._node_kinds(workspace, {c.a for c in contacts} | {c.b for c in contacts})
            for c in contacts:
                for end in (c.a, c.b):
                    if end not in known:
                        raise NotFoundError(f"no entity with id {end!r} in this workspace")
                if c.a == c.b:
                    raise ValidationError("a contact moment needs two different parties")
            self._insert_contacts(workspace, contacts)
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
        only included when both its ends are. ``kinds`` limits the node kinds.
        """
        day = check_date(as_of, field="as_of") or dt.date.today()
        graph = nx.MultiDiGraph(workspace=workspace, as_of=day)
        for node in self.nodes(workspace, kind=kinds, as_of=day):
            graph.add_node(node.id, **node_attrs(node))
        for tie in self.ties(workspace, as_of=day):
            if tie.source in graph and tie.target in graph:
                graph.add_edge(tie.source, tie.target, key=tie.id, **tie_attrs(tie))
        return graph

    def counts(self, workspace: str) -> dict[str, int]:
        """Number of current nodes per kind, current ties, and contact moments."""
        out: dict[str, int] = {k.value: 0 for k in NodeKind}
        for node in self.nodes(workspace):
            out[node.kind.value] += 1
        out["ties"] = sum(1 for _ in self.ties(workspace))
        out["contacts"] = sum(1 for _ in self.contacts(workspace))
        return out

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
    def _close_tie_version(
        self, workspace: str, tie_id: str, version: int, until: dt.date
    ) -> None:
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


class Workspace:
    """A store bound to one workspace: ``ws.add_node(...)`` is
    ``store.add_node(ws.slug, ...)``. Every per-workspace method of :class:`Store` is
    available this way."""

    _METHODS = frozenset(
        {
            "add_node", "add_nodes", "get_node", "get_nodes", "update_node", "nodes",
            "node_history", "find_nodes", "lookup", "add_tie", "add_ties", "get_tie",
            "tie_history", "change_tie", "end_tie", "ties", "add_contact", "add_contacts",
            "contacts", "project", "counts",
        }
    )  # fmt: skip

    def __init__(self, store: Store, slug: str):
        self.store = store
        self.slug = slug

    @property
    def info(self) -> WorkspaceInfo:
        return self.store.get_workspace(self.slug)

    def atomic(self) -> AbstractContextManager[None]:
        return self.store.atomic()

    def __getattr__(self, name: str) -> Any:
        if name in self._METHODS or name in getattr(self.store, "WORKSPACE_METHODS", ()):
            method = getattr(self.store, name)

            def bound(*args: Any, **kwargs: Any) -> Any:
                return method(self.slug, *args, **kwargs)

            bound.__name__ = name
            bound.__doc__ = method.__doc__
            return bound
        raise AttributeError(name)

    def __repr__(self) -> str:
        return f"<Workspace {self.slug!r} in {self.store!r}>"
