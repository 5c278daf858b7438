"""Recording activity events, and turning them into the roll-ups dashboards read.

Modules call ``record_event``; nothing else writes events. ``refresh`` (a Celery beat
task, every minute) re-aggregates today, and the days since the last run, into
``DailyStat`` and ``InquiryFact``.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from tenant_apps.analytics import sql, visitors
from tenant_apps.analytics.models import DailyStat, Event, InquiryFact, RollupState, VisitorSalt

logger = logging.getLogger(__name__)

PASSIVE_KINDS = frozenset({Event.Kind.COMPANY_VIEW, Event.Kind.PRODUCT_VIEW, Event.Kind.SEARCH_IMPRESSION})
KINDS = frozenset(Event.Kind.values)
# Events of the last minutes before a run may still be in flight when it reads: the day
# before is re-aggregated once more during the first minutes after midnight.
LATE_EVENTS_GRACE = timedelta(minutes=10)
# Facts are refreshed for inquiries touched since the previous run, minus this margin.
INQUIRY_MARGIN = timedelta(minutes=5)
# The programme-wide ranking of products keeps each day's most viewed.
TOP_PRODUCTS_PER_DAY = 200
# Counting a million products takes half a second: products online are counted this often.
PRODUCTS_COUNT_INTERVAL = timedelta(minutes=10)


def _current_tenant():
    tenant = getattr(connection, "tenant", None)
    return tenant if tenant is not None and getattr(tenant, "schema_name", "public") != "public" else None


def _consented(request, tenant) -> bool:
    from shared_apps.privacy.consent import read_consent
    from shared_apps.privacy.policy import privacy_settings

    if not privacy_settings(tenant).analytics_requires_consent:
        return True
    state = getattr(request, "consent", None) or read_consent(request)
    return bool(state.analytics)


def _who(request, user, tenant, now, kind) -> tuple[object, str, str] | None:
    """The user, visitor hash and country a request gives its events; None for a bot's view."""
    visitor, country = "", ""
    if request is not None:
        # Only passive views are filtered for bots: a member's deliberate action (an
        # inquiry, a message, a revealed contact) is an interaction whatever sent it.
        if kind in PASSIVE_KINDS and visitors.is_bot(request):
            return None
        if user is None and request.user.is_authenticated:
            user = request.user
        ip_address = visitors.request_ip(request)
        country = visitors.country_of(ip_address)
        if _consented(request, tenant):
            identity = visitors.identity_of(request, user, ip_address)
            visitor = visitors.visitor_hash(day=timezone.localdate(now), identity=identity)
    return user, visitor, country


def _write(events: list[Event]) -> None:
    if len(events) == 1:
        events[0].save(force_insert=True)
    else:
        Event.objects.bulk_create(events)


def _insert(events: list[Event], *, tenant, kind: str) -> bool:
    try:
        if connection.in_atomic_block:
            # A savepoint, so a failed insert does not break the caller's transaction.
            with transaction.atomic():
                _write(events)
        else:
            _write(events)
    except DatabaseError:
        logger.exception("analytics event not recorded", extra={"tenant": tenant.schema_name, "kind": kind})
        return False
    return True


def record_event(
    kind: str,
    *,
    request=None,
    company_id: int | None = None,
    product_id: int | None = None,
    inquiry_id: int | None = None,
    user=None,
    value: int | None = None,
    metadata: dict | None = None,
) -> Event | None:
    """Record one event of ``kind`` (an ``Event.Kind``) about a company, product or inquiry.

    ``request`` (when given) supplies the signed-in user, the visitor's country and
    daily hash. Returns None, having written nothing, when the programme does not use
    the analytics module or the request comes from a bot. Where the programme asks for
    consent and the visitor has not accepted audience measurement, the event is kept
    without a visitor hash (it counts as a view, not as a visitor). Never raises on a
    database error: a page must not fail because its visit could not be counted.
    """
    events = record_events(kind, request=request, user=user, items=[{
        "company_id": company_id, "product_id": product_id, "inquiry_id": inquiry_id, "value": value,
        "metadata": metadata,
    }])
    return events[0] if events else None


