"""Reads for promotion: what runs now (for any page to show) and the team's lists.

The catalogue's pages call ``featured_products``, ``featured_companies``,
``active_banners`` and ``sponsored_boosts``; see docs/promotion.md.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from django.contrib.postgres.fields import ArrayField
from django.core.cache import cache
from django.db.models import Count, Max, Prefetch, Q, QuerySet, TextField
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils import timezone

from tenant_apps.catalogue.models import BuyerProfile, Product
from tenant_apps.directory.models import Company, Representative
from tenant_apps.promotion import keywords
from tenant_apps.promotion.models import (
    Banner,
    BannerText,
    Campaign,
    CampaignRecipient,
    FeaturedCompany,
    FeaturedProduct,
    Placement,
    PromotionRequest,
    SponsoredKeyword,
)

logger = logging.getLogger(__name__)

FEATURED_LIMIT = 12
# Banners of a placement are read from the cache, refreshed at least this often
# (seconds) and at once when the team changes one; schedules are applied at each render.
BANNER_CACHE_SECONDS = 60
MAX_BANNERS_PER_PLACEMENT = 5


def running(now: datetime) -> Q:
    """Rows whose schedule includes ``now``: started, and not ended."""
    return Q(starts_at__lte=now) & (Q(ends_at__isnull=True) | Q(ends_at__gt=now))


def _now(now: datetime | None) -> datetime:
    return now or timezone.now()


# --- Featured products and companies ---------------------------------------------------


def featured_products(now: datetime | None = None, *, limit: int = FEATURED_LIMIT) -> list[Product]:
    """Published products featured at ``now``, in the team's order (position, then newest slot).

    Each product comes with its company, images and translations loaded, and
    ``featured_position``; a product appears once even if two slots overlap.
    """
    slots = (
        FeaturedProduct.objects.filter(running(_now(now)), product__status=Product.Status.PUBLISHED)
        .select_related("product__company")
        .prefetch_related("product__images", "product__translations")
        .order_by("position", "-starts_at", "pk")
    )
    products, seen = [], set()
    for slot in slots[: limit * 2]:
        if slot.product_id in seen:
            continue
        seen.add(slot.product_id)
        slot.product.featured_position = slot.position
        products.append(slot.product)
    return products[:limit]


def featured_companies(now: datetime | None = None, *, limit: int = FEATURED_LIMIT,
                       include_members_only: bool = False) -> list[Company]:
    """Supported companies featured at ``now``, in the team's order.

    Hidden profiles never show; members-only profiles only when ``include_members_only``
    (the viewer is a member of the programme).
    """
    shown = [Company.Visibility.PUBLIC]
    if include_members_only:
        shown.append(Company.Visibility.MEMBERS)
    slots = (
        FeaturedCompany.objects.filter(running(_now(now)), company__showroom_support__isnull=False,
                                       company__visibility__in=shown)
        .select_related("company__sector")
        .order_by("position", "-starts_at", "pk")
    )
    companies, seen = [], set()
    for slot in slots[: limit * 2]:
        if slot.company_id in seen:
            continue
        seen.add(slot.company_id)
        slot.company.featured_position = slot.position
        companies.append(slot.company)
    return companies[:limit]


def is_featured_now(product_id: int, now: datetime | None = None) -> bool:
    return FeaturedProduct.objects.filter(running(_now(now)), product_id=product_id,
                                          product__status=Product.Status.PUBLISHED).exists()


# --- Banners ----------------------------------------------------------------------------


@dataclass(frozen=True)
class ActiveBanner:
    """A banner as a page shows it, in the reader's language."""

    id: int
    text: str
    image_url: str
    image_alt: str
    image_width: int | None
    image_height: int | None
    has_link: bool
    sponsor_name: str
    counter_key: str

    @property
    def click_url(self) -> str:
        return reverse("promotion:banner-click", args=[self.id]) if self.has_link else ""


def banner_cache_key(placement: str) -> str:
    # The cache's key function adds the tenant's schema (django_tenants.cache.make_key).
    return f"promotion:banners:{placement}"


