"""Passkeys (WebAuthn) bound to the host they are used on.

Comptoir serves each programme on its own domains, so the relying party is not one
fixed domain: it is the host of the request, checked against the domains of the tenant
that host resolved to, and the only accepted origin is that host's own origin.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import connection
from django_otp_webauthn.helpers import WebAuthnHelper
from django_otp_webauthn.models import WebAuthnCredential, as_credential_descriptors


def _hostname(request) -> str:
    host = request.get_host().lower()
    return host.rsplit(":", 1)[0] if not host.endswith("]") else host


def relying_party_id(request) -> str:
    """The host name of the request, provided it is one of its tenant's domains."""
    tenant = getattr(request, "tenant", None) or getattr(connection, "tenant", None)
    hostname = _hostname(request)
    if tenant is None or not tenant.domains.filter(domain__iexact=hostname).exists():
        raise PermissionDenied("This host is not a domain of the programme.")
    return hostname


def current_relying_party_id(request) -> str | None:
    """Like ``relying_party_id()``, None instead of an error (for pages that only mention it)."""
    try:
        return relying_party_id(request)
    except PermissionDenied:
        return None


def relying_party_name(request) -> str:
    tenant = getattr(request, "tenant", None)
    if tenant is None or tenant.is_public:
        return settings.PLATFORM_NAME
    return tenant.name or settings.PLATFORM_NAME


def allowed_origin(request) -> str:
    relying_party_id(request)
    return f"{request.scheme}://{request.get_host().lower()}"


def passkeys_for(user, rp_id: str | None):
    """The person's confirmed passkeys made on ``rp_id`` (none when there is no host)."""
    return WebAuthnCredential.objects.filter(user=user, confirmed=True, host__rp_id=rp_id or "")


def passkey_host(device) -> str:
    host = getattr(device, "host", None)
    return host.rp_id if host is not None else ""


class HostBoundPasskeyHelper(WebAuthnHelper):
    """Offers and accepts only the passkeys of the current host, from its own origin."""

    def get_allowed_origins(self) -> list[str]:
        return [allowed_origin(self.request)]

    def _descriptors(self, user):
        passkeys = passkeys_for(user, self.get_relying_party_domain())
        return as_credential_descriptors(passkeys.order_by("-last_used_at", "-pk"))

    def get_generate_registration_options_kwargs(self, *, user) -> dict:
        kwargs = super().get_generate_registration_options_kwargs(user=user)
        kwargs["exclude_credentials"] = self._descriptors(user)
        return kwargs

    def get_generate_authentication_options_kwargs(self, *, user=None, require_user_verification: bool) -> dict:
        kwargs = super().get_generate_authentication_options_kwargs(
            user=user, require_user_verification=require_user_verification
        )
        if user is not None:
            kwargs["allow_credentials"] = self._descriptors(user)
        return kwargs
