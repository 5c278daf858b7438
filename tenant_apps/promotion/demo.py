"""Demo promotion for the showroom programme: banners, featured items, a sponsored keyword,
a draft campaign and two requests for quotes.

Idempotent (each piece is skipped when it is there already) and modest about what
exists: with no published product or supported company yet, those parts wait for the
next run.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

DEMO_SLUG = "showroom"
SITE_STRIP = "Welcome strip"
SHOWROOM_TOP = "Showroom top: spring campaign"
CAMPAIGN = "Spring news for buyers"


def seed_promotion(tenant, slug: str, people: dict[str, object]) -> None:
    """Run inside ``tenant``'s schema; only the showroom demo gets promotion content."""
    if slug != DEMO_SLUG:
        return
    from tenants.services import update_configuration

    if not tenant.has_module("promotion"):
        tenant = update_configuration(tenant, modules=[*tenant.modules, "promotion"])
    admin = people.get("Claire Dubois")
    moderator = people.get("Thomas Girard")
    if admin is None:
        return
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    _banners(tenant, admin, now)
    _featured(admin, now)
    _keyword(admin, now)
    _campaign(tenant, admin)
    _requests(people, moderator or admin)


def _banners(tenant, admin, now) -> None:
    from tenant_apps.promotion import services
    from tenant_apps.promotion.models import Banner

    if not Banner.objects.filter(name=SITE_STRIP).exists():
        services.save_banner(
            name=SITE_STRIP, placement="site_strip", starts_at=now - timedelta(days=1), ends_at=None,
            link_url="/directory/", default_language=tenant.default_language, actor=admin,
            texts={"en": ("Meet 60 French industrial suppliers: browse the showroom and ask for a quote", ""),
                   "fr": ("Découvrez 60 fournisseurs industriels français : parcourez la vitrine et demandez un devis",
                          ""),
                   "es": ("Conozca 60 proveedores industriales franceses: recorra el showroom y pida un presupuesto",
                          ""),
                   "de": ("Entdecken Sie 60 französische Industrielieferanten und fragen Sie ein Angebot an", "")})
    if not Banner.objects.filter(name=SHOWROOM_TOP).exists():
        services.save_banner(
            name=SHOWROOM_TOP, placement="showroom_top", starts_at=now - timedelta(days=1),
            ends_at=now + timedelta(days=60), link_url="/directory/", default_language=tenant.default_language,
            actor=admin, texts={"en": ("Spring focus: machine tools and industry 4.0", ""),
                                "fr": ("Focus printemps : machines-outils et industrie du futur", "")})


def _featured(admin, now) -> None:
    from tenant_apps.catalogue.models import Product
    from tenant_apps.promotion import selectors, services
    from tenant_apps.promotion.models import FeaturedCompany, FeaturedProduct

    if not FeaturedProduct.objects.exists():
        products = Product.objects.filter(status=Product.Status.PUBLISHED).order_by("-published_at", "pk")[:4]
        for position, product in enumerate(products):
            services.add_featured_product(product=product, starts_at=now - timedelta(days=1),
                                          ends_at=now + timedelta(days=30), position=position, actor=admin)
    if not FeaturedCompany.objects.exists():
        for position, company in enumerate(selectors.supported_companies()[:4]):
            services.add_featured_company(company=company, starts_at=now - timedelta(days=1),
                                          ends_at=now + timedelta(days=30), position=position, actor=admin)


def _keyword(admin, now) -> None:
    from tenant_apps.catalogue.models import Product
    from tenant_apps.promotion import keywords, services
    from tenant_apps.promotion.models import SponsoredKeyword

    if SponsoredKeyword.objects.exists():
        return
    product = Product.objects.filter(status=Product.Status.PUBLISHED).order_by("published_at", "pk").first()
    words = [word for word in keywords.words(product.title) if len(word) > 2][:2] if product else []
    if words:
        services.add_sponsored_keyword(product=product, keyword=" ".join(words), starts_at=now - timedelta(days=1),
                                       ends_at=now + timedelta(days=30), weight=5, actor=admin)


def _campaign(tenant, admin) -> None:
    from tenant_apps.promotion import services
    from tenant_apps.promotion.models import Campaign

    if Campaign.objects.filter(name=CAMPAIGN).exists():
        return
    services.save_campaign(
        name=CAMPAIGN, default_language=tenant.default_language, actor=admin, contents={
            "en": ("New French suppliers this spring",
                   "<p>Hello,</p><p>Twelve French suppliers of <strong>machine tools</strong> and "
                   "<strong>industrial robots</strong> joined the showroom this month.</p>"
                   "<ul><li>5-axis machining for aerospace and medical parts</li>"
                   "<li>Palletising cells and cobots</li></ul>"
                   "<p>Ask them for a quote from their product pages.</p>"),
            "fr": ("De nouveaux fournisseurs français ce printemps",
                   "<p>Bonjour,</p><p>Douze fournisseurs français de <strong>machines-outils</strong> et de "
                   "<strong>robots industriels</strong> ont rejoint la vitrine ce mois-ci.</p>"
                   "<p>Demandez-leur un devis depuis leurs pages produit.</p>"),
        })


def _requests(people, manager) -> None:
    from tenant_apps.directory.models import Representative
    from tenant_apps.promotion import selectors, services
    from tenant_apps.promotion.models import PromotionRequest

    today = timezone.localdate()
    for organisation, kind, reach, budget, quote in (
        ("Usinage Précis Lyonnais", "banner", "medium", Decimal("1500"), None),
        ("AgriTech Beauce", "email", "large", Decimal("3000"), Decimal("2400")),
    ):
        user = people.get(organisation)
        representative = Representative.objects.filter(user=user).select_related("company").first() if user else None
        if representative is None or PromotionRequest.objects.filter(company=representative.company).exists():
            continue
        request = services.submit_request(
            company=representative.company, actor=user, kind=kind, reach=reach, budget=budget,
            starts_on=today + timedelta(days=14), ends_on=today + timedelta(days=44),
            message="We target buyers in the Gulf states and Scandinavia.")
        if quote is not None and not selectors.represents(manager, representative.company_id):
            services.quote_request(promotion_request=request, actor=manager, amount=quote,
                                   note="Two sends to 4,000 opted-in buyers of agricultural equipment.",
                                   valid_until=today + timedelta(days=30))
