"""Reads for the directory search: visible profiles, ranked matches, facet counts.

The view, the API and the benchmark all go through :func:`search` and :func:`facet_counts`.
Both are raw SQL built here from fixed fragments; everything typed travels as a parameter.
"""

from __future__ import annotations

import hashlib
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache, partial

from django.core.cache import cache
from django.db import connection

from tenant_apps.directory.models import Company, DirectorySettings, ExpertProfile
from tenant_apps.directory.search.folding import fold
from tenant_apps.directory.search.results import RankedResults, Results, SortedResults

SORTS = ("relevance", "newest", "name")
MAX_WORDS = 8
# A search lists its best RESULT_LIMIT profiles at most; facets still count every match.
RESULT_LIMIT = 1000
# Facet counts are remembered this long per programme and search, and forgotten as soon as
# a profile, tag or sector changes (signals.py); the delay only bounds what time changes
# by itself (a verification that expires).
FACETS_CACHE_SECONDS = 60
_VERSION_KEY = "directory:search-version"
_WORD = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


@dataclass
class Criteria:
    """What a person asked for; every list holds already-validated values."""

    kind: str = "companies"  # or "experts"
    q: str = ""
    sort: str = "relevance"
    filters: dict[str, list] = field(default_factory=dict)


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


@lru_cache(maxsize=2048)
def _forms(words: tuple[str, ...]) -> tuple[frozenset[str], ...]:
    """Each word's lexemes in the simple, French and English configurations (one query,
    remembered: stemming depends on the words only)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tsvector_to_array(to_tsvector('simple', w)) || tsvector_to_array(to_tsvector('french', w))"
            " || tsvector_to_array(to_tsvector('english', w)) FROM unnest(%s::text[]) WITH ORDINALITY AS t(w, n) ORDER BY n",
            [list(words)],
        )
        return tuple(frozenset(row[0]) for row in cursor.fetchall())


def quoted_lexeme(lexeme: str) -> str:
    """``lexeme`` quoted for a tsquery string."""
    return "'" + lexeme.replace("\\", "\\\\").replace("'", "''") + "'"


def _alternatives(word: str, forms: frozenset[str], *, prefix: bool) -> str:
    """``word`` in any of its forms, each lexeme once: a repeated lexeme would make the
    planner count it several times and expect far more matches than there are."""
    prefix = prefix and len(word) >= 3
    terms = [f"{quoted_lexeme(word)}:*"] if prefix else []
    terms += [quoted_lexeme(lexeme) for lexeme in sorted(forms) if not (prefix and lexeme.startswith(word))]
    return "(" + " | ".join(terms) + ")"


def _words(q: str) -> list[str]:
    """The words searched for: folded, reduced to ``[a-z0-9-]``, at most MAX_WORDS."""
    words = _WORD.findall(fold(q))
    # One-letter words ("d'Abidjan", "l'export") say little and match everything as prefixes.
    return ([word for word in words if len(word) > 1] or words)[:MAX_WORDS]


def text_query(q: str, *, prefix: bool = True) -> str | None:
    """A tsquery for ``q``: every word must match, in any of its simple, French or English
    forms; the last word also as a prefix (unless ``prefix`` is false). Passed as a
    parameter (``%s::tsquery``).

    Words are reduced to ``[a-z0-9-]`` after folding, so nothing typed reaches the
    tsquery syntax; "agro-alimentaire" also matches "agroalimentaire".
    """
    words = _words(q)
    if not words:
        return None
    wanted = tuple(dict.fromkeys([*words, *(piece for word in words for piece in word.split("-")),
                                  *(word.replace("-", "") for word in words)]))
    forms = dict(zip(wanted, _forms(wanted), strict=True))
    parts = []
    for index, word in enumerate(words):
        last = prefix and index == len(words) - 1
        if "-" in word:
            pieces = " & ".join(_alternatives(piece, forms[piece], prefix=False) for piece in word.split("-"))
            joined = word.replace("-", "")
            parts.append(f"(({pieces}) | {_alternatives(joined, forms[joined], prefix=last)})")
        else:
            parts.append(_alternatives(word, forms[word], prefix=last))
    return " & ".join(parts)


@dataclass(frozen=True)
class Facet:
    """How one facet reads a row: a column, a flag, an array, a list in a string or a link table."""

    value: str = ""  # SQL for the value grouped on (alias p)
    shape: str = "column"  # column | flag | array | csv | link
    link: tuple[str, str] = ("", "")  # link table and its column naming the profile
    skip_empty: bool = False


@dataclass(frozen=True)
class Searchable:
    model: type
    table: str
    name: str  # sorts by name
    filters: dict[str, str]  # dimension -> SQL test on alias p, one parameter at most
    facets: dict[str, Facet]


KINDS = {
    "companies": Searchable(
        model=Company,
        table="directory_company",
        name="name",
        filters={
            "sector": "p.sector_id = ANY(%s::bigint[])",
            "country": "p.country = ANY(%s::text[])",
            "export_stage": "p.export_stage = ANY(%s::text[])",
            "size": "p.size = ANY(%s::text[])",
            "verified": "p.verification_expires_at > now()",
            "recommended": "p.is_recommended",
            "languages": "p.languages && %s::varchar[]",
            "tags": "p.id IN (SELECT company_id FROM directory_company_tags WHERE tag_id = ANY(%s::bigint[]))",
        },
        facets={
            "sector": Facet("p.sector_id"),
            "country": Facet("p.country"),
            "export_stage": Facet("p.export_stage", skip_empty=True),
            "size": Facet("p.size", skip_empty=True),
            "verified": Facet("p.verification_expires_at > now()", shape="flag"),
            "recommended": Facet("p.is_recommended", shape="flag"),
            "languages": Facet("p.languages", shape="array"),
            "tags": Facet(shape="link", link=("directory_company_tags", "company_id")),
        },
    ),
    "experts": Searchable(
        model=ExpertProfile,
        table="directory_expertprofile",
        name="headline",
        filters={
            "expertise": "p.id IN (SELECT expertprofile_id FROM directory_expertprofile_expertise"
            " WHERE tag_id = ANY(%s::bigint[]))",
            # CountryField(multiple=True) stores "FR,SN".
            "countries": "string_to_array(p.countries, ',') && %s::text[]",
            "languages": "p.languages && %s::varchar[]",
            "availability": "p.availability = ANY(%s::text[])",
            "recommended": "p.is_recommended",
        },
        facets={
            "expertise": Facet(shape="link", link=("directory_expertprofile_expertise", "expertprofile_id")),
            "countries": Facet("p.countries", shape="csv", skip_empty=True),
            "languages": Facet("p.languages", shape="array"),
            "availability": Facet("p.availability"),
            "recommended": Facet("p.is_recommended", shape="flag"),
        },
    ),
}


def _listed(is_member: bool) -> str:
    """Profiles a viewer may see: never hidden ones; 'members' ones only to members.

    Literal values (never input), so the planner matches the partial indexes on listed profiles.
    """
    if is_member:
        return f"p.visibility IN ('{Company.Visibility.PUBLIC}', '{Company.Visibility.MEMBERS}')"
    return f"p.visibility = '{Company.Visibility.PUBLIC}'"


def filter_tests(searchable: Searchable, filters: dict[str, list]) -> dict[str, tuple[str, list]]:
    """The SQL test of each active filter, with its parameters."""
    tests = {}
    for dimension, sql in searchable.filters.items():
        values = filters.get(dimension)
        if values:
            tests[dimension] = (sql, [list(values)] if "%s" in sql else [])
    return tests


@dataclass(frozen=True)
class Match:
    """One way for a query's words to select and rank rows (SQL on alias p, whose table has
    ``search_vector``, ``search_title`` and ``search_name`` columns)."""

    condition: str
    params: list
    rank: str
    rank_params: list
    title_condition: str = ""  # the words, without a prefix, on the names only
    title_params: list | None = None
    is_similar_names: bool = False


def text_matches(q: str) -> list[Match]:
    """The ways to match the words, tried in order until one finds something: the words
    themselves, then names similar to what was typed (typo tolerance, pg_trgm only).

    Similar names are looked for only when the words find nothing: the trigram index
    answers every common trigram, so asking it for every search would cost most searches
    a scan of thousands of rows.
    """
    query = text_query(q)
    if query is None:
        return []
    tsquery, params = "%s::tsquery", [query]
    folded = fold(q).strip()[:200]
    rank, rank_params = f"ts_rank(p.search_vector, {tsquery})", list(params)
    # Names first means names with the words as typed: a prefix scan of the names' index
    # costs several times an exact one, and partial words still match in any field.
    titles = {"title_condition": f"p.search_title @@ {tsquery}", "title_params": [text_query(q, prefix=False)]}
    if not (has_trigram() and len(folded) >= 3):
        return [Match(f"p.search_vector @@ {tsquery}", params, rank, rank_params, **titles)]
    return [
        Match(
            f"p.search_vector @@ {tsquery}", params,
            f"{rank} + word_similarity(%s, p.search_name)", [*rank_params, folded], **titles,
        ),
        Match("%s <%% p.search_name", [folded], "word_similarity(%s, p.search_name)", [folded], is_similar_names=True),
    ]


def where_sql(*parts: tuple[str, list]) -> tuple[str, list]:
    sql = " AND ".join(f"({part})" for part, _ in parts if part)
    return sql or "TRUE", [value for _, params in parts for value in params]


def _profiles(kind: str, ids: list[int]) -> list:
    """The profiles with these ids, in this order, in one query."""
    if not ids:
        return []
    model = KINDS[kind].model
    related = "sector" if kind == "companies" else "user"
    rows = model.objects.filter(pk__in=ids).select_related(related).defer("search_vector", "search_title")
    by_id = {row.pk: row for row in rows}
    return [by_id[pk] for pk in ids if pk in by_id]


def search(criteria: Criteria, *, is_member: bool) -> Results:
    """Visible profiles matching ``criteria``, sorted, RESULT_LIMIT at most: one query for
    the ids in order (words in date or name order: a count, then a query per page), and
    again with similar names when the words find nothing.

    Relevance with words ranks every match when there are RESULT_LIMIT or fewer; beyond,
    it ranks the profiles whose name matches first, then other matches, so a broad word
    never makes PostgreSQL read and rank tens of thousands of rows.
    """
    matches = text_matches(criteria.q)
    if not matches:
        return _run_search(criteria, is_member, None)
    for index, match in enumerate(matches):
        results = _run_search(criteria, is_member, match)
        if len(results) or not try_similar(KINDS[criteria.kind].table, _listed(is_member), criteria.filters, matches, index):
            break
    return results


def _run_search(criteria: Criteria, is_member: bool, match: Match | None) -> Results:
    kind = KINDS[criteria.kind]
    listed = (_listed(is_member), [])
    filters = list(filter_tests(kind, criteria.filters).values())
    limit = RESULT_LIMIT + 1
    if match is None:
        order = {
            "newest": "p.created_at DESC, p.id DESC",
            "name": f"p.{kind.name}, p.id",
        }.get(criteria.sort, f"p.is_recommended DESC, p.{kind.name}, p.id")
        where, params = where_sql(listed, *filters)
        sql = f"SELECT p.id FROM {kind.table} p WHERE {where} ORDER BY {order} LIMIT {limit}"  # noqa: S608
    elif criteria.sort in ("newest", "name"):
        order = "p.created_at DESC, p.id DESC" if criteria.sort == "newest" else f"p.{kind.name}, p.id"
        where, params = where_sql(listed, (match.condition, match.params), *filters)
        return SortedResults(kind.table, where, params, order, load=partial(_profiles, criteria.kind), limit=RESULT_LIMIT,
                             is_similar_names=match.is_similar_names)
    else:
        ids = ranked_ids(kind.table, [listed, *filters], match, tiebreak="p.is_recommended DESC, p.id", limit=RESULT_LIMIT)
        return RankedResults(ids, load=partial(_profiles, criteria.kind), limit=RESULT_LIMIT,
                             is_similar_names=match.is_similar_names)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        ids = [row[0] for row in cursor.fetchall()]
    return RankedResults(ids, load=partial(_profiles, criteria.kind), limit=RESULT_LIMIT,
                         is_similar_names=bool(match and match.is_similar_names))


def ranked_ids(table: str, conditions: list[tuple[str, list]], match: Match, *, tiebreak: str, limit: int) -> list[int]:
    """Ids of the rows meeting ``conditions`` and ``match``, best first: ``limit`` + 1 at most,
    so that the caller knows whether more matched.

    Candidates: matches by title (tier 0, a small index), then any match (tier 1, read only
    when the titles fall short); each scan stops at the limit, and only the kept candidates
    are ranked. MATERIALIZED so that each
    scan is planned for all its rows (index, not a sequential scan hoping to meet enough
    matches early) yet read no further than the limit.
    """
    ctes, scans, params = [], [], []
    tiers = [(0, match.title_condition), (1, match.condition)] if match.title_condition else [(1, match.condition)]
    for tier, condition in tiers:
        tier_params = match.title_params if tier == 0 and match.title_params is not None else match.params
        where, where_params = where_sql(*conditions, (condition, tier_params))
        ctes.append(f"tier_{tier} AS MATERIALIZED (SELECT p.id FROM {table} p WHERE {where})")  # noqa: S608
        # Any match is read only when the titles fall short of the limit (a one-time test).
        enough = (f" WHERE (SELECT count(*) FROM (SELECT 1 FROM tier_0 LIMIT {limit + 1}) titles) <= {limit}"  # noqa: S608
                  if tier == 1 and len(tiers) == 2 else "")
        scans.append(f"(SELECT id, {tier} AS tier FROM tier_{tier}{enough} LIMIT {limit + 1})")  # noqa: S608
        params += where_params
    sql = (
        f"WITH {', '.join(ctes)}, candidates AS (SELECT id, min(tier) AS tier FROM ({' UNION ALL '.join(scans)}) scans"  # noqa: S608
        f" GROUP BY id ORDER BY min(tier), id LIMIT {limit + 1}) "
        f"SELECT p.id FROM candidates JOIN {table} p ON p.id = candidates.id"
        f" ORDER BY {match.rank} DESC, {tiebreak}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, *match.rank_params])
        return [row[0] for row in cursor.fetchall()]


class FacetCounts(dict):
    """Counts per facet and value (``counts["country"]["SN"]``), and ``total``: every match."""

    total: int = 0


def search_changed() -> None:
    """Forget the current programme's remembered facet counts (its profiles changed)."""
    forget(_VERSION_KEY)


