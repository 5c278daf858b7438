"""Temporary grants and activity rules: every change goes through here, and is audited."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shared_apps.access import measures
from shared_apps.access.models import ActivityRule, Award, Grant
from shared_apps.accounts.models import Membership
from shared_apps.audit.services import record
from tenants import catalog

logger = logging.getLogger(__name__)

MAX_GRANT_DAYS = 366


def _require(actor, permission: str, tenant) -> None:
    from shared_apps.accounts.permissions import can

    if not can(actor, permission, tenant=tenant):
        raise ValidationError(_("You may not do this in this programme."))


def _held_by(actor, tenant) -> frozenset[str]:
    from shared_apps.accounts.permissions import permissions_in

    return permissions_in(actor, tenant)


def _grant_snapshot(grant: Grant) -> dict:
    return {
        "user": grant.user.email, "role": grant.role, "permissions": sorted(grant.permissions),
        "starts_at": grant.starts_at, "ends_at": grant.ends_at, "reason": grant.reason,
        "revoked_at": grant.revoked_at,
    }


def create_grant(*, tenant, actor, user, starts_at: datetime, ends_at: datetime, reason: str,
                 role: str = "", permissions: list[str] | None = None) -> Grant:
    """Give ``user`` extra access in ``tenant`` for a period.

    Refused unless the actor may manage members and holds everything granted (nobody
    hands out more than they have), the user is a member, and the period is sensible.
    """
    _require(actor, "members.manage", tenant)
    permissions = sorted(set(permissions or []))
    errors: dict[str, list[str]] = {}
    if not Membership.objects.for_tenant(tenant).filter(user=user).exists():
        errors.setdefault("user", []).append(_("Choose a member of this programme."))
    if role and role not in catalog.ROLES:
        errors.setdefault("role", []).append(_("Choose one of the listed roles."))
    unknown = [p for p in permissions if p not in catalog.PERMISSIONS]
    if unknown:
        errors.setdefault("permissions", []).append(_("Choose among the listed permissions."))
    if not role and not permissions:
        errors.setdefault("permissions", []).append(_("Choose a role or at least one permission to grant."))
    given = set(permissions) | (set(tenant.permissions_for(role)) if role in catalog.ROLES else set())
    if not errors and not given <= _held_by(actor, tenant):
        errors.setdefault("permissions", []).append(_("You may only grant permissions you hold yourself."))
    now = timezone.now()
    if ends_at <= starts_at:
        errors.setdefault("ends_at", []).append(_("The end must come after the start."))
    elif ends_at <= now:
        errors.setdefault("ends_at", []).append(_("The end must be in the future."))
    elif ends_at - starts_at > timedelta(days=MAX_GRANT_DAYS):
        errors.setdefault("ends_at", []).append(
            _("A temporary access lasts at most %(days)s days.") % {"days": MAX_GRANT_DAYS}
        )
    if not reason.strip():
        errors.setdefault("reason", []).append(_("Say why this access is needed."))
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        grant = Grant.objects.create(
            tenant=tenant, user=user, role=role, permissions=permissions, starts_at=starts_at, ends_at=ends_at,
            reason=reason.strip(), granted_by=actor,
        )
        record(action="grant.created", tenant=tenant, actor=actor, target=grant, target_label=user.email,
               after=_grant_snapshot(grant))
    return grant


def revoke_grant(*, tenant, actor, grant: Grant) -> Grant:
    _require(actor, "members.manage", tenant)
    if grant.tenant_id != tenant.pk:
        raise ValidationError(_("You may not do this in this programme."))
    if grant.revoked_at is not None:
        return grant
    with transaction.atomic():
        before = _grant_snapshot(grant)
        grant.revoked_at = timezone.now()
        grant.revoked_by = actor
        grant.save(update_fields=["revoked_at", "revoked_by"])
        record(action="grant.revoked", tenant=tenant, actor=actor, target=grant, target_label=grant.user.email,
               before=before, after=_grant_snapshot(grant))
    return grant


def tidy_expired_grants(*, now: datetime | None = None) -> int:
    """Tell the people who granted access that it has ended (once each). Expiry itself needs no job."""
    from django.core.mail import send_mail

    now = now or timezone.now()
    expired = list(
        Grant.objects.across_tenants().filter(ends_at__lte=now, revoked_at__isnull=True, expiry_notified_at__isnull=True)
        .select_related("user", "granted_by", "tenant")
    )
    for grant in expired:
        if grant.granted_by is not None and grant.granted_by.email:
            send_mail(
                _("Temporary access has ended"),
                _("The temporary access you gave %(user)s on %(programme)s (%(reason)s) ended on %(end)s.")
                % {"user": grant.user, "programme": grant.tenant, "reason": grant.reason,
                   "end": timezone.localtime(grant.ends_at).strftime("%Y-%m-%d %H:%M")},
                None, [grant.granted_by.email], fail_silently=True,
            )
    Grant.objects.across_tenants().filter(pk__in=[g.pk for g in expired]).update(expiry_notified_at=now)
    return len(expired)


def _rule_snapshot(rule: ActivityRule) -> dict:
    return {"badge": rule.badge, "role": rule.role, "measure": rule.measure, "threshold": rule.threshold,
            "permissions": sorted(rule.permissions), "is_active": rule.is_active}


def _validate_rule(*, tenant, actor, badge: str, role: str, measure: str, permissions: list[str], exclude=None):
    errors: dict[str, list[str]] = {}
    if not badge.strip():
        errors.setdefault("badge", []).append(_("Give the badge a name."))
    elif ActivityRule.objects.for_tenant(tenant).filter(badge__iexact=badge.strip()).exclude(pk=exclude).exists():
        errors.setdefault("badge", []).append(_("Another rule already gives this badge."))
    if role and role not in catalog.ROLES:
        errors.setdefault("role", []).append(_("Choose one of the listed roles."))
    if measure not in measures.MEASURES:
        errors.setdefault("measure", []).append(_("Choose one of the listed measures."))
    if any(p not in catalog.PERMISSIONS for p in permissions):
        errors.setdefault("permissions", []).append(_("Choose among the listed permissions."))
    elif not set(permissions) <= _held_by(actor, tenant):
        errors.setdefault("permissions", []).append(_("You may only grant permissions you hold yourself."))
    if errors:
        raise ValidationError(errors)


def create_rule(*, tenant, actor, badge: str, measure: str, threshold: int, role: str = "",
                permissions: list[str] | None = None) -> ActivityRule:
    _require(actor, "settings.change", tenant)
    permissions = sorted(set(permissions or []))
    _validate_rule(tenant=tenant, actor=actor, badge=badge, role=role, measure=measure, permissions=permissions)
    with transaction.atomic():
        rule = ActivityRule.objects.create(tenant=tenant, badge=badge.strip(), role=role, measure=measure,
                                           threshold=threshold, permissions=permissions, created_by=actor)
        record(action="rule.created", tenant=tenant, actor=actor, target=rule, after=_rule_snapshot(rule))
    return rule


def set_rule_active(*, tenant, actor, rule: ActivityRule, is_active: bool) -> ActivityRule:
    _require(actor, "settings.change", tenant)
    before = _rule_snapshot(rule)
    rule.is_active = is_active
    with transaction.atomic():
        rule.save(update_fields=["is_active"])
        record(action="rule.changed", tenant=tenant, actor=actor, target=rule, before=before,
               after=_rule_snapshot(rule))
    return rule


def delete_rule(*, tenant, actor, rule: ActivityRule) -> None:
    _require(actor, "settings.change", tenant)
    with transaction.atomic():
        record(action="rule.deleted", tenant=tenant, actor=actor, target=rule, before=_rule_snapshot(rule))
        Award.objects.for_tenant(tenant).filter(rule=rule).delete()
        ActivityRule.objects.for_tenant(tenant).filter(pk=rule.pk).delete()


def evaluate_rules(tenant) -> dict[str, int]:
    """Award badges to members who now meet an active rule, withdraw those who no longer do.

    Idempotent: running it twice changes nothing the second time. Each award and
    withdrawal is audited, with no actor (the platform did it).
    """
    counts = {"awarded": 0, "withdrawn": 0}
    members = dict(Membership.objects.for_tenant(tenant).values_list("user_id", "role"))
    now = timezone.now()
    for rule in ActivityRule.objects.for_tenant(tenant).filter(is_active=True):
        measure = measures.MEASURES.get(rule.measure)
        if measure is None:
            logger.warning("activity rule names an unknown measure", extra={"rule": rule.pk, "measure": rule.measure})
            continue
        eligible = [user_id for user_id, role in members.items() if not rule.role or role == rule.role]
        values = measure.compute(tenant, eligible)
        qualifying = {user_id for user_id in eligible if values.get(user_id, 0) >= rule.threshold}
        current = dict(Award.objects.for_tenant(tenant).filter(rule=rule).values_list("user_id", "pk"))
        with transaction.atomic():
            for user_id in sorted(qualifying - set(current)):
                award = Award.objects.create(tenant=tenant, rule=rule, user_id=user_id, awarded_at=now)
                record(action="award.granted", tenant=tenant, actor=None, target_type="accounts.user",
                       target_id=user_id, target_label=rule.badge,
                       after={"badge": rule.badge, "permissions": rule.permissions, "award": award.pk})
                counts["awarded"] += 1
            for user_id in sorted(set(current) - qualifying):
                Award.objects.for_tenant(tenant).filter(pk=current[user_id]).delete()
                record(action="award.withdrawn", tenant=tenant, actor=None, target_type="accounts.user",
                       target_id=user_id, target_label=rule.badge,
                       before={"badge": rule.badge, "permissions": rule.permissions})
                counts["withdrawn"] += 1
            rule.evaluated_at = now
            rule.save(update_fields=["evaluated_at"])
    return counts
