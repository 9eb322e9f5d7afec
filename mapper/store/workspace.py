"""A store bound to one workspace: ``ws.add_node(...)`` is ``store.add_node(ws.slug, ...)``.

Every per-workspace method of :class:`~mapper.store.base.Store` has its typed twin here, so
code that holds a :class:`Workspace` is checked by mypy like code that holds the store.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Any

from ..ids import UNSET

if TYPE_CHECKING:
    import datetime as dt

    import networkx as nx

    from ..audit import AuditEntry
    from ..model import Contact, Node, NodeKind, RelKind, Tie, WorkspaceInfo
    from .base import Record, Store
    from .dump import WorkspaceDump

__all__ = ["Workspace"]


class Workspace:
    """A store bound to one workspace (see the module docstring).

    An adapter's own per-workspace methods (listed in its ``WORKSPACE_METHODS``) are reached
    the same way, untyped.
    """

    def __init__(self, store: Store, slug: str):
        self.store = store
        self.slug = slug

    @property
    def info(self) -> WorkspaceInfo:
        return self.store.get_workspace(self.slug)

    def atomic(self) -> AbstractContextManager[None]:
        return self.store.atomic()

    def __getattr__(self, name: str) -> Any:
        if name in getattr(self.store, "WORKSPACE_METHODS", ()):
            method = getattr(self.store, name)

            def bound(*args: Any, **kwargs: Any) -> Any:
                return method(self.slug, *args, **kwargs)

            bound.__name__ = name
            bound.__doc__ = method.__doc__
            return bound
        raise AttributeError(name)

    def __repr__(self) -> str:
        return f"<Workspace {self.slug!r} in {self.store!r}>"

    def add_node(self, kind: str | NodeKind, name: str, **fields: Any) -> Node:
        return self.store.add_node(self.slug, kind, name, **fields)

    def add_nodes(self, specs: Iterable[Mapping[str, Any] | Node]) -> list[Node]:
        return self.store.add_nodes(self.slug, specs)

    def get_node(self, node_id: str) -> Node:
        return self.store.get_node(self.slug, node_id)

    def get_nodes(self, node_ids: Iterable[str]) -> dict[str, Node]:
        return self.store.get_nodes(self.slug, node_ids)

    def update_node(
        self,
        node_id: str,
        *,
        name: str = UNSET,
        props: Mapping[str, Any] = UNSET,
        since: Any = UNSET,
        until: Any = UNSET,
        origin: str | None = UNSET,
        merge_props: bool = True,
    ) -> Node:
        return self.store.update_node(
            self.slug,
            node_id,
            name=name,
            props=props,
            since=since,
            until=until,
            origin=origin,
            merge_props=merge_props,
        )

    def nodes(
        self, *, kind: str | NodeKind | Iterable[str | NodeKind] | None = None, as_of: Any = None
    ) -> Iterator[Node]:
        return self.store.nodes(self.slug, kind=kind, as_of=as_of)

    def node_history(self, node_id: str) -> list[Node]:
        return self.store.node_history(self.slug, node_id)

    def find_nodes(
        self,
        text: str,
        *,
        kind: str | NodeKind | Iterable[str | NodeKind] | None = None,
        limit: int = 20,
        offset: int = 0,
    ) -> list[Node]:
        return self.store.find_nodes(self.slug, text, kind=kind, limit=limit, offset=offset)

    def lookup(self, name: str, *, kind: str | NodeKind | Iterable[str | NodeKind]) -> Node:
        return self.store.lookup(self.slug, name, kind=kind)

    def add_tie(self, kind: str | RelKind, source: str, target: str, **fields: Any) -> Tie:
        return self.store.add_tie(self.slug, kind, source, target, **fields)

    def add_ties(self, specs: Iterable[Mapping[str, Any] | Tie]) -> list[Tie]:
        return self.store.add_ties(self.slug, specs)

    def get_tie(self, tie_id: str) -> Tie:
        return self.store.get_tie(self.slug, tie_id)

    def tie_history(self, tie_id: str) -> list[Tie]:
        return self.store.tie_history(self.slug, tie_id)

    def change_tie(
        self,
        tie_id: str,
        *,
        on: Any,
        strength: Any = UNSET,
        role: str | None = UNSET,
        origin: str | None = UNSET,
        props: Mapping[str, Any] = UNSET,
    ) -> Tie:
        return self.store.change_tie(
            self.slug, tie_id, on=on, strength=strength, role=role, origin=origin, props=props
        )

    def end_tie(self, tie_id: str, *, on: Any) -> Tie:
        return self.store.end_tie(self.slug, tie_id, on=on)

    def reopen_tie(self, tie_id: str) -> Tie:
        return self.store.reopen_tie(self.slug, tie_id)

    def ties(
        self,
        *,
        node: str | None = None,
        kind: str | RelKind | Iterable[str | RelKind] | None = None,
        as_of: Any = None,
        history: bool = False,
    ) -> Iterator[Tie]:
        return self.store.ties(self.slug, node=node, kind=kind, as_of=as_of, history=history)

    def add_contact(
        self,
        a: str,
        b: str,
        *,
        on: Any,
        mode: str | None = None,
        notes: str | None = None,
        outcome: str | None = None,
        id: str | None = None,
    ) -> Contact:
        return self.store.add_contact(
            self.slug, a, b, on=on, mode=mode, notes=notes, outcome=outcome, id=id
        )

    def add_contacts(self, specs: Iterable[Mapping[str, Any]]) -> list[Contact]:
        return self.store.add_contacts(self.slug, specs)

    def contacts(
        self, *, node: str | None = None, between: tuple[str, str] | None = None, until: Any = None
    ) -> Iterator[Contact]:
        return self.store.contacts(self.slug, node=node, between=between, until=until)

    def audit(
        self,
        *,
        entity: str | None = None,
        action: str | Iterable[str] | None = None,
        limit: int | None = None,
    ) -> list[AuditEntry]:
        return self.store.audit(self.slug, entity=entity, action=action, limit=limit)

    def record_audit(
        self,
        action: str,
        *,
        target_type: str,
        target_id: str | None = None,
        label: str | None = None,
        refs: Iterable[str] = (),
        detail: Mapping[str, Any] | None = None,
    ) -> AuditEntry:
        return self.store.record_audit(
            self.slug,
            action,
            target_type=target_type,
            target_id=target_id,
            label=label,
            refs=refs,
            detail=detail,
        )

    def last_contact(self, node_id: str) -> dt.date | None:
        return self.store.last_contact(self.slug, node_id)

    def erase_node(self, node_id: str) -> dict[str, Any]:
        return self.store.erase_node(self.slug, node_id)

    def merge_nodes(self, keep: str, drop: str) -> Node:
        return self.store.merge_nodes(self.slug, keep, drop)

    def unmerge_nodes(self, seq: int) -> tuple[Node, Node]:
        return self.store.unmerge_nodes(self.slug, seq)

    def erase_tie(self, tie_id: str) -> dict[str, Any]:
        return self.store.erase_tie(self.slug, tie_id)

    def put_record(
        self, collection: str, record_id: str, body: Mapping[str, Any], *, refs: Iterable[str] = ()
    ) -> Record:
        return self.store.put_record(self.slug, collection, record_id, body, refs=refs)

    def get_record(self, collection: str, record_id: str) -> Record | None:
        return self.store.get_record(self.slug, collection, record_id)

    def records(self, collection: str, *, ref: str | None = None) -> list[Record]:
        return self.store.records(self.slug, collection, ref=ref)

    def delete_record(self, collection: str, record_id: str) -> bool:
        return self.store.delete_record(self.slug, collection, record_id)

    def project(
        self, *, as_of: Any = None, kinds: Iterable[str | NodeKind] | None = None
    ) -> nx.MultiDiGraph:
        return self.store.project(self.slug, as_of=as_of, kinds=kinds)

    def projection(self) -> Any:
        return self.store.projection(self.slug)

    def project_history(
        self,
        *,
        kinds: Iterable[str | NodeKind] | None = None,
        tie_kinds: Iterable[str | RelKind] | None = None,
    ) -> nx.MultiDiGraph:
        return self.store.project_history(self.slug, kinds=kinds, tie_kinds=tie_kinds)

    def counts(self) -> dict[str, int]:
        return self.store.counts(self.slug)

    def project_around(
        self,
        node_ids: Iterable[str],
        *,
        depth: int = 1,
        as_of: Any = None,
        kinds: Iterable[str | NodeKind] | None = None,
    ) -> nx.MultiDiGraph:
        return self.store.project_around(self.slug, node_ids, depth=depth, as_of=as_of, kinds=kinds)

    def dump_workspace(self) -> WorkspaceDump:
        return self.store.dump_workspace(self.slug)
