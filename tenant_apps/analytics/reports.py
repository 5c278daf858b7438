"""Monthly activity reports (B-REP, B-ENG): the figures, as a tagged PDF and as CSV.

A company's report covers the month and everything since the programme started; the
agency's adds the engagement table and its KPI targets. The PDF is text only (no
chart), with tagged headings, paragraphs and a document outline, in the reader's
language, so a screen reader can follow it.
"""

from __future__ import annotations

import csv
import io
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from fpdf import FPDF
from fpdf.enums import XPos, YPos

from tenant_apps.analytics import kpis, selectors
from tenant_apps.analytics.selectors import Activity, Period

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise(cell):
    """Text from users (names, titles) must not run as a formula in a spreadsheet (CSV injection)."""
    if isinstance(cell, str) and cell.startswith(FORMULA_PREFIXES):
        return "'" + cell
    return cell


def parse_month(value: str) -> date:
    """"2026-10" → 1 October 2026; ValueError for anything else."""
    year, month = value.strip().split("-")
    if len(year) != 4 or len(month) != 2:
        raise ValueError(value)
    return date(int(year), int(month), 1)


def previous_month(today: date | None = None) -> date:
    today = today or timezone.localdate()
    return (today.replace(day=1) - timedelta(days=1)).replace(day=1)


