"""The charts drawn on the server as SVG (``mapper/svg_charts.py``: the community pages, the
pulse, the report): the ticks of their axes, every text escaped wherever it goes, the names
and titles that make them readable without sight, the reader's numbers, and in the report
(HTML and so PDF) the table beside each chart holding the chart's numbers — on the real demo
town."""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET

import pytest

from mapper import communities as com
from mapper import report
from mapper.i18n import use_language
from mapper.svg_charts import bar_chart, line_chart, series, tick_values

DAY = dt.date(2026, 11, 1)  # the demo's fixed today
SVG = "{http://www.w3.org/2000/svg}"
#: User text that would be markup, an attribute's end or an entity if it were not escaped.
HOSTILE = '<img src=x onerror=alert(1)>" onload="alert(2)\' &amp; </title></svg>'


def y_ticks(svg: str) -> list[str]:
    """The y axis' tick labels: each comes with its grid line."""
    return re.findall(r'<line class="grid"[^>]*></line><text class="tick"[^>]*>([^<]*)</text>', svg)


def parsed(markup: str) -> ET.Element:
    """The chart and its key as XML: they must be well-formed for that."""
    return ET.fromstring(f"<div>{markup}</div>")


def texts(root: ET.Element) -> list[str]:
    return [t for element in root.iter() for t in (element.text, element.tail) if t and t.strip()]


@pytest.mark.parametrize("top", [1, 2, 3, 5, 7, 10, 12, 48, 95, 400])
def test_count_chart_ticks_are_whole_numbers(top):
    chart = line_chart(["jan", "feb"], [("m", "Leden", [0, top])], title="t", id="c", whole=True)
    labels = y_ticks(chart)
    assert all(re.fullmatch(r"\d+", label) for label in labels), labels
    values = [int(label) for label in labels]
    assert values[0] == 0 and values[-1] >= top and 2 <= len(values) <= 6
    assert len(set(b - a for a, b in zip(values, values[1:], strict=False))) == 1  # even steps


def test_share_chart_ticks_stay_quarters():
    assert tick_values(1.0) == [0.0, 0.25, 0.5, 0.75, 1.0]
    chart = line_chart(["a"], [("s", "S", [0.3])], title="t", id="c", share=True)
    with use_language("nl"):
        assert y_ticks(chart) == ["0%", "25%", "50%", "75%", "100%"]


def test_numbers_are_written_the_readers_way():
    with use_language("nl"):
        chart = line_chart(["jan", "feb"], [("m", "Gemiddeld", [0.5, 1.5])], title="t", id="c")
    assert y_ticks(chart) == ["0", "0,5", "1", "1,5", "2"]
    assert "jan: Gemiddeld 0,5" in texts(parsed(chart))
    with use_language("en"):
        bars = bar_chart(["Jan"], [0.25], title="t", id="p")
    assert "Jan: 25%" in texts(parsed(bars))


def test_every_text_of_a_line_chart_is_escaped():
    chart = line_chart(
        [HOSTILE, "feb"],
        [(HOSTILE, HOSTILE, [1, 2]), ("b", "second", [None, 1])],
        title=HOSTILE,
        id=HOSTILE,
        fmt=lambda v: f"{v} {HOSTILE}",
        references=[(HOSTILE, 1.5)],
    )
    root = parsed(chart)  # well-formed: nothing broke out of a text or an attribute
    assert not [e for e in root.iter() if e.tag in ("img", f"{SVG}img", "script")]
    assert not [a for e in root.iter() for a in e.attrib if a.startswith("on")]
    svg = root.find(f"{SVG}svg")
    assert svg.find(f"{SVG}title").text == HOSTILE
    assert svg.get("aria-labelledby") == f"{HOSTILE}-title"
    assert svg.find(f"{SVG}g").get("data-series") == HOSTILE
    shown = texts(root)
    assert shown.count(HOSTILE) >= 3  # the title, the x label, the reference's label
    assert f"{HOSTILE}: {HOSTILE} 1 {HOSTILE}" in shown  # a dot's title
    assert ["".join(li.itertext()).strip() for li in root.find("ul").iter("li")] == [
        HOSTILE,
        "second",
    ]


def test_every_text_of_a_bar_chart_is_escaped():
    chart = bar_chart(
        [HOSTILE, "feb"],
        [0.4, 0.7],
        title=HOSTILE,
        id=HOSTILE,
        muted=[True, False],
        references=[(HOSTILE, 0.5)],
        legend=HOSTILE,
        muted_legend=HOSTILE,
    )
    root = parsed(chart)
    assert not [e for e in root.iter() if e.tag in ("img", f"{SVG}img", "script")]
    assert not [a for e in root.iter() for a in e.attrib if a.startswith("on")]
    assert root.find(f"{SVG}svg").find(f"{SVG}title").text == HOSTILE
    assert ["".join(li.itertext()).strip() for li in root.find("ul").iter("li")] == [
        HOSTILE,
        HOSTILE,
    ]
    with use_language("en"):
        assert f"{HOSTILE}: 40%" in texts(parsed(bar_chart([HOSTILE], [0.4], title="t", id="p")))


