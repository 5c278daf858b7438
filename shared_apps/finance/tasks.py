"""Reconciliation in the background: nightly for every programme and the platform, or on request."""

from __future__ import annotations

from celery import shared_task
from django.utils.translation import gettext as _

from shared_apps.finance.models import ReconciliationRun
from tenants.models import Tenant


def _scope(schema_name: str):
    """The programme of ``schema_name``, or None for ``public`` (the platform's scope)."""
    if schema_name == "public":
        return None, True
    tenant = Tenant.objects.programmes().filter(schema_name=schema_name, status=Tenant.Status.ACTIVE).first()
    return tenant, tenant is not None and tenant.has_module("billing")


@shared_task(name="finance.reconcile")
def reconcile(schema_name: str, run_id: int | None = None, trigger: str = ReconciliationRun.Trigger.NIGHTLY) -> str:
    """Reconcile one scope; ``run_id`` is a run queued by ``request_runs`` (the "run now" button)."""
    from shared_apps.finance import services

    tenant, applies = _scope(schema_name)
    run = ReconciliationRun.plain.filter(pk=run_id).first() if run_id is not None else None
    if not applies:
        if run is not None:
            ReconciliationRun.plain.filter(pk=run.pk).update(status=ReconciliationRun.Status.FAILED,
                                                             error=_("The programme is not active or has no paid seller accounts."))
        return "skipped"
    return services.reconcile(tenant=tenant, run=run, trigger=trigger).status


@shared_task(name="finance.reconcile_all")
def reconcile_all() -> int:
    """The nightly run: one task per active programme with billing, and one for the platform."""
    schemas = [tenant.schema_name for tenant in Tenant.objects.programmes().filter(status=Tenant.Status.ACTIVE)
               if tenant.has_module("billing")]
    for schema_name in [*schemas, "public"]:
        reconcile.delay(schema_name, None, ReconciliationRun.Trigger.NIGHTLY)
    return len(schemas) + 1
