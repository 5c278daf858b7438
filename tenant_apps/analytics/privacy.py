"""Personal data in activity events: a person's own events in their copy, and erasure."""

from shared_apps.privacy.registry import erasure_handler, export_section


@export_section("activity_events")
def activity_events(*, user, tenant):
    from tenant_apps.analytics.models import Event

    return [
        {"kind": event.kind, "occurred_at": event.occurred_at.isoformat(), "company_id": event.company_id,
         "product_id": event.product_id, "inquiry_id": event.inquiry_id, "country": event.country}
        for event in Event.objects.filter(user_id=user.pk).order_by("occurred_at")[:10_000]
    ]


@erasure_handler
def forget_activity(*, user, tenant):
    """Events stay counted, without the person: the account id goes, and so does the day's hash."""
    from tenant_apps.analytics.models import Event, ReportDelivery

    Event.objects.filter(user_id=user.pk).update(user_id=None, visitor="")
    ReportDelivery.objects.filter(user_id=user.pk).delete()
