"""Reads for the directory search: visible profiles, matches, facet counts.

The view, the API and the benchmark all go through :func:`search` and :func:`facet_counts`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from django.db import connection
from django.db.models import BooleanField, F, FloatField, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.utils import timezone

from tenant_apps.directory.models import Company, DirectorySettings, ExpertProfile
from tenant_apps.directory.search.folding import fold

SORTS = ("relevance", "newest", "name")
MAX_WORDS = 8
_WORD = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


@dataclass
class Criteria:
    """What a person asked for; every list holds already-validated values."""

    kind: str = "companies"  # or "experts"
    q: str = ""
    sort: str = "relevance"
    filters: dict[str, list] = field(default_factory=dict)

    def without(self, dimension: str) -> Criteria:
        others = {name: values for name, values in self.filters.items() if name != dimension}
        return Criteria(kind=self.kind, q=self.q, sort=self.sort, filters=others)


def directory_settings() -> DirectorySettings:
    settings, _ = DirectorySettings.objects.get_or_create(pk=1)
    return settings


@lru_cache(maxsize=8)
def _has_trigram(database_name: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
        return cursor.fetchone() is not None


def has_trigram() -> bool:
    """Typo tolerance needs pg_trgm; without it (embedded PostgreSQL) search is exact-word only."""
    return _has_trigram(connection.settings_dict["NAME"])


def _term(word: str, *, prefix: bool) -> tuple[str, list[str]]:
    simple = f"{word}:*" if prefix and len(word) >= 3 else word
    sql = "(to_tsquery('simple', %s) || to_tsquery('french', %s) || to_tsquery('english', %s))"
    return sql, [simple, word, word]


def text_query(q: str) -> tuple[str, list[str]] | None:
    """A tsquery expression (SQL and parameters) for ``q``: every word must match,
    in any of the simple, French or English forms; the last word also as a prefix.

    Words are reduced to ``[a-z0-9-]`` after folding, so nothing typed reaches the
    tsquery syntax; "agro-alimentaire" also matches "agroalimentaire".
    """
    words = _WORD.findall(fold(q))
    # One-letter words ("d'Abidjan", "l'export") say little and match everything as prefixes.
    words = ([word for word in words if len(word) > 1] or words)[:MAX_WORDS]
    if not words:
        return None
    parts, params = [], []
    for index, word in enumerate(words):
        last = index == len(words) - 1
        if "-" in word:
            pieces = [_term(piece, prefix=False) for piece in word.split("-")]
            joined_sql, joined_params = _term(word.replace("-", ""), prefix=last)
            sql = "((" + " && ".join(p[0] for p in pieces) + ") || " + joined_sql + ")"
            part_params = [value for p in pieces for value in p[1]] + joined_params
        else:
            sql, part_params = _term(word, prefix=last)
        parts.append(sql)
        params.extend(part_params)
    return "(" + " && ".join(parts) + ")", params


CONFIG = {
    "companies": {"model": Company, "name": "name", "table": '"directory_company"'},
    "experts": {"model": ExpertProfile, "name": "headline", "table": '"directory_expertprofile"'},
}


def visible(kind: str, *, is_member: bool) -> QuerySet:
    """Profiles a viewer may see: never hidden ones; 'members' ones only to members."""
    model = CONFIG[kind]["model"]
    shown = [Company.Visibility.PUBLIC, Company.Visibility.MEMBERS] if is_member else [Company.Visibility.PUBLIC]
    return model.objects.filter(visibility__in=shown)


def _country_list_matches(column: str, codes: list[str]) -> Q:
    # CountryField(multiple=True) stores "FR,SN"; codes come from the ISO list, never raw input.
    query = Q()
    for code in codes:
        query |= Q(**{f"{column}__regex": rf"(^|,){re.escape(code)}(,|$)"})
    return query


def _apply_filters(queryset: QuerySet, criteria: Criteria) -> QuerySet:
    filters = criteria.filters
    if criteria.kind == "companies":
        if filters.get("sector"):
            queryset = queryset.filter(sector_id__in=filters["sector"])
        if filters.get("country"):
            queryset = queryset.filter(country__in=filters["country"])
        if filters.get("export_stage"):
            queryset = queryset.filter(export_stage__in=filters["export_stage"])
        if filters.get("size"):
            queryset = queryset.filter(size__in=filters["size"])
        if filters.get("verified"):
            queryset = queryset.filter(verification_expires_at__gt=timezone.now())
        if filters.get("recommended"):
            queryset = queryset.filter(is_recommended=True)
        if filters.get("languages"):
            queryset = queryset.filter(languages__overlap=filters["languages"])
        if filters.get("tags"):
            queryset = queryset.filter(pk__in=Company.tags.through.objects.filter(tag_id__in=filters["tags"]).values("company_id"))
    else:
        if filters.get("expertise"):
            through = ExpertProfile.expertise.through
            queryset = queryset.filter(pk__in=through.objects.filter(tag_id__in=filters["expertise"]).values("expertprofile_id"))
        if filters.get("countries"):
            queryset = queryset.filter(_country_list_matches("countries", filters["countries"]))
        if filters.get("languages"):
            queryset = queryset.filter(languages__overlap=filters["languages"])
        if filters.get("availability"):
            queryset = queryset.filter(availability__in=filters["availability"])
        if filters.get("recommended"):
            queryset = queryset.filter(is_recommended=True)
    return queryset


def _matching(criteria: Criteria, *, is_member: bool) -> tuple[QuerySet, tuple[str, list] | None]:
    queryset = visible(criteria.kind, is_member=is_member)
    tsquery = text_query(criteria.q)
    if tsquery is not None:
        sql, params = tsquery
        table = CONFIG[criteria.kind]["table"]
        condition, condition_params = f"{table}.search_vector @@ {sql}", list(params)
        folded = fold(criteria.q).strip()[:200]
        if has_trigram() and len(folded) >= 3:
            # A union of two index scans: an OR in one WHERE makes PostgreSQL scan every row.
            condition = (
                f"{table}.id IN (SELECT candidate.id FROM {table} candidate WHERE candidate.search_vector @@ {sql}"  # noqa: S608
                f" UNION SELECT candidate.id FROM {table} candidate WHERE %s <%% candidate.search_name)"
            )
            condition_params.append(folded)
        # Only fixed SQL fragments are interpolated; everything typed travels as a parameter.
        queryset = queryset.filter(RawSQL(condition, condition_params, output_field=BooleanField()))  # noqa: S611
    return _apply_filters(queryset, criteria), tsquery


def search(criteria: Criteria, *, is_member: bool) -> QuerySet:
    """Visible profiles matching ``criteria``, sorted, ready to paginate."""
    queryset, tsquery = _matching(criteria, is_member=is_member)
    name = CONFIG[criteria.kind]["name"]
    queryset = queryset.select_related("sector" if criteria.kind == "companies" else "user")
    queryset = queryset.defer("search_vector")
    if criteria.sort == "newest":
        return queryset.order_by("-created_at", "-pk")
    if criteria.sort == "name" or tsquery is None:
        if criteria.sort == "relevance":
            return queryset.order_by("-is_recommended", name, "pk")
        return queryset.order_by(name, "pk")
    sql, params = tsquery
    table = CONFIG[criteria.kind]["table"]
    rank_sql, rank_params = f"ts_rank({table}.search_vector, {sql})", list(params)
    if has_trigram():
        rank_sql += f" + word_similarity(%s, {table}.search_name)"
        rank_params.append(fold(criteria.q).strip()[:200])
    queryset = queryset.annotate(relevance=RawSQL(rank_sql, rank_params, output_field=FloatField()))  # noqa: S611
    return queryset.order_by(F("relevance").desc(), "-is_recommended", "pk")


COMPANY_FACETS = {
    "sector": "SELECT 'sector', sector_id::text, count(*) FROM ({sub}) m WHERE sector_id IS NOT NULL GROUP BY 2",
    "country": "SELECT 'country', country::text, count(*) FROM ({sub}) m GROUP BY 2",
    "export_stage": "SELECT 'export_stage', export_stage::text, count(*) FROM ({sub}) m WHERE export_stage <> '' GROUP BY 2",
    "size": "SELECT 'size', size::text, count(*) FROM ({sub}) m WHERE size <> '' GROUP BY 2",
    "verified": "SELECT 'verified', 'on', count(*) FROM ({sub}) m WHERE verification_expires_at > now()",
    "recommended": "SELECT 'recommended', 'on', count(*) FROM ({sub}) m WHERE is_recommended",
    "languages": "SELECT 'languages', language::text, count(*) FROM ({sub}) m, unnest(m.languages) language GROUP BY 2",
    "tags": "SELECT 'tags', link.tag_id::text, count(*) FROM ({sub}) m "
    "JOIN directory_company_tags link ON link.company_id = m.id GROUP BY 2",
}
EXPERT_FACETS = {
    "expertise": "SELECT 'expertise', link.tag_id::text, count(*) FROM ({sub}) m "
    "JOIN directory_expertprofile_expertise link ON link.expertprofile_id = m.id GROUP BY 2",
    "countries": "SELECT 'countries', code::text, count(*) FROM ({sub}) m, "
    "unnest(string_to_array(nullif(m.countries, ''), ',')) code GROUP BY 2",
    "languages": "SELECT 'languages', language::text, count(*) FROM ({sub}) m, unnest(m.languages) language GROUP BY 2",
    "availability": "SELECT 'availability', availability::text, count(*) FROM ({sub}) m GROUP BY 2",
    "recommended": "SELECT 'recommended', 'on', count(*) FROM ({sub}) m WHERE is_recommended",
}
FACET_COLUMNS = {
    "companies": ["id", "sector_id", "country", "export_stage", "size", "verification_expires_at", "is_recommended", "languages"],
    "experts": ["id", "countries", "languages", "availability", "is_recommended"],
}


def facet_counts(criteria: Criteria, *, is_member: bool) -> dict[str, dict[str, int]]:
    """For every facet, how many visible profiles match each value, given the text query
    and every *other* active filter. One query, whatever the number of facets."""
    facets = COMPANY_FACETS if criteria.kind == "companies" else EXPERT_FACETS
    parts, params = [], []
    for dimension, template in facets.items():
        queryset, _ = _matching(criteria.without(dimension), is_member=is_member)
        sub_sql, sub_params = queryset.order_by().values(*FACET_COLUMNS[criteria.kind]).query.sql_with_params()
        parts.append("(" + template.format(sub=sub_sql) + ")")
        params.extend(sub_params)
    counts: dict[str, dict[str, int]] = {dimension: {} for dimension in facets}
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), params)
        for dimension, value, count in cursor.fetchall():
            if count:
                counts[dimension][value] = count
    return counts
