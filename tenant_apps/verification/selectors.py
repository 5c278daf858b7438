"""Reads for verified registration: whose company, which request, what a moderator sees."""

from __future__ import annotations

from django.db.models import Count, Q

from shared_apps.accounts.permissions import can
from tenant_apps.directory.models import Company, Representative
from tenant_apps.verification.models import Document, DocumentType, Finding, VerificationRequest

Status = VerificationRequest.Status
OPEN_STATUSES = (Status.DRAFT, Status.SUBMITTED, Status.UNDER_REVIEW, Status.MORE_INFORMATION, Status.APPEALED)
QUEUE_STATUSES = (Status.SUBMITTED, Status.UNDER_REVIEW, Status.APPEALED)
UPLOAD_STATUSES = (Status.DRAFT, Status.MORE_INFORMATION, Status.REJECTED)


def company_for(user) -> Company | None:
    """The company ``user`` represents (the one they own first), or None."""
    if not user.is_authenticated:
        return None
    representative = (
        Representative.objects.filter(user=user).select_related("company").order_by("-is_owner", "pk").first()
    )
    return representative.company if representative else None


def represents(user, company_id: int) -> bool:
    return user.is_authenticated and Representative.objects.filter(user=user, company_id=company_id).exists()


def document_types():
    return DocumentType.objects.all()


def latest_request(company) -> VerificationRequest | None:
    return company.verification_requests.order_by("-created_at", "-pk").first()


def documents_of(verification_request):
    return verification_request.documents.select_related("document_type").order_by(
        "document_type__position", "uploaded_at"
    )


def missing_document_types(verification_request) -> list[DocumentType]:
    present = set(verification_request.documents.values_list("document_type_id", flat=True))
    return [kind for kind in DocumentType.objects.filter(is_required=True) if kind.pk not in present]


def review_queue():
    """Requests waiting for a moderator, oldest submission first, with their findings counted."""
    return (
        VerificationRequest.objects.filter(status__in=QUEUE_STATUSES)
        .select_related("company")
        .annotate(
            warning_count=Count("findings", filter=Q(findings__severity=Finding.Severity.WARNING), distinct=True),
            info_count=Count("findings", filter=Q(findings__severity=Finding.Severity.INFO), distinct=True),
            document_count=Count("documents", distinct=True),
        )
        .order_by("submitted_at", "pk")
    )


def request_for_review(pk) -> VerificationRequest | None:
    return VerificationRequest.objects.select_related("company").filter(pk=pk).first()


def findings_of(verification_request):
    return verification_request.findings.select_related("document__document_type").order_by("-severity", "check_name", "pk")


def can_open_document(user, document: Document, *, tenant) -> bool:
    """The company's representatives, reviewers and tenant admins of this programme; nobody else."""
    if not user.is_authenticated:
        return False
    if can(user, "verification.review", tenant=tenant) or can(user, "settings.change", tenant=tenant):
        return True
    return represents(user, document.request.company_id) and can(user, "verification.request", tenant=tenant)


def document_by_id(pk) -> Document | None:
    return Document.objects.select_related("request__company", "document_type").filter(pk=pk).first()
