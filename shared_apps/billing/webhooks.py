"""Stripe's events: stored once when they arrive, applied once by a task.

``receive_event`` verifies the signature and stores the event by its id (a replay only
counts itself); ``process_event`` applies it inside a transaction with the event row and
the rows it changes locked. Subscription state never moves back: an event older than the
state already applied (Stripe's ``created``) is ignored. Ledger rows are unique per
Stripe object, so applying twice books once.
"""

from __future__ import annotations

import json
import logging
import traceback
from datetime import UTC, datetime
from functools import partial

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from shared_apps.billing import gateway, services
from shared_apps.billing.models import (
    BillingAccount,
    CompanyPrice,
    Invoice,
    InvoiceStatus,
    LedgerEntry,
    PaymentMethod,
    Plan,
    Subscription,
    SubscriptionStatus,
    WebhookEvent,
)

logger = logging.getLogger(__name__)


class InvalidEvent(ValueError):
    """The body is not a Stripe event, or its signature does not match the endpoint secret."""


class HandlerFailed(RuntimeError):
    """Applying an event raised; the event is kept as failed with the error, for a retry."""


def _when(timestamp) -> datetime | None:
    return datetime.fromtimestamp(int(timestamp), tz=UTC) if timestamp else None


def _plain(obj) -> dict:
    return obj.to_dict() if hasattr(obj, "to_dict") else dict(obj)


def _id(value) -> str:
    """A Stripe reference, whether expanded (an object) or not (its id)."""
    if isinstance(value, dict):
        return value.get("id", "")
    return value or ""


# Receiving


def receive_event(*, payload: bytes, signature: str) -> tuple[WebhookEvent, bool]:
    """Verify and store one event; returns it and whether it is new. A new event (or one
    still waiting from an earlier delivery) is queued for processing after commit."""
    import stripe

    try:
        gateway.construct_event(payload, signature)
        data = json.loads(payload)
        event_id, event_type, obj = data["id"], data["type"], data["data"]["object"]
    except (ValueError, KeyError, TypeError, stripe.SignatureVerificationError) as error:
        raise InvalidEvent(str(error)) from error
    with transaction.atomic():
        event, created = WebhookEvent.plain.get_or_create(
            stripe_event_id=event_id,
            defaults={"type": event_type, "api_version": data.get("api_version") or "", "livemode": bool(data.get("livemode")),
                      "object_id": obj.get("id", "") if isinstance(obj, dict) else "",
                      "created": _when(data.get("created")) or timezone.now(), "payload": data},
        )
        if not created:
            WebhookEvent.plain.filter(pk=event.pk).update(replays=F("replays") + 1)
        if created or event.status == WebhookEvent.Status.QUEUED:
            transaction.on_commit(partial(enqueue, event.pk), robust=True)
    return event, created


def enqueue(event_pk: int) -> None:
    from shared_apps.billing.tasks import process_webhook_event

    process_webhook_event.delay(event_pk)


RERUNNABLE = (WebhookEvent.Status.FAILED, WebhookEvent.Status.IGNORED)


def rerun(*, event: WebhookEvent, actor) -> bool:
    """Queue a failed (or ignored) event again, for finance or an operator; False when it is
    neither (a processed event is never applied twice, whatever is posted)."""
    from shared_apps.audit.services import record

    if not WebhookEvent.plain.filter(pk=event.pk, status__in=RERUNNABLE).update(status=WebhookEvent.Status.QUEUED):
        return False
    record(action="billing.event_rerun", tenant=event.tenant, actor=actor, target=event)
    transaction.on_commit(partial(enqueue, event.pk), robust=True)
    return True


# Processing


