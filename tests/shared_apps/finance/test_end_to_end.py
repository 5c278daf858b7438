"""From a seller's card payment to the bank: billing books it from Stripe's webhooks,
Stripe pays it out, and finance's reconciliation agrees with the ledger until someone
changes it. Everything goes through the local Stripe server and the real stripe library."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from shared_apps.billing import services as billing
from shared_apps.billing.models import LedgerEntry
from shared_apps.finance import services as finance
from shared_apps.finance.models import ReconciliationItem, ReconciliationRun
from tests.shared_apps.billing.conftest import make_seller

Kind = ReconciliationItem.Kind


def _open(tenant) -> set[tuple[str, str]]:
    return {(item.kind, item.reference) for item in
            ReconciliationItem.objects.for_tenant(tenant).filter(status=ReconciliationItem.Status.OPEN)}


def _pay_by_card(programme, stripe_server, deliver):
    seller = make_seller(programme, name="Atelier Alpha", user=programme.members["company_rep"])
    plan = billing.save_plan(tenant=programme.tenant, actor=programme.members["tenant_admin"], code="pro", name="Pro",
                             amount=30_000, currency="EUR", interval="month", vat_rate=Decimal("20.00"),
                             features={"products_online": 200, "featured_slots": 3, "campaign_credits": 2})
    url = billing.start_card_checkout(tenant=programme.tenant, account=seller.account, plan=plan,
                                      actor=seller.representative, success_url="http://alpha.comptoir.test/billing/",
                                      cancel_url="http://alpha.comptoir.test/billing/")
    stripe_server.control(f"checkout_sessions/{url.rsplit('/', 1)[-1]}/complete")
    deliver(stripe_server)


def test_a_card_payment_paid_out_reconciles_and_a_planted_error_is_flagged(alpha, stripe_server, deliver):
    _pay_by_card(alpha, stripe_server, deliver)
    stripe_server.control("clock/advance", seconds=2 * 24 * 3600)  # the payment becomes available
    payout = stripe_server.control("payouts", currency="eur")
    deliver(stripe_server)

    ledger = LedgerEntry.objects.for_tenant(alpha.tenant)
    charge, fee = ledger.get(kind="charge"), ledger.get(kind="fee")
    booked_payout = LedgerEntry.objects.for_tenant(None).get(kind="payout")
    assert (charge.amount, payout["automatic"]) == (36_000, True)
    assert payout["amount"] == charge.amount + fee.amount == -booked_payout.amount

    # The nightly run after the money reached the bank (the server's clock is ahead by then).
    night = datetime.fromtimestamp(stripe_server.now() + 3600, tz=UTC)
    programme_run = finance.reconcile(tenant=alpha.tenant, now=night)
    platform_run = finance.reconcile(tenant=None, now=night)

    assert {programme_run.status, platform_run.status} == {ReconciliationRun.Status.SUCCEEDED}
    assert programme_run.stripe_checked and platform_run.stripe_checked
    assert programme_run.checked == {"transactions": 1, "ledger_entries": 3, "invoices": 1}
    assert platform_run.checked == {"transactions": 0, "payouts": 1, "ledger_entries": 1}
    assert _open(alpha.tenant) == set() and _open(None) == set()

    fee.delete()
    LedgerEntry.objects.for_tenant(None).filter(pk=booked_payout.pk).update(amount=booked_payout.amount + 100)
    finance.reconcile(tenant=alpha.tenant, now=night)
    finance.reconcile(tenant=None, now=night)

    assert _open(alpha.tenant) == {(Kind.MISSING_IN_LEDGER, charge.stripe_balance_transaction_id)}
    assert _open(None) == {(Kind.AMOUNT_MISMATCH, payout["id"])}
    [mismatch] = ReconciliationItem.objects.for_tenant(None).filter(status=ReconciliationItem.Status.OPEN)
    assert (mismatch.source_amount, mismatch.ledger_amount) == (-payout["amount"], -payout["amount"] + 100)
