"""Reads for dashboards and reports: roll-ups for closed periods, raw events only since the last roll-up.

Every figure comes from the activity events (B-MON): views and visitors from the daily
roll-ups, inquiries from the per-inquiry facts. The events after the roll-up watermark
(a minute's worth when beat runs) are read and added, so a dashboard is live.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db.models import Aggregate, Avg, Count, FloatField, Max, Q, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_countries import countries as country_names

from tenant_apps.analytics.models import VIEW_KINDS, DailyStat, Event, InquiryFact, RollupState
from tenant_apps.analytics.services import day_bounds

K = Event.Kind
# More events than this after the watermark means beat has stopped: the rest waits for it.
LIVE_EVENTS_LIMIT = 20_000
TOP = 10
SECONDS_48H = 48 * 3600


class Median(Aggregate):
    function = "percentile_cont"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()


@dataclass(frozen=True)
class Period:
    start: date
    end: date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def bounds(self) -> tuple[datetime, datetime]:
        return day_bounds(self.start)[0], day_bounds(self.end)[1]

    def each_day(self):
        return (self.start + timedelta(days=n) for n in range(self.days))


@dataclass
class DayPoint:
    day: date
    views: int = 0
    visitors: int = 0
    inquiries: int = 0


@dataclass
class CountryRow:
    code: str
    name: str
    views: int
    visitors: int
    share: float = 0.0


@dataclass
class ProductRow:
    product_id: int
    title: str
    company: str
    url: str
    views: int
    inquiries: int = 0


@dataclass
class Activity:
    period: Period
    views: int = 0
    visitors: int = 0
    impressions: int = 0
    contact_reveals: int = 0
    inquiry_events: int = 0
    messages: int = 0
    quotes: int = 0
    series: list[DayPoint] = field(default_factory=list)
    countries: list[CountryRow] = field(default_factory=list)
    top_products: list[ProductRow] = field(default_factory=list)
    statuses: list[tuple[str, str, int]] = field(default_factory=list)
    inquiries_received: int = 0
    inquiries_answered: int = 0
    answered_within_48h: int = 0
    median_response_seconds: float | None = None
    average_response_seconds: float | None = None
    live_until: datetime | None = None

    @property
    def response_rate(self) -> float | None:
        return 100 * self.inquiries_answered / self.inquiries_received if self.inquiries_received else None

    @property
    def within_48h_rate(self) -> float | None:
        return 100 * self.answered_within_48h / self.inquiries_received if self.inquiries_received else None

    @property
    def median_response_hours(self) -> float | None:
        return None if self.median_response_seconds is None else self.median_response_seconds / 3600


def product_url(product_id: int) -> str:
    """The catalogue's public page of a product, from its id alone (rows here carry no Product)."""
    return reverse("catalogue:product-detail", kwargs={"pk": product_id})


def supported_company_ids():
    """The supported companies, as a subquery (no query of its own)."""
    from tenant_apps.catalogue.models import SupportedCompany

    return SupportedCompany.objects.values("company_id")


def programme_start(tenant) -> date:
    """When the programme began: its first supported company, or its creation."""
    from tenant_apps.catalogue.models import SupportedCompany

    first = SupportedCompany.objects.order_by("since").values_list("since", flat=True).first()
    created = timezone.localdate(tenant.created_at) if tenant.created_at else timezone.localdate()
    return min(first, created) if first else created


def company_activity(company_id: int, period: Period) -> Activity:
    return _activity(period, company_id=company_id)


def programme_activity(period: Period) -> Activity:
    return _activity(period, company_id=None)


