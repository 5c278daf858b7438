"""Putting sponsored products at the top of any search's results.

The search that calls this may rank however it likes; it hands over its results as
(product id, score) pairs, best first, and the boosts ``selectors.sponsored_boosts``
found for the query. Nothing here reads the database, so the rules are easy to test:

* at most ``limit`` sponsored products, heaviest weight first, then the search's own
  order (its score), then the smallest id, so the order never flickers;
* a product appears once: a sponsored product is taken out of its organic place;
* only products the caller allows (``allowed_ids``: those that pass the page's filters)
  may be lifted; ``sponsored_boosts`` already returns published products only;
* every lifted product is flagged ``is_sponsored`` so the page labels it.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass

DEFAULT_LIMIT = 3


@dataclass(frozen=True)
class RankedProduct:
    product_id: int
    score: float | None
    is_sponsored: bool = False


def merge_sponsored(
    results: Iterable[tuple[int, float | None] | int],
    boosts: Mapping[int, int],
    *,
    limit: int = DEFAULT_LIMIT,
    allowed_ids: Collection[int] | None = None,
) -> list[RankedProduct]:
    """``results`` (ids or (id, score) pairs, best first) with up to ``limit`` sponsored products on top."""
    organic: list[RankedProduct] = []
    seen: set[int] = set()
    for item in results:
        product_id, score = (item, None) if isinstance(item, int) else (item[0], item[1])
        if product_id in seen:
            continue
        seen.add(product_id)
        organic.append(RankedProduct(product_id=product_id, score=score))

    organic_rank = {item.product_id: index for index, item in enumerate(organic)}
    candidates = [
        product_id for product_id, weight in boosts.items()
        if weight > 0 and (allowed_ids is None or product_id in allowed_ids)
    ]
    candidates.sort(key=lambda product_id: (-boosts[product_id], organic_rank.get(product_id, len(organic_rank)),
                                            product_id))
    lifted = candidates[:max(limit, 0)]
    scores = {item.product_id: item.score for item in organic}
    sponsored = [RankedProduct(product_id=pid, score=scores.get(pid), is_sponsored=True) for pid in lifted]
    lifted_ids = set(lifted)
    return sponsored + [item for item in organic if item.product_id not in lifted_ids]