def process_event(event_pk: int) -> str:
    """Apply one stored event at most once; returns its status. Raises HandlerFailed after
    recording the error, so the task can retry with backoff."""
    failure = None
    with transaction.atomic():
        event = WebhookEvent.plain.select_for_update().get(pk=event_pk)
        if event.status in (WebhookEvent.Status.PROCESSED, WebhookEvent.Status.IGNORED):
            return event.status
        event.attempts += 1
        handler = HANDLERS.get(event.type)
        try:
            with transaction.atomic():
                tenant, applied = handler(event) if handler else (None, False)
        except Exception as error:
            failure = error
            event.status = WebhookEvent.Status.FAILED
            event.last_error = "".join(traceback.format_exception_only(error)).strip()[:4000]
            logger.exception("billing: Stripe event handler failed",
                             extra={"stripe_event": event.stripe_event_id, "type": event.type, "attempts": event.attempts})
        else:
            event.status = WebhookEvent.Status.PROCESSED if applied else WebhookEvent.Status.IGNORED
            event.tenant = tenant or event.tenant
            event.processed_at = timezone.now()
            event.last_error = ""
        event.save()
    if failure is not None:
        raise HandlerFailed(str(failure)) from failure
    return event.status


def _account_for_customer(customer_id: str) -> BillingAccount | None:
    if not customer_id:
        return None
    return BillingAccount.objects.across_tenants().select_related("tenant").filter(stripe_customer_id=customer_id).first()


def _local_subscription(stripe_subscription: dict) -> Subscription | None:
    """Ours for a Stripe subscription: by its id, or by the metadata Checkout carried."""
    scoped = Subscription.objects.across_tenants().select_for_update(of=("self",)).select_related("tenant", "plan", "account")
    found = scoped.filter(stripe_subscription_id=stripe_subscription["id"]).first()
    if found is not None:
        return found
    metadata = stripe_subscription.get("metadata") or {}
    if metadata.get("subscription") and metadata.get("tenant"):
        found = scoped.filter(pk=metadata["subscription"], tenant__schema_name=metadata["tenant"],
                              stripe_subscription_id="").first()
    return found


def _period(stripe_subscription: dict) -> tuple[datetime | None, datetime | None]:
    # Newer API versions keep the period on the subscription item, older ones on the subscription.
    start, end = stripe_subscription.get("current_period_start"), stripe_subscription.get("current_period_end")
    items = (stripe_subscription.get("items") or {}).get("data") or []
    if (start is None or end is None) and items:
        start, end = items[0].get("current_period_start"), items[0].get("current_period_end")
    return _when(start), _when(end)


def _price_of(stripe_subscription: dict) -> dict | None:
    items = (stripe_subscription.get("items") or {}).get("data") or []
    return items[0].get("price") if items else None


def _plan_for_price(tenant, price_id: str) -> Plan | None:
    plan = Plan.objects.for_tenant(tenant).filter(stripe_price_id=price_id).first()
    if plan is None:
        negotiated = CompanyPrice.objects.for_tenant(tenant).select_related("plan").filter(stripe_price_id=price_id).first()
        plan = negotiated.plan if negotiated else None
    return plan


STATUS_FROM_STRIPE = {
    "trialing": SubscriptionStatus.TRIALING,
    "active": SubscriptionStatus.ACTIVE,
    "past_due": SubscriptionStatus.PAST_DUE,
    "unpaid": SubscriptionStatus.PAST_DUE,
    "paused": SubscriptionStatus.SUSPENDED,
    "incomplete": SubscriptionStatus.INCOMPLETE,
    "incomplete_expired": SubscriptionStatus.CANCELED,
    "canceled": SubscriptionStatus.CANCELED,
}


