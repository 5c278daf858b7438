"""Billing's background work: applying Stripe's events and the hourly dunning run."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings

from shared_apps.billing import services, webhooks
from tenants.models import Tenant


@shared_task(bind=True, name="billing.process_webhook_event", max_retries=None)
def process_webhook_event(self, event_id: int) -> str:
    """Apply one stored Stripe event; on failure retry with backoff, up to STRIPE_WEBHOOK_MAX_ATTEMPTS."""
    try:
        return webhooks.process_event(event_id)
    except webhooks.HandlerFailed as failure:
        if self.request.is_eager or self.request.retries + 1 >= settings.STRIPE_WEBHOOK_MAX_ATTEMPTS:
            # Left as failed, with its error, for the re-run action of the event list.
            return "failed"
        raise self.retry(exc=failure, countdown=min(30 * 2 ** self.request.retries, 3600)) from failure


@shared_task(name="billing.run_dunning")
def run_dunning(schema_name: str) -> dict:
    tenant = Tenant.objects.programmes().filter(schema_name=schema_name, status=Tenant.Status.ACTIVE).first()
    if tenant is None or not tenant.has_module("billing"):
        return {}
    return vars(services.run_dunning(tenant=tenant))


@shared_task(name="billing.run_dunning_all_tenants")
def run_dunning_all_tenants() -> int:
    schemas = list(Tenant.objects.programmes().filter(status=Tenant.Status.ACTIVE).values_list("schema_name", flat=True))
    for schema_name in schemas:
        run_dunning.delay(schema_name)
    return len(schemas)
