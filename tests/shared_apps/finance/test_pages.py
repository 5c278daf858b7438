"""Finance pages over HTTP: who gets in, filters and totals, exports, charts, actions."""

from __future__ import annotations

import csv
import io
from datetime import datetime, timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from shared_apps.audit.models import AuditEvent
from shared_apps.billing.models import LedgerEntry, WebhookEvent
from shared_apps.finance import services
from shared_apps.finance.models import PlatformRole, ReconciliationItem, ReconciliationRun
from tests.conftest import sign_in
from tests.factories import MembershipFactory, UserFactory
from tests.shared_apps.finance.conftest import Books, platform_client

FINANCE_PAGES = ["/finance/", "/finance/ledger/", "/finance/reconciliation/", "/finance/reports/",
                 "/finance/stripe-events/", "/finance/ledger/export/", "/finance/invoices/export/?format=xlsx",
                 "/finance/reconciliation/export/"]


def _count(client, path) -> int:
    client.get(path)
    with CaptureQueriesContext(connection) as context:
        response = client.get(path)
    assert response.status_code == 200, response.content[:300]
    return len(context)


def _ledger_rows(books: Books, *, company: str, rows: int, currency="EUR", amount=1_000):
    account = books.account(name=company)
    for number in range(rows):
        books.entry(kind=LedgerEntry.Kind.CHARGE, amount=amount, currency=currency, account=account,
                    stripe_object_id=f"ch_{company}_{currency}_{number}",
                    occurred_at=timezone.now() - timedelta(days=1, minutes=number))
    return account


# --- Who gets in ------------------------------------------------------------------------------


@pytest.mark.parametrize("path", FINANCE_PAGES)
def test_finance_staff_and_operators_see_every_finance_page(path, finance_client, operator):
    assert finance_client.get(path).status_code == 200
    assert platform_client(operator).get(path).status_code == 200


@pytest.mark.parametrize("path", FINANCE_PAGES)
def test_anonymous_people_are_sent_to_sign_in_and_others_refused(path, alpha, programmes):
    anonymous = platform_client().get(path)
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/accounts/sign-in/")
    for role in ("tenant_admin", "company_rep"):
        assert platform_client(alpha.members[role]).get(path).status_code == 403
    assert platform_client(UserFactory()).get(path).status_code == 403


def test_finance_pages_do_not_exist_on_a_programme_host(alpha, finance_user):
    client = alpha.client()
    sign_in(client, finance_user)
    assert client.get("/finance/ledger/").status_code == 404


def test_finance_staff_must_enrol_a_second_factor_before_anything(programmes, db):
    newcomer = UserFactory()
    PlatformRole.objects.create(user=newcomer, role=PlatformRole.Role.FINANCE)
    client = platform_client(newcomer)
    assert client.get("/finance/")["Location"] == "/accounts/mfa/"
    assert client.get("/finance/ledger/export/")["Location"] == "/accounts/mfa/"
    assert client.get("/accounts/mfa/").status_code == 200


def test_finance_staff_land_on_the_finance_pages_after_signing_in(finance_user, programmes):
    client = platform_client()
    response = client.post("/accounts/sign-in/", {"username": finance_user.email, "password": "correct horse battery staple"})
    assert response["Location"] == "/accounts/mfa/verify/"
    from tests.conftest import fresh_backup_code

    device, code = fresh_backup_code(finance_user)
    response = client.post("/accounts/mfa/verify/", {"device": device.persistent_id, "token": code})
    assert client.get(response["Location"])["Location"] == "/finance/"
    assert 'href="/finance/"' in client.get("/finance/").content.decode()


def test_operators_see_but_do_not_act(operator, alpha, alpha_books):
    alpha_books.invoice(account=alpha_books.account(), gross=1_000, book=False)
    services.reconcile(tenant=alpha.tenant)
    item = ReconciliationItem.objects.for_tenant(alpha.tenant).get()
    client = platform_client(operator)
    page = client.get(f"/finance/reconciliation/{item.pk}/").content.decode()
    assert "Mark as resolved" not in page
    assert client.post(f"/finance/reconciliation/{item.pk}/", {"note": "Looks fine to me."}).status_code == 403
    assert client.post("/finance/reconciliation/run/", {"scope": "all"}).status_code == 403
    item.refresh_from_db()
    assert item.status == ReconciliationItem.Status.OPEN


