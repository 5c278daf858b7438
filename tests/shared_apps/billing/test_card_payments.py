"""Card payments through Stripe (the local Stripe-compatible server) and its webhooks."""

from __future__ import annotations

import pytest
from django.core import mail

from shared_apps.billing import entitlements, services
from shared_apps.billing.models import Invoice, InvoiceLine, LedgerEntry, Subscription, WebhookEvent


def _subscribe_by_card(server, seller, plan, deliver):
    url = services.start_card_checkout(tenant=seller.tenant, account=seller.account, plan=plan,
                                       actor=seller.representative, success_url="http://alpha.comptoir.test/billing/checkout/done/",
                                       cancel_url="http://alpha.comptoir.test/billing/")
    session_id = url.rsplit("/", 1)[-1]
    stripe_subscription = server.control(f"checkout_sessions/{session_id}/complete")
    deliver(server)
    return stripe_subscription


def _subscription(seller):
    return Subscription.objects.for_tenant(seller.tenant).get(company_id=seller.company.pk, status__in=[
        "trialing", "active", "past_due", "suspended", "incomplete"])


def test_seller_subscribes_by_card_through_checkout(stripe_server, seller, plans, deliver):
    _subscribe_by_card(stripe_server, seller, plans["pro"], deliver)

    subscription = _subscription(seller)
    assert subscription.status == "active"
    assert subscription.payment_method == "card"
    assert subscription.stripe_subscription_id.startswith("sub_")
    assert subscription.current_period_end > subscription.current_period_start
    invoice = Invoice.objects.for_tenant(seller.tenant).get(subscription=subscription)
    assert invoice.status == "paid"
    assert (invoice.net_amount, invoice.vat_amount, invoice.gross_amount) == (30_000, 6_000, 36_000)
    assert invoice.number.startswith("F-")
    kinds = sorted(LedgerEntry.objects.for_tenant(seller.tenant).filter(account=seller.account).values_list("kind", flat=True))
    assert kinds == ["charge", "fee", "invoice"]
    assert entitlements.feature_quota(seller.tenant, seller.company.pk, "featured_slots") == 3
    assert WebhookEvent.objects.for_tenant(seller.tenant).filter(status="processed").count() >= 4


def test_the_same_event_delivered_a_hundred_times_has_one_effect(stripe_server, seller, plans, deliver):
    url = services.start_card_checkout(tenant=seller.tenant, account=seller.account, plan=plans["pro"],
                                       actor=seller.representative, success_url="http://x.test/", cancel_url="http://x.test/")
    stripe_server.control(f"checkout_sessions/{url.rsplit('/', 1)[-1]}/complete")
    events = stripe_server.pending_events()
    charge_event = next(event for event in events if event["type"] == "charge.succeeded")
    responses = deliver(stripe_server, events)
    responses += deliver(stripe_server, [charge_event] * 99)

    assert all(response.status_code == 200 for response in responses)
    assert sum(response.content == b"duplicate" for response in responses) == 99
    stored = WebhookEvent.objects.across_tenants().get(stripe_event_id=charge_event["id"])
    assert (stored.status, stored.attempts, stored.replays) == ("processed", 1, 99)
    charges = LedgerEntry.objects.for_tenant(seller.tenant).filter(kind="charge", stripe_object_id=charge_event["data"]["object"]["id"])
    assert charges.count() == 1
    assert Invoice.objects.for_tenant(seller.tenant).filter(company_id=seller.company.pk).count() == 1


def test_an_older_subscription_event_arriving_late_never_moves_the_subscription_back(
        stripe_server, seller, plans, deliver):
    stripe_subscription = _subscribe_by_card(stripe_server, seller, plans["basic"], deliver)
    stripe_server.control("customers/{}/decline_next_payment".format(stripe_subscription["customer"]))
    stripe_server.control(f"subscriptions/{stripe_subscription['id']}/renew")
    failing = stripe_server.pending_events()
    stripe_server.control("clock/advance", seconds=3600)
    stripe_server.control(f"subscriptions/{stripe_subscription['id']}/retry_payment")
    recovering = stripe_server.pending_events()

    # Stripe does not promise order: the recovery arrives first, the failure after it.
    deliver(stripe_server, recovering)
    deliver(stripe_server, failing)

    subscription = _subscription(seller)
    assert subscription.status == "active"
    stale = WebhookEvent.objects.across_tenants().filter(
        stripe_event_id__in=[e["id"] for e in failing if e["type"] == "customer.subscription.updated"
                             and e["data"]["object"]["status"] == "past_due"])
    assert stale.get().status == "ignored"


