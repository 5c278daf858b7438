"""Demo verification queue for the francophone programme: requests in the states a moderator meets.

Every step goes through the verification services (uploads, sending, review, decisions,
with their audit entries and notifications); the automated checks run right away so the
findings are there even before a worker picks up the queued tasks. Dates are then moved
back so the queue reads like a few weeks of work. Skipped when the programme already has
verification requests.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.utils import timezone

DOCUMENT_TITLES = {
    "trade_register": "Extrait du registre du commerce",
    "director_id": "Pièce d'identité du dirigeant",
    "financial_statements": "États financiers de l'exercice",
    "proof_of_address": "Justificatif de domicile de l'entreprise",
}


@dataclass(frozen=True)
class Scenario:
    company: str
    registration_number: str
    outcome: str  # submitted | under_review | more_information | approved | rejected
    sent_days_ago: int
    decided_days_ago: int = 0
    reason: str = ""
    name_in_documents: str = ""  # another name than the company's, to draw a finding
    issued_days_ago: dict[str, int | None] = field(default_factory=dict)  # None: no date given
    shared_file: str = ""  # a document type whose file another company also sends


SCENARIOS = [
    Scenario("Karité d'Or SARL", "BF-OUA-2016-B-0421", "approved", sent_days_ago=40, decided_days_ago=30,
             reason="Documents complets et cohérents avec la fiche."),
    Scenario("Coopérative Cacao d'Abidjan", "CI-ABJ-2019-B-12345", "rejected", sent_days_ago=20, decided_days_ago=12,
             reason="Le justificatif de domicile est au nom d'une autre société ; vous pouvez faire appel avec un "
                    "justificatif à votre nom."),
    Scenario("Fromagerie du Saguenay", "1143456789", "more_information", sent_days_ago=9, decided_days_ago=5,
             reason="L'extrait du registre des entreprises a plus de 90 jours : merci d'en envoyer un récent.",
             issued_days_ago={"trade_register": 130}),
    Scenario("Sénégal Fruits Export", "SN-2021-77", "submitted", sent_days_ago=6,
             issued_days_ago={"financial_statements": None}, shared_file="proof_of_address"),
    Scenario("Atlas Agro", "RC 12A45", "submitted", sent_days_ago=3, name_in_documents="Atlas Agri Export",
             issued_days_ago={"trade_register": 200}, shared_file="proof_of_address"),
    Scenario("Tunis Textiles", "1234567A", "under_review", sent_days_ago=2),
]


def seed_verification(people: dict[str, object]) -> None:
    """Fill the current programme's verification queue; ``people`` maps demo organisations and names to users."""
    from tenant_apps.directory.models import Company, Representative
    from tenant_apps.verification import services, tasks
    from tenant_apps.verification.models import DocumentType, VerificationRequest

    if VerificationRequest.objects.exists():
        return
    moderator = people["Jean-Baptiste Kaboré"]
    document_types = list(DocumentType.objects.filter(is_required=True))
    today = timezone.localdate()
    created = []
    for scenario in SCENARIOS:
        company = Company.objects.filter(name=scenario.company).first()
        representative = next((user for organisation, user in people.items()
                               if organisation.startswith(scenario.company)), None)
        if company is None or representative is None:
            continue
        if not Representative.objects.filter(company=company, user=representative).exists():
            Representative.objects.create(company=company, user=representative,
                                          is_owner=not Representative.objects.filter(company=company, is_owner=True).exists())
        company.registration_number = scenario.registration_number
        # The directory seed shows some companies as verified; a refused request takes that back.
        if scenario.outcome == "rejected":
            company.verified_at = company.verification_expires_at = None
        company.save(update_fields=["registration_number", "verified_at", "verification_expires_at", "updated_at"])
        request = services.open_request(company=company)
        for document_type in document_types:
            days = scenario.issued_days_ago.get(document_type.code, 15)
            shared = document_type.code == scenario.shared_file
            content = _pdf([
                DOCUMENT_TITLES.get(document_type.code, document_type.label),
                "Document partagé" if shared else scenario.name_in_documents or company.name,
                "" if shared else f"Numéro d'immatriculation : {scenario.registration_number}",
                "" if shared else f"{company.city}, {company.country.name}",
            ])
            services.upload_document(
                verification_request=request, document_type=document_type,
                upload=SimpleUploadedFile(f"{document_type.code}.pdf", content, content_type="application/pdf"),
                issued_on=None if days is None else today - timedelta(days=days), actor=representative,
            )
        services.submit_request(verification_request=request, actor=representative)
        if scenario.outcome in ("under_review", "more_information", "approved", "rejected"):
            services.start_review(verification_request=request, reviewer=moderator)
        if scenario.outcome == "more_information":
            services.request_more_information(verification_request=request, reviewer=moderator, reason=scenario.reason)
        elif scenario.outcome == "approved":
            services.approve(verification_request=request, reviewer=moderator, reason=scenario.reason)
        elif scenario.outcome == "rejected":
            services.reject(verification_request=request, reviewer=moderator, reason=scenario.reason)
        created.append((scenario, request))
    # The checks compare companies with each other (the same file sent twice): run them once all is sent.
    for _scenario, request in created:
        for document in request.documents.all():
            tasks.check_document(connection.schema_name, document.pk)
        tasks.check_request(connection.schema_name, request.pk)
    for scenario, request in created:
        _move_back_in_time(scenario, request)


def _move_back_in_time(scenario: Scenario, request) -> None:
    from tenant_apps.directory.models import Company
    from tenant_apps.verification.models import VerificationRequest

    now = timezone.now()
    sent = now - timedelta(days=scenario.sent_days_ago, hours=3)
    decided = now - timedelta(days=scenario.decided_days_ago, hours=1) if scenario.decided_days_ago else None
    request.documents.update(uploaded_at=sent - timedelta(hours=1))
    for step in request.decisions.all():
        step.created_at = {"submitted": sent, "under_review": sent + timedelta(days=1)}.get(step.to_status, decided)
        step.save(update_fields=["created_at"])
    VerificationRequest.objects.filter(pk=request.pk).update(
        created_at=sent - timedelta(hours=2), submitted_at=sent,
        decided_at=decided if scenario.outcome in ("approved", "rejected") else None,
    )
    if scenario.outcome == "approved":
        company = Company.objects.get(pk=request.company_id)
        expires = decided + (company.verification_expires_at - company.verified_at)
        Company.objects.filter(pk=company.pk).update(verified_at=decided, verification_expires_at=expires)


def _pdf(lines: list[str]) -> bytes:
    """A one-page PDF whose text the checks can read (Helvetica, Windows-1252)."""

    def literal(text: str) -> bytes:
        raw = text.encode("cp1252", "replace")
        return b"(" + raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"

    stream = b"BT /F1 12 Tf 16 TL 60 780 Td " + b" ".join(literal(line) + b" '" for line in lines if line) + b" ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> "
        b"/Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
    ]
    body, offsets = b"%PDF-1.4\n", []
    for number, content in enumerate(objects, start=1):
        offsets.append(len(body))
        body += f"{number} 0 obj\n".encode() + content + b"\nendobj\n"
    xref = len(body)
    body += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    body += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    body += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return body
