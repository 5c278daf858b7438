"""Token authentication bound to the tenant whose host is called."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication

from shared_apps.api.models import ApiToken, hash_key


class TenantTokenAuthentication(TokenAuthentication):
    """``Authorization: Token <key>``; a token issued by another tenant is refused outright."""

    model = ApiToken

    def authenticate_credentials(self, key):
        from shared_apps.accounts.permissions import current_tenant

        tenant = current_tenant()
        token = None
        if tenant is not None:
            token = (
                ApiToken.objects.for_tenant(tenant).select_related("user").filter(key_hash=hash_key(key)).first()
            )
        if token is None or token.expires_at <= timezone.now():
            raise exceptions.AuthenticationFailed(_("Invalid or expired token."))
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        now = timezone.now()
        if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 300:
            ApiToken.objects.for_tenant(tenant).filter(pk=token.pk).update(last_used_at=now)
        return token.user, token