def test_operators_grant_and_withdraw_the_role_and_both_are_audited(operator, programmes, db):
    person = UserFactory(email="compta@example.org")
    enrol_client = platform_client(operator)
    refused = enrol_client.post("/console/finance-staff/", {"email": "nobody@example.org"})
    assert refused.status_code == 400 and "No account uses this address" in refused.content.decode()
    assert 'value="nobody@example.org"' in refused.content.decode()

    assert enrol_client.post("/console/finance-staff/", {"email": "Compta@Example.org"}).status_code == 302
    assert PlatformRole.objects.filter(user=person, role="finance").exists()
    assert "compta@example.org" in enrol_client.get("/console/finance-staff/").content.decode()
    again = enrol_client.post("/console/finance-staff/", {"email": "compta@example.org"})
    assert again.status_code == 400 and "already finance staff" in again.content.decode()

    assert enrol_client.post(f"/console/finance-staff/{person.pk}/revoke/").status_code == 302
    assert not PlatformRole.objects.filter(user=person).exists()
    actions = list(AuditEvent.objects.for_tenant(None).filter(target_id=str(person.pk)).order_by("pk")
                   .values_list("action", "before", "after"))
    assert actions == [
        ("finance.role_granted", {"platform_roles": []}, {"platform_roles": ["finance"]}),
        ("finance.role_revoked", {"platform_roles": ["finance"]}, {"platform_roles": []}),
    ]


def test_only_operators_manage_finance_staff(finance_client, finance_user):
    assert finance_client.get("/console/finance-staff/").status_code == 403
    assert finance_client.post(f"/console/finance-staff/{finance_user.pk}/revoke/").status_code == 403


def test_a_withdrawn_finance_role_closes_the_pages_at_once(finance_client, finance_user, operator):
    assert finance_client.get("/finance/").status_code == 200
    services.revoke_finance_role(user=finance_user, actor=operator)
    assert finance_client.get("/finance/").status_code == 403


# --- Ledger ----------------------------------------------------------------------------------


def test_ledger_filters_and_totals_never_mix_currencies(finance_client, alpha_books, beta_books):
    _ledger_rows(alpha_books, company="Acme", rows=3, amount=1_000)
    _ledger_rows(alpha_books, company="Acme", rows=2, currency="USD", amount=700)
    _ledger_rows(beta_books, company="Bolt", rows=4, amount=2_500)
    alpha_books.entry(kind=LedgerEntry.Kind.REFUND, amount=-400, account=alpha_books.account(name="Acme Two"),
                      stripe_object_id="re_1")

    everything = finance_client.get("/finance/ledger/")
    totals = {row["currency"]: row for row in everything.context["totals"]}
    assert set(totals) == {"EUR", "USD"}
    assert (totals["EUR"]["count"], totals["EUR"]["balance"]) == (8, 3 * 1_000 + 4 * 2_500 - 400)
    assert (totals["EUR"]["money_in"], totals["EUR"]["money_out"]) == (13_000, -400)
    assert totals["USD"]["balance"] == 1_400
    assert "126.00 EUR" in everything.content.decode() and "14.00 USD" in everything.content.decode()

    alpha_only = finance_client.get("/finance/ledger/", {"tenant": alpha_books.tenant.pk, "currency": "EUR"})
    assert [row["balance"] for row in alpha_only.context["totals"]] == [2_600]
    by_company = finance_client.get("/finance/ledger/", {"company": "acme two"})
    assert [entry.kind for entry in by_company.context["page"].object_list] == ["refund"]
    by_kind = finance_client.get("/finance/ledger/", {"kind": "refund"})
    assert by_kind.context["page"].paginator.count == 1
    yesterday = (timezone.localdate() - timedelta(days=5)).isoformat()
    assert finance_client.get("/finance/ledger/", {"until": yesterday}).context["page"].paginator.count == 0


