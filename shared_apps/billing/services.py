"""Writes for paid seller accounts: plans, prices, subscriptions, invoices, payments, dunning.

Every function takes its tenant explicitly and touches only that tenant's rows. Money is
an integer number of cents. Refusals a person can act on are ``ValidationError``s (with a
field name where one applies); Stripe being unreachable is ``PaymentProviderError``.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.crypto import get_random_string
from django.utils.translation import gettext as _
from django_tenants.utils import schema_context

from shared_apps.audit.services import record
from shared_apps.billing import gateway
from shared_apps.billing.models import (
    FEATURES,
    LIVE_STATUSES,
    BillingAccount,
    BillingSettings,
    CompanyPrice,
    Interval,
    Invoice,
    InvoiceCounter,
    InvoiceLine,
    InvoiceStatus,
    LedgerEntry,
    PaymentMethod,
    Plan,
    Subscription,
    SubscriptionStatus,
)

logger = logging.getLogger(__name__)

# EU member states, for the B2B reverse charge (article 196 of the VAT directive).
EU_COUNTRIES = frozenset(
    ["AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU", "IE", "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK"]
)


class PaymentProviderError(RuntimeError):
    """Stripe refused or could not be reached; the message is safe to show."""


@dataclass(frozen=True)
class LineSpec:
    description: str
    unit_amount: int
    quantity: int = 1
    period_start: datetime | None = None
    period_end: datetime | None = None


# Settings


def settings_for(tenant) -> BillingSettings:
    billing_settings, _created = BillingSettings.plain.get_or_create(tenant=tenant)
    return billing_settings


def update_settings(*, tenant, actor, **values) -> BillingSettings:
    billing_settings = settings_for(tenant)
    before = {key: getattr(billing_settings, key) for key in values}
    for key, value in values.items():
        setattr(billing_settings, key, value)
    billing_settings.full_clean(exclude=["tenant"])
    billing_settings.save()
    record(action="billing.settings_changed", tenant=tenant, actor=actor, target=billing_settings,
           before=before, after=values)
    return billing_settings


# Plans and prices


def _clean_features(features: dict) -> dict:
    cleaned = {}
    for key, value in (features or {}).items():
        if key not in FEATURES:
            raise ValidationError({"features": _("Unknown feature: %(name)s.") % {"name": key}})
        try:
            number = int(value)
        except (TypeError, ValueError):
            raise ValidationError({"features": _("Quotas are whole numbers.")}) from None
        if number < 0:
            raise ValidationError({"features": _("Quotas cannot be negative.")})
        cleaned[key] = number
    return cleaned


def save_plan(*, tenant, actor, plan: Plan | None = None, **values) -> Plan:
    """Create or change a plan. A new price or interval gets a new Stripe price on next use;
    subscriptions already running keep the price they were sold at."""
    creating = plan is None
    plan = plan or Plan(tenant=tenant)
    if plan.tenant_id != tenant.pk:
        raise ValidationError(_("This plan belongs to another programme."))
    before = {"amount": plan.amount, "currency": plan.currency, "interval": plan.interval} if not creating else {}
    if "features" in values:
        values["features"] = _clean_features(values["features"])
    if "currency" in values:
        values["currency"] = (values["currency"] or "").upper()
    for key, value in values.items():
        setattr(plan, key, value)
    if not creating and before != {"amount": plan.amount, "currency": plan.currency, "interval": plan.interval}:
        plan.stripe_price_id = ""
    plan.full_clean(exclude=["tenant"], validate_unique=False)
    if Plan.objects.for_tenant(tenant).filter(code=plan.code).exclude(pk=plan.pk).exists():
        raise ValidationError({"code": _("Another plan already uses this code.")})
    plan.save()
    record(action="billing.plan_saved", tenant=tenant, actor=actor, target=plan,
           after={"code": plan.code, "amount": plan.amount, "currency": plan.currency, "interval": plan.interval,
                  "features": plan.features, "is_active": plan.is_active})
    return plan


def set_company_price(*, tenant, actor, plan: Plan, company_id: int, company_name: str, amount: int | None = None,
                      discount_percent: Decimal | None = None, valid_until=None, note: str = "") -> CompanyPrice:
    """Negotiate a price for one company: a fixed amount or a percentage off (exactly one)."""
    if plan.tenant_id != tenant.pk:
        raise ValidationError(_("This plan belongs to another programme."))
    if (amount is None) == (discount_percent is None):
        raise ValidationError({"amount": _("Give either a negotiated price or a discount, not both.")})
    price, _created = CompanyPrice.plain.update_or_create(
        plan=plan, company_id=company_id,
        defaults={"tenant": tenant, "company_name": company_name, "amount": amount, "discount_percent": discount_percent,
                  "valid_until": valid_until, "note": note, "stripe_price_id": "", "created_by": actor},
    )
    record(action="billing.company_price_set", tenant=tenant, actor=actor, target=price,
           after={"plan": plan.code, "company": company_id, "amount": amount,
                  "discount_percent": str(discount_percent) if discount_percent is not None else None})
    return price


def remove_company_price(*, tenant, actor, price: CompanyPrice) -> None:
    if price.tenant_id != tenant.pk:
        raise ValidationError(_("This price belongs to another programme."))
    record(action="billing.company_price_removed", tenant=tenant, actor=actor, target=price)
    price.delete()


def negotiated_price(plan: Plan, company_id: int) -> CompanyPrice | None:
    price = CompanyPrice.objects.for_tenant(plan.tenant_id).filter(plan=plan, company_id=company_id).first()
    return price if price is not None and price.applies() else None


def price_for(plan: Plan, company_id: int) -> int:
    """What this company pays for the plan per period, before VAT."""
    negotiated = negotiated_price(plan, company_id)
    return negotiated.price_for(plan.amount) if negotiated else plan.amount


# Accounts


def is_reverse_charge(*, country: str, vat_number: str) -> bool:
    home = settings.BILLING_HOME_COUNTRY
    return bool(vat_number.strip()) and country in EU_COUNTRIES and country != home


def save_account(*, tenant, actor, company_id: int, company_name: str, billing_email: str, country: str,
                 legal_name: str = "", address: str = "", vat_number: str = "") -> BillingAccount:
    """Create or update the billing details of a company; reverse charge follows from them."""
    country = (country or "").upper()
    vat_number = (vat_number or "").replace(" ", "").upper()
    account = BillingAccount.objects.for_tenant(tenant).filter(company_id=company_id).first()
    account = account or BillingAccount(tenant=tenant, company_id=company_id)
    account.company_name = company_name
    account.legal_name = legal_name.strip()
    account.billing_email = billing_email.strip()
    account.address = address.strip()
    account.country = country
    account.vat_number = vat_number
    account.is_reverse_charge = is_reverse_charge(country=country, vat_number=vat_number)
    account.full_clean(exclude=["tenant"], validate_unique=False, validate_constraints=False)
    account.save()
    if account.stripe_customer_id and gateway.is_enabled():
        try:
            gateway.update_customer(customer_id=account.stripe_customer_id, email=account.billing_email,
                                    name=account.legal_name or account.company_name)
        except Exception:
            # The next Checkout or portal visit sends the details again; saving them here must not fail.
            logger.exception("billing: could not update the Stripe customer", extra={"account": account.pk})
    record(action="billing.account_saved", tenant=tenant, actor=actor, target=account,
           after={"billing_email": account.billing_email, "country": country, "vat_number": vat_number,
                  "reverse_charge": account.is_reverse_charge})
    return account


# Invoices


def vat_for(net: int, rate: Decimal, *, reverse_charge: bool) -> int:
    if reverse_charge:
        return 0
    return int((Decimal(net) * rate / Decimal(100)).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def allocate_invoice_number(tenant, year: int) -> tuple[int, str]:
    """The next number in the tenant's yearly series, with no gap: the counter row is locked
    until the caller's transaction commits, so concurrent issuers wait their turn."""
    InvoiceCounter.plain.get_or_create(tenant=tenant, year=year)
    counter = InvoiceCounter.objects.for_tenant(tenant).select_for_update().get(year=year)
    counter.last_number = F("last_number") + 1
    counter.save(update_fields=["last_number"])
    counter.refresh_from_db(fields=["last_number"])
    prefix = settings_for(tenant).invoice_prefix
    return counter.last_number, f"{prefix}-{year}-{counter.last_number:05d}"


