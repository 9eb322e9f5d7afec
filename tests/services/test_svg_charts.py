"""The charts drawn on the server as SVG (the community pages, the pulse, the report): the
ticks of their axes."""

from __future__ import annotations

import re

import pytest

from mapper.community_charts import line_chart, tick_values


@pytest.mark.parametrize("top", [1, 2, 3, 5, 7, 10, 12, 48, 95, 400])
def test_count_chart_ticks_are_whole_numbers(top):
    chart = line_chart(["2026-01-01", "2026-02-01"], [("m", "Leden", [0, top])], whole=True)
    labels = [label for _y, label in chart.y_ticks]
    assert all(re.fullmatch(r"\d+", label) for label in labels), labels
    values = [int(label) for label in labels]
    assert values[0] == 0 and values[-1] >= top and 2 <= len(values) <= 6
    assert len(set(b - a for a, b in zip(values, values[1:], strict=False))) == 1  # even steps


def test_share_chart_ticks_stay_quarters():
    assert tick_values(1.0) == [0.0, 0.25, 0.5, 0.75, 1.0]
