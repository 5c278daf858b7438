"""Writes for verified registration: the only place its rules live."""

from __future__ import annotations

import hashlib
import logging
from datetime import datetime, timedelta
from functools import partial

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from platform_core.uploads import IMAGE_KINDS, validate_upload
from shared_apps.audit.services import record
from tenant_apps.notifications.services import notify
from tenant_apps.verification import clamav, selectors
from tenant_apps.verification.models import Decision, Document, DocumentType, VerificationRequest, VerificationSettings

logger = logging.getLogger(__name__)

Status = VerificationRequest.Status
MAX_DOCUMENT_BYTES = 10 * 1024 * 1024
DEFAULT_REMINDER_DAYS = [30, 7]
CONTENT_TYPES = {"pdf": "application/pdf", "png": "image/png", "jpg": "image/jpeg", "webp": "image/webp",
                 "gif": "image/gif"}


class VerificationError(Exception):
    """A step the rules do not allow; ``str()`` is a message for the person who tried."""


class InvalidTransition(VerificationError):
    pass


class MissingDocuments(VerificationError):
    pass


class CannotReviewOwnCompany(VerificationError):
    pass


class AppealAlreadyUsed(VerificationError):
    pass


class SameReviewerForAppeal(VerificationError):
    pass


def current_settings() -> VerificationSettings:
    settings_row, _created = VerificationSettings.objects.get_or_create(
        pk=1, defaults={"reminder_days": list(DEFAULT_REMINDER_DAYS)}
    )
    return settings_row


@transaction.atomic
def update_settings(*, validity_days: int, reminder_days: list[int], actor) -> VerificationSettings:
    settings_row = current_settings()
    before = {"validity_days": settings_row.validity_days, "reminder_days": settings_row.reminder_days}
    settings_row.validity_days = validity_days
    settings_row.reminder_days = sorted(set(reminder_days), reverse=True)
    settings_row.save()
    record(action="verification.settings_changed", tenant=_tenant(), actor=actor, target=settings_row,
           before=before, after={"validity_days": validity_days, "reminder_days": settings_row.reminder_days})
    return settings_row


def open_request(*, company) -> VerificationRequest:
    """The company's request in progress, or a new draft when the last one is closed."""
    latest = selectors.latest_request(company)
    if latest is not None and latest.status in (*selectors.OPEN_STATUSES, Status.REJECTED):
        return latest
    if latest is not None and latest.status in (Status.APPROVED, Status.APPEAL_APPROVED) and company.is_verified:
        return latest
    return VerificationRequest.objects.create(company=company)


def scan_for_malware(upload) -> None:
    """Refuse infected files when clamd is configured; a scanner outage refuses the file too (fail closed)."""
    if not clamav.is_configured():
        return
    upload.seek(0)
    content = upload.read()
    upload.seek(0)
    try:
        found = clamav.scan(content)
    except clamav.ScannerUnavailable:
        logger.exception("antivirus scan failed")
        raise ValidationError(_("We could not scan this file for viruses just now; please try again in a few "
                                "minutes."), code="scan_unavailable") from None
    if found:
        logger.warning("infected upload refused", extra={"signature": found})
        raise ValidationError(_("This file looks infected by a virus, so it was refused."), code="infected")


def validate_document(upload) -> str:
    """Size, type from the bytes, readability, then antivirus; returns the kind (``pdf``, ``png``…)."""
    kind = validate_upload(upload, kinds=IMAGE_KINDS | {"pdf"}, max_bytes=MAX_DOCUMENT_BYTES)
    scan_for_malware(upload)
    return kind


