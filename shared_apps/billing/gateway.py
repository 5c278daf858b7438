"""Every call to Stripe, through the official library, configured from settings only.

Nothing here writes to the database: services decide, this module talks to Stripe.
Requests that create something carry an idempotency key derived from our own ids, so a
retried request (network error, worker restart) never creates a second object.
"""

from __future__ import annotations

import logging

import stripe
from django.conf import settings

logger = logging.getLogger(__name__)


class CardPaymentsUnavailable(RuntimeError):
    """Card payments were asked for on a platform without Stripe keys."""


def is_enabled() -> bool:
    return bool(settings.STRIPE_SECRET_KEY)


def webhooks_enabled() -> bool:
    return bool(settings.STRIPE_WEBHOOK_SECRET)


def client() -> stripe.StripeClient:
    if not is_enabled():
        raise CardPaymentsUnavailable("STRIPE_SECRET_KEY is not set")
    return stripe.StripeClient(
        settings.STRIPE_SECRET_KEY,
        base_addresses={"api": settings.STRIPE_API_BASE},
        max_network_retries=2,
        http_client=stripe.new_default_http_client(timeout=settings.STRIPE_TIMEOUT_SECONDS),
    )


def _options(idempotency_key: str | None = None) -> dict:
    return {"idempotency_key": idempotency_key} if idempotency_key else {}


def construct_event(payload: bytes, signature: str) -> stripe.Event:
    """Verify ``Stripe-Signature`` with the endpoint secret; raises on a bad or stale signature."""
    return stripe.Webhook.construct_event(payload, signature, settings.STRIPE_WEBHOOK_SECRET)


def create_customer(*, account, tenant_schema: str) -> str:
    customer = client().v1.customers.create(
        params={
            "email": account.billing_email,
            "name": account.legal_name or account.company_name,
            "metadata": {"tenant": tenant_schema, "account": str(account.pk), "company": str(account.company_id)},
        },
        options=_options(f"customer-{tenant_schema}-{account.pk}"),
    )
    return customer.id


def update_customer(*, customer_id: str, email: str, name: str) -> None:
    client().v1.customers.update(customer_id, params={"email": email, "name": name})


def create_product(*, plan, tenant_schema: str) -> str:
    product = client().v1.products.create(
        params={"name": plan.name, "metadata": {"tenant": tenant_schema, "plan": str(plan.pk)}},
        options=_options(f"product-{tenant_schema}-{plan.pk}"),
    )
    return product.id


def create_price(*, product_id: str, amount: int, currency: str, interval: str, key: str) -> str:
    """A recurring price. Stripe prices never change: a new amount is a new price."""
    price = client().v1.prices.create(
        params={
            "product": product_id,
            "unit_amount": amount,
            "currency": currency.lower(),
            "recurring": {"interval": interval},
            "tax_behavior": "exclusive",
        },
        options=_options(f"price-{key}-{amount}-{currency}-{interval}"),
    )
    return price.id


def tax_rate_for(percentage) -> str:
    """An exclusive VAT tax rate of ``percentage``: an existing active one, or a new one."""
    rates = client().v1.tax_rates.list(params={"active": True, "limit": 100})
    for rate in rates.data:
        if not rate.inclusive and float(rate.percentage) == float(percentage):
            return rate.id
    rate = client().v1.tax_rates.create(
        params={"display_name": "VAT", "percentage": str(percentage), "inclusive": False},
        options=_options(f"tax-rate-{percentage}"),
    )
    return rate.id


def create_checkout_session(*, customer_id: str, price_id: str, subscription_ref: str, trial_days: int,
                            success_url: str, cancel_url: str, metadata: dict, locale: str = "auto",
                            tax_rate_id: str = ""):
    subscription_data: dict = {"metadata": metadata}
    if tax_rate_id:
        subscription_data["default_tax_rates"] = [tax_rate_id]
    if trial_days:
        subscription_data["trial_period_days"] = trial_days
    return client().v1.checkout.sessions.create(
        params={
            "mode": "subscription",
            "customer": customer_id,
            "client_reference_id": subscription_ref,
            "line_items": [{"price": price_id, "quantity": 1}],
            "subscription_data": subscription_data,
            "metadata": metadata,
            "success_url": success_url,
            "cancel_url": cancel_url,
            "locale": locale,
        },
        options=_options(f"checkout-{subscription_ref}"),
    )


def create_portal_session(*, customer_id: str, return_url: str) -> str:
    session = client().v1.billing_portal.sessions.create(params={"customer": customer_id, "return_url": return_url})
    return session.url


def retrieve_subscription(subscription_id: str):
    return client().v1.subscriptions.retrieve(subscription_id)


def change_subscription_price(*, subscription_id: str, price_id: str):
    """Move the subscription to another price now; Stripe prorates on the next invoice."""
    current = retrieve_subscription(subscription_id)
    item_id = current["items"]["data"][0]["id"]
    return client().v1.subscriptions.update(
        subscription_id,
        params={"items": [{"id": item_id, "price": price_id}], "proration_behavior": "create_prorations"},
    )


def set_cancel_at_period_end(*, subscription_id: str, cancel: bool):
    return client().v1.subscriptions.update(subscription_id, params={"cancel_at_period_end": cancel})


def cancel_subscription_now(subscription_id: str):
    return client().v1.subscriptions.cancel(subscription_id)


def retrieve_invoice(invoice_id: str):
    return client().v1.invoices.retrieve(invoice_id)


def retrieve_charge(charge_id: str):
    return client().v1.charges.retrieve(charge_id, params={"expand": ["balance_transaction"]})


def list_refunds(charge_id: str):
    return client().v1.refunds.list(params={"charge": charge_id, "limit": 100, "expand": ["data.balance_transaction"]})


def create_refund(*, charge_id: str, amount: int | None, key: str):
    params: dict = {"charge": charge_id}
    if amount is not None:
        params["amount"] = amount
    return client().v1.refunds.create(params=params, options=_options(f"refund-{key}"))


def retrieve_balance_transaction(transaction_id: str):
    return client().v1.balance_transactions.retrieve(transaction_id)
