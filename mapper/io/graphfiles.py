"""The graph file reader: a GraphML or GEXF file (as networkx or Gephi write it) as the same
node and edge tables as the ``Overige`` and ``Relaties`` sheets, after the XML scan of
:func:`mapper.io.limits.check_xml`.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterable
from typing import Any

import networkx as nx

from .directions import edge_directions
from .found import FileFormat, Found, Table
from .limits import DEFAULT_LIMITS, Limits, ReadError, check_xml
from .templates import DIRECTION, OTHERS, TIES, Column

#: Node attributes Gephi adds for layout; not taken over as properties.
GEPHI_LAYOUT = frozenset(
    {
        "x",
        "y",
        "z",
        "size",
        "r",
        "g",
        "b",
        "color",
        "viz",
        "label",
        "id",
        "pid",
        "spells",
        "start",
        "end",
        "networkx_key",
        "weight",
        "type",
    }
)
NODE_FIELDS = ("kind", "name", "since", "until", "notes", "props", "mode")
EDGE_FIELDS = ("kind", "strength", "since", "until", "role", "origin", "props", "id")


def _latest(value: Any) -> Any:
    """The latest value of a dynamic GEXF attribute (a list of (value, start, end))."""
    if isinstance(value, list) and value and isinstance(value[0], tuple):
        ordered = sorted(value, key=lambda v: (v[1] is not None, str(v[1] or "")))
        return ordered[-1][0]
    return value


def _prop_key(key: str) -> str:
    return re.sub(r"[^0-9A-Za-z_]+", "_", key).strip("_") or "attribute"


def read_graph(data: bytes, fmt: str, *, limits: Limits = DEFAULT_LIMITS) -> Found:
    """A GraphML or GEXF file (as written by networkx or Gephi) as node and edge tables.

    Nodes need ``kind``; ``name`` falls back on the GEXF label, then the node id. Edges need
    ``kind``; ``strength``, ``since``, ``until`` (or GEXF ``start``/``end``), ``role``,
    ``origin`` are read when present. Other plain node attributes become properties. The file
    is scanned first (:func:`check_xml`), so a bomb never reaches the XML tree builder.
    """
    items = check_xml(data, limits, what=fmt.upper())
    if items > limits.rows:
        raise ReadError(
            "the file has more than {limit} rows (the most one import takes)",
            code="rows",
            params={"limit": limits.rows},
        )
    data, directions = edge_directions(data, fmt)  # undirected edges: see plan (issue 16)
    try:
        if fmt == "graphml":
            graph = nx.read_graphml(io.BytesIO(data))
        else:
            graph = nx.read_gexf(io.BytesIO(data))
    except Exception as exc:  # noqa: BLE001 - networkx raises many kinds on bad XML
        raise ReadError(
            "the {what} file cannot be read ({reason})",
            code="xml",
            what=fmt.upper(),
            reason=str(exc),
        ) from None
    node_headers = ["ref", "id", "kind", "name", "since", "until", "notes", "mode", "extra"]
    node_rows: list[list[Any]] = []
    for key, attrs in graph.nodes(data=True):
        attrs = {k: _latest(v) for k, v in attrs.items()}
        extra = {}
        if isinstance(attrs.get("props"), str) and attrs["props"].strip():
            try:
                loaded = json.loads(attrs["props"])
                extra = loaded if isinstance(loaded, dict) else {}
            except (ValueError, RecursionError):
                extra = {"props": attrs["props"]}
        for k, v in attrs.items():
            if (
                k not in NODE_FIELDS
                and k not in GEPHI_LAYOUT
                and isinstance(v, (str, int, float, bool))
            ):
                extra.setdefault(_prop_key(k), v)
        name = attrs.get("name") or attrs.get("label") or str(key)
        node_rows.append(
            [
                str(key),
                str(key),
                attrs.get("kind"),
                name,
                attrs.get("since") or attrs.get("start"),
                attrs.get("until") or attrs.get("end"),
                attrs.get("notes"),
                attrs.get("mode"),
                json.dumps(extra, ensure_ascii=False) if extra else None,
            ]
        )
    edge_headers = [
        "id",
        "van",
        "naar",
        "soort relatie",
        "sterkte",
        "sinds",
        "tot",
        "rol",
        "bron",
        "overige gegevens",
        "richting",
    ]
    undirected = not graph.is_directed()
    edge_rows: list[list[Any]] = []
    if graph.is_multigraph():
        edges: Iterable[tuple[Any, Any, Any, dict[str, Any]]] = graph.edges(keys=True, data=True)  # type: ignore[call-overload]
    else:
        edges = ((u, v, None, d) for u, v, d in graph.edges(data=True))
    for u, v, key, attrs in edges:
        attrs = {k: _latest(val) for k, val in attrs.items()}
        tie_id = attrs.get("id") if attrs.get("id") is not None else key
        edge_rows.append(
            [
                str(tie_id) if tie_id is not None else None,
                str(u),
                str(v),
                attrs.get("kind"),
                attrs.get("strength"),
                attrs.get("since") or attrs.get("start"),
                attrs.get("until") or attrs.get("end"),
                attrs.get("role"),
                attrs.get("origin"),
                attrs.get("props") or None,
                "undirected" if directions.take(str(u), str(v)) or undirected else None,
            ]
        )
    node_table = Table(
        OTHERS,
        "nodes",
        node_headers,
        node_rows,
        first_row=1,
        columns=[REF, *[OTHERS.column_for(h) for h in node_headers[1:]]],
    )
    edge_table = Table(
        TIES,
        "edges",
        edge_headers,
        edge_rows,
        first_row=1,
        columns=[*[TIES.column_for(h) for h in edge_headers[:-1]], DIRECTION],
    )
    edge_table.graph = True  # type: ignore[attr-defined]
    node_table.graph = True  # type: ignore[attr-defined]
    return Found(FileFormat(fmt), [node_table, edge_table])


#: A column only graph files have: the node's key in the file, which edges refer to.
REF = Column("ref", "ref", "node key in the graph file")
