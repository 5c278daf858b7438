"""Roll-ups: exact per day, idempotent, refreshed by beat; inquiry facts from events."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from tenant_apps.analytics import services, tasks
from tenant_apps.analytics.models import DailyStat, Event, InquiryFact, RollupState, VisitorSalt
from tenants import services as tenant_services
from tests.tenant_apps.analytics.conftest import event, local, make_company, make_product

K = Event.Kind


def _rows():
    return sorted(DailyStat.objects.filter(scope__lt=DailyStat.Scope.COMPANY_MONTH_TOTALS).values_list("day", "scope", "company_id", "product_id", "kind", "country", "events", "visitors"),
                  key=str)


def test_a_day_is_counted_per_company_product_kind_and_country_with_exact_visitors(in_beta):
    day = timezone.localdate() - timedelta(days=3)
    company = make_company()
    unsupported = make_company(name="Hors programme", supported=False)
    product = make_product(company)
    # One visitor sees the company page and the product twice: one visitor, three views.
    for kind, product_id in ((K.COMPANY_VIEW, None), (K.PRODUCT_VIEW, product.pk), (K.PRODUCT_VIEW, product.pk)):
        event(kind, at=local(day, 9), visitor="alice", company_id=company.pk, product_id=product_id)
    event(K.PRODUCT_VIEW, at=local(day, 10), visitor="bob", country="DE", company_id=company.pk, product_id=product.pk)
    event(K.COMPANY_VIEW, at=local(day, 11), visitor="", company_id=company.pk)  # refused measurement
    event(K.COMPANY_VIEW, at=local(day, 12), visitor="carol", company_id=unsupported.pk)
    event(K.SEARCH_IMPRESSION, at=local(day, 13), visitor="dan", company_id=company.pk, product_id=product.pk)
    event(K.COMPANY_VIEW, at=local(day + timedelta(days=1), 0, 5), visitor="alice", company_id=company.pk)

    services.rollup_day(day)

    views = {(r.company_id, r.country): (r.events, r.visitors) for r in DailyStat.objects.filter(scope=1)}
    assert views == {(company.pk, "FR"): (4, 1), (company.pk, "DE"): (1, 1), (unsupported.pk, "FR"): (1, 1)}
    programme = {r.country: (r.events, r.visitors) for r in DailyStat.objects.filter(scope=2)}
    assert programme == {"FR": (4, 1), "DE": (1, 1)}
    detail = {(r.kind, r.product_id, r.country): (r.events, r.visitors) for r in DailyStat.objects.filter(scope=0, company_id=company.pk)}
    assert detail == {
        ("company_view", None, "FR"): (2, 1), ("product_view", product.pk, "FR"): (2, 1),
        ("product_view", product.pk, "DE"): (1, 1), ("search_impression", product.pk, "FR"): (1, 1),
    }
    assert set(DailyStat.objects.values_list("day", flat=True)) == {day}


def test_rolling_a_day_up_again_gives_the_same_rows(in_beta):
    day = timezone.localdate() - timedelta(days=1)
    company = make_company()
    for hour in range(8, 14):
        event(K.COMPANY_VIEW, at=local(day, hour), visitor=f"v{hour % 3}", company_id=company.pk)
    services.rollup_day(day)
    first = _rows()

    services.rollup_day(day)
    services.refresh(full=True)

    assert _rows() == first


def test_refresh_rolls_up_today_and_every_day_since_the_previous_run(in_beta):
    today = timezone.localdate()
    company = make_company()
    for days_ago in (5, 2, 0):
        event(K.COMPANY_VIEW, at=local(today - timedelta(days=days_ago), 8), company_id=company.pk)
    now = local(today, 9)

    first = services.refresh(now=now)
    assert first.days[0] == today - timedelta(days=5) and first.days[-1] == today
    event(K.COMPANY_VIEW, at=local(today, 10), company_id=company.pk)
    second = services.refresh(now=local(today, 11))

    assert second.days == (today,)
    assert DailyStat.objects.filter(scope=1, day=today).get().events == 2
    assert RollupState.objects.get().rolled_up_until == local(today, 11)


def test_refresh_counts_only_events_before_its_watermark(in_beta):
    today = timezone.localdate()
    company = make_company()
    event(K.COMPANY_VIEW, at=local(today, 8), company_id=company.pk)
    event(K.COMPANY_VIEW, at=local(today, 10), company_id=company.pk)

    services.refresh(now=local(today, 9))

    assert DailyStat.objects.get(scope=1).events == 1


def test_just_after_midnight_yesterday_is_counted_again_for_late_events(in_beta):
    today = timezone.localdate()
    company = make_company()
    services.refresh(now=local(today, 0, 1))
    late = event(K.COMPANY_VIEW, at=local(today - timedelta(days=1), 23, 59), company_id=company.pk)

    result = services.refresh(now=local(today, 0, 3))

    assert today - timedelta(days=1) in result.days
    assert DailyStat.objects.get(scope=1, day=late.occurred_at.astimezone(timezone.get_current_timezone()).date()).events == 1


def test_inquiry_facts_follow_answers_quotes_and_status_changes(in_beta):
    buyer, rep = in_beta.members["buyer"], in_beta.members["company_rep"]
    company = make_company()
    today = timezone.localdate()
    opened = local(today, 8)
    # 1: answered by the company two hours later, then won.
    event(K.INQUIRY, at=opened, inquiry_id=1, company_id=company.pk, user_id=buyer.pk, country="DE")
    event(K.MESSAGE, at=opened + timedelta(minutes=30), inquiry_id=1, company_id=company.pk, user_id=buyer.pk)
    event(K.MESSAGE, at=opened + timedelta(hours=2), inquiry_id=1, company_id=company.pk, user_id=rep.pk)
    event(K.STATUS_CHANGE, at=opened + timedelta(hours=2), inquiry_id=1, metadata={"from": "new", "to": "answered"})
    event(K.STATUS_CHANGE, at=opened + timedelta(hours=5), inquiry_id=1, metadata={"from": "answered", "to": "won"})
    # 2: quoted; the module tells the response time itself.
    event(K.INQUIRY, at=opened, inquiry_id=2, company_id=company.pk, user_id=buyer.pk)
    event(K.QUOTE, at=opened + timedelta(hours=3), inquiry_id=2, company_id=company.pk, value=9000)
    event(K.STATUS_CHANGE, at=opened + timedelta(hours=3), inquiry_id=2, metadata={"from": "new", "to": "quoted"})
    # 3: only the buyer wrote again; a nonsense status is ignored.
    event(K.INQUIRY, at=opened, inquiry_id=3, company_id=company.pk, user_id=buyer.pk)
    event(K.MESSAGE, at=opened + timedelta(hours=1), inquiry_id=3, user_id=buyer.pk, metadata={"side": "buyer"})
    event(K.STATUS_CHANGE, at=opened + timedelta(hours=1), inquiry_id=3, metadata={"to": "<script>"})

    services.refresh(now=local(today, 18))

    facts = {f.inquiry_id: (f.status, f.response_seconds, f.country) for f in InquiryFact.objects.all()}
    assert facts == {1: ("won", 7200, "DE"), 2: ("quoted", 9000, "FR"), 3: ("new", None, "FR")}


def test_inquiry_facts_are_refreshed_when_a_later_event_arrives(in_beta):
    company = make_company()
    today = timezone.localdate()
    event(K.INQUIRY, at=local(today, 8), inquiry_id=5, company_id=company.pk, user_id=1)
    services.refresh(now=local(today, 9))
    assert InquiryFact.objects.get().status == "new"

    event(K.QUOTE, at=local(today, 10), inquiry_id=5, company_id=company.pk)
    services.refresh(now=local(today, 11))

    fact = InquiryFact.objects.get()
    assert (fact.status, fact.response_seconds) == ("answered", 7200)


def test_old_visitor_salts_are_deleted(in_beta):
    today = timezone.localdate()
    for days_ago in (0, 1, 2, 30):
        VisitorSalt.objects.create(day=today - timedelta(days=days_ago), salt="x")

    services.refresh()

    assert sorted(VisitorSalt.objects.values_list("day", flat=True)) == [today - timedelta(days=1), today]


def test_beat_refreshes_every_minute_and_sends_reports_on_the_first():
    refresh = settings.CELERY_BEAT_SCHEDULE["refresh-analytics-rollups"]
    assert refresh["task"] == "analytics.refresh_rollups_all_tenants" and refresh["schedule"] == 60.0
    monthly = settings.CELERY_BEAT_SCHEDULE["send-monthly-activity-reports"]
    assert monthly["task"] == "analytics.send_monthly_reports_all_tenants"
    assert monthly["schedule"].day_of_month == {1} and monthly["schedule"].hour == {6}


def test_beat_task_refreshes_only_programmes_with_analytics(alpha, beta):
    from django_tenants.utils import tenant_context

    tenant_services.update_configuration(alpha.tenant, modules=[m for m in alpha.tenant.modules if m != "analytics"])
    for programme in (alpha, beta):
        with tenant_context(programme.tenant):
            event(K.COMPANY_VIEW, company_id=1)

    assert tasks.refresh_rollups_all_tenants() >= 1

    with tenant_context(beta.tenant):
        assert DailyStat.objects.filter(scope=1).exists()
    with tenant_context(alpha.tenant):
        assert not DailyStat.objects.exists()


def test_months_and_products_online_are_summed_for_the_engagement_table(in_beta):
    today = timezone.localdate()
    company = make_company()
    make_product(company)
    earlier = (today.replace(day=1) - timedelta(days=1)).replace(day=3)
    for visitor in ("a", "b"):
        event(K.COMPANY_VIEW, at=local(earlier, 9), visitor=visitor, company_id=company.pk)
    event(K.COMPANY_VIEW, at=local(earlier + timedelta(days=1), 9), visitor="a", company_id=company.pk)

    services.refresh()

    month = DailyStat.objects.get(scope=DailyStat.Scope.COMPANY_MONTH_TOTALS, company_id=company.pk)
    assert (month.day, month.events, month.visitors) == (earlier.replace(day=1), 3, 3)
    assert DailyStat.objects.get(scope=DailyStat.Scope.PRODUCTS_ONLINE, company_id=company.pk).events == 1
