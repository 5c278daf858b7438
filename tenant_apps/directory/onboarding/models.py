"""Bulk onboarding: an import waiting for confirmation, and representatives waiting for their invitation."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ImportBatch(models.Model):
    """An uploaded file's rows, kept server-side between the preview and the confirmation.

    The rows are the cells as read from the file; the confirmation validates them again
    against the database as it is then, so nothing the browser sends is trusted.
    """

    class Format(models.TextChoices):
        CSV = "csv", "CSV"
        XLSX = "xlsx", "XLSX"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # DO_NOTHING: see shared_apps.accounts.tenant_data, which removes these rows first.
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.DO_NOTHING, related_name="+")
    file_name = models.CharField(_("file name"), max_length=200)
    file_format = models.CharField(_("format"), max_length=4, choices=Format.choices)
    rows = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        app_label = "directory"
        ordering = ["-created_at"]

    def __str__(self):
        return self.file_name

    @property
    def is_open(self) -> bool:
        return self.confirmed_at is None and self.expires_at > timezone.now()


class PendingRepresentative(models.Model):
    """Someone invited by an import: they become a representative when they accept."""

    company = models.ForeignKey("directory.Company", on_delete=models.CASCADE, related_name="pending_representatives")
    email = models.EmailField(_("e-mail"))
    full_name = models.CharField(_("full name"), max_length=200, blank=True)
    job_title = models.CharField(_("job title"), max_length=120, blank=True)
    is_owner = models.BooleanField(_("owner"), default=False)
    invitation_id = models.PositiveIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    linked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        app_label = "directory"
        constraints = [
            models.UniqueConstraint(fields=["company", "email"], condition=models.Q(linked_at__isnull=True),
                                    name="one_pending_representative_per_company_and_email"),
        ]

    def __str__(self):
        return f"{self.email} · {self.company}"
