"""Billing pages over HTTP, and who may see what: other programmes, other companies, roles."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from shared_apps.accounts.permissions import can
from shared_apps.billing import services
from shared_apps.billing.models import Invoice, Subscription
from tests.shared_apps.billing.conftest import make_seller


def _invoice_for(seller, plan):
    subscription = services.subscribe_by_invoice(tenant=seller.tenant, account=seller.account, plan=plan,
                                                 actor=seller.representative)
    return Invoice.objects.for_tenant(seller.tenant).get(subscription=subscription)


def test_seller_subscribes_by_invoice_and_downloads_it(alpha, seller, plans, no_stripe):
    client = alpha.client(seller.representative)
    page = client.get("/billing/")
    assert page.status_code == 200
    assert b"Pro" in page.content
    assert b'value="card"' not in page.content  # no Stripe keys: no card payments

    response = client.post("/billing/subscribe/", {"plan": plans["pro"].pk, "payment_method": "invoice"})
    assert response.status_code == 302
    page = client.get("/billing/")
    invoice = Invoice.objects.for_tenant(alpha.tenant).get(company_id=seller.company.pk)
    assert invoice.number.encode() in page.content
    assert invoice.bank_reference.encode() in page.content
    document = client.get(f"/billing/invoices/{invoice.pk}/pdf/")
    assert document.status_code == 200
    assert document["Content-Type"] == "application/pdf"


def test_card_payment_is_offered_when_stripe_is_configured(alpha, seller, plans, stripe_server):
    page = alpha.client(seller.representative).get("/billing/")
    assert b'value="card"' in page.content


def test_subscribing_by_card_redirects_to_checkout(alpha, seller, plans, stripe_server):
    response = alpha.client(seller.representative).post(
        "/billing/subscribe/", {"plan": plans["basic"].pk, "payment_method": "card"})
    assert response.status_code == 302
    assert response["Location"].startswith(stripe_server.base_url + "/_test/pay/cs_")


def test_bad_billing_details_are_refused_next_to_the_field_and_kept(alpha, seller, no_stripe):
    response = alpha.client(seller.representative).post("/billing/details/", {
        "legal_name": "Atelier Alpha SAS", "billing_email": "not-an-address", "address": "1 rue X", "country": "FR",
        "vat_number": "12"})
    assert response.status_code == 400
    assert b"Atelier Alpha SAS" in response.content
    assert b"field--invalid" in response.content


def test_another_company_in_the_same_programme_cannot_see_the_invoice(alpha, seller, plans, no_stripe):
    invoice = _invoice_for(seller, plans["basic"])
    rival = make_seller(alpha, name="Rival Industries")
    client = alpha.client(rival.representative)
    assert client.get(f"/billing/invoices/{invoice.pk}/pdf/").status_code == 404
    assert invoice.number.encode() not in client.get("/billing/").content


def test_another_programme_sees_nothing_of_the_invoice(alpha, beta, seller, plans, no_stripe):
    invoice = _invoice_for(seller, plans["basic"])
    beta_seller = make_seller(beta, name="Beta Works")
    for user in (beta.members["tenant_admin"], beta_seller.representative):
        client = beta.client(user)
        assert client.get(f"/billing/invoices/{invoice.pk}/pdf/").status_code == 404
        assert client.get(f"/manage/billing/invoices/{invoice.pk}/").status_code in (403, 404)
    listing = beta.client(beta.members["tenant_admin"]).get("/manage/billing/invoices/")
    assert listing.status_code == 200
    assert invoice.number.encode() not in listing.content
    assert b"Atelier Alpha" not in beta.client(beta.members["tenant_admin"]).get("/manage/billing/").content


def test_anonymous_and_lower_roles_are_kept_out(alpha, seller, plans, no_stripe):
    invoice = _invoice_for(seller, plans["basic"])
    anonymous = alpha.client()
    assert anonymous.get("/billing/").status_code == 302
    assert anonymous.get(f"/billing/invoices/{invoice.pk}/pdf/").status_code == 302
    assert anonymous.get("/manage/billing/invoices/").status_code == 302
    for role in ("buyer", "guest", "expert", "moderator"):
        client = alpha.client(alpha.members[role])
        assert client.get("/billing/").status_code == 403, role
        assert client.get(f"/billing/invoices/{invoice.pk}/pdf/").status_code == 404, role
        assert client.get("/manage/billing/invoices/").status_code == 403, role
    seller_client = alpha.client(seller.representative)
    assert seller_client.get("/manage/billing/").status_code == 403
    assert seller_client.get(f"/manage/billing/invoices/{invoice.pk}/").status_code == 403


def test_finance_marks_a_transfer_paid_from_the_invoice_page(alpha, seller, plans, no_stripe):
    invoice = _invoice_for(seller, plans["basic"])
    client = alpha.client(alpha.members["tenant_admin"])
    refused = client.post(f"/manage/billing/invoices/{invoice.pk}/", {"reference": "", "paid_on": "2026-01-05"})
    assert refused.status_code == 400
    response = client.post(f"/manage/billing/invoices/{invoice.pk}/", {"reference": "VIR 123", "paid_on": "2026-01-05"})
    assert response.status_code == 302
    invoice.refresh_from_db()
    assert invoice.status == "paid"
    assert invoice.marked_paid_by == alpha.members["tenant_admin"]


def test_admin_defines_a_plan_and_bad_input_is_kept(alpha, no_stripe):
    client = alpha.client(alpha.members["tenant_admin"])
    data = {"code": "starter", "name": "Starter", "description": "", "interval": "month", "currency": "EUR",
            "amount": "49,90", "vat_rate": "20", "trial_days": "14", "is_active": "on", "position": "0",
            "feature_products_online": "10", "feature_featured_slots": "1", "feature_campaign_credits": "0"}
    bad = client.post("/manage/billing/plans/new/", {**data, "currency": "euro"})
    assert bad.status_code == 400
    assert b"Starter" in bad.content
    assert client.post("/manage/billing/plans/new/", data).status_code == 302
    plan = services.Plan.objects.for_tenant(alpha.tenant).get(code="starter")
    assert (plan.amount, plan.trial_days, plan.features["featured_slots"]) == (4_990, 14, 1)


def test_plan_features_gate_through_can(alpha, seller, plans, no_stripe):
    user = seller.representative
    assert not can(user, "plan.featured_slots", tenant=alpha.tenant)
    services.subscribe_by_invoice(tenant=alpha.tenant, account=seller.account, plan=plans["basic"], actor=user)
    user = type(user).objects.get(pk=user.pk)
    assert can(user, "plan.products_online", tenant=alpha.tenant)
    assert not can(user, "plan.featured_slots", tenant=alpha.tenant)
    assert not can(alpha.members["buyer"], "plan.products_online", tenant=alpha.tenant)


def test_programme_without_billing_gates_nothing(alpha, seller, no_stripe):
    from shared_apps.billing.entitlements import has_feature

    alpha.tenant.modules = [module for module in alpha.tenant.modules if module != "billing"]
    assert has_feature(alpha.tenant, seller.company.pk, "featured_slots")


def test_invoice_list_query_count_does_not_grow_with_rows(alpha, plans, no_stripe):
    client = alpha.client(alpha.members["tenant_admin"])

    def count_queries():
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/manage/billing/invoices/").status_code == 200
        return len(queries)

    _invoice_for(make_seller(alpha, name="Company 0"), plans["basic"])
    count_queries()  # the first page of a session also records the session's activity
    few = count_queries()
    for number in range(1, 6):
        _invoice_for(make_seller(alpha, name=f"Company {number}"), plans["basic"])
    assert count_queries() == few


def test_operators_see_stripe_events_on_the_console_and_tenant_admins_do_not(platform_client, operator, alpha):
    from tests.conftest import sign_in

    sign_in(platform_client, operator)
    assert platform_client.get("/console/billing/events/").status_code == 200
    assert alpha.client(alpha.members["tenant_admin"]).get("/console/billing/events/").status_code == 404


@pytest.mark.parametrize("role", ["company_rep"])
def test_company_rep_without_a_company_is_asked_to_create_it(alpha, role, no_stripe):
    response = alpha.client(alpha.members[role]).get("/billing/")
    assert response.status_code == 200
    assert b"profile" in response.content
    assert not Subscription.objects.for_tenant(alpha.tenant).exists()


def test_billing_page_lets_its_forms_lead_to_stripe_only_when_cards_are_on(alpha, seller, plans, stripe_server, settings):
    settings.STRIPE_REDIRECT_ORIGINS = ["https://checkout.stripe.com"]
    page = alpha.client(seller.representative).get("/billing/")
    assert "https://checkout.stripe.com" in page["Content-Security-Policy"]
    settings.STRIPE_SECRET_KEY = ""
    page = alpha.client(seller.representative).get("/billing/")
    assert "checkout.stripe.com" not in page["Content-Security-Policy"]


def test_operator_defines_a_programme_plan_from_the_console(platform_client, operator, alpha, no_stripe):
    from tests.conftest import sign_in

    sign_in(platform_client, operator)
    data = {"code": "console", "name": "From the console", "description": "", "interval": "year", "currency": "eur",
            "amount": "1200", "vat_rate": "20", "trial_days": "0", "is_active": "on", "position": "1",
            "feature_products_online": "50", "feature_featured_slots": "2", "feature_campaign_credits": "1"}
    assert platform_client.get("/console/billing/programmes/alpha/plans/").status_code == 200
    response = platform_client.post("/console/billing/programmes/alpha/plans/", data)
    assert response.status_code == 302
    plan = services.Plan.objects.for_tenant(alpha.tenant).get(code="console")
    assert (plan.amount, plan.currency, plan.interval) == (120_000, "EUR", "year")
    assert alpha.client(alpha.members["tenant_admin"]).get("/console/billing/programmes/alpha/plans/").status_code == 404


def test_plan_lists_name_their_features_for_admins_and_operators(platform_client, operator, alpha, plans, no_stripe):
    admin_page = alpha.client(alpha.members["tenant_admin"]).get("/manage/billing/").content.decode()
    from tests.conftest import sign_in

    sign_in(platform_client, operator)
    console_page = platform_client.get(f"/console/billing/programmes/{alpha.tenant.slug}/plans/").content.decode()
    for page in (admin_page, console_page):
        assert "Featured product slots: 3" in page and "Products online: 200" in page
        assert "featured_slots:" not in page