def _issuer_snapshot(tenant) -> dict:
    billing_settings = settings_for(tenant)
    return {
        "name": billing_settings.issuer_name or tenant.name,
        "address": billing_settings.issuer_address,
        "vat_number": billing_settings.issuer_vat_number,
        "registration": billing_settings.issuer_registration,
        "bank_account_holder": billing_settings.bank_account_holder or billing_settings.issuer_name or tenant.name,
        "bank_name": billing_settings.bank_name,
        "iban": billing_settings.iban,
        "bic": billing_settings.bic,
    }


def _customer_snapshot(account: BillingAccount) -> dict:
    return {"name": account.legal_name or account.company_name, "address": account.address, "country": account.country,
            "vat_number": account.vat_number, "email": account.billing_email}


@transaction.atomic
def issue_invoice(*, tenant, account: BillingAccount, lines: list[LineSpec], payment_method: str, currency: str,
                  vat_rate: Decimal, subscription: Subscription | None = None, period_start=None, period_end=None,
                  stripe_invoice_id: str = "", issued_at=None, due_date=None, notify_company: bool = True) -> Invoice:
    """Issue an invoice now: number taken from the tenant's series, amounts and parties frozen,
    one ledger entry for the amount owed. Bank-transfer invoices get a transfer reference."""
    if account.tenant_id != tenant.pk:
        raise ValidationError(_("This account belongs to another programme."))
    issued_at = issued_at or timezone.now()
    billing_settings = settings_for(tenant)
    net = sum(line.unit_amount * line.quantity for line in lines)
    vat = vat_for(net, vat_rate, reverse_charge=account.is_reverse_charge)
    year = timezone.localtime(issued_at).year
    sequence, number = allocate_invoice_number(tenant, year)
    if due_date is None:
        due_date = timezone.localtime(issued_at).date() + timedelta(days=billing_settings.invoice_due_days)
    invoice = Invoice.plain.create(
        tenant=tenant, account=account, subscription=subscription, company_id=account.company_id,
        company_name=account.company_name, number=number, year=year, sequence=sequence, status=InvoiceStatus.OPEN,
        payment_method=payment_method, currency=currency, net_amount=net, vat_rate=vat_rate, vat_amount=vat,
        gross_amount=net + vat, is_reverse_charge=account.is_reverse_charge, issued_at=issued_at, due_date=due_date,
        period_start=period_start, period_end=period_end, issuer=_issuer_snapshot(tenant),
        customer=_customer_snapshot(account), stripe_invoice_id=stripe_invoice_id,
        bank_reference=number.replace("-", "") if payment_method == PaymentMethod.INVOICE else "",
    )
    InvoiceLine.plain.bulk_create([
        InvoiceLine(tenant=tenant, invoice=invoice, description=line.description[:300], quantity=line.quantity,
                    unit_amount=line.unit_amount, net_amount=line.unit_amount * line.quantity,
                    period_start=line.period_start, period_end=line.period_end, position=position)
        for position, line in enumerate(lines)
    ])
    LedgerEntry.plain.create(
        tenant=tenant, account=account, invoice=invoice, subscription=subscription, company_id=account.company_id,
        company_name=account.company_name, kind=LedgerEntry.Kind.INVOICE, source=LedgerEntry.Source.PLATFORM,
        amount=invoice.gross_amount, currency=currency, occurred_at=issued_at, description=number,
    )
    record(action="billing.invoice_issued", tenant=tenant, actor=None, target=invoice,
           after={"number": number, "gross": invoice.gross_amount, "currency": currency})
    if notify_company and payment_method == PaymentMethod.INVOICE:
        transaction.on_commit(lambda: warn_company(tenant=tenant, account=account, kind="billing.invoice_issued",
                                                   invoice=invoice), robust=True)
    return invoice


