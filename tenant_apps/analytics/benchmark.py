"""A showroom at scale for ``comptoir bench_showroom``: generated data, timed searches, dashboards, ingestion.

Data is generated inside PostgreSQL (``INSERT … SELECT generate_series``) from word
lists, so a million products load in minutes. Searches are timed as SEARCHES says: the
catalogue's own (first page, facet counts, the two as the page reads them) and a plain
full-text query as the baseline, over the same mix of searches in the same run.
"""

from __future__ import annotations

import random
import secrets
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

from django.db import connection
from django.utils import timezone

VERTICALS = [
    ("Industrie du futur", "Industry 4.0"), ("Agroéquipements et intrants", "Agricultural equipment and inputs"),
    ("Dispositifs médicaux", "Medical devices"), ("Aéronautique et spatial", "Aerospace"), ("Maritime", "Maritime"),
    ("Transports terrestres", "Land transport"), ("Machines-outils", "Machine tools"), ("Construction", "Construction"),
    ("Transition écologique", "Ecological transition"), ("Machines reconditionnées", "Recycled machines"),
]
NOUNS_FR = ["Centre d'usinage", "Tour CNC", "Capteur de vibration", "Pompe doseuse", "Robot de palettisation", "Cobot",
            "Presse hydraulique", "Plieuse", "Broyeur", "Extrudeuse", "Autoclave", "Moniteur ECG", "Implant orthopédique",
            "Drone d'inspection", "Électrolyseur", "Moteur électrique marin", "Faucheuse", "Semoir de précision",
            "Pulvérisateur", "Panneau composite", "Carénage", "Module photovoltaïque", "Station de traitement d'eau",
            "Passerelle IoT", "Logiciel de supervision", "Jumeau numérique", "Minibus électrique", "Siège ferroviaire",
            "Bloc béton bas carbone", "Mur à ossature bois", "Biostimulant", "Engrais organique", "Laveur-désinfecteur"]
QUALIFIERS_FR = ["5 axes", "compact", "haute précision", "connecté", "reconditionné", "basse consommation", "modulaire",
                 "automatique", "inox", "certifié CE", "grande capacité", "silencieux", "léger", "hybride", "pour l'export"]
NOUNS_EN = ["Machining centre", "CNC lathe", "Vibration sensor", "Dosing pump", "Palletising robot", "Cobot",
            "Hydraulic press", "Press brake", "Shredder", "Extruder", "Autoclave", "ECG monitor", "Orthopaedic implant",
            "Inspection drone", "Electrolyser", "Marine electric motor", "Mower", "Precision seed drill", "Sprayer",
            "Composite panel", "Fairing", "Solar module", "Water treatment unit", "IoT gateway", "SCADA software",
            "Digital twin", "Electric minibus", "Railway seat", "Low-carbon concrete block", "Timber frame wall",
            "Biostimulant", "Organic fertiliser", "Washer-disinfector"]
QUALIFIERS_EN = ["5-axis", "compact", "high-precision", "connected", "refurbished", "low-energy", "modular", "automatic",
                 "stainless", "CE-marked", "high-capacity", "quiet", "lightweight", "hybrid", "export-ready"]
DESCRIPTIONS_FR = ["Conçu et fabriqué en France pour les industriels exigeants.", "Livré avec formation et maintenance sur site.",
                   "Pièces détachées disponibles sous 48 heures en Europe.", "Conforme aux normes européennes et internationales."]
DESCRIPTIONS_EN = ["Designed and made in France for demanding manufacturers.", "Delivered with on-site training and maintenance.",
                   "Spare parts shipped within 48 hours across Europe.", "Compliant with European and international standards."]
COMPANY_WORDS = ["Usinage", "Robotique", "Capteurs", "Chantiers", "Tracteurs", "Bioferti", "Orthopédie", "Satellites",
                 "Ferroviaire", "Béton", "Ossature", "Eau Pure", "Recyclage", "Presses", "Hydrogène", "Propulsion", "Stérilisation"]
REGIONS = ["Lyonnais", "Alsace", "Bretagne", "Normandie", "Occitanie", "Provence", "Savoie", "Champagne", "Bourgogne",
           "Atlantique", "Auvergne", "Vosges", "Hauts-de-France", "Centre", "Loire", "Beauce", "Grenoble", "Toulouse"]
