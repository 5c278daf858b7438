"""API tokens: issued per tenant at sign-in, withdrawn at sign-out or password change."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from shared_apps.api.models import ApiToken, hash_key
from shared_apps.audit.services import record


def issue_token(*, tenant, user) -> ApiToken:
    """A new token for ``user`` on ``tenant``; its key is on the returned object, once."""
    key = ApiToken.new_key()
    token = ApiToken.objects.create(
        tenant=tenant, user=user, key_hash=hash_key(key), prefix=key[:8],
        expires_at=timezone.now() + timedelta(days=settings.API_TOKEN_MAX_AGE_DAYS),
    )
    token.key = key
    record(action="api.token_created", tenant=tenant, actor=user, target=token, target_label=f"{token.prefix}…",
           after={"expires_at": token.expires_at})
    return token


def create_token_for_login(token_model, user, serializer) -> ApiToken:
    """dj-rest-auth's TOKEN_CREATOR: a fresh token bound to the tenant whose host was called."""
    return issue_token(tenant=serializer.context["request"].tenant, user=user)


def withdraw_token(*, token: ApiToken) -> None:
    ApiToken.objects.for_tenant(token.tenant).filter(pk=token.pk).delete()
    record(action="api.token_deleted", tenant=token.tenant, actor=token.user, target=token,
           target_label=f"{token.prefix}…")


def withdraw_other_tokens(*, user, keep: ApiToken | None = None) -> int:
    """After a password change: every other token of the person, on every tenant, stops working."""
    tokens = ApiToken.objects.across_tenants().filter(user=user)
    if keep is not None:
        tokens = tokens.exclude(pk=keep.pk)
    deleted, _rows = tokens.delete()
    return deleted
