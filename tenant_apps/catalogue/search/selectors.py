"""Reads for the catalogue search: listed products matching a query, and facet counts.

The text matching is the directory's (tenant_apps.directory.search.selectors): every word
in its simple, French or English form, accents folded, the last word as a prefix, and
typo tolerance on titles when pg_trgm is installed.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import connection
from django.db.models import BooleanField, F, FloatField, QuerySet
from django.db.models.expressions import RawSQL

from tenant_apps.catalogue.models import Product
from tenant_apps.catalogue.selectors import for_cards, listed_products
from tenant_apps.directory.search.folding import fold
from tenant_apps.directory.search.selectors import has_trigram, text_query

SORTS = ("relevance", "newest", "title")
TABLE = '"catalogue_product"'


@dataclass
class Criteria:
    """What a buyer asked for; every list holds already-validated values."""

    q: str = ""
    sort: str = "relevance"
    filters: dict[str, list] = field(default_factory=dict)

    def without(self, dimension: str) -> Criteria:
        others = {name: values for name, values in self.filters.items() if name != dimension}
        return Criteria(q=self.q, sort=self.sort, filters=others)


def _apply_filters(queryset: QuerySet, criteria: Criteria) -> QuerySet:
    filters = criteria.filters
    if filters.get("vertical"):
        through = Product.verticals.through
        queryset = queryset.filter(pk__in=through.objects.filter(vertical_id__in=filters["vertical"]).values("product_id"))
    if filters.get("certification"):
        through = Product.certifications.through
        queryset = queryset.filter(
            pk__in=through.objects.filter(certification_id__in=filters["certification"]).values("product_id")
        )
    if filters.get("country"):
        queryset = queryset.filter(countries_served__overlap=filters["country"])
    if filters.get("kind"):
        queryset = queryset.filter(kind__in=filters["kind"])
    return queryset


def _text_query(q: str) -> tuple[str, list] | None:
    """The directory's tsquery for ``q`` as SQL and parameters (the words travel as one parameter)."""
    query = text_query(q)
    return None if query is None else ("%s::tsquery", [query])


def _matching(criteria: Criteria) -> tuple[QuerySet, tuple[str, list] | None]:
    queryset = listed_products()
    tsquery = _text_query(criteria.q)
    if tsquery is not None:
        sql, params = tsquery
        condition, condition_params = f"{TABLE}.search_vector @@ {sql}", list(params)
        folded = fold(criteria.q).strip()[:200]
        if has_trigram() and len(folded) >= 3:
            # A union of two index scans: an OR in one WHERE makes PostgreSQL scan every row.
            condition = (
                f"{TABLE}.id IN (SELECT candidate.id FROM {TABLE} candidate WHERE candidate.search_vector @@ {sql}"  # noqa: S608
                f" UNION SELECT candidate.id FROM {TABLE} candidate WHERE %s <%% candidate.search_name)"
            )
            condition_params.append(folded)
        # Only fixed SQL fragments are interpolated; everything typed travels as a parameter.
        queryset = queryset.filter(RawSQL(condition, condition_params, output_field=BooleanField()))  # noqa: S611
    return _apply_filters(queryset, criteria), tsquery


def search(criteria: Criteria, *, languages: list[str]) -> QuerySet:
    """Listed products matching ``criteria``, sorted, ready for cards and pagination."""
    queryset, tsquery = _matching(criteria)
    queryset = for_cards(queryset, languages)
    if criteria.sort == "newest" or (criteria.sort == "relevance" and tsquery is None):
        return queryset.order_by(F("published_at").desc(nulls_last=True), "-pk")
    if criteria.sort == "title":
        return queryset.order_by("title", "pk")
    sql, params = tsquery
    rank_sql, rank_params = f"ts_rank({TABLE}.search_vector, {sql})", list(params)
    if has_trigram():
        rank_sql += f" + word_similarity(%s, {TABLE}.search_name)"
        rank_params.append(fold(criteria.q).strip()[:200])
    queryset = queryset.annotate(relevance=RawSQL(rank_sql, rank_params, output_field=FloatField()))  # noqa: S611
    return queryset.order_by(F("relevance").desc(), F("published_at").desc(nulls_last=True), "pk")


FACETS = {
    "vertical": "SELECT 'vertical', link.vertical_id::text, count(*) FROM ({sub}) m "
    "JOIN catalogue_product_verticals link ON link.product_id = m.id GROUP BY 2",
    "certification": "SELECT 'certification', link.certification_id::text, count(*) FROM ({sub}) m "
    "JOIN catalogue_product_certifications link ON link.product_id = m.id GROUP BY 2",
    "country": "SELECT 'country', code::text, count(*) FROM ({sub}) m, unnest(m.countries_served) code GROUP BY 2",
    "kind": "SELECT 'kind', kind::text, count(*) FROM ({sub}) m GROUP BY 2",
}
FACET_COLUMNS = ["id", "countries_served", "kind"]


def facet_counts(criteria: Criteria) -> dict[str, dict[str, int]]:
    """For every facet, how many listed products match each value, given the text query
    and every *other* active filter. One query, whatever the number of facets."""
    parts, params = [], []
    for dimension, template in FACETS.items():
        queryset, _tsquery = _matching(criteria.without(dimension))
        sub_sql, sub_params = queryset.order_by().values(*FACET_COLUMNS).query.sql_with_params()
        parts.append("(" + template.format(sub=sub_sql) + ")")
        params.extend(sub_params)
    counts: dict[str, dict[str, int]] = {dimension: {} for dimension in FACETS}
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), params)
        for dimension, value, count in cursor.fetchall():
            if count:
                counts[dimension][value] = count
    return counts