BUYER_COUNTRIES = ["US", "DE", "AE", "MA", "SE", "BR", "IN", "GB", "IT", "ES", "CN", "JP", "SA", "CA", "SN", "CI", "NG",
                   "MX", "TR", "KR"]
SEARCH_WORDS = ["usinage", "capteur", "pompe", "robot", "presse", "autoclave", "drone", "electrolyseur", "semoir",
                "composite", "cnc lathe", "sensor", "solar module", "water treatment", "digital twin", "biostimulant",
                "compact", "haute precision", "refurbished", "moniteur ecg", "implant", "minibus electrique", "extruder"]
BENCH_EMAIL_DOMAIN = "bench-showroom.invalid"


def _sql_array(values: list[str]) -> str:
    return "ARRAY[" + ", ".join("'" + value.replace("'", "''") + "'" for value in values) + "]::text[]"


def _execute(statement: str, params=()) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def generate_companies(count: int, *, rng: random.Random) -> None:
    from tenant_apps.catalogue.models import Vertical

    for index, (name, name_en) in enumerate(VERTICALS):
        Vertical.objects.get_or_create(slug=f"bench-v{index}", defaults={"name": name, "name_en": name_en, "position": index})
    columns = ["name", "legal_name", "registration_number", "vat_number", "country", "city", "size", "turnover_band",
               "export_stage", "description", "products_services", "target_markets", "goals", "website", "email", "phone",
               "languages", "logo", "video_links", "visibility", "is_recommended", "created_at", "updated_at"]
    now = timezone.now()
    with connection.connection.cursor() as cursor, cursor.copy(
            f"COPY directory_company ({', '.join(columns)}) FROM STDIN") as copy:
        for n in range(count):
            name = f"{rng.choice(COMPANY_WORDS)} {rng.choice(REGIONS)} {n + 1}"
            copy.write_row((name, name, f"FR{n:09d}", "", "FR", rng.choice(REGIONS), "small", "", "growing",
                            "Fabricant français.", "", "", "", "", "", "", ["fr", "en"], "", [], "public", False, now, now))
    _execute("""INSERT INTO catalogue_supportedcompany (company_id, since, note, created_at)
                SELECT id, current_date - (id %% 365)::int, '', now() FROM directory_company
                WHERE id NOT IN (SELECT company_id FROM catalogue_supportedcompany)""")


CERTIFICATIONS = [("Marquage CE", "CE marking"), ("ISO 9001", ""), ("ISO 13485", ""), ("ISO 14001", ""),
                  ("EN 9100", ""), ("Bureau Veritas", ""), ("Origine France Garantie", "Made in France guaranteed"),
                  ("Ecocert", "")]
SERVED_COUNTRIES = ["DE", "US", "GB", "IT", "ES", "BE", "NL", "CH", "MA", "SN", "CI", "AE", "SA", "IN", "CN", "JP",
                    "CA", "BR", "MX", "PL", "SE", "TR", "EG", "NG", "KR"]

