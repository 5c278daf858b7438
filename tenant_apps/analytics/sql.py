"""The roll-up statements. Each runs in the current schema and is idempotent for its input."""

# One day's events, counted once per scope (see DailyStat.Scope). ``e`` is read once.
ROLLUP_DAY = """
WITH e AS MATERIALIZED (
  SELECT company_id, product_id, kind, country, NULLIF(visitor, '') AS visitor,
         kind IN ('company_view', 'product_view') AS is_view,
         company_id IN (SELECT company_id FROM catalogue_supportedcompany) AS is_supported
  FROM analytics_event
  WHERE occurred_at >= %(start)s AND occurred_at < %(end)s
)
INSERT INTO analytics_dailystat (day, scope, company_id, product_id, kind, country, events, visitors)
SELECT %(day)s, 0, company_id, product_id, kind, country, count(*), count(DISTINCT visitor)
  FROM e GROUP BY company_id, product_id, kind, country
UNION ALL
SELECT %(day)s, 1, company_id, NULL, 'views', country, count(*), count(DISTINCT visitor)
  FROM e WHERE is_view AND company_id IS NOT NULL GROUP BY company_id, country
UNION ALL
SELECT %(day)s, 2, NULL, NULL, 'views', country, count(*), count(DISTINCT visitor)
  FROM e WHERE is_view AND is_supported GROUP BY country
UNION ALL
SELECT %(day)s, 3, company_id, NULL, kind, '', count(*), count(DISTINCT visitor)
  FROM e WHERE company_id IS NOT NULL GROUP BY company_id, kind
UNION ALL
SELECT %(day)s, 4, NULL, NULL, kind, '', count(*), count(DISTINCT visitor)
  FROM e WHERE is_supported GROUP BY kind
UNION ALL
SELECT %(day)s, 5, company_id, product_id, kind, '', count(*), count(DISTINCT visitor)
  FROM e WHERE kind = 'product_view' AND product_id IS NOT NULL GROUP BY company_id, product_id, kind
UNION ALL
SELECT %(day)s, 6, company_id, NULL, 'views', '', count(*), count(DISTINCT visitor)
  FROM e WHERE is_view AND company_id IS NOT NULL GROUP BY company_id
UNION ALL
SELECT %(day)s, 7, company_id, product_id, 'product_view', '', n, v FROM (
  SELECT company_id, product_id, count(*) AS n, count(DISTINCT visitor) AS v,
         row_number() OVER (ORDER BY count(*) DESC, product_id) AS position
  FROM e WHERE kind = 'product_view' AND product_id IS NOT NULL AND is_supported GROUP BY company_id, product_id
) ranked WHERE position <= %(top)s
"""

# A month's page views per company, summed from its days: the engagement table reads
# whole months here and only the days at either end of its period.
ROLLUP_MONTH = """
INSERT INTO analytics_dailystat (day, scope, company_id, product_id, kind, country, events, visitors)
SELECT %(month)s, 8, company_id, NULL, 'views', '', sum(events), sum(visitors)
FROM analytics_dailystat WHERE scope = 6 AND day >= %(month)s AND day < %(next_month)s GROUP BY company_id
"""

# Published products per supported company, as they are now (scope 9, under today's date).
PRODUCTS_ONLINE = """
INSERT INTO analytics_dailystat (day, scope, company_id, product_id, kind, country, events, visitors)
SELECT %(day)s, 9, p.company_id, NULL, 'products_online', '', count(*), 0
FROM catalogue_product p JOIN catalogue_supportedcompany s ON s.company_id = p.company_id
WHERE p.status = 'published' GROUP BY p.company_id
"""

# Inquiry facts rebuilt from every event of the inquiries named by ``ids``: the first
# INQUIRY event opens it; the first QUOTE, or MESSAGE from the company (metadata
# "side": "company", or by anyone but the buyer who asked), answers it; the last
# STATUS_CHANGE "to" gives its status. An answer's ``value`` (seconds), when the
# inquiries module sends one, wins over the time between the two events.
REFRESH_INQUIRIES = """
WITH ev AS MATERIALIZED (
  SELECT id, kind, occurred_at, inquiry_id, company_id, product_id, user_id, country, value, metadata
  FROM analytics_event WHERE inquiry_id = ANY(%(ids)s)
), opened AS (
  SELECT DISTINCT ON (inquiry_id) inquiry_id, company_id, product_id, country, occurred_at AS received_at,
         user_id AS buyer_id
  FROM ev WHERE kind = 'inquiry' ORDER BY inquiry_id, occurred_at, id
), answered AS (
  SELECT DISTINCT ON (ev.inquiry_id) ev.inquiry_id, ev.occurred_at, ev.value
  FROM ev JOIN opened o ON o.inquiry_id = ev.inquiry_id
  WHERE ev.occurred_at >= o.received_at AND (
    ev.kind = 'quote' OR (ev.kind = 'message' AND (
      ev.metadata ->> 'side' = 'company'
      OR (coalesce(ev.metadata ->> 'side', '') = '' AND ev.user_id IS DISTINCT FROM o.buyer_id))))
  ORDER BY ev.inquiry_id, ev.occurred_at, ev.id
), latest_status AS (
  SELECT DISTINCT ON (inquiry_id) inquiry_id, metadata ->> 'to' AS status
  FROM ev WHERE kind = 'status_change' AND metadata ->> 'to' = ANY(%(statuses)s)
  ORDER BY inquiry_id, occurred_at DESC, id DESC
)
INSERT INTO analytics_inquiryfact (inquiry_id, company_id, product_id, country, received_at, status,
                                   first_response_at, response_seconds, updated_at)
SELECT o.inquiry_id, o.company_id, o.product_id, o.country, o.received_at,
       coalesce(s.status, CASE WHEN a.inquiry_id IS NULL THEN 'new' ELSE 'answered' END),
       a.occurred_at,
       CASE WHEN a.inquiry_id IS NULL THEN NULL
            ELSE greatest(0, coalesce(a.value, extract(epoch FROM a.occurred_at - o.received_at)::bigint)) END,
       now()
FROM opened o
LEFT JOIN answered a ON a.inquiry_id = o.inquiry_id
LEFT JOIN latest_status s ON s.inquiry_id = o.inquiry_id
ON CONFLICT (inquiry_id) DO UPDATE SET
  company_id = EXCLUDED.company_id, product_id = EXCLUDED.product_id, country = EXCLUDED.country,
  received_at = EXCLUDED.received_at, status = EXCLUDED.status, first_response_at = EXCLUDED.first_response_at,
  response_seconds = EXCLUDED.response_seconds, updated_at = EXCLUDED.updated_at
"""

INQUIRIES_TOUCHED = """
SELECT DISTINCT inquiry_id FROM analytics_event
WHERE inquiry_id IS NOT NULL AND occurred_at >= %(since)s AND occurred_at < %(until)s
"""

ALL_INQUIRIES = "SELECT DISTINCT inquiry_id FROM analytics_event WHERE inquiry_id IS NOT NULL"

# Serialises roll-ups of one schema (beat, a command and a benchmark may overlap).
LOCK = "SELECT pg_advisory_xact_lock(hashtext(current_schema() || ':analytics-rollup'))"