def _plan_line(plan: Plan, amount: int, start, end) -> LineSpec:
    label = _("%(plan)s, from %(start)s to %(end)s") % {
        "plan": plan.name, "start": timezone.localtime(start).date().isoformat(),
        "end": timezone.localtime(end).date().isoformat()}
    return LineSpec(description=label, unit_amount=amount, period_start=start, period_end=end)


def period_end_after(start: datetime, interval: str) -> datetime:
    """The same day of the next month or year (the last day when that month is shorter)."""
    months = 12 if interval == Interval.YEAR else 1
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    import calendar

    day = min(start.day, calendar.monthrange(year, month)[1])
    return start.replace(year=year, month=month, day=day)


@transaction.atomic
def mark_invoice_paid(*, tenant, invoice: Invoice, actor, reference: str, paid_at=None,
                      amount: int | None = None) -> Invoice:
    """Record a bank transfer against an invoice (finance or an operator). Once paid in full,
    the invoice is paid and a subscription held back by it gets its paid features again."""
    invoice = Invoice.objects.for_tenant(tenant).select_for_update().get(pk=invoice.pk)
    reference = (reference or "").strip()
    if not reference:
        raise ValidationError({"reference": _("Give the reference of the transfer, as the bank statement shows it.")})
    if invoice.status not in (InvoiceStatus.OPEN, InvoiceStatus.UNCOLLECTIBLE):
        raise ValidationError(_("Only an invoice awaiting payment can be marked as paid."))
    amount = invoice.amount_due if amount is None else amount
    if amount <= 0 or amount > invoice.amount_due:
        raise ValidationError({"amount": _("The amount must be more than zero and at most what is due.")})
    paid_at = paid_at or timezone.now()
    try:
        with transaction.atomic():
            LedgerEntry.plain.create(
                tenant=tenant, account=invoice.account, invoice=invoice, subscription=invoice.subscription,
                company_id=invoice.company_id, company_name=invoice.company_name, kind=LedgerEntry.Kind.PAYMENT,
                source=LedgerEntry.Source.BANK, amount=amount, currency=invoice.currency, occurred_at=paid_at,
                description=invoice.number, bank_reference=reference, created_by=actor,
            )
    except IntegrityError:
        raise ValidationError({"reference": _("This transfer is already recorded for this invoice.")}) from None
    invoice.amount_paid += amount
    invoice.payment_reference = ", ".join(filter(None, [invoice.payment_reference, reference]))[:120]
    invoice.marked_paid_by = actor
    if invoice.amount_due == 0:
        invoice.status = InvoiceStatus.PAID
        invoice.paid_at = paid_at
    invoice.save()
    record(action="billing.invoice_paid", tenant=tenant, actor=actor, target=invoice,
           after={"amount": amount, "reference": reference, "status": invoice.status})
    if invoice.status == InvoiceStatus.PAID and invoice.subscription_id:
        restore_if_settled(tenant=tenant, subscription=invoice.subscription)
    return invoice


