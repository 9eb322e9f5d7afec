"""Step: write a plan, all or nothing, in one transaction."""

from __future__ import annotations

from operator import attrgetter

from ...store.base import new_id, new_ids, now_iso
from .base import (
    CHUNK,
    Entity,
    ImportErrors,
    PlanBase,
    Progress,
    _chunks,
    _no_gc,
    _ref_id,
)


class ApplyStep(PlanBase):
    """Writing what the plan decided."""

    def apply(self, *, progress: Progress | None = None) -> dict[str, int]:
        """Write the plan, all or nothing, and return the counts of what was done.

        Raises
        ------
        ImportErrors
            When the plan has bad rows (nothing is written).
        """
        if self.errors:
            raise ImportErrors(self.errors)
        store, ws = self.store, self.workspace
        creates = [e for e in self.entities if e.action == "create"]
        updates = [e for e in self.entities if e.action == "update"]
        new_ties = [t for t in self.ties if t.action == "create"]
        unnamed = [t for t in new_ties if not t.id]
        for t, tie_id in zip(unnamed, new_ids("tie", len(unnamed))):
            t.id = tie_id  # ids given now, and written in order: appends to the index
        new_ties.sort(key=attrgetter("id"))  # every new tie has its id now
        changes = [t for t in self.ties if t.action == "change"]
        new_contacts = [c for c in self.contacts if c.action == "create"]
        total = len(creates) + len(updates) + len(new_ties) + len(changes) + len(new_contacts)
        done = 0

        def report(n: int, what: str) -> None:
            nonlocal done
            done += n
            if progress is not None:
                progress(done, total, what)

        report(0, "start")
        # Many ties at once: the store may rebuild its tie indexes once at the end.
        with _no_gc(), store.bulk_write(ties=len(new_ties)):
            for chunk in _chunks(creates, CHUNK):
                store.add_nodes(
                    ws,
                    [
                        dict(
                            kind=e.kind,
                            name=e.name,
                            id=e.node_id,
                            props=e.props,
                            since=e.since,
                            until=e.until,
                            origin=self.origin,
                        )
                        for e in chunk
                    ],
                )
                report(len(chunk), "entities")
            for e in updates:
                fields = dict(e.changes)
                store.update_node(ws, e.node_id, **fields)
            report(len(updates), "updates")
            for chunk in _chunks(new_ties, CHUNK):
                # Every value was checked while planning (strength, dates, role, kinds, ids,
                # properties); the store still checks that both ends exist and fit the kind.
                stamp = now_iso()
                # _ref_id written out: a call per end costs more than the test
                store.add_tie_rows(
                    ws,
                    [
                        (  # the fields of a Tie, in order
                            t.id or new_id("tie"),
                            t.kind,
                            s.node_id if (s := t.source).__class__ is Entity else s.id,
                            d.node_id if (d := t.target).__class__ is Entity else d.id,
                            t.strength,
                            t.since,
                            t.until,
                            t.role,
                            t.origin,
                            dict(t.props) if t.props else {},
                            1,
                            True,
                            stamp,
                        )
                        for t in chunk
                    ],
                )
                report(len(chunk), "ties")
            for t in changes:
                assert t.existing is not None and t.changes is not None
                fields = {k: v for k, v in t.changes.items() if k not in ("on", "until")}
                tie = t.existing
                if "on" in t.changes:
                    tie = store.change_tie(ws, tie.id, on=t.changes["on"], **fields)
                if "until" in t.changes:
                    store.end_tie(ws, tie.id, on=t.changes["until"])
            report(len(changes), "changes")
            for chunk in _chunks(new_contacts, CHUNK):
                store.add_contacts(
                    ws,
                    [
                        dict(
                            a=_ref_id(c.a),
                            b=_ref_id(c.b),
                            on=c.on,
                            mode=c.mode,
                            notes=c.notes,
                            outcome=c.outcome,
                            id=c.id,
                        )
                        for c in chunk
                    ],
                )
                report(len(chunk), "contacts")
        return {
            "entities_created": len(creates),
            "entities_updated": len(updates),
            "ties_created": len(new_ties),
            "ties_changed": len(changes),
            "contacts_created": len(new_contacts),
        }
