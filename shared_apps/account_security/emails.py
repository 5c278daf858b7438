"""Notices of critical account changes, in the tenant's branding and the person's language."""

from __future__ import annotations

from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from platform_core.mail import recipient_language, send_branded_mail


def _link(tenant, name, *args) -> str:
    """A link on the tenant's host (or the platform's), whichever host or task is sending."""
    if tenant is None:
        return ""
    urlconf = settings.PUBLIC_SCHEMA_URLCONF if tenant.is_public else settings.ROOT_URLCONF
    try:
        return tenant.url(reverse(name, args=args, urlconf=urlconf))
    except NoReverseMatch:
        return ""


def _send(*, user, tenant, to: str, template: str, **context) -> None:
    send_branded_mail(
        tenant=tenant, to=to, template=f"account_security/email/{template}",
        context={"user": user, "when": timezone.now(), **context},
        language=recipient_language(user, tenant),
    )


def send_reset_code(*, user, tenant, code: str, minutes: int) -> None:
    _send(user=user, tenant=tenant, to=user.email, template="reset_code", code=code, minutes=minutes,
          link=_link(tenant, "account_security:password-reset-code"))


def send_password_changed(*, user, tenant) -> None:
    _send(user=user, tenant=tenant, to=user.email, template="password_changed",
          link=_link(tenant, "account_security:password-reset"))


def send_email_change_confirmation(*, user, tenant, new_email: str, token: str) -> None:
    _send(user=user, tenant=tenant, to=new_email, template="email_change_confirm", new_email=new_email,
          link=_link(tenant, "account_security:email-change-confirm", token))


def send_email_change_refused(*, user, tenant, new_email: str) -> None:
    """To an address that already has an account: the change cannot go through."""
    _send(user=user, tenant=tenant, to=new_email, template="email_change_taken", new_email=new_email)


def send_email_changed(*, user, tenant, old_email: str, new_email: str) -> None:
    for address in (old_email, new_email):
        _send(user=user, tenant=tenant, to=address, template="email_changed", old_email=old_email,
              new_email=new_email, link=_link(tenant, "account_security:password-reset"))


def send_new_device(*, user, tenant, user_agent: str) -> None:
    _send(user=user, tenant=tenant, to=user.email, template="new_device", user_agent=user_agent,
          link=_link(tenant, "account_security:password-change"))


def send_unlock_link(*, user, tenant, token: str, minutes: int) -> None:
    _send(user=user, tenant=tenant, to=user.email, template="account_locked", minutes=minutes,
          link=_link(tenant, "account_security:unlock", token))


def send_mfa_changed(*, user, tenant, change: str, method: str) -> None:
    """A second factor was added or removed, or backup codes were made again."""
    _send(user=user, tenant=tenant, to=user.email, template="mfa_changed", change=change, method=method,
          link=_link(tenant, "mfa:index"))
