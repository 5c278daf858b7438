"""Background checks and expiry. Tasks take the schema and ids, and are safe to run twice."""

from __future__ import annotations

from celery import shared_task
from django.db import transaction
from django_tenants.utils import schema_context

from tenant_apps.verification import checks, services
from tenant_apps.verification.models import Document, Finding, VerificationRequest
from tenants.models import Tenant

DOCUMENT_CHECKS = ("text", "company_name", "registration_number", "age", "duplicate_file")
REQUEST_CHECKS = ("registration_format", "duplicate_registration", "email_domain")


@shared_task(name="verification.check_document")
def check_document(schema_name: str, document_id: int) -> int:
    """Extract the document's text and record its findings (replacing earlier ones); returns how many."""
    with schema_context(schema_name):
        document = Document.objects.select_related("request__company", "document_type").filter(pk=document_id).first()
        if document is None:
            return 0
        document.extracted_text = checks.extract_text(document)
        findings = checks.document_findings(document)
        with transaction.atomic():
            document.save(update_fields=["extracted_text"])
            Finding.objects.filter(document=document, check_name__in=DOCUMENT_CHECKS).delete()
            Finding.objects.bulk_create(findings)
        return len(findings)


@shared_task(name="verification.check_request")
def check_request(schema_name: str, request_id: int) -> int:
    with schema_context(schema_name):
        request = VerificationRequest.objects.select_related("company").filter(pk=request_id).first()
        if request is None:
            return 0
        findings = checks.request_findings(request)
        with transaction.atomic():
            Finding.objects.filter(request=request, document__isnull=True, check_name__in=REQUEST_CHECKS).delete()
            Finding.objects.bulk_create(findings)
        return len(findings)


@shared_task(name="verification.process_expiries")
def process_expiries(schema_name: str) -> dict:
    tenant = Tenant.objects.programmes().filter(schema_name=schema_name, status=Tenant.Status.ACTIVE).first()
    if tenant is None or not tenant.has_module("verification"):
        return {}
    with schema_context(schema_name):
        return services.process_expiries()


@shared_task(name="verification.process_expiries_all_tenants")
def process_expiries_all_tenants() -> int:
    """Fan out one expiry task per active programme, each carrying its schema."""
    schema_names = list(
        Tenant.objects.programmes().filter(status=Tenant.Status.ACTIVE).values_list("schema_name", flat=True)
    )
    for schema_name in schema_names:
        process_expiries.apply_async(args=[schema_name], headers={"_schema_name": schema_name})
    return len(schema_names)
