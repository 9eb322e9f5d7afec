"""Which edges of a GraphML or GEXF file have a direction.

networkx reads a graph as directed or undirected as a whole (GraphML ``edgedefault``, GEXF
``defaultedgetype``) and refuses a file whose edges say otherwise one by one (GraphML
``directed="false"``, GEXF ``type="undirected"``), as Gephi writes a mixed network. This
module scans the file once (expat, no tree), notes the direction of every edge in file order,
and for a mixed file removes the per-edge words so networkx reads it as directed; the import
then gives each undirected edge the direction the tie rules allow.

Examples
--------
>>> data = (b'<graphml><graph edgedefault="directed"><node id="a"/><node id="b"/>'
...         b'<edge source="a" target="b" directed="false"/></graph></graphml>')
>>> fixed, found = edge_directions(data, "graphml")
>>> found.default_undirected, found.take("a", "b")
(False, True)
>>> b'directed="false"' in fixed
False
"""

from __future__ import annotations

import re
from collections import defaultdict, deque
from dataclasses import dataclass, field
from xml.parsers import expat

#: Per-edge words that say "no direction", by format.
_UNDIRECTED = {"graphml": ("directed", "false"), "gexf": ("type", "undirected")}
_DIRECTED = {"graphml": ("directed", "true"), "gexf": ("type", "directed")}
_DEFAULT = {"graphml": "edgedefault", "gexf": "defaultedgetype"}
_EDGE_ATTR = {
    "graphml": re.compile(rb"""(<(?:\w+:)?edge\b[^>]*?)\s+directed\s*=\s*(["'])[^"']*\2"""),
    "gexf": re.compile(rb"""(<(?:\w+:)?edge\b[^>]*?)\s+type\s*=\s*(["'])[^"']*\2"""),
}


@dataclass
class Directions:
    """The directions found: the file's default, and every edge's own in file order."""

    default_undirected: bool = False
    edges: dict[tuple[str, str], deque[bool]] = field(default_factory=lambda: defaultdict(deque))

    def take(self, source: str, target: str) -> bool:
        """Whether the next edge from ``source`` to ``target`` is undirected."""
        queue = self.edges.get((source, target))
        return queue.popleft() if queue else self.default_undirected


def edge_directions(data: bytes, fmt: str) -> tuple[bytes, Directions]:
    """Scan a GraphML (``fmt="graphml"``) or GEXF file for the direction of its edges.

    Returns the bytes networkx should read (unchanged unless the file mixes directed and
    undirected edges: then the per-edge words are removed and the graph read as directed, with
    the sources first as written) and the :class:`Directions` found. A file that cannot be
    parsed is returned unchanged: the reader reports its error.
    """
    found = Directions()
    key, no = _UNDIRECTED[fmt]
    _, yes = _DIRECTED[fmt]
    per_edge: list[tuple[str, str, bool | None]] = []

    def start(name: str, attrs: dict[str, str]) -> None:
        local = name.rsplit("}", 1)[-1].rsplit(":", 1)[-1]
        if local == "graph":
            found.default_undirected = attrs.get(_DEFAULT[fmt], "").lower() == "undirected"
        elif local == "edge":
            said = attrs.get(key, "").lower()
            own = True if said == no else False if said == yes else None
            per_edge.append((attrs.get("source", ""), attrs.get("target", ""), own))

    parser = expat.ParserCreate()
    parser.StartElementHandler = start
    try:
        parser.Parse(data, True)
    except expat.ExpatError:
        return data, Directions()
    mixed = any(own is not None and own != found.default_undirected for *_, own in per_edge)
    if not mixed:
        return data, found
    for source, target, own in per_edge:
        found.edges[source, target].append(found.default_undirected if own is None else own)
    fixed = _EDGE_ATTR[fmt].sub(rb"\1", data)
    default = _DEFAULT[fmt].encode()
    fixed = re.sub(
        rb"(" + default + rb"""\s*=\s*)(["'])undirected\2""", rb"\1\2directed\2", fixed, count=1
    )
    found.default_undirected = False
    return fixed, found


__all__ = ["Directions", "edge_directions"]
