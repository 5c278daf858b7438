"""B-MON: every interaction is recorded in analytics and in the thread's history; statistics read them."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.template.loader import render_to_string
from django.utils import timezone

from tenant_apps.analytics.models import Event
from tenant_apps.inquiries import selectors, services
from tenant_apps.inquiries.models import Inquiry

pytestmark = pytest.mark.usefixtures("in_alpha")


def _events():
    return list(Event.objects.order_by("pk").values_list("kind", "company_id", "product_id", "inquiry_id", "user_id",
                                                         "value", "metadata"))


def test_events_recorded_match_the_interactions(world):
    services.record_contact_reveal(user=world.buyer, company=world.company, product=world.product)
    inquiry = world.rfq()
    Inquiry.objects.filter(pk=inquiry.pk).update(created_at=timezone.now() - timedelta(minutes=30))
    services.post_message(author=world.buyer, inquiry=inquiry, body="Also in blue?")
    services.post_message(author=world.owner, inquiry=inquiry, body="Yes.")
    services.send_quote(author=world.owner, inquiry=inquiry, amount=Decimal("100"), currency="EUR",
                        valid_until=timezone.localdate())
    services.change_status(actor=world.colleague, inquiry=inquiry, status="lost")

    c, p, i = world.company.pk, world.product.pk, inquiry.pk
    events = _events()
    answer_seconds = events[3][5]
    assert 30 * 60 - 5 <= answer_seconds <= 30 * 60 + 60
    assert events == [
        ("contact_reveal", c, p, None, world.buyer.pk, None, {}),
        ("inquiry", c, p, i, world.buyer.pk, None, {"kind": "rfq", "buyer_country": "AE"}),
        ("message", c, p, i, world.buyer.pk, None, {"side": "buyer", "attachments": 0}),
        ("message", c, p, i, world.owner.pk, answer_seconds, {"side": "company", "attachments": 0}),
        ("status_change", c, p, i, world.owner.pk, None, {"from": "new", "to": "answered", "side": "company"}),
        ("quote", c, p, i, world.owner.pk, None, {"amount": "100.00", "currency": "EUR",
                                                  "valid_until": timezone.localdate().isoformat()}),
        ("status_change", c, p, i, world.owner.pk, None, {"from": "answered", "to": "quoted", "side": "company"}),
        ("status_change", c, p, i, world.colleague.pk, None, {"from": "quoted", "to": "lost", "side": "company"}),
    ]


def test_refused_steps_record_nothing(world):
    inquiry = world.inquiry()
    before = Event.objects.count()
    with pytest.raises(services.InvalidTransition):
        services.change_status(actor=world.owner, inquiry=inquiry, status="won")
    with pytest.raises(services.NotAllowed):
        services.post_message(author=world.rival_owner, inquiry=inquiry, body="Hi")
    assert Event.objects.count() == before


def test_the_history_says_who_did_what_and_hides_internal_assignment_from_the_buyer(world):
    inquiry = world.inquiry()
    services.post_message(author=world.colleague, inquiry=inquiry, body="Hello")
    company_view = [(line.entry.action, line.actor) for line in selectors.history(inquiry, "company")]
    assert company_view == [("created", world.buyer.full_name), ("assigned", ""),
                            ("message", "Colette Collègue"), ("status", "Colette Collègue")]
    buyer_view = [line.entry.action for line in selectors.history(inquiry, "buyer")]
    assert buyer_view == ["created", "message", "status"]


def _inquiry_at(world, when, *, answered_after=None, status="new", company=None):
    inquiry = world.inquiry(company=company or world.company)
    fields = {"created_at": when, "status": status}
    if answered_after is not None:
        fields.update(first_response_at=when + answered_after, response_seconds=int(answered_after.total_seconds()))
    Inquiry.objects.filter(pk=inquiry.pk).update(**fields)
    return inquiry


def test_inquiry_stats_count_by_status_and_time_the_first_answers(world):
    now = timezone.now()
    _inquiry_at(world, now - timedelta(days=3), answered_after=timedelta(hours=1), status="answered")
    _inquiry_at(world, now - timedelta(days=2), answered_after=timedelta(hours=2), status="won")
    _inquiry_at(world, now - timedelta(days=1), answered_after=timedelta(hours=6), status="quoted")
    _inquiry_at(world, now - timedelta(hours=5))
    _inquiry_at(world, now - timedelta(days=40), answered_after=timedelta(hours=48), status="lost")
    _inquiry_at(world, now - timedelta(days=1), company=world.rival, status="closed")

    [rival, ours] = selectors.inquiry_stats(company_ids=[world.company.pk, world.rival.pk],
                                            start=now - timedelta(days=30))
    assert ours.company_name == "Usinage Précis" and rival.company_name == "Rival Industries"
    assert ours.total == 4 and ours.answered == 3
    assert ours.by_status == {"new": 1, "answered": 1, "quoted": 1, "won": 1, "lost": 0, "closed": 0}
    assert ours.median_first_response == timedelta(hours=2)
    assert ours.mean_first_response == timedelta(hours=3)
    assert ours.answer_rate == 0.75
    assert rival.total == 1 and rival.answered == 0 and rival.median_first_response is None

    [all_time] = selectors.inquiry_stats(company_ids=[world.company.pk])
    assert all_time.total == 5 and all_time.by_status["lost"] == 1
    assert all_time.median_first_response == timedelta(hours=4)


def test_inquiry_stats_take_dates_and_give_zero_rows_for_companies_without_inquiries(world):
    _inquiry_at(world, timezone.now())
    tomorrow = timezone.localdate() + timedelta(days=1)
    assert selectors.inquiry_stats(start=tomorrow) == []
    [row] = selectors.inquiry_stats(company_ids=[world.rival.pk], start=date(2000, 1, 1), end=tomorrow)
    assert (row.company_name, row.total, row.answered, row.mean_first_response) == ("Rival Industries", 0, 0, None)
    assert row.by_status == dict.fromkeys(["new", "answered", "quoted", "won", "lost", "closed"], 0)
    everyone = selectors.inquiry_stats()
    assert [row.company_id for row in everyone] == [world.company.pk]


def test_inquiry_stats_run_in_one_query(world, django_assert_num_queries):
    for _ in range(3):
        world.inquiry()
    with django_assert_num_queries(1):
        selectors.inquiry_stats(company_ids=[world.company.pk], start=date(2000, 1, 1))


def test_the_stats_include_renders_an_accessible_table(world, rf):
    _inquiry_at(world, timezone.now() - timedelta(days=1), answered_after=timedelta(hours=3, minutes=20),
                status="answered")
    html = render_to_string("inquiries/_company_stats.html",
                            {"stats": selectors.inquiry_stats(company_ids=[world.company.pk, world.rival.pk]),
                             "caption": "Inquiries this month"})
    assert '<caption id="inquiry-stats-caption">Inquiries this month</caption>' in html
    assert '<th scope="row">Usinage Précis</th>' in html and '<th scope="row">Rival Industries</th>' in html
    assert html.count('<th scope="col">') == 11
    assert "3 h 20 min" in html
    empty = render_to_string("inquiries/_company_stats.html", {"stats": []})
    assert "No inquiries in this period." in empty and 'colspan="11"' in empty


@pytest.mark.parametrize(("seconds", "text"), [
    (None, "—"), (20, "less than a minute"), (12 * 60, "12 min"), (3 * 3600, "3 h"), (3 * 3600 + 20 * 60, "3 h 20 min"),
    (86400, "1 day"), (2 * 86400 + 4 * 3600, "2 days 4 h"),
])
def test_response_times_read_like_people_say_them(seconds, text):
    from tenant_apps.inquiries.templatetags.inquiries import response_time

    assert response_time(timedelta(seconds=seconds) if seconds is not None else None) == text
