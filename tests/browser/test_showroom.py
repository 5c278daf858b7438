"""The showroom page, a product page and a buyer's search: accessible at phone and desktop widths."""

import re

import pytest

from tests.browser.checks import WIDTHS, axe_violations, elements_wider_than_viewport, horizontal_overflow
from tests.browser.conftest import committed

pytestmark = [pytest.mark.browser, pytest.mark.django_db]


def _showroom_catalogue(tenant):
    """The demo's catalogue, page and supported companies in the browser suite's showroom programme."""
    from django.core.cache import cache
    from django_tenants.utils import tenant_context

    from tenant_apps.catalogue.demo import PRODUCTS, seed_catalogue
    from tenant_apps.catalogue.models import Product, ProductDocument, ShowroomPage
    from tenant_apps.catalogue.showroom.services import nav_cache_key
    from tenant_apps.directory.models import Company
    from tests.tenant_apps.directory.conftest import pdf_upload

    with tenant_context(tenant):
        # Earlier tests may have opened the showroom, which creates the page under the
        # programme's name; the demo keeps an existing page's title, so name it here.
        ShowroomPage.objects.update_or_create(pk=1, defaults={"title": "Showroom France", "title_en": "Showroom France"})
        cache.delete(nav_cache_key())
        for name in PRODUCTS:
            Company.objects.get_or_create(name=name, defaults={"country": "FR", "city": "Lyon", "visibility": "public"})
        seed_catalogue(tenant, "showroom", {})
        product = Product.objects.get(title="Patch ECG sans fil 7 jours")
        if not product.documents.exists():
            document = ProductDocument(product=product, title="Fiche technique", language="en", size=1000)
            document.file.save("fiche.pdf", pdf_upload(), save=False)
            document.save()
        return product.pk


@pytest.fixture(scope="module")
def product_pk(demo_tenants):
    return committed(_showroom_catalogue, demo_tenants["showroom"])


def _check(page, width):
    assert axe_violations(page) == []
    if width == 320:
        assert elements_wider_than_viewport(page) == []
        assert horizontal_overflow(page) <= 0


@pytest.mark.parametrize("width", WIDTHS)
def test_showroom_page_in_the_programmes_colours_is_accessible(sites, product_pk, open_page, width):
    from playwright.sync_api import expect

    from tenant_apps.catalogue.demo import VERTICALS

    page = open_page(sites["showroom"].url("/showroom/"), width=width)

    expect(page.get_by_role("heading", level=1)).to_have_text("The best of French industry, for your projects")
    expect(page.locator(".site-nav").get_by_role("link", name="Showroom France")).to_have_attribute("aria-current", "page")
    expect(page.get_by_role("heading", name="Our industries")).to_be_visible()
    # Every industry of the demo has its tile (other tests of the session add industries of their own).
    tiles = page.locator(".vertical-tile")
    for _slug, _name, name_en, _description in VERTICALS:
        expect(tiles.get_by_role("heading", name=name_en, exact=True)).to_have_count(1)
    expect(page.locator(".showroom-block--products .product-card")).to_have_count(4)
    # The hero uses the programme's primary colour, from its branding tokens.
    background = page.locator(".showroom-hero").evaluate("element => getComputedStyle(element).backgroundColor")
    assert background == "rgb(30, 78, 140)"  # #1e4e8c, the browser suite's showroom primary colour
    _check(page, width)


@pytest.mark.parametrize("width", WIDTHS)
def test_product_page_is_accessible_and_links_back_to_the_showroom(sites, product_pk, open_page, width):
    from playwright.sync_api import expect

    page = open_page(sites["showroom"].url(f"/catalogue/products/{product_pk}/"), width=width)

    expect(page.get_by_role("heading", level=1)).to_have_text("7-day wireless ECG patch")
    expect(page.get_by_role("cell", name="7 days")).to_be_visible()
    expect(page.get_by_text("4 weeks")).to_be_visible()
    expect(page.get_by_role("link", name="Fiche technique")).to_be_visible()
    badge = page.get_by_role("link", name=re.compile("Featured in Showroom France"))
    expect(badge).to_have_attribute("href", "/showroom/")
    _check(page, width)


