"""The e-mails of identity workflows; each is rendered in the tenant's branding."""

from __future__ import annotations

from functools import partial

from django.conf import settings
from django.urls import reverse as _reverse

from platform_core.mail import recipient_language, send_branded_mail

# Links point at tenant pages, whichever host (or none, in a task) is sending the mail.
reverse = partial(_reverse, urlconf=settings.ROOT_URLCONF)


def send_confirmation(*, user, tenant, token: str) -> None:
    send_branded_mail(
        tenant=tenant, to=user.email, template="accounts/email/confirm",
        context={"user": user, "link": tenant.url(reverse("accounts:confirm-email", args=[token]))},
        language=recipient_language(user, tenant),
    )


def send_account_exists(*, user, tenant) -> None:
    send_branded_mail(
        tenant=tenant, to=user.email, template="accounts/email/account_exists",
        context={"user": user, "link": tenant.url(reverse("accounts:sign-in"))},
        language=recipient_language(user, tenant),
    )


def send_invitation(*, invitation, token: str) -> None:
    tenant = invitation.tenant
    send_branded_mail(
        tenant=tenant, to=invitation.email, template="accounts/email/invitation",
        context={"invitation": invitation, "link": tenant.url(reverse("accounts:invitation-accept", args=[token]))},
        language=tenant.default_language,
    )
