"""Bar charts drawn on the server as SVG: no script, no third party, and a data table
beside each one carries the same figures for screen readers and keyboard users.

This module only computes the geometry; ``finance/_bar_chart.html`` draws it. Colours
have a contrast of 4.5:1 at least against white (WCAG 1.4.11 asks 3:1 for graphics).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from shared_apps.finance.money import exponent, to_major

WIDTH, HEIGHT = 640, 300
LEFT, RIGHT, TOP, BOTTOM = 76, 12, 16, 44
COLOURS = ("#1d4ed8", "#9a3412", "#166534")


@dataclass
class Bar:
    x: float
    y: float
    width: float
    height: float
    colour: str
    label: str


@dataclass
class Tick:
    y: float
    label: str


@dataclass
class Category:
    x: float
    label: str


@dataclass
class Series:
    name: str
    values: list[int]
    colour: str = ""


@dataclass
class BarChart:
    id: str
    title: str
    description: str
    width: int = WIDTH
    height: int = HEIGHT
    bars: list[Bar] = field(default_factory=list)
    ticks: list[Tick] = field(default_factory=list)
    categories: list[Category] = field(default_factory=list)
    series: list[Series] = field(default_factory=list)
    zero_y: float = 0
    plot_left: int = LEFT
    plot_right: int = WIDTH - RIGHT


def _step(span: int) -> int:
    """A round step (1, 2 or 5 times a power of ten) giving about four intervals."""
    if span <= 0:
        return 1
    raw = span / 4
    power = 10 ** math.floor(math.log10(raw))
    for multiple in (1, 2, 5, 10):
        if multiple * power >= raw:
            return int(multiple * power) or 1
    return int(10 * power)


def _axis_label(value: int, currency: str, *, whole: bool = True) -> str:
    places = 0 if whole else exponent(currency)
    return number_format(to_major(value, currency), decimal_pos=places, use_l10n=True, force_grouping=True)


def bar_chart(*, chart_id: str, title: str, description: str, categories: list[str], series: list[Series],
              currency: str) -> BarChart:
    """Grouped bars, one group per category and one bar per series; negative values go below zero."""
    values = [value for line in series for value in line.values] or [0]
    top, bottom = max(max(values), 0), min(min(values), 0)
    step = _step(top - bottom)
    top = math.ceil(top / step) * step if top else 0
    bottom = math.floor(bottom / step) * step if bottom else 0
    if top == bottom:
        top = step
    plot_height = HEIGHT - TOP - BOTTOM
    plot_width = WIDTH - LEFT - RIGHT

    def y_of(value: int) -> float:
        return round(TOP + (top - value) * plot_height / (top - bottom), 2)

    chart = BarChart(id=chart_id, title=title, description=description, zero_y=y_of(0))
    for index, line in enumerate(series):
        line.colour = line.colour or COLOURS[index % len(COLOURS)]
    chart.series = series
    whole = step % (10 ** exponent(currency)) == 0
    chart.ticks = [Tick(y=y_of(value), label=_axis_label(value, currency, whole=whole))
                   for value in range(bottom, top + 1, step)]
    slot = plot_width / max(len(categories), 1)
    bar_width = min(slot * 0.7 / max(len(series), 1), 56)
    group_width = bar_width * max(len(series), 1)
    # Six labels at most along the axis, so they never overlap; the table has them all.
    every = max(1, math.ceil(len(categories) / 6))
    for position, label in enumerate(categories):
        left = LEFT + position * slot + (slot - group_width) / 2
        if position % every == 0:
            chart.categories.append(Category(x=round(LEFT + position * slot + slot / 2, 2), label=label))
        for index, line in enumerate(series):
            value = line.values[position] if position < len(line.values) else 0
            y = y_of(max(value, 0))
            chart.bars.append(Bar(x=round(left + index * bar_width, 2), y=y, width=round(bar_width, 2),
                                  height=round(abs(y_of(value) - y_of(0)), 2), colour=line.colour,
                                  label=_("%(category)s, %(series)s: %(amount)s %(currency)s") % {
                                      "category": label, "series": line.name,
                                      "amount": _axis_label(value, currency, whole=False), "currency": currency}))
    return chart
