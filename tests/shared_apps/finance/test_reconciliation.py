"""Reconciliation against the local Stripe-compatible server, through the real stripe library."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from shared_apps.audit.models import AuditEvent
from shared_apps.billing.models import LedgerEntry
from shared_apps.finance import services
from shared_apps.finance.models import ReconciliationItem, ReconciliationRun
from shared_apps.finance.tasks import reconcile_all
from tests.shared_apps.finance.conftest import book_payout

Kind = ReconciliationItem.Kind


def _items(tenant=None, **filters):
    return list(ReconciliationItem.objects.for_tenant(tenant).filter(**filters).order_by("pk"))


def _found(tenant=None) -> set[tuple[str, str]]:
    return {(item.kind, item.reference) for item in _items(tenant, status=ReconciliationItem.Status.OPEN)}


def _days_ago(days: float):
    return timezone.now() - timedelta(days=days)


def test_books_that_match_stripe_and_the_bank_raise_no_mismatch(alpha, alpha_books, stripe_server):
    account = alpha_books.account(customer="cus_alpha1")
    charge, txn = stripe_server.add_charge(amount=12_000, customer="cus_alpha1", created=_days_ago(5), fee=205)
    alpha_books.book_card_payment(account=account, charge=charge, txn=txn)
    refund, refund_txn = stripe_server.add_refund(charge=charge, amount=2_000, created=_days_ago(4))
    alpha_books.book_refund(account=account, refund=refund, txn=refund_txn)
    invoice = alpha_books.invoice(account=account, gross=24_000)
    alpha_books.pay_by_transfer(invoice, reference="VIR-2026-001")
    payout = stripe_server.add_payout(amount=12_000 - 205 - 2_000, arrival_date=_days_ago(2),
                                      transactions=[txn, refund_txn])
    book_payout(payout)

    run = services.reconcile(tenant=alpha.tenant)
    platform_run = services.reconcile(tenant=None)

    assert run.status == ReconciliationRun.Status.SUCCEEDED and run.stripe_checked
    assert platform_run.status == ReconciliationRun.Status.SUCCEEDED
    assert run.checked == {"transactions": 2, "ledger_entries": 5, "invoices": 1}
    assert platform_run.checked["payouts"] == 1
    assert _items(alpha.tenant) == [] and _items(None) == []


def test_a_planted_mismatch_of_each_kind_is_flagged(alpha, alpha_books, stripe_server):
    account = alpha_books.account(name="Acme", customer="cus_acme")
    # Paid at Stripe, never booked: the payment and its Stripe fee are missing.
    unbooked, unbooked_txn = stripe_server.add_charge(amount=5_000, customer="cus_acme", created=_days_ago(6))
    # Booked, unknown at Stripe.
    ghost = alpha_books.entry(kind=LedgerEntry.Kind.CHARGE, amount=7_000, account=account, occurred_at=_days_ago(6),
                              stripe_object_id="ch_ghost", stripe_balance_transaction_id="txn_ghost")
    # Booked twice for one balance transaction.
    twice, twice_txn = stripe_server.add_charge(amount=3_000, customer="cus_acme", created=_days_ago(5))
    alpha_books.book_card_payment(account=account, charge=twice, txn=twice_txn)
    alpha_books.entry(kind=LedgerEntry.Kind.CHARGE, amount=3_000, account=account, occurred_at=_days_ago(5),
                      stripe_balance_transaction_id=twice_txn["id"])
    # Refunded 2 000 at Stripe, 1 500 in the ledger.
    paid, paid_txn = stripe_server.add_charge(amount=9_000, customer="cus_acme", created=_days_ago(4), fee=160)
    alpha_books.book_card_payment(account=account, charge=paid, txn=paid_txn)
    refund, refund_txn = stripe_server.add_refund(charge=paid, amount=2_000, created=_days_ago(3))
    alpha_books.book_refund(account=account, refund=refund, txn=refund_txn, amount=1_500)
    # Paid in euros at Stripe, booked in dollars.
    euros, euros_txn = stripe_server.add_charge(amount=4_000, customer="cus_acme", created=_days_ago(3))
    entry = alpha_books.book_card_payment(account=account, charge=euros, txn=euros_txn)
    LedgerEntry.objects.for_tenant(alpha.tenant).filter(pk=entry.pk).update(currency="USD")
    # A payout whose amount is not what its transactions add up to.
    payout = stripe_server.add_payout(amount=9_999, arrival_date=_days_ago(1), transactions=[paid_txn, refund_txn])
    book_payout(payout)
    # Bank side: a transfer recorded on an invoice but not in the ledger, one booked for
    # another amount than the invoice records, and one in the ledger of no invoice.
    unbooked_transfer = alpha_books.invoice(account=account, gross=6_000)
    alpha_books.pay_by_transfer(unbooked_transfer, reference="VIR-MISSING", book=False)
    short = alpha_books.invoice(account=account, gross=8_000)
    alpha_books.pay_by_transfer(short, reference="VIR-SHORT", booked_amount=7_000)
    stray = alpha_books.entry(kind=LedgerEntry.Kind.PAYMENT, source=LedgerEntry.Source.BANK, amount=1_234,
                              account=account, bank_reference="VIR-STRAY", occurred_at=_days_ago(2))
    # An invoice issued without its ledger entry.
    unrecorded = alpha_books.invoice(account=account, gross=1_000, book=False)

    services.reconcile(tenant=alpha.tenant)
    services.reconcile(tenant=None)

    assert _found(alpha.tenant) == {
        (Kind.MISSING_IN_LEDGER, unbooked["id"]),
        (Kind.MISSING_IN_LEDGER, unbooked_txn["id"]),
        (Kind.MISSING_AT_STRIPE, "ch_ghost"),
        (Kind.DUPLICATE, twice["id"]),
        (Kind.AMOUNT_MISMATCH, refund["id"]),
        (Kind.CURRENCY_MISMATCH, euros["id"]),
        (Kind.MISSING_IN_LEDGER, "VIR-MISSING"),
        (Kind.AMOUNT_MISMATCH, "VIR-SHORT"),
        (Kind.MISSING_ON_INVOICE, "VIR-STRAY"),
        (Kind.MISSING_IN_LEDGER, unrecorded.number),
    }
    assert _found(None) == {(Kind.PAYOUT_MISMATCH, payout["id"])}
    by_kind = {item.reference: item for item in _items(alpha.tenant)}
    assert by_kind[refund["id"]].ledger_amount == -1_500 and by_kind[refund["id"]].source_amount == -2_000
    assert by_kind["ch_ghost"].ledger_entry_id == ghost.pk and by_kind["ch_ghost"].company_name == "Acme"
    assert by_kind[unbooked["id"]].company_name == "Acme"
    assert by_kind["VIR-STRAY"].ledger_entry_id == stray.pk
    mismatch = _items(None)[0]
    assert (mismatch.source_amount, mismatch.ledger_amount) == (9_999, 9_000 - 160 - 2_000)


def test_payout_missing_on_either_side_and_stripe_activity_of_no_programme(alpha, stripe_server):
    unbooked = stripe_server.add_payout(amount=5_000, arrival_date=_days_ago(2))
    stripe_server.add_charge(amount=700, customer="cus_nobody", created=_days_ago(2))
    gone = LedgerEntry.plain.create(tenant=None, kind=LedgerEntry.Kind.PAYOUT, source=LedgerEntry.Source.STRIPE,
                                    amount=-4_000, currency="EUR", occurred_at=_days_ago(3),
                                    stripe_object_id="po_gone", stripe_payout_id="po_gone")

    services.reconcile(tenant=None)
    services.reconcile(tenant=alpha.tenant)

    found = _found(None)
    assert (Kind.MISSING_IN_LEDGER, unbooked["id"]) in found
    assert (Kind.MISSING_AT_STRIPE, "po_gone") in found
    assert len([kind for kind, _ref in found if kind == Kind.MISSING_IN_LEDGER]) == 2
    assert _items(alpha.tenant) == []
    assert _items(None, reference="po_gone")[0].ledger_entry_id == gone.pk


def test_running_again_changes_nothing_and_duplicates_nothing(alpha, alpha_books, stripe_server):
    alpha_books.account(customer="cus_acme")
    stripe_server.add_charge(amount=5_000, customer="cus_acme", created=_days_ago(6))
    alpha_books.invoice(account=alpha_books.account(name="Beton SA"), gross=1_000, book=False)

    first = services.reconcile(tenant=alpha.tenant)
    second = services.reconcile(tenant=alpha.tenant)

    # The payment, its Stripe fee and the invoice are missing from the ledger.
    assert (first.found, first.opened) == (3, 3)
    assert (second.found, second.opened, second.reopened, second.cleared) == (3, 0, 0, 0)
    items = _items(alpha.tenant)
    assert len(items) == 3 and {item.first_run_id for item in items} == {first.pk}
    assert {item.last_run_id for item in items} == {second.pk}


def test_a_resolved_mismatch_stays_resolved_unless_its_figures_change(alpha, alpha_books, stripe_server, finance_user):
    account = alpha_books.account(customer="cus_acme")
    charge, txn = stripe_server.add_charge(amount=5_000, customer="cus_acme", created=_days_ago(6))
    entry = alpha_books.book_card_payment(account=account, charge=charge, txn=txn)
    LedgerEntry.objects.for_tenant(alpha.tenant).filter(pk=entry.pk).update(amount=4_500)
    services.reconcile(tenant=alpha.tenant)
    [item] = _items(alpha.tenant)

    services.resolve_item(item=item, actor=finance_user, note="Partial capture agreed with the seller.")
    services.reconcile(tenant=alpha.tenant)
    item.refresh_from_db()
    assert item.status == ReconciliationItem.Status.RESOLVED and item.resolved_by == finance_user

    LedgerEntry.objects.for_tenant(alpha.tenant).filter(pk=entry.pk).update(amount=4_000)
    run = services.reconcile(tenant=alpha.tenant)
    item.refresh_from_db()
    assert run.reopened == 1
    assert item.status == ReconciliationItem.Status.OPEN and item.ledger_amount == 4_000 and item.times_reopened == 1
    assert item.resolved_by is None and item.resolution_note == ""
    reopened = AuditEvent.objects.for_tenant(alpha.tenant).get(action="finance.mismatch_reopened")
    assert reopened.before["status"] == "resolved" and reopened.after["ledger_amount"] == 4_000


def test_a_mismatch_fixed_at_the_source_is_cleared_and_comes_back_if_it_reappears(alpha, alpha_books, stripe_server):
    account = alpha_books.account(customer="cus_acme")
    charge, txn = stripe_server.add_charge(amount=5_000, customer="cus_acme", created=_days_ago(6), fee=0)
    services.reconcile(tenant=alpha.tenant)
    [item] = _items(alpha.tenant)

    entry = alpha_books.book_card_payment(account=account, charge=charge, txn=txn)
    run = services.reconcile(tenant=alpha.tenant)
    item.refresh_from_db()
    assert run.cleared == 1 and item.was_cleared and item.resolved_by is None

    entry.delete()
    services.reconcile(tenant=alpha.tenant)
    item.refresh_from_db()
    assert item.status == ReconciliationItem.Status.OPEN and not item.was_cleared


def test_resolving_needs_a_note_and_is_audited_with_before_and_after(alpha, alpha_books, stripe_server, finance_user):
    alpha_books.invoice(account=alpha_books.account(), gross=1_000, book=False)
    services.reconcile(tenant=alpha.tenant)
    [item] = _items(alpha.tenant)

    with pytest.raises(ValidationError):
        services.resolve_item(item=item, actor=finance_user, note="  ok ")
    services.resolve_item(item=item, actor=finance_user, note="Invoice re-issued; ledger fixed by billing.")

    event = AuditEvent.objects.for_tenant(alpha.tenant).get(action="finance.mismatch_resolved")
    assert event.actor == finance_user and event.actor_role == "finance"
    assert event.before == {"status": "open"}
    assert event.after == {"status": "resolved", "resolution_note": "Invoice re-issued; ledger fixed by billing."}
    with pytest.raises(services.FinanceError):
        services.resolve_item(item=item, actor=finance_user, note="Once more, with feeling.")


def test_every_page_of_stripe_lists_is_read(alpha, alpha_books, stripe_server):
    account = alpha_books.account(customer="cus_busy")
    for number in range(130):
        charge, txn = stripe_server.add_charge(amount=1_000 + number, customer="cus_busy",
                                               created=_days_ago(10) + timedelta(minutes=number))
        if number == 7:
            unbooked = txn
        else:
            alpha_books.book_card_payment(account=account, charge=charge, txn=txn)

    run = services.reconcile(tenant=alpha.tenant)

    assert stripe_server.requests.count("GET /v1/balance_transactions") == 2
    assert run.checked["transactions"] == 130
    assert [(item.kind, item.source_amount) for item in _items(alpha.tenant)] == [
        (Kind.MISSING_IN_LEDGER, 1_007), (Kind.MISSING_IN_LEDGER, -unbooked["fee"])]


def test_stripe_refusing_the_request_fails_the_run_with_its_reason_and_keeps_earlier_mismatches(
        alpha, alpha_books, stripe_server):
    alpha_books.account(customer="cus_acme")
    stripe_server.add_charge(amount=5_000, customer="cus_acme", created=_days_ago(6), fee=0)
    services.reconcile(tenant=alpha.tenant)
    stripe_server.fail_requests(403, "This API key cannot read balance transactions.")

    run = services.reconcile(tenant=alpha.tenant)

    assert run.status == ReconciliationRun.Status.FAILED
    assert "cannot read balance transactions" in run.error
    assert len(_items(alpha.tenant, status=ReconciliationItem.Status.OPEN)) == 1


def test_without_stripe_keys_invoices_and_transfers_are_still_compared(alpha, alpha_books, settings):
    settings.STRIPE_SECRET_KEY = ""
    alpha_books.entry(kind=LedgerEntry.Kind.CHARGE, amount=7_000, occurred_at=_days_ago(6), stripe_object_id="ch_x",
                      stripe_balance_transaction_id="txn_x")
    alpha_books.invoice(account=alpha_books.account(), gross=1_000, book=False)

    run = services.reconcile(tenant=alpha.tenant)

    assert run.status == ReconciliationRun.Status.SUCCEEDED and not run.stripe_checked
    assert {item.kind for item in _items(alpha.tenant)} == {Kind.MISSING_IN_LEDGER}


def test_a_programme_run_never_flags_another_programmes_activity(alpha, beta, alpha_books, beta_books, stripe_server):
    beta_account = beta_books.account(customer="cus_beta")
    booked, booked_txn = stripe_server.add_charge(amount=2_000, customer="cus_beta", created=_days_ago(4))
    beta_books.book_card_payment(account=beta_account, charge=booked, txn=booked_txn)
    stripe_server.add_charge(amount=3_000, customer="cus_beta", created=_days_ago(4))
    beta_books.invoice(account=beta_account, gross=1_000, book=False)

    services.reconcile(tenant=alpha.tenant)
    services.reconcile(tenant=None)
    assert _items(alpha.tenant) == [] and _items(None) == []

    services.reconcile(tenant=beta.tenant)
    assert {item.kind for item in _items(beta.tenant)} == {Kind.MISSING_IN_LEDGER}
    assert len(_items(beta.tenant)) == 3  # the unbooked payment, its fee, the invoice


def test_nightly_task_runs_every_programme_with_billing_and_the_platform(alpha, beta, stripe_server,
                                                                        django_capture_on_commit_callbacks):
    beta.tenant.modules = [module for module in beta.tenant.modules if module != "billing"]
    beta.tenant.save(update_fields=["modules"])

    reconcile_all.delay()

    runs = list(ReconciliationRun.objects.across_tenants().order_by("pk"))
    scopes = {run.tenant_id for run in runs}
    assert alpha.tenant.pk in scopes and None in scopes and beta.tenant.pk not in scopes
    assert {run.trigger for run in runs} == {ReconciliationRun.Trigger.NIGHTLY}
    assert {run.status for run in runs} == {ReconciliationRun.Status.SUCCEEDED}
