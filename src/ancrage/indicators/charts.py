"""Small SVG bar charts drawn on the server: no JavaScript, readable without colour (the current year
is dark and solid, the previous one light), and always shown with the table of their figures."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from ancrage.indicators.enums import Unit
from ancrage.indicators.queries import format_number

WIDTH, HEIGHT = 640, 200
LEFT, RIGHT, TOP, BOTTOM = 48, 8, 24, 28
COLOURS = ("#1f4e79", "#a9c4e0")


@dataclass
class Chart:
    svg: SafeString
    labels: list[str]
    series: list[tuple[str, list[str]]]  # name, formatted values (for the data table)

    @property
    def rows(self) -> list[tuple[str, list[str]]]:
        return [
            (label, [values[i] for _, values in self.series]) for i, label in enumerate(self.labels)
        ]


def bar_chart(title: str, labels: list[str], series, unit: str) -> Chart:
    """``series``: ``[(name, [value or None per label]), …]``; the first is drawn dark."""
    values = [v for _, points in series for v in points if v is not None]
    top = max(values, default=0) or 1
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    group_w = plot_w / max(len(labels), 1)
    bar_w = group_w * 0.8 / max(len(series), 1)
    bars = []
    for index, (name, points) in enumerate(series):
        for position, value in enumerate(points):
            if not value:
                continue
            height = plot_h * value / top
            x = LEFT + position * group_w + group_w * 0.1 + index * bar_w
            bars.append(
                (
                    f"{x:.1f}",
                    f"{TOP + plot_h - height:.1f}",
                    f"{bar_w:.1f}",
                    f"{height:.1f}",
                    COLOURS[index % len(COLOURS)],
                    f"{labels[position]} {name} : {format_number(value, unit)}",
                )
            )
    ticks = format_html_join(
        "",
        '<text x="{}" y="{}" text-anchor="middle" font-size="11" fill="#333">{}</text>',
        (
            (f"{LEFT + (i + 0.5) * group_w:.1f}", HEIGHT - 10, label.split(" ")[0])
            for i, label in enumerate(labels)
        ),
    )
    rects = format_html_join(
        "",
        '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"><title>{}</title></rect>',
        bars,
    )
    legend = format_html_join(
        "",
        '<rect x="{}" y="2" width="10" height="10" fill="{}"/>'
        '<text x="{}" y="11" font-size="11" fill="#333">{}</text>',
        (
            (WIDTH - 150 + i * 70, COLOURS[i % len(COLOURS)], WIDTH - 136 + i * 70, name)
            for i, (name, _) in enumerate(series)
        ),
    )
    axis = format_html(
        '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#666"/>'
        '<text x="{}" y="{}" text-anchor="end" font-size="11" fill="#333">{}</text>'
        '<text x="{}" y="{}" text-anchor="end" font-size="11" fill="#333">0</text>',
        LEFT,
        TOP + plot_h,
        WIDTH - RIGHT,
        TOP + plot_h,
        LEFT - 4,
        TOP + 10,
        # Whole euros on the axis: « 1 194 € » fits the margin, « 1 193,50 € » does not.
        format_number(round(top), Unit.EVENTS) + " €"
        if unit == Unit.EUROS
        else format_number(top, unit),
        LEFT - 4,
        TOP + plot_h,
    )
    svg = format_html(
        '<svg viewBox="0 0 {} {}" width="100%" role="img" aria-label="{}" '
        'xmlns="http://www.w3.org/2000/svg" class="anc-chart">{}{}{}{}</svg>',
        WIDTH,
        HEIGHT,
        f"{title}, par mois ; les chiffres sont dans le tableau qui suit.",
        axis,
        rects,
        ticks,
        legend,
    )
    return Chart(
        svg,
        labels,
        [(name, [format_number(v, unit) for v in points]) for name, points in series],
    )
