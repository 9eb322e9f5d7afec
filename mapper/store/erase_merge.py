"""Erasure and merging of :class:`~mapper.store.base.Store`: erase a node or a tie for good
(an AVG request), compact the files, merge two duplicates and undo a merge."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from .. import audit as _audit
from ..errors import ConflictError, NotFoundError, ValidationError
from ..model import Node, Tie
from .nodes import NodesAPI
from .ties import TiesAPI
from .values import fold


class EraseMergeAPI(NodesAPI, TiesAPI):
    """The erase and merge methods of a :class:`~mapper.store.base.Store`."""

    def erase_node(self, workspace: str, node_id: str) -> dict[str, Any]:
        """Erase a node for good (an AVG erasure request): every version of it, every version
        of its ties, its contact moments, and the audit entries that name it.

        The audit trail keeps one anonymous entry ("a Person was erased", with counts, no
        name and no id). Afterwards the store compacts its files so the erased data is gone
        from the disk too, not only hidden (SQLite: WAL checkpoint and incremental vacuum). Run outside
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
        """Squeeze deleted data out of the store's files (SQLite: WAL checkpoint and incremental vacuum).
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
        """Erase one tie for good: every version of it and the audit entries
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