def forget(version_key: str) -> None:
    """Make every count remembered under ``version_key`` stale (see :func:`remembered`)."""
    cache.set(version_key, uuid.uuid4().hex, timeout=None)


def current_version(version_key: str) -> str:
    """The token that :func:`forget` changes (one is made the first time)."""
    version = cache.get(version_key)
    if version is None:
        cache.add(version_key, uuid.uuid4().hex, timeout=None)
        version = cache.get(version_key)
    return version


def search_key(q: str, filters: dict[str, list], *extra) -> str:
    """What identifies a search for the cache: its words as searched, its filters in order."""
    ordered = sorted(
        (name, sorted(str(value) for value in values) if isinstance(values, list | tuple) else str(values))
        for name, values in filters.items() if values
    )
    # The words decide the text match; the folded text, the similar names asked when they find nothing.
    return repr((*extra, _words(q), fold(q).strip()[:200], ordered))


def _may_cache() -> bool:
    return not connection.in_atomic_block


def _remembered_key(version_key: str, search: str) -> str:
    # The cache's key function adds the programme's schema name.
    return f"{version_key}:{current_version(version_key)}:{hashlib.sha256(search.encode()).hexdigest()}"


def remembered(version_key: str, search: str, compute: Callable[[], FacetCounts], *, seconds: int) -> FacetCounts:
    """``compute()``, remembered ``seconds`` under the current version of ``version_key``;
    never inside a transaction, whose reads may include its own uncommitted (or rolled
    back) writes."""
    if not _may_cache():
        return compute()
    key = _remembered_key(version_key, search)
    counts = cache.get(key)
    if counts is None:
        counts = compute()
        cache.set(key, counts, seconds)
    return counts