@transaction.atomic
def void_invoice(*, tenant, invoice: Invoice, actor) -> Invoice:
    """Cancel an unpaid invoice. It keeps its number (no gap); its ledger entry is reversed."""
    invoice = Invoice.objects.for_tenant(tenant).select_for_update().get(pk=invoice.pk)
    if invoice.status != InvoiceStatus.OPEN or invoice.amount_paid:
        raise ValidationError(_("Only an unpaid invoice can be voided."))
    if invoice.stripe_invoice_id:
        raise ValidationError(_("Card invoices are managed in Stripe."))
    invoice.status = InvoiceStatus.VOID
    invoice.voided_at = timezone.now()
    invoice.save(update_fields=["status", "voided_at", "updated_at"])
    LedgerEntry.plain.create(
        tenant=tenant, account=invoice.account, invoice=invoice, subscription=invoice.subscription,
        company_id=invoice.company_id, company_name=invoice.company_name, kind=LedgerEntry.Kind.ADJUSTMENT,
        source=LedgerEntry.Source.PLATFORM, amount=-invoice.gross_amount, currency=invoice.currency,
        description=_("Invoice %(number)s voided") % {"number": invoice.number}, created_by=actor,
    )
    record(action="billing.invoice_voided", tenant=tenant, actor=actor, target=invoice)
    if invoice.subscription_id:
        restore_if_settled(tenant=tenant, subscription=invoice.subscription)
    return invoice


# Subscriptions


def _require_no_live_subscription(tenant, account: BillingAccount) -> None:
    live = Subscription.objects.for_tenant(tenant).filter(account=account, status__in=LIVE_STATUSES)
    live = live.exclude(status=SubscriptionStatus.INCOMPLETE)
    if live.exists():
        raise ValidationError(_("This company already has a subscription: change its plan instead."))


def _require_offered(tenant, plan: Plan) -> None:
    if plan.tenant_id != tenant.pk or not plan.is_active:
        raise ValidationError({"plan": _("This plan is not offered.")})


@transaction.atomic
def subscribe_by_invoice(*, tenant, account: BillingAccount, plan: Plan, actor,
                         start: datetime | None = None) -> Subscription:
    """Start a subscription paid by bank transfer, now or at ``start`` (the demo replays a
    past one). With a trial, the first invoice comes at its end; otherwise it is issued at
    the start, due in the programme's payment term."""
    _require_offered(tenant, plan)
    BillingAccount.objects.for_tenant(tenant).select_for_update().get(pk=account.pk)
    _require_no_live_subscription(tenant, account)
    now = start or timezone.now()
    Subscription.objects.for_tenant(tenant).filter(account=account, status=SubscriptionStatus.INCOMPLETE).update(
        status=SubscriptionStatus.CANCELED, canceled_at=now)
    amount = price_for(plan, account.company_id)
    subscription = Subscription(
        tenant=tenant, account=account, plan=plan, company_id=account.company_id, company_name=account.company_name,
        payment_method=PaymentMethod.INVOICE, unit_amount=amount, currency=plan.currency, created_by=actor,
    )
    if plan.trial_days:
        subscription.status = SubscriptionStatus.TRIALING
        subscription.trial_end = now + timedelta(days=plan.trial_days)
        subscription.current_period_start, subscription.current_period_end = now, subscription.trial_end
        subscription.save()
    else:
        subscription.status = SubscriptionStatus.ACTIVE
        subscription.current_period_start = now
        subscription.current_period_end = period_end_after(now, plan.interval)
        subscription.save()
        _invoice_period(tenant, subscription, issued_at=now)
    record(action="billing.subscribed", tenant=tenant, actor=actor, target=subscription,
           after={"plan": plan.code, "payment_method": PaymentMethod.INVOICE, "amount": amount})
    return subscription


def _invoice_period(tenant, subscription: Subscription, extra_lines: list[LineSpec] = (), issued_at=None) -> Invoice:
    lines = [*extra_lines, _plan_line(subscription.plan, subscription.unit_amount, subscription.current_period_start,
                                      subscription.current_period_end)]
    return issue_invoice(
        tenant=tenant, account=subscription.account, subscription=subscription, lines=lines,
        payment_method=PaymentMethod.INVOICE, currency=subscription.currency, vat_rate=subscription.plan.vat_rate,
        period_start=subscription.current_period_start, period_end=subscription.current_period_end,
        issued_at=issued_at,
    )


