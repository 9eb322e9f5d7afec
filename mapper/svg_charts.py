"""Small charts as SVG text, for the report (HTML and PDF) and the pulse on the web.

Drawn on the server, so they need no script and print the same in a browser and in a PDF.
Every label is escaped; colours are the Okabe–Ito set (safe for colour-blind readers) with a
dash pattern per line, so colour is never the only cue. Every chart is meant to stand beside a
table with the same numbers.

Examples
--------
>>> svg = line_chart(["2026-01", "2026-02"], [("Leden", [3, 5])], title="Leden")
>>> svg.startswith("<svg") and "Leden" in svg
True
>>> "<b>" in line_chart(["x"], [("<b>", [1])], title="t")
False
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from markupsafe import Markup, escape

#: Size in SVG units (the chart scales with the page).
WIDTH, HEIGHT = 560, 200
#: Room for the axes: left, right, top, bottom.
LEFT, RIGHT, TOP, BOTTOM = 44, 12, 12, 46
COLOURS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7")
DASHES = ("", "6 4", "2 3", "8 3 2 3")
#: Grey of the start-up months and of reference lines.
MUTED = "#999999"


def nice_max(value: float) -> float:
    """A round number at or above ``value`` for the top of an axis.

    >>> [nice_max(v) for v in (0, 3, 7, 0.8, 34)]
    [1.0, 4.0, 8.0, 1.0, 40.0]
    """
    if value <= 0:
        return 1.0
    if value <= 1:
        return 1.0
    magnitude = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 4, 5, 8, 10):
        if value <= step * magnitude:
            return float(step * magnitude)
    return float(10 * magnitude)


def _fmt(value: float, share: bool) -> str:
    if share:
        return f"{value * 100:.0f}%"
    return f"{value:g}"


def _frame(
    labels: Sequence[str], top: float, share: bool, title: str
) -> tuple[list[str], float, float]:
    plot_w = WIDTH - LEFT - RIGHT
    plot_h = HEIGHT - TOP - BOTTOM
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'role="img" aria-label="{escape(title)}" class="chart" width="100%">',
        f"<title>{escape(title)}</title>",
    ]
    for i in range(5):
        value = top * i / 4
        y = TOP + plot_h - plot_h * i / 4
        parts.append(
            f'<line x1="{LEFT}" y1="{y:.1f}" x2="{WIDTH - RIGHT}" y2="{y:.1f}" '
            f'stroke="#dddddd" stroke-width="1"/>'
        )
        parts.append(
            f'<text x="{LEFT - 4}" y="{y + 4:.1f}" text-anchor="end" font-size="10">'
            f"{escape(_fmt(value, share))}</text>"
        )
    n = len(labels)
    every = max(1, math.ceil(n / 6))
    for i, label in enumerate(labels):
        if i % every and i != n - 1:
            continue
        x = LEFT + (plot_w * (i + 0.5) / n if n else 0)
        parts.append(
            f'<text x="{x:.1f}" y="{HEIGHT - BOTTOM + 14}" text-anchor="middle" '
            f'font-size="10">{escape(label)}</text>'
        )
    return parts, plot_w, plot_h


def line_chart(
    labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[float | None]]],
    *,
    title: str,
    share: bool = False,
    reference: tuple[str, float] | None = None,
) -> Markup:
    """A line chart: one line per ``(label, values)``, ``labels`` under the x axis."""
    values = [v for _, vs in series for v in vs if v is not None]
    top = nice_max(max([*values, reference[1] if reference else 0, 0]))
    if share:
        top = 1.0
    parts, plot_w, plot_h = _frame(labels, top, share, title)
    n = len(labels)

    def xy(i: int, v: float) -> str:
        x = LEFT + plot_w * (i + 0.5) / n
        y = TOP + plot_h - plot_h * (v / top)
        return f"{x:.1f},{y:.1f}"

    if reference:
        y = TOP + plot_h - plot_h * (reference[1] / top)
        parts.append(
            f'<line x1="{LEFT}" y1="{y:.1f}" x2="{WIDTH - RIGHT}" y2="{y:.1f}" '
            f'stroke="{MUTED}" stroke-dasharray="3 3"/>'
            f'<text x="{WIDTH - RIGHT}" y="{y - 3:.1f}" text-anchor="end" font-size="10">'
            f"{escape(reference[0])}</text>"
        )
    for k, (_, vs) in enumerate(series):
        colour, dash = COLOURS[k % len(COLOURS)], DASHES[k % len(DASHES)]
        points = [xy(i, v) for i, v in enumerate(vs) if v is not None]
        if points:
            parts.append(
                f'<polyline fill="none" stroke="{colour}" stroke-width="2" '
                f'stroke-dasharray="{dash}" points="{" ".join(points)}"/>'
            )
            for point in points:
                cx, cy = point.split(",")
                parts.append(f'<circle cx="{cx}" cy="{cy}" r="2.5" fill="{colour}"/>')
    parts += _legend([label for label, _ in series])
    parts.append("</svg>")
    return Markup("".join(parts))


def bar_chart(
    labels: Sequence[str],
    values: Sequence[float | None],
    *,
    title: str,
    share: bool = True,
    muted: Sequence[bool] = (),
    reference: tuple[str, float] | None = None,
    legend: str = "",
    muted_legend: str = "",
) -> Markup:
    """Bars per label; ``muted`` bars (e.g. the start-up months) are drawn hatched grey."""
    known = [v for v in values if v is not None]
    top = 1.0 if share else nice_max(max([*known, 0]))
    parts, plot_w, plot_h = _frame(labels, top, share, title)
    n = len(labels)
    width = plot_w / n * 0.7 if n else 0
    parts.append(
        '<defs><pattern id="startup" width="6" height="6" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)"><rect width="6" height="6" fill="#cfcfcf"/>'
        '<line x1="0" y1="0" x2="0" y2="6" stroke="#8a8a8a" stroke-width="2"/></pattern></defs>'
    )
    for i, v in enumerate(values):
        if v is None:
            continue
        h = plot_h * (v / top)
        x = LEFT + plot_w * (i + 0.5) / n - width / 2
        fill = "url(#startup)" if i < len(muted) and muted[i] else COLOURS[0]
        parts.append(
            f'<rect x="{x:.1f}" y="{TOP + plot_h - h:.1f}" width="{width:.1f}" '
            f'height="{h:.1f}" fill="{fill}"><title>{escape(labels[i])}: '
            f"{escape(_fmt(v, share))}</title></rect>"
        )
    if reference:
        y = TOP + plot_h - plot_h * (reference[1] / top)
        parts.append(
            f'<line x1="{LEFT}" y1="{y:.1f}" x2="{WIDTH - RIGHT}" y2="{y:.1f}" '
            f'stroke="#D55E00" stroke-width="1.5" stroke-dasharray="5 3"/>'
            f'<text x="{WIDTH - RIGHT}" y="{y - 3:.1f}" text-anchor="end" font-size="10" '
            f'fill="#A04000">{escape(reference[0])}</text>'
        )
    items = [legend] if legend else []
    if muted_legend and any(muted):
        items.append(muted_legend)
    parts += _legend(items, swatches=(COLOURS[0], "url(#startup)"))
    parts.append("</svg>")
    return Markup("".join(parts))


def _legend(labels: Sequence[str], swatches: Sequence[str] = ()) -> list[str]:
    parts = []
    x = LEFT
    y = HEIGHT - 12
    for k, label in enumerate(labels):
        if not label:
            continue
        colour = COLOURS[k % len(COLOURS)]
        swatch = swatches[k] if k < len(swatches) and swatches[k] else ""
        if swatch:
            parts.append(f'<rect x="{x}" y="{y - 8}" width="16" height="9" fill="{swatch}"/>')
        else:
            dash = DASHES[k % len(DASHES)]
            parts.append(
                f'<line x1="{x}" y1="{y - 4}" x2="{x + 16}" y2="{y - 4}" stroke="{colour}" '
                f'stroke-width="2" stroke-dasharray="{dash}"/>'
            )
        parts.append(f'<text x="{x + 20}" y="{y}" font-size="10">{escape(label)}</text>')
        x += 28 + 6 * len(label)
    return parts


__all__ = ["bar_chart", "line_chart", "nice_max"]