def _placement_rows(placement: str, now: datetime) -> list[dict]:
    """Banners of ``placement`` that have not ended, as plain data, from the cache when it has them."""
    key = banner_cache_key(placement)
    try:
        rows = cache.get(key)
    except Exception:  # a cache outage must not take pages down; the database still answers
        logger.warning("banner cache unavailable", exc_info=True)
        rows = None
    if rows is not None:
        return rows
    banners = (
        Banner.objects.filter(Q(ends_at__isnull=True) | Q(ends_at__gt=now), placement=placement)
        .select_related("sponsor")
        .prefetch_related(Prefetch("texts", queryset=BannerText.objects.order_by("language")))
        .order_by("position", "-starts_at", "pk")[:50]
    )
    rows = [
        {
            "id": banner.pk,
            "starts_at": banner.starts_at,
            "ends_at": banner.ends_at,
            "image_url": banner.image.url if banner.image else "",
            "image_width": banner.image_width,
            "image_height": banner.image_height,
            "has_link": bool(banner.link_url),
            "sponsor_name": banner.sponsor.name if banner.sponsor_id else "",
            "texts": {text.language: (text.text, text.image_alt) for text in banner.texts.all()},
            "counter_key": impression_counter_key(banner),
        }
        for banner in banners
    ]
    try:
        cache.set(key, rows, BANNER_CACHE_SECONDS)
    except Exception:
        logger.warning("banner cache unavailable", exc_info=True)
    return rows


def impression_counter_key(banner: Banner) -> str:
    # The creation time tells apart banners that reuse an id (a restored backup, a test run).
    return f"promotion:impressions:{banner.pk}:{int(banner.created_at.timestamp() * 1_000_000)}"


def _words_for(texts: dict, language: str, fallback_language: str) -> tuple[str, str]:
    for code in (language, fallback_language, *sorted(texts)):
        text, alt = texts.get(code, ("", ""))
        if text or alt:
            return text, alt
    return "", ""


def active_banners(placement: str, now: datetime | None = None, *, language: str = "en",
                   fallback_language: str = "fr", limit: int = MAX_BANNERS_PER_PLACEMENT) -> list[ActiveBanner]:
    """Banners running at ``now`` at ``placement``, in order, worded in ``language``
    (else the programme's ``fallback_language``, else any language they have)."""
    if placement not in Placement.values:
        raise ValueError(f"Unknown banner placement {placement!r}")
    now = _now(now)
    found = []
    for row in _placement_rows(placement, now):
        if row["starts_at"] > now or (row["ends_at"] is not None and row["ends_at"] <= now):
            continue
        text, alt = _words_for(row["texts"], language, fallback_language)
        if row["image_url"] and not alt:
            continue  # never show an image nobody described
        if not row["image_url"] and not text:
            continue
        found.append(ActiveBanner(
            id=row["id"], text=text, image_url=row["image_url"], image_alt=alt,
            image_width=row["image_width"], image_height=row["image_height"], has_link=row["has_link"],
            sponsor_name=row["sponsor_name"], counter_key=row["counter_key"],
        ))
        if len(found) >= limit:
            break
    return found


def banners_for_team() -> QuerySet:
    return (Banner.objects.select_related("sponsor").prefetch_related("texts")
            .order_by("placement", "position", "-starts_at", "pk"))


# --- Sponsored keywords -----------------------------------------------------------------


def sponsored_boosts(query: str, now: datetime | None = None) -> dict[int, int]:
    """{product id: weight} of published products sponsored for ``query`` at ``now``.

    A keyword matches when every one of its words is in the query (folded, any order);
    a product matched by several keywords takes its heaviest weight. One query.
    """
    terms = keywords.query_words(query)
    if not terms:
        return {}
    # "Shares a word" (&&) lets the GIN index find the few candidates; "all its words" (<@) then
    # decides on a cast copy: given to the index, <@ must also visit every empty array (a full scan).
    rows = (
        SponsoredKeyword.objects.alias(words=Cast("terms", ArrayField(TextField())))
        .filter(running(_now(now)), terms__overlap=terms, words__contained_by=terms,
                product__status=Product.Status.PUBLISHED)
        .values("product_id").annotate(weight=Max("weight"))
    )
    return {row["product_id"]: row["weight"] for row in rows}


def keywords_for_team() -> QuerySet:
    return SponsoredKeyword.objects.select_related("product__company").order_by("keyword", "-starts_at", "pk")


# --- Featured, for the team ---------------------------------------------------------------


def featured_products_for_team() -> QuerySet:
    return FeaturedProduct.objects.select_related("product__company").order_by("position", "-starts_at", "pk")