def test_ledger_keeps_the_filters_and_explains_a_bad_date(finance_client, alpha_books):
    _ledger_rows(alpha_books, company="Acme", rows=2)
    response = finance_client.get("/finance/ledger/", {"company": "Acme", "since": "31/31/2026", "until": "2026-01-01",
                                                       "currency": "XXX"})
    page = response.content.decode()
    assert response.status_code == 400
    assert "Enter a valid date." in page and 'value="Acme"' in page and 'value="31/31/2026"' in page
    assert "Select a valid choice" in page


def test_platform_payouts_are_filtered_apart_from_programmes(finance_client, alpha_books):
    _ledger_rows(alpha_books, company="Acme", rows=1)
    LedgerEntry.plain.create(tenant=None, kind=LedgerEntry.Kind.PAYOUT, source=LedgerEntry.Source.STRIPE,
                             amount=-900, currency="EUR", stripe_object_id="po_1", stripe_payout_id="po_1")
    response = finance_client.get("/finance/ledger/", {"tenant": "platform"})
    assert [entry.kind for entry in response.context["page"].object_list] == ["payout"]


def test_ledger_page_queries_do_not_grow_with_entries(finance_client, alpha_books, beta_books):
    _ledger_rows(alpha_books, company="Acme", rows=2)
    before = _count(finance_client, "/finance/ledger/?currency=EUR")
    _ledger_rows(alpha_books, company="Bolt", rows=30)
    _ledger_rows(beta_books, company="Cogs", rows=30, currency="USD")
    assert _count(finance_client, "/finance/ledger/?currency=EUR") == before <= 14


def test_reconciliation_and_events_pages_queries_do_not_grow(finance_client, alpha, alpha_books, stripe_server):
    account = alpha_books.account(customer="cus_x")
    stripe_server.add_charge(amount=100, customer="cus_x", created=timezone.now() - timedelta(days=1))
    services.reconcile(tenant=alpha.tenant)
    WebhookEvent.plain.create(stripe_event_id="evt_0", type="charge.succeeded", created=timezone.now(), payload={},
                              status=WebhookEvent.Status.FAILED, last_error="KeyError: 'customer'", tenant=alpha.tenant)
    reconciliation, events = _count(finance_client, "/finance/reconciliation/"), _count(finance_client,
                                                                                       "/finance/stripe-events/")
    for number in range(20):
        alpha_books.invoice(account=account, gross=1_000 + number, book=False)
        WebhookEvent.plain.create(stripe_event_id=f"evt_{number + 1}", type="invoice.paid", created=timezone.now(),
                                  payload={}, status=WebhookEvent.Status.FAILED, last_error="boom", tenant=alpha.tenant)
    services.reconcile(tenant=alpha.tenant)
    assert _count(finance_client, "/finance/reconciliation/") == reconciliation <= 14
    assert _count(finance_client, "/finance/stripe-events/") == events <= 10


# --- Reconciliation pages -------------------------------------------------------------------


def test_run_now_reconciles_every_scope_and_lists_the_mismatches(finance_client, alpha, alpha_books, stripe_server,
                                                                  django_capture_on_commit_callbacks):
    alpha_books.invoice(account=alpha_books.account(name="Acme"), gross=1_000, book=False)
    with django_capture_on_commit_callbacks(execute=True):
        response = finance_client.post("/finance/reconciliation/run/", {"scope": "all"})
    assert response.status_code == 302
    page = finance_client.get(response["Location"]).content.decode()
    assert "Missing in the ledger" in page and "Acme" in page and "Run now" in page
    runs = ReconciliationRun.objects.across_tenants()
    assert {run.tenant_id for run in runs} >= {alpha.tenant.pk, None}
    assert AuditEvent.objects.for_tenant(None).filter(action="finance.reconciliation_requested").exists()


