"""A buyer sends a request for quotation, the company answers with a quotation and a message:
every page on the way passes axe at phone and desktop widths, with and without htmx."""

import re
from datetime import date, timedelta

import pytest

from tests.browser.checks import WIDTHS, axe_violations, elements_wider_than_viewport, horizontal_overflow
from tests.browser.conftest import committed

pytestmark = [pytest.mark.browser, pytest.mark.django_db]


def assert_accessible(page, width):
    assert axe_violations(page) == [], page.url
    if width == 320:
        assert elements_wider_than_viewport(page) == [], page.url
        assert horizontal_overflow(page) == 0, page.url


def _label(text):
    return re.compile(rf"^{re.escape(text)}\W*$")


def _company(tenant, owner, name):
    from django.utils import timezone
    from django_tenants.utils import tenant_context

    from tenant_apps.catalogue.models import Product
    from tenant_apps.directory.models import Company, Representative

    with tenant_context(tenant):
        company = Company.objects.create(name=name, country="FR", city="Lyon", visibility="public",
                                         email="ventes@usinage-browser.example", phone="+33 4 72 00 00 00")
        Representative.objects.create(company=company, user=owner, is_owner=True)
        product = Product.objects.create(company=company, title="Vibration sensor VS-200", status="published",
                                         published_at=timezone.now())
        return company.pk, product.pk


@pytest.mark.parametrize("width", WIDTHS)
def test_a_buyer_sends_an_rfq_and_the_company_answers_with_a_quotation(
        sites, demo_tenants, new_context, make_member, sign_in, width):
    from playwright.sync_api import expect

    site = sites["showroom"]
    seller = make_member("showroom", "company_rep", full_name=f"Marc Vendeur {width}")
    buyer = make_member("showroom", "buyer", full_name=f"Ahmed Acheteur {width}")
    company_pk, product_pk = committed(_company, demo_tenants["showroom"], seller, f"Usinage Browser {width}")
    subject = f"200 sensors for Dubai ({width})"

    buyer_page = sign_in(new_context(width).new_page(), site, buyer)
    buyer_page.goto(site.url(f"/inquiries/new/?company={company_pk}&product={product_pk}"), wait_until="load")
    assert_accessible(buyer_page, width)

    buyer_page.get_by_role("button", name="Show contact details").click()
    contact = buyer_page.locator("#company-contact")
    expect(contact.get_by_role("link", name="ventes@usinage-browser.example")).to_be_visible()
    assert_accessible(buyer_page, width)

    form = buyer_page.locator("main form.inquiry-form")
    form.get_by_label("Request for quotation", exact=True).check()
    form.get_by_label(_label("Subject")).fill(subject)
    form.get_by_label(_label("Your message")).fill("Please quote 200 sensors, delivery FOB Marseille.")
    form.get_by_label(_label("Quantity")).fill("200")
    form.get_by_label(_label("Unit")).select_option("pieces")
    form.get_by_label(_label("Target price (total)")).fill("18000")
    form.get_by_label(_label("Currency")).select_option("EUR")
    form.get_by_label(_label("Incoterm (2020)")).select_option("FOB")
    form.get_by_label(_label("Destination country")).select_option("AE")
    form.get_by_label(_label("Answer wanted by")).fill((date.today() + timedelta(days=20)).isoformat())
    form.get_by_label(_label("Your country")).select_option("AE")
    form.get_by_role("button", name="Send the inquiry").click()
    buyer_page.wait_for_url(re.compile(r"/inquiries/\d+/$"))
    thread_url = buyer_page.url
    expect(buyer_page.get_by_role("heading", level=1)).to_have_text(subject)
    expect(buyer_page.locator(".flash-messages")).to_contain_text("Your inquiry was sent to")
    assert_accessible(buyer_page, width)

    seller_page = sign_in(new_context(width).new_page(), site, seller)
    seller_page.goto(site.url("/inquiries/company/"), wait_until="load")
    expect(seller_page.get_by_role("link", name=subject)).to_be_visible()
    assert_accessible(seller_page, width)
    seller_page.get_by_role("link", name=subject).click()
    seller_page.wait_for_url(thread_url)
    assert_accessible(seller_page, width)

    quote = seller_page.locator("#quote form")
    quote.get_by_label(_label("Amount (total)")).fill("17400")
    quote.get_by_label(_label("Currency")).select_option("EUR")
    quote.get_by_label(_label("Valid until")).fill((date.today() + timedelta(days=30)).isoformat())
    quote.get_by_label(_label("Terms")).fill("FOB Marseille, delivery in five weeks.")
    quote.get_by_role("button", name="Send the quotation").click()
    expect(seller_page.get_by_role("status")).to_contain_text("Quotation sent to the buyer.")
    expect(seller_page.locator("#timeline")).to_contain_text("17400.00 EUR")
    assert_accessible(seller_page, width)

    reply = seller_page.locator("#reply form")
    reply.get_by_label(_label("Your message")).fill("Our quotation is above. Best regards.")
    reply.get_by_role("button", name="Send the message").click()
    expect(seller_page.get_by_role("status")).to_contain_text("Message sent.")
    expect(seller_page.locator("#timeline")).to_contain_text("Our quotation is above.")

    buyer_page.goto(thread_url, wait_until="load")
    expect(buyer_page.locator("#timeline")).to_contain_text("17400.00 EUR")
    expect(buyer_page.locator("#timeline")).to_contain_text("Our quotation is above.")
    expect(buyer_page.locator(".inquiry-status").first).to_have_text("Quoted")
    assert_accessible(buyer_page, width)
    buyer_page.goto(site.url("/inquiries/"), wait_until="load")
    expect(buyer_page.get_by_text("New answer")).to_be_visible()
    assert_accessible(buyer_page, width)

    for path in ("/inquiries/company/routing/", "/inquiries/company/statistics/"):
        seller_page.goto(site.url(path), wait_until="load")
        assert_accessible(seller_page, width)


@pytest.mark.parametrize("width", WIDTHS)
def test_the_thread_works_without_javascript(sites, demo_tenants, browser, make_member, sign_in, width):
    from playwright.sync_api import expect

    site = sites["showroom"]
    seller = make_member("showroom", "company_rep")
    buyer = make_member("showroom", "buyer")
    company_pk, _product_pk = committed(_company, demo_tenants["showroom"], seller, f"Sans JS {width}")
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="en-GB", java_script_enabled=False)
    context.set_default_timeout(10_000)
    try:
        page = sign_in(context.new_page(), site, buyer)
        page.goto(site.url(f"/inquiries/new/?company={company_pk}"), wait_until="load")
        page.get_by_role("button", name="Show contact details").click()
        page.wait_for_load_state("load")
        expect(page.locator("#company-contact")).to_contain_text("ventes@usinage-browser.example")
        form = page.locator("main form.inquiry-form")
        form.get_by_label("Contact message", exact=True).check()
        form.get_by_label(_label("Subject")).fill("Without JavaScript")
        form.get_by_label(_label("Your message")).fill("Hello")
        form.get_by_label(_label("Your country")).select_option("SE")
        form.get_by_role("button", name="Send the inquiry").click()
        # The browser keeps the #company-contact fragment across the redirect.
        page.wait_for_url(re.compile(r"/inquiries/\d+/(#.*)?$"))
        page.locator("#reply form").get_by_label(_label("Your message")).fill("One more thing")
        page.get_by_role("button", name="Send the message").click()
        page.wait_for_load_state("load")
        expect(page.locator("#timeline")).to_contain_text("One more thing")
        expect(page.locator(".flash-messages")).to_contain_text("Message sent.")
    finally:
        context.close()
