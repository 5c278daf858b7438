"""Reads for the catalogue search: listed products matching a query, and facet counts.

The design is the directory's (tenant_apps.directory.search.selectors), on the product
table: the words in their simple, French or English forms, accents folded, the last word
as a prefix, similar titles when the words find nothing (pg_trgm); only the best
RESULT_LIMIT matches are ranked and listed, titles first; every facet is counted in one
statement over the matches, from columns of the product row (the trigger in sql.py
copies the links there), and remembered until a product changes (signals.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import partial

from django.core.cache import cache
from django.db import connection, transaction

from tenant_apps.catalogue.models import Product
from tenant_apps.catalogue.selectors import for_cards, listed_products
from tenant_apps.directory.models import Company
from tenant_apps.directory.search import selectors as text
from tenant_apps.directory.search.results import RankedResults, Results, SortedResults

# A search lists its best RESULT_LIMIT products at most; facets still count every match.
RESULT_LIMIT = 1000
FACETS_CACHE_SECONDS = 60
_VERSION_KEY = "catalogue:search-version"
# The whole catalogue's counts (no words, no filter), kept across changes: see overview_counts().
_OVERVIEW_KEY = "catalogue:overview-counts"
_OVERVIEW_COUNTING_KEY = "catalogue:overview-counting"
OVERVIEW_SECONDS = 24 * 3600

PRODUCTS = text.Searchable(
    model=Product,
    table="catalogue_product",
    name="title",
    filters={
        "vertical": "p.vertical_ids && %s::bigint[]",
        "certification": "p.certification_ids && %s::bigint[]",
        "country": "p.countries_served && %s::varchar[]",
        "kind": "p.kind = ANY(%s::text[])",
    },
    facets={
        "vertical": text.Facet("p.vertical_ids", shape="array"),
        "kind": text.Facet("p.kind"),
        "country": text.Facet("p.countries_served", shape="array"),
        "certification": text.Facet("p.certification_ids", shape="array"),
    },
)
# Literal values (never input), so the planner matches the partial indexes on published products.
LISTED = (
    f"p.status = '{Product.Status.PUBLISHED}' AND p.company_id NOT IN"  # noqa: S608
    f" (SELECT c.id FROM directory_company c WHERE c.visibility = '{Company.Visibility.HIDDEN}')"
)
# Each filter's values as lexemes of the product vectors (sql.FILTER_LEXEMES_FUNCTION).
FILTER_LEXEMES = {"kind": "k:{}", "vertical": "v:{}", "certification": "c:{}", "country": "n:{}"}
ORDERS = {"newest": "p.published_at DESC, p.id DESC", "title": "p.title, p.id"}


@dataclass
class Criteria:
    """What a buyer asked for; every list holds already-validated values."""

    q: str = ""
    sort: str = "relevance"
    filters: dict[str, list] = field(default_factory=dict)


def _apply_filters(queryset, criteria: Criteria):
    """``criteria``'s filters on a queryset of products (the sponsored products' check)."""
    filters = criteria.filters
    if filters.get("vertical"):
        queryset = queryset.filter(vertical_ids__overlap=filters["vertical"])
    if filters.get("certification"):
        queryset = queryset.filter(certification_ids__overlap=filters["certification"])
    if filters.get("country"):
        queryset = queryset.filter(countries_served__overlap=filters["country"])
    if filters.get("kind"):
        queryset = queryset.filter(kind__in=filters["kind"])
    return queryset


def _filter_query(filters: dict[str, list]) -> str:
    """The active filters as a tsquery: any value of each filter, every filter."""
    parts = []
    for name, template in FILTER_LEXEMES.items():
        values = filters.get(name)
        if values:
            # Validated values (ids, country codes, kinds), quoted all the same.
            lexemes = " | ".join(text.quoted_lexeme(template.format(str(value).lower())) for value in values)
            parts.append(f"({lexemes})")
    return " & ".join(parts)


def _with_filters(match: text.Match, filters: dict[str, list]) -> text.Match:
    """``match`` asking the text index for the filters too (the SQL tests still apply)."""
    wanted = _filter_query(filters)
    if match.is_similar_names or not wanted:
        return match
    titles = None if match.title_params is None else [f"({match.title_params[0]}) & {wanted}"]
    return replace(match, params=[f"({match.params[0]}) & {wanted}"], title_params=titles)


def search(criteria: Criteria, *, languages: list[str]) -> Results:
    """Listed products matching ``criteria``, sorted, RESULT_LIMIT at most, loaded for cards a
    page at a time: one query for the ids in order (words in date or title order: a count,
    then a query per page), and again with similar titles when the words find nothing.

    Relevance with words ranks every match when there are RESULT_LIMIT or fewer; beyond,
    it ranks the products whose title matches first, then other matches, so a broad word
    never makes PostgreSQL read and rank a hundred thousand rows.
    """
    load = partial(products_by_ids, languages=languages)
    matches = text.text_matches(criteria.q)
    if not matches:
        return _run_search(criteria, None, load)
    for index, match in enumerate(matches):
        results = _run_search(criteria, match, load)
        if len(results) or not text.try_similar(PRODUCTS.table, LISTED, criteria.filters, matches, index):
            break
    return results


def _run_search(criteria: Criteria, match: text.Match | None, load) -> Results:
    conditions = [(LISTED, []), *text.filter_tests(PRODUCTS, criteria.filters).values()]
    if match is not None:
        match = _with_filters(match, criteria.filters)
    if match is not None and criteria.sort not in ORDERS:
        ids = text.ranked_ids(PRODUCTS.table, conditions, match, tiebreak="p.published_at DESC, p.id", limit=RESULT_LIMIT)
        return RankedResults(ids, load=load, limit=RESULT_LIMIT, is_similar_names=match.is_similar_names)
    count_where = None
    if match is not None:
        conditions.append((match.condition, match.params))
    elif wanted := _filter_query(criteria.filters):
        # Filters alone: counted through the text index's filter lexemes (a few thousand
        # rows), while the page walks the date or title index and stops after one page.
        count_where = text.where_sql(*conditions, ("p.search_vector @@ %s::tsquery", [wanted]))
    where, params = text.where_sql(*conditions)
    # Without words, "relevance" is the newest first.
    order = ORDERS.get(criteria.sort, ORDERS["newest"])
    return SortedResults(PRODUCTS.table, where, params, order, load=load, limit=RESULT_LIMIT,
                         is_similar_names=bool(match and match.is_similar_names), count_where=count_where)


def search_changed() -> None:
    """Forget the current programme's remembered facet counts (its products changed)."""
    text.forget(_VERSION_KEY)