@pytest.mark.parametrize("width", WIDTHS)
def test_buyer_searches_narrows_by_a_vertical_and_saves_a_product(
    sites, product_pk, new_context, make_member, sign_in, width,
):
    from playwright.sync_api import expect

    buyer = make_member("showroom", "buyer", full_name="Ingrid Johansson")
    page = sign_in(new_context(width).new_page(), sites["showroom"], buyer)
    page.goto(sites["showroom"].url("/catalogue/"), wait_until="load")

    page.get_by_label("Search", exact=True).fill("wireless")
    page.locator(".directory-search__bar button[type=submit]").click()
    page.wait_for_url(lambda url: "q=wireless" in url)
    results = page.locator("#catalogue-results .product-grid")
    expect(results.get_by_role("link", name="7-day wireless ECG patch")).to_be_visible()

    page.goto(sites["showroom"].url("/catalogue/"), wait_until="load")
    page.get_by_label(re.compile(r"^Medical devices \(\d+\)")).check()
    # Ticking a facet reloads the results in place and puts the filter in the address.
    page.wait_for_url(lambda url: "vertical=" in url)
    expect(page.locator("#catalogue-results .product-card")).to_have_count(4)
    expect(page.locator("#catalogue-results")).not_to_contain_text("CNC multi-spindle lathe")
    expect(page.locator("#catalogue-results h2.directory-results__count")).to_have_text("4 results")

    _check(page, width)

    page.locator("#catalogue-results").get_by_role("link", name="7-day wireless ECG patch").click()
    page.wait_for_url(lambda url: "/catalogue/products/" in url)
    save = page.get_by_role("button", name=re.compile("^Save"))
    save.click()
    expect(page.get_by_role("button", name=re.compile("^Saved"))).to_have_attribute("aria-pressed", "true")

    page.goto(sites["showroom"].url("/catalogue/saved/"), wait_until="load")
    expect(page.get_by_role("link", name="7-day wireless ECG patch")).to_be_visible()


def _forget_counts(tenant):
    from django_tenants.utils import tenant_context

    from tenant_apps.catalogue.search.selectors import search_changed

    with tenant_context(tenant):
        search_changed()


def test_many_matches_list_at_once_and_the_filters_follow(sites, demo_tenants, product_pk, open_page, csp_violations,
                                                           monkeypatch):
    from playwright.sync_api import expect

    from tenant_apps.catalogue.search import selectors

    # The live server runs in this process: two listed at most, so "medical" matches more.
    monkeypatch.setattr(selectors, "RESULT_LIMIT", 2)
    _forget_counts(demo_tenants["showroom"])
    page = open_page(sites["showroom"].url("/catalogue/"), width=1280)
    violations = csp_violations(page)
    counts_asked = []
    page.on("request", lambda request: counts_asked.append(request.url) if "/catalogue/facets/" in request.url else None)

    page.get_by_label("Search", exact=True).fill("medical")
    page.locator(".directory-search__bar button[type=submit]").click()
    page.wait_for_url(lambda url: "q=medical" in url)
    expect(page.locator("#catalogue-results .product-card")).to_have_count(2)
    # The filters follow the results, with the exact total in place of "More than 2".
    expect(page.get_by_label(re.compile(r"^Medical devices \(\d+\)"))).to_be_visible()
    expect(page.locator("#catalogue-count")).to_have_text(re.compile(r"^\d+ results$"))
    expect(page.locator("#catalogue-facets")).not_to_have_attribute("aria-busy", "true")
    assert len(counts_asked) == 1

    # They work as any filters: ticking one searches again, in place.
    page.get_by_label(re.compile(r"^Product \(\d+\)")).check()
    page.wait_for_url(lambda url: "kind=product" in url and "q=medical" in url)
    expect(page.get_by_label(re.compile(r"^Product \(\d+\)"))).to_be_checked()

    assert axe_violations(page) == []
    assert violations == []