def featured_companies_for_team() -> QuerySet:
    return FeaturedCompany.objects.select_related("company").order_by("position", "-starts_at", "pk")


def published_products() -> QuerySet:
    return Product.objects.filter(status=Product.Status.PUBLISHED).select_related("company").order_by(
        "company__name", "title", "pk")


def supported_companies() -> QuerySet:
    return Company.objects.filter(showroom_support__isnull=False).exclude(
        visibility=Company.Visibility.HIDDEN).order_by("name", "pk")


# --- Campaigns ----------------------------------------------------------------------------


def audience(*, tenant, vertical_ids=(), countries=()) -> QuerySet:
    """Buyer profiles a campaign reaches: members of the programme who agreed to its news,
    with a confirmed address, interested in one of ``vertical_ids`` and based in one of
    ``countries`` (each: any when empty)."""
    from shared_apps.accounts.models import Membership

    profiles = BuyerProfile.objects.filter(
        opted_in_marketing=True,
        user__is_active=True,
        user__email_verified_at__isnull=False,
        user_id__in=Membership.objects.for_tenant(tenant).values("user_id"),
    )
    if vertical_ids:
        profiles = profiles.filter(
            pk__in=BuyerProfile.interests.through.objects.filter(vertical_id__in=list(vertical_ids)).values("buyerprofile_id"))
    if countries:
        profiles = profiles.filter(country__in=list(countries))
    return profiles


@dataclass(frozen=True)
class AudienceSummary:
    count: int
    by_country: list[tuple[str, int]]


def audience_summary(*, tenant, vertical_ids=(), countries=()) -> AudienceSummary:
    """How many buyers a campaign would reach, and the five countries with most of them."""
    from django_countries import countries as country_names

    rows = list(audience(tenant=tenant, vertical_ids=vertical_ids, countries=countries)
                .values("country").annotate(n=Count("pk")).order_by("-n", "country"))
    names = dict(country_names)
    return AudienceSummary(count=sum(row["n"] for row in rows),
                           by_country=[(str(names.get(row["country"], row["country"])), row["n"]) for row in rows[:5]])


def campaigns_for_team() -> QuerySet:
    return Campaign.objects.annotate(
        sent_count=Count("recipients", filter=Q(recipients__status=CampaignRecipient.Status.SENT)),
        recipient_count=Count("recipients"),
    ).order_by("-created_at", "-pk")


def campaign_for_team(pk: int) -> Campaign | None:
    return Campaign.objects.prefetch_related("contents", "verticals").filter(pk=pk).first()


def delivery_counts(campaign: Campaign) -> dict[str, int]:
    counts = dict.fromkeys(CampaignRecipient.Status.values, 0)
    for row in campaign.recipients.values("status").annotate(n=Count("pk")):
        counts[row["status"]] = row["n"]
    counts["unsubscribed"] = campaign.recipients.filter(unsubscribed_at__isnull=False).count()
    return counts


# --- Requests -------------------------------------------------------------------------------


def company_of(user) -> Company | None:
    """The company ``user`` represents (the first one, as the other modules do)."""
    if not user.is_authenticated:
        return None
    representative = Representative.objects.filter(user=user).select_related("company").order_by("pk").first()
    return representative.company if representative else None


def represents(user, company_id: int) -> bool:
    return user.is_authenticated and Representative.objects.filter(user=user, company_id=company_id).exists()


def requests_of(company: Company) -> QuerySet:
    return PromotionRequest.objects.filter(company=company).select_related("product").order_by("-created_at", "-pk")


def requests_for_team(*, status: str = "") -> QuerySet:
    requests = PromotionRequest.objects.select_related("company", "product")
    if status:
        requests = requests.filter(status=status)
    return requests.order_by("-created_at", "-pk")


def open_request_count() -> int:
    return PromotionRequest.objects.filter(status=PromotionRequest.Status.SUBMITTED).count()


def request_for(pk: int, *, user, can_manage: bool) -> PromotionRequest | None:
    """The request, when ``user`` manages promotion or represents its company; else None (a 404)."""
    request = PromotionRequest.objects.select_related("company", "product").filter(pk=pk).first()
    if request is None:
        return None
    if can_manage or represents(user, request.company_id):
        return request
    return None


def users_by_id(ids) -> dict:
    from django.contrib.auth import get_user_model

    wanted = {pk for pk in ids if pk}
    return get_user_model().objects.in_bulk(wanted) if wanted else {}
