"""A showroom at scale for ``comptoir bench_showroom``: generated data, timed searches, dashboards, ingestion.

Data is generated inside PostgreSQL (``INSERT … SELECT generate_series``) from word
lists, so a million products load in minutes. The search timed is one call,
``SEARCH`` (or ``--search dotted.path``), so the catalogue's own search plugs in.
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


PRODUCTS_SQL = """
WITH c AS (SELECT id, name, row_number() OVER (ORDER BY id) AS rn FROM directory_company),
k AS (SELECT count(*) AS k FROM directory_company),
g AS (
  SELECT n, c.id AS company_id, c.name AS company_name, (n %% 10) < 6 AS fr
  FROM generate_series(%(first)s::bigint, %(last)s::bigint) n CROSS JOIN k JOIN c ON c.rn = (n * 7919) %% k.k + 1
), t AS (
  SELECT n, company_id, company_name, fr,
         CASE WHEN fr THEN nf[1 + n %% cardinality(nf)] || ' ' || qf[1 + (n / 7) %% cardinality(qf)]
              ELSE qe[1 + (n / 7) %% cardinality(qe)] || ' ' || lower(ne[1 + n %% cardinality(ne)]) END
           || ' ' || upper(substr(md5(n::text), 1, 2)) || (n %% 1000)::text AS title,
         CASE WHEN fr THEN df[1 + n %% cardinality(df)] || ' ' || df[1 + (n / 3) %% cardinality(df)]
              ELSE de[1 + n %% cardinality(de)] || ' ' || de[1 + (n / 3) %% cardinality(de)] END AS description
  FROM g, (SELECT {nf} AS nf, {qf} AS qf, {ne} AS ne, {qe} AS qe, {df} AS df, {de} AS de) words
)
INSERT INTO catalogue_product (company_id, kind, status, language, title, description, specifications, minimum_order,
                               lead_time, hs_code, countries_served, published_at, search_vector, created_at, updated_at)
SELECT company_id, 'product', CASE WHEN n %% 10 = 9 THEN 'draft' ELSE 'published' END, CASE WHEN fr THEN 'fr' ELSE 'en' END,
       title, description, '[]'::jsonb, '', '', '', '{{}}',
       CASE WHEN n %% 10 = 9 THEN NULL ELSE now() - (n %% 700) * interval '1 hour' END,
       public.comptoir_weighted_vector(public.comptoir_fold(title), public.comptoir_fold(company_name), public.comptoir_fold(description)),
       now(), now()
FROM t
"""

PRODUCT_INDEXES = {
    "product_search": "CREATE INDEX product_search ON catalogue_product USING gin (search_vector)",
    "product_countries_served": "CREATE INDEX product_countries_served ON catalogue_product USING gin (countries_served)",
}


def generate_products(count: int, *, batch: int = 100_000, progress: Callable[[str], None] = lambda _m: None) -> None:
    """``count`` products in batches; the search trigger is off and GIN indexes are built once at the end."""
    statement = PRODUCTS_SQL.format(nf=_sql_array(NOUNS_FR), qf=_sql_array(QUALIFIERS_FR), ne=_sql_array(NOUNS_EN),
                                    qe=_sql_array(QUALIFIERS_EN), df=_sql_array(DESCRIPTIONS_FR), de=_sql_array(DESCRIPTIONS_EN))
    with connection.cursor() as cursor:
        # Inside a transaction (tests), deferred foreign-key checks would forbid the ALTER TABLE below.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SELECT indexname FROM pg_indexes WHERE schemaname = current_schema() AND tablename = 'catalogue_product'")
        existing = {row[0] for row in cursor.fetchall()}
        trigram = "product_title_trigram" in existing
        for name in [*PRODUCT_INDEXES, "product_title_trigram"]:
            if name in existing:
                cursor.execute(f"DROP INDEX {name}")
        # The vector is computed in the INSERT; the triggers would compute it again per row.
        cursor.execute("ALTER TABLE catalogue_product DISABLE TRIGGER product_search_vector")
        cursor.execute("ALTER TABLE catalogue_product_verticals DISABLE TRIGGER product_verticals_search_vector")
        try:
            for first in range(1, count + 1, batch):
                last = min(first + batch - 1, count)
                cursor.execute(statement, {"first": first, "last": last})
                progress(f"  products {last:,}/{count:,}")
            cursor.execute("""INSERT INTO catalogue_product_verticals (product_id, vertical_id)
                              SELECT p.id, v.ids[1 + p.id %% cardinality(v.ids)] FROM catalogue_product p,
                              (SELECT array_agg(id ORDER BY id) AS ids FROM catalogue_vertical) v
                              WHERE NOT EXISTS (SELECT 1 FROM catalogue_product_verticals pv WHERE pv.product_id = p.id)""", ())
        finally:
            cursor.execute("ALTER TABLE catalogue_product ENABLE TRIGGER product_search_vector")
            cursor.execute("ALTER TABLE catalogue_product_verticals ENABLE TRIGGER product_verticals_search_vector")
        for name, create in PRODUCT_INDEXES.items():
            cursor.execute(create)
            progress(f"  index {name} built")
        if trigram:
            from tenant_apps.catalogue.search.sql import TRIGRAM_INDEX

            cursor.execute(TRIGRAM_INDEX)
            progress("  index product_title_trigram built")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")


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
i AS (
  SELECT n AS inquiry_id, now() - random() * %(days)s * interval '1 day' AS at, pr.id AS product_id, pr.company_id,
         b.lo + floor(random() * b.span)::bigint AS buyer_id, random() AS answered, (random() * 96 * 3600)::bigint AS delay,
         countries[1 + floor(cardinality(countries) * power(random(), 2))::int] AS country
  FROM generate_series(%(first)s, %(last)s) n CROSS JOIN p CROSS JOIN b
  JOIN catalogue_product pr ON pr.id = p.lo + floor(p.span * power(random(), 3))::bigint,
  (SELECT {countries} AS countries) c
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

def default_search(query: str) -> list[int]:
    """Published products matching ``query`` (accent-folded full text), best first, first page of 20.

    Ranks only the first 1,000 matches the index yields, so a word shared by a hundred
    thousand products costs no more than a rare one (ordering all matches by date first
    cost a second at a million products).
    """
    from tenant_apps.directory.search.selectors import text_query

    parsed = text_query(query)
    if parsed is None:
        return []
    # text_query's tsquery travels as a parameter; nothing typed is interpolated.
    tsquery, params = "%s::tsquery", [parsed]
    statement = (
        f"WITH q AS (SELECT {tsquery} AS q), "  # noqa: S608
        "matches AS (SELECT p.id, p.search_vector FROM catalogue_product p, q "
        "WHERE p.status = 'published' AND p.search_vector @@ q.q LIMIT 1000) "
        "SELECT m.id FROM matches m, q ORDER BY ts_rank_cd(m.search_vector, q.q) DESC, m.id LIMIT 20"
    )
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        return [row[0] for row in cursor.fetchall()]


SEARCH: Callable[[str], list] = default_search


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


def time_searches(search: Callable[[str], list], *, rounds: int, rng: random.Random) -> Timings:
    timings = Timings("catalogue search", 50)
    for word in SEARCH_WORDS[:5]:  # warm-up: plans and caches, untimed
        search(word)
    for _ in range(rounds):
        query = rng.choice(SEARCH_WORDS)
        started = time.perf_counter()
        search(query)
        timings.values.append((time.perf_counter() - started) * 1000)
    return timings


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