def test_failed_card_payment_warns_then_suspends_after_grace_then_restores_on_payment(
        stripe_server, seller, plans, deliver, django_capture_on_commit_callbacks):
    from datetime import timedelta

    from django.utils import timezone

    stripe_subscription = _subscribe_by_card(stripe_server, seller, plans["pro"], deliver)
    mail.outbox.clear()
    stripe_server.control("customers/{}/decline_next_payment".format(stripe_subscription["customer"]))
    stripe_server.control(f"subscriptions/{stripe_subscription['id']}/renew")
    deliver(stripe_server)

    subscription = _subscription(seller)
    assert subscription.status == "past_due"
    assert subscription.grace_deadline is not None
    assert entitlements.has_feature(seller.tenant, seller.company.pk, "featured_slots")  # still in grace
    assert any("overdue" in message.subject for message in mail.outbox)
    from django_tenants.utils import schema_context

    from tenant_apps.notifications.models import Notification

    with schema_context(seller.tenant.schema_name):
        assert Notification.objects.filter(recipient=seller.representative, kind="billing.payment_overdue").exists()

    with django_capture_on_commit_callbacks(execute=True):
        report = services.run_dunning(tenant=seller.tenant, now=subscription.grace_deadline + timedelta(minutes=1))
    assert report.suspended == 1
    subscription.refresh_from_db()
    assert subscription.status == "suspended"
    assert not entitlements.has_feature(seller.tenant, seller.company.pk, "featured_slots")
    from tenant_apps.directory.models import Company

    with schema_context(seller.tenant.schema_name):
        assert Company.objects.filter(pk=seller.company.pk).exists()  # never its data

    stripe_server.control(f"subscriptions/{stripe_subscription['id']}/retry_payment")
    deliver(stripe_server)
    subscription.refresh_from_db()
    assert subscription.status == "active"
    assert subscription.suspended_at is None
    assert entitlements.has_feature(seller.tenant, seller.company.pk, "featured_slots")
    assert timezone.now() > subscription.created_at


def test_refund_is_recorded_once_in_the_ledger(stripe_server, seller, plans, deliver):
    _subscribe_by_card(stripe_server, seller, plans["basic"], deliver)
    charge = LedgerEntry.objects.for_tenant(seller.tenant).get(kind="charge")
    from shared_apps.billing import gateway

    gateway.create_refund(charge_id=charge.stripe_object_id, amount=5_000, key="test-1")
    events = stripe_server.pending_events()
    deliver(stripe_server, events + events)

    refund = LedgerEntry.objects.for_tenant(seller.tenant).get(kind="refund")
    assert refund.amount == -5_000
    assert refund.currency == "EUR"
    assert refund.stripe_object_id.startswith("re_")
    assert refund.account == seller.account


def test_upgrade_by_card_is_prorated_by_stripe_on_the_next_invoice(stripe_server, seller, plans, deliver):
    stripe_subscription = _subscribe_by_card(stripe_server, seller, plans["basic"], deliver)
    subscription = _subscription(seller)
    services.change_plan(tenant=seller.tenant, subscription=subscription, plan=plans["pro"], actor=seller.representative)
    stripe_server.control(f"subscriptions/{stripe_subscription['id']}/renew")
    deliver(stripe_server)

    subscription.refresh_from_db()
    assert subscription.plan == plans["pro"]
    renewal = Invoice.objects.for_tenant(seller.tenant).filter(subscription=subscription).order_by("-sequence").first()
    descriptions = list(InvoiceLine.objects.for_tenant(seller.tenant).filter(invoice=renewal).values_list("description", flat=True))
    assert "Unused time" in descriptions and "Remaining time" in descriptions


