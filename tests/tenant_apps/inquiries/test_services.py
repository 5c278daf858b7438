"""The inquiry rules, written once in the services: sending, answering, quoting, the pipeline."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tenant_apps.inquiries import services
from tenant_apps.inquiries.models import HistoryEntry, Inquiry, Status

pytestmark = pytest.mark.usefixtures("in_alpha")


def test_buyer_journey_rfq_quote_won(world):
    inquiry = world.rfq()
    assert inquiry.status == Status.NEW
    assert inquiry.quantity == Decimal("500") and inquiry.incoterm == "FOB" and inquiry.currency == "USD"
    assert inquiry.assignee == world.owner_rep

    quote = services.send_quote(author=world.owner, inquiry=inquiry, amount=Decimal("38500.00"), currency="USD",
                                valid_until=timezone.localdate() + timedelta(days=30), terms="Delivery in 6 weeks.")
    inquiry.refresh_from_db()
    assert inquiry.status == Status.QUOTED
    assert inquiry.first_response_at is not None and inquiry.response_seconds is not None
    assert list(inquiry.quotes.all()) == [quote]

    services.change_status(actor=world.colleague, inquiry=inquiry, status=Status.WON)
    inquiry.refresh_from_db()
    assert inquiry.status == Status.WON
    actions = list(inquiry.history.values_list("action", "from_status", "to_status"))
    assert actions == [
        ("created", "", "new"), ("assigned", "", ""), ("quote", "", ""), ("status", "new", "quoted"),
        ("status", "quoted", "won"),
    ]


def test_the_companys_first_message_answers_the_inquiry_and_counts_the_response_time(world):
    inquiry = world.inquiry()
    Inquiry.objects.filter(pk=inquiry.pk).update(created_at=timezone.now() - timedelta(hours=3))
    services.post_message(author=world.buyer, inquiry=inquiry, body="Any news?")
    inquiry.refresh_from_db()
    assert inquiry.status == Status.NEW and inquiry.first_response_at is None and inquiry.last_side == "buyer"

    services.post_message(author=world.colleague, inquiry=inquiry, body="Yes: here is our brochure.")
    inquiry.refresh_from_db()
    assert inquiry.status == Status.ANSWERED and inquiry.last_side == "company"
    assert 3 * 3600 - 5 <= inquiry.response_seconds <= 3 * 3600 + 60

    first = inquiry.first_response_at
    services.post_message(author=world.owner, inquiry=inquiry, body="And our prices.")
    inquiry.refresh_from_db()
    assert inquiry.first_response_at == first and inquiry.status == Status.ANSWERED


def test_contact_and_question_carry_no_trade_terms(world):
    inquiry = world.inquiry(kind="question", product=world.product, quantity=10, unit="pieces", incoterm="EXW")
    assert inquiry.quantity is None and inquiry.unit == "" and inquiry.incoterm == ""


@pytest.mark.parametrize(("kind", "missing", "field"), [
    ("rfq", {"quantity": None}, "quantity"),
    ("rfq", {"unit": ""}, "unit"),
    ("rfq", {"incoterm": ""}, "incoterm"),
    ("rfq", {"destination_country": ""}, "destination_country"),
    ("rfq", {"currency": ""}, "currency"),
    ("rfq", {"quantity": -3}, "quantity"),
    ("order", {"quantity": None}, "quantity"),
    ("order", {"destination_country": ""}, "destination_country"),
])
def test_requests_for_quotation_and_orders_need_their_terms(world, kind, missing, field):
    with pytest.raises(ValidationError) as refused:
        world.rfq(kind=kind, **missing)
    assert field in refused.value.message_dict
    assert not Inquiry.objects.exists()


def test_an_order_needs_no_incoterm_and_a_deadline_cannot_be_past(world):
    order = world.rfq(kind="order", incoterm="", target_price=None)
    assert order.kind == "order" and order.incoterm == ""
    with pytest.raises(ValidationError) as refused:
        world.rfq(deadline=timezone.localdate() - timedelta(days=1))
    assert refused.value.message_dict["deadline"] == ["This date is in the past."]


def test_a_question_is_about_one_of_the_companys_published_products(world):
    with pytest.raises(ValidationError) as refused:
        world.inquiry(kind="question")
    assert refused.value.message_dict["product"] == ["Choose the product your question is about."]
    for product in (world.draft, world.rival_product):
        with pytest.raises(ValidationError) as refused:
            world.inquiry(kind="question", product=product)
        assert refused.value.message_dict["product"] == ["Choose one of this company's products."]


def test_companies_that_cannot_receive_inquiries_are_refused_with_a_reason(world, alpha):
    from tenant_apps.directory.models import Company, Representative

    admin = alpha.members["tenant_admin"]
    Representative.objects.create(company=world.company, user=admin)
    with pytest.raises(services.NotAllowed, match="You represent this company"):
        world.inquiry(buyer=admin)
    hidden = Company.objects.create(name="Hidden", country="FR", visibility="hidden")
    with pytest.raises(services.NotAllowed, match="does not receive inquiries"):
        world.inquiry(company=hidden)
    nobody = Company.objects.create(name="Nobody here", country="FR", visibility="public")
    with pytest.raises(services.NotAllowed, match="nobody to answer"):
        world.inquiry(company=nobody)


def test_only_people_allowed_to_send_may_send(world, alpha):
    for role in ("guest", "expert", "moderator"):
        with pytest.raises(services.NotAllowed):
            world.inquiry(buyer=alpha.members[role])


def test_a_buyer_sending_dozens_of_inquiries_an_hour_is_slowed_down(world, monkeypatch):
    monkeypatch.setattr(services, "MAX_INQUIRIES_PER_HOUR", 2)
    world.inquiry()
    world.inquiry()
    with pytest.raises(services.NotAllowed, match="many inquiries in the last hour"):
        world.inquiry()


REFUSED = [
    # (status before, who, target, message)
    ("new", "company", "won", "Answer the buyer before marking the inquiry as won."),
    ("new", "company", "answered", "An inquiry becomes “answered” when you reply"),
    ("new", "company", "new", "This inquiry is already “New”."),
    ("answered", "company", "quoted", "An inquiry becomes “answered” when you reply"),
    ("won", "company", "lost", "A won or lost inquiry can only be closed."),
    ("lost", "company", "won", "A won or lost inquiry can only be closed."),
    ("closed", "company", "won", "This inquiry is closed: its status can no longer change."),
    ("closed", "buyer", "closed", "This inquiry is already “Closed”."),
    ("answered", "buyer", "won", "As the buyer, you can close your inquiry"),
    ("quoted", "company", "bogus", "Choose a status from the list."),
]


@pytest.mark.parametrize(("before", "who", "target", "message"), REFUSED)
def test_transitions_the_pipeline_does_not_allow_are_refused_with_a_clear_message(world, before, who, target, message):
    inquiry = world.inquiry()
    first_response = timezone.now() if before != "new" else None
    Inquiry.objects.filter(pk=inquiry.pk).update(status=before, first_response_at=first_response)
    actor = world.owner if who == "company" else world.buyer
    with pytest.raises(services.InvalidTransition) as refused:
        services.change_status(actor=actor, inquiry=inquiry, status=target)
    assert message in str(refused.value)
    inquiry.refresh_from_db()
    assert inquiry.status == before
    assert not inquiry.history.filter(action=HistoryEntry.Action.STATUS).exists()


@pytest.mark.parametrize(("before", "target"), [
    ("new", "lost"), ("new", "closed"), ("answered", "won"), ("answered", "lost"), ("quoted", "won"),
    ("quoted", "closed"), ("won", "closed"), ("lost", "closed"),
])
def test_the_company_records_outcomes_the_pipeline_allows(world, before, target):
    inquiry = world.inquiry()
    Inquiry.objects.filter(pk=inquiry.pk).update(status=before, first_response_at=timezone.now())
    services.change_status(actor=world.colleague, inquiry=inquiry, status=target)
    inquiry.refresh_from_db()
    assert inquiry.status == target


def test_the_buyer_can_close_their_own_inquiry_and_nobody_writes_in_it_afterwards(world):
    inquiry = world.inquiry()
    services.change_status(actor=world.buyer, inquiry=inquiry, status=Status.CLOSED)
    inquiry.refresh_from_db()
    assert inquiry.status == Status.CLOSED
    with pytest.raises(services.ThreadClosed, match="This inquiry is closed"):
        services.post_message(author=world.owner, inquiry=inquiry, body="Wait!")
    with pytest.raises(services.InvalidTransition, match="only be sent while the inquiry is open"):
        services.send_quote(author=world.owner, inquiry=inquiry, amount=10, currency="EUR",
                            valid_until=timezone.localdate())


def test_only_the_two_sides_act_on_a_thread(world, alpha):
    inquiry = world.inquiry()
    outsiders = [world.other_buyer, world.rival_owner, alpha.members["tenant_admin"], alpha.members["moderator"]]
    for person in outsiders:
        with pytest.raises(services.NotAllowed):
            services.post_message(author=person, inquiry=inquiry, body="Hi")
        with pytest.raises(services.NotAllowed):
            services.change_status(actor=person, inquiry=inquiry, status=Status.CLOSED)
    with pytest.raises(services.NotAllowed):
        services.send_quote(author=world.buyer, inquiry=inquiry, amount=10, currency="EUR",
                            valid_until=timezone.localdate())
    assert inquiry.messages.count() == 1


def test_a_quote_needs_a_positive_amount_and_a_future_validity(world):
    inquiry = world.rfq()
    with pytest.raises(ValidationError) as refused:
        services.send_quote(author=world.owner, inquiry=inquiry, amount=Decimal("0"), currency="",
                            valid_until=timezone.localdate() - timedelta(days=1))
    assert set(refused.value.message_dict) == {"amount", "currency", "valid_until"}
    assert not inquiry.quotes.exists()


def test_a_later_quote_keeps_the_thread_quoted(world):
    inquiry = world.rfq()
    valid = timezone.localdate() + timedelta(days=10)
    services.send_quote(author=world.owner, inquiry=inquiry, amount=100, currency="EUR", valid_until=valid)
    services.send_quote(author=world.owner, inquiry=inquiry, amount=90, currency="EUR", valid_until=valid)
    inquiry.refresh_from_db()
    assert inquiry.status == Status.QUOTED and inquiry.quotes.count() == 2
    assert inquiry.history.filter(action="status").count() == 1


def test_messages_are_plain_text_within_a_length(world):
    inquiry = world.inquiry()
    with pytest.raises(ValidationError) as refused:
        services.post_message(author=world.owner, inquiry=inquiry, body="   ")
    assert refused.value.message_dict["body"] == ["Write your message."]
    with pytest.raises(ValidationError):
        services.post_message(author=world.owner, inquiry=inquiry, body="x" * (services.MESSAGE_MAX_LENGTH + 1))


def test_subject_is_kept_on_one_line(world):
    inquiry = world.inquiry(subject="Hello\r\nBcc: victim@example.org")
    assert inquiry.subject == "Hello Bcc: victim@example.org"
