"""Notification e-mails. Each task is idempotent: a notification is e-mailed at most once."""

from __future__ import annotations

from celery import shared_task
from django_tenants.utils import tenant_context

from tenant_apps.notifications import services
from tenants.models import Tenant


@shared_task(name="notifications.send_notification_email")
def send_notification_email(notification_id: int) -> bool:
    """E-mail one notification; runs in the schema its message carries (tenant-schemas-celery)."""
    return services.email_notification(notification_id)


@shared_task(name="notifications.send_daily_digest")
def send_daily_digest(schema_name: str) -> int:
    """Send the digests that are due in one programme; returns how many were queued."""
    tenant = (
        Tenant.objects.programmes()
        .filter(schema_name=schema_name, status=Tenant.Status.ACTIVE)
        .first()
    )
    if tenant is None:
        return 0
    with tenant_context(tenant):
        return services.send_digests()


@shared_task(name="notifications.send_daily_digests_all_tenants")
def send_daily_digests_all_tenants() -> int:
    """Fan out one digest task per active programme, each carrying its schema."""
    schema_names = list(
        Tenant.objects.programmes()
        .filter(status=Tenant.Status.ACTIVE)
        .values_list("schema_name", flat=True)
    )
    for schema_name in schema_names:
        send_daily_digest.apply_async(args=[schema_name], headers={"_schema_name": schema_name})
    return len(schema_names)