def test_an_unknown_scope_is_refused_with_a_message(finance_client):
    response = finance_client.post("/finance/reconciliation/run/", {"scope": "mars"})
    assert response.status_code == 400 and "Select a valid choice" in response.content.decode()
    assert not ReconciliationRun.objects.across_tenants().exists()


def test_resolving_from_the_page_keeps_the_note_and_refuses_an_empty_one(finance_client, finance_user, alpha,
                                                                        alpha_books):
    alpha_books.invoice(account=alpha_books.account(), gross=1_000, book=False)
    services.reconcile(tenant=alpha.tenant)
    item = ReconciliationItem.objects.for_tenant(alpha.tenant).get()
    url = f"/finance/reconciliation/{item.pk}/"

    refused = finance_client.post(url, {"note": "ok"})
    assert refused.status_code == 400 and "Ensure this value has at least 5 characters" in refused.content.decode()
    assert finance_client.post(url, {"note": "Ledger entry booked by hand, see ticket 42."}).status_code == 302
    item.refresh_from_db()
    assert item.status == "resolved" and item.resolved_by == finance_user
    assert "see ticket 42" in finance_client.get(url).content.decode()
    assert finance_client.post(url, {"note": "Twice is too many."}).status_code == 302
    assert finance_client.get("/finance/reconciliation/").context["page"].paginator.count == 0
    resolved = finance_client.get("/finance/reconciliation/", {"status": "resolved"})
    assert resolved.context["page"].paginator.count == 1


def test_an_unknown_mismatch_is_a_404(finance_client):
    assert finance_client.get("/finance/reconciliation/999999/").status_code == 404


# --- Exports -----------------------------------------------------------------------------------


def test_ledger_export_has_amounts_in_major_units_and_neutralised_text(finance_client, alpha_books):
    account = alpha_books.account(name="=HYPERLINK(\"http://evil\")")
    alpha_books.entry(kind=LedgerEntry.Kind.REFUND, amount=-1_250, account=account, stripe_object_id="re_9",
                      description="+cmd")
    response = finance_client.get("/finance/ledger/export/", {"format": "csv", "kind": "refund"})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert response["Content-Disposition"].startswith('attachment; filename="ledger-')
    assert rows[0][:6] == ["Date", "Programme", "Company", "Kind", "Source", "Amount"]
    assert len(rows) == 2
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["Amount"] == "-12.50" and row["Currency"] == "EUR" and row["Kind"] == "Refund"
    assert row["Company"].startswith("'=") and row["Description"] == "'+cmd"
    assert AuditEvent.objects.for_tenant(None).filter(action="finance.exported", after__what="ledger").exists()


def test_invoice_and_mismatch_exports_open_in_a_spreadsheet(finance_client, alpha, alpha_books):
    invoice = alpha_books.invoice(account=alpha_books.account(name="Acme"), gross=12_000)
    alpha_books.pay_by_transfer(invoice, reference="@SUM(1)", booked_amount=11_000)
    services.reconcile(tenant=alpha.tenant)

    sheet = load_workbook(io.BytesIO(finance_client.get("/finance/invoices/export/", {"format": "xlsx"}).content)).active
    header = [cell.value for cell in sheet[1]]
    values = dict(zip(header, [cell.value for cell in sheet[2]], strict=True))
    assert values["Number"] == invoice.number and values["Total"] == 120 and values["Paid"] == 120
    assert values["Transfer reference"] == "'@SUM(1)" and values["Status"] == "Paid"

    mismatches = finance_client.get("/finance/reconciliation/export/", {"format": "csv"})
    rows = list(csv.DictReader(io.StringIO(mismatches.content.decode("utf-8-sig"))))
    assert [(row["Kind"], row["In the ledger"], row["At the source"]) for row in rows] == [
        ("Different amounts", "110.00", "120.00")]


# --- Reports ---------------------------------------------------------------------------------


