"""The programme's sitemap for search engines: what a visitor may read in the showroom.

Served on each programme's own domain (``/sitemap.xml``, an index of sections paged by
``django.contrib.sitemaps``) and announced in ``/robots.txt``. Nothing is listed unless
the catalogue module is on and visitors (signed out) may browse it; products and stores
are those of companies whose profile is public, so a company that keeps its profile to
members is not put before search engines.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.contrib.sitemaps import Sitemap
from django.db import connection
from django.urls import reverse

from shared_apps.accounts.permissions import can
from tenant_apps.catalogue.models import Product
from tenant_apps.directory.models import Company


def visitors_may_browse() -> bool:
    tenant = connection.tenant
    return tenant.has_module("catalogue") and can(AnonymousUser(), "catalogue.view", tenant=tenant)


class _ShowroomSitemap(Sitemap):
    limit = 10_000  # addresses per page of a section


class PagesSitemap(_ShowroomSitemap):
    """The showroom page and the catalogue's search."""

    changefreq = "daily"
    priority = 1.0

    def items(self):
        if not visitors_may_browse():
            return []
        tenant, visitor = connection.tenant, AnonymousUser()
        pages = ["catalogue:product-search"]
        if tenant.has_module("showroom") and can(visitor, "home.view", tenant=tenant):
            pages.insert(0, "showroom:page")
        return pages

    def location(self, item):
        return reverse(item)


class ProductSitemap(_ShowroomSitemap):
    changefreq = "weekly"

    def items(self):
        if not visitors_may_browse():
            return Product.objects.none()
        return (Product.objects.filter(status=Product.Status.PUBLISHED, company__visibility=Company.Visibility.PUBLIC)
                .only("pk", "updated_at").order_by("pk"))

    def lastmod(self, product):
        return product.updated_at


class StoreSitemap(_ShowroomSitemap):
    changefreq = "weekly"

    def items(self):
        if not visitors_may_browse():
            return Company.objects.none()
        with_products = Product.objects.filter(status=Product.Status.PUBLISHED).values("company_id")
        return (Company.objects.filter(visibility=Company.Visibility.PUBLIC, pk__in=with_products)
                .only("pk", "updated_at").order_by("pk"))

    def location(self, company):
        return reverse("catalogue:store", args=[company.pk])

    def lastmod(self, company):
        return company.updated_at


SITEMAPS = {"showroom": PagesSitemap, "products": ProductSitemap, "stores": StoreSitemap}
