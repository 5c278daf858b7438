"""Generated companies and a timed query mix for ``comptoir bench_directory``."""

from __future__ import annotations

import random
import statistics
import time
from dataclasses import dataclass
from datetime import timedelta

from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Q
from django.utils import timezone

from tenant_apps.directory.models import Company, Sector, Tag
from tenant_apps.directory.search import selectors
from tenant_apps.directory.search.selectors import Criteria

SECTORS = [
    ("Agro-alimentaire", "Food processing"), ("Textile et habillement", "Textiles and clothing"),
    ("Cacao et café", "Cocoa and coffee"), ("Cosmétiques", "Cosmetics"), ("Énergie solaire", "Solar energy"),
    ("Logistique", "Logistics"), ("Numérique", "Digital services"), ("Artisanat", "Crafts"),
    ("Pêche et aquaculture", "Fisheries"), ("Bois et ameublement", "Wood and furniture"),
    ("Mines", "Mining"), ("Tourisme", "Tourism"), ("Santé", "Health care"), ("Construction", "Construction"),
    ("Conseil", "Consulting"), ("Éducation", "Education"), ("Chimie", "Chemicals"), ("Automobile", "Automotive"),
]
TAGS = ["bio", "commerce équitable", "halal", "ISO 9001", "export UE", "femmes entrepreneures", "jeunes pousses",
        "zone franche", "circuit court", "made in Africa", "recyclage", "start-up", "PME familiale", "e-commerce"]
PREFIXES = ["Société", "Groupe", "Établissements", "Compagnie", "Ateliers", "Maison", "Les Jardins de", "Union",
            "Coopérative", "Global", "International", "Laboratoires", "Industries", "Comptoir"]
NAMES = ["Diallo", "Kouassi", "Traoré", "N'Diaye", "Mbaye", "Tremblay", "Dupont", "Lefèvre", "Nguyen", "Haddad",
         "Benali", "Kamara", "Mensah", "Okafor", "Sahel", "Atlas", "Niger", "Casamance", "Abidjan", "Bamako",
         "Québec", "Hanoï", "Liban", "Maghreb", "Sénégal", "Côte d'Ivoire", "Mékong", "Kivu", "Sine-Saloum", "Océan"]
ACTIVITIES = ["Agro-Alimentaire", "Textile", "Cacao", "Café", "Karité", "Logistique", "Solaire", "Cosmétiques",
              "Conseil", "Pêche", "Bois", "Mining", "Foods", "Tech", "Coffee", "Cashew", "Export", "Trading",
              "Fruits tropicaux", "Épices", "Anacarde", "Huiles", "Savonnerie", "Digital", "Fashion", "Crafts"]
SUFFIXES = ["SARL", "SA", "SAS", "Ltd", "Inc", "GIE", "", "", ""]
COUNTRIES = ["SN", "CI", "ML", "BF", "CM", "MA", "TN", "CA", "FR", "BE", "VN", "LB", "MG", "BJ", "TG", "GA", "RW", "HT"]
FR_SENTENCES = [
    "Nous produisons et exportons {a} de qualité depuis {y}.", "Entreprise familiale spécialisée dans {a}.",
    "Transformation locale et conditionnement pour les marchés européens.", "Certifiée, nous cherchons des distributeurs.",
    "Nos équipes accompagnent les acheteurs de la commande à la livraison.",
]
EN_SENTENCES = [
    "We grow and export {a} to buyers in Europe and North America since {y}.", "A family business focused on {a}.",
    "Local processing and packaging for international markets.", "Certified supplier looking for distributors.",
    "Our team supports buyers from order to delivery.",
]
WORDS = ["societe", "cacao", "agroalimentaire", "cafe", "textile", "solaire", "logistique", "kouassi", "export",
         "coffee", "epices", "diallo", "karite", "mining", "cosmetiques", "fruits tropicaux", "conseil export"]


