"""Verified registration: the documents a company sends, what the checks found, what moderators decided."""

import uuid

from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils.translation import gettext_lazy as _

from tenant_apps.verification import findings
from tenant_apps.verification.storage import verification_storage

DEFAULT_DOCUMENT_TYPES = {
    "trade_register": _("Trade register extract"),
    "director_id": _("Director's identity document"),
    "financial_statements": _("Latest financial statements"),
    "proof_of_address": _("Proof of address"),
}


class VerificationSettings(models.Model):
    """One row per programme: how long a verification lasts and when people are reminded."""

    validity_days = models.PositiveIntegerField(_("verification valid for (days)"), default=365)
    reminder_days = ArrayField(
        models.PositiveIntegerField(), verbose_name=_("reminders (days before expiry)"), default=list, blank=True
    )

    class Meta:
        verbose_name = _("verification settings")

    def __str__(self):
        return str(self._meta.verbose_name)


class DocumentType(models.Model):
    """A document the programme asks for; ``code`` names the built-in ones so their label is translated."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=120, blank=True)
    description = models.TextField(_("what we expect"), blank=True)
    max_age_days = models.PositiveIntegerField(_("maximum age (days)"), null=True, blank=True)
    is_required = models.BooleanField(_("required"), default=True)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self):
        return self.label

    @property
    def label(self) -> str:
        return self.name or str(DEFAULT_DOCUMENT_TYPES.get(self.code, self.code))


class VerificationRequest(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        UNDER_REVIEW = "under_review", _("Under review")
        MORE_INFORMATION = "more_information", _("More information requested")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        APPEALED = "appealed", _("Appealed")
        APPEAL_APPROVED = "appeal_approved", _("Appeal approved")
        APPEAL_REJECTED = "appeal_rejected", _("Appeal rejected")
        EXPIRED = "expired", _("Expired")

    company = models.ForeignKey("directory.Company", on_delete=models.CASCADE, related_name="verification_requests")
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True)
    submitted_at = models.DateTimeField(_("submitted on"), null=True, blank=True, db_index=True)
    decided_at = models.DateTimeField(_("decided on"), null=True, blank=True)
    # People are referenced by id, not by foreign key: erasing a moderator's account must not
    # delete the company's verification history (tenant rows pointing at a user are purged).
    decided_by_id = models.IntegerField(null=True, blank=True)
    rejected_by_id = models.IntegerField(null=True, blank=True)
    reviewer_id = models.IntegerField(null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    appeal_statement = models.TextField(_("appeal"), blank=True)
    appealed_at = models.DateTimeField(_("appealed on"), null=True, blank=True)
    reminders_sent = ArrayField(models.PositiveIntegerField(), default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "submitted_at"])]

    def __str__(self):
        return f"{self.company} · {self.get_status_display()}"


def _document_path(instance, filename):
    # Never the uploaded name: it may hold personal data and path tricks.
    return f"verification/{instance.request.company_id}/{uuid.uuid4().hex}"


class Document(models.Model):
    request = models.ForeignKey(VerificationRequest, on_delete=models.CASCADE, related_name="documents")
    document_type = models.ForeignKey(DocumentType, on_delete=models.PROTECT, related_name="documents")
    file = models.FileField(_("file"), upload_to=_document_path, storage=verification_storage, max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=60)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64, db_index=True)
    issued_on = models.DateField(_("date on the document"), null=True, blank=True)
    extracted_text = models.TextField(blank=True)
    uploaded_by_id = models.IntegerField(null=True, blank=True)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["document_type__position", "uploaded_at"]

    def __str__(self):
        return f"{self.document_type.label} · {self.original_name}"

    @property
    def is_pdf(self) -> bool:
        return self.content_type == "application/pdf"


class Finding(models.Model):
    class Severity(models.TextChoices):
        INFO = "info", _("Information")
        WARNING = "warning", _("Warning")

    request = models.ForeignKey(VerificationRequest, on_delete=models.CASCADE, related_name="findings")
    document = models.ForeignKey(Document, null=True, blank=True, on_delete=models.CASCADE, related_name="findings")
    check_name = models.CharField(max_length=40)
    severity = models.CharField(max_length=10, choices=Severity.choices)
    # What to say (tenant_apps/verification/findings.py) and its values, worded when read.
    code = models.CharField(max_length=60, blank=True)
    params = models.JSONField(default=dict, blank=True)
    # Only findings recorded before codes existed, whose sentence could not be matched to one.
    message = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-severity", "check_name", "pk"]

    def __str__(self):
        return self.text

    @property
    def text(self) -> str:
        """The finding in the reader's language."""
        return findings.render(self.code, self.params, self.message)


class Decision(models.Model):
    """One step of a request's history, in order: who moved it from which status to which, and why."""

    request = models.ForeignKey(VerificationRequest, on_delete=models.CASCADE, related_name="decisions")
    actor_id = models.IntegerField(null=True, blank=True)
    actor_label = models.CharField(max_length=254, blank=True)
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20)
    reason = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.from_status} → {self.to_status}"
