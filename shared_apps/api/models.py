import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from shared_apps.accounts.models import TenantScopedQuerySet


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


class ApiToken(models.Model):
    """An API token, valid only on the programme that issued it.

    Only a hash of the key is stored: a leaked database does not leak usable tokens.
    The key itself is shown once, in the answer to the sign-in call.
    """

    tenant = models.ForeignKey("tenants.Tenant", on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(_("starts with"), max_length=8)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField()

    objects = TenantScopedQuerySet.as_manager()
    plain = models.Manager()  # noqa: DJ012

    class Meta:
        base_manager_name = "plain"
        indexes = [models.Index(fields=["tenant", "user"], name="apitoken_tenant_user")]

    # Set on a freshly created token only; never stored.
    key: str = ""

    def __str__(self):
        return f"{self.prefix}… ({self.user})"

    @staticmethod
    def new_key() -> str:
        return secrets.token_urlsafe(32)
