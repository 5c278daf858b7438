from __future__ import annotations

from datetime import date, datetime, time

from django.db.models import Count, QuerySet
from django.db.models.functions import TruncDay, TruncMonth, TruncWeek
from django.utils import timezone

from shared_apps.audit.models import AuditEvent
from shared_apps.audit.services import FINANCE, OPERATOR
from tenants import catalog

ELEVATED_ROLES = (catalog.TENANT_ADMIN, OPERATOR, FINANCE)
PERIODS = {"day": TruncDay, "week": TruncWeek, "month": TruncMonth}


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _end_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.max))


def _filtered(events, *, actor: str = "", action: str = "", since: date | None = None,
              until: date | None = None) -> QuerySet[AuditEvent]:
    # Plain ORM look-ups: whatever is typed in a filter is a bound parameter, never SQL.
    if actor:
        events = events.filter(actor_label__icontains=actor)
    if action:
        events = events.filter(action=action)
    if since:
        events = events.filter(created_at__gte=_start_of(since))
    if until:
        events = events.filter(created_at__lte=_end_of(until))
    return events.order_by("-created_at", "-id")


def events_for(tenant, **filters) -> QuerySet[AuditEvent]:
    """A tenant's events, newest first (``tenant=None``: platform events)."""
    return _filtered(AuditEvent.objects.for_tenant(tenant), **filters)


def all_events(*, tenant_slug: str = "", **filters) -> QuerySet[AuditEvent]:
    """Every tenant's and the platform's events, for the operators' console."""
    events = AuditEvent.objects.across_tenants()
    if tenant_slug:
        events = events.filter(tenant__slug=tenant_slug)
    return _filtered(events, **filters)


def elevated_privilege_report(events: QuerySet[AuditEvent], *, period: str = "month") -> list[dict]:
    """Actions taken by tenant admins and operators, counted per person, period and action."""
    trunc = PERIODS.get(period, TruncMonth)
    rows = (
        events.filter(actor_role__in=ELEVATED_ROLES).exclude(action__startswith="session.")
        .annotate(period=trunc("created_at"))
        .values("period", "actor_label", "actor_role", "action")
        .annotate(total=Count("id"))
        .order_by("-period", "actor_label", "action")
    )
    from shared_apps.audit.actions import ACTIONS

    return [{**row, "action_label": str(ACTIONS.get(row["action"], row["action"]))} for row in rows]
