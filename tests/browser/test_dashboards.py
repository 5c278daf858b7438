"""Activity dashboards in Chromium: no axe-core violation at phone and desktop widths, nothing sticking out.

Also checks the period can be chosen by keyboard-free links and by two dates without JavaScript.
"""

import pytest

from tests.browser.checks import WIDTHS, axe_violations, elements_wider_than_viewport, horizontal_overflow
from tests.browser.conftest import committed

pytestmark = [pytest.mark.browser, pytest.mark.django_db]


def _activity(tenant, owner):
    """A supported company with a product and a month of visits and inquiries, rolled up."""
    from datetime import timedelta

    from django.utils import timezone
    from django_tenants.utils import tenant_context

    from tenant_apps.analytics import services
    from tenant_apps.analytics.models import Event
    from tenant_apps.catalogue.models import Product, SupportedCompany
    from tenant_apps.directory.models import Company, Representative

    with tenant_context(tenant):
        company = Company.objects.create(name="Usinage Précis Vénissieux", country="FR", visibility="public")
        Representative.objects.create(company=company, user=owner, is_owner=True)
        SupportedCompany.objects.create(company=company, since=timezone.localdate() - timedelta(days=120))
        product = Product.objects.create(company=company, title="Centre d'usinage 5 axes", status="published",
                                         published_at=timezone.now())
        now = timezone.now()
        events = []
        for day in range(30):
            for n, country in enumerate(["DE", "US", "AE", "MA", "SE"][: 1 + day % 5]):
                at = now - timedelta(days=day, hours=n)
                events.append(Event(kind="company_view", occurred_at=at, company_id=company.pk, country=country, visitor=f"v{day}-{n}"))
                events.append(Event(kind="product_view", occurred_at=at, company_id=company.pk, product_id=product.pk,
                                    country=country, visitor=f"v{day}-{n}"))
            if day % 4 == 0:
                events.append(Event(kind="inquiry", occurred_at=now - timedelta(days=day, hours=6), company_id=company.pk,
                                    product_id=product.pk, inquiry_id=day + 1, country="DE"))
                events.append(Event(kind="quote", occurred_at=now - timedelta(days=day, hours=2), company_id=company.pk,
                                    inquiry_id=day + 1, value=14400))
        Event.objects.bulk_create(events)
        services.refresh()
        return company.pk


@pytest.fixture(scope="module")
def dashboard_pages(new_context, make_member, sign_in, sites, demo_tenants):
    owner = make_member("showroom", "company_rep", full_name="Marc Lefèvre")
    admin = make_member("showroom", "tenant_admin", backup_codes=True, full_name="Claire Dubois")
    company_pk = committed(_activity, demo_tenants["showroom"], owner)
    pages = {
        ("rep", width): sign_in(new_context(width).new_page(), sites["showroom"], owner) for width in WIDTHS
    } | {
        ("admin", width): sign_in(new_context(width).new_page(), sites["showroom"], admin) for width in WIDTHS
    }
    return pages, company_pk


def _visit(page, url):
    response = page.goto(url, wait_until="load")
    assert response is not None and response.ok, f"{url} answered {response and response.status}"
    return page


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("who, path", [
    ("rep", "/analytics/companies/{company}/"),
    ("rep", "/analytics/companies/{company}/?preset=start"),
    ("admin", "/analytics/programme/"),
    ("admin", "/analytics/programme/?preset=90"),
    ("admin", "/analytics/programme/engagement/"),
    ("admin", "/analytics/companies/{company}/"),
])
def test_dashboard_is_accessible(dashboard_pages, sites, who, path, width):
    pages, company_pk = dashboard_pages
    page = _visit(pages[(who, width)], sites["showroom"].url(path.format(company=company_pk)))

    assert page.get_by_role("heading", level=1).count() == 1
    assert axe_violations(page) == []
    if width == 320:
        assert elements_wider_than_viewport(page) == []
        assert horizontal_overflow(page) == 0


def test_period_is_chosen_with_links_and_dates_without_javascript(dashboard_pages, sites):
    from datetime import timedelta

    from django.utils import timezone
    from playwright.sync_api import expect

    pages, company_pk = dashboard_pages
    page = _visit(pages[("rep", 1280)], sites["showroom"].url(f"/analytics/companies/{company_pk}/"))
    page.get_by_role("link", name="Last 7 days").click()
    page.wait_for_url("**preset=7**")
    expect(page.get_by_role("link", name="Last 7 days")).to_have_attribute("aria-current", "page")

    start = (timezone.localdate() - timedelta(days=3)).isoformat()
    page.get_by_label("From", exact=True).fill(start)
    page.get_by_label("To", exact=True).fill(timezone.localdate().isoformat())
    page.get_by_role("button", name="Show this period").click()
    page.wait_for_url(f"**start={start}**")
    expect(page.get_by_role("img", name="Page views per day")).to_be_visible()
    assert axe_violations(page) == []