def _stripe_price_for(tenant, plan: Plan, company_id: int) -> str:
    """The Stripe price this company pays: the plan's, or its negotiated one (created on first use)."""
    if not plan.stripe_product_id:
        plan.stripe_product_id = gateway.create_product(plan=plan, tenant_schema=tenant.schema_name)
        plan.save(update_fields=["stripe_product_id"])
    negotiated = negotiated_price(plan, company_id)
    if negotiated is not None:
        if not negotiated.stripe_price_id:
            negotiated.stripe_price_id = gateway.create_price(
                product_id=plan.stripe_product_id, amount=negotiated.price_for(plan.amount), currency=plan.currency,
                interval=plan.interval, key=f"{tenant.schema_name}-plan{plan.pk}-company{company_id}")
            negotiated.save(update_fields=["stripe_price_id"])
        return negotiated.stripe_price_id
    if not plan.stripe_price_id:
        plan.stripe_price_id = gateway.create_price(
            product_id=plan.stripe_product_id, amount=plan.amount, currency=plan.currency, interval=plan.interval,
            key=f"{tenant.schema_name}-plan{plan.pk}")
        plan.save(update_fields=["stripe_price_id"])
    return plan.stripe_price_id


def _ensure_customer(tenant, account: BillingAccount) -> str:
    if not account.stripe_customer_id:
        account.stripe_customer_id = gateway.create_customer(account=account, tenant_schema=tenant.schema_name)
        account.save(update_fields=["stripe_customer_id", "updated_at"])
    return account.stripe_customer_id


def _provider_call(call, *args, **kwargs):
    import stripe

    try:
        return call(*args, **kwargs)
    except gateway.CardPaymentsUnavailable:
        raise ValidationError(_("Card payments are not available on this platform; choose payment by invoice.")) from None
    except stripe.StripeError as error:
        logger.warning("billing: Stripe refused a request", extra={"error": str(error), "code": error.code})
        raise PaymentProviderError(_("The payment service did not answer as expected. Nothing was charged; please try again in a few minutes.")) from error


def start_card_checkout(*, tenant, account: BillingAccount, plan: Plan, actor, success_url: str,
                        cancel_url: str) -> str:
    """Send the seller to Stripe Checkout; returns its URL. The subscription waits, incomplete,
    until Stripe tells us (by webhook) that Checkout was completed."""
    _require_offered(tenant, plan)
    if not gateway.is_enabled():
        raise ValidationError(_("Card payments are not available on this platform; choose payment by invoice."))
    with transaction.atomic():
        BillingAccount.objects.for_tenant(tenant).select_for_update().get(pk=account.pk)
        _require_no_live_subscription(tenant, account)
        amount = price_for(plan, account.company_id)
        subscription = Subscription.objects.for_tenant(tenant).filter(
            account=account, status=SubscriptionStatus.INCOMPLETE).first()
        if subscription is None:
            subscription = Subscription.plain.create(
                tenant=tenant, account=account, plan=plan, company_id=account.company_id,
                company_name=account.company_name, status=SubscriptionStatus.INCOMPLETE,
                payment_method=PaymentMethod.CARD, unit_amount=amount, currency=plan.currency, created_by=actor)
        else:
            subscription.plan, subscription.unit_amount, subscription.currency = plan, amount, plan.currency
            subscription.payment_method = PaymentMethod.CARD
            subscription.save()
    customer_id = _provider_call(_ensure_customer, tenant, account)
    price_id = _provider_call(_stripe_price_for, tenant, plan, account.company_id)
    metadata = {"tenant": tenant.schema_name, "account": str(account.pk), "subscription": str(subscription.pk),
                "plan": str(plan.pk)}
    # Stripe charges the plan's VAT on top, except under the EU reverse charge.
    tax_rate_id = "" if account.is_reverse_charge or not plan.vat_rate else _provider_call(gateway.tax_rate_for, plan.vat_rate)
    session = _provider_call(
        gateway.create_checkout_session, customer_id=customer_id, price_id=price_id,
        subscription_ref=f"{tenant.schema_name}-{subscription.pk}-{get_random_string(8)}", trial_days=plan.trial_days,
        success_url=success_url, cancel_url=cancel_url, metadata=metadata,
        locale=(translation.get_language() or "auto")[:2], tax_rate_id=tax_rate_id,
    )
    Subscription.objects.for_tenant(tenant).filter(pk=subscription.pk).update(stripe_checkout_session_id=session.id)
    record(action="billing.checkout_started", tenant=tenant, actor=actor, target=subscription, after={"plan": plan.code})
    return session.url


def portal_url(*, tenant, account: BillingAccount, return_url: str) -> str:
    """Stripe's customer portal for the company's cards and card invoices."""
    if not account.stripe_customer_id:
        raise ValidationError(_("This company has no card on file."))
    return _provider_call(gateway.create_portal_session, customer_id=account.stripe_customer_id, return_url=return_url)


