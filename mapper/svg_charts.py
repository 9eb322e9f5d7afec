"""Charts drawn on the server as inline SVG: the community pages, the pulse, the report (HTML
and PDF). One renderer for all of them.

Drawn on the server, they work offline, need no script (the Content-Security-Policy stays
strict) and print the same in a browser and in a PDF. The SVG carries its own look
(presentation attributes; a page's CSS may refine it), so the self-contained report draws it
as the pages do. Every text in it is escaped. The chart is an image named by its title
(``role="img"``, ``aria-labelledby``); every dot and bar has a title with its value; the key
is a list of words under it. Colours are the Okabe–Ito set (safe for colour-blind readers)
with a dash pattern per line, so colour is never the only cue. Numbers are written the
reader's way (``0,5``, ``50%``). Every chart stands beside a table with the same numbers (the
page's template draws it), for people who would rather read, keyboard users and screen
readers.

Examples
--------
>>> from mapper.i18n import use_language
>>> points = [{"members": 3}, {"members": 5}]
>>> with use_language("nl"):
...     svg = line_chart(["jan", "feb"], series(points, [("members", "Leden")]),
...                      title="Leden <b>", id="c1")
>>> svg.startswith('<svg class="chart"') and "Leden &lt;b&gt;" in svg and "<b>" not in svg
True
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from markupsafe import Markup, escape

from .i18n import format_number, format_percent

#: Size in SVG units (the chart scales with the page).
WIDTH, HEIGHT = 560, 220
#: Room for the axes: left, right, top, bottom.
LEFT, RIGHT, TOP, BOTTOM = 46, 12, 12, 34
#: How many labels at most under the x axis.
MAX_X_LABELS = 6
#: Colours of the series, in order (Okabe–Ito), and their dash patterns.
COLOURS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7")
DASHES = ("", "6 4", "2 3", "8 3 2 3")
#: The grid, the axis, the ticks' text, and the reference lines (a target, a threshold).
GRID, AXIS, TICK, REFERENCE = "#e3e6e9", "#8f9aa3", "#5f6368", "#4d4d4d"
#: About how wide a character of a label is (font size 11), to keep labels apart.
CHAR_WIDTH = 6.2
#: Steps between the ticks of a count axis, smallest first (at most five steps are drawn).
WHOLE_STEPS = (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000)

#: One line of a line chart: its key (``data-series``), its label (the key's word) and its
#: values, one per x label (``None``: no value there, a gap in the line).
Line = tuple[str, str, Sequence[float | None]]


def series(points: Sequence[Mapping[str, Any]], columns: Iterable[tuple[str, str]]) -> list[Line]:
    """The lines of a chart from a table of ``points``: one line per ``(key, label)`` of
    ``columns``, with the values of ``key`` in the points, in order.

    >>> series([{"a": 1, "b": 2}, {"a": 3}], [("a", "A"), ("b", "B")])
    [('a', 'A', [1, 3]), ('b', 'B', [2, None])]
    """
    return [(key, str(label), [p.get(key) for p in points]) for key, label in columns]


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


def number(share: bool) -> Callable[[float], str]:
    """How a chart writes its values by default: a share as a percentage, else a number,
    the reader's way.

    >>> from mapper.i18n import use_language
    >>> with use_language("nl"):
    ...     number(True)(0.5), number(False)(2.5), number(False)(1234)
    ('50%', '2,5', '1.234')
    """
    return format_percent if share else format_number


class _Frame:
    """The axes of a chart: the scale of its y axis, its grid and ticks, its x labels."""

    def __init__(
        self, labels: Sequence[str], top: float, fmt: Callable[[float], str], whole: bool
    ) -> None:
        self.labels, self.top, self.fmt, self.whole = labels, top, fmt, whole
        self.left, self.right = LEFT, WIDTH - RIGHT
        self.top_y, self.bottom = TOP, HEIGHT - BOTTOM

    def y(self, value: float) -> float:
        return self.bottom - (self.bottom - self.top_y) * (value / self.top)

    def svg_open(self, title: str, id: str) -> list[str]:
        ident = escape(id)
        parts = [
            f'<svg class="chart" xmlns="http://www.w3.org/2000/svg" '
            f'viewBox="0 0 {WIDTH} {HEIGHT}" width="100%" role="img" '
            f'aria-labelledby="{ident}-title" preserveAspectRatio="xMidYMid meet">',
            f'<title id="{ident}-title">{escape(title)}</title>',
        ]
        for value in tick_values(self.top, whole=self.whole):
            y = round(self.y(value), 1)
            parts.append(
                f'<line class="grid" x1="{self.left}" x2="{self.right}" y1="{y}" y2="{y}" '
                f'stroke="{GRID}" stroke-width="1"></line>'
                f'<text class="tick" x="{self.left - 6}" y="{y + 4:.1f}" text-anchor="end" '
                f'font-size="11" fill="{TICK}">{escape(self.fmt(value))}</text>'
            )
        return parts

    def x_labels(self, x: Callable[[int], float], *, anchored: bool) -> list[str]:
        """At most :data:`MAX_X_LABELS` labels under the axis, the first and the last always,
        none over another; ``anchored``: the first starts and the last ends at its point (a
        line's ends)."""
        n = len(self.labels)
        step = max(1, math.ceil(n / MAX_X_LABELS))
        kept: list[tuple[int, str, float, float]] = []  # index, anchor, left, right
        for i in sorted({*range(0, n, step), n - 1} if n else set()):
            width = CHAR_WIDTH * len(self.labels[i])
            anchor = "middle"
            if anchored and n > 1 and i in (0, n - 1):
                anchor = "start" if i == 0 else "end"
            left = {"start": x(i), "middle": x(i) - width / 2, "end": x(i) - width}[anchor]
            label = (i, anchor, left, left + width)
            while kept and kept[-1][3] + 4 > left and (i == n - 1 and len(kept) > 1):
                kept.pop()  # the last label wins over the one before it
            if not kept or kept[-1][3] + 4 <= left:
                kept.append(label)
        parts = [
            f'<text class="tick" x="{x(i):.1f}" y="{self.bottom + 18}" '
            f'text-anchor="{anchor}" font-size="11" fill="{TICK}">'
            f"{escape(self.labels[i])}</text>"
            for i, anchor, _left, _right in kept
        ]
        parts.append(
            f'<line class="axis" x1="{self.left}" x2="{self.right}" y1="{self.bottom}" '
            f'y2="{self.bottom}" stroke="{AXIS}" stroke-width="1"></line>'
        )
        return parts

    def references(self, references: Iterable[tuple[str, float]]) -> list[str]:
        """Labelled horizontal lines (a goal's target, the pulse's threshold)."""
        parts = []
        for label, value in references:
            y = round(self.y(value), 1)
            text_y = y - 5 if y - 5 >= self.top_y + 10 else y + 14  # below it at the top
            parts.append(
                f'<line class="reference" x1="{self.left}" x2="{self.right}" y1="{y}" '
                f'y2="{y}" stroke="{REFERENCE}" stroke-width="1.5" stroke-dasharray="4 3">'
                f'</line><text class="reference-label" x="{self.right - 4}" y="{text_y:.1f}" '
                f'text-anchor="end" font-size="11" fill="{REFERENCE}">{escape(label)}</text>'
            )
        return parts


def _key(items: Iterable[tuple[str, str]]) -> str:
    """The key under a chart: ``(swatch, label)``, the swatch an SVG fragment 28 by 10."""
    rows = [
        f'<li><svg width="28" height="10" aria-hidden="true">{swatch}</svg> {escape(label)}</li>'
        for swatch, label in items
        if label
    ]
    return f'<ul class="chart-key">{"".join(rows)}</ul>' if rows else ""


def _line_swatch(colour: str, dash: str) -> str:
    dashed = f' stroke-dasharray="{dash}"' if dash else ""
    return f'<line x1="0" x2="28" y1="5" y2="5" stroke="{colour}" stroke-width="3"{dashed}></line>'


def line_chart(
    labels: Sequence[str],
    lines: Iterable[Line],
    *,
    title: str,
    id: str,
    share: bool = False,
    whole: bool = False,
    fmt: Callable[[float], str] | None = None,
    references: Iterable[tuple[str, float]] = (),
) -> Markup:
    """A line chart of ``lines`` (see :func:`series`) over ``labels`` (the x axis' words,
    written the reader's way), and its key.

    ``title`` names the chart for screen readers; ``id`` is unique on the page. ``share``
    fixes the y axis at 0–100%; ``whole`` puts the ticks on whole numbers only (a count: no
    half member); ``fmt`` writes a value (the ticks, the dots' titles), by default
    :func:`number`; ``references`` adds labelled horizontal lines at their values.

    >>> svg = line_chart(["a", "b", "c"], [("m", "M", [1, None, 3])], title="t", id="x")
    >>> svg.count("<polyline"), svg.count("<circle"), 'aria-labelledby="x-title"' in svg
    (2, 2, True)
    """
    lines, refs = list(lines), list(references)
    fmt = fmt or number(share)
    values = [v for _, _, vs in lines for v in vs if v is not None] + [v for _, v in refs]
    frame = _Frame(labels, 1.0 if share else nice_max(max(values, default=0.0)), fmt, whole)
    n = len(labels)

    def x(i: int) -> float:
        return (
            (frame.left + frame.right) / 2 if n == 1 else LEFT + (frame.right - LEFT) * i / (n - 1)
        )

    parts = frame.svg_open(title, id) + frame.x_labels(x, anchored=True)
    parts += frame.references(refs)
    swatches = []
    for index, (key, label, vs) in enumerate(lines):
        colour, dash = COLOURS[index % len(COLOURS)], DASHES[index % len(DASHES)]
        parts.append(f'<g class="series" data-series="{escape(key)}">')
        runs: list[list[str]] = [[]]
        for i, v in enumerate(vs[:n]):
            if v is None:
                runs.append([])
                continue
            runs[-1].append(f"{x(i):.1f},{frame.y(v):.1f}")
        dashed = f' stroke-dasharray="{dash}"' if dash else ""
        parts += [
            f'<polyline fill="none" stroke="{colour}" stroke-width="2.5"{dashed} '
            f'points="{" ".join(run)}"></polyline>'
            for run in runs
            if run
        ]
        parts += [
            f'<circle cx="{x(i):.1f}" cy="{frame.y(v):.1f}" r="3.2" fill="{colour}">'
            f"<title>{escape(labels[i])}: {escape(label)} {escape(fmt(v))}</title></circle>"
            for i, v in enumerate(vs[:n])
            if v is not None
        ]
        parts.append("</g>")
        swatches.append((_line_swatch(colour, dash), label))
    parts.append("</svg>")
    return Markup("".join(parts) + _key(swatches))


#: The hatching of muted bars (the start-up months): grey with dark stripes, so it differs
#: from a full bar without colour; ``{id}`` keeps the pattern's id unique on the page.
HATCH = (
    '<pattern id="{id}" width="6" height="6" patternUnits="userSpaceOnUse" '
    'patternTransform="rotate(45)"><rect width="6" height="6" fill="#cfcfcf"></rect>'
    '<line x1="0" y1="0" x2="0" y2="6" stroke="#8a8a8a" stroke-width="2"></line></pattern>'
)


def bar_chart(
    labels: Sequence[str],
    values: Sequence[float | None],
    *,
    title: str,
    id: str,
    share: bool = True,
    fmt: Callable[[float], str] | None = None,
    muted: Sequence[bool] = (),
    references: Iterable[tuple[str, float]] = (),
    legend: str = "",
    muted_legend: str = "",
) -> Markup:
    """Bars of ``values`` over ``labels``, and the key; ``muted`` bars (e.g. the start-up
    months) are drawn hatched grey. ``legend`` and ``muted_legend`` are the key's words for
    the two; the rest as :func:`line_chart`.

    >>> svg = bar_chart(["a", "b"], [0.5, None], title="t", id="p", muted=[True, False])
    >>> svg.count("<rect x="), 'fill="url(#p-muted)"' in svg
    (1, True)
    """
    refs = list(references)
    fmt = fmt or number(share)
    known = [v for v in values if v is not None] + [v for _, v in refs]
    frame = _Frame(labels, 1.0 if share else nice_max(max(known, default=0.0)), fmt, False)
    n = len(labels)
    slot = (frame.right - LEFT) / n if n else 0.0

    def x(i: int) -> float:
        return LEFT + slot * (i + 0.5)

    hatch = f"{escape(id)}-muted"
    parts = frame.svg_open(title, id)
    parts.append(f"<defs>{HATCH.format(id=hatch)}</defs>")
    parts += frame.x_labels(x, anchored=False)
    for i, v in enumerate(values[:n]):
        if v is None:
            continue
        fill = f"url(#{hatch})" if i < len(muted) and muted[i] else COLOURS[0]
        top = frame.y(v)
        parts.append(
            f'<rect x="{x(i) - slot * 0.35:.1f}" y="{top:.1f}" width="{slot * 0.7:.1f}" '
            f'height="{frame.bottom - top:.1f}" fill="{fill}">'
            f"<title>{escape(labels[i])}: {escape(fmt(v))}</title></rect>"
        )
    parts += frame.references(refs)
    parts.append("</svg>")
    items = [(f'<rect width="28" height="10" fill="{COLOURS[0]}"></rect>', legend)]
    if any(muted):
        swatch = f"<defs>{HATCH.format(id=hatch + '-key')}</defs>"
        swatch += f'<rect width="28" height="10" fill="url(#{hatch}-key)"></rect>'
        items.append((swatch, muted_legend))
    return Markup("".join(parts) + _key(items))


__all__ = ["Line", "bar_chart", "line_chart", "nice_max", "number", "series", "tick_values"]