def test_reports_draw_accessible_charts_with_their_data_tables(finance_client, alpha_books, beta_books):
    plan = alpha_books.plan(name="Vitrine")
    account = alpha_books.account(name="Acme")
    subscription = alpha_books.subscription(account=account, plan=plan)
    paid = alpha_books.invoice(account=account, gross=12_000, subscription=subscription)
    alpha_books.pay_by_transfer(paid, reference="VIR-1")
    alpha_books.invoice(account=account, gross=6_000, subscription=subscription,
                        issued_at=timezone.now() - timedelta(days=45), due_in_days=30)
    beta_books.invoice(account=beta_books.account(name="Bolt"), gross=3_000, currency="USD")

    response = finance_client.get("/finance/reports/", {"currency": "EUR"})
    page = response.content.decode()
    assert response.status_code == 200 and response.context["currency"] == "EUR"
    assert page.count('role="img"') == 2 and 'aria-labelledby="revenue-chart-title revenue-chart-desc"' in page
    assert "<title id=\"revenue-chart-title\">Revenue per month (EUR)</title>" in page
    assert "The highest is 120.00 EUR" in page
    by_programme = {(row.label, row.currency): row for row in response.context["by_programme"]}
    alpha_row = by_programme[(alpha_books.tenant.name, "EUR")]
    assert (alpha_row.revenue, alpha_row.outstanding, alpha_row.overdue) == (12_000, 6_000, 6_000)
    assert by_programme[(beta_books.tenant.name, "USD")].outstanding == 3_000
    [vitrine] = [row for row in response.context["by_plan"] if row.label == "Vitrine"]
    assert (vitrine.revenue, vitrine.overdue, vitrine.overdue_invoices) == (12_000, 6_000, 1)
    assert sum(total for _label, total in response.context["revenue_rows"]) == 12_000


@pytest.mark.parametrize("until", ["9999-12-31", "0001-01-01"])
def test_reports_refuse_an_end_no_calendar_can_count_to(finance_client, until):
    response = finance_client.get("/finance/reports/", {"until": until})
    assert response.status_code == 400 and "Choose an end date between" in response.content.decode()


def test_reports_refuse_a_bad_period_without_failing(finance_client):
    response = finance_client.get("/finance/reports/", {"since": "2026-05-01", "until": "2026-01-01"})
    assert response.status_code == 400
    assert "The end date must not be before the start date." in response.content.decode()
    too_long = finance_client.get("/finance/reports/", {"since": "0001-01-01", "currency": "EUR"})
    assert too_long.status_code == 400 and "five years at most" in too_long.content.decode()
    assert len(too_long.context["revenue_rows"]) == 12


def test_reports_in_french(finance_client, alpha_books):
    alpha_books.pay_by_transfer(alpha_books.invoice(account=alpha_books.account(), gross=123_456), reference="V")
    finance_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    response = finance_client.get("/finance/reports/", HTTP_ACCEPT_LANGUAGE="fr")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Chiffre d’affaires par mois" in page or "Chiffre d'affaires par mois" in page
    assert "1\xa0234,56 EUR" in page


def test_french_reports_tell_june_from_july(finance_client, alpha_books):
    alpha_books.entry(kind=LedgerEntry.Kind.PAYMENT, source=LedgerEntry.Source.BANK, amount=5_000,
                      occurred_at=timezone.make_aware(datetime(2026, 7, 10, 12)))
    finance_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    response = finance_client.get("/finance/reports/", {"since": "2026-06-01", "until": "2026-07-31",
                                                        "currency": "EUR"}, HTTP_ACCEPT_LANGUAGE="fr")
    page = response.content.decode()
    assert "juin 2026" in page and "juil. 2026" in page
    assert "juil. 2026, Chiffre d’affaires : 50,00 EUR" in page


# --- Failed Stripe events -------------------------------------------------------------------


