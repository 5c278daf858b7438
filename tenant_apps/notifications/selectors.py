"""Reads: a person's own notifications in the current tenant, and their e-mail preferences."""

from __future__ import annotations

from django.db.models import QuerySet

from tenant_apps.notifications import kinds
from tenant_apps.notifications.models import Notification, NotificationPreference


def notifications_for(user) -> QuerySet[Notification]:
    """The user's notifications in the current tenant's schema, newest first."""
    return Notification.objects.filter(recipient=user).order_by("-created_at", "-pk")


def notification_for(user, pk) -> Notification | None:
    """One of the user's notifications; ``None`` for anyone else's, as for a missing one."""
    return notifications_for(user).filter(pk=pk).first()


def unread_count(user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def delivery_preferences(user) -> dict[str, str]:
    """The effective e-mail delivery of every registered kind for ``user`` (choice or default)."""
    chosen = dict(NotificationPreference.objects.filter(user=user).values_list("kind", "delivery"))
    return {kind.key: chosen.get(kind.key, kind.default_delivery) for kind in kinds.all_kinds()}


def delivery_for(user, kind: str) -> str:
    chosen = (
        NotificationPreference.objects.filter(user=user, kind=kind)
        .values_list("delivery", flat=True)
        .first()
    )
    return chosen or kinds.default_delivery(kind)


def deliveries_for_users(user_ids) -> dict[tuple[int, str], str]:
    """Stored choices of several people at once, keyed by (user id, kind)."""
    rows = NotificationPreference.objects.filter(user_id__in=user_ids).values_list(
        "user_id", "kind", "delivery"
    )
    return {(user_id, kind): delivery for user_id, kind, delivery in rows}
