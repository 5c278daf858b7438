"""Reads for billing pages. Every function names its tenant; a company's own reads name the
company too, so another company's rows answer like rows that do not exist."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from django_tenants.utils import schema_context

from shared_apps.billing.models import (
    LIVE_STATUSES,
    BillingAccount,
    CompanyPrice,
    Invoice,
    InvoiceLine,
    InvoiceStatus,
    LedgerEntry,
    Plan,
    Subscription,
    WebhookEvent,
)


def plans_of(tenant) -> QuerySet[Plan]:
    return Plan.objects.for_tenant(tenant)


def plans_offered(tenant) -> list[Plan]:
    return list(Plan.objects.for_tenant(tenant).filter(is_active=True))


def plan_in(tenant, pk) -> Plan | None:
    return Plan.objects.for_tenant(tenant).filter(pk=pk).first()


def account_of(tenant, company_id: int | None) -> BillingAccount | None:
    if company_id is None:
        return None
    return BillingAccount.objects.for_tenant(tenant).filter(company_id=company_id).first()


def live_subscription(tenant, company_id: int | None) -> Subscription | None:
    if company_id is None:
        return None
    return (Subscription.objects.for_tenant(tenant).filter(company_id=company_id, status__in=LIVE_STATUSES)
            .select_related("plan", "account").first())


def live_subscriptions(tenant, company_ids) -> dict[int, Subscription]:
    """Each of these companies' live subscription (with its plan), by company id, in one query."""
    subscriptions = (Subscription.objects.for_tenant(tenant).filter(company_id__in=list(company_ids),
                                                                    status__in=LIVE_STATUSES)
                     .select_related("plan").order_by("company_id", "-pk"))
    found: dict[int, Subscription] = {}
    for subscription in subscriptions:
        found.setdefault(subscription.company_id, subscription)
    return found


def _lines() -> Prefetch:
    # The invoice is already the tenant's: its lines need no scope of their own.
    return Prefetch("lines", queryset=InvoiceLine.objects.across_tenants())


def invoices_of_company(tenant, company_id: int) -> QuerySet[Invoice]:
    return Invoice.objects.for_tenant(tenant).filter(company_id=company_id).exclude(status=InvoiceStatus.DRAFT)


def invoice_of_company(tenant, company_id: int | None, pk) -> Invoice | None:
    if company_id is None:
        return None
    return invoices_of_company(tenant, company_id).prefetch_related(_lines()).filter(pk=pk).first()


def invoices_of(tenant, *, status: str = "") -> QuerySet[Invoice]:
    invoices = Invoice.objects.for_tenant(tenant).exclude(status=InvoiceStatus.DRAFT)
    return invoices.filter(status=status) if status else invoices


def invoice_in(tenant, pk) -> Invoice | None:
    return (Invoice.objects.for_tenant(tenant).exclude(status=InvoiceStatus.DRAFT)
            .select_related("account", "subscription", "marked_paid_by")
            .prefetch_related(_lines(), Prefetch("ledger_entries", queryset=LedgerEntry.objects.across_tenants()))
            .filter(pk=pk).first())


def subscriptions_of(tenant) -> QuerySet[Subscription]:
    return Subscription.objects.for_tenant(tenant).select_related("plan").order_by("company_name", "-created_at")


def company_prices_of(tenant) -> QuerySet[CompanyPrice]:
    return CompanyPrice.objects.for_tenant(tenant).select_related("plan")


def company_price_in(tenant, pk) -> CompanyPrice | None:
    return CompanyPrice.objects.for_tenant(tenant).filter(pk=pk).first()


def negotiated_prices_for(tenant, company_id: int) -> dict[int, CompanyPrice]:
    """The company's negotiated prices by plan id (valid ones only), in one query."""
    prices = CompanyPrice.objects.for_tenant(tenant).filter(company_id=company_id)
    return {price.plan_id: price for price in prices if price.applies()}


def events_of(tenant=None, *, status: str = "") -> QuerySet[WebhookEvent]:
    """A tenant's Stripe events, or every event for operators (``tenant=None``)."""
    events = WebhookEvent.objects.for_tenant(tenant) if tenant is not None else WebhookEvent.objects.across_tenants()
    events = events.select_related("tenant").defer("payload")
    return events.filter(status=status) if status else events


def event_in(tenant, pk) -> WebhookEvent | None:
    events = WebhookEvent.objects.for_tenant(tenant) if tenant is not None else WebhookEvent.objects.across_tenants()
    return events.filter(pk=pk).first()


def companies_to_choose(tenant) -> list[tuple[int, str]]:
    """The programme's companies, for negotiated prices (read in its schema)."""
    from tenant_apps.directory.models import Company

    with schema_context(tenant.schema_name):
        return list(Company.objects.order_by("name").values_list("pk", "name"))