def facet_counts(criteria: Criteria, *, use_cache: bool = True) -> text.FacetCounts:
    """For every facet, how many listed products match each value, given the words and
    every *other* active filter; and ``total``, how many match everything. One query.

    When the words find nothing, counts are those of the similar titles, as in :func:`search`.
    Remembered for FACETS_CACHE_SECONDS unless the programme's products change.
    """
    def compute() -> text.FacetCounts:
        return text.first_counts(PRODUCTS, LISTED, criteria.filters, text.text_matches(criteria.q))

    if not use_cache:
        return compute()
    return text.remembered(_VERSION_KEY, text.search_key(criteria.q, criteria.filters), compute,
                           seconds=FACETS_CACHE_SECONDS)


def page_counts(criteria: Criteria, results: Results, *, wait: bool) -> text.FacetCounts | None:
    """The facet counts a search page shows with ``results``; None: fetch them afterwards.

    Counts read every match of the words, filters aside (each facet's counts leave its own
    filter out), which can take far longer than the search: a page waits for them only
    when that is few rows (no filter, all matches listed), when asked to (``wait``: without
    JavaScript) or when they are at hand (remembered, or the whole catalogue's).
    """
    if results.is_truncated and is_overview(criteria):
        return overview_counts()
    few = not results.is_truncated and not any(criteria.filters.values())
    if few or wait:
        return facet_counts(criteria)
    return remembered_counts(criteria)


def is_overview(criteria: Criteria) -> bool:
    """No words and no filter: the search page everyone lands on."""
    return not criteria.q.strip() and not any(criteria.filters.values())


def overview_counts() -> text.FacetCounts:
    """Every facet count of the whole catalogue, at once even just after a product changed.

    For catalogues listing more than RESULT_LIMIT products, where counting everything
    takes up to a second: the last counts are kept with the version they were made at;
    when a change has made them stale, they are still shown while a Celery task counts
    again (one at a time), so they lag a change by the time of one count. Counted on the
    spot the first time, and inside a transaction.
    """
    if not text._may_cache():
        return _count_overview()
    kept = cache.get(_OVERVIEW_KEY)
    if kept is None:
        return store_overview_counts()
    version, counts = kept
    if version != text.current_version(_VERSION_KEY) and cache.add(_OVERVIEW_COUNTING_KEY, 1, 120):
        from tenant_apps.catalogue.tasks import refresh_overview_counts

        schema_name = connection.schema_name
        transaction.on_commit(lambda: refresh_overview_counts.apply_async(
            args=[schema_name], headers={"_schema_name": schema_name}))
    return counts


def store_overview_counts() -> text.FacetCounts:
    """Count the whole catalogue now and keep it (the version is read first: a change
    made while counting leaves the counts stale, to be counted again)."""
    version = text.current_version(_VERSION_KEY)
    counts = _count_overview()
    cache.set(_OVERVIEW_KEY, (version, counts), OVERVIEW_SECONDS)
    cache.delete(_OVERVIEW_COUNTING_KEY)
    return counts


def _count_overview() -> text.FacetCounts:
    return text.count_facets(PRODUCTS, LISTED, {}, None)


def remembered_counts(criteria: Criteria) -> text.FacetCounts | None:
    """The facet counts remembered for ``criteria``, or None: nothing is counted."""
    return text.recall(_VERSION_KEY, text.search_key(criteria.q, criteria.filters))


SPONSORED_LIMIT = 3


def sponsored_ids(criteria: Criteria, organic: Results, *, first_page_size: int,
                  limit: int = SPONSORED_LIMIT) -> list[int]:
    """The products lifted to the top of ``criteria``'s first page, best first (promotion's rules).

    Only a text search lifts products, and only those the page's other filters allow. The
    same ids come out for every page of a search, so later pages can leave them out.
    Queries: one without sponsored keywords for the text, three with.
    """
    from tenant_apps.promotion import selectors as promotion_selectors
    from tenant_apps.promotion.sponsored import merge_sponsored

    if not criteria.q.strip():
        return []
    boosts = promotion_selectors.sponsored_boosts(criteria.q)
    if not boosts:
        return []
    allowed = set(_apply_filters(listed_products(), criteria).filter(pk__in=list(boosts)).values_list("pk", flat=True))
    if not allowed:
        return []
    ranked = merge_sponsored(organic.ids(first_page_size), boosts, limit=limit, allowed_ids=allowed)
    return [item.product_id for item in ranked if item.is_sponsored]


def products_by_ids(ids: list[int], *, languages: list[str]) -> list[Product]:
    """Listed products with these ids, ready for cards, in the order given."""
    if not ids:
        return []
    found = {product.pk: product for product in for_cards(listed_products().filter(pk__in=ids), languages)}
    return [found[pk] for pk in ids if pk in found]