def _activity(period: Period, *, company_id: int | None) -> Activity:
    activity = Activity(period=period, series=[DayPoint(day) for day in period.each_day()])
    by_day = {point.day: point for point in activity.series}
    if company_id is None:
        companies = Q(company_id__in=supported_company_ids())
        views_scope = Q(scope=DailyStat.Scope.PROGRAMME_VIEWS)
        kinds_scope = Q(scope=DailyStat.Scope.PROGRAMME_KINDS)
    else:
        companies = Q(company_id=company_id)
        views_scope = Q(scope=DailyStat.Scope.COMPANY_VIEWS, company_id=company_id)
        kinds_scope = Q(scope=DailyStat.Scope.COMPANY_KINDS, company_id=company_id)
    in_period = Q(day__gte=period.start, day__lte=period.end)

    for row in DailyStat.objects.filter(in_period, kinds_scope).values("day", "kind", "events"):
        _count_kind(activity, by_day[row["day"]], row["kind"], row["events"])
    per_country: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for row in DailyStat.objects.filter(in_period, views_scope).values("day", "country").annotate(
            views=Sum("events"), visitors=Sum("visitors")):
        by_day[row["day"]].visitors += row["visitors"]
        per_country[row["country"]][0] += row["views"]
        per_country[row["country"]][1] += row["visitors"]
    # The programme ranks its products from each day's most viewed (services.TOP_PRODUCTS_PER_DAY).
    products_scope = Q(scope=DailyStat.Scope.PROGRAMME_TOP_PRODUCTS) if company_id is None else Q(
        companies, scope=DailyStat.Scope.PRODUCT_VIEWS)
    product_views = Counter({row["product_id"]: row["views"] for row in DailyStat.objects.filter(
        in_period, products_scope,
    ).values("product_id").annotate(views=Sum("events")).order_by("-views", "product_id")[:TOP * 3]})

    start, end = period.bounds
    facts = InquiryFact.objects.filter(companies, received_at__gte=start, received_at__lt=end)
    statuses = Counter({row["status"]: row["n"] for row in facts.values("status").annotate(n=Count("id"))})
    figures = facts.aggregate(
        received=Count("id"), answered=Count("id", filter=Q(first_response_at__isnull=False)),
        within=Count("id", filter=Q(response_seconds__lte=SECONDS_48H)),
        median=Median("response_seconds"), average=Avg("response_seconds"),
    )
    activity.inquiries_received, activity.inquiries_answered = figures["received"], figures["answered"]
    activity.answered_within_48h = figures["within"]
    activity.median_response_seconds, activity.average_response_seconds = figures["median"], figures["average"]

    _add_live_events(activity, by_day, per_country, product_views, statuses, company_id=company_id, companies=companies)

    activity.views = sum(point.views for point in activity.series)
    activity.visitors = sum(point.visitors for point in activity.series)
    total_visitors = sum(visitors for _views, visitors in per_country.values()) or 1
    activity.countries = sorted(
        (CountryRow(code, str(country_names.name(code)) if code else _("Unknown"), views, visitors,
                    100 * visitors / total_visitors) for code, (views, visitors) in per_country.items()),
        key=lambda row: (-row.visitors, -row.views, row.name),
    )
    activity.statuses = [(value, str(label), statuses.get(value, 0)) for value, label in InquiryFact.Status.choices]
    activity.top_products = _top_products(product_views, start, end)
    return activity


def _count_kind(activity: Activity, point: DayPoint, kind: str, n: int) -> None:
    if kind in VIEW_KINDS:
        point.views += n
    elif kind == K.SEARCH_IMPRESSION:
        activity.impressions += n
    elif kind == K.CONTACT_REVEAL:
        activity.contact_reveals += n
    elif kind == K.INQUIRY:
        point.inquiries += n
        activity.inquiry_events += n
    elif kind == K.MESSAGE:
        activity.messages += n
    elif kind == K.QUOTE:
        activity.quotes += n