def proration_lines(*, subscription: Subscription, new_plan: Plan, new_amount: int, now) -> list[LineSpec]:
    """Credit for the unused part of the current period at the old price, charge for it at the new one."""
    start, end = subscription.current_period_start, subscription.current_period_end
    if not start or not end or now >= end:
        return []
    remaining = Decimal((end - now).total_seconds()) / Decimal((end - start).total_seconds())
    credit = int((Decimal(subscription.unit_amount) * remaining).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    charge = int((Decimal(new_amount) * remaining).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    day = timezone.localtime(now).date().isoformat()
    return [
        LineSpec(description=_("Unused time on %(plan)s from %(day)s") % {"plan": subscription.plan.name, "day": day},
                 unit_amount=-credit, period_start=now, period_end=end),
        LineSpec(description=_("Remaining time on %(plan)s from %(day)s") % {"plan": new_plan.name, "day": day},
                 unit_amount=charge, period_start=now, period_end=end),
    ]


def change_plan(*, tenant, subscription: Subscription, plan: Plan, actor) -> Subscription:
    """Upgrade or downgrade now, prorated: by Stripe for cards (on the next card invoice);
    for invoices, an upgrade is invoiced at once and a downgrade's credit is deducted from the
    next renewal invoice."""
    _require_offered(tenant, plan)
    if subscription.tenant_id != tenant.pk:
        raise ValidationError(_("This subscription belongs to another programme."))
    if subscription.plan_id == plan.pk:
        raise ValidationError({"plan": _("The company is already on this plan.")})
    if subscription.status not in (SubscriptionStatus.TRIALING, SubscriptionStatus.ACTIVE):
        raise ValidationError(_("Settle the overdue payment before changing plans."))
    if plan.currency != subscription.currency or plan.interval != subscription.plan.interval:
        raise ValidationError({"plan": _("Choose a plan billed in the same currency and at the same interval.")})
    old_plan = subscription.plan
    new_amount = price_for(plan, subscription.company_id)
    if subscription.payment_method == PaymentMethod.CARD:
        price_id = _provider_call(_stripe_price_for, tenant, plan, subscription.company_id)
        _provider_call(gateway.change_subscription_price, subscription_id=subscription.stripe_subscription_id,
                       price_id=price_id)
        with transaction.atomic():
            subscription = Subscription.objects.for_tenant(tenant).select_for_update().get(pk=subscription.pk)
            subscription.plan, subscription.unit_amount = plan, new_amount
            subscription.save()
    else:
        with transaction.atomic():
            subscription = Subscription.objects.for_tenant(tenant).select_for_update().get(pk=subscription.pk)
            now = timezone.now()
            lines = [] if subscription.status == SubscriptionStatus.TRIALING else proration_lines(
                subscription=subscription, new_plan=plan, new_amount=new_amount, now=now)
            subscription.plan, subscription.unit_amount = plan, new_amount
            subscription.save()
            net = sum(line.unit_amount for line in lines)
            if net > 0:
                issue_invoice(tenant=tenant, account=subscription.account, subscription=subscription, lines=lines,
                              payment_method=PaymentMethod.INVOICE, currency=subscription.currency,
                              vat_rate=plan.vat_rate, period_start=now, period_end=subscription.current_period_end)
            elif net < 0:
                _carry_credit(tenant, subscription, lines)
    record(action="billing.plan_changed", tenant=tenant, actor=actor, target=subscription,
           before={"plan": old_plan.code}, after={"plan": plan.code, "amount": new_amount})
    return subscription


def _carry_credit(tenant, subscription: Subscription, lines: list[LineSpec]) -> None:
    """Keep a downgrade's credit on a draft invoice that the next renewal completes."""
    draft = Invoice.objects.for_tenant(tenant).filter(subscription=subscription, status=InvoiceStatus.DRAFT).first()
    if draft is None:
        draft = Invoice.plain.create(
            tenant=tenant, account=subscription.account, subscription=subscription, company_id=subscription.company_id,
            company_name=subscription.company_name, payment_method=PaymentMethod.INVOICE, currency=subscription.currency)
    start = InvoiceLine.objects.for_tenant(tenant).filter(invoice=draft).count()
    InvoiceLine.plain.bulk_create([
        InvoiceLine(tenant=tenant, invoice=draft, description=line.description[:300], unit_amount=line.unit_amount,
                    net_amount=line.unit_amount, period_start=line.period_start, period_end=line.period_end,
                    position=start + position)
        for position, line in enumerate(lines)
    ])


def _pending_lines(tenant, subscription: Subscription) -> list[LineSpec]:
    """Lines carried on the subscription's draft invoice, which is removed once they are taken."""
    draft = Invoice.objects.for_tenant(tenant).filter(subscription=subscription, status=InvoiceStatus.DRAFT).first()
    if draft is None:
        return []
    lines = [LineSpec(description=line.description, unit_amount=line.unit_amount, quantity=line.quantity,
                      period_start=line.period_start, period_end=line.period_end)
             for line in InvoiceLine.objects.for_tenant(tenant).filter(invoice=draft)]
    InvoiceLine.objects.for_tenant(tenant).filter(invoice=draft).delete()
    draft.delete()
    return lines


def set_cancel_at_period_end(*, tenant, subscription: Subscription, actor, cancel: bool) -> Subscription:
    """Stop (or no longer stop) at the end of the paid period; features stay on until then."""
    if subscription.tenant_id != tenant.pk:
        raise ValidationError(_("This subscription belongs to another programme."))
    if subscription.status in (SubscriptionStatus.CANCELED, SubscriptionStatus.INCOMPLETE):
        raise ValidationError(_("This subscription is not running."))
    if subscription.payment_method == PaymentMethod.CARD and subscription.stripe_subscription_id:
        _provider_call(gateway.set_cancel_at_period_end, subscription_id=subscription.stripe_subscription_id,
                       cancel=cancel)
    Subscription.objects.for_tenant(tenant).filter(pk=subscription.pk).update(cancel_at_period_end=cancel)
    subscription.cancel_at_period_end = cancel
    record(action="billing.cancellation_set" if cancel else "billing.cancellation_withdrawn", tenant=tenant,
           actor=actor, target=subscription)
    return subscription


# Dunning: renewals, reminders, suspension and restoration


def _end_of_day(day) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.max))