def apply_stripe_subscription(stripe_subscription: dict, *, at: datetime) -> tuple[object, bool]:
    """Bring our subscription to Stripe's state as of ``at``, unless a newer state is applied."""
    subscription = _local_subscription(stripe_subscription)
    if subscription is None:
        return None, False
    tenant = subscription.tenant
    if subscription.stripe_state_at and at < subscription.stripe_state_at:
        logger.info("billing: stale subscription event ignored",
                    extra={"subscription": subscription.pk, "event_at": at.isoformat()})
        return tenant, False
    subscription.stripe_subscription_id = stripe_subscription["id"]
    subscription.stripe_state_at = at
    start, end = _period(stripe_subscription)
    subscription.current_period_start = start or subscription.current_period_start
    subscription.current_period_end = end or subscription.current_period_end
    subscription.trial_end = _when(stripe_subscription.get("trial_end"))
    subscription.cancel_at_period_end = bool(stripe_subscription.get("cancel_at_period_end"))
    price = _price_of(stripe_subscription)
    if price:
        plan = _plan_for_price(tenant, _id(price))
        if plan is not None and plan.pk != subscription.plan_id:
            subscription.plan = plan
        if isinstance(price, dict) and price.get("unit_amount") is not None:
            subscription.unit_amount = price["unit_amount"]
    status = STATUS_FROM_STRIPE.get(stripe_subscription.get("status"), subscription.status)
    previous = subscription.status
    subscription.save()
    if status == SubscriptionStatus.PAST_DUE and previous in (SubscriptionStatus.ACTIVE, SubscriptionStatus.TRIALING):
        services.mark_past_due(tenant=tenant, subscription=subscription, reason="stripe")
    elif status in (SubscriptionStatus.ACTIVE, SubscriptionStatus.TRIALING) and previous in (
            SubscriptionStatus.PAST_DUE, SubscriptionStatus.SUSPENDED):
        services.restore_if_settled(tenant=tenant, subscription=subscription)
        Subscription.objects.for_tenant(tenant).filter(pk=subscription.pk).update(status=status)
    elif status == SubscriptionStatus.PAST_DUE and previous == SubscriptionStatus.SUSPENDED:
        pass  # Still unpaid after grace: stays suspended until a payment arrives.
    elif status != previous:
        subscription.status = status
        if status == SubscriptionStatus.CANCELED:
            subscription.canceled_at = _when(stripe_subscription.get("canceled_at")) or timezone.now()
        subscription.save()
    return tenant, True


def on_checkout_completed(event: WebhookEvent):
    session = event.payload["data"]["object"]
    if session.get("mode") != "subscription" or not session.get("subscription"):
        return None, False
    stripe_subscription = _plain(gateway.retrieve_subscription(_id(session["subscription"])))
    # Checkout carries our ids in its own metadata; the subscription's may be missing.
    metadata = {**(session.get("metadata") or {}), **(stripe_subscription.get("metadata") or {})}
    stripe_subscription["metadata"] = metadata
    return apply_stripe_subscription(stripe_subscription, at=event.created)


def on_subscription_event(event: WebhookEvent):
    return apply_stripe_subscription(event.payload["data"]["object"], at=event.created)


def _invoice_subscription_id(stripe_invoice: dict) -> str:
    parent = (stripe_invoice.get("parent") or {}).get("subscription_details") or {}
    return _id(stripe_invoice.get("subscription")) or _id(parent.get("subscription"))


