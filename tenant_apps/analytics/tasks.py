"""Beat tasks: roll-ups every minute, monthly reports on the 1st. Each takes a schema name and is idempotent."""

from __future__ import annotations

import logging

from celery import shared_task
from django_tenants.utils import tenant_context

from tenants.models import Tenant

logger = logging.getLogger(__name__)


def _programmes_with_analytics():
    return Tenant.objects.programmes().filter(status=Tenant.Status.ACTIVE, modules__contains=["analytics"])


@shared_task(name="analytics.refresh_rollups")
def refresh_rollups(schema_name: str) -> int:
    """Bring one programme's roll-ups up to now; returns the roll-up rows written."""
    from tenant_apps.analytics import services

    tenant = _programmes_with_analytics().filter(schema_name=schema_name).first()
    if tenant is None:
        return 0
    with tenant_context(tenant):
        return services.refresh().rows


@shared_task(name="analytics.refresh_rollups_all_tenants")
def refresh_rollups_all_tenants() -> int:
    schema_names = list(_programmes_with_analytics().values_list("schema_name", flat=True))
    for schema_name in schema_names:
        refresh_rollups.apply_async(args=[schema_name], headers={"_schema_name": schema_name})
    return len(schema_names)


@shared_task(name="analytics.send_monthly_reports")
def send_monthly_reports(schema_name: str, month: str | None = None) -> int:
    """E-mail last month's (or ``month``'s, "YYYY-MM") reports in one programme; returns e-mails queued."""
    from tenant_apps.analytics import reports, services

    tenant = _programmes_with_analytics().filter(schema_name=schema_name).first()
    if tenant is None:
        return 0
    with tenant_context(tenant):
        services.refresh()
        period = reports.parse_month(month) if month else reports.previous_month()
        return services.send_monthly_reports(tenant=tenant, month=period)


@shared_task(name="analytics.send_monthly_reports_all_tenants")
def send_monthly_reports_all_tenants() -> int:
    schema_names = list(_programmes_with_analytics().values_list("schema_name", flat=True))
    for schema_name in schema_names:
        send_monthly_reports.apply_async(args=[schema_name], headers={"_schema_name": schema_name})
    return len(schema_names)