def record_events(kind: str, *, items: Iterable[dict], request=None, user=None) -> list[Event]:
    """Record several events of ``kind`` seen by the same request in one ``INSERT``.

    Each item holds the fields of one event (``company_id``, ``product_id``,
    ``inquiry_id``, ``value``, ``metadata``). Bots, the module switch, consent and the
    visitor hash are handled exactly as by ``record_event``, once for all the items.
    Returns the events written: none for a bot, without the module, or on a database
    error (logged, never raised).
    """
    if kind not in KINDS:
        raise ValueError(f"Unknown analytics event kind: {kind!r}")
    items = list(items)
    tenant = _current_tenant()
    if not items or tenant is None or not tenant.has_module("analytics"):
        return []
    now = timezone.now()
    who = _who(request, user, tenant, now, kind)
    if who is None:
        return []
    user, visitor, country = who
    user_id = user.pk if user is not None and user.pk is not None else None
    events = [
        Event(kind=kind, occurred_at=now, company_id=item.get("company_id"), product_id=item.get("product_id"),
              inquiry_id=item.get("inquiry_id"), user_id=user_id, visitor=visitor, country=country,
              value=item.get("value"), metadata=item.get("metadata") or {})
        for item in items
    ]
    return events if _insert(events, tenant=tenant, kind=kind) else []


# --- Roll-ups ---------------------------------------------------------------------------------

def day_bounds(day: date) -> tuple[datetime, datetime]:
    """The instants a local day starts and ends (the programme's TIME_ZONE)."""
    zone = timezone.get_current_timezone()
    return (timezone.make_aware(datetime.combine(day, time.min), zone),
            timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min), zone))


def rollup_day(day: date, *, until: datetime | None = None) -> int:
    """Re-count ``day`` from the raw events (before ``until``), replacing its rows. Idempotent.

    Returns the number of roll-up rows written. Call inside ``transaction.atomic``.
    """
    start, end = day_bounds(day)
    if until is not None:
        end = min(end, until)
    DailyStat.objects.filter(day=day, scope__lt=DailyStat.Scope.COMPANY_MONTH_TOTALS).delete()
    if end <= start:
        return 0
    with connection.cursor() as cursor:
        cursor.execute(sql.ROLLUP_DAY, {"day": day, "start": start, "end": end, "top": TOP_PRODUCTS_PER_DAY})
        return cursor.rowcount


def rollup_month(month: date) -> int:
    """Re-sum ``month``'s per-company page views from its days (scope 8). Idempotent."""
    next_month = (month.replace(day=28) + timedelta(days=4)).replace(day=1)
    DailyStat.objects.filter(scope=DailyStat.Scope.COMPANY_MONTH_TOTALS, day=month).delete()
    with connection.cursor() as cursor:
        cursor.execute(sql.ROLLUP_MONTH, {"month": month, "next_month": next_month})
        return cursor.rowcount


def count_products_online(day: date) -> int:
    """Snapshot the published products of each supported company under ``day`` (scope 9)."""
    DailyStat.objects.filter(scope=DailyStat.Scope.PRODUCTS_ONLINE, day=day).delete()
    with connection.cursor() as cursor:
        cursor.execute(sql.PRODUCTS_ONLINE, {"day": day})
        return cursor.rowcount


def refresh_inquiry_facts(*, since: datetime | None, until: datetime) -> int:
    """Rebuild the facts of the inquiries with events in [since, until); all of them when ``since`` is None."""
    with connection.cursor() as cursor:
        if since is None:
            cursor.execute(sql.ALL_INQUIRIES)
        else:
            cursor.execute(sql.INQUIRIES_TOUCHED, {"since": since, "until": until})
        ids = [row[0] for row in cursor.fetchall()]
        if not ids:
            return 0
        cursor.execute(sql.REFRESH_INQUIRIES, {"ids": ids, "statuses": list(InquiryFact.Status.values)})
        return cursor.rowcount


@dataclass(frozen=True)
class RefreshResult:
    days: tuple[date, ...]
    rows: int
    inquiries: int
    until: datetime