# A product row carries copies of its links (vertical_ids, certification_ids) and both
# vectors, as the search trigger would make them; the link rows are inserted from the copies.
PRODUCTS_SQL = """
WITH c AS (SELECT id, name, row_number() OVER (ORDER BY id) AS rn FROM directory_company),
k AS (SELECT count(*) AS k FROM directory_company),
v AS (SELECT array_agg(id ORDER BY id) AS ids FROM catalogue_vertical),
cert AS (SELECT array_agg(id ORDER BY id) AS ids FROM catalogue_certification),
g AS (
  SELECT n, c.id AS company_id, c.name AS company_name, (n %% 10) < 6 AS fr
  FROM generate_series(%(first)s::bigint, %(last)s::bigint) n CROSS JOIN k JOIN c ON c.rn = (n * 7919) %% k.k + 1
), t AS (
  SELECT n, company_id, company_name, fr,
         CASE WHEN fr THEN nf[1 + n %% cardinality(nf)] || ' ' || qf[1 + (n / 7) %% cardinality(qf)]
              ELSE qe[1 + (n / 7) %% cardinality(qe)] || ' ' || lower(ne[1 + n %% cardinality(ne)]) END
           || ' ' || upper(substr(md5(n::text), 1, 2)) || (n %% 1000)::text AS title,
         CASE WHEN fr THEN df[1 + n %% cardinality(df)] || ' ' || df[1 + (n / 3) %% cardinality(df)]
              ELSE de[1 + n %% cardinality(de)] || ' ' || de[1 + (n / 3) %% cardinality(de)] END AS description,
         -- One vertical, a second for a product in four; a certification for two in three, two for one in six.
         ARRAY(SELECT DISTINCT x FROM unnest(ARRAY[v.ids[1 + n %% cardinality(v.ids)],
               CASE WHEN n %% 4 = 0 THEN v.ids[1 + (n / 4) %% cardinality(v.ids)] END]) x
               WHERE x IS NOT NULL ORDER BY x) AS vertical_ids,
         ARRAY(SELECT DISTINCT x FROM unnest(ARRAY[CASE WHEN n %% 3 > 0 THEN cert.ids[1 + (n / 3) %% cardinality(cert.ids)] END,
               CASE WHEN n %% 6 = 1 THEN cert.ids[1 + (n / 5) %% cardinality(cert.ids)] END]) x
               WHERE x IS NOT NULL ORDER BY x) AS certification_ids,
         -- One to four countries served.
         ARRAY(SELECT DISTINCT cs[1 + (n / (i * 11)) %% cardinality(cs)] FROM generate_series(1, 1 + (n / 13) %% 4) i) AS countries,
         CASE WHEN n %% 10 = 3 THEN 'service' ELSE 'product' END AS kind
  FROM g, v, cert, (SELECT {nf} AS nf, {qf} AS qf, {ne} AS ne, {qe} AS qe, {df} AS df, {de} AS de, {cs} AS cs) words
)
INSERT INTO catalogue_product (company_id, kind, status, language, title, description, specifications, minimum_order,
                               lead_time, hs_code, countries_served, vertical_ids, certification_ids, published_at,
                               search_vector, search_title, created_at, updated_at)
SELECT company_id, kind,
       CASE WHEN n %% 10 = 9 THEN 'draft' ELSE 'published' END, CASE WHEN fr THEN 'fr' ELSE 'en' END,
       title, description, '[]'::jsonb, '', '', '', countries, vertical_ids, certification_ids,
       CASE WHEN n %% 10 = 9 THEN NULL ELSE now() - (n %% 700) * interval '1 hour' END,
       public.comptoir_weighted_vector(public.comptoir_fold(title), public.comptoir_fold(company_name), public.comptoir_fold(description))
         || public.comptoir_filter_lexemes(kind, vertical_ids, certification_ids, countries),
       public.comptoir_weighted_vector(public.comptoir_fold(title), NULL, NULL)
         || public.comptoir_filter_lexemes(kind, vertical_ids, certification_ids, countries),
       now(), now()
FROM t
"""

PRODUCT_INDEXES = {
    "product_search": "CREATE INDEX product_search ON catalogue_product USING gin (search_vector) WHERE status = 'published'",
    "product_title_search": "CREATE INDEX product_title_search ON catalogue_product USING gin (search_title)"
                            " WHERE status = 'published'",
    "product_published": "CREATE INDEX product_published ON catalogue_product (published_at DESC, id DESC)"
                         " INCLUDE (company_id, kind, countries_served, vertical_ids, certification_ids)"
                         " WHERE status = 'published'",
}


