from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class PasswordResetCode(models.Model):
    """One request for a password reset, kept even for unknown addresses.

    Requests for an address nobody uses are recorded too (without a user), so the rate
    limits and the pages behave the same whether the account exists or not. Only an
    HMAC of the code is stored.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE,
                             related_name="password_reset_codes")
    email = models.EmailField(_("e-mail address"))
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    tenant = models.ForeignKey("tenants.Tenant", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    salt = models.CharField(max_length=32)
    code_hash = models.CharField(max_length=128, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    failed_attempts = models.PositiveSmallIntegerField(default=0)
    verified_at = models.DateTimeField(null=True, blank=True)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["email", "created_at"]), models.Index(fields=["ip_address", "created_at"])]

    def __str__(self):
        return f"{self.email} · {self.created_at:%Y-%m-%d %H:%M}"


class KnownDevice(models.Model):
    """A browser a person has signed in from; a new one triggers an e-mail notice.

    The browser holds a random identifier in a signed cookie; only its SHA-256 is stored.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="known_devices")
    device_hash = models.CharField(max_length=64)
    user_agent = models.CharField(max_length=200, blank=True)
    first_seen_at = models.DateTimeField(default=timezone.now)
    last_seen_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "device_hash"], name="one_record_per_device")]

    def __str__(self):
        return f"{self.user} · {self.user_agent[:40]}"
