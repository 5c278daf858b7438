"""A seller subscribes by invoice, then another by card through the local Stripe server,
and sees the invoices: every page passes axe at 320 and 1280 px."""

from __future__ import annotations

import re
import time

import pytest

from tests.browser.checks import WIDTHS, axe_violations, horizontal_overflow
from tests.browser.conftest import committed

pytestmark = [pytest.mark.browser, pytest.mark.django_db]


def assert_accessible(page, width):
    assert axe_violations(page) == [], page.url
    if width == 320:
        assert horizontal_overflow(page) == 0, page.url


def _plans(tenant, suffix):
    from shared_apps.billing import services

    services.update_settings(tenant=tenant, actor=None, issuer_name="Showroom Industrie", iban="FR7630006000011234567890189")
    services.save_plan(tenant=tenant, actor=None, code=f"essential-{suffix}", name=f"Essential {suffix}", amount=9_900,
                       currency="EUR", interval="month", features={"products_online": 25, "featured_slots": 1})


def _company_for(tenant, user, name, *, with_account=False):
    from django_tenants.utils import tenant_context

    from shared_apps.billing import services
    from tenant_apps.directory.models import Company, Representative

    with tenant_context(tenant):
        company = Company.objects.create(name=name, country="FR", email="billing@example.org")
        Representative.objects.create(company=company, user=user, is_owner=True)
    if with_account:
        services.save_account(tenant=tenant, actor=user, company_id=company.pk, company_name=name,
                              billing_email="billing@example.org", country="FR", legal_name=f"{name} SAS",
                              address="2 quai de la Seine, Rouen")
    return company.pk


@pytest.fixture
def stripe_server(settings, sites):
    from tests.stripe_server import StripeServer

    server = StripeServer(webhook_secret="whsec_browser", api_key="sk_test_browser").start()
    server.state.webhook_url = sites["platform"].url("/billing/stripe/webhook/")
    settings.STRIPE_SECRET_KEY = "sk_test_browser"
    settings.STRIPE_WEBHOOK_SECRET = "whsec_browser"
    settings.STRIPE_API_BASE = server.base_url
    settings.STRIPE_REDIRECT_ORIGINS = [server.base_url]
    yield server
    server.stop()


@pytest.mark.parametrize("width", WIDTHS)
def test_seller_subscribes_by_invoice_and_sees_the_invoice(sites, demo_tenants, new_context, make_member, sign_in,
                                                           settings, width):
    settings.STRIPE_SECRET_KEY = ""
    site, tenant = sites["showroom"], demo_tenants["showroom"]
    committed(_plans, tenant, f"i{width}")
    rep = make_member("showroom", "company_rep")
    committed(_company_for, tenant, rep, f"Forges Browser {width}")

    page = new_context(width).new_page()
    sign_in(page, site, rep)
    page.goto(site.url("/billing/"), wait_until="load")
    assert_accessible(page, width)
    assert page.locator("main").get_by_label("By card").count() == 0
    page.get_by_role("link", name="Enter the billing details to subscribe").click()
    page.wait_for_load_state("load")
    assert_accessible(page, width)
    form = page.locator("main form")
    form.get_by_label(re.compile(r"^Billing e-mail")).fill("not an address")
    form.get_by_label(re.compile(r"^Billing address")).fill("2 quai de la Seine\n76000 Rouen")
    form.get_by_role("button", name="Save").click()
    page.wait_for_load_state("load")
    assert page.locator(".field--invalid").count() >= 1
    assert_accessible(page, width)
    form = page.locator("main form")
    assert "2 quai de la Seine" in form.get_by_label(re.compile(r"^Billing address")).input_value()
    form.get_by_label(re.compile(r"^Billing e-mail")).fill(f"accounts.{width}@forges.example")
    form.get_by_role("button", name="Save").click()
    page.wait_for_load_state("load")

    subscribe = page.locator("main form", has=page.get_by_role("button", name="Subscribe"))
    subscribe.get_by_label(re.compile(r"^Plan")).select_option(label=f"Essential i{width}")
    subscribe.get_by_label("By invoice and bank transfer").check()
    subscribe.get_by_role("button", name="Subscribe").click()
    page.wait_for_load_state("load")
    main = page.locator("main").inner_text()
    assert f"Essential i{width}" in main
    assert re.search(r"F-\d{4}-\d{5}", main)
    assert "Awaiting payment" in main
    assert_accessible(page, width)
    with page.expect_download() as download:
        page.locator("main").get_by_role("link", name=re.compile(r"^Download")).first.click()
    assert download.value.suggested_filename.endswith(".pdf")


def test_seller_subscribes_by_card_through_the_local_stripe_server(sites, demo_tenants, new_context, make_member,
                                                                   sign_in, stripe_server):
    site, tenant = sites["showroom"], demo_tenants["showroom"]
    committed(_plans, tenant, "card")
    rep = make_member("showroom", "company_rep")
    committed(_company_for, tenant, rep, "Carte Browser", with_account=True)

    page = new_context(1280).new_page()
    sign_in(page, site, rep)
    page.goto(site.url("/billing/"), wait_until="load")
    subscribe = page.locator("main form", has=page.get_by_role("button", name="Subscribe"))
    subscribe.get_by_label(re.compile(r"^Plan")).select_option(label="Essential card")
    subscribe.get_by_label("By card (secure payment page)").check()
    subscribe.get_by_role("button", name="Subscribe").click()
    page.wait_for_load_state("load")
    assert page.url.startswith(stripe_server.base_url + "/_test/pay/")
    page.get_by_role("button", name="Pay").click()
    page.wait_for_load_state("load")
    assert "/billing/checkout/done/" in page.url
    assert_accessible(page, 1280)

    deadline = time.monotonic() + 15
    while True:
        page.goto(site.url("/billing/"), wait_until="load")
        text = page.locator("main").inner_text()
        if "Renews on" in text and "Paid" in text:
            break
        assert time.monotonic() < deadline, text
        time.sleep(0.5)
    assert "Card (Stripe)" in text
    assert_accessible(page, 1280)
