"""Banner impressions: counted in the cache on each render, added to the database in bulk.

A banner on every page would otherwise cost a row update per page view, all on the same
few rows. ``flush_impressions`` moves the counts into ``Banner.impressions``; the beat
task runs it every minute for each programme. A count taken from the cache is subtracted
there (not deleted), so views counted meanwhile are kept for the next flush.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.core.cache import cache
from django.db.models import F, Q
from django.utils import timezone

from tenant_apps.promotion.models import Banner

logger = logging.getLogger(__name__)

# Counter keys live this long without a flush before the cache may drop them.
COUNTER_TTL = 7 * 24 * 3600


def count_impressions(banners) -> None:
    """Add one impression to each of ``banners`` (``ActiveBanner``s). Never raises."""
    for banner in banners:
        try:
            cache.add(banner.counter_key, 0, COUNTER_TTL)
            cache.incr(banner.counter_key)
        except Exception:  # a lost impression is better than a broken page
            logger.warning("banner impression not counted", exc_info=True)
            return


def flush_impressions(now=None) -> int:
    """Move counted impressions of the current programme's banners into the database; return how many."""
    from tenant_apps.promotion.selectors import impression_counter_key

    now = now or timezone.now()
    banners = list(Banner.objects.filter(Q(ends_at__isnull=True) | Q(ends_at__gt=now - timedelta(days=1)))
                   .only("pk", "created_at"))
    keys = {impression_counter_key(banner): banner.pk for banner in banners}
    if not keys:
        return 0
    moved = 0
    for key, count in cache.get_many(list(keys)).items():
        if not count:
            continue
        cache.decr(key, count)
        Banner.objects.filter(pk=keys[key]).update(impressions=F("impressions") + count)
        moved += count
    return moved