def test_cancel_at_period_end_ends_the_subscription_when_stripe_says_so(stripe_server, seller, plans, deliver):
    stripe_subscription = _subscribe_by_card(stripe_server, seller, plans["basic"], deliver)
    subscription = _subscription(seller)
    services.set_cancel_at_period_end(tenant=seller.tenant, subscription=subscription, actor=seller.representative,
                                      cancel=True)
    deliver(stripe_server)
    assert entitlements.has_feature(seller.tenant, seller.company.pk, "products_online")
    stripe_server.control(f"subscriptions/{stripe_subscription['id']}/renew")
    deliver(stripe_server)
    subscription.refresh_from_db()
    assert subscription.status == "canceled"
    assert not entitlements.has_feature(seller.tenant, seller.company.pk, "products_online")


def test_payout_is_booked_once_without_a_tenant(stripe_server, deliver, db):
    from shared_apps.billing import gateway

    gateway.client().v1.payouts.create(params={"amount": 12_345, "currency": "eur"})
    events = stripe_server.pending_events()
    deliver(stripe_server, events + events)
    payout = LedgerEntry.objects.across_tenants().get(kind="payout")
    assert (payout.tenant, payout.amount) == (None, -12_345)


@pytest.mark.parametrize("signature", ["", "t=1,v1=deadbeef"])
def test_webhook_with_a_bad_signature_is_refused_and_stored_nowhere(stripe_server, platform_client, signature):
    response = platform_client.post("/billing/stripe/webhook/", data=b'{"id": "evt_forged", "type": "invoice.paid"}',
                                    content_type="application/json", HTTP_STRIPE_SIGNATURE=signature)
    assert response.status_code == 400
    assert not WebhookEvent.objects.across_tenants().exists()


def test_webhook_endpoint_is_off_without_a_secret(no_stripe, platform_client):
    response = platform_client.post("/billing/stripe/webhook/", data=b"{}", content_type="application/json")
    assert response.status_code == 404


def test_failed_handler_keeps_the_event_failed_with_its_error_until_rerun(stripe_server, seller, plans, deliver,
                                                                          monkeypatch, django_capture_on_commit_callbacks):
    from shared_apps.billing import webhooks

    url = services.start_card_checkout(tenant=seller.tenant, account=seller.account, plan=plans["basic"],
                                       actor=seller.representative, success_url="http://x.test/", cancel_url="http://x.test/")
    stripe_server.control(f"checkout_sessions/{url.rsplit('/', 1)[-1]}/complete")
    events = stripe_server.pending_events()

    def broken(event):
        raise RuntimeError("database hiccup")

    monkeypatch.setitem(webhooks.HANDLERS, "charge.succeeded", broken)
    deliver(stripe_server, events)
    failed = WebhookEvent.objects.across_tenants().get(type="charge.succeeded")
    assert failed.status == "failed"
    assert "database hiccup" in failed.last_error
    assert failed.attempts == 1
    assert not LedgerEntry.objects.for_tenant(seller.tenant).filter(kind="charge").exists()

    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        webhooks.rerun(event=failed, actor=None)
    failed.refresh_from_db()
    assert (failed.status, failed.attempts, failed.last_error) == ("processed", 2, "")
    assert LedgerEntry.objects.for_tenant(seller.tenant).filter(kind="charge").count() == 1


def test_a_processed_event_is_never_queued_again(stripe_server, seller, plans, deliver, django_capture_on_commit_callbacks):
    from shared_apps.billing import webhooks

    url = services.start_card_checkout(tenant=seller.tenant, account=seller.account, plan=plans["basic"],
                                       actor=seller.representative, success_url="http://x.test/", cancel_url="http://x.test/")
    stripe_server.control(f"checkout_sessions/{url.rsplit('/', 1)[-1]}/complete")
    deliver(stripe_server, stripe_server.pending_events())
    processed = WebhookEvent.objects.across_tenants().get(type="charge.succeeded")
    assert processed.status == "processed"
    with django_capture_on_commit_callbacks(execute=True):
        assert webhooks.rerun(event=processed, actor=None) is False
    processed.refresh_from_db()
    assert processed.status == "processed" and processed.attempts == 1
    assert LedgerEntry.objects.for_tenant(seller.tenant).filter(kind="charge").count() == 1