def _mirror_invoice(stripe_invoice: dict, account: BillingAccount) -> Invoice:
    """Our numbered copy of a Stripe invoice (made once, by its Stripe id)."""
    tenant = account.tenant
    existing = Invoice.objects.for_tenant(tenant).select_for_update().filter(stripe_invoice_id=stripe_invoice["id"]).first()
    if existing is not None:
        return existing
    subscription = Subscription.objects.for_tenant(tenant).filter(
        stripe_subscription_id=_invoice_subscription_id(stripe_invoice)).select_related("plan").first()
    lines = [
        services.LineSpec(
            description=line.get("description") or "", unit_amount=int(line.get("amount", 0)),
            period_start=_when((line.get("period") or {}).get("start")), period_end=_when((line.get("period") or {}).get("end")))
        for line in (stripe_invoice.get("lines") or {}).get("data", [])
    ]
    vat_rate = subscription.plan.vat_rate if subscription else services.Decimal("0")
    invoice = services.issue_invoice(
        tenant=tenant, account=account, subscription=subscription, lines=lines, payment_method=PaymentMethod.CARD,
        currency=stripe_invoice["currency"].upper(), vat_rate=vat_rate, stripe_invoice_id=stripe_invoice["id"],
        period_start=_when(stripe_invoice.get("period_start")), period_end=_when(stripe_invoice.get("period_end")),
        issued_at=_when((stripe_invoice.get("status_transitions") or {}).get("finalized_at")) or timezone.now(),
        due_date=timezone.localdate(), notify_company=False,
    )
    # Stripe computed the tax it charges: the copy shows exactly what the card paid.
    total, subtotal = int(stripe_invoice.get("total", invoice.gross_amount)), int(stripe_invoice.get("subtotal", invoice.net_amount))
    if (subtotal, total - subtotal) != (invoice.net_amount, invoice.vat_amount):
        Invoice.objects.for_tenant(tenant).filter(pk=invoice.pk).update(
            net_amount=subtotal, vat_amount=total - subtotal, gross_amount=total)
        LedgerEntry.objects.for_tenant(tenant).filter(invoice=invoice, kind=LedgerEntry.Kind.INVOICE).update(amount=total)
        invoice.refresh_from_db()
    Invoice.objects.for_tenant(tenant).filter(pk=invoice.pk).update(
        hosted_invoice_url=stripe_invoice.get("hosted_invoice_url") or "")
    return invoice


def on_invoice_event(event: WebhookEvent):
    stripe_invoice = event.payload["data"]["object"]
    account = _account_for_customer(_id(stripe_invoice.get("customer")))
    if account is None or stripe_invoice.get("status") == "draft":
        return (account.tenant if account else None), False
    tenant = account.tenant
    invoice = _mirror_invoice(stripe_invoice, account)
    subscription = None
    if invoice.subscription_id:
        subscription = Subscription.objects.for_tenant(tenant).select_for_update().select_related("plan", "account").get(
            pk=invoice.subscription_id)
    if event.type in ("invoice.paid", "invoice.payment_succeeded") and invoice.status != InvoiceStatus.PAID:
        invoice.status = InvoiceStatus.PAID
        invoice.amount_paid = int(stripe_invoice.get("amount_paid", invoice.gross_amount))
        invoice.paid_at = _when((stripe_invoice.get("status_transitions") or {}).get("paid_at")) or event.created
        invoice.save()
        if subscription is not None:
            _bump(subscription, event.created)
            services.restore_if_settled(tenant=tenant, subscription=subscription)
    elif event.type == "invoice.payment_failed" and subscription is not None:
        # A failure reported after the invoice was paid, or older than the state applied, is stale.
        if invoice.status == InvoiceStatus.PAID or (subscription.stripe_state_at and event.created < subscription.stripe_state_at):
            return tenant, False
        _bump(subscription, event.created)
        services.mark_past_due(tenant=tenant, subscription=subscription, reason=invoice.number)
    elif event.type == "invoice.voided" and invoice.status == InvoiceStatus.OPEN:
        invoice.status, invoice.voided_at = InvoiceStatus.VOID, event.created
        invoice.save()
    elif event.type == "invoice.marked_uncollectible" and invoice.status == InvoiceStatus.OPEN:
        invoice.status = InvoiceStatus.UNCOLLECTIBLE
        invoice.save()
    return tenant, True


def _bump(subscription: Subscription, at: datetime) -> None:
    if subscription.stripe_state_at is None or at > subscription.stripe_state_at:
        subscription.stripe_state_at = at
        subscription.save(update_fields=["stripe_state_at", "updated_at"])


def _book(**values) -> bool:
    """One ledger row per (kind, Stripe object); False when it was booked already."""
    try:
        with transaction.atomic():
            LedgerEntry.plain.create(**values)
    except IntegrityError:
        return False
    return True


def _invoice_for_charge(tenant, charge: dict) -> Invoice | None:
    stripe_invoice_id = _id(charge.get("invoice"))
    if not stripe_invoice_id:
        return None
    return Invoice.objects.for_tenant(tenant).filter(stripe_invoice_id=stripe_invoice_id).first()


