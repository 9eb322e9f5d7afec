"""The core of :class:`~mapper.store.base.Store`: lifecycle, workspaces, the audit trail,
records beside the graph, and the adapter primitives (the ``_``-prefixed methods an adapter
implements; see :mod:`mapper.store.base` for the whole interface)."""

from __future__ import annotations

import datetime as dt
from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import replace
from typing import TYPE_CHECKING, Any, Self, cast

from .. import audit as _audit
from ..audit import AuditEntry
from ..errors import ConflictError, MapperError, NotFoundError, ValidationError
from ..model import Contact, Node, NodeKind, RelKind, Tie, WorkspaceInfo, check_name, check_props
from ..policy import PERSONAL_KINDS, check_privacy_props, organisations_only
from .values import RECORD_COLLECTIONS, Record, check_id, check_slug, now_iso
from .workspace import Workspace

if TYPE_CHECKING:  # the whole interface, for methods that need more than this part
    from .base import Store


class StoreCore(ABC):
    """Lifecycle, workspaces, audit trail, records and the adapter primitives of a
    :class:`~mapper.store.base.Store` (one of the parts it is made of)."""

    #: Short name of the adapter ("sqlite", "neo4j").
    backend: str = "abstract"

    # ------------------------------------------------------------------ lifecycle

    def close(self) -> None:  # noqa: B027 - optional hook
        """Release connections. The store is unusable afterwards."""

    def __enter__(self) -> Self:
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
        default is plain :meth:`atomic`. Reads inside the block stay correct."""
        return self.atomic()

    # ------------------------------------------------------------------ workspaces

    def create_workspace(
        self,
        slug: str,
        name: str | None = None,
        *,
        settings: Mapping[str, Any] | None = None,
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
        return Workspace(cast("Store", self), slug)

    def workspace(self, slug: str) -> Workspace:
        """The handle of an existing workspace; NotFoundError if there is none."""
        self.get_workspace(slug)
        return Workspace(cast("Store", self), slug)

    def get_workspace(self, slug: str) -> WorkspaceInfo:
        info = self._get_workspace(slug) if isinstance(slug, str) else None
        if info is None:
            raise NotFoundError("workspace {slug!r} not found", slug=slug)
        return info

    def update_workspace(
        self,
        slug: str,
        *,
        name: str | None = None,
        settings: Mapping[str, Any] | None = None,
    ) -> WorkspaceInfo:
        info = self.get_workspace(slug)
        new = replace(
            info,
            name=check_name(name) if name is not None else info.name,
            settings={**info.settings, **check_props(settings)},
        )
        with self.atomic():
            if organisations_only(new.settings) and not organisations_only(info.settings):
                people = sum(1 for _ in cast("Store", self).nodes(slug, kind=list(PERSONAL_KINDS)))
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

    # ------------------------------------------------------------------ audit trail, privacy

    #: Who the store is acting for; recorded in the audit trail (see :meth:`acting_as`).
    actor: str | None = None

    @contextmanager
    def acting_as(self, actor: str | None) -> Iterator[Self]:
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

    # ------------------------------------------------------------------ records
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

    def _insert_tie_rows(
        self, workspace: str, rows: Sequence[tuple[Any, ...]], at: str, actor: str
    ) -> None:
        """Insert new ties given as the values of :class:`Tie`'s fields in order
        (``Tie(*row)``; ends already checked) with their ``create`` entries, as
        :meth:`_insert_ties` and :meth:`_insert_tie_audit` would write them, in the current
        transaction. An adapter may write the rows without building a :class:`Tie` per row
        (SQLite does, for bulk imports; it journals them as the ties they are). Default: the
        ties, through those two primitives."""
        ties = [Tie(*row) for row in rows]
        self._insert_ties(workspace, ties)
        self._insert_tie_audit(workspace, ties, at, actor)

    def _insert_tie_audit(self, workspace: str, ties: list[Tie], at: str, actor: str) -> None:
        """Append the ``create`` entry of each new tie (as :meth:`add_ties` writes them:
        target the tie, label its kind, refs the tie and its two ends, detail its version),
        in the current transaction. An adapter may write the rows without building an
        :class:`AuditEntry` per tie (SQLite does, for bulk imports); the entries
        must be the same. Default: build them and call :meth:`_insert_audit`."""
        create = _audit.CREATE
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
        """For :meth:`unmerge_nodes`: move the ``ties`` (id, ``"source"`` or
        ``"target"``) and ``contacts`` (id, ``"a"`` or ``"b"``) at ``old`` to ``new``, every
        version, ids unchanged. Runs inside the caller's transaction."""
        raise MapperError("the {backend} store cannot undo a merge", backend=self.backend)

    def _repoint_node(self, workspace: str, old: str, new: str) -> None:
        """For :meth:`merge_nodes`: move every version of every tie and every
        contact moment at ``old`` to ``new`` (ids and versions unchanged); delete those that
        would join ``new`` to itself; make audit entries naming ``old`` name ``new``; delete
        every version of ``old``. Runs inside the caller's transaction."""
        raise MapperError("the {backend} store cannot merge entities", backend=self.backend)