def generate(count: int, *, seed: int = 4) -> None:
    """Fill the current schema with ``count`` companies, loaded with COPY (the trigger indexes them)."""
    rng = random.Random(seed)
    sectors = [Sector.objects.create(name=fr, name_en=en, slug=f"s{index}", position=index)
               for index, (fr, en) in enumerate(SECTORS)]
    tags = [Tag.objects.create(name=name, slug=f"t{index}") for index, name in enumerate(TAGS)]
    columns = ["name", "legal_name", "registration_number", "vat_number", "country", "city", "sector_id", "size", "turnover_band", "export_stage", "description", "products_services", "target_markets", "goals", "website", "email", "phone", "languages", "logo", "video_links", "visibility", "is_recommended", "verified_at", "verification_expires_at", "created_at", "updated_at"]
    sizes, stages = [value for value, _ in Company.Size.choices], [value for value, _ in Company.ExportStage.choices]
    now = timezone.now()
    raw = connection.connection
    with raw.cursor() as cursor, cursor.copy(f"COPY directory_company ({', '.join(columns)}) FROM STDIN") as copy:
        for _ in range(count):
            activity = rng.choice(ACTIVITIES)
            name = " ".join(part for part in (rng.choice(PREFIXES), rng.choice(NAMES), activity, rng.choice(SUFFIXES)) if part)
            french = rng.random() < 0.6
            sentences = FR_SENTENCES if french else EN_SENTENCES
            description = " ".join(rng.choice(sentences).format(a=activity.lower(), y=rng.randint(1960, 2024)) for _ in range(3))
            verified = rng.random() < 0.3
            days_ago = rng.randint(0, 2000)
            copy.write_row((
                name, name, "", "", rng.choice(COUNTRIES), "", rng.choice(sectors).pk, rng.choice(sizes), "",
                rng.choice(stages), description, activity, "", "", "", "", "",
                ["fr", "en"] if rng.random() < 0.3 else (["fr"] if french else ["en"]), "", [],
                rng.choices(["public", "members", "hidden"], [6, 3, 1])[0], rng.random() < 0.05,
                now - timedelta(days=30) if verified else None,
                now + timedelta(days=rng.randint(1, 300)) if verified else None,
                now - timedelta(days=days_ago), now - timedelta(days=days_ago),
            ))
    company_ids = list(Company.objects.values_list("pk", flat=True))
    with raw.cursor() as cursor, cursor.copy("COPY directory_company_tags (company_id, tag_id) FROM STDIN") as copy:
        for company_id in rng.sample(company_ids, len(company_ids) // 5):
            for tag in rng.sample(tags, 2):
                copy.write_row((company_id, tag.pk))
    # What autovacuum does soon after a bulk load: statistics, the GIN pending list merged,
    # the visibility map set (index-only scans).
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE directory_company")
        cursor.execute("VACUUM ANALYZE directory_company_tags")


@dataclass
class Timing:
    kind: str
    search_ms: list[float]
    facets_ms: list[float]
    baseline_ms: list[float]


def _criteria_mix(rng: random.Random, sector_ids: list[int]) -> list[tuple[str, Criteria]]:
    mix = []
    for _ in range(40):
        word = rng.choice(WORDS)
        country = [rng.choice(COUNTRIES)]
        mix += [
            ("text", Criteria(q=word)),
            ("text + filters", Criteria(q=word, filters={"country": country, "export_stage": ["growing"]})),
            ("filters only", Criteria(filters={"sector": [rng.choice(sector_ids)], "country": country})),
            ("browse, name order", Criteria(sort="name")),
            ("typo", Criteria(q=word[:2] + word[3:] if len(word) > 5 else word)),
            ("verified + sort newest", Criteria(q=word, sort="newest", filters={"verified": True})),
        ]
    return mix


def _baseline(criteria: Criteria) -> None:
    """A plain ILIKE over name and description with the same filters: what the search replaces."""
    queryset = Company.objects.filter(visibility__in=[Company.Visibility.PUBLIC, Company.Visibility.MEMBERS])
    filters = criteria.filters
    if filters.get("sector"):
        queryset = queryset.filter(sector_id__in=filters["sector"])
    if filters.get("country"):
        queryset = queryset.filter(country__in=filters["country"])
    if filters.get("export_stage"):
        queryset = queryset.filter(export_stage__in=filters["export_stage"])
    if filters.get("verified"):
        queryset = queryset.filter(verification_expires_at__gt=timezone.now())
    if criteria.q:
        queryset = queryset.filter(Q(name__icontains=criteria.q) | Q(description__icontains=criteria.q))
    page = Paginator(queryset.order_by("name", "pk").defer("search_vector", "search_title"), 20).get_page(1)
    list(page.object_list)


def run_queries(*, seed: int = 4, use_cache: bool = False) -> list[Timing]:
    """Time each search of the mix: the page of results, the facets (computed, unless
    ``use_cache``) and the ILIKE baseline."""
    rng = random.Random(seed)
    sector_ids = list(Sector.objects.values_list("pk", flat=True))
    timings: dict[str, Timing] = {}
    for kind, criteria in _criteria_mix(rng, sector_ids):
        timing = timings.setdefault(kind, Timing(kind, [], [], []))
        started = time.perf_counter()
        page = Paginator(selectors.search(criteria, is_member=True), 20).get_page(1)
        list(page.object_list)
        timing.search_ms.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        selectors.facet_counts(criteria, is_member=True, use_cache=use_cache)
        timing.facets_ms.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        _baseline(criteria)
        timing.baseline_ms.append((time.perf_counter() - started) * 1000)
    return list(timings.values())


def cached_facet_times(*, seed: int = 4) -> list[float]:
    """Facet counts read from the cache: each search of the mix computed once, then timed again."""
    rng = random.Random(seed)
    sector_ids = list(Sector.objects.values_list("pk", flat=True))
    times = []
    for _kind, criteria in _criteria_mix(rng, sector_ids):
        selectors.facet_counts(criteria, is_member=True)
        started = time.perf_counter()
        selectors.facet_counts(criteria, is_member=True)
        times.append((time.perf_counter() - started) * 1000)
    return times


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    if len(ordered) == 1:
        return ordered[0]
    return statistics.quantiles(ordered, n=100, method="inclusive")[round(fraction * 100) - 1]
