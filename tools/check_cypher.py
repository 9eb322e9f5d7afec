"""Check every Cypher statement the Neo4j store sends, offline, with Neo4j's own analyser.

No Neo4j server is needed: the store's query runner is replaced by a recorder, every
primitive is called once with small made-up values (results are empty), and the recorded
statements are checked with ``@neo4j-cypher/language-support`` (Neo4j's Cypher parser and
semantic analysis, from npm). This catches syntax errors, unknown variables and mismatched
UNION columns; it says nothing about behaviour, which only a real server can show (see
``tests/test_neo4j.py`` and the contract suite).

Run::

    npm install --prefix tools/cypher-lint      # once
    python tools/check_cypher.py
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from mapper.audit import AuditEntry  # noqa: E402
from mapper.errors import MapperError  # noqa: E402
from mapper.model import Contact, Node, NodeKind, RelKind, Tie, WorkspaceInfo  # noqa: E402
from mapper.store import neo4j as neo  # noqa: E402

LINT = ROOT / "tools" / "cypher-lint"


class Recorder(neo.Neo4jStore):
    """The store with its query runner replaced: records statements, returns no rows (one
    row of ones for statements that count)."""

    def __init__(self) -> None:  # no driver, no server
        self.uri, self.user, self.database = "recorder", None, None
        self._state = neo._TxState()
        self._closed = False
        self.statements: set[str] = set()

    def _run(self, query: str, params: Any = None, *, write: bool) -> list[Any]:
        self.statements.add(query)
        if "count(" in query:
            rows = (params or {}).get("rows")
            return [{"n": len(rows) if rows is not None else 1, "first": 1, "last": 1}]
        return []

    def atomic(self):  # type: ignore[override]
        return contextlib.nullcontext()

    def get_workspace(self, slug: str) -> WorkspaceInfo:
        return WorkspaceInfo(slug, slug, "now", {})


def collect() -> list[str]:
    s = Recorder()
    s._state.tx = object()  # as if inside a transaction: public writes join it
    s._state.depth = 2  # record the undo steps of nested blocks too
    day = dt.date(2025, 1, 1)
    node = Node("per-1", NodeKind.PERSON, "x", version=2)
    tie = Tie("tie-1", RelKind.KNOWS, "a", "b")
    contact = Contact("cnt-1", "a", "b", day)
    info = WorkspaceInfo("w", "w", "now", {})
    calls = [
        lambda: s.workspaces(),
        lambda: s._create_workspace(info),
        lambda: s._update_workspace(info),
        lambda: s._set_workspace(info),
        lambda: s._insert_nodes("w", [node]),
        lambda: s._get_nodes("w", ["a"]),
        lambda: s._node_kinds("w", {"a"}),
        lambda: list(s._query_nodes("w", None, None)),
        lambda: list(s._query_nodes("w", [NodeKind.PERSON], day)),
        lambda: s._node_versions("w", "a"),
        lambda: s._all_node_versions("w"),
        lambda: s._lock_node("w", "a"),
        lambda: s._tie_rows("w", ["t"]),
        lambda: s._insert_ties("w", [tie]),
        lambda: s._delete_relationships("w", ["e"]),
        lambda: s._set_tie_fields("w", "e", None, True),
        lambda: s._lock_tie("w", "t"),
        lambda: list(s._query_ties("w", None, None, None, False)),
        lambda: list(s._query_ties("w", "a", [RelKind.KNOWS], day, False)),
        lambda: list(s._query_ties("w", "a", None, None, True)),
        lambda: s._ties_touching("w", ["a"], day),
        lambda: s.project("w", as_of=day, kinds=["Person"]),
        lambda: s._insert_contacts("w", [contact]),
        lambda: list(s._query_contacts("w", None, None, None)),
        lambda: list(s._query_contacts("w", "a", ("a", "b"), day)),
        lambda: s._insert_audit("w", [AuditEntry("now", "me", "create", "node")]),
        lambda: s._query_audit("w", "a", ["create"], 5),
        lambda: s._query_audit("w", None, None, None),
        lambda: s._erase_node("w", "a"),
        lambda: s.delete_workspace("w"),
        lambda: s._load_versions("w", [node], [tie], [contact]),
        lambda: s._repoint_node("w", "a", "b"),
    ]
    for call in calls:
        try:
            call()
        except MapperError:
            pass  # empty results make some calls stop early (e.g. "not found")
        except Exception as exc:  # a mistake in this script or the store: say so
            print(f"warning: a call stopped early: {exc!r}", file=sys.stderr)
    # _insert_node_version needs the current version first.
    s._get_nodes = lambda w, ids: {"per-1": Node("per-1", NodeKind.PERSON, "x")}  # type: ignore[method-assign]
    s._insert_node_version("w", node)
    for step in list(s._state.undo):
        with contextlib.suppress(Exception):  # some writes cannot be undone, by design
            step()
    return sorted(s.statements | set(neo.SCHEMA) | set(neo.REL_CONSTRAINTS))


def main() -> int:
    statements = collect()
    node = shutil.which("node")
    if node is None or not (LINT / "node_modules").exists():
        print(
            f"collected {len(statements)} statements; to check them, install Node.js and run "
            "`npm install --prefix tools/cypher-lint` first"
        )
        return 2
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
        json.dump(statements, f)
    return subprocess.run([node, str(LINT / "lint.mjs"), f.name], cwd=LINT).returncode


if __name__ == "__main__":
    sys.exit(main())
