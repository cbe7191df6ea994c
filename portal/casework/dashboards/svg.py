"""A small server-side SVG bar chart renderer (no JavaScript, no chart library).

One chart kind covers the dashboards: bars per category, grouped when there is more than one
series. The SVG is an image with a `<title>` and a `<desc>` (the summary sentence) that
assistive technology reads; the numbers themselves are in the table printed beside each chart,
which is where a screen-reader user goes for the data. Every text is escaped.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

WIDTH, HEIGHT = 640, 320
LEFT, RIGHT, TOP, BOTTOM = 56, 16, 40, 72
TEXT = "#0b0c0c"
GRID = "#b1b4b6"
# GOV.UK blue and orange: both at least 3:1 against white and told apart by the legend.
COLOURS = ("#1d70b8", "#d4351c", "#00703c", "#4c2c92")
MOST_LABELS = 13


@dataclass(frozen=True)
class Series:
    name: str
    values: tuple[float, ...]


def nice_maximum(largest: float) -> float:
    """The axis top: 1, 2 or 5 times a power of ten, at or above the largest value."""
    if largest <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(largest))
    for step in (1, 2, 5, 10):
        if largest <= step * power:
            return float(step * power)
    return float(10 * power)  # pragma: no cover (the loop always returns)


def _number(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


def bar_chart(
    *,
    chart_id: str,
    title: str,
    summary: str,
    categories: Sequence[str],
    series: Sequence[Series],
    unit: str,
) -> Markup:
    plot_width, plot_height = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    top = nice_maximum(max((v for s in series for v in s.values), default=0))
    title_id, desc_id = f"{chart_id}-title", f"{chart_id}-desc"
    parts = [
        f'<svg class="portal-chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-labelledby="{title_id} {desc_id}" focusable="false" '
        f'xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{title_id}">{escape(title)}</title>',
        f'<desc id="{desc_id}">{escape(summary)}</desc>',
    ]
    # Grid lines and the value axis, in the chart's unit.
    for step in range(5):
        value = top * step / 4
        y = TOP + plot_height - plot_height * step / 4
        parts.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" '
            f'stroke="{GRID}" stroke-width="1"/>'
        )
        parts.append(
            f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="12" '
            f'fill="{TEXT}">{escape(_number(value))}</text>'
        )
    parts.append(
        f'<text x="{LEFT}" y="{TOP - 24}" font-size="12" fill="{TEXT}">{escape(unit)}</text>'
    )
    count = max(len(categories), 1)
    group = plot_width / count
    bar = group * 0.8 / max(len(series), 1)
    every = math.ceil(count / MOST_LABELS)
    for index, category in enumerate(categories):
        x0 = LEFT + group * index + group * 0.1
        for number, one in enumerate(series):
            value = one.values[index] if index < len(one.values) else 0
            height = plot_height * value / top
            x = x0 + bar * number
            y = TOP + plot_height - height
            parts.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{max(bar - 1, 1):.1f}" '
                f'height="{height:.1f}" fill="{COLOURS[number % len(COLOURS)]}">'
                f"<title>{escape(category)}: {escape(_number(value))} {escape(one.name)}</title>"
                "</rect>"
            )
        if index % every == 0:
            cx = LEFT + group * index + group / 2
            cy = TOP + plot_height + 14
            parts.append(
                f'<text x="{cx:.1f}" y="{cy:.1f}" font-size="12" fill="{TEXT}" '
                f'text-anchor="end" transform="rotate(-35 {cx:.1f} {cy:.1f})">'
                f"{escape(category)}</text>"
            )
    if len(series) > 1:
        x = LEFT
        for number, one in enumerate(series):
            colour = COLOURS[number % len(COLOURS)]
            parts.append(
                f'<rect x="{x}" y="{TOP - 14}" width="12" height="12" fill="{colour}"/>'
                f'<text x="{x + 16}" y="{TOP - 4}" font-size="12" fill="{TEXT}">'
                f"{escape(one.name)}</text>"
            )
            x += 24 + 8 * len(one.name)
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 (every text above is escaped)