@transaction.atomic
def upload_document(*, verification_request: VerificationRequest, document_type: DocumentType, upload,
                    issued_on=None, actor) -> Document:
    """Store a checked file privately and queue the automated checks once the upload is committed."""
    if verification_request.status not in selectors.UPLOAD_STATUSES:
        raise InvalidTransition(_("Documents can no longer be added to this request."))
    if verification_request.status == Status.REJECTED and verification_request.appealed_at is not None:
        raise AppealAlreadyUsed(_("This request was already appealed."))
    kind = validate_document(upload)
    upload.seek(0)
    content = upload.read()
    upload.seek(0)
    document = Document(
        request=verification_request, document_type=document_type, original_name=(upload.name or "")[-200:],
        content_type=CONTENT_TYPES.get(kind, "application/octet-stream"), size=len(content),
        sha256=hashlib.sha256(content).hexdigest(), issued_on=issued_on, uploaded_by_id=actor.pk,
    )
    document.file.save(upload.name or "document", upload, save=False)
    document.save()
    record(action="verification.document_uploaded", tenant=_tenant(), actor=actor, target=document,
           after={"company": verification_request.company_id, "type": document_type.code, "sha256": document.sha256})
    _after_commit("tenant_apps.verification.tasks.check_document", document.pk)
    return document


@transaction.atomic
def delete_document(*, document: Document, actor) -> None:
    if document.request.status not in selectors.UPLOAD_STATUSES:
        raise InvalidTransition(_("Documents of a request under review cannot be removed."))
    document.file.delete(save=False)
    document.delete()


@transaction.atomic
def submit_request(*, verification_request: VerificationRequest, actor) -> VerificationRequest:
    """Send a draft (or a completed request for more information) to the moderators."""
    request = _locked(verification_request)
    if request.status not in (Status.DRAFT, Status.MORE_INFORMATION):
        raise InvalidTransition(_("This request has already been sent."))
    missing = selectors.missing_document_types(request)
    if missing:
        raise MissingDocuments(_("Please add: %(types)s.") % {"types": ", ".join(kind.label for kind in missing)})
    request.submitted_at = request.submitted_at or timezone.now()
    _move(request, Status.SUBMITTED, actor=actor)
    record(action="verification.submitted", tenant=_tenant(), actor=actor, target=request.company)
    _tell_company(request, _("Your verification request was received"),
                  _("The programme's team will review your documents and let you know."))
    _tell_reviewers(request)
    _after_commit("tenant_apps.verification.tasks.check_request", request.pk)
    return request


@transaction.atomic
def appeal(*, verification_request: VerificationRequest, statement: str, actor) -> VerificationRequest:
    """A rejected company asks, once, for another look by another moderator."""
    request = _locked(verification_request)
    if request.appealed_at is not None or request.status in (Status.APPEALED, Status.APPEAL_REJECTED,
                                                             Status.APPEAL_APPROVED):
        raise AppealAlreadyUsed(_("A refusal can be appealed only once."))
    if request.status != Status.REJECTED:
        raise InvalidTransition(_("Only a refused request can be appealed."))
    if not statement.strip():
        raise VerificationError(_("Tell the moderators what they should look at again."))
    request.appeal_statement = statement.strip()
    request.appealed_at = timezone.now()
    request.submitted_at = request.appealed_at
    _move(request, Status.APPEALED, actor=actor, reason=request.appeal_statement)
    record(action="verification.appealed", tenant=_tenant(), actor=actor, target=request.company)
    _tell_company(request, _("Your appeal was received"),
                  _("Another moderator will look at your company's verification again."))
    _tell_reviewers(request)
    _after_commit("tenant_apps.verification.tasks.check_request", request.pk)
    return request


def _check_reviewer(request: VerificationRequest, reviewer) -> None:
    if selectors.represents(reviewer, request.company_id):
        raise CannotReviewOwnCompany(_("You represent this company, so another moderator must review it."))
    if request.status == Status.APPEALED and reviewer.pk == request.rejected_by_id:
        raise SameReviewerForAppeal(_("You refused this request: another moderator must decide the appeal."))


@transaction.atomic
def start_review(*, verification_request: VerificationRequest, reviewer) -> VerificationRequest:
    request = _locked(verification_request)
    _check_reviewer(request, reviewer)
    if request.status != Status.SUBMITTED:
        raise InvalidTransition(_("This request is not waiting for a review."))
    request.reviewer_id = reviewer.pk
    _move(request, Status.UNDER_REVIEW, actor=reviewer)
    record(action="verification.review_started", tenant=_tenant(), actor=reviewer, target=request.company)
    _tell_company(request, _("Your verification is under review"),
                  _("A moderator is now reviewing your company's documents."))
    return request


