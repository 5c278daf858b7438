"""B-NOTIF: each company hears of every contact, question, RFQ and order; the buyer of answers and quotes.

In the app and by e-mail, following each person's choice per kind (instant, daily digest, off),
in the recipient's language, branded, with a link to the thread.
"""

from datetime import datetime, timedelta
from email import message_from_bytes
from email.policy import default as default_policy
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.test import override_settings
from django.utils import timezone

from tenant_apps.inquiries import services
from tenant_apps.notifications import kinds
from tenant_apps.notifications import services as notifications
from tenant_apps.notifications.kinds import Delivery
from tenant_apps.notifications.models import Notification

pytestmark = pytest.mark.usefixtures("in_alpha")

KINDS = ["inquiries.new_contact", "inquiries.new_question", "inquiries.new_rfq", "inquiries.new_order",
         "inquiries.new_message", "inquiries.quote_received", "inquiries.status_changed", "inquiries.assigned"]


def test_every_inquiry_kind_is_registered_with_a_label():
    for key in KINDS:
        assert kinds.is_registered(key)
        assert str(kinds.get(key).label)


@pytest.mark.parametrize(("kind", "extra", "notification_kind", "title"), [
    ("contact", {}, "inquiries.new_contact", "New contact from Buyer Alpha (Gulf Trading, United Arab Emirates): "
                                            "Your machines"),
    ("question", {"product": "product"}, "inquiries.new_question",
     "Question from Buyer Alpha (Gulf Trading, United Arab Emirates) about Vibration sensor: Your machines"),
    ("rfq", {}, "inquiries.new_rfq", "Request for quotation from Buyer Alpha (Gulf Trading, United Arab Emirates): "
                                    "500 sensors for Dubai"),
    ("order", {}, "inquiries.new_order", "Order request from Buyer Alpha (Gulf Trading, United Arab Emirates): "
                                        "500 sensors for Dubai"),
])
def test_each_representative_is_notified_individually_of_each_kind(world, django_capture_on_commit_callbacks,
                                                                   kind, extra, notification_kind, title):
    if "product" in extra:
        extra = {"product": world.product}
    with django_capture_on_commit_callbacks(execute=True):
        inquiry = world.rfq(kind=kind, **extra) if kind in ("rfq", "order") else world.inquiry(kind=kind, **extra)

    received = Notification.objects.filter(kind=notification_kind).order_by("recipient_id")
    assert sorted(n.recipient_id for n in received) == sorted([world.owner.pk, world.colleague.pk])
    assert {n.title for n in received} == {title}
    assert {n.url for n in received} == {f"/inquiries/{inquiry.pk}/"}
    assert sorted(message.to[0] for message in mail.outbox) == sorted([world.owner.email, world.colleague.email])
    assert not Notification.objects.filter(recipient=world.rival_owner).exists()


def test_the_rfq_email_is_branded_in_the_recipients_language_and_links_to_the_thread(
        world, alpha, django_capture_on_commit_callbacks):
    world.owner.preferred_language = "fr"
    world.owner.save(update_fields=["preferred_language"])
    with django_capture_on_commit_callbacks(execute=True):
        inquiry = world.rfq()

    french = next(message for message in mail.outbox if message.to == [world.owner.email])
    english = next(message for message in mail.outbox if message.to == [world.colleague.email])
    assert french.subject.startswith("Demande de devis de Buyer Alpha (Gulf Trading, Émirats arabes unis)")
    assert french.subject.endswith("· Programme alpha")
    assert "Quantité : 500 pièces" in french.body
    assert "Incoterm : FOB — Franco à bord" in french.body
    assert english.subject == ("Request for quotation from Buyer Alpha (Gulf Trading, United Arab Emirates): "
                               "500 sensors for Dubai · Programme alpha")
    link = f"http://alpha.comptoir.test:8000/inquiries/{inquiry.pk}/"
    for message in (french, english):
        assert link in message.body
        html = message.alternatives[0][0]
        assert link in html and alpha.tenant.branding["primary_color"] in html
    assert "Quantity: 500 pieces" in english.body and "Destination: United Arab Emirates" in english.body


