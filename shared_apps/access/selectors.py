from __future__ import annotations

from collections import defaultdict

from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import CharField, OuterRef, QuerySet, Value
from django.utils import timezone

from shared_apps.access.models import ActivityRule, Award, Grant


def extra_permissions(user, tenant) -> frozenset[str]:
    """What active grants and earned badges add to ``user``'s role in ``tenant``.

    Cached on the user object, which lives for one request: ``can()`` may be called many
    times per page for the price of one query.
    """
    if tenant is None or user is None or not user.is_authenticated or not user.is_active:
        return frozenset()
    cache = user.__dict__.setdefault("_extra_permissions_by_tenant", {})
    if tenant.pk not in cache:
        now = timezone.now()
        granted: set[str] = set()
        grants = Grant.objects.for_tenant(tenant).active(now).filter(user=user).values_list("role", "permissions")
        awards = (
            Award.objects.for_tenant(tenant).filter(user=user, rule__is_active=True)
            .annotate(no_role=Value("", output_field=CharField())).values_list("no_role", "rule__permissions")
        )
        # One round trip for both sources; a grant of a role gives what the matrix gives that role.
        for role, permissions in grants.union(awards, all=True):
            granted.update(permissions)
            if role:
                granted.update(tenant.permissions_for(role))
        cache[tenant.pk] = frozenset(granted)
    return cache[tenant.pk]


def grants_of(tenant) -> QuerySet[Grant]:
    return Grant.objects.for_tenant(tenant).select_related("user", "granted_by", "revoked_by").order_by(
        "revoked_at", "-ends_at"
    )


def grant_in(tenant, pk) -> Grant | None:
    return Grant.objects.for_tenant(tenant).select_related("user").filter(pk=pk).first()


def rules_of(tenant) -> QuerySet[ActivityRule]:
    from django.db.models import Count

    return ActivityRule.objects.for_tenant(tenant).annotate(award_count=Count("awards"))


def rule_in(tenant, pk) -> ActivityRule | None:
    return ActivityRule.objects.for_tenant(tenant).filter(pk=pk).first()


def with_badges(memberships: QuerySet) -> QuerySet:
    """Memberships annotated with ``badges``, the names of the badges earned (in the same query)."""
    earned = (
        Award.plain.filter(tenant=OuterRef("tenant"), user=OuterRef("user"), rule__is_active=True)
        .order_by("rule__badge").values("rule__badge")
    )
    return memberships.annotate(badges=ArraySubquery(earned))


def badges_by_user(tenant, user_ids) -> dict[int, list[str]]:
    badges: dict[int, list[str]] = defaultdict(list)
    rows = (
        Award.objects.for_tenant(tenant).filter(user_id__in=list(user_ids), rule__is_active=True)
        .order_by("rule__badge").values_list("user_id", "rule__badge")
    )
    for user_id, badge in rows:
        badges[user_id].append(badge)
    return dict(badges)
