"""Offline checks of the Neo4j store's pure helpers against the installed ``neo4j`` driver.

No server is needed and nothing stands in for one: this feeds the row converters the value
types the driver really hands back (``neo4j.time.Date``, maps from which Neo4j has dropped
null properties), checks the driver API the store calls exists with the arguments it passes
(a session is created but never connects), and checks that every public write of
:class:`~mapper.store.base.Store` that opens a transaction is retried as a whole by the
adapter. Behaviour against a server is checked by ``tests/test_neo4j.py`` and the contract
suite with ``NEO4J_URI`` set.

Run::

    python -W error tools/verify_neo4j_offline.py
"""

from __future__ import annotations

import datetime as dt
import inspect
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import neo4j  # noqa: E402

from mapper.model import Node, NodeKind, RelKind, Tie  # noqa: E402
from mapper.store import neo4j as neo  # noqa: E402
from mapper.store.base import Store  # noqa: E402


def main() -> int:
    print("neo4j driver", neo4j.__version__)
    day = neo4j.time.Date(2024, 2, 29)
    assert neo._date(day) == dt.date(2024, 2, 29) and type(neo._date(day)) is dt.date
    assert neo._date(None) is None and neo._date(dt.date(2024, 1, 1)) == dt.date(2024, 1, 1)

    # A node as written, then as read back: null properties are simply absent.
    node = Node(
        "per-a",
        NodeKind.PERSON,
        "Jan",
        {"tags": ["a", "b"], "n": 1, "x": None},
        dt.date(2024, 1, 1),
        None,
        None,
        2,
        "2024-01-01T00:00:00Z",
    )
    row = neo._node_row("w", node)
    stored = {k: v for k, v in row.items() if v is not None}
    stored["since"] = neo4j.time.Date(2024, 1, 1)
    back = neo._node(stored)
    assert back == node, (back, node)
    assert isinstance(row["props"], str)  # maps/lists/nulls never become Neo4j properties

    tie = Tie(
        "tie-1",
        RelKind.KNOWS,
        "per-a",
        "per-b",
        0.5,
        dt.date(2024, 1, 1),
        dt.date(2024, 6, 1),
        None,
        "scan",
        {},
        1,
        False,
        None,
    )
    p = {k: v for k, v in neo._tie_props("w", tie).items() if v is not None}
    p["since"], p["until"] = neo4j.time.Date(2024, 1, 1), neo4j.time.Date(2024, 6, 1)
    got = neo._tie({"r": p, "kind": "KNOWS", "source": "per-a", "target": "per-b"})
    assert got == tie, (got, tie)
    contact = neo._contact(
        {"id": "cnt-1", "a": "x", "b": "y", "on_date": neo4j.time.Date(2024, 3, 1)}
    )
    assert contact.on == dt.date(2024, 3, 1) and contact.mode is None

    # The driver API the store calls, with the arguments it passes (no connection is made).
    driver = neo4j.GraphDatabase.driver("bolt://127.0.0.1:1", auth=("u", "p"))
    try:
        manager = driver.execute_query_bookmark_manager
        with driver.session(database=None, bookmark_manager=manager) as session:
            assert callable(session.execute_write) and callable(session.begin_transaction)
        sig = inspect.signature(driver.execute_query)
        assert {"routing_", "database_"} <= set(sig.parameters)
        assert neo4j.RoutingControl.READ and neo4j.RoutingControl.WRITE
    finally:
        driver.close()
    assert issubclass(neo.neo_errors.IncompleteCommit, neo.neo_errors.ServiceUnavailable)
    assert issubclass(neo.neo_errors.ConstraintError, neo.neo_errors.Neo4jError)

    # Every public write that opens a transaction runs as one retried managed transaction.
    missing = [
        name
        for name, fn in inspect.getmembers(Store, inspect.isfunction)
        if not name.startswith("_")
        and "self.atomic()" in inspect.getsource(fn)
        and name not in {"bulk_write", "dump_workspace"}  # not writes of their own
        and not hasattr(getattr(neo.Neo4jStore, name), "__wrapped__")
    ]
    assert not missing, f"public writes not retried as a whole: {missing}"
    print("ok: row conversions, driver API, retried writes")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