def month_period(month: date, *, today: date | None = None) -> Period:
    today = today or timezone.localdate()
    last = (month.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
    return Period(month, min(last, max(today, month)))


def available_months(start: date, *, today: date | None = None) -> list[date]:
    """Months with a report, newest first: from the programme's start to the current month."""
    today = today or timezone.localdate()
    months, month = [], today.replace(day=1)
    while month >= start.replace(day=1) and len(months) < 120:
        months.append(month)
        month = (month - timedelta(days=1)).replace(day=1)
    return months


@dataclass
class CompanyReport:
    programme: str
    company_id: int
    company: str
    month: date
    month_activity: Activity
    since_start: Activity
    generated_at: datetime = field(default_factory=timezone.now)


@dataclass
class ProgrammeReport:
    programme: str
    month: date
    month_activity: Activity
    since_start: Activity
    engagement: list[selectors.EngagementRow]
    kpis: list[kpis.KpiResult]
    generated_at: datetime = field(default_factory=timezone.now)


def company_report(company, month: date, *, tenant) -> CompanyReport:
    period = month_period(month)
    since = Period(min(selectors.programme_start(tenant), period.start), period.end)
    return CompanyReport(programme=tenant.name, company_id=company.pk, company=company.name, month=month,
                         month_activity=selectors.company_activity(company.pk, period),
                         since_start=selectors.company_activity(company.pk, since))


def programme_report(month: date, *, tenant) -> ProgrammeReport:
    period = month_period(month)
    since = Period(min(selectors.programme_start(tenant), period.start), period.end)
    activity = selectors.programme_activity(period)
    return ProgrammeReport(
        programme=tenant.name, month=month, month_activity=activity, since_start=selectors.programme_activity(since),
        engagement=selectors.engagement(period, tenant=tenant, sort="name"),
        kpis=kpis.evaluate(tenant.kpis or [], activity, products=selectors.products_online()),
    )


# --- What both formats say -------------------------------------------------------------------------

def _number(value) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return formats.number_format(value, decimal_pos=1, force_grouping=True)
    return formats.number_format(value, force_grouping=True)


def duration(seconds: float | None) -> str:
    if seconds is None:
        return "—"
    hours = seconds / 3600
    if hours < 1:
        return _("%(minutes)s min") % {"minutes": max(1, round(seconds / 60))}
    if hours < 48:
        return _("%(hours)s h") % {"hours": formats.number_format(hours, decimal_pos=1)}
    return _("%(days)s days") % {"days": formats.number_format(hours / 24, decimal_pos=1)}


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{formats.number_format(value, decimal_pos=0)} %"


def figures(activity: Activity) -> list[tuple[str, str]]:
    return [
        (_("Page views"), _number(activity.views)),
        (_("Unique visitors (counted per day)"), _number(activity.visitors)),
        (_("Shown in search results"), _number(activity.impressions)),
        (_("Contact details revealed"), _number(activity.contact_reveals)),
        (_("Inquiries received"), _number(activity.inquiries_received)),
        (_("Inquiries answered"), _number(activity.inquiries_answered)),
        (_("Response rate"), _percent(activity.response_rate)),
        (_("Answered within 48 hours"), _percent(activity.within_48h_rate)),
        (_("Median time to the first answer"), duration(activity.median_response_seconds)),
        (_("Quotations sent"), _number(activity.quotes)),
    ]


def _period_label(period: Period) -> str:
    return _("%(start)s to %(end)s") % {"start": formats.date_format(period.start, "DATE_FORMAT"),
                                        "end": formats.date_format(period.end, "DATE_FORMAT")}


def _sections(report) -> list[tuple[str, Activity]]:
    month = formats.date_format(report.month, "YEAR_MONTH_FORMAT")
    return [(month.capitalize(), report.month_activity),
            (_("Since the programme started"), report.since_start)]


# --- CSV -----------------------------------------------------------------------------------------------

def _csv_rows(report) -> list[list]:
    rows = []
    for title, activity in _sections(report):
        section = f"{title} ({_period_label(activity.period)})"
        rows += [[section, label, "", value] for label, value in figures(activity)]
        rows += [[section, _("Visitors by country"), c.name, c.visitors] for c in activity.countries]
        rows += [[section, _("Page views by country"), c.name, c.views] for c in activity.countries]
        rows += [[section, _("Inquiries by status"), label, n] for _value, label, n in activity.statuses]
        rows += [[section, _("Product views"), p.title, p.views] for p in activity.top_products]
        rows += [[section, _("Inquiries by product"), p.title, p.inquiries] for p in activity.top_products]
    if isinstance(report, ProgrammeReport):
        section = _("Engagement of the supported companies")
        for row in report.engagement:
            rows += [
                [section, _("Last sign-in"), row.name, row.last_sign_in.isoformat() if row.last_sign_in else ""],
                [section, _("Products online"), row.name, row.products_online],
                [section, _("Inquiries received"), row.name, row.inquiries_received],
                [section, _("Inquiries answered"), row.name, row.inquiries_answered],
                [section, _("Page views"), row.name, row.views],
            ]
        section = _("KPI targets")
        for result in report.kpis:
            rows.append([section, result.label, result.status_label,
                         "" if result.actual is None else round(result.actual, 2)])
    return rows


def render_csv(report) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([_("Section"), _("Measure"), _("Item"), _("Value")])
    for row in _csv_rows(report):
        writer.writerow([neutralise(cell) for cell in row])
    return buffer.getvalue().encode("utf-8-sig")


# --- PDF -----------------------------------------------------------------------------------------------

FONT_DIR = Path(getattr(settings, "REPORT_FONT_DIR", "/usr/share/fonts/truetype/dejavu"))


class TaggedPDF(FPDF):
    """An A4 document whose headings, paragraphs and rows are tagged for assistive technology."""

    def __init__(self, *, title: str, language: str, author: str):
        super().__init__(format="A4")
        self.set_lang(language)
        self.set_title(title)
        self.set_author(author)
        self.set_creator(settings.PLATFORM_NAME)
        self.set_auto_page_break(True, margin=18)
        self.set_margins(18, 18, 18)
        regular, bold = FONT_DIR / "DejaVuSans.ttf", FONT_DIR / "DejaVuSans-Bold.ttf"
        if regular.exists() and bold.exists():
            self.add_font("Report", "", str(regular))
            self.add_font("Report", "B", str(bold))
            self.family = "Report"
        else:  # Core fonts cover Latin-1 only; text is made to fit (see _text).
            self.family = "Helvetica"
        self.add_page()

    def _text(self, text: str) -> str:
        text = str(text)
        if self.family == "Helvetica":
            return text.encode("latin-1", "replace").decode("latin-1")
        return text

    @contextmanager
    def tagged(self, struct_type: str, *, height: float, title: str | None = None):
        if self.will_page_break(height):
            self.add_page()
        mcid = self.struct_builder.next_mcid_for_page(self.page)
        self._add_marked_content(struct_type=f"/{struct_type}", mcid=mcid, title=title)
        self._out(f"/{struct_type} <</MCID {mcid}>> BDC")
        yield
        self._out("EMC")

    def footer(self):
        self._out("/Artifact BMC")
        self.set_y(-12)
        self.set_font(self.family, "", 8)
        self.cell(0, 6, self._text(f"{self.title} · {self.page_no()}"), align="C")
        self._out("EMC")

    def heading(self, text: str, level: int = 1):
        size = {1: 18, 2: 14, 3: 12}[level]
        self.start_section(self._text(text), level=level - 1, strict=False)
        with self.tagged(f"H{level}", height=size * 0.9, title=text):
            self.set_font(self.family, "B", size)
            self.multi_cell(0, size * 0.5, self._text(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(2)

    def paragraph(self, text: str):
        self.set_font(self.family, "", 10)
        lines = len(self.multi_cell(0, 5, self._text(text), dry_run=True, output="LINES"))
        with self.tagged("P", height=5 * lines):
            self.multi_cell(0, 5, self._text(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(1)

    def rows(self, header: list[str], rows: list[list[str]], widths: list[float]):
        """A table drawn line by line; each line is one tagged paragraph that reads in order."""
        self.set_font(self.family, "B", 9)
        with self.tagged("P", height=6):
            for text, width in zip(header, widths, strict=True):
                self.cell(width, 6, self._fit(text, width), border="B")
            self.ln(6)
        self.set_font(self.family, "", 9)
        for row in rows:
            with self.tagged("P", height=5.5):
                for text, width in zip(row, widths, strict=True):
                    self.cell(width, 5.5, self._fit(str(text), width))
                self.ln(5.5)
        self.ln(2)

    def _fit(self, text: str, width: float) -> str:
        text = self._text(text)
        if self.get_string_width(text) <= width - 2:
            return text
        while text and self.get_string_width(text + "…") > width - 2:
            text = text[:-1]
        return text + "…"


def _activity_pdf(pdf: TaggedPDF, title: str, activity: Activity):
    pdf.heading(title, 2)
    pdf.paragraph(_period_label(activity.period))
    pdf.rows([_("Measure"), _("Value")], [[label, value] for label, value in figures(activity)], [120, 54])
    pdf.heading(_("Where visitors come from"), 3)
    if activity.countries:
        pdf.rows([_("Country"), _("Visitors"), _("Page views")],
                 [[c.name, _number(c.visitors), _number(c.views)] for c in activity.countries[:15]], [94, 40, 40])
    else:
        pdf.paragraph(_("No visit in this period."))
    pdf.heading(_("Inquiries by status"), 3)
    pdf.rows([_("Status"), _("Inquiries")], [[label, _number(n)] for _value, label, n in activity.statuses], [120, 54])
    pdf.heading(_("Most viewed products"), 3)
    if activity.top_products:
        pdf.rows([_("Product"), _("Views"), _("Inquiries")],
                 [[p.title, _number(p.views), _number(p.inquiries)] for p in activity.top_products], [114, 30, 30])
    else:
        pdf.paragraph(_("No product was viewed in this period."))


def render_pdf(report, *, language: str) -> bytes:
    month = formats.date_format(report.month, "YEAR_MONTH_FORMAT")
    if isinstance(report, CompanyReport):
        title = _("%(company)s — activity report, %(month)s") % {"company": report.company, "month": month}
    else:
        title = _("%(programme)s — programme report, %(month)s") % {"programme": report.programme, "month": month}
    pdf = TaggedPDF(title=title, language=language, author=report.programme)
    pdf.heading(title, 1)
    pdf.paragraph(_("Prepared by %(programme)s on %(date)s. Visitors are counted once a day each: someone who comes "
                    "back on three days counts three times. Figures come from the activity recorded on the platform.")
                  % {"programme": report.programme,
                     "date": formats.date_format(timezone.localtime(report.generated_at), "DATETIME_FORMAT")})
    for section_title, activity in _sections(report):
        _activity_pdf(pdf, section_title, activity)
    if isinstance(report, ProgrammeReport):
        pdf.heading(_("KPI targets"), 2)
        if report.kpis:
            pdf.rows([_("Indicator"), _("Target"), _("Measured"), _("Status")],
                     [[r.label, f"{_number(r.target)} {r.unit}", _number(r.actual), r.status_label] for r in report.kpis],
                     [76, 34, 34, 30])
        else:
            pdf.paragraph(_("The agency has not defined KPI targets yet."))
        pdf.heading(_("Engagement of the supported companies"), 2)
        pdf.rows(
            [_("Company"), _("Last sign-in"), _("Products"), _("Received"), _("Answered"), _("Views")],
            [[row.name, formats.date_format(timezone.localtime(row.last_sign_in), "SHORT_DATE_FORMAT") if row.last_sign_in else "—",
              _number(row.products_online), _number(row.inquiries_received), _number(row.inquiries_answered), _number(row.views)]
             for row in report.engagement],
            [62, 28, 20, 22, 22, 20],
        )
    return bytes(pdf.output())