def generate_products(count: int, *, batch: int = 100_000, progress: Callable[[str], None] = lambda _m: None) -> None:
    """``count`` products in batches; the search trigger is off and GIN indexes are built once at the end."""
    from tenant_apps.catalogue.models import Certification

    for index, (name, name_en) in enumerate(CERTIFICATIONS):
        Certification.objects.get_or_create(slug=f"bench-c{index}", defaults={"name": name, "name_en": name_en, "position": index})
    statement = PRODUCTS_SQL.format(nf=_sql_array(NOUNS_FR), qf=_sql_array(QUALIFIERS_FR), ne=_sql_array(NOUNS_EN),
                                    qe=_sql_array(QUALIFIERS_EN), df=_sql_array(DESCRIPTIONS_FR), de=_sql_array(DESCRIPTIONS_EN),
                                    cs=_sql_array(SERVED_COUNTRIES))
    with connection.cursor() as cursor:
        # Inside a transaction (tests), deferred foreign-key checks would forbid the ALTER TABLE below.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SELECT indexname FROM pg_indexes WHERE schemaname = current_schema() AND tablename = 'catalogue_product'")
        existing = {row[0] for row in cursor.fetchall()}
        trigram = "product_title_trigram" in existing
        for name in [*PRODUCT_INDEXES, "product_title_trigram", "product_countries_served"]:
            if name in existing:
                cursor.execute(f"DROP INDEX {name}")
        # The vector is computed in the INSERT; the triggers would compute it again per row.
        cursor.execute("ALTER TABLE catalogue_product DISABLE TRIGGER product_search_vector")
        cursor.execute("ALTER TABLE catalogue_product_verticals DISABLE TRIGGER product_verticals_search_vector")
        cursor.execute("ALTER TABLE catalogue_product_certifications DISABLE TRIGGER product_certifications_search_vector")
        try:
            for first in range(1, count + 1, batch):
                last = min(first + batch - 1, count)
                cursor.execute(statement, {"first": first, "last": last})
                progress(f"  products {last:,}/{count:,}")
            for link, column, copy in (("catalogue_product_verticals", "vertical_id", "vertical_ids"),
                                       ("catalogue_product_certifications", "certification_id", "certification_ids")):
                cursor.execute(f"""INSERT INTO {link} (product_id, {column})
                                   SELECT p.id, unnest(p.{copy}) FROM catalogue_product p
                                   WHERE NOT EXISTS (SELECT 1 FROM {link} l WHERE l.product_id = p.id)""", ())  # noqa: S608
        finally:
            cursor.execute("ALTER TABLE catalogue_product ENABLE TRIGGER product_search_vector")
            cursor.execute("ALTER TABLE catalogue_product_verticals ENABLE TRIGGER product_verticals_search_vector")
            cursor.execute("ALTER TABLE catalogue_product_certifications ENABLE TRIGGER product_certifications_search_vector")
        for name, create in PRODUCT_INDEXES.items():
            cursor.execute(create)
            progress(f"  index {name} built")
        if trigram:
            from tenant_apps.catalogue.search.sql import TRIGRAM_INDEX

            cursor.execute(TRIGRAM_INDEX)
            progress("  index product_title_trigram built")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        # What autovacuum does soon after a bulk load: statistics, and the visibility map set
        # for index-only scans (VACUUM cannot run inside a transaction, as in tests).
        command = "ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE"
        for table in ("catalogue_product", "catalogue_product_verticals", "catalogue_product_certifications"):
            cursor.execute(f"{command} {table}")
        progress(f"  {command} done")


def generate_buyers(count: int, *, tenant, rng: random.Random) -> None:
    """``count`` buyers: accounts (public schema, unusable passwords), memberships, buyer profiles."""
    now = timezone.now()
    slug = tenant.slug
    with connection.connection.cursor() as cursor, cursor.copy(
            "COPY public.accounts_user (password, is_superuser, email, full_name, preferred_language, is_active, is_staff, "
            "email_verified_at, date_joined) FROM STDIN") as copy:
        for n in range(count):
            copy.write_row(("!", False, f"buyer{n}.{slug}@{BENCH_EMAIL_DOMAIN}", f"Buyer {n}", rng.choice(["en", "fr", "de", "es"]),
                            True, False, now, now))
    pattern = f"%.{slug}@{BENCH_EMAIL_DOMAIN}"
    _execute("""INSERT INTO public.accounts_membership (role, organisation, created_at, updated_at, tenant_id, user_id)
                SELECT 'buyer', 'Buyer company ' || id, now(), now(), %s, id FROM public.accounts_user WHERE email LIKE %s""",
             [tenant.pk, pattern])
    _execute("""INSERT INTO catalogue_buyerprofile (user_id, company_name, country, sector, job_role, job_title,
                    opted_in_marketing, created_at, updated_at)
                 SELECT id, 'Buyer company ' || id, (%s::text[])[1 + id %% %s], 'Industry', 'purchasing', '', false, now(), now()
                 FROM public.accounts_user WHERE email LIKE %s""", [BUYER_COUNTRIES, len(BUYER_COUNTRIES), pattern])


def delete_buyers(tenant) -> int:
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM public.accounts_membership WHERE user_id IN "
                       "(SELECT id FROM public.accounts_user WHERE email LIKE %s)", [f"%.{tenant.slug}@{BENCH_EMAIL_DOMAIN}"])
        cursor.execute("DELETE FROM public.accounts_user WHERE email LIKE %s", [f"%.{tenant.slug}@{BENCH_EMAIL_DOMAIN}"])
        return cursor.rowcount


