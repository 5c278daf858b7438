import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shared_apps.accounts.models import TenantScopedQuerySet


class Consent(models.Model):
    """One decision about cookies, kept as proof: who, on which policy version, what, when.

    Signed-in people are recorded by user, others by the random id their consent cookie
    carries; nothing else about the visitor (no IP address) is stored.
    """

    tenant = models.ForeignKey("tenants.Tenant", on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    anonymous_id = models.UUIDField(_("consent id"), null=True, blank=True, db_index=True)
    policy_version = models.CharField(_("policy version"), max_length=20)
    choices = models.JSONField(_("choices"), default=dict)
    created_at = models.DateTimeField(_("recorded at"), default=timezone.now, db_index=True)

    objects = TenantScopedQuerySet.as_manager()
    plain = models.Manager()  # noqa: DJ012

    class Meta:
        ordering = ["-created_at"]
        base_manager_name = "plain"
        indexes = [models.Index(fields=["tenant", "user"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(user__isnull=False) | models.Q(anonymous_id__isnull=False), name="consent_has_subject"
            )
        ]

    def __str__(self):
        return f"{self.policy_version} {self.choices}"


class DataExport(models.Model):
    """A person's copy of their data in one tenant, built in the background."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Being prepared")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")
        EXPIRED = "expired", _("Expired")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    tenant = models.ForeignKey("tenants.Tenant", on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    file_name = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    ready_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True, db_index=True)

    objects = TenantScopedQuerySet.as_manager()
    plain = models.Manager()  # noqa: DJ012

    class Meta:
        ordering = ["-created_at"]
        base_manager_name = "plain"

    def __str__(self):
        return f"{self.user_id} {self.status}"

    @property
    def is_downloadable(self) -> bool:
        return self.status == self.Status.READY and self.expires_at is not None and self.expires_at > timezone.now()


class ErasureRecord(models.Model):
    """That an account was erased in a tenant, by whom and when; it holds no personal data."""

    class Initiator(models.TextChoices):
        SELF = "self", _("The person")
        ADMIN = "admin", _("A programme administrator")

    tenant = models.ForeignKey("tenants.Tenant", on_delete=models.CASCADE, related_name="+")
    subject_id = models.BigIntegerField(_("erased user id"))
    erased_by_id = models.BigIntegerField(_("erased by (user id)"), null=True, blank=True)
    initiator = models.CharField(max_length=10, choices=Initiator.choices)
    account_deactivated = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)

    objects = TenantScopedQuerySet.as_manager()
    plain = models.Manager()  # noqa: DJ012

    class Meta:
        ordering = ["-created_at"]
        base_manager_name = "plain"

    def __str__(self):
        return f"user {self.subject_id} erased"
