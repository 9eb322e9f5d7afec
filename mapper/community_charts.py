"""Line charts drawn on the server as inline SVG: they work offline, need no script (so the
Content-Security-Policy stays strict) and print well. This module only computes geometry;
``web/templates/community/_chart.html`` draws it, with every text autoescaped.

Every chart on a page has a table beside it with the same numbers, for people who would rather
read, for keyboard users and for screen readers.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

#: Size of a chart in SVG units (it scales with the page).
WIDTH, HEIGHT = 560, 220
#: Room for the axes: left, right, top, bottom.
MARGIN = (46, 12, 12, 34)
#: How many date labels at most under the x axis.
MAX_X_LABELS = 6
#: Colours of the series, in order (Okabe–Ito: safe for colour-blind readers), and dash
#: patterns so colour is never the only cue.
COLOURS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7")
DASHES = ("", "6 4", "2 3", "8 3 2 3")


@dataclass
class Series:
    """One line: its label, colour, dash, segments of (x, y) and the dots with their text."""

    key: str
    label: str
    colour: str
    dash: str
    segments: list[str] = field(default_factory=list)
    dots: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class Chart:
    """What the template needs to draw a chart."""

    width: int
    height: int
    plot: tuple[float, float, float, float]  # left, top, right, bottom
    series: list[Series]
    y_ticks: list[tuple[float, str]]
    x_labels: list[tuple[float, str, str]]  # x, text, text-anchor
    lines: list[dict[str, Any]] = field(default_factory=list)  # horizontal reference lines


def nice_max(value: float) -> float:
    """A round number at or above ``value`` for the top of an axis.

    >>> [nice_max(v) for v in (0, 3, 7, 12, 48, 0.4)]
    [1.0, 4.0, 8.0, 20.0, 50.0, 0.4]
    """
    if value <= 0:
        return 1.0
    exponent = math.floor(math.log10(value))
    for step in (1, 2, 4, 5, 8, 10):  # quarters of these make readable ticks
        candidate = step * 10**exponent
        if candidate >= value - 1e-12:
            return float(round(candidate, 10))
    return float(10 ** (exponent + 1))  # pragma: no cover - 10 always fits


#: Steps between the ticks of a count axis, smallest first (at most five steps are drawn).
WHOLE_STEPS = (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000)


def tick_values(top: float, *, whole: bool = False) -> list[float] | list[int]:
    """The values of the y axis' ticks from 0 to ``top``: quarters, or for a count (``whole``)
    whole numbers only.

    >>> tick_values(8), tick_values(2, whole=True), tick_values(10, whole=True)
    ([0.0, 2.0, 4.0, 6.0, 8.0], [0, 1, 2], [0, 2, 4, 6, 8, 10])
    >>> tick_values(8, whole=True)
    [0, 2, 4, 6, 8]
    """
    quarters = [top * k / 4 for k in range(5)]
    if not whole:
        return quarters
    if float(top / 4).is_integer():
        return [int(v) for v in quarters]
    for step in WHOLE_STEPS:
        if top % step == 0 and top / step <= 5:
            return list(range(0, int(top) + 1, step))
    return quarters  # pragma: no cover - a top from nice_max always fits a step


def line_chart(
    dates: Sequence[str],
    series: Iterable[tuple[str, str, Sequence[float | None]]],
    *,
    share: bool = False,
    fmt: Callable[[float | None], str] = str,
    date_label: Callable[[str], str] = str,
    references: Iterable[tuple[str, float]] = (),
    whole: bool = False,
) -> Chart:
    """The geometry of a line chart of ``series`` (key, label, values) over ``dates``.

    ``share`` fixes the y axis at 0–1; ``fmt`` writes a value for the ticks and the dot titles;
    ``references`` adds labelled horizontal lines (e.g. a goal's target); ``whole`` puts the
    ticks on whole numbers only (a count: no 0.5 member).

    >>> c = line_chart(["2025-01-01", "2025-02-01"], [("members", "Leden", [2, 4])])
    >>> [round(d["y"]) for d in c.series[0].dots], c.y_ticks[-1][1]
    ([99, 12], '4.0')
    >>> [t for _, t in line_chart(["2025-01-01"], [("m", "M", [2])], whole=True).y_ticks]
    ['0', '1', '2']
    """
    left, right, top, bottom = MARGIN[0], WIDTH - MARGIN[1], MARGIN[2], HEIGHT - MARGIN[3]
    series = list(series)
    refs = list(references)
    values = [v for _, _, vs in series for v in vs if v is not None] + [v for _, v in refs]
    top_value = 1.0 if share else nice_max(max(values, default=0.0))
    n = len(dates)

    def x(i: int) -> float:
        return (left + right) / 2 if n == 1 else left + (right - left) * i / (n - 1)

    def y(v: float) -> float:
        return bottom - (bottom - top) * (v / top_value)

    drawn = []
    for index, (key, label, vs) in enumerate(series):
        line = Series(key, label, COLOURS[index % len(COLOURS)], DASHES[index % len(DASHES)])
        current: list[str] = []
        for i, v in enumerate(vs):
            if v is None:
                if current:
                    line.segments.append(" ".join(current))
                current = []
                continue
            current.append(f"{x(i):.1f},{y(v):.1f}")
            line.dots.append(
                {
                    "x": round(x(i), 1),
                    "y": round(y(v), 1),
                    "title": f"{date_label(dates[i])}: {label} {fmt(v)}",
                }
            )
        if current:
            line.segments.append(" ".join(current))
        drawn.append(line)
    ticks = [(round(y(v), 1), fmt(v)) for v in tick_values(top_value, whole=whole)]
    step = max(1, math.ceil(n / MAX_X_LABELS))
    shown = list(range(0, n, step))
    if n > 1 and (n - 1) % step:
        shown.append(n - 1)
    labels = [
        (
            round(x(i), 1),
            date_label(dates[i]),
            "start" if i == 0 and n > 1 else ("end" if i == n - 1 and n > 1 else "middle"),
        )
        for i in shown
    ]
    return Chart(
        width=WIDTH,
        height=HEIGHT,
        plot=(left, top, right, bottom),
        series=drawn,
        y_ticks=ticks,
        x_labels=labels,
        lines=[{"y": round(y(v), 1), "label": f"{label} {fmt(v)}"} for label, v in refs],
    )


def column(points: Sequence[Mapping[str, Any]], key: str) -> list[Any]:
    """The values of ``key`` in ``points``."""
    return [p.get(key) for p in points]


__all__ = ["Chart", "Series", "column", "line_chart", "nice_max", "tick_values"]
