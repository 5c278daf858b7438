"""The showroom demo gets plans, a negotiated price, bank details and months of invoices
paid by transfer, all through billing's services: the ledger agrees with the invoices."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from django_tenants.utils import tenant_context

from platform_core.demo_directory import seed_directory
from shared_apps.billing import services
from shared_apps.billing.demo import NEGOTIATED, PLANS, SUBSCRIPTIONS, seed_billing
from shared_apps.billing.models import (
    BillingAccount,
    CompanyPrice,
    Invoice,
    InvoiceStatus,
    LedgerEntry,
    Plan,
    Subscription,
    SubscriptionStatus,
)
from shared_apps.finance import selectors as finance_selectors
from shared_apps.finance import services as finance
from shared_apps.finance.models import ReconciliationItem
from tenant_apps.catalogue.demo import seed_catalogue


def _seed(programme, people):
    with tenant_context(programme.tenant):
        seed_directory(programme.tenant, "showroom", people)
        seed_catalogue(programme.tenant, "showroom", people)
        seed_billing(programme.tenant, "showroom", people)


def _counts(tenant) -> dict:
    return {model.__name__: model.objects.for_tenant(tenant).count()
            for model in (Plan, CompanyPrice, BillingAccount, Subscription, Invoice, LedgerEntry)}


def test_showroom_demo_bills_supported_companies_by_transfer_once(beta, settings):
    settings.STRIPE_SECRET_KEY = ""
    tenant = beta.tenant
    people = {"Usinage Précis Lyonnais": beta.members["company_rep"], "Claire Dubois": beta.members["tenant_admin"]}
    _seed(beta, people)
    seeded = _counts(tenant)
    _seed(beta, people)

    assert _counts(tenant) == seeded
    assert seeded["Plan"] == len(PLANS) and seeded["CompanyPrice"] == 1
    assert seeded["Subscription"] == seeded["BillingAccount"] == len(SUBSCRIPTIONS)
    billing_settings = services.settings_for(tenant)
    assert billing_settings.iban and billing_settings.bic and billing_settings.invoice_prefix == "SF"

    subscriptions = {s.company_name: s for s in Subscription.objects.for_tenant(tenant).select_related("plan")}
    invoices = Invoice.objects.for_tenant(tenant)
    today = timezone.localdate()
    negotiated = subscriptions[NEGOTIATED[1]]
    assert negotiated.unit_amount == NEGOTIATED[2] < negotiated.plan.amount
    assert not invoices.filter(company_id=negotiated.company_id).exclude(status=InvoiceStatus.PAID).exists()
    assert invoices.filter(company_id=negotiated.company_id).count() >= 6

    [waiting] = invoices.filter(company_name="AgriTech Beauce", status=InvoiceStatus.OPEN)
    assert waiting.due_date >= today and subscriptions["AgriTech Beauce"].status == SubscriptionStatus.ACTIVE
    late = subscriptions["Aéro Composites Toulouse"]
    [overdue] = invoices.filter(company_id=late.company_id, status=InvoiceStatus.OPEN)
    assert overdue.due_date < today and overdue.reminder_count >= 1
    assert late.status == SubscriptionStatus.PAST_DUE and late.grace_deadline > timezone.now()
    assert {s.status for name, s in subscriptions.items() if name != late.company_name} == {SubscriptionStatus.ACTIVE}

    # Nothing card-related: the demo has no Stripe keys.
    assert not LedgerEntry.objects.for_tenant(tenant).exclude(source__in=["platform", "bank"]).exists()
    assert not Subscription.objects.for_tenant(tenant).exclude(stripe_subscription_id="").exists()

    # The ledger agrees with the invoices and transfers, and finance sees the receivables.
    run = finance.reconcile(tenant=tenant, days=400)
    assert run.checked["invoices"] == invoices.count() and run.found == 0
    assert not ReconciliationItem.objects.for_tenant(tenant).exists()
    [figures] = finance_selectors.totals_for_programme(tenant, since=today - timedelta(days=365), until=today)
    assert figures.currency == "EUR"
    assert figures.outstanding == waiting.gross_amount + overdue.gross_amount
    assert figures.overdue == overdue.gross_amount
    paid = sum(invoice.amount_paid for invoice in invoices)
    assert figures.revenue == paid > 0


def test_other_programmes_get_no_billing(alpha):
    with tenant_context(alpha.tenant):
        seed_billing(alpha.tenant, "francophonie", {})
    assert not Plan.objects.for_tenant(alpha.tenant).exists()
