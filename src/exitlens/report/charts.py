"""Vega-Lite charts of the findings (Altair specs as dicts), and their SVG rendering."""

from __future__ import annotations

from typing import Any

import pandas as pd

WIDTH = 560
BAR = "#3b6e8f"


def share_chart(counts: pd.DataFrame, title: str) -> dict[str, Any]:
    """Horizontal bars of the share of cases citing each code, with Wilson 95% intervals.
    ``counts``: name, cases, n, share, ci_low, ci_high."""
    import altair as alt

    data = counts.assign(label=counts["name"])
    order = list(data.sort_values("share", ascending=False)["label"])
    y = alt.Y("label:N", sort=order, title=None, axis=alt.Axis(labelLimit=260))
    tooltip = ["label:N", "cases:Q", "n:Q", alt.Tooltip("share:Q", format=".0%"),
               alt.Tooltip("ci_low:Q", format=".0%"), alt.Tooltip("ci_high:Q", format=".0%")]
    bars = alt.Chart(data).mark_bar(color=BAR).encode(
        x=alt.X("share:Q", title="share of cases (95% interval)",
                axis=alt.Axis(format="%"), scale=alt.Scale(domain=[0, 1])),
        y=y, tooltip=tooltip)
    errors = alt.Chart(data).mark_rule(color="#222").encode(x="ci_low:Q", x2="ci_high:Q", y=y)
    return _spec((bars + errors).properties(width=WIDTH, height=24 * len(data) + 10,
                                            title=title))


def heatmap_chart(long: pd.DataFrame, title: str, value_title: str) -> dict[str, Any]:
    """Codes (rows) by attribute values (columns), coloured by share, labelled with counts.
    ``long``: name, value, cases, n, share."""
    import altair as alt

    base = alt.Chart(long).encode(
        x=alt.X("value:N", title=value_title, sort=None),
        y=alt.Y("name:N", title=None, sort=None, axis=alt.Axis(labelLimit=260)))
    cells = base.mark_rect().encode(
        color=alt.Color("share:Q", scale=alt.Scale(scheme="blues", domain=[0, 1]),
                        legend=alt.Legend(format="%", title="share")),
        tooltip=["name:N", "value:N", "cases:Q", "n:Q", alt.Tooltip("share:Q", format=".0%")])
    text = base.mark_text(fontSize=10).encode(
        text="cases:Q",
        color=alt.condition("datum.share > 0.55", alt.value("white"), alt.value("black")))
    columns = max(1, long["value"].nunique())
    return _spec((cells + text).properties(width=min(WIDTH, 48 * columns),
                                           height=22 * long["name"].nunique(), title=title))


def timeline_chart(yearly: pd.DataFrame, title: str) -> dict[str, Any]:
    """Cases per year, one line per series ("exits", "accounts"). ``yearly``: year, series,
    cases."""
    import altair as alt

    chart = alt.Chart(yearly).mark_line(point=True).encode(
        x=alt.X("year:O", title="year"), y=alt.Y("cases:Q", title="cases"),
        color=alt.Color("series:N", title=None,
                        scale=alt.Scale(range=[BAR, "#d08c2b"])),
        tooltip=["series:N", "year:O", "cases:Q"])
    return _spec(chart.properties(width=WIDTH, height=220, title=title))


def cooccurrence_chart(long: pd.DataFrame, title: str) -> dict[str, Any]:
    """Codes x codes, coloured by the number of cases citing both. ``long``: row, column,
    cases."""
    import altair as alt

    base = alt.Chart(long).encode(
        x=alt.X("column:N", title=None, sort=None, axis=alt.Axis(labelAngle=-40, labelLimit=160)),
        y=alt.Y("row:N", title=None, sort=None, axis=alt.Axis(labelLimit=200)))
    cells = base.mark_rect().encode(
        color=alt.Color("cases:Q", scale=alt.Scale(scheme="oranges"), title="cases"),
        tooltip=["row:N", "column:N", "cases:Q"])
    text = base.mark_text(fontSize=9).encode(text="cases:Q")
    size = 30 * long["row"].nunique()
    return _spec((cells + text).properties(width=size, height=size, title=title))


def _spec(chart: Any) -> dict[str, Any]:
    spec: dict[str, Any] = chart.to_dict()
    spec["config"] = {"font": "DejaVu Sans, Helvetica, Arial, sans-serif",
                      "view": {"stroke": None}}
    return spec


def chart_svg(spec: dict[str, Any]) -> str:
    """The chart drawn as SVG (no browser, no network: vl-convert's own engine)."""
    import vl_convert

    svg: str = vl_convert.vegalite_to_svg(spec)
    return svg
