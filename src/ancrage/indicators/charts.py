"""Small SVG bar charts drawn on the server: no JavaScript, readable without colour (the current year
is dark and solid, the previous one light), and always shown with the table of their figures."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from django.utils.safestring import SafeString, mark_safe

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

    @property
    def table_body(self) -> SafeString:
        """The rows of the chart's data table, as text with every word escaped (the dashboard's
        thirty tables of twelve months were a thousand template nodes)."""
        return mark_safe(  # noqa: S308 — every word is escaped
            "".join(
                f'<tr><th scope="row" class="fw-normal">{escape(label)}</th>'
                + "".join(f'<td class="text-end">{escape(value)}</td>' for value in values)
                + "</tr>"
                for label, values in self.rows
            )
        )


def bar_chart(title: str, labels: list[str], series, unit: str) -> Chart:
    """``series``: ``[(name, [value or None per label]), …]``; the first is drawn dark."""
    values = [v for _, points in series for v in points if v is not None]
    top = max(values, default=0) or 1
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    group_w = plot_w / max(len(labels), 1)
    bar_w = group_w * 0.8 / max(len(series), 1)
    # Built as text with each word escaped (html.escape, as Django's escape): format_html on every
    # bar of the dashboard's thirty charts was a third of the page's time (issue 23).
    parts = [
        f'<svg viewBox="0 0 {WIDTH} {HEIGHT}" width="100%" role="img" '
        f'aria-label="{escape(title)}, par mois ; les chiffres sont dans le tableau qui suit." '
        'xmlns="http://www.w3.org/2000/svg" class="anc-chart">'
    ]
    # Whole euros on the axis: « 1 194 € » fits the margin, « 1 193,50 € » does not.
    top_label = (
        format_number(round(top), Unit.EVENTS) + " €"
        if unit == Unit.EUROS
        else format_number(top, unit)
    )
    parts.append(
        f'<line x1="{LEFT}" y1="{TOP + plot_h}" x2="{WIDTH - RIGHT}" y2="{TOP + plot_h}" '
        f'stroke="#666"/><text x="{LEFT - 4}" y="{TOP + 10}" text-anchor="end" font-size="11" '
        f'fill="#333">{escape(top_label)}</text><text x="{LEFT - 4}" y="{TOP + plot_h}" '
        'text-anchor="end" font-size="11" fill="#333">0</text>'
    )
    for index, (name, points) in enumerate(series):
        colour = COLOURS[index % len(COLOURS)]
        for position, value in enumerate(points):
            if not value:
                continue
            height = plot_h * value / top
            x = LEFT + position * group_w + group_w * 0.1 + index * bar_w
            tip = escape(f"{labels[position]} {name} : {format_number(value, unit)}")
            parts.append(
                f'<rect x="{x:.1f}" y="{TOP + plot_h - height:.1f}" width="{bar_w:.1f}" '
                f'height="{height:.1f}" fill="{colour}"><title>{tip}</title></rect>'
            )
    for i, label in enumerate(labels):
        parts.append(
            f'<text x="{LEFT + (i + 0.5) * group_w:.1f}" y="{HEIGHT - 10}" text-anchor="middle" '
            f'font-size="11" fill="#333">{escape(label.split(" ")[0])}</text>'
        )
    for i, (name, _) in enumerate(series):
        parts.append(
            f'<rect x="{WIDTH - 150 + i * 70}" y="2" width="10" height="10" '
            f'fill="{COLOURS[i % len(COLOURS)]}"/><text x="{WIDTH - 136 + i * 70}" y="11" '
            f'font-size="11" fill="#333">{escape(name)}</text>'
        )
    parts.append("</svg>")
    svg = mark_safe("".join(parts))  # noqa: S308 — every word above is escaped
    return Chart(
        svg,
        labels,
        [(name, [format_number(v, unit) for v in points]) for name, points in series],
    )
