"""The graph as of another day than today: read-only views over a :class:`Projection`'s
memory (today's graph plus what is valid on other days), nothing copied or read again."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

import networkx as nx

from .build import _valid

if TYPE_CHECKING:
    from .projection import Projection


class _DayNodes(Mapping[Any, Any]):
    __slots__ = ("_present",)

    def __init__(self, present: dict[Any, Any]):
        self._present = present

    def __getitem__(self, n: Any) -> Any:
        return self._present[n]

    def __iter__(self) -> Iterator[Any]:
        return iter(self._present)

    def __len__(self) -> int:
        return len(self._present)

    def __contains__(self, n: object) -> bool:
        return n in self._present


class _DayInner(Mapping[Any, Any]):
    """The neighbours of one node on a day: other end → {tie id: attrs}."""

    __slots__ = ("_base", "_extra", "_present", "_day")

    def __init__(self, base: Mapping[Any, Any], extra: Mapping[Any, Any], present: Any, day: Any):
        self._base, self._extra, self._present, self._day = base, extra, present, day

    def __getitem__(self, v: Any) -> dict[Any, Any]:
        if v not in self._present:
            raise KeyError(v)
        day = self._day
        keydict = {k: d for k, d in self._base.get(v, {}).items() if _valid(d, day)}
        keydict.update(self._extra.get(v, ()))
        if not keydict:
            raise KeyError(v)
        return keydict

    def __iter__(self) -> Iterator[Any]:
        day, present, extra = self._day, self._present, self._extra
        for v, keydict in self._base.items():
            if v in present and (v in extra or any(_valid(d, day) for d in keydict.values())):
                yield v
        for v in extra:
            if v not in self._base:
                yield v

    def __len__(self) -> int:
        return sum(1 for _ in self)

    def __contains__(self, v: object) -> bool:
        try:
            self[v]
        except KeyError:
            return False
        return True


_EMPTY: Mapping[Any, Any] = {}


class _DayAdjacency(Mapping[Any, Any]):
    __slots__ = ("_base", "_extra", "_present", "_day")

    def __init__(self, base: Mapping[Any, Any], extra: Mapping[Any, Any], present: Any, day: Any):
        self._base, self._extra, self._present, self._day = base, extra, present, day

    def __getitem__(self, u: Any) -> _DayInner:
        if u not in self._present:
            raise KeyError(u)
        return _DayInner(
            self._base.get(u, _EMPTY), self._extra.get(u, _EMPTY), self._present, self._day
        )

    def __iter__(self) -> Iterator[Any]:
        return iter(self._present)

    def __len__(self) -> int:
        return len(self._present)

    def __contains__(self, u: object) -> bool:
        return u in self._present


class _DayView:
    @staticmethod
    def make(p: Projection, day: dt.date) -> nx.MultiDiGraph:
        present = {n: d for n, d in p.graph._node.items() if _valid(d, day)}  # type: ignore[attr-defined]  # networkx's own dicts, for speed
        present.update((n, d) for n, d in p._off_nodes.items() if _valid(d, day))
        extra_succ: dict[Any, dict[Any, dict[Any, Any]]] = {}
        extra_pred: dict[Any, dict[Any, dict[Any, Any]]] = {}
        for k, versions in p._off_ties.items():
            for u, v, d in versions:
                if u in present and v in present and _valid(d, day):
                    keydict = extra_succ.setdefault(u, {}).setdefault(v, {})
                    keydict[k] = d
                    extra_pred.setdefault(v, {})[u] = keydict
                    break
        view: nx.MultiDiGraph = nx.MultiDiGraph(workspace=p.workspace, as_of=day)
        view._node = _DayNodes(present)  # type: ignore[attr-defined, assignment]
        succ = _DayAdjacency(p.graph._succ, extra_succ, present, day)  # type: ignore[attr-defined]  # networkx's own dicts, for speed
        view._adj = succ  # type: ignore[attr-defined, assignment]
        view._succ = succ  # type: ignore[attr-defined, assignment]
        view._pred = _DayAdjacency(p.graph._pred, extra_pred, present, day)  # type: ignore[attr-defined, assignment]
        return nx.freeze(view)
