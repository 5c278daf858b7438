"""The programme's sitemap and robots.txt: what visitors may read, put before search engines."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import tenant_context

from tenant_apps.directory.models import Company
from tests.tenant_apps.catalogue.conftest import make_product


def _open_to_visitors(programme):
    programme.tenant.role_matrix["visitor"] = ["home.view", "catalogue.view"]
    programme.tenant.save()


def test_sitemap_lists_what_visitors_may_read(beta, seller, other_seller):
    _open_to_visitors(beta)
    with tenant_context(beta.tenant):
        listed = make_product(seller.company, title="Presse plieuse")
        draft = make_product(seller.company, title="Prototype", published=False)
        Company.objects.filter(pk=other_seller.company.pk).update(visibility=Company.Visibility.MEMBERS)
        members_only = make_product(other_seller.company, title="Pièce réservée")
    client = beta.client()

    index = client.get("/sitemap.xml")
    assert index.status_code == 200 and index["Content-Type"].startswith("application/xml")
    for section in ("showroom", "products", "stores"):
        assert f"http://{beta.host}/sitemap-{section}.xml" in index.content.decode()

    products = client.get("/sitemap-products.xml").content.decode()
    assert f"<loc>http://{beta.host}/catalogue/products/{listed.pk}/</loc>" in products and "<lastmod>" in products
    assert f"/catalogue/products/{draft.pk}/" not in products and f"/catalogue/products/{members_only.pk}/" not in products
    stores = client.get("/sitemap-stores.xml").content.decode()
    assert f"/catalogue/companies/{seller.company.pk}/" in stores
    assert f"/catalogue/companies/{other_seller.company.pk}/" not in stores
    pages = client.get("/sitemap-showroom.xml").content.decode()
    assert f"http://{beta.host}/showroom/" in pages and f"http://{beta.host}/catalogue/" in pages

    robots = client.get("/robots.txt")
    text = robots.content.decode()
    assert robots["Content-Type"].startswith("text/plain")
    assert f"Sitemap: http://{beta.host}/sitemap.xml" in text
    assert "Disallow: /accounts/" in text and "Disallow: /catalogue/mine/" in text


def test_nothing_is_listed_while_the_catalogue_is_closed_to_visitors(beta, seller):
    with tenant_context(beta.tenant):
        product = make_product(seller.company)
    client = beta.client()
    assert f"/catalogue/products/{product.pk}/" not in client.get("/sitemap-products.xml").content.decode()
    assert "/showroom/" not in client.get("/sitemap-showroom.xml").content.decode()
    text = client.get("/robots.txt").content.decode()
    assert "Sitemap:" not in text and "Disallow: /manage/" in text


def test_a_programme_lists_only_its_own_products(alpha, beta, seller):
    _open_to_visitors(alpha)
    _open_to_visitors(beta)
    with tenant_context(beta.tenant):
        make_product(seller.company)
    assert "/catalogue/products/" not in alpha.client().get("/sitemap-products.xml").content.decode()
    assert "/catalogue/products/" in beta.client().get("/sitemap-products.xml").content.decode()


def test_sitemap_queries_do_not_grow_with_products(beta, seller, settings):
    _open_to_visitors(beta)
    with tenant_context(beta.tenant):
        make_product(seller.company)
    client = beta.client()

    def queries(path):
        with CaptureQueriesContext(connection) as context:
            assert client.get(path).status_code == 200
        return len(context)

    before = queries("/sitemap-products.xml?p=1")
    with tenant_context(beta.tenant):
        for number in range(20):
            make_product(seller.company, title=f"Modèle {number}")
    assert queries("/sitemap-products.xml?p=1&fresh=1") == before


def test_the_showroom_page_is_listed_only_where_visitors_can_open_it(beta, seller):
    beta.tenant.role_matrix["visitor"] = ["catalogue.view"]  # no home.view: the showroom page is closed
    beta.tenant.save()
    pages = beta.client().get("/sitemap-showroom.xml").content.decode()
    assert f"http://{beta.host}/catalogue/" in pages and "/showroom/" not in pages
    beta.tenant.role_matrix["visitor"] = ["home.view", "catalogue.view"]
    beta.tenant.modules = [module for module in beta.tenant.modules if module != "showroom"]
    beta.tenant.save()
    assert "/showroom/" not in beta.client().get("/sitemap-showroom.xml?again").content.decode()