EVENTS_SQL = """
WITH p AS (SELECT min(id) AS lo, max(id) - min(id) + 1 AS span FROM catalogue_product),
b AS (SELECT coalesce(min(user_id), 0) AS lo, greatest(count(*), 1) AS span FROM catalogue_buyerprofile),
g AS (
  SELECT n, random() AS r, now() - random() * %(days)s * interval '1 day' AS at,
         p.lo + floor(p.span * power(random(), 3))::bigint AS product_id
  FROM generate_series(%(first)s, %(last)s) n, p
)
INSERT INTO analytics_event (kind, occurred_at, company_id, product_id, inquiry_id, user_id, visitor, country, value, metadata)
SELECT CASE WHEN g.r < 0.50 THEN 'search_impression' WHEN g.r < 0.85 THEN 'product_view'
            WHEN g.r < 0.98 THEN 'company_view' ELSE 'contact_reveal' END,
       g.at, pr.company_id, CASE WHEN g.r >= 0.85 AND g.r < 0.98 THEN NULL ELSE pr.id END, NULL,
       CASE WHEN random() < 0.3 THEN b.lo + floor(random() * b.span)::bigint END,
       CASE WHEN random() < 0.15 THEN '' ELSE substr(md5(floor(random() * %(visitors)s)::text || g.at::date::text), 1, 32) END,
       countries[1 + floor(cardinality(countries) * power(random(), 2))::int], NULL, '{{}}'::jsonb
FROM g JOIN catalogue_product pr ON pr.id = g.product_id, b, (SELECT {countries} AS countries) c
"""

INQUIRIES_SQL = """
WITH p AS (SELECT min(id) AS lo, max(id) - min(id) + 1 AS span FROM catalogue_product),
b AS (SELECT coalesce(min(user_id), 0) AS lo, greatest(count(*), 1) AS span FROM catalogue_buyerprofile),
-- Drawn once per inquiry and kept: a random() inside a join condition is evaluated as
-- often as the plan happens to test it, which made some plans draw no inquiry at all.
draws AS MATERIALIZED (
  SELECT n AS inquiry_id, now() - random() * %(days)s * interval '1 day' AS at,
         p.lo + floor(p.span * power(random(), 3))::bigint AS product_id,
         b.lo + floor(random() * b.span)::bigint AS buyer_id, random() AS answered, (random() * 96 * 3600)::bigint AS delay,
         countries[1 + floor(cardinality(countries) * power(random(), 2))::int] AS country
  FROM generate_series(%(first)s, %(last)s) n CROSS JOIN p CROSS JOIN b, (SELECT {countries} AS countries) c
), i AS (
  SELECT draws.*, pr.company_id FROM draws JOIN catalogue_product pr ON pr.id = draws.product_id
), opened AS (
  INSERT INTO analytics_event (kind, occurred_at, company_id, product_id, inquiry_id, user_id, visitor, country, value, metadata)
  SELECT 'inquiry', at, company_id, product_id, inquiry_id, buyer_id, '', country, NULL, '{{}}'::jsonb FROM i
)
INSERT INTO analytics_event (kind, occurred_at, company_id, product_id, inquiry_id, user_id, visitor, country, value, metadata)
SELECT kind, at + delay * interval '1 second', company_id, product_id, inquiry_id, NULL, '', '', value, metadata FROM (
  SELECT 'message' AS kind, at, delay, company_id, product_id, inquiry_id, delay AS value, '{{"side": "company"}}'::jsonb AS metadata
  FROM i WHERE answered < 0.75
  UNION ALL
  SELECT 'status_change', at, delay, company_id, product_id, inquiry_id, NULL,
         jsonb_build_object('from', 'new', 'to', (ARRAY['answered', 'quoted', 'won', 'lost', 'closed'])[1 + floor(random() * 5)::int])
  FROM i WHERE answered < 0.75
) answers WHERE at + delay * interval '1 second' < now()
"""


