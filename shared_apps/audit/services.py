"""Writing to the audit log. ``record()`` is the one way in; nothing ever changes an event."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.utils import timezone

from shared_apps.audit import context
from shared_apps.audit.models import AuditEvent
from tenants import catalog

logger = logging.getLogger(__name__)

OPERATOR = "operator"
FINANCE = "finance"


def _jsonable(value):
    import json

    if value is None:
        return None
    return _without_nul(json.loads(json.dumps(value, cls=DjangoJSONEncoder, default=str)))


def _without_nul(value):
    """PostgreSQL stores no NUL character in text or JSON; a query string may carry one."""
    if isinstance(value, str):
        return value.replace("\x00", "")
    if isinstance(value, dict):
        return {_without_nul(key): _without_nul(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_without_nul(item) for item in value]
    return value


def _role_of(actor, tenant) -> str:
    from shared_apps.accounts.permissions import role_in

    if actor is None:
        return ""
    if tenant is None:
        return _platform_role(actor)
    role = role_in(actor, tenant)
    return role if role != catalog.VISITOR else _platform_role(actor)


def _platform_role(actor) -> str:
    """Operators, then finance staff (a platform role): both count as elevated privileges."""
    from shared_apps.finance.roles import is_finance_staff

    if actor.is_staff:
        return OPERATOR
    return FINANCE if is_finance_staff(actor) else ""


def record(*, action: str, tenant=None, actor=None, target=None, target_type: str = "", target_id="",
           target_label: str = "", before=None, after=None) -> AuditEvent:
    """Append one event. The actor, address, browser and request id default to the current request's.

    ``target`` may be a model instance (its type, id and label are taken from it). A
    public-schema ``tenant`` is stored as a platform event (no tenant).
    """
    request_context = context.current()
    actor = actor if actor is not None else request_context.user
    if tenant is not None and getattr(tenant, "schema_name", "public") == "public":
        tenant = None
    if target is not None:
        target_type = target_type or target._meta.label_lower
        target_id = target_id or target.pk
        target_label = target_label or str(target)
    event = AuditEvent(
        tenant=tenant, tenant_label=(tenant.name or tenant.schema_name) if tenant is not None else "",
        actor=actor, actor_label=getattr(actor, "email", "") if actor is not None else "",
        actor_role=_role_of(actor, tenant), action=action,
        target_type=target_type[:60], target_id=str(target_id or "")[:64], target_label=_without_nul(str(target_label))[:254],
        before=_jsonable(before), after=_jsonable(after),
        ip_address=request_context.ip_address, user_agent=request_context.user_agent,
        request_id=request_context.request_id,
    )
    event.save()
    logger.info("audit: %s", action, extra={"audit_event": event.pk, "target": f"{target_type}:{event.target_id}"})
    return event


def changed_fields(before: dict, after: dict) -> tuple[dict, dict]:
    """Only the keys whose values differ, as (before, after)."""
    keys = [key for key in sorted(set(before) | set(after)) if before.get(key) != after.get(key)]
    return {key: before.get(key) for key in keys}, {key: after.get(key) for key in keys}


def role_matrix_changes(before: dict, after: dict) -> tuple[dict, dict]:
    """Per role, the permissions taken away (in ``before``) and given (in ``after``)."""
    removed, added = {}, {}
    for role in sorted(set(before) | set(after)):
        old, new = set(before.get(role, ())), set(after.get(role, ()))
        if old - new:
            removed[role] = sorted(old - new)
        if new - old:
            added[role] = sorted(new - old)
    return removed, added


def purge_expired_events(*, older_than_days: int | None = None) -> int:
    """Delete events past the retention period (the only deletion the database allows)."""
    days = settings.AUDIT_RETENTION_DAYS if older_than_days is None else older_than_days
    cutoff = timezone.now() - timedelta(days=days)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL comptoir.audit_purge = 'on'")
        cursor.execute("DELETE FROM audit_auditevent WHERE created_at < %s", [cutoff])
        deleted = cursor.rowcount
        cursor.execute("SET LOCAL comptoir.audit_purge = 'off'")
    logger.info("audit events purged", extra={"deleted": deleted, "cutoff": cutoff.isoformat()})
    return deleted
