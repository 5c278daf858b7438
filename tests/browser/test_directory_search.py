"""A visitor searches a public directory, narrows it with facets, and the page stays accessible."""

import re

import pytest
from django_tenants.utils import tenant_context

from tests.browser.checks import WIDTHS, axe_violations, horizontal_overflow
from tests.browser.conftest import committed

pytestmark = [pytest.mark.browser, pytest.mark.django_db]


def _public_directory_with_companies(tenant):
    from tenant_apps.directory.models import Company, DirectorySettings, Sector

    with tenant_context(tenant):
        DirectorySettings.objects.update_or_create(pk=1, defaults={"is_public": True})
        sector, _ = Sector.objects.get_or_create(slug="agro-browser", defaults={"name": "Agro-alimentaire"})
        for name, country, recommended in (
            ("Société Sénégalaise de Mangues", "SN", True),
            ("Société Ivoirienne de Cacao", "CI", False),
            ("Tissages du Sahel", "SN", False),
        ):
            Company.objects.get_or_create(
                name=name,
                defaults={"country": country, "sector": sector, "is_recommended": recommended,
                          "visibility": Company.Visibility.PUBLIC, "description": "Exportateur agro-alimentaire."},
            )


@pytest.mark.parametrize("width", WIDTHS)
def test_visitor_searches_without_accents_and_filters_by_country(sites, demo_tenants, open_page, csp_violations, width):
    # Imported here: the default suite collects this module without the browser extra installed.
    from playwright.sync_api import expect

    committed(_public_directory_with_companies, demo_tenants["francophonie"])
    page = open_page(sites["francophonie"].url("/directory/"), width=width)
    violations = csp_violations(page)
    requests = []
    page.on("request", lambda request: requests.append(request.url) if "/directory/?" in request.url else None)

    page.get_by_label("Rechercher", exact=True).or_(page.get_by_label("Search", exact=True)).fill("societe")
    page.locator(".directory-search__bar button[type=submit]").click()
    # wait_for_function would eval a string, which the page's CSP rightly forbids.
    page.wait_for_url(lambda url: "q=societe" in url)
    results = page.locator(".directory-list")
    # The address changes as the results arrive; wait for them rather than race the swap.
    expect(results.get_by_text("Société Ivoirienne de Cacao")).to_be_visible()
    expect(results.get_by_text("Tissages du Sahel")).to_have_count(0)

    assert len(requests) == 1  # the query field does not search a second time on "change"

    # Ticking a filter updates the results and the address, the ticked box keeps the focus.
    page.locator("input[name=country][value=SN]").check()
    page.wait_for_url(lambda url: "country=SN" in url and "q=societe" in url)
    expect(results).not_to_contain_text("Ivoirienne")
    expect(results.get_by_text("Société Sénégalaise de Mangues")).to_be_visible()
    expect(page.locator("input[name=country][value=SN]")).to_be_checked()
    expect(page.locator("input[name=country][value=SN]")).to_be_focused()
    expect(page.locator("#directory-status")).to_have_text(re.compile(r"^1 r[eé]sult"))

    # Filters bound again after that swap: unticking works too, then the sort.
    page.locator("input[name=country][value=SN]").uncheck()
    page.wait_for_url(lambda url: "country=SN" not in url)
    expect(results.get_by_text("Société Ivoirienne de Cacao")).to_be_visible()
    page.locator("select[name=sort]").select_option("name")
    page.wait_for_url(lambda url: "sort=name" in url)
    expect(page.locator(".directory-card__title").first).to_have_text("Société Ivoirienne de Cacao")

    # Back restores the earlier search as a whole page, not a bare fragment.
    page.go_back()
    page.wait_for_url(lambda url: "sort=name" not in url)
    expect(page.locator("header").first).to_be_visible()
    expect(page.get_by_role("search")).to_be_visible()

    assert axe_violations(page) == []
    assert horizontal_overflow(page) <= 0
    assert violations == []


def test_filters_work_without_javascript(sites, demo_tenants, browser):
    from playwright.sync_api import expect

    committed(_public_directory_with_companies, demo_tenants["francophonie"])
    context = browser.new_context(java_script_enabled=False, locale="en-GB")
    context.set_default_timeout(10_000)
    page = context.new_page()
    try:
        page.goto(sites["francophonie"].url("/directory/?q=societe"))
        page.locator("input[name=country][value=SN]").check()
        page.get_by_role("button", name=re.compile("Apply filters|Appliquer les filtres")).click()
        page.wait_for_url(lambda url: "country=SN" in url)
        expect(page.locator(".directory-list")).not_to_contain_text("Ivoirienne")
        expect(page.locator("input[name=country][value=SN]")).to_be_checked()
    finally:
        context.close()