def mark_past_due(*, tenant, subscription: Subscription, since=None, grace_from=None, reason: str = "") -> bool:
    """A payment was missed: warn the company once and start the grace period. Returns
    whether the subscription changed."""
    if subscription.status not in (SubscriptionStatus.ACTIVE, SubscriptionStatus.TRIALING):
        return False
    since = since or timezone.now()
    grace_from = grace_from or since
    subscription.status = SubscriptionStatus.PAST_DUE
    subscription.past_due_since = since
    subscription.grace_deadline = grace_from + timedelta(days=settings_for(tenant).grace_days)
    subscription.last_warned_at = timezone.now()
    subscription.save()
    record(action="billing.payment_overdue", tenant=tenant, actor=None, target=subscription,
           after={"grace_deadline": subscription.grace_deadline, "reason": reason})
    transaction.on_commit(lambda: warn_company(tenant=tenant, account=subscription.account,
                                               kind="billing.payment_overdue", subscription=subscription), robust=True)
    return True


def suspend(*, tenant, subscription: Subscription) -> bool:
    """Grace is over: switch the paid features off. Nothing of the company's data is touched."""
    if subscription.status != SubscriptionStatus.PAST_DUE:
        return False
    subscription.status = SubscriptionStatus.SUSPENDED
    subscription.suspended_at = timezone.now()
    subscription.save()
    record(action="billing.features_suspended", tenant=tenant, actor=None, target=subscription)
    transaction.on_commit(lambda: warn_company(tenant=tenant, account=subscription.account,
                                               kind="billing.features_suspended", subscription=subscription), robust=True)
    return True


def restore_if_settled(*, tenant, subscription: Subscription) -> bool:
    """Paid features back on once nothing is overdue any more (card subscriptions are
    restored by Stripe's ``invoice.paid``, which calls this too)."""
    subscription = Subscription.objects.for_tenant(tenant).select_for_update().get(pk=subscription.pk)
    if subscription.status not in (SubscriptionStatus.PAST_DUE, SubscriptionStatus.SUSPENDED):
        return False
    today = timezone.localdate()
    if Invoice.objects.for_tenant(tenant).filter(subscription=subscription, status=InvoiceStatus.OPEN,
                                                  due_date__lt=today).exists():
        return False
    was_suspended = subscription.status == SubscriptionStatus.SUSPENDED
    subscription.status = SubscriptionStatus.ACTIVE
    subscription.past_due_since = subscription.grace_deadline = subscription.suspended_at = None
    subscription.save()
    record(action="billing.features_restored", tenant=tenant, actor=None, target=subscription,
           after={"was_suspended": was_suspended})
    transaction.on_commit(lambda: warn_company(tenant=tenant, account=subscription.account,
                                               kind="billing.features_restored", subscription=subscription), robust=True)
    return True


@dataclass
class DunningReport:
    renewed: int = 0
    canceled: int = 0
    past_due: int = 0
    reminded: int = 0
    suspended: int = 0