def _add_live_events(activity, by_day, per_country, product_views, statuses, *, company_id, companies) -> None:
    """Add the events the roll-ups do not have yet (after the watermark), visitors exactly."""
    start, end = activity.period.bounds
    until = RollupState.objects.values_list("rolled_up_until", flat=True).first()
    activity.live_until = min(timezone.now(), end)
    if until is not None and until >= end:
        return
    since = start if until is None else max(start, until)
    rows = list(Event.objects.filter(companies, occurred_at__gte=since, occurred_at__lt=end).values_list(
        "occurred_at", "kind", "product_id", "country", "visitor")[:LIVE_EVENTS_LIMIT])
    zone = timezone.get_current_timezone()
    fresh_visitors: dict[tuple[date, str], set[str]] = defaultdict(set)
    for occurred_at, kind, product_id, country, visitor in rows:
        day = occurred_at.astimezone(zone).date()
        point = by_day.get(day)
        if point is None:
            continue
        _count_kind(activity, point, kind, 1)
        if kind in VIEW_KINDS:
            per_country[country][0] += 1
            if visitor:
                fresh_visitors[(day, country)].add(visitor)
        if kind == K.PRODUCT_VIEW and product_id:
            product_views[product_id] += 1
        if kind == K.INQUIRY:
            activity.inquiries_received += 1
            statuses[InquiryFact.Status.NEW] += 1
    if fresh_visitors and until is not None:
        # Visitors already counted in the roll-ups of the watermark's day are not new.
        seen = set(Event.objects.filter(
            companies, kind__in=VIEW_KINDS, occurred_at__gte=day_bounds(timezone.localdate(until))[0], occurred_at__lt=until,
            visitor__in={v for group in fresh_visitors.values() for v in group},
        ).values_list("visitor", flat=True).distinct())
    else:
        seen = set()
    for (day, country), group in fresh_visitors.items():
        new = len(group - seen)
        by_day[day].visitors += new
        per_country[country][1] += new


def _top_products(product_views: Counter, start: datetime, end: datetime) -> list[ProductRow]:
    from tenant_apps.catalogue.models import Product

    top = product_views.most_common(TOP)
    if not top:
        return []
    ids = [product_id for product_id, _views in top]
    inquiries = dict(InquiryFact.objects.filter(product_id__in=ids, received_at__gte=start, received_at__lt=end)
                     .values("product_id").annotate(n=Count("id")).values_list("product_id", "n"))
    products = {row["pk"]: row for row in Product.objects.filter(pk__in=ids).values("pk", "title", "company__name")}
    rows = []
    for product_id, views in top:
        product = products.get(product_id)
        rows.append(ProductRow(
            product_id=product_id, title=product["title"] if product else _("Product no longer listed (#%(id)s)") % {"id": product_id},
            company=product["company__name"] if product else "", url=product_url(product_id) if product else "",
            views=views, inquiries=inquiries.get(product_id, 0),
        ))
    return rows


# --- The agency's engagement table (B-ENG) -------------------------------------------------------

@dataclass
class EngagementRow:
    company_id: int
    name: str
    since: date
    last_sign_in: datetime | None
    products_online: int
    inquiries_received: int
    inquiries_answered: int
    views: int
    visitors: int

    @property
    def response_rate(self) -> float | None:
        return 100 * self.inquiries_answered / self.inquiries_received if self.inquiries_received else None


SORT_KEYS = {
    "name": lambda row: row.name.casefold(),
    "last_sign_in": lambda row: row.last_sign_in or datetime.min.replace(tzinfo=timezone.get_current_timezone()),
    "products": lambda row: row.products_online,
    "received": lambda row: row.inquiries_received,
    "answered": lambda row: row.inquiries_answered,
    "rate": lambda row: -1 if row.response_rate is None else row.response_rate,
    "views": lambda row: row.views,
    "visitors": lambda row: row.visitors,
}


