"""Template tags other modules' pages use to show promotion.

    {% load promotion %}
    {% promotion_banners "showroom_top" %}      the running banners of a placement
    {% sponsored_label %}                       the "Sponsored" mark on a search result
    {% featured_products_now 8 as products %}   featured products (a list of Product)
    {% featured_companies_now 8 as companies %} featured supported companies
    {{ product|promotion_product_url }}         the catalogue's page of a product
"""

from __future__ import annotations

import logging

from django import template
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from tenant_apps.promotion import counters, links, selectors
from tenant_apps.promotion.models import Placement

register = template.Library()
logger = logging.getLogger(__name__)

# What assistive technologies announce for each placement's region; each differs so a
# page with several placements has distinct landmarks.
REGION_LABELS = {
    Placement.SITE_STRIP: _("Announcements"),
    Placement.SHOWROOM_TOP: _("Showroom announcements"),
    Placement.SEARCH_RESULTS: _("Sponsored announcements"),
    Placement.PRODUCT_SIDEBAR: _("Other offers"),
}


def _programme(context):
    request = context.get("request")
    tenant = getattr(request, "tenant", None)
    if tenant is None or tenant.is_public or not tenant.has_module("promotion"):
        return None
    return tenant


@register.inclusion_tag("promotion/_banners.html", takes_context=True)
def promotion_banners(context, placement: str):
    """The banners running now at ``placement``, in the reader's language; each shown counts as an impression."""
    if placement not in Placement.values:
        raise template.TemplateSyntaxError(f"Unknown banner placement {placement!r}; use one of {Placement.values}")
    tenant = _programme(context)
    banners = []
    if tenant is not None:
        try:
            banners = selectors.active_banners(placement, language=get_language() or tenant.default_language,
                                               fallback_language=tenant.default_language)
        except Exception:  # a page must not fail because its banners could not be read
            logger.exception("banners not shown", extra={"placement": placement})
            banners = []
        counters.count_impressions(banners)
    return {"banners": banners, "placement": placement, "region_label": REGION_LABELS.get(placement, "")}


@register.inclusion_tag("promotion/_sponsored_label.html")
def sponsored_label():
    return {}


@register.simple_tag(takes_context=True)
def featured_products_now(context, limit: int = selectors.FEATURED_LIMIT):
    if _programme(context) is None:
        return []
    return selectors.featured_products(limit=limit)


@register.simple_tag(takes_context=True)
def featured_companies_now(context, limit: int = selectors.FEATURED_LIMIT):
    if _programme(context) is None:
        return []
    request = context.get("request")
    from shared_apps.accounts.permissions import role_in
    from tenants import catalog

    is_member = request is not None and role_in(request.user, request.tenant) != catalog.VISITOR
    return selectors.featured_companies(limit=limit, include_members_only=is_member)


@register.filter
def promotion_product_url(product) -> str:
    return links.product_url(product)


@register.filter
def promotion_company_url(company) -> str:
    return links.company_url(company)
