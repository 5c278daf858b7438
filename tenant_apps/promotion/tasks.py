"""Promotion's background work. Tasks take the schema and ids, and are safe to run twice."""

from __future__ import annotations

import logging

from celery import shared_task
from django.conf import settings
from django_tenants.utils import schema_context

from tenant_apps.promotion import counters, services
from tenants.models import Tenant

logger = logging.getLogger(__name__)


@shared_task(name="promotion.send_campaign_batch", bind=True, max_retries=5, acks_late=True)
def send_campaign_batch(self, schema_name: str, campaign_id: int) -> int:
    """Send one batch of a campaign, then queue the next one after ``PROMOTION_CAMPAIGN_BATCH_INTERVAL``
    seconds: that pause is the campaign's rate limit. Returns how many mails left."""
    with schema_context(schema_name):
        try:
            outcome = services.send_campaign_batch(campaign_id, batch_size=settings.PROMOTION_CAMPAIGN_BATCH_SIZE)
        except services.CampaignDeliveryError as error:
            # The rows are back in the queue; try later, then leave it to the minute task's resume.
            raise self.retry(exc=error, countdown=min(60 * 2 ** self.request.retries, 1800)) from error
    if outcome.remaining:
        services.queue_campaign_batch(schema_name, campaign_id, countdown=settings.PROMOTION_CAMPAIGN_BATCH_INTERVAL)
    return outcome.sent


@shared_task(name="promotion.tick")
def tick(schema_name: str) -> dict:
    """A programme's minute: start due campaigns, resume stalled ones, store banner impressions."""
    tenant = Tenant.objects.programmes().filter(schema_name=schema_name, status=Tenant.Status.ACTIVE).first()
    if tenant is None:
        return {}
    with schema_context(schema_name):
        result = {"impressions": counters.flush_impressions()}
        if tenant.has_module("promotion"):
            result["started"] = services.start_due_campaigns()
            result["resumed"] = services.resume_stalled_campaigns()
        return result


@shared_task(name="promotion.tick_all_tenants")
def tick_all_tenants() -> int:
    """Fan out one tick per active programme, each carrying its schema."""
    schema_names = list(
        Tenant.objects.programmes().filter(status=Tenant.Status.ACTIVE).values_list("schema_name", flat=True)
    )
    for schema_name in schema_names:
        tick.apply_async(args=[schema_name], headers={"_schema_name": schema_name})
    return len(schema_names)
