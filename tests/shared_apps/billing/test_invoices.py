"""Paying by invoice and bank transfer: numbering, late payment, dunning, proration."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection, connections
from django.utils import timezone

from shared_apps.billing import entitlements, services
from shared_apps.billing.models import Invoice, InvoiceCounter, LedgerEntry
from tests.shared_apps.billing.conftest import make_seller


def test_subscribing_by_invoice_issues_a_numbered_invoice_with_transfer_details(seller, plans, no_stripe):
    subscription = services.subscribe_by_invoice(tenant=seller.tenant, account=seller.account, plan=plans["pro"],
                                                 actor=seller.representative)
    invoice = Invoice.objects.for_tenant(seller.tenant).get(subscription=subscription)
    year = timezone.localdate().year
    assert invoice.number == f"F-{year}-{invoice.sequence:05d}"
    assert (invoice.net_amount, invoice.vat_amount, invoice.gross_amount) == (30_000, 6_000, 36_000)
    assert invoice.due_date == timezone.localdate() + timedelta(days=30)
    assert invoice.bank_reference == invoice.number.replace("-", "")
    assert invoice.issuer["iban"] == "FR7630006000011234567890189"
    assert subscription.status == "active"
    assert entitlements.feature_quota(seller.tenant, seller.company.pk, "featured_slots") == 3

    from shared_apps.billing.pdf import render_invoice

    document = render_invoice(invoice, language="fr")
    assert document.startswith(b"%PDF")


def test_negotiated_price_and_reverse_charge(alpha, plans, no_stripe):
    buyer = make_seller(alpha, name="Maschinenbau GmbH", country="DE", vat_number="DE123456789")
    services.set_company_price(tenant=alpha.tenant, actor=alpha.members["tenant_admin"], plan=plans["pro"],
                               company_id=buyer.company.pk, company_name="Maschinenbau GmbH", discount_percent=25)
    subscription = services.subscribe_by_invoice(tenant=alpha.tenant, account=buyer.account, plan=plans["pro"],
                                                 actor=buyer.representative)
    invoice = Invoice.objects.for_tenant(alpha.tenant).get(subscription=subscription)
    assert buyer.account.is_reverse_charge
    assert (invoice.net_amount, invoice.vat_amount, invoice.gross_amount) == (22_500, 0, 22_500)


def test_bank_transfer_paid_late_suspends_then_restores(seller, plans, no_stripe, django_capture_on_commit_callbacks):
    subscription = services.subscribe_by_invoice(tenant=seller.tenant, account=seller.account, plan=plans["basic"],
                                                 actor=seller.representative)
    invoice = Invoice.objects.for_tenant(seller.tenant).get(subscription=subscription)
    mail.outbox.clear()
    overdue_day = timezone.now() + timedelta(days=31)
    with django_capture_on_commit_callbacks(execute=True):
        report = services.run_dunning(tenant=seller.tenant, now=overdue_day)
    assert (report.past_due, report.reminded, report.suspended) == (1, 1, 0)
    subscription.refresh_from_db()
    assert subscription.status == "past_due"
    assert entitlements.has_feature(seller.tenant, seller.company.pk, "products_online")
    assert {message.to[0] for message in mail.outbox} >= {seller.account.billing_email}

    with django_capture_on_commit_callbacks(execute=True):
        again = services.run_dunning(tenant=seller.tenant, now=overdue_day + timedelta(hours=1))
    assert (again.past_due, again.reminded) == (0, 0)  # nothing twice

    with django_capture_on_commit_callbacks(execute=True):
        later = services.run_dunning(tenant=seller.tenant, now=overdue_day + timedelta(days=11))
    assert later.suspended == 1 and later.reminded == 1
    subscription.refresh_from_db()
    assert subscription.status == "suspended"
    assert not entitlements.has_feature(seller.tenant, seller.company.pk, "products_online")

    finance = seller.tenant and services
    finance.mark_invoice_paid(tenant=seller.tenant, invoice=invoice, actor=None, reference="VIR SEPA F2026 ATELIER")
    invoice.refresh_from_db()
    subscription.refresh_from_db()
    assert invoice.status == "paid" and invoice.amount_paid == invoice.gross_amount
    assert subscription.status == "active"
    assert entitlements.has_feature(seller.tenant, seller.company.pk, "products_online")
    payment = LedgerEntry.objects.for_tenant(seller.tenant).get(kind="payment")
    assert (payment.amount, payment.bank_reference) == (invoice.gross_amount, "VIR SEPA F2026 ATELIER")


def test_the_same_transfer_cannot_be_recorded_twice(seller, plans, no_stripe):
    from django.core.exceptions import ValidationError

    subscription = services.subscribe_by_invoice(tenant=seller.tenant, account=seller.account, plan=plans["basic"],
                                                 actor=seller.representative)
    invoice = Invoice.objects.for_tenant(seller.tenant).get(subscription=subscription)
    services.mark_invoice_paid(tenant=seller.tenant, invoice=invoice, actor=None, reference="REF-1", amount=1_000)
    with pytest.raises(ValidationError):
        services.mark_invoice_paid(tenant=seller.tenant, invoice=invoice, actor=None, reference="REF-1", amount=1_000)
    assert LedgerEntry.objects.for_tenant(seller.tenant).filter(kind="payment").count() == 1


def test_renewal_issues_the_next_invoice_and_cancellation_ends_at_period_end(seller, plans, no_stripe):
    subscription = services.subscribe_by_invoice(tenant=seller.tenant, account=seller.account, plan=plans["basic"],
                                                 actor=seller.representative)
    first = Invoice.objects.for_tenant(seller.tenant).get(subscription=subscription)
    services.mark_invoice_paid(tenant=seller.tenant, invoice=first, actor=None, reference="R1")
    services.run_dunning(tenant=seller.tenant, now=subscription.current_period_end + timedelta(minutes=1))
    invoices = Invoice.objects.for_tenant(seller.tenant).filter(subscription=subscription).order_by("sequence")
    assert [invoice.sequence for invoice in invoices] == [first.sequence, first.sequence + 1]

    services.set_cancel_at_period_end(tenant=seller.tenant, subscription=subscription, actor=seller.representative,
                                      cancel=True)
    subscription.refresh_from_db()
    services.run_dunning(tenant=seller.tenant, now=subscription.current_period_end + timedelta(minutes=1))
    subscription.refresh_from_db()
    assert subscription.status == "canceled"
    assert Invoice.objects.for_tenant(seller.tenant).filter(subscription=subscription).count() == 2


def test_upgrade_by_invoice_is_prorated_at_once_and_downgrade_credits_the_renewal(seller, plans, no_stripe):
    subscription = services.subscribe_by_invoice(tenant=seller.tenant, account=seller.account, plan=plans["basic"],
                                                 actor=seller.representative)
    services.change_plan(tenant=seller.tenant, subscription=subscription, plan=plans["pro"], actor=seller.representative)
    upgrade = Invoice.objects.for_tenant(seller.tenant).filter(subscription=subscription).order_by("-sequence").first()
    assert 0 < upgrade.net_amount <= 20_000  # (300 − 100) € for what is left of the month

    subscription.refresh_from_db()
    services.change_plan(tenant=seller.tenant, subscription=subscription, plan=plans["basic"], actor=seller.representative)
    assert Invoice.objects.for_tenant(seller.tenant).filter(status="draft").count() == 1
    subscription.refresh_from_db()
    services.run_dunning(tenant=seller.tenant, now=subscription.current_period_end + timedelta(minutes=1))
    renewal = Invoice.objects.for_tenant(seller.tenant).filter(subscription=subscription).order_by("-sequence").first()
    assert renewal.net_amount < 10_000  # the credit came off
    assert not Invoice.objects.for_tenant(seller.tenant).filter(status="draft").exists()


def test_void_keeps_the_number_and_reverses_the_ledger(seller, plans, no_stripe):
    subscription = services.subscribe_by_invoice(tenant=seller.tenant, account=seller.account, plan=plans["basic"],
                                                 actor=seller.representative)
    invoice = Invoice.objects.for_tenant(seller.tenant).get(subscription=subscription)
    services.void_invoice(tenant=seller.tenant, invoice=invoice, actor=None)
    invoice.refresh_from_db()
    assert invoice.status == "void" and invoice.number
    total = sum(LedgerEntry.objects.for_tenant(seller.tenant).filter(invoice=invoice).values_list("amount", flat=True))
    assert total == 0


def test_each_programme_numbers_its_invoices_on_its_own(alpha, beta, no_stripe):
    a = services.allocate_invoice_number(alpha.tenant, 2030)
    b = services.allocate_invoice_number(beta.tenant, 2030)
    c = services.allocate_invoice_number(alpha.tenant, 2030)
    assert (a[0], b[0], c[0]) == (1, 1, 2)


def _in_own_connection(function):
    """Run ``function`` in a thread, hence on a connection of its own that commits for real."""
    outcome = {}

    def run():
        try:
            outcome["value"] = function()
        except Exception as error:  # noqa: BLE001 (re-raised in the caller)
            outcome["error"] = error
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(timeout=60)
    if "error" in outcome:
        raise outcome["error"]
    return outcome.get("value")


def test_invoice_numbers_have_no_gap_under_concurrency(alpha):
    """Eight threads, each on its own connection (outside the test's transaction), take five
    numbers each from the same counter: 1 to 40, no gap, no repeat."""
    from django.db import transaction

    from shared_apps.billing.models import BillingSettings

    tenant, year = alpha.tenant, 2099
    had_settings = _in_own_connection(lambda: BillingSettings.objects.for_tenant(tenant).exists())
    taken, errors = [], []
    barrier = threading.Barrier(8)

    def worker():
        try:
            barrier.wait(timeout=30)
            for _ in range(5):
                with transaction.atomic():
                    number, _label = services.allocate_invoice_number(tenant, year)
                    taken.append(number)
        except Exception as error:  # noqa: BLE001 (asserted below)
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    def tidy():
        last = InvoiceCounter.objects.for_tenant(tenant).get(year=year).last_number
        InvoiceCounter.objects.for_tenant(tenant).filter(year=year).delete()
        if not had_settings:
            BillingSettings.objects.for_tenant(tenant).delete()
        return last

    last = _in_own_connection(tidy)
    connection.set_schema_to_public()
    assert not errors
    assert sorted(taken) == list(range(1, 41))
    assert last == 40


def test_deleting_a_programme_is_not_blocked_by_its_billing_rows(seller, plans, no_stripe):
    from django.db.models.deletion import Collector

    subscription = services.subscribe_by_invoice(tenant=seller.tenant, account=seller.account, plan=plans["basic"],
                                                 actor=seller.representative)
    invoice = Invoice.objects.for_tenant(seller.tenant).get(subscription=subscription)
    services.mark_invoice_paid(tenant=seller.tenant, invoice=invoice, actor=None, reference="R")
    collector = Collector(using="default")
    collector.collect([seller.tenant])  # raises ProtectedError/RestrictedError when a row would block it
    collected = {model._meta.label for model in collector.data}
    assert {"billing.Invoice", "billing.BillingAccount", "billing.Subscription"} <= collected
