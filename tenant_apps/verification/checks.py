"""Automated checks. Each records findings for a moderator to weigh; none decides anything."""

from __future__ import annotations

import io
import logging
import re
import unicodedata
from datetime import date
from urllib.parse import urlsplit

from django.utils import timezone

from tenant_apps.directory.models import Company, Representative
from tenant_apps.verification import registration_numbers
from tenant_apps.verification.models import Document, Finding, VerificationRequest

logger = logging.getLogger(__name__)

MAX_EXTRACTED_CHARS = 200_000
# Free webmail: an address there says nothing about who owns the company's domain.
WEBMAIL_DOMAINS = frozenset({"gmail.com", "yahoo.com", "yahoo.fr", "hotmail.com", "hotmail.fr", "outlook.com",
                             "outlook.fr", "live.com", "icloud.com", "orange.fr", "laposte.net", "free.fr",
                             "gmx.com", "proton.me", "protonmail.com"})

Severity = Finding.Severity


def fold(text: str) -> str:
    """Lower case, accents removed, anything but letters and digits turned into single spaces."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    plain = "".join(char for char in decomposed if not unicodedata.combining(char)).casefold()
    return " ".join(re.findall(r"[a-z0-9]+", plain))


def extract_text(document: Document) -> str:
    if not document.is_pdf:
        return ""
    from pypdf import PdfReader

    try:
        with document.file.open("rb") as handle:
            reader = PdfReader(io.BytesIO(handle.read()), strict=False)
            parts = []
            for page in reader.pages:
                parts.append(page.extract_text() or "")
                if sum(map(len, parts)) > MAX_EXTRACTED_CHARS:
                    break
    except Exception:  # pypdf raises many types for odd files; the file was readable on upload
        logger.warning("text extraction failed", extra={"document": document.pk}, exc_info=True)
        return ""
    return "\n".join(parts)[:MAX_EXTRACTED_CHARS]


def _finding(findings, request, check, severity, code, params, document=None, **data):
    """Record ``code`` (a message of tenant_apps/verification/findings.py) and its parameters, never words:
    they are put in the reader's language when shown."""
    findings.append(Finding(request=request, document=document, check_name=check, severity=severity, code=code,
                            params=params, data=data))


def document_findings(document: Document, *, today: date | None = None) -> list[Finding]:
    request, company = document.request, document.request.company
    today = today or timezone.localdate()
    findings: list[Finding] = []
    text = fold(document.extracted_text)
    if document.is_pdf and not text:
        _finding(findings, request, "text", Severity.WARNING, "text.unreadable", {}, document)
    elif text:
        names = [name for name in (company.name, company.legal_name) if fold(name)]
        found = [name for name in names if fold(name) in text]
        if found:
            _finding(findings, request, "company_name", Severity.INFO, "company_name.found", {"name": found[0]}, document)
        else:
            _finding(findings, request, "company_name", Severity.WARNING, "company_name.missing",
                     {"name": company.name}, document)
        number = registration_numbers.compact(company.registration_number)
        if number:
            squeezed = registration_numbers.compact(text.replace(" ", ""))
            if number in squeezed:
                _finding(findings, request, "registration_number", Severity.INFO, "registration_number.found",
                         {"number": company.registration_number}, document)
            else:
                _finding(findings, request, "registration_number", Severity.WARNING, "registration_number.missing",
                         {"number": company.registration_number}, document)
    max_age = document.document_type.max_age_days
    if max_age and document.issued_on:
        age = (today - document.issued_on).days
        if age > max_age:
            _finding(findings, request, "age", Severity.WARNING, "age.too_old", {"age": age, "max": max_age},
                     document, age_days=age, max_age_days=max_age)
        elif age < 0:
            _finding(findings, request, "age", Severity.WARNING, "age.future", {}, document, age_days=age)
    elif max_age:
        _finding(findings, request, "age", Severity.WARNING, "age.undated", {}, document)
    twins = (Document.objects.filter(sha256=document.sha256).exclude(request__company_id=company.pk)
             .select_related("request__company").order_by("pk"))
    other_companies = sorted({twin.request.company.name for twin in twins})
    if other_companies:
        _finding(findings, request, "duplicate_file", Severity.WARNING, "duplicate_file",
                 {"companies": other_companies}, document, companies=other_companies)
    return findings


def request_findings(request: VerificationRequest) -> list[Finding]:
    company = request.company
    findings: list[Finding] = []
    result = registration_numbers.check_format(company.country.code, company.registration_number)
    if result is not None:
        scheme, is_valid = result
        if is_valid:
            _finding(findings, request, "registration_format", Severity.INFO, "registration_format.valid",
                     {"scheme": scheme}, scheme=scheme)
        else:
            _finding(findings, request, "registration_format", Severity.WARNING, "registration_format.invalid",
                     {"scheme": scheme, "country": company.country.code}, scheme=scheme)
    number = registration_numbers.compact(company.registration_number)
    if number:
        candidates = Company.objects.exclude(pk=company.pk).exclude(registration_number="").filter(
            country=company.country).only("name", "registration_number")
        twins = sorted(other.name for other in candidates
                       if registration_numbers.compact(other.registration_number) == number)
        if twins:
            _finding(findings, request, "duplicate_registration", Severity.WARNING, "duplicate_registration",
                     {"companies": twins}, companies=twins)
    website_host = (urlsplit(company.website).hostname or "").lower().removeprefix("www.") if company.website else ""
    for representative in Representative.objects.filter(company=company).select_related("user").order_by("pk"):
        domain = representative.user.email.rsplit("@", 1)[-1].lower()
        if domain in WEBMAIL_DOMAINS:
            _finding(findings, request, "email_domain", Severity.WARNING, "email_domain.webmail",
                     {"email": representative.user.email}, email=representative.user.email)
        elif not website_host:
            _finding(findings, request, "email_domain", Severity.INFO, "email_domain.no_website",
                     {"email": representative.user.email}, email=representative.user.email)
        elif domain == website_host or domain.endswith("." + website_host) or website_host.endswith("." + domain):
            _finding(findings, request, "email_domain", Severity.INFO, "email_domain.matches",
                     {"email": representative.user.email, "site": website_host}, email=representative.user.email)
        else:
            _finding(findings, request, "email_domain", Severity.WARNING, "email_domain.mismatch",
                     {"email": representative.user.email, "site": website_host}, email=representative.user.email)
    return findings
