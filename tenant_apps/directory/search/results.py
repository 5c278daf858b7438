"""Search results read a page at a time: the directory's and the catalogue's searches both
list their best matches only (a limit), and load full rows for the page shown.

``Results`` is a sequence, so Django's paginator takes it as it takes a queryset.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from django.db import connection

Loader = Callable[[list[int]], list]


class Results(Sequence):
    """The listed matches of a search (``limit`` at most), read as rows page by page.

    ``is_truncated``: more matched than are listed; ``is_similar_names``: nothing matched the
    words, these are names close to what was typed.
    """

    is_similar_names: bool = False

    def count(self) -> int:
        return len(self)

    @property
    def is_truncated(self) -> bool:
        raise NotImplementedError

    def total(self, counted: int | None, *, listed: int | None = None) -> int | None:
        """How many matched: those listed (``listed``, or all of these) or, beyond the limit,
        what the facet pass ``counted`` (None: not counted yet)."""
        listed = len(self) if listed is None else listed
        if not self.is_truncated:
            return listed
        return None if counted is None else max(counted, listed)

    def ids(self, stop: int) -> list[int]:
        """The ids of the first ``stop`` results, in order, without loading the rows."""
        raise NotImplementedError

    def excluding(self, ids: list[int]) -> Results:
        """The same results without these ids (products lifted elsewhere on the page)."""
        raise NotImplementedError

    def __getitem__(self, index):
        if isinstance(index, slice):
            return self._slice(*index.indices(len(self))[:2])
        return self._slice(index, index + 1)[0]

    def __iter__(self):
        return iter(self[:])

    def _slice(self, start: int, stop: int) -> list:
        raise NotImplementedError


class RankedResults(Results):
    """Ids already in order (one query made them), loaded a page at a time."""

    def __init__(self, ids: list[int], *, load: Loader, limit: int, is_similar_names: bool = False):
        self.is_similar_names, self._load, self._limit = is_similar_names, load, limit
        self._ids, self._more = ids[:limit], len(ids) > limit

    def __len__(self) -> int:
        return len(self._ids)

    @property
    def is_truncated(self) -> bool:
        return self._more

    def ids(self, stop: int) -> list[int]:
        return self._ids[:stop]

    def excluding(self, ids: list[int]) -> RankedResults:
        left_out = set(ids)
        kept = RankedResults([pk for pk in self._ids if pk not in left_out], load=self._load, limit=self._limit,
                             is_similar_names=self.is_similar_names)
        kept._more = self._more
        return kept

    def _slice(self, start: int, stop: int) -> list:
        return self._load(self._ids[start:stop])


class SortedResults(Results):
    """Matches in date or name order: counted (up to the limit), then read a page at a time.

    Reading ``limit`` rows in order would walk the date or name index far past the first
    page when few rows match; a page stops early, and the count reads the matches from
    the text index. ``where`` and ``order`` are SQL on alias ``p`` built from fixed
    fragments; everything typed is in ``params``.
    """

    def __init__(self, table: str, where: str, params: list, order: str, *, load: Loader, limit: int,
                 is_similar_names: bool = False, count_where: tuple[str, list] | None = None):
        self.is_similar_names, self._load, self._limit = is_similar_names, load, limit
        self._table, self._where, self._params, self._order = table, where, params, order
        # The same rows, worded for counting: an index that finds them all, not one in their order.
        self._count_where = count_where or (where, params)
        self._count: int | None = None

    def __len__(self) -> int:
        if self._count is None:
            with connection.cursor() as cursor:
                where, params = self._count_where
                cursor.execute(
                    f"WITH m AS MATERIALIZED (SELECT p.id FROM {self._table} p WHERE {where})"  # noqa: S608
                    f" SELECT count(*) FROM (SELECT 1 FROM m LIMIT {self._limit + 1}) capped",
                    params,
                )
                self._count = cursor.fetchone()[0]
        return min(self._count, self._limit)

    @property
    def is_truncated(self) -> bool:
        return len(self) < (self._count or 0)

    def ids(self, stop: int) -> list[int]:
        return self._ids(0, min(stop, self._limit))

    def excluding(self, ids: list[int]) -> SortedResults:
        if not ids:
            return self
        count_where, count_params = self._count_where
        return SortedResults(self._table, f"({self._where}) AND p.id <> ALL(%s::bigint[])", [*self._params, list(ids)],
                             self._order, load=self._load, limit=self._limit, is_similar_names=self.is_similar_names,
                             count_where=(f"({count_where}) AND p.id <> ALL(%s::bigint[])", [*count_params, list(ids)]))

    def _ids(self, start: int, stop: int) -> list[int]:
        if stop <= start:
            return []
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT p.id FROM {self._table} p WHERE {self._where} ORDER BY {self._order}"  # noqa: S608
                f" LIMIT {stop - start} OFFSET {start}",
                self._params,
            )
            return [row[0] for row in cursor.fetchall()]

    def _slice(self, start: int, stop: int) -> list:
        ids = self._ids(start, stop)
        return self._load(ids) if ids else []