@transaction.atomic
def approve(*, verification_request: VerificationRequest, reviewer, reason: str = "") -> VerificationRequest:
    """Verify the company: its badge lasts the programme's validity period from now."""
    request = _locked(verification_request)
    _check_reviewer(request, reviewer)
    if request.status not in selectors.QUEUE_STATUSES:
        raise InvalidTransition(_("This request is not waiting for a decision."))
    now = timezone.now()
    target = Status.APPEAL_APPROVED if request.status == Status.APPEALED else Status.APPROVED
    request.decided_at, request.decided_by_id, request.reason = now, reviewer.pk, reason.strip()
    request.reminders_sent = []
    _move(request, target, actor=reviewer, reason=request.reason)
    company = request.company
    company.verified_at = now
    company.verification_expires_at = now + timedelta(days=current_settings().validity_days)
    company.save(update_fields=["verified_at", "verification_expires_at", "updated_at"])
    record(action="verification.approved", tenant=_tenant(), actor=reviewer, target=company,
           after={"verification_expires_at": company.verification_expires_at})
    _tell_company(request, _("Your company is verified"),
                  _("Your profile now shows the verified badge until %(date)s.")
                  % {"date": timezone.localdate(company.verification_expires_at).isoformat()})
    return request


@transaction.atomic
def reject(*, verification_request: VerificationRequest, reviewer, reason: str) -> VerificationRequest:
    request = _locked(verification_request)
    _check_reviewer(request, reviewer)
    if request.status not in selectors.QUEUE_STATUSES:
        raise InvalidTransition(_("This request is not waiting for a decision."))
    if not reason.strip():
        raise VerificationError(_("Give the company the reason for the refusal."))
    is_appeal = request.status == Status.APPEALED
    request.decided_at, request.decided_by_id, request.reason = timezone.now(), reviewer.pk, reason.strip()
    if not is_appeal:
        request.rejected_by_id = reviewer.pk
    _move(request, Status.APPEAL_REJECTED if is_appeal else Status.REJECTED, actor=reviewer, reason=request.reason)
    record(action="verification.rejected", tenant=_tenant(), actor=reviewer, target=request.company,
           after={"reason": request.reason, "appeal": is_appeal})
    body = _("Reason: %(reason)s") % {"reason": request.reason}
    if not is_appeal:
        body += " " + _("You may appeal once, with new information or documents.")
    _tell_company(request, _("Your appeal was refused") if is_appeal else _("Your verification was refused"), body)
    return request


@transaction.atomic
def request_more_information(*, verification_request: VerificationRequest, reviewer, reason: str):
    request = _locked(verification_request)
    _check_reviewer(request, reviewer)
    if request.status not in (Status.SUBMITTED, Status.UNDER_REVIEW):
        raise InvalidTransition(_("More information can be asked only of a request under review."))
    if not reason.strip():
        raise VerificationError(_("Say what the company should add."))
    request.reason = reason.strip()
    _move(request, Status.MORE_INFORMATION, actor=reviewer, reason=request.reason)
    record(action="verification.more_information", tenant=_tenant(), actor=reviewer, target=request.company,
           after={"reason": request.reason})
    _tell_company(request, _("The moderators need more information"), request.reason)
    return request


