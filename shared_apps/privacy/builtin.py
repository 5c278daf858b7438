"""The platform's own personal data: account, membership, notifications, consents."""

from __future__ import annotations

from shared_apps.privacy.registry import erasure_handler, export_section


def _iso(value):
    return value.isoformat() if value else None


@export_section("account")
def account(*, user, tenant):
    return [{
        "email": user.email, "full_name": user.full_name, "preferred_language": user.preferred_language,
        "date_joined": _iso(user.date_joined), "email_verified_at": _iso(user.email_verified_at),
        "last_login": _iso(user.last_login),
    }]


@export_section("memberships")
def memberships(*, user, tenant):
    from shared_apps.accounts.models import Membership

    return [
        {"programme": tenant.name, "role": m.role, "organisation": m.organisation, "joined_at": _iso(m.created_at)}
        for m in Membership.objects.for_tenant(tenant).filter(user=user)
    ]


@export_section("notifications")
def notifications(*, user, tenant):
    from tenant_apps.notifications.models import Notification

    return [
        {"kind": n.kind, "title": n.title, "body": n.body, "url": n.url, "created_at": _iso(n.created_at),
         "read_at": _iso(n.read_at), "emailed_at": _iso(n.emailed_at)}
        for n in Notification.objects.filter(recipient=user).order_by("created_at")
    ]


@export_section("consents")
def consents(*, user, tenant):
    from shared_apps.privacy.models import Consent

    return [
        {"policy_version": c.policy_version, "analytics": bool(c.choices.get("analytics")), "recorded_at": _iso(c.created_at)}
        for c in Consent.objects.for_tenant(tenant).filter(user=user).order_by("created_at")
    ]


@erasure_handler
def forget_notifications(*, user, tenant):
    from tenant_apps.notifications.models import Notification

    Notification.objects.filter(recipient=user).delete()
