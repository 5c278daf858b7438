"""What a seller company's paid plan unlocks: the one place views ask.

``can(user, "plan.featured_slots")`` lands here through shared_apps.accounts.permissions;
code that knows the company asks ``has_feature(tenant, company_id, "featured_slots")`` or
``feature_quota(...)`` for a count. A programme that does not sell plans (billing module
off) gates nothing: every feature is unlimited there.
"""

from __future__ import annotations

from django_tenants.utils import schema_context

from shared_apps.billing.models import FEATURES, LIVE_STATUSES, Subscription

UNLIMITED = None


def _subscription(tenant, company_id: int) -> Subscription | None:
    return (
        Subscription.objects.for_tenant(tenant).filter(company_id=company_id, status__in=LIVE_STATUSES)
        .select_related("plan").first()
    )


def feature_quota(tenant, company_id: int | None, feature: str) -> int | None:
    """The quota of ``feature`` for the company: a count, 0 when not included, None for unlimited."""
    if feature not in FEATURES:
        raise KeyError(f"Unknown plan feature {feature!r}")
    if tenant is None or tenant.is_public:
        return 0
    if not tenant.has_module("billing"):
        return UNLIMITED
    if company_id is None:
        return 0
    subscription = _subscription(tenant, company_id)
    if subscription is None or not subscription.is_entitled:
        return 0
    return subscription.plan.quota(feature)


def has_feature(tenant, company_id: int | None, feature: str) -> bool:
    quota = feature_quota(tenant, company_id, feature)
    return quota is UNLIMITED or quota > 0


def company_id_of(user, tenant) -> int | None:
    """The id of the company ``user`` represents in ``tenant`` (read in that tenant's schema)."""
    if tenant is None or tenant.is_public or user is None or not user.is_authenticated:
        return None
    cache = user.__dict__.setdefault("_company_by_tenant", {})
    if tenant.pk not in cache:
        from tenant_apps.directory.models import Representative

        with schema_context(tenant.schema_name):
            cache[tenant.pk] = (
                Representative.objects.filter(user=user).order_by("-is_owner", "created_at")
                .values_list("company_id", flat=True).first()
            )
    return cache[tenant.pk]


def user_has_feature(user, feature: str, *, tenant) -> bool:
    from shared_apps.accounts.permissions import role_in
    from tenants import catalog

    if tenant is None or role_in(user, tenant) == catalog.VISITOR:
        return False
    return has_feature(tenant, company_id_of(user, tenant), feature)