def process_expiries(*, now: datetime | None = None) -> dict[str, int]:
    """Send due reminders and take the badge off expired companies in the current programme."""
    now = now or timezone.now()
    reminder_days = sorted(current_settings().reminder_days)
    counts = {"reminded": 0, "expired": 0}
    approved = (VerificationRequest.objects.filter(status__in=(Status.APPROVED, Status.APPEAL_APPROVED),
                                                   company__verification_expires_at__isnull=False)
                .select_related("company").order_by("pk"))
    for request in approved:
        expires_at = request.company.verification_expires_at
        if expires_at <= now:
            _expire(request, now=now)
            counts["expired"] += 1
            continue
        days_left = (expires_at - now).days
        due = [days for days in reminder_days if days_left < days and days not in request.reminders_sent]
        if due:
            with transaction.atomic():
                request.reminders_sent = sorted({*request.reminders_sent, *due}, reverse=True)
                request.save(update_fields=["reminders_sent", "updated_at"])
                _tell_company(request, _("Your verification expires soon"),
                              _("Your company's verified badge expires on %(date)s. Send fresh documents to keep "
                                "it.") % {"date": timezone.localdate(expires_at).isoformat()},
                              kind="verification.expiring")
            counts["reminded"] += 1
    return counts


@transaction.atomic
def _expire(request: VerificationRequest, *, now) -> None:
    company = request.company
    company.verified_at = None
    company.verification_expires_at = None
    company.save(update_fields=["verified_at", "verification_expires_at", "updated_at"])
    _move(request, Status.EXPIRED, actor=None)
    record(action="verification.expired", tenant=_tenant(), actor=None, target=company)
    _tell_company(request, _("Your verification has expired"),
                  _("The verified badge was removed from your profile. You can ask to be verified again."))


def _locked(verification_request: VerificationRequest) -> VerificationRequest:
    return VerificationRequest.objects.select_for_update(of=("self",)).select_related("company").get(
        pk=verification_request.pk)


def _move(request: VerificationRequest, status: str, *, actor, reason: str = "") -> None:
    Decision.objects.create(request=request, actor_id=getattr(actor, "pk", None),
                            actor_label=getattr(actor, "email", "") if actor else "", from_status=request.status,
                            to_status=status, reason=reason)
    request.status = status
    request.save()


def _tell_company(request: VerificationRequest, title: str, body: str, *, kind="verification.status_changed"):
    from tenant_apps.directory.models import Representative

    url = reverse("verification:my-verification")
    for representative in Representative.objects.filter(company_id=request.company_id).select_related("user"):
        if representative.user.is_active:
            notify(recipient=representative.user, kind=kind, title=title, body=body, url=url)


def _tell_reviewers(request: VerificationRequest) -> None:
    from shared_apps.accounts.models import Membership

    tenant = _tenant()
    roles = [role for role, permissions in tenant.role_matrix.items() if "verification.review" in permissions]
    url = reverse("verification:review-detail", args=[request.pk])
    memberships = Membership.objects.for_tenant(tenant).filter(role__in=roles).select_related("user")
    for membership in memberships:
        if membership.user.is_active and not selectors.represents(membership.user, request.company_id):
            notify(recipient=membership.user, kind="verification.to_review",
                   title=_("%(company)s asks to be verified") % {"company": request.company.name}, url=url)


def _after_commit(task_path: str, object_id: int) -> None:
    schema_name = connection.schema_name
    transaction.on_commit(partial(_queue, task_path, schema_name, object_id), robust=True)


def _queue(task_path: str, schema_name: str, object_id: int) -> None:
    from django.utils.module_loading import import_string

    import_string(task_path).apply_async(args=[schema_name, object_id], headers={"_schema_name": schema_name})


def _tenant():
    from tenants.models import Tenant

    tenant = getattr(connection, "tenant", None)
    if not isinstance(tenant, Tenant):
        tenant = Tenant.objects.get(schema_name=connection.schema_name)
    return tenant


@transaction.atomic
def save_document_types(*, formset, actor) -> None:
    """Save the admin's edits; a new type gets a code from its name, unique within the programme."""
    from django.utils.text import slugify

    for document_type in formset.save(commit=False):
        if not document_type.code:
            base = slugify(document_type.name)[:30] or "document"
            code, suffix = base, 2
            while DocumentType.objects.filter(code=code).exists():
                code, suffix = f"{base}-{suffix}", suffix + 1
            document_type.code = code
        document_type.save()
    record(action="verification.settings_changed", tenant=_tenant(), actor=actor, target_type="verification.documenttype",
           after={"document_types": list(DocumentType.objects.values("code", "name", "max_age_days", "is_required"))})
