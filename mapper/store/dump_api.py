"""Whole workspaces of :class:`~mapper.store.base.Store`: dump one with its history as
plain values (:class:`~mapper.store.dump.WorkspaceDump`) and load one verbatim."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, cast

from ..model import Contact, Node, Tie
from .core import StoreCore
from .dump import WorkspaceDump
from .values import check_slug
from .workspace import Workspace

if TYPE_CHECKING:  # the whole interface, for methods that need more than this part
    from .base import Store


class DumpAPI(StoreCore):
    """The dump and load methods of a :class:`~mapper.store.base.Store`."""

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
        return Workspace(cast("Store", self), info.slug)

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