def run_dunning(*, tenant, now=None) -> DunningReport:
    """Renew invoice subscriptions, chase overdue invoices, suspend after grace. Safe to run
    as often as wanted: each step looks at state and dates, and does nothing twice."""
    now = now or timezone.now()
    report = DunningReport()
    billing_settings = settings_for(tenant)
    subscriptions = Subscription.objects.for_tenant(tenant)
    for pk in subscriptions.filter(payment_method=PaymentMethod.INVOICE, current_period_end__lte=now,
                                   status__in=[SubscriptionStatus.TRIALING, SubscriptionStatus.ACTIVE,
                                               SubscriptionStatus.PAST_DUE, SubscriptionStatus.SUSPENDED]
                                   ).values_list("pk", flat=True):
        with transaction.atomic():
            subscription = subscriptions.select_for_update().select_related("plan", "account").get(pk=pk)
            if subscription.current_period_end > now:
                continue
            if subscription.cancel_at_period_end:
                subscription.status = SubscriptionStatus.CANCELED
                subscription.canceled_at = now
                subscription.save()
                record(action="billing.canceled", tenant=tenant, actor=None, target=subscription)
                report.canceled += 1
                continue
            if subscription.status == SubscriptionStatus.TRIALING:
                subscription.status = SubscriptionStatus.ACTIVE
            subscription.current_period_start = subscription.current_period_end
            subscription.current_period_end = period_end_after(subscription.current_period_start,
                                                               subscription.plan.interval)
            subscription.trial_end = None
            subscription.save()
            _invoice_period(tenant, subscription, extra_lines=_pending_lines(tenant, subscription), issued_at=now)
            report.renewed += 1
    today = timezone.localtime(now).date()
    overdue = Invoice.objects.for_tenant(tenant).filter(
        status=InvoiceStatus.OPEN, payment_method=PaymentMethod.INVOICE, due_date__lt=today)
    for invoice in overdue.select_related("subscription", "account"):
        with transaction.atomic():
            subscription = invoice.subscription
            if subscription is not None:
                subscription = subscriptions.select_for_update().get(pk=subscription.pk)
                if mark_past_due(tenant=tenant, subscription=subscription, since=now,
                                 grace_from=_end_of_day(invoice.due_date), reason=invoice.number):
                    report.past_due += 1
            due_for_reminder = invoice.last_reminded_at is None or (
                now - invoice.last_reminded_at >= timedelta(days=billing_settings.reminder_days))
            if due_for_reminder:
                Invoice.objects.for_tenant(tenant).filter(pk=invoice.pk).update(
                    last_reminded_at=now, reminder_count=F("reminder_count") + 1)
                transaction.on_commit(
                    lambda invoice=invoice: warn_company(tenant=tenant, account=invoice.account,
                                                         kind="billing.invoice_reminder", invoice=invoice),
                    robust=True)
                report.reminded += 1
    for pk in subscriptions.filter(status=SubscriptionStatus.PAST_DUE, grace_deadline__lte=now).values_list("pk", flat=True):
        with transaction.atomic():
            subscription = subscriptions.select_for_update().select_related("account").get(pk=pk)
            if subscription.grace_deadline and subscription.grace_deadline <= now and suspend(
                    tenant=tenant, subscription=subscription):
                report.suspended += 1
    if any(vars(report).values()):
        logger.info("billing: dunning run", extra={"tenant": tenant.schema_name, **vars(report)})
    return report


# Telling the company


def _notice_text(kind: str, *, invoice: Invoice | None, subscription: Subscription | None) -> tuple[str, str]:
    from shared_apps.billing.templatetags.billing import money

    if kind == "billing.invoice_issued":
        return (_("Invoice %(number)s issued") % {"number": invoice.number},
                _("%(amount)s to pay by %(due)s by bank transfer, with the reference %(reference)s.") % {
                    "amount": money(invoice.gross_amount, invoice.currency), "due": invoice.due_date.isoformat(),
                    "reference": invoice.bank_reference})
    if kind == "billing.invoice_reminder":
        return (_("Reminder: invoice %(number)s is overdue") % {"number": invoice.number},
                _("%(amount)s was due on %(due)s. Please pay it by bank transfer with the reference %(reference)s.") % {
                    "amount": money(invoice.amount_due, invoice.currency), "due": invoice.due_date.isoformat(),
                    "reference": invoice.bank_reference})
    if kind == "billing.payment_overdue":
        deadline = timezone.localtime(subscription.grace_deadline).date().isoformat()
        return (_("A payment for your %(plan)s plan is overdue") % {"plan": subscription.plan.name},
                _("Your paid features stay on until %(deadline)s. Pay the amount due before then to keep them; "
                  "your data is kept either way.") % {"deadline": deadline})
    if kind == "billing.features_suspended":
        return (_("Paid features of your %(plan)s plan are suspended") % {"plan": subscription.plan.name},
                _("The overdue payment has not arrived. Your profile, products and messages are kept; the paid "
                  "features come back as soon as the payment is received."))
    if kind == "billing.features_restored":
        return (_("Payment received: your %(plan)s plan is active again") % {"plan": subscription.plan.name},
                _("Thank you. Every paid feature of your plan is back on."))
    raise KeyError(kind)


def warn_company(*, tenant, account: BillingAccount, kind: str, invoice: Invoice | None = None,
                 subscription: Subscription | None = None) -> None:
    """Tell the company's representatives in the programme (notification, e-mailed as they
    chose) and write to its billing address, each in their language."""
    from django.urls import reverse

    from platform_core.mail import recipient_language, send_branded_mail
    from tenant_apps.directory.models import Representative
    from tenant_apps.notifications.services import notify

    with schema_context(tenant.schema_name):
        path = reverse("billing:overview")
        representatives = list(Representative.objects.filter(company_id=account.company_id).select_related("user"))
        for representative in representatives:
            with translation.override(recipient_language(representative.user, tenant)):
                title, body = _notice_text(kind, invoice=invoice, subscription=subscription)
                notify(recipient=representative.user, kind=kind, title=title, body=body, url=path)
        with translation.override(tenant.default_language):
            title, body = _notice_text(kind, invoice=invoice, subscription=subscription)
        send_branded_mail(tenant=tenant, to=account.billing_email, template="billing/email/notice",
                          context={"title": title, "body": body, "link": tenant.url(path),
                                   "company_name": account.company_name},
                          language=tenant.default_language)
