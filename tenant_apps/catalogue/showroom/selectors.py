"""Reads for the showroom page: its blocks and what each shows, in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.cache import cache
from django.db.models import Prefetch
from django.utils.translation import get_language

from tenant_apps.catalogue import selectors as catalogue_selectors
from tenant_apps.catalogue.models import Product, ShowroomBlock, ShowroomPage
from tenant_apps.catalogue.showroom.services import NAV_CACHE_SECONDS, nav_cache_key, showroom_page
from tenant_apps.directory.models import Company
from tenant_apps.promotion import selectors as promotion_selectors

FALLBACK_PRODUCTS = 8
# The showroom lists every supported company (about 60 for Business France).
FALLBACK_COMPANIES = 120


def localised(main: str, english: str) -> str:
    """The main (French) text for French readers; the English one, when given, for everyone else.

    The showroom speaks to foreign buyers: a German or Spanish reader is better served in
    English than in French.
    """
    reads_french = (get_language() or "").startswith("fr")
    return english if english and not reads_french else main


def nav_title() -> str:
    """The showroom's title for the navigation on every page: cached, so pages pay no query for it."""
    titles = cache.get(nav_cache_key())
    if titles is None:
        page = ShowroomPage.objects.filter(pk=1).values("title", "title_en").first()
        titles = (page["title"], page["title_en"]) if page else ("", "")
        cache.set(nav_cache_key(), titles, NAV_CACHE_SECONDS)
    return localised(*titles)


@dataclass
class RenderedBlock:
    block: ShowroomBlock
    heading: str
    body: str
    link_label: str
    items: list = field(default_factory=list)


def _listed_companies():
    return Company.objects.exclude(visibility=Company.Visibility.HIDDEN).select_related("sector")


def _featured_first(featured: list, others: list, limit: int) -> list:
    """Promotion's featured items first, then the others not already there, ``limit`` in all."""
    seen = {item.pk for item in featured}
    return (featured + [item for item in others if item.pk not in seen])[:limit]


def page_for_display(*, tenant, include_hidden: bool = False,
                     include_members_only: bool = False) -> tuple[ShowroomPage, list[RenderedBlock]]:
    """The page and its shown blocks, each with its companies, products, verticals or stories.

    A featured companies or products block without chosen items shows what the promotion
    team features now (when the programme has the module), completed by the supported
    companies, or the newest products of supported companies. Chosen items are shown
    alone: the page's editor has the last word.
    """
    page = showroom_page()
    languages = catalogue_selectors.reading_languages(tenant)
    card_products = catalogue_selectors.for_cards(catalogue_selectors.listed_products(), languages).order_by("title")
    blocks = ShowroomBlock.objects.filter(page=page).order_by("position", "id").prefetch_related(
        Prefetch("companies", queryset=_listed_companies().order_by("name")),
        Prefetch("products", queryset=card_products),
    )
    if not include_hidden:
        blocks = blocks.filter(is_enabled=True)
    blocks = list(blocks)
    kinds = {block.kind for block in blocks}
    verticals = list(catalogue_selectors.verticals_with_counts()) if ShowroomBlock.Kind.VERTICALS in kinds else []
    has_promotion = tenant.has_module("promotion")
    supported = []
    if any(block.kind == ShowroomBlock.Kind.FEATURED_COMPANIES and not block.companies.all() for block in blocks):
        supported = list(catalogue_selectors.supported_companies()[:FALLBACK_COMPANIES])
        if has_promotion:
            supported = _featured_first(promotion_selectors.featured_companies(
                limit=FALLBACK_COMPANIES, include_members_only=include_members_only), supported, FALLBACK_COMPANIES)
    newest = []
    if any(block.kind == ShowroomBlock.Kind.FEATURED_PRODUCTS and not block.products.all() for block in blocks):
        newest = list(card_products.filter(company__showroom_support__isnull=False)
                      .order_by("-published_at", "-pk")[:FALLBACK_PRODUCTS])
        if has_promotion:
            featured_ids = [product.pk for product in promotion_selectors.featured_products(limit=FALLBACK_PRODUCTS)]
            featured = {product.pk: product for product in card_products.filter(pk__in=featured_ids)} if featured_ids else {}
            newest = _featured_first([featured[pk] for pk in featured_ids if pk in featured], newest, FALLBACK_PRODUCTS)
    rendered = []
    for block in blocks:
        items: list = []
        if block.kind == ShowroomBlock.Kind.FEATURED_COMPANIES:
            items = list(block.companies.all()) or supported
        elif block.kind == ShowroomBlock.Kind.FEATURED_PRODUCTS:
            products: list[Product] = list(block.products.all()) or newest
            items = [(product, catalogue_selectors.product_text(product, languages)) for product in products]
        elif block.kind == ShowroomBlock.Kind.VERTICALS:
            items = verticals
        elif block.kind == ShowroomBlock.Kind.STORIES:
            items = [{"quote": localised(story.get("quote", ""), story.get("quote_en", "")),
                      "author": story.get("author", ""),
                      "role": localised(story.get("role", ""), story.get("role_en", ""))} for story in block.items]
        rendered.append(RenderedBlock(
            block=block, heading=localised(block.heading, block.heading_en), body=localised(block.body, block.body_en),
            link_label=localised(block.link_label, block.link_label_en), items=items,
        ))
    return page, rendered
