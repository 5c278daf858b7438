from django.db.models import QuerySet

from shared_apps.accounts.models import Invitation, Membership


def members_of(tenant) -> QuerySet[Membership]:
    from shared_apps.access.selectors import with_badges

    return with_badges(Membership.objects.for_tenant(tenant).select_related("user").order_by("user__full_name", "user__email"))


def open_invitations_of(tenant) -> QuerySet[Invitation]:
    from django.utils import timezone

    return (
        Invitation.objects.for_tenant(tenant)
        .filter(accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now())
        .select_related("invited_by")
    )


def membership_in(tenant, pk) -> Membership | None:
    return Membership.objects.for_tenant(tenant).select_related("user").filter(pk=pk).first()