def on_charge_succeeded(event: WebhookEvent):
    charge = event.payload["data"]["object"]
    account = _account_for_customer(_id(charge.get("customer")))
    if account is None:
        return None, False
    tenant = account.tenant
    invoice = _invoice_for_charge(tenant, charge)
    common = {"tenant": tenant, "account": account, "invoice": invoice, "company_id": account.company_id,
              "company_name": account.company_name, "source": LedgerEntry.Source.STRIPE,
              "currency": charge["currency"].upper()}
    transaction_ref = charge.get("balance_transaction")
    balance = transaction_ref if isinstance(transaction_ref, dict) else (
        _plain(gateway.retrieve_balance_transaction(transaction_ref)) if transaction_ref else {})
    occurred = _when(charge.get("created")) or event.created
    _book(**common, kind=LedgerEntry.Kind.CHARGE, amount=int(charge["amount"]), occurred_at=occurred,
          stripe_object_id=charge["id"], stripe_balance_transaction_id=balance.get("id", ""),
          description=charge.get("description") or (invoice.number if invoice else ""))
    if balance.get("fee"):
        _book(**common, kind=LedgerEntry.Kind.FEE, amount=-int(balance["fee"]), occurred_at=occurred,
              stripe_object_id=balance["id"], stripe_balance_transaction_id=balance["id"], description="Stripe")
    return tenant, True


def on_charge_refunded(event: WebhookEvent):
    charge = event.payload["data"]["object"]
    account = _account_for_customer(_id(charge.get("customer")))
    if account is None:
        return None, False
    tenant = account.tenant
    invoice = _invoice_for_charge(tenant, charge)
    refunds = _plain(gateway.list_refunds(charge["id"])).get("data", [])
    for refund in refunds:
        if refund.get("status") not in ("succeeded", "pending"):
            continue
        balance = refund.get("balance_transaction")
        _book(tenant=tenant, account=account, invoice=invoice, company_id=account.company_id,
              company_name=account.company_name, source=LedgerEntry.Source.STRIPE, kind=LedgerEntry.Kind.REFUND,
              amount=-int(refund["amount"]), currency=refund["currency"].upper(),
              occurred_at=_when(refund.get("created")) or event.created, stripe_object_id=refund["id"],
              stripe_balance_transaction_id=_id(balance), description=refund.get("reason") or "")
    return tenant, True


def on_payout_paid(event: WebhookEvent):
    payout = event.payload["data"]["object"]
    booked = _book(tenant=None, kind=LedgerEntry.Kind.PAYOUT, source=LedgerEntry.Source.STRIPE,
                   amount=-int(payout["amount"]), currency=payout["currency"].upper(),
                   occurred_at=_when(payout.get("arrival_date")) or event.created, stripe_object_id=payout["id"],
                   stripe_payout_id=payout["id"], stripe_balance_transaction_id=_id(payout.get("balance_transaction")),
                   description=payout.get("description") or "")
    return None, booked


HANDLERS = {
    "checkout.session.completed": on_checkout_completed,
    "customer.subscription.created": on_subscription_event,
    "customer.subscription.updated": on_subscription_event,
    "customer.subscription.deleted": on_subscription_event,
    "customer.subscription.paused": on_subscription_event,
    "customer.subscription.resumed": on_subscription_event,
    "invoice.finalized": on_invoice_event,
    "invoice.paid": on_invoice_event,
    "invoice.payment_succeeded": on_invoice_event,
    "invoice.payment_failed": on_invoice_event,
    "invoice.voided": on_invoice_event,
    "invoice.marked_uncollectible": on_invoice_event,
    "charge.succeeded": on_charge_succeeded,
    "charge.refunded": on_charge_refunded,
    "payout.paid": on_payout_paid,
}
# What to enable on the endpoint in Stripe's dashboard (docs/billing.md lists it too).
EVENT_TYPES = sorted(HANDLERS)
