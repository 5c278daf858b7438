"""Billing data as shared_apps.billing writes it, and finance staff. The local Stripe
server (``stripe_server``) is in tests/conftest.py."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from shared_apps.billing.models import (
    BillingAccount,
    Invoice,
    InvoiceStatus,
    LedgerEntry,
    PaymentMethod,
    Plan,
    Subscription,
    SubscriptionStatus,
)
from shared_apps.finance.models import PlatformRole
from tests.conftest import enrol_backup_codes, sign_in
from tests.factories import UserFactory

_numbers = itertools.count(1)


@pytest.fixture
def finance_user(db):
    user = UserFactory(email="finance@comptoir.test", full_name="Fanny Finance")
    PlatformRole.objects.create(user=user, role=PlatformRole.Role.FINANCE)
    enrol_backup_codes(user)
    return user


def platform_client(user=None) -> Client:
    client = Client(HTTP_HOST=settings.PLATFORM_DOMAIN, HTTP_ACCEPT_LANGUAGE="en")
    if user is not None:
        sign_in(client, user)
    return client


@pytest.fixture
def finance_client(finance_user):
    return platform_client(finance_user)


class Books:
    """Writes billing rows for one programme the way shared_apps.billing does."""

    def __init__(self, tenant):
        self.tenant = tenant

    def plan(self, *, code="pro", name="Pro", amount=10_000, currency="EUR") -> Plan:
        return Plan.plain.create(tenant=self.tenant, code=code, name=name, amount=amount, currency=currency)

    def account(self, *, name="Acme", customer="") -> BillingAccount:
        company_id = next(_numbers)
        return BillingAccount.plain.create(tenant=self.tenant, company_id=company_id, company_name=name,
                                           billing_email=f"billing{company_id}@example.org", country="FR",
                                           stripe_customer_id=customer)

    def subscription(self, *, account, plan, method=PaymentMethod.INVOICE) -> Subscription:
        return Subscription.plain.create(tenant=self.tenant, account=account, plan=plan, company_id=account.company_id,
                                         company_name=account.company_name, status=SubscriptionStatus.ACTIVE,
                                         payment_method=method, unit_amount=plan.amount, currency=plan.currency)

    def invoice(self, *, account, gross=12_000, currency="EUR", issued_at=None, due_in_days=30, subscription=None,
                method=PaymentMethod.INVOICE, book=True) -> Invoice:
        issued_at = issued_at or timezone.now() - timedelta(days=3)
        number = f"F-{issued_at.year}-{next(_numbers):05d}"
        net = round(gross / 1.2)
        invoice = Invoice.plain.create(
            tenant=self.tenant, account=account, subscription=subscription, company_id=account.company_id,
            company_name=account.company_name, number=number, status=InvoiceStatus.OPEN, payment_method=method,
            currency=currency, net_amount=net, vat_rate=20, vat_amount=gross - net, gross_amount=gross,
            issued_at=issued_at, due_date=(issued_at + timedelta(days=due_in_days)).date(),
            bank_reference=number.replace("-", ""),
        )
        if book:
            self.entry(kind=LedgerEntry.Kind.INVOICE, source=LedgerEntry.Source.PLATFORM, amount=gross,
                       currency=currency, account=account, invoice=invoice, subscription=subscription,
                       occurred_at=issued_at, description=number)
        return invoice

    def pay_by_transfer(self, invoice, *, reference="VIR-0001", amount=None, paid_at=None, book=True,
                        booked_amount=None, booked_currency=None) -> Invoice:
        amount = invoice.amount_due if amount is None else amount
        paid_at = paid_at or timezone.now() - timedelta(days=1)
        if book:
            self.entry(kind=LedgerEntry.Kind.PAYMENT, source=LedgerEntry.Source.BANK,
                       amount=amount if booked_amount is None else booked_amount,
                       currency=booked_currency or invoice.currency, account=invoice.account, invoice=invoice,
                       subscription=invoice.subscription, occurred_at=paid_at, description=invoice.number,
                       bank_reference=reference)
        invoice.amount_paid += amount
        invoice.payment_reference = ", ".join(filter(None, [invoice.payment_reference, reference]))
        if invoice.amount_due == 0:
            invoice.status, invoice.paid_at = InvoiceStatus.PAID, paid_at
        invoice.save()
        return invoice

    def entry(self, *, kind, amount, currency="EUR", source=LedgerEntry.Source.STRIPE, account=None, invoice=None,
              subscription=None, occurred_at=None, **fields) -> LedgerEntry:
        return LedgerEntry.plain.create(
            tenant=self.tenant, account=account, invoice=invoice, subscription=subscription,
            company_id=account.company_id if account else None, company_name=account.company_name if account else "",
            kind=kind, source=source, amount=amount, currency=currency,
            occurred_at=occurred_at or timezone.now() - timedelta(days=2), **fields)

    def book_card_payment(self, *, account, charge: dict, txn: dict, invoice=None, fee=True) -> LedgerEntry:
        """What billing books on ``charge.succeeded``: the charge, then its Stripe fee."""
        when = datetime.fromtimestamp(charge["created"], tz=UTC)
        entry = self.entry(kind=LedgerEntry.Kind.CHARGE, amount=charge["amount"], currency=charge["currency"].upper(),
                           account=account, invoice=invoice, occurred_at=when, stripe_object_id=charge["id"],
                           stripe_balance_transaction_id=txn["id"])
        if fee and txn["fee"]:
            self.entry(kind=LedgerEntry.Kind.FEE, amount=-txn["fee"], currency=txn["currency"].upper(), account=account,
                       invoice=invoice, occurred_at=when, stripe_object_id=txn["id"],
                       stripe_balance_transaction_id=txn["id"], description="Stripe")
        return entry

    def book_refund(self, *, account, refund: dict, txn: dict, amount=None) -> LedgerEntry:
        when = datetime.fromtimestamp(refund["created"], tz=UTC)
        return self.entry(kind=LedgerEntry.Kind.REFUND, amount=-(refund["amount"] if amount is None else amount),
                          currency=refund["currency"].upper(), account=account, occurred_at=when,
                          stripe_object_id=refund["id"], stripe_balance_transaction_id=txn["id"])


def book_payout(payout: dict, *, amount=None) -> LedgerEntry:
    """What billing books on ``payout.paid``: no programme, the amount leaving Stripe."""
    return LedgerEntry.plain.create(
        tenant=None, kind=LedgerEntry.Kind.PAYOUT, source=LedgerEntry.Source.STRIPE,
        amount=-(payout["amount"] if amount is None else amount), currency=payout["currency"].upper(),
        occurred_at=datetime.fromtimestamp(payout["arrival_date"], tz=UTC),
        stripe_object_id=payout["id"], stripe_payout_id=payout["id"],
        stripe_balance_transaction_id=payout["balance_transaction"])


@pytest.fixture
def alpha_books(alpha) -> Books:
    return Books(alpha.tenant)


@pytest.fixture
def beta_books(beta) -> Books:
    return Books(beta.tenant)
