"""Finance pages in Chromium: no axe-core violation at phone and desktop widths, nothing
wider than a 320 px screen outside the scrollable tables, and the "run now" button works
from the keyboard."""

import pytest

from tests.browser.checks import WIDTHS, axe_violations, elements_wider_than_viewport, horizontal_overflow
from tests.browser.conftest import committed

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

PAGES = ["/finance/", "/finance/ledger/", "/finance/ledger/?currency=EUR&kind=charge", "/finance/reconciliation/",
         "/finance/reconciliation/?status=resolved", "/finance/reconciliation/{item}/", "/finance/reports/",
         "/finance/stripe-events/"]


def _books(tenant):
    """A seller's card payments, a refund, a payout, invoices and transfers, some not matching."""
    from datetime import timedelta

    from django.db import transaction
    from django.utils import timezone

    from shared_apps.billing.models import BillingAccount, Invoice, LedgerEntry, WebhookEvent
    from shared_apps.billing.services import allocate_invoice_number
    from shared_apps.finance import services
    from shared_apps.finance.models import ReconciliationItem

    now = timezone.now()
    account = BillingAccount.plain.create(tenant=tenant, company_id=9001, company_name="Forges de l'Ouest",
                                          billing_email="compta@forges.example", country="FR")

    def invoice(gross, days_ago, **fields):
        # Numbered from the programme's series, as billing does: other browser tests issue
        # invoices in the same programme, and a number is unique within it.
        issued_at = now - timedelta(days=days_ago)
        year = timezone.localtime(issued_at).year
        with transaction.atomic():
            sequence, number = allocate_invoice_number(tenant, year)
            return Invoice.plain.create(
                tenant=tenant, account=account, company_id=9001, company_name=account.company_name, number=number,
                year=year, sequence=sequence, status="open", payment_method="invoice", currency="EUR",
                net_amount=round(gross / 1.2), vat_amount=gross - round(gross / 1.2), gross_amount=gross,
                issued_at=issued_at, due_date=(now - timedelta(days=days_ago - 30)).date(), **fields)

    def entry(kind, amount, days_ago, **fields):
        return LedgerEntry.plain.create(tenant=tenant, account=account, company_id=9001,
                                        company_name=account.company_name, kind=kind, amount=amount, currency="EUR",
                                        occurred_at=now - timedelta(days=days_ago), **fields)

    paid = invoice(24_000, 20)
    entry("invoice", 24_000, 20, source="platform", invoice=paid, description=paid.number)
    entry("payment", 23_000, 5, source="bank", invoice=paid, bank_reference="VIR 2026 0042")
    Invoice.plain.filter(pk=paid.pk).update(status="paid", amount_paid=24_000, paid_at=now - timedelta(days=5),
                                            payment_reference="VIR 2026 0042")
    invoice(12_000, 25)
    for number in range(4):
        entry("charge", 9_900, 10 + number, source="stripe", stripe_object_id=f"ch_browser_{number}",
              stripe_balance_transaction_id=f"txn_browser_{number}")
        entry("fee", -174, 10 + number, source="stripe", stripe_object_id=f"txn_browser_{number}",
              stripe_balance_transaction_id=f"txn_browser_{number}")
    entry("refund", -4_950, 8, source="stripe", stripe_object_id="re_browser_1", stripe_balance_transaction_id="txn_r1")
    LedgerEntry.plain.create(tenant=None, kind="payout", source="stripe", amount=-30_000, currency="EUR",
                             occurred_at=now - timedelta(days=2), stripe_object_id="po_browser",
                             stripe_payout_id="po_browser")
    WebhookEvent.plain.create(stripe_event_id="evt_browser_failed", type="charge.refunded", created=now, payload={},
                              status="failed", attempts=8, tenant=tenant,
                              last_error="KeyError: 'charge' while booking the refund of ch_browser_1")
    services.reconcile(tenant=tenant)
    item = ReconciliationItem.objects.for_tenant(tenant).order_by("pk").first()
    return item.pk


@pytest.fixture(scope="module")
def finance_pages(new_context, sign_in, sites, demo_tenants):
    from tests.factories import UserFactory

    def _create():
        from shared_apps.finance.models import PlatformRole

        user = UserFactory(email="finance@comptoir.example.org", full_name="Fanny Finance")
        user.staticdevice_set.create(name="backup", confirmed=True)
        PlatformRole.objects.create(user=user, role=PlatformRole.Role.FINANCE)
        return user

    user = committed(_create)
    item = committed(_books, demo_tenants["showroom"])
    pages = {width: sign_in(new_context(width).new_page(), sites["platform"], user) for width in WIDTHS}
    return pages, item


def _visit(page, url):
    response = page.goto(url, wait_until="load")
    assert response is not None and response.ok, f"{url} answered {response and response.status}"
    assert page.url == url, f"{url} sent the browser to {page.url}"
    return page


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("path", PAGES)
def test_finance_page_is_accessible(finance_pages, sites, path, width):
    pages, item = finance_pages
    page = _visit(pages[width], sites["platform"].url(path.format(item=item)))

    assert axe_violations(page) == []
    if width == 320:
        assert elements_wider_than_viewport(page) == []
        assert horizontal_overflow(page) == 0


def test_reconciliation_runs_now_from_the_keyboard(finance_pages, sites):
    pages, _item = finance_pages
    page = _visit(pages[1280], sites["platform"].url("/finance/reconciliation/"))
    page.get_by_label("What to reconcile").select_option(label="Showroom Industrie")
    page.get_by_role("button", name="Run now").focus()
    page.keyboard.press("Enter")
    page.wait_for_load_state("load")

    assert "Reconciliation finished" in page.locator(".flash-messages").inner_text()
    assert page.get_by_role("cell", name="Showroom Industrie").first.is_visible() or page.get_by_role(
        "rowheader", name="Showroom Industrie").first.is_visible()
    assert axe_violations(page) == []


def test_ledger_filters_work_without_javascript(sites, finance_pages):
    pages, _item = finance_pages
    page = _visit(pages[320], sites["platform"].url("/finance/ledger/"))
    page.get_by_label("Kind").select_option(label="Refund")
    page.get_by_role("button", name="Filter").click()
    page.wait_for_load_state("load")

    assert "kind=refund" in page.url
    assert page.get_by_role("table", name="1 entry").is_visible()
    assert horizontal_overflow(page) == 0
