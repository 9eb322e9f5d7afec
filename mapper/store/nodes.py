"""Nodes of :class:`~mapper.store.base.Store`: build, add, read, change, list, find by name."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import replace
from typing import Any

from .. import audit as _audit
from ..errors import NotFoundError
from ..ids import UNSET
from ..model import (
    ID_PREFIX,
    Node,
    NodeKind,
    check_date,
    check_interval,
    check_name,
    check_props,
    check_text,
    node_kind,
)
from ..policy import check_privacy_props
from .core import StoreCore
from .values import _kind_words, _kinds_arg, check_id, fold, new_id, now_iso

#: A failed :meth:`NodesAPI.lookup` suggests names from at most this many pairs of the
#: name's words and starts of its words, reading at most this many nodes for each.
SUGGEST_WORDS, SUGGEST_READ = 3, 50


class NodesAPI(StoreCore):
    """The node methods of a :class:`~mapper.store.base.Store`."""

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
        offset: int = 0,
    ) -> list[Node]:
        """Nodes whose name matches ``text`` (case- and accent-insensitive), best first:
        exact matches, then prefix matches, then substring matches; ties by name and id.
        ``limit`` answers from the ``offset``-th on (for paging).

        This reference reads every node; an adapter may answer it with a query (SQLite does)
        but must give the same answers."""
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
        return [t[3] for t in scored[offset : offset + limit]]

    def lookup(
        self, workspace: str, name: str, *, kind: str | NodeKind | Iterable[str | NodeKind]
    ) -> Node:
        """The one node of ``kind`` called ``name`` (compared folded: case, accents and spacing
        do not count); NotFoundError when there are several, or none (listing close matches).

        Reads only what the indexed name search (:meth:`find_nodes`) gives, never the whole
        workspace: the exact matches come first in its answer, so six of them tell one from
        many. When there is none, the suggestions are the names that hold ``name``, and the
        close spellings among the names that hold two of its words side by side or the start
        of one of them (at most :data:`SUGGEST_READ` nodes for each, for
        :data:`SUGGEST_WORDS` pairs and words): a bounded read, so a typo in a name shared by
        many may find fewer suggestions than a scan of every name would."""
        kinds = _kinds_arg(kind)
        wanted = fold(name)
        found = self.find_nodes(workspace, name, kind=kinds, limit=6) if wanted else []
        exact = [n for n in found if fold(n.name) == wanted]
        if len(exact) == 1:
            return exact[0]
        if len(exact) > 1:
            ids = ", ".join(f"{n.name} ({n.id})" for n in exact[:5])
            raise NotFoundError("{name!r} is ambiguous: {ids}", name=name, ids=ids)
        raise NotFoundError(
            "no {kinds} called {name!r}",
            suggestions=self._close_names(workspace, wanted, kinds, found),
            kinds=_kind_words(kinds),
            name=name,
        )

    def _close_names(
        self, workspace: str, wanted: str, kinds: list[NodeKind] | None, partial: list[Node]
    ) -> list[str]:
        """At most five names to suggest for ``wanted`` (folded), which no name matches:
        close spellings (difflib) first, then the names that hold it (``partial``)."""
        import difflib

        words = wanted.split()
        pairs = [" ".join(words[i : i + 2]) for i in range(len(words) - 1)]
        starts = sorted({w[:3] for w in words}, key=lambda w: (-len(w), w))
        names = {fold(n.name): n.name for n in partial}
        for piece in [*pairs[:SUGGEST_WORDS], *starts[:SUGGEST_WORDS]]:
            for node in self.find_nodes(workspace, piece, kind=kinds, limit=SUGGEST_READ):
                names.setdefault(fold(node.name), node.name)
        close = difflib.get_close_matches(wanted, sorted(names), n=5, cutoff=0.5)
        holding = [n.name for n in partial]
        return list(dict.fromkeys([names[c] for c in close] + holding))[:5]
