from django.db.models import Count, Prefetch, QuerySet

from shared_apps.accounts.models import Membership
from tenants.models import Domain, Tenant


def programmes_overview() -> QuerySet[Tenant]:
    """Every programme with its domains and member count, in two queries."""
    member_count = Count("memberships", distinct=True)
    return (
        Tenant.objects.programmes()
        .annotate(member_count=member_count)
        .prefetch_related(Prefetch("domains", queryset=Domain.objects.order_by("-is_primary", "domain")))
        .order_by("name")
    )


def pool_status() -> dict:
    return {"spares": Tenant.objects.spares().count(), "has_template": Tenant.objects.filter(status=Tenant.Status.TEMPLATE).exists()}


def programme(slug: str) -> Tenant | None:
    return Tenant.objects.programmes().prefetch_related("domains").filter(slug=slug).first()


def role_counts(tenant: Tenant) -> dict[str, int]:
    rows = Membership.objects.for_tenant(tenant).values("role").annotate(n=Count("id")).order_by()
    return {row["role"]: row["n"] for row in rows}