def recall(version_key: str, search: str) -> FacetCounts | None:
    """What :func:`remembered` keeps for this search, if anything (computes nothing)."""
    if not _may_cache():
        return None
    return cache.get(_remembered_key(version_key, search))


def facet_counts(criteria: Criteria, *, is_member: bool, use_cache: bool = True) -> FacetCounts:
    """For every facet, how many visible profiles match each value, given the words and
    every *other* active filter; and ``total``, how many match everything.

    When the words find nothing, counts are those of the similar names, as in :func:`search`.
    Remembered for FACETS_CACHE_SECONDS unless the programme's profiles change (signals.py).
    """
    def compute() -> FacetCounts:
        kind = KINDS[criteria.kind]
        return first_counts(kind, _listed(is_member), criteria.filters, text_matches(criteria.q))

    if not use_cache:
        return compute()
    search = search_key(criteria.q, criteria.filters, criteria.kind, is_member)
    return remembered(_VERSION_KEY, search, compute, seconds=FACETS_CACHE_SECONDS)


def first_counts(searchable: Searchable, listed: str, filters: dict[str, list], matches: list[Match]) -> FacetCounts:
    """The counts of the first way of matching that finds something (all rows without words);
    words that match only outside the filters keep their counts (see :func:`try_similar`)."""
    if not matches:
        return count_facets(searchable, listed, filters, None)
    for index, match in enumerate(matches):
        counts = count_facets(searchable, listed, filters, match)
        if counts.total or not try_similar(searchable.table, listed, filters, matches, index):
            break
    return counts