def test_a_chart_is_an_image_named_by_its_title_with_values_on_its_dots():
    points = [{"members": 3, "ties": 1}, {"members": None, "ties": 2}, {"members": 5, "ties": 4}]
    lines = series(points, [("members", "Leden"), ("ties", "Relaties")])
    assert lines == [("members", "Leden", [3, None, 5]), ("ties", "Relaties", [1, 2, 4])]
    root = parsed(line_chart(["jan", "feb", "mrt"], lines, title="Groei", id="g1"))
    svg = root.find(f"{SVG}svg")
    assert svg.get("role") == "img" and svg.get("class") == "chart"
    title = svg.find(f"{SVG}title")
    assert title.get("id") == svg.get("aria-labelledby") == "g1-title" and title.text == "Groei"
    groups = svg.findall(f"{SVG}g")
    assert [g.get("data-series") for g in groups] == ["members", "ties"]
    members, ties = ([c.find(f"{SVG}title").text for c in g.iter(f"{SVG}circle")] for g in groups)
    assert members == ["jan: Leden 3", "mrt: Leden 5"]  # no dot where there is no value
    assert len(groups[0].findall(f"{SVG}polyline")) == 2  # the gap breaks the line
    assert ties == ["jan: Relaties 1", "feb: Relaties 2", "mrt: Relaties 4"]
    key = [li for li in root.find("ul").iter("li")]
    assert [li.find("svg").get("aria-hidden") for li in key] == ["true", "true"]


@pytest.mark.parametrize("n", [1, 2, 7, 8, 13, 17, 25, 53])
def test_x_labels_keep_the_first_and_last_and_never_overlap(n):
    labels = [f"{i + 1} nov 2026" for i in range(n)]
    for chart in (
        line_chart(labels, [("m", "M", list(range(n)))], title="t", id="c"),
        bar_chart(labels, [0.5] * n, title="t", id="p"),
    ):
        shown = re.findall(
            r'<text class="tick" x="([\d.]+)" y="\d+" text-anchor="(\w+)"[^>]*>([^<]+)</text>',
            chart,
        )
        assert 1 <= len(shown) <= 7 and shown[0][2] == labels[0]
        assert n < 3 or shown[-1][2] == labels[-1]
        spans = []
        for x, anchor, text in shown:
            width = 6.2 * len(text)
            left = {"start": 0, "middle": width / 2, "end": width}[anchor]
            spans.append((float(x) - left, float(x) - left + width))
        assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:], strict=False)), spans


def test_a_reference_label_at_the_top_stays_inside_the_chart():
    chart = line_chart(
        ["a", "b"], [("m", "M", [1, 2])], title="t", id="c", references=[("doel 2", 2)]
    )
    y = float(re.search(r'<text class="reference-label" x="[\d.]+" y="([\d.]+)"', chart).group(1))
    assert y >= 12 + 10


def test_two_pulse_charts_on_one_page_keep_their_own_hatching():
    first = bar_chart(["a"], [0.5], title="t", id="one", muted=[True], muted_legend="start")
    second = bar_chart(["a"], [0.5], title="t", id="two", muted=[True], muted_legend="start")
    ids = re.findall(r'<pattern id="([^"]+)"', first + second)
    assert len(ids) == len(set(ids)) == 4
    assert 'fill="url(#one-muted)"' in first and 'fill="url(#two-muted)"' in second


# ------------------------------------------------------------------- the report


def _section(html: str, start: str, end: str) -> str:
    a = html.index(start)
    return html[a : html.index(end, a)]


def test_report_charts_stand_beside_tables_with_their_numbers(demo_ws):
    taal = com.community(demo_ws, "Taalmaatjes Rijnstad")
    with use_language("nl"):
        data = report.community_report(demo_ws, taal.id, as_of=DAY)
        html = report.render_html(data)
    charts = re.findall(r'<svg class="chart".*?</svg>', html, flags=re.S)
    assert len(charts) == 3
    ids = [re.search(r'aria-labelledby="([^"]+)"', c).group(1) for c in charts]
    assert len(set(ids)) == 3 and all(f'<title id="{i}">' in c for i, c in zip(ids, charts))
    # The members chart and the table of the series: the same numbers, month by month.
    members = _section(html, 'data-series="members"', "</g>")
    dots = [int(v) for v in re.findall(r"<title>[^<]*: Leden (\d+)</title>", members)]
    table = _section(html, '<table class="series">', "</table>")
    rows = re.findall(r'<tr><td>[^<]*</td><td class="num">(\d+)</td>', table)
    assert dots == [int(v) for v in rows] == [p["members"] for p in data["points"]]
    assert len(dots) >= 12
    # The pulse: each bar's share is the table's.
    pulse_chart = charts[2]
    bars = re.findall(r"<rect x=[^>]*><title>[^<]*: (\d+%)</title>", pulse_chart)
    pulse = _section(html, '<table class="pulse">', "</table>")
    shares = re.findall(r'<td class="num">(\d+%)</td><td>', pulse)
    assert bars and bars == shares


def test_report_chart_titles_escape_the_community_name(demo_ws):
    taal = com.community(demo_ws, "Taalmaatjes Rijnstad")
    demo_ws.update_node(taal.id, name=HOSTILE)
    html = report.render_html(report.community_report(demo_ws, taal.id, as_of=DAY))
    assert "<img" not in html and "onerror=alert(1)>" not in html
    charts = re.findall(r'<svg class="chart".*?</svg>', html, flags=re.S)
    assert len(charts) == 3
    for chart in charts:
        title = ET.fromstring(chart).find(f"{SVG}title").text
        assert title.endswith(f"— {HOSTILE}")