def generate_events(count: int, *, days: int, batch: int = 500_000, progress: Callable[[str], None] = lambda _m: None) -> int:
    """About ``count`` events over ``days``: page views, search impressions, and inquiries (1 %) with answers."""
    countries = _sql_array(BUYER_COUNTRIES)
    views = EVENTS_SQL.format(countries=countries)
    inquiries = INQUIRIES_SQL.format(countries=countries)
    # A realistic audience: about 40 distinct visitors per 100 daily events.
    visitors = max(10, int(count / max(days, 1) * 0.4))
    for first in range(1, count + 1, batch):
        last = min(first + batch - 1, count)
        _execute(views, {"first": first, "last": last, "days": days, "visitors": visitors})
        progress(f"  events {last:,}/{count:,}")
    _execute(inquiries, {"first": 1, "last": max(1, count // 100), "days": days})
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE analytics_event; ANALYZE catalogue_product; ANALYZE directory_company; "
                       "ANALYZE catalogue_buyerprofile; ANALYZE catalogue_product_verticals")
        cursor.execute("SELECT count(*) FROM analytics_event")
        return cursor.fetchone()[0]


# --- What is timed --------------------------------------------------------------------------------

def catalogue_page(query: str, filters: dict[str, list], *, wait: bool = True) -> list[int]:
    """What the catalogue's search page reads: its first page of products, ready for cards,
    and the facet counts as the view takes them (``wait``: without JavaScript, the counts
    are always there; with it, a search matching more than it lists may leave them for a
    second request). Returns the page's ids."""
    from tenant_apps.catalogue.search.selectors import Criteria, page_counts, search
    from tenant_apps.catalogue.search.views import PAGE_SIZE

    criteria = Criteria(q=query, filters=filters)
    results = search(criteria, languages=["en", "fr"])
    ids = [product.pk for product in results[:PAGE_SIZE]]
    page_counts(criteria, results, wait=wait)
    return ids


def catalogue_page_with_js(query: str, filters: dict[str, list]) -> list[int]:
    return catalogue_page(query, filters, wait=False)


def catalogue_results(query: str, filters: dict[str, list]) -> list[int]:
    """The search page's first page of products, ready for cards, without the facet counts."""
    from tenant_apps.catalogue.search.selectors import Criteria, search
    from tenant_apps.catalogue.search.views import PAGE_SIZE

    return [product.pk for product in search(Criteria(q=query, filters=filters), languages=["en", "fr"])[:PAGE_SIZE]]


def catalogue_facets(query: str, filters: dict[str, list]) -> list[int]:
    """Every facet count of a search, computed (never from the cache)."""
    from tenant_apps.catalogue.search.selectors import Criteria, facet_counts

    counts = facet_counts(Criteria(q=query, filters=filters), use_cache=False)
    return [counts.total]


def plain_fulltext_search(query: str, filters: dict[str, list]) -> list[int]:
    """Published products matching ``query`` (accent-folded full text), best first, first page of 20.

    The baseline timed in the same run: the least a text search can do (no filters, facets,
    typo tolerance or cards).

    Ranks only the first 1,000 matches the index yields, so a word shared by a hundred
    thousand products costs no more than a rare one (ordering all matches by date first
    cost a second at a million products).
    """
    from tenant_apps.directory.search.selectors import text_query

    parsed = text_query(query or "machine")
    # The tsquery text travels as a parameter.
    statement = (
        "WITH q AS (SELECT %s::tsquery AS q), "
        "matches AS (SELECT p.id, p.search_vector FROM catalogue_product p, q "
        "WHERE p.status = 'published' AND p.search_vector @@ q.q LIMIT 1000) "
        "SELECT m.id FROM matches m, q ORDER BY ts_rank_cd(m.search_vector, q.q) DESC, m.id LIMIT 20"
    )
    with connection.cursor() as cursor:
        cursor.execute(statement, [parsed])
        return [row[0] for row in cursor.fetchall()]


# What is timed for searches, by name: the baseline, then the catalogue's own.
SEARCHES: dict[str, tuple[Callable[[str, dict], list], float | None]] = {
    "baseline: plain full text": (plain_fulltext_search, None),
    "search: first page": (catalogue_results, 50),
    "search: facet counts": (catalogue_facets, None),
    "search: page with JS": (catalogue_page_with_js, 50),
    "search: page without JS": (catalogue_page, 50),
}


@dataclass
class Timings:
    name: str
    target_ms: float | None
    values: list[float] = field(default_factory=list)

    def p(self, fraction: float) -> float:
        return percentile(self.values, fraction)


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    if len(ordered) == 1:
        return ordered[0]
    return statistics.quantiles(ordered, n=100, method="inclusive")[round(fraction * 100) - 1]


def search_mix(rounds: int, *, rng: random.Random) -> list[tuple[str, dict[str, list]]]:
    """What buyers ask: words alone mostly, words with a filter, and filters without words."""
    from tenant_apps.catalogue.models import Certification, Vertical

    verticals = list(Vertical.objects.values_list("pk", flat=True))
    certifications = list(Certification.objects.values_list("pk", flat=True))
    mix = []
    for _ in range(rounds):
        draw = rng.random()
        query = rng.choice(SEARCH_WORDS)
        if draw < 0.6:
            mix.append((query, {}))
        elif draw < 0.75 and verticals:
            mix.append((query, {"vertical": [rng.choice(verticals)]}))
        elif draw < 0.85:
            mix.append((query, {"country": [rng.choice(SERVED_COUNTRIES)]}))
        elif draw < 0.95 and certifications:
            mix.append(("", {"certification": [rng.choice(certifications)], "country": [rng.choice(SERVED_COUNTRIES)]}))
        else:
            mix.append(("", {}))
    return mix


def time_searches(*, rounds: int, rng: random.Random) -> list[Timings]:
    """Each of SEARCHES over the same mix of searches, interleaved so that each meets the
    same machine load; the remembered counts are forgotten first."""
    from tenant_apps.catalogue.search.selectors import search_changed

    search_changed()
    mix = search_mix(rounds, rng=rng)
    timings = {name: Timings(name, target) for name, (_function, target) in SEARCHES.items()}
    for query, filters in mix[:5]:  # warm-up: plans and caches, untimed
        for function, _target in SEARCHES.values():
            function(query, filters)
    search_changed()
    for query, filters in mix:
        for name, (function, _target) in SEARCHES.items():
            started = time.perf_counter()
            function(query, filters)
            timings[name].values.append((time.perf_counter() - started) * 1000)
    return list(timings.values())


def time_pages(client, paths: list[str], *, name: str, target_ms: float) -> Timings:
    timings = Timings(name, target_ms)
    client.get(paths[0])  # warm-up
    for path in paths:
        started = time.perf_counter()
        response = client.get(path)
        timings.values.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            raise RuntimeError(f"{path} answered {response.status_code}")
    return timings


def ingestion_rate(count: int, *, rng: random.Random) -> float:
    """record_event calls per second for anonymous page views (country, hash, bot check, one INSERT each)."""
    from django.contrib.auth.models import AnonymousUser
    from django.test import RequestFactory

    from tenant_apps.analytics.models import Event
    from tenant_apps.analytics.services import record_event

    factory = RequestFactory()
    with connection.cursor() as cursor:
        cursor.execute("SELECT id FROM directory_company ORDER BY id LIMIT 100")
        company_ids = [row[0] for row in cursor.fetchall()]
    requests = []
    for n in range(count):
        request = factory.get("/", REMOTE_ADDR=f"{rng.randint(1, 223)}.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{n % 250 + 1}",
                              HTTP_USER_AGENT="Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0")
        request.user = AnonymousUser()
        requests.append(request)
    started = time.perf_counter()
    for request in requests:
        record_event(Event.Kind.COMPANY_VIEW, request=request, company_id=rng.choice(company_ids))
    return count / (time.perf_counter() - started)


def buffered_ingestion_rate(count: int, *, redis_url: str, rng: random.Random) -> float | None:
    """The alternative measured for comparison: RPUSH to a Redis list, then one COPY per 5,000 events."""
    import json

    import redis

    if not redis_url:
        return None
    client = redis.Redis.from_url(redis_url)
    key = f"bench-analytics-buffer-{secrets.token_hex(4)}"
    now = timezone.now()
    started = time.perf_counter()
    for n in range(count):
        client.rpush(key, json.dumps({"k": "company_view", "c": rng.randint(1, 1000), "t": (now + timedelta(microseconds=n)).isoformat(),
                                      "v": secrets.token_hex(16), "cc": "FR"}))
    while True:
        items = client.lpop(key, 5000)
        if not items:
            break
        with connection.connection.cursor() as cursor, cursor.copy(
                "COPY analytics_event (kind, occurred_at, company_id, visitor, country, metadata) FROM STDIN") as copy:
            for raw in items:
                item = json.loads(raw)
                copy.write_row((item["k"], item["t"], item["c"], item["v"], item["cc"], "{}"))
    client.delete(key)
    return count / (time.perf_counter() - started)
