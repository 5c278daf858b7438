"""The catalogue's pages with the other showroom modules: activity events, promotion and inquiries."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tenants.utils import tenant_context

from tenant_apps.analytics.models import Event
from tenant_apps.catalogue import services as catalogue_services
from tenant_apps.catalogue.models import ShowroomBlock
from tenant_apps.catalogue.showroom import services as showroom_services
from tenant_apps.promotion import services as promotion_services
from tenant_apps.promotion.models import Placement
from tenant_apps.promotion.selectors import banner_cache_key
from tests.tenant_apps.catalogue.conftest import make_product

FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0"
NOW = timezone.now() - timedelta(minutes=1)


@pytest.fixture(autouse=True)
def _fresh_banner_cache(beta):
    def clear():
        with tenant_context(beta.tenant):
            cache.delete_many([banner_cache_key(placement) for placement in Placement.values])

    clear()
    yield
    clear()


def _browser(programme, user=None):
    client = programme.client(user)
    client.defaults["HTTP_USER_AGENT"] = FIREFOX
    return client


def _events(programme, kind, **fields):
    with tenant_context(programme.tenant):
        return Event.objects.filter(kind=kind, **fields).count()


def _without(programme, module):
    from tenants import services as tenant_services

    tenant_services.update_configuration(programme.tenant, modules=[m for m in programme.tenant.modules if m != module])


# Activity events


def test_product_page_records_a_view_of_the_product_and_its_company(beta, seller):
    with tenant_context(beta.tenant):
        product = make_product(seller.company)
    assert _browser(beta, beta.members["buyer"]).get(product.get_absolute_url()).status_code == 200
    assert _events(beta, Event.Kind.PRODUCT_VIEW, product_id=product.pk, company_id=seller.company.pk) == 1


def test_sellers_looking_at_their_own_product_are_not_visitors(beta, seller):
    with tenant_context(beta.tenant):
        product = make_product(seller.company)
    assert _browser(beta, seller).get(product.get_absolute_url()).status_code == 200
    assert _events(beta, Event.Kind.PRODUCT_VIEW) == 0


def test_store_page_records_a_company_view_except_for_its_own_representatives(beta, seller):
    path = f"/catalogue/companies/{seller.company.pk}/"
    assert _browser(beta, beta.members["buyer"]).get(path).status_code == 200
    assert _browser(beta, seller).get(path).status_code == 200
    assert _events(beta, Event.Kind.COMPANY_VIEW, company_id=seller.company.pk) == 1


def test_search_records_one_impression_per_product_shown(beta, seller):
    with tenant_context(beta.tenant):
        for number in range(26):
            make_product(seller.company, title=f"Fraiseuse {number}")
    client = _browser(beta, beta.members["buyer"])
    assert client.get("/catalogue/", {"q": "fraiseuse"}).status_code == 200
    assert _events(beta, Event.Kind.SEARCH_IMPRESSION, company_id=seller.company.pk) == 24
    assert client.get("/catalogue/", {"q": "fraiseuse", "page": 2}).status_code == 200
    with tenant_context(beta.tenant):
        assert Event.objects.filter(kind=Event.Kind.SEARCH_IMPRESSION).values("product_id").distinct().count() == 26


def test_search_page_queries_do_not_grow_with_the_products_shown(beta, seller):
    with tenant_context(beta.tenant):
        make_product(seller.company, title="Premier")
    client = _browser(beta, beta.members["buyer"])

    def queries():
        with CaptureQueriesContext(connection) as context:
            assert client.get("/catalogue/", {"q": "premier"}).status_code == 200
        return len(context)

    queries()
    one = queries()
    with tenant_context(beta.tenant):
        for number in range(20):
            make_product(seller.company, title=f"Premier modèle {number}")
    assert queries() == one
    assert _events(beta, Event.Kind.SEARCH_IMPRESSION) == 1 + 1 + 21


# Promotion


def _banner(admin, placement, text):
    return promotion_services.save_banner(name=text, placement=placement, starts_at=NOW, ends_at=None,
                                          texts={"en": (text, ""), "fr": (text, "")}, default_language="en", actor=admin)


def test_banners_show_at_their_places_on_the_catalogue_pages(beta, seller):
    admin = beta.members["tenant_admin"]
    with tenant_context(beta.tenant):
        product = make_product(seller.company)
        _banner(admin, Placement.SHOWROOM_TOP, "Showroom fair")
        _banner(admin, Placement.SEARCH_RESULTS, "Search fair")
        _banner(admin, Placement.PRODUCT_SIDEBAR, "Sidebar fair")
    client = beta.client(beta.members["buyer"])
    showroom = client.get("/showroom/").content.decode()
    search = client.get("/catalogue/").content.decode()
    page = client.get(product.get_absolute_url()).content.decode()
    assert "Showroom fair" in showroom and "Search fair" not in showroom
    assert "Search fair" in search and "Sidebar fair" not in search
    assert "Sidebar fair" in page and "Showroom fair" not in page


def test_sponsored_products_lead_the_first_page_of_a_text_search_only_once(beta, seller, other_seller):
    admin = beta.members["tenant_admin"]
    with tenant_context(beta.tenant):
        for number in range(30):
            make_product(seller.company, title=f"Fraiseuse standard {number:02}")
        sponsored = make_product(other_seller.company, title="Fraiseuse sponsorisée")
        unrelated = make_product(other_seller.company, title="Patch cardiaque")
        promotion_services.add_sponsored_keyword(product=sponsored, keyword="fraiseuse", starts_at=NOW, actor=admin)
        promotion_services.add_sponsored_keyword(product=unrelated, keyword="fraiseuse", starts_at=NOW, actor=admin)
    client = beta.client(beta.members["buyer"])
    first = client.get("/catalogue/", {"q": "fraiseuse", "sort": "title"}).content.decode()
    second = client.get("/catalogue/", {"q": "fraiseuse", "sort": "title", "page": 2}).content.decode()
    assert "32 results" in first
    results = first[first.index('id="catalogue-results"'):]
    assert results.index("Fraiseuse sponsorisée") < results.index("Fraiseuse standard 00")
    assert results.index("Patch cardiaque") < results.index("Fraiseuse standard 00")
    assert results.count("Sponsored</span>") == 2
    assert first.count("Fraiseuse sponsorisée") == 1
    assert "Fraiseuse sponsorisée" not in second and "Patch cardiaque" not in second and "Sponsored</span>" not in second
    # Every organic result shows once over the two pages.
    for number in range(30):
        assert (f"Fraiseuse standard {number:02}" in first) != (f"Fraiseuse standard {number:02}" in second)


def test_sponsored_products_respect_the_filters_and_need_a_text(beta, seller):
    admin = beta.members["tenant_admin"]
    with tenant_context(beta.tenant):
        make_product(seller.company, title="Fraiseuse servie", kind="product")
        sponsored = make_product(seller.company, title="Révision de fraiseuses", kind="service")
        promotion_services.add_sponsored_keyword(product=sponsored, keyword="fraiseuse", starts_at=NOW, actor=admin)
    client = beta.client(beta.members["buyer"])
    assert "Sponsored</span>" not in client.get("/catalogue/", {"q": "fraiseuse", "kind": "product"}).content.decode()
    assert "Sponsored</span>" not in client.get("/catalogue/").content.decode()
    assert "Sponsored</span>" in client.get("/catalogue/", {"q": "fraiseuse"}).content.decode()


def test_sponsored_products_and_banners_need_the_promotion_module(beta, seller):
    admin = beta.members["tenant_admin"]
    with tenant_context(beta.tenant):
        sponsored = make_product(seller.company, title="Fraiseuse")
        promotion_services.add_sponsored_keyword(product=sponsored, keyword="fraiseuse", starts_at=NOW, actor=admin)
        _banner(admin, Placement.SEARCH_RESULTS, "Search fair")
    _without(beta, "promotion")
    html = beta.client(beta.members["buyer"]).get("/catalogue/", {"q": "fraiseuse"}).content.decode()
    assert "Fraiseuse" in html and "Sponsored</span>" not in html and "Search fair" not in html


def _featured_blocks(admin, **chosen):
    for kind, heading in ((ShowroomBlock.Kind.FEATURED_COMPANIES, "Companies"),
                          (ShowroomBlock.Kind.FEATURED_PRODUCTS, "Products")):
        block = showroom_services.add_block(actor=admin, kind=kind)
        values = {key: value for key, value in chosen.items() if (key == "products") == (kind == "products")}
        showroom_services.save_block(actor=admin, block=block, is_enabled=True, heading=heading, **values)


def test_featured_blocks_without_a_choice_lead_with_what_promotion_features_now(beta, seller, other_seller):
    admin = beta.members["tenant_admin"]
    with tenant_context(beta.tenant):
        newest = make_product(seller.company, title="Produit récent")
        featured = make_product(other_seller.company, title="Produit mis en avant")
        featured.published_at = timezone.now() - timedelta(days=300)
        featured.save(update_fields=["published_at"])
        for company in (seller.company, other_seller.company):
            catalogue_services.support_company(actor=beta.members["moderator"], company=company)
        promotion_services.add_featured_product(product=featured, starts_at=NOW, actor=admin)
        promotion_services.add_featured_company(company=other_seller.company, starts_at=NOW, actor=admin)
        _featured_blocks(admin)
    html = beta.client().get("/showroom/").content.decode()
    # Featured first, then the usual fallback: newest products, supported companies by name.
    assert html.index("Produit mis en avant") < html.index(newest.title)
    assert html.index("Forges Rivales") < html.index("Usinage Précis")
    assert html.count("Produit mis en avant") == 1


def test_featured_blocks_with_a_choice_show_only_the_choice(beta, seller, other_seller):
    admin = beta.members["tenant_admin"]
    with tenant_context(beta.tenant):
        chosen = make_product(seller.company, title="Produit choisi")
        featured = make_product(other_seller.company, title="Produit mis en avant")
        catalogue_services.support_company(actor=beta.members["moderator"], company=other_seller.company)
        promotion_services.add_featured_product(product=featured, starts_at=NOW, actor=admin)
        _featured_blocks(admin, products=[chosen.pk], companies=[seller.company.pk])
    html = beta.client().get("/showroom/").content.decode()
    assert "Produit choisi" in html and "Produit mis en avant" not in html and "Forges Rivales" not in html


# Links and inquiries


def test_a_product_links_to_its_page(in_beta, seller):
    product = make_product(seller.company)
    assert product.get_absolute_url() == f"/catalogue/products/{product.pk}/"


def test_buyers_get_the_inquiry_buttons_on_product_and_store_pages(beta, seller):
    with tenant_context(beta.tenant):
        product = make_product(seller.company)
    client = beta.client(beta.members["buyer"])
    page = client.get(product.get_absolute_url()).content.decode()
    store = client.get(f"/catalogue/companies/{seller.company.pk}/").content.decode()
    assert f"/inquiries/new/?company={seller.company.pk}&amp;product={product.pk}" in page
    assert "Ask about this product" in page and "Request a quotation" in page
    assert f"/inquiries/new/?company={seller.company.pk}" in store and "Contact this company" in store


def test_no_inquiry_button_without_the_module_or_the_permission(beta, seller):
    with tenant_context(beta.tenant):
        product = make_product(seller.company)
    assert "/inquiries/new/" not in beta.client(seller).get(product.get_absolute_url()).content.decode()
    _without(beta, "inquiries")
    page = beta.client(beta.members["buyer"]).get(product.get_absolute_url()).content.decode()
    assert "/inquiries/new/" not in page and "See how to reach this supplier" in page