def refresh(*, now: datetime | None = None, full: bool = False) -> RefreshResult:
    """Bring the roll-ups of the current schema up to ``now``.

    Re-aggregates today, every day since the previous run (all days with events on the
    first run or when ``full``), and yesterday again just after midnight; refreshes the
    facts of inquiries touched since the previous run. Dashboards add the events after
    ``RollupState.rolled_up_until`` themselves, so they are live between two runs.
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(sql.LOCK)
        state, _created = RollupState.objects.select_for_update().get_or_create(pk=1)
        previous = None if full else state.rolled_up_until
        if previous is None:
            first = Event.objects.order_by("occurred_at").values_list("occurred_at", flat=True).first()
            start_day = timezone.localdate(first) if first is not None else today
        else:
            start_day = min(timezone.localdate(previous), today)
            if now - day_bounds(today)[0] < LATE_EVENTS_GRACE:
                start_day = min(start_day, today - timedelta(days=1))
        days = tuple(start_day + timedelta(days=n) for n in range((today - start_day).days + 1))
        rows = sum(rollup_day(day, until=now) for day in days)
        rows += sum(rollup_month(month) for month in sorted({day.replace(day=1) for day in days}))
        inquiries = refresh_inquiry_facts(since=None if previous is None else previous - INQUIRY_MARGIN, until=now)
        if full or state.products_counted_at is None or now - state.products_counted_at >= PRODUCTS_COUNT_INTERVAL:
            rows += count_products_online(today)
            DailyStat.objects.filter(scope=DailyStat.Scope.PRODUCTS_ONLINE, day__lt=today - timedelta(days=400)).delete()
            state.products_counted_at = now
        state.rolled_up_until = now
        state.save(update_fields=["rolled_up_until", "products_counted_at", "updated_at"])
        VisitorSalt.objects.filter(day__lt=today - timedelta(days=1)).delete()
    return RefreshResult(days=days, rows=rows, inquiries=inquiries, until=now)


# --- Monthly reports ----------------------------------------------------------------------------------

def report_file_name(*, month: date, company=None, extension: str) -> str:
    from django.utils.text import slugify

    subject = "programme" if company is None else (slugify(company.name)[:40] or f"company-{company.pk}")
    return f"activity-{subject}-{month:%Y-%m}.{extension}"


def _report_files(report, *, language: str, month: date, company=None) -> list[tuple[str, bytes, str]]:
    from django.utils import translation

    from tenant_apps.analytics import reports

    with translation.override(language):
        return [
            (report_file_name(month=month, company=company, extension="pdf"), reports.render_pdf(report, language=language),
             "application/pdf"),
            (report_file_name(month=month, company=company, extension="csv"), reports.render_csv(report), "text/csv"),
        ]


def send_monthly_reports(*, tenant, month: date, company_ids: list[int] | None = None, include_agency: bool = True) -> int:
    """E-mail ``month``'s reports: each supported company's to its representatives, the agency's to
    the tenant admins, in each person's language, with the PDF and CSV attached.

    Idempotent: a person gets a month's report once (``ReportDelivery``); returns e-mails queued.
    """
    from platform_core.mail import recipient_language, send_branded_mail
    from shared_apps.accounts.models import Membership
    from shared_apps.accounts.permissions import can
    from tenant_apps.analytics import reports
    from tenant_apps.analytics.models import ReportDelivery
    from tenant_apps.catalogue.models import SupportedCompany
    from tenant_apps.directory.models import Representative
    from tenants import catalog

    already = set(ReportDelivery.objects.filter(month=month).values_list("company_id", "user_id"))
    sent = 0
    supported = SupportedCompany.objects.select_related("company")
    if company_ids is not None:
        supported = supported.filter(company_id__in=company_ids)
    for support in supported:
        company = support.company
        representatives = [rep.user for rep in Representative.objects.filter(company=company).select_related("user")]
        recipients = [user for user in representatives if user.is_active and (company.pk, user.pk) not in already
                      and can(user, "analytics.view_own", tenant=tenant)]
        if not recipients:
            continue
        report = reports.company_report(company, month, tenant=tenant)
        files: dict[str, list] = {}
        for user in recipients:
            language = recipient_language(user, tenant)
            if language not in files:
                files[language] = _report_files(report, language=language, month=month, company=company)
            link = tenant.url(f"/analytics/companies/{company.pk}/")
            send_branded_mail(tenant=tenant, to=user.email, template="analytics/email/company_report",
                              context={"user": user, "company": company.name, "month": month, "link": link,
                                       "figures": report.month_activity}, language=language, attachments=files[language])
            ReportDelivery.objects.create(month=month, company_id=company.pk, user_id=user.pk)
            sent += 1
    if include_agency:
        admins = [m.user for m in Membership.objects.for_tenant(tenant).filter(role=catalog.TENANT_ADMIN).select_related("user")
                  if m.user.is_active and (None, m.user_id) not in already]
        if admins:
            report = reports.programme_report(month, tenant=tenant)
            files = {}
            for user in admins:
                language = recipient_language(user, tenant)
                if language not in files:
                    files[language] = _report_files(report, language=language, month=month)
                send_branded_mail(tenant=tenant, to=user.email, template="analytics/email/programme_report",
                                  context={"user": user, "month": month, "link": tenant.url("/analytics/programme/"),
                                           "figures": report.month_activity}, language=language, attachments=files[language])
                ReportDelivery.objects.create(month=month, company_id=None, user_id=user.pk)
                sent += 1
    logger.info("monthly activity reports sent", extra={"tenant": tenant.schema_name, "month": f"{month:%Y-%m}", "sent": sent})
    return sent