def test_the_buyer_is_notified_of_answers_quotes_and_outcomes(world, django_capture_on_commit_callbacks):
    inquiry = world.rfq()
    Notification.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        services.post_message(author=world.owner, inquiry=inquiry, body="We can do it.")
        services.send_quote(author=world.owner, inquiry=inquiry, amount=1200, currency="EUR",
                            valid_until=timezone.localdate() + timedelta(days=30))
        services.change_status(actor=world.owner, inquiry=inquiry, status="won")

    to_buyer = list(Notification.objects.filter(recipient=world.buyer).order_by("pk").values_list("kind", "title"))
    assert to_buyer == [
        ("inquiries.new_message", f"New message from {world.owner.full_name}: 500 sensors for Dubai"),
        ("inquiries.quote_received", "Usinage Précis sent you a quotation: 500 sensors for Dubai"),
        ("inquiries.status_changed", "500 sensors for Dubai: now “Won”"),
    ]
    assert [message.to for message in mail.outbox] == [[world.buyer.email]] * 3
    quote_mail = mail.outbox[1]
    assert "Amount: 1200.00 EUR" in quote_mail.body
    # The company side is not told of its own steps.
    assert not Notification.objects.exclude(recipient=world.buyer).exists()


def test_the_company_hears_when_the_buyer_closes_or_writes(world):
    inquiry = world.inquiry()
    Notification.objects.all().delete()
    services.post_message(author=world.buyer, inquiry=inquiry, body="Any news?")
    services.change_status(actor=world.buyer, inquiry=inquiry, status="closed")
    assert list(Notification.objects.filter(recipient=world.owner).order_by("pk").values_list("kind", flat=True)) == [
        "inquiries.new_message", "inquiries.status_changed"]


def test_switched_off_email_still_notifies_in_the_app(world, django_capture_on_commit_callbacks):
    notifications.set_delivery_preference(user=world.owner, kind="inquiries.new_contact", delivery=Delivery.OFF)
    with django_capture_on_commit_callbacks(execute=True):
        world.inquiry()
    assert Notification.objects.filter(recipient=world.owner, kind="inquiries.new_contact").exists()
    assert [message.to for message in mail.outbox] == [[world.colleague.email]]


@override_settings(NOTIFICATION_DIGEST_HOUR=7)
def test_a_representative_who_takes_rfqs_as_a_digest_gets_them_once_in_the_next_digest(
        world, django_capture_on_commit_callbacks):
    notifications.set_delivery_preference(user=world.owner, kind="inquiries.new_rfq", delivery=Delivery.DIGEST)
    with django_capture_on_commit_callbacks(execute=True):
        first = world.rfq()
        second = world.rfq(subject="Spare parts", buyer_country="SE")
    assert world.owner.email not in [message.to[0] for message in mail.outbox]
    mail.outbox.clear()

    paris = ZoneInfo("Europe/Paris")
    tomorrow_morning = datetime.combine(timezone.localdate() + timedelta(days=1), datetime.min.time(),
                                        tzinfo=paris).replace(hour=8)
    with django_capture_on_commit_callbacks(execute=True):
        sent = notifications.send_digests(now=tomorrow_morning)

    assert sent == 1
    [digest] = mail.outbox
    assert digest.to == [world.owner.email]
    assert digest.subject == "Programme alpha: 2 new notifications"
    assert "A buyer asked your company for a quotation" in digest.body
    assert "500 sensors for Dubai" in digest.body and "Spare parts" in digest.body
    for inquiry in (first, second):
        assert f"http://alpha.comptoir.test:8000/inquiries/{inquiry.pk}/" in digest.body
    with django_capture_on_commit_callbacks(execute=True):
        assert notifications.send_digests(now=tomorrow_morning + timedelta(hours=1)) == 0


def test_an_inquiry_notification_arrives_through_a_real_smtp_server(world, alpha, smtp_server,
                                                                    django_capture_on_commit_callbacks):
    notifications.set_delivery_preference(user=world.colleague, kind="inquiries.new_question", delivery=Delivery.OFF)
    with django_capture_on_commit_callbacks(execute=True):
        inquiry = world.inquiry(kind="question", product=world.product, subject="Operating temperature?")

    assert len(smtp_server.envelopes) == 1
    envelope = smtp_server.envelopes[0]
    assert envelope.rcpt_tos == [world.owner.email]
    message = message_from_bytes(envelope.content, policy=default_policy)
    assert message["Subject"].strip() == ("Question from Buyer Alpha (Gulf Trading, United Arab Emirates) about Vibration "
                                  "sensor: Operating temperature? · Programme alpha")
    text = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    assert f"http://alpha.comptoir.test:8000/inquiries/{inquiry.pk}/" in text
    assert "Product: Vibration sensor" in text and "Hello, tell me more." in text
    assert "Programme alpha" in html and alpha.tenant.branding["primary_color"] in html