def test_failed_events_are_listed_and_queued_again_by_name(finance_client, alpha, monkeypatch,
                                                          django_capture_on_commit_callbacks):
    from celery import current_app

    sent = []
    monkeypatch.setattr(current_app, "send_task", lambda name, args=None, **kwargs: sent.append((name, args)))
    failed = WebhookEvent.plain.create(stripe_event_id="evt_failed", type="charge.refunded", created=timezone.now(),
                                       payload={}, status=WebhookEvent.Status.FAILED, attempts=8,
                                       last_error="KeyError: 'charge'", tenant=alpha.tenant)
    WebhookEvent.plain.create(stripe_event_id="evt_ok", type="invoice.paid", created=timezone.now(), payload={},
                              status=WebhookEvent.Status.PROCESSED)

    page = finance_client.get("/finance/stripe-events/").content.decode()
    assert "evt_failed" in page and "KeyError: &#x27;charge&#x27;" in page and "evt_ok" not in page
    with django_capture_on_commit_callbacks(execute=True):
        response = finance_client.post(f"/finance/stripe-events/{failed.pk}/retry/")
    assert response.status_code == 302
    assert sent == [("billing.process_webhook_event", [failed.pk])]
    assert AuditEvent.objects.for_tenant(alpha.tenant).filter(action="finance.webhook_retried").exists()


def test_retrying_an_event_that_is_not_failed_explains_why(finance_client, monkeypatch):
    from celery import current_app

    sent = []
    monkeypatch.setattr(current_app, "send_task", lambda *args, **kwargs: sent.append(args))
    done = WebhookEvent.plain.create(stripe_event_id="evt_done", type="invoice.paid", created=timezone.now(),
                                     payload={}, status=WebhookEvent.Status.PROCESSED)
    response = finance_client.post(f"/finance/stripe-events/{done.pk}/retry/", follow=True)
    assert "no longer failed" in response.content.decode() and sent == []


# --- A programme's administrators ---------------------------------------------------------------


def test_programme_admins_see_their_own_billing_summary_only(alpha, beta, alpha_books, beta_books):
    alpha_books.pay_by_transfer(alpha_books.invoice(account=alpha_books.account(name="Acme"), gross=12_300),
                                reference="VIR-A")
    beta_books.invoice(account=beta_books.account(name="Bolt Industries"), gross=98_700)

    response = alpha.client(alpha.members["tenant_admin"]).get("/manage/finance/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "123.00 EUR" in page and "987.00" not in page and "Bolt" not in page
    assert [row.currency for row in response.context["totals"]] == ["EUR"]
    beta_page = beta.client(beta.members["tenant_admin"]).get("/manage/finance/").content.decode()
    assert "987.00 EUR" in beta_page and "123.00" not in beta_page


@pytest.mark.parametrize("role", ["company_rep", "moderator", "buyer", "expert", "guest"])
def test_other_members_do_not_see_the_billing_summary(alpha, role):
    assert alpha.client(alpha.members[role]).get("/manage/finance/").status_code == 403


def test_a_member_of_another_programme_does_not_see_the_summary(alpha, beta):
    client = alpha.client()
    sign_in(client, beta.members["tenant_admin"])
    assert client.get("/manage/finance/").status_code in (302, 403)


def test_the_billing_summary_follows_the_role_matrix(alpha):
    admin = UserFactory()
    MembershipFactory(user=admin, tenant=alpha.tenant, role="tenant_admin")
    from tests.conftest import enrol_backup_codes

    enrol_backup_codes(admin)
    alpha.tenant.role_matrix["tenant_admin"] = [p for p in alpha.tenant.role_matrix["tenant_admin"]
                                                if p != "billing.summary"]
    alpha.tenant.save(update_fields=["role_matrix"])
    assert alpha.client(admin).get("/manage/finance/").status_code == 403


def test_the_demo_has_finance_staff_who_receive_codes_by_email(db, programmes):
    from django_otp.plugins.otp_email.models import EmailDevice

    from platform_core.demo import FINANCE_EMAIL, _demo_finance_staff

    _demo_finance_staff()
    _demo_finance_staff()
    role = PlatformRole.objects.get(user__email=FINANCE_EMAIL)
    assert role.role == "finance" and EmailDevice.objects.filter(user=role.user, confirmed=True).count() == 1