def engagement(period: Period, *, tenant, sort: str = "name") -> list[EngagementRow]:
    """One row per supported company over ``period``, in six queries whatever their number."""
    from shared_apps.audit.models import AuditEvent
    from tenant_apps.catalogue.models import SupportedCompany
    from tenant_apps.directory.models import Representative

    supported = list(SupportedCompany.objects.values_list("company_id", "company__name", "since"))
    _total, products = products_online()
    start, end = period.bounds
    inquiries = {row["company_id"]: row for row in InquiryFact.objects.filter(
        company_id__in=supported_company_ids(), received_at__gte=start, received_at__lt=end,
    ).values("company_id").annotate(received=Count("id"), answered=Count("id", filter=Q(first_response_at__isnull=False)))}
    views = {row["company_id"]: row for row in DailyStat.objects.filter(
        _days_and_months(period), company_id__in=supported_company_ids(),
    ).values("company_id").annotate(views=Sum("events"), visitors=Sum("visitors"))}
    representatives = defaultdict(list)
    for company_id, user_id in Representative.objects.filter(company_id__in=supported_company_ids()).values_list("company_id", "user_id"):
        representatives[company_id].append(user_id)
    # Sign-ins on this programme's host only (the audit log), not on other programmes.
    signed_in = dict(AuditEvent.objects.for_tenant(tenant).filter(
        action="session.signed_in", actor_id__in=[u for users in representatives.values() for u in users],
    ).values("actor_id").annotate(last=Max("created_at")).values_list("actor_id", "last"))
    rows = [
        EngagementRow(
            company_id=company_id, name=name, since=since,
            last_sign_in=max((signed_in[u] for u in representatives[company_id] if u in signed_in), default=None),
            products_online=products.get(company_id, 0),
            inquiries_received=inquiries.get(company_id, {}).get("received", 0),
            inquiries_answered=inquiries.get(company_id, {}).get("answered", 0),
            views=views.get(company_id, {}).get("views", 0) or 0,
            visitors=views.get(company_id, {}).get("visitors", 0) or 0,
        )
        for company_id, name, since in supported
    ]
    key = sort.lstrip("-")
    rows.sort(key=lambda row: (SORT_KEYS.get(key, SORT_KEYS["name"])(row), row.name.casefold()), reverse=sort.startswith("-"))
    return rows


def _month_end(month: date) -> date:
    return (month.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)


def _days_and_months(period: Period) -> Q:
    """Per-company page-view rows covering ``period``: whole months from the monthly sums, the rest by day."""
    first = period.start if period.start.day == 1 else _month_end(period.start) + timedelta(days=1)
    months = []
    while first <= period.end and _month_end(first) <= period.end:
        months.append(first)
        first = _month_end(first) + timedelta(days=1)
    days = Q(scope=DailyStat.Scope.COMPANY_TOTALS)
    if not months:
        return days & Q(day__gte=period.start, day__lte=period.end)
    edges = Q(day__gte=period.start, day__lt=months[0]) | Q(day__gt=_month_end(months[-1]), day__lte=period.end)
    return (days & edges) | Q(scope=DailyStat.Scope.COMPANY_MONTH_TOTALS, day__in=months)


def products_online() -> tuple[int, dict[int, int]]:
    """Published products of supported companies, the total and per company, as last counted by the roll-up
    (every ten minutes); counted now when the roll-up never has."""
    from django.db.models import Subquery

    from tenant_apps.catalogue.models import Product

    latest = DailyStat.objects.filter(scope=DailyStat.Scope.PRODUCTS_ONLINE).order_by("-day").values("day")[:1]
    per_company = dict(DailyStat.objects.filter(scope=DailyStat.Scope.PRODUCTS_ONLINE, day=Subquery(latest))
                       .values_list("company_id", "events"))
    if not per_company:
        per_company = dict(Product.objects.filter(company_id__in=supported_company_ids(), status=Product.Status.PUBLISHED)
                           .values("company_id").annotate(n=Count("id")).values_list("company_id", "n"))
    return sum(per_company.values()), per_company


def within_hours(period: Period, hours: float) -> int:
    start, end = period.bounds
    return InquiryFact.objects.filter(company_id__in=supported_company_ids(), received_at__gte=start, received_at__lt=end,
                                      response_seconds__lte=hours * 3600).count()
