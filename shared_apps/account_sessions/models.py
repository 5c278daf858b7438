from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from shared_apps.accounts.models import TenantScopedQuerySet


class AccountSession(models.Model):
    """One signed-in browser session, so that a person can see and end their sessions.

    Kept beside Django's own session row (``session_key``), on the tenant whose host
    issued it; deleted when the session ends, so no history of addresses is kept.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="account_sessions")
    tenant = models.ForeignKey("tenants.Tenant", on_delete=models.CASCADE, related_name="account_sessions")
    session_key = models.CharField(max_length=40, db_index=True)
    user_agent = models.CharField(_("browser"), max_length=400, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    created_at = models.DateTimeField(_("signed in at"), auto_now_add=True)
    last_seen_at = models.DateTimeField(_("last used at"))

    objects = TenantScopedQuerySet.as_manager()
    plain = models.Manager()  # noqa: DJ012

    class Meta:
        base_manager_name = "plain"
        ordering = ["-last_seen_at"]
        indexes = [models.Index(fields=["tenant", "user"])]

    def __str__(self):
        return f"{self.user} · {self.created_at:%Y-%m-%d %H:%M}"