def try_similar(table: str, listed: str, filters: dict[str, list], matches: list[Match], index: int) -> bool:
    """Whether to go on from ``matches[index]``, which found nothing, to similar names.

    Only when the words match nothing at all: words matching outside the chosen filters are
    no typo, and looking for similar names costs most on a large table.
    """
    if index + 1 >= len(matches):
        return False
    if not any(filters.values()) or matches[index].is_similar_names:
        return True
    where, params = where_sql((listed, []), (matches[index].condition, matches[index].params))
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT EXISTS (SELECT 1 FROM {table} p WHERE {where})", params)  # noqa: S608
        return not cursor.fetchone()[0]


def count_facets(searchable: Searchable, listed: str, filters: dict[str, list], match: Match | None) -> FacetCounts:
    """One statement and one pass over the matches: they are read once into a CTE that
    also says which filters each row passes, then one grouping-sets aggregate counts every
    facet, with one count per active filter (a facet's own filter is left out of its counts).
    """
    tests = filter_tests(searchable, filters)
    active = list(tests)
    grouped = {name: facet for name, facet in searchable.facets.items() if facet.shape != "link"}
    linked = {name: facet for name, facet in searchable.facets.items() if facet.shape == "link"}

    columns = ["p.id"] + [f"{facet.value} AS g_{name}" for name, facet in grouped.items()]
    params: list = []
    for name in active:
        columns.append(f"coalesce({tests[name][0]}, false) AS f_{name}")
        params += tests[name][1]
    # A row failing two filters counts nowhere: leave it out before counting.
    fails: tuple[str, list] = ("", [])
    if len(active) > 1:
        fails = (
            " + ".join(f"(CASE WHEN {tests[name][0]} THEN 0 ELSE 1 END)" for name in active) + " <= 1",
            [value for name in active for value in tests[name][1]],
        )
    text = (match.condition, match.params) if match else ("", [])
    where, where_params = where_sql((listed, []), text, fails)
    params += where_params

    def passing(dimension: str | None) -> str:
        return " AND ".join(f"f_{name}" for name in active if name != dimension) or "TRUE"

    # The first count: rows passing every filter; then one per active filter, leaving it out.
    counts_sql = ", ".join(f"count(*) FILTER (WHERE {passing(name)})" for name in [None, *active])
    names = list(grouped)
    group_columns = [f"g_{name}" for name in names]
    # Matching words reads wide rows: once. Without words an index holds every column
    # counted, and reading it twice costs less than keeping its rows aside.
    materialized = "MATERIALIZED" if match else "NOT MATERIALIZED"
    statement = (
        f"WITH m AS {materialized} (SELECT {', '.join(columns)} FROM {searchable.table} p WHERE {where}) "  # noqa: S608
        f"SELECT GROUPING({', '.join(group_columns)}), NULL::bigint, {', '.join(group_columns)}, {counts_sql} "
        f"FROM m GROUP BY GROUPING SETS ({', '.join(f'({column})' for column in group_columns)}, ())"
    )
    for index, facet in enumerate(linked.values()):
        link_table, link_column = facet.link
        nulls = ", ".join("NULL" for _ in names)
        statement += (
            f" UNION ALL SELECT {-1 - index}, link.tag_id, {nulls}, {counts_sql}"  # noqa: S608
            f" FROM m JOIN {link_table} link ON link.{link_column} = m.id GROUP BY link.tag_id"
        )
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        rows = cursor.fetchall()

    def count_for(name: str, counts) -> int:
        return counts[active.index(name) + 1] if name in active else counts[0]

    result = FacetCounts({name: {} for name in searchable.facets})
    every_column = (1 << len(names)) - 1
    for row in rows:
        grouping, link_value, values, counts = row[0], row[1], row[2:2 + len(names)], row[2 + len(names):]
        if grouping < 0:
            name = list(linked)[-1 - grouping]
            _add(result[name], str(link_value), count_for(name, counts))
        elif grouping == every_column:
            result.total = counts[0]
        else:
            # GROUPING() has a 0 bit, the leftmost argument first, for the column grouped on.
            position = next(i for i in range(len(names)) if not grouping & (1 << (len(names) - 1 - i)))
            name = names[position]
            for value in _facet_values(grouped[name], values[position]):
                _add(result[name], value, count_for(name, counts))
    return result


def _facet_values(facet: Facet, value) -> list[str]:
    """The facet values one group stands for: arrays and comma lists are grouped whole."""
    if facet.shape == "flag":
        return ["on"] if value else []
    if facet.shape == "array":
        return [str(item) for item in value or []]
    if facet.shape == "csv":
        return [item for item in (value or "").split(",") if item]
    if value is None or (facet.skip_empty and value == ""):
        return []
    return [str(value)]


def _add(counts: dict[str, int], value: str, count: int) -> None:
    if count:
        counts[value] = counts.get(value, 0) + count
