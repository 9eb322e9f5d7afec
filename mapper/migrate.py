"""Copy workspaces between stores (SQLite ↔ Neo4j, or any two), history included, verified.

A copy reads the workspace with :meth:`~mapper.store.base.Store.dump_workspace` (every node
version, tie version, contact moment, the settings and the audit trail), writes it with
:meth:`~mapper.store.base.Store.load_workspace` in one transaction, reads it back from the
target, and compares the counts and a checksum of the content
(:func:`mapper.store.dump.checksum`, computed the same way on both sides). A copy that does
not verify is removed again and reported as an error: a migration never leaves a half copy.

Examples
--------
>>> from mapper.store import SQLiteStore
>>> old, new = SQLiteStore(":memory:"), SQLiteStore(":memory:")
>>> ws = old.create_workspace("rijnstad")
>>> _ = ws.add_node("Theme", "lezen")
>>> report = copy_workspace(old, new, "rijnstad")
>>> report.counts["nodes"], report.verified
(1, True)
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass

from .errors import ConflictError, MapperError, NotFoundError
from .store import Store, open_store
from .store.dump import checksum


class MigrationError(MapperError):
    """A copy did not verify (its counts or checksum differ from the source)."""


@dataclass(frozen=True)
class CopyReport:
    """What one workspace copy did."""

    source: str
    target: str
    counts: dict[str, int]
    checksum: str
    seconds: float
    verified: bool = True

    def line(self) -> str:
        c = self.counts
        name = self.source if self.source == self.target else f"{self.source} -> {self.target}"
        return (
            f"{name}: {c['nodes']} entities ({c['node_versions']} versions), "
            f"{c['ties']} ties ({c['tie_versions']} versions), {c['contacts']} contact moments, "
            f"{c['audit']} audit entries; verified (sha256 {self.checksum[:16]}…) "
            f"in {self.seconds:.1f} s"
        )


def copy_workspace(
    source: Store, target: Store, workspace: str, *, to_workspace: str | None = None
) -> CopyReport:
    """Copy one workspace from ``source`` to ``target`` with its whole history, and verify it.

    Parameters
    ----------
    source, target : Store
        Any two stores (they may be of different kinds, or the same store when
        ``to_workspace`` differs).
    workspace : str
        The workspace to copy.
    to_workspace : str, optional
        Its name in the target (default: the same name).

    Returns
    -------
    CopyReport

    Raises
    ------
    NotFoundError
        The workspace is not in the source.
    ConflictError
        A workspace of that name already exists in the target (nothing is written).
    MigrationError
        The copy read back from the target differs from the source; it has been removed.
    """
    started = time.perf_counter()
    slug = to_workspace or workspace
    dump = source.dump_workspace(workspace)
    if any(w.slug == slug for w in target.workspaces()):
        raise ConflictError(
            "workspace {slug!r} already exists in the target store: delete it "
            "there first, or copy under another name",
            slug=slug,
        )
    expected_sum, expected_counts = checksum(dump), dump.counts()
    target.load_workspace(dump, slug=slug)
    copy = target.dump_workspace(slug)
    got_sum, got_counts = checksum(copy), copy.counts()
    if got_counts != expected_counts or got_sum != expected_sum:
        target.delete_workspace(slug)
        differ = {
            k: (v, got_counts.get(k)) for k, v in expected_counts.items() if got_counts.get(k) != v
        }
        raise MigrationError(
            f"the copy of {workspace!r} did not verify and was removed again: "
            + (f"counts differ {differ}" if differ else "the content checksum differs")
        )
    return CopyReport(
        source=workspace,
        target=slug,
        counts=got_counts,
        checksum=got_sum,
        seconds=time.perf_counter() - started,
    )


def migrate(
    source_url: str,
    target_url: str,
    workspaces: Iterable[str] | None = None,
    *,
    to_workspace: str | None = None,
) -> list[CopyReport]:
    """Copy workspaces (default: all) between the stores two URLs name.

    ``to_workspace`` renames a single workspace on the way. Each workspace is copied and
    verified in its own transaction; the first failure stops the run (copies made before it
    stay, and are verified).
    """
    source = open_store(source_url)
    try:
        target = open_store(target_url)
        try:
            names = list(workspaces or [w.slug for w in source.workspaces()])
            if not names:
                raise NotFoundError(
                    "the source store {source_url} holds no workspaces", source_url=source_url
                )
            if to_workspace and len(names) != 1:
                raise MapperError("a new name can only be given when copying one workspace")
            return [copy_workspace(source, target, n, to_workspace=to_workspace) for n in names]
        finally:
            target.close()
    finally:
        source.close()
