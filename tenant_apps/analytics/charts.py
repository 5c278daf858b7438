"""Server-drawn bar charts: geometry computed here, drawn as SVG by a template, each with a data table.

Long periods are grouped by week or month so every bar stays wide enough to see.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.utils import formats
from django.utils.translation import gettext as _

from tenant_apps.analytics.selectors import DayPoint

WIDTH, HEIGHT = 640, 220
LEFT, BOTTOM, TOP = 48, 28, 12


@dataclass
class Bucket:
    start: date
    end: date
    label: str
    views: int = 0
    visitors: int = 0
    inquiries: int = 0


@dataclass
class Bar:
    x: float
    y: float
    width: float
    height: float
    title: str


@dataclass
class Chart:
    id: str
    title: str
    description: str
    bars: list[Bar]
    ticks: list[tuple[float, str]]
    labels: list[tuple[float, str, str]]
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    baseline: float = HEIGHT - BOTTOM


def buckets(series: list[DayPoint]) -> tuple[str, list[Bucket]]:
    """The series by day (up to 62 days), by week (up to a year) or by month."""
    if not series:
        return "day", []
    days = len(series)
    unit = "day" if days <= 62 else "week" if days <= 371 else "month"
    grouped: dict[date, Bucket] = {}
    for point in series:
        if unit == "day":
            key, end = point.day, point.day
        elif unit == "week":
            key = point.day - timedelta(days=point.day.weekday())
            end = key + timedelta(days=6)
        else:
            key = point.day.replace(day=1)
            end = (key.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
        bucket = grouped.get(key)
        if bucket is None:
            bucket = grouped[key] = Bucket(start=max(key, series[0].day), end=min(end, series[-1].day), label=_label(unit, key))
        bucket.views += point.views
        bucket.visitors += point.visitors
        bucket.inquiries += point.inquiries
    return unit, list(grouped.values())


def _label(unit: str, day: date) -> str:
    if unit == "month":
        return formats.date_format(day, "YEAR_MONTH_FORMAT")
    if unit == "week":
        return _("week of %(date)s") % {"date": formats.date_format(day, "SHORT_DATE_FORMAT")}
    return formats.date_format(day, "SHORT_DATE_FORMAT")


def _nice_max(value: int) -> int:
    if value <= 4:
        return 4
    magnitude = 10 ** (len(str(value)) - 1)
    for step in (1, 2, 2.5, 5, 10):
        top = int(step * magnitude)
        if top >= value:
            return top
    return value


def bar_chart(*, chart_id: str, title: str, description: str, values: list[tuple[str, int]]) -> Chart:
    top = _nice_max(max((v for _label, v in values), default=0))
    plot_width = WIDTH - LEFT - 8
    plot_height = HEIGHT - BOTTOM - TOP
    slot = plot_width / max(len(values), 1)
    gap = min(slot * 0.2, 6)
    bars = []
    for index, (label, value) in enumerate(values):
        height = plot_height * value / top
        bars.append(Bar(x=round(LEFT + index * slot + gap / 2, 2), y=round(HEIGHT - BOTTOM - height, 2),
                        width=round(max(slot - gap, 1), 2), height=round(height, 2), title=f"{label}: {value}"))
    ticks = [(round(HEIGHT - BOTTOM - plot_height * fraction, 2), formats.number_format(int(top * fraction), force_grouping=True))
             for fraction in (0, 0.5, 1)]
    labels = []
    if values:
        labels.append((LEFT, values[0][0], "start"))
        if len(values) > 2:
            labels.append((round(LEFT + (len(values) // 2 + 0.5) * slot, 2), values[len(values) // 2][0], "middle"))
        if len(values) > 1:
            labels.append((WIDTH - 8, values[-1][0], "end"))
    return Chart(id=chart_id, title=title, description=description, bars=bars, ticks=ticks, labels=labels)
