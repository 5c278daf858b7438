"""Automated checks. Each records findings for a moderator to weigh; none decides anything."""

from __future__ import annotations

import io
import logging
import re
import unicodedata
from datetime import date
from urllib.parse import urlsplit

from django.utils import timezone
from django.utils.translation import gettext as _

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


def _finding(findings, request, check, severity, message, document=None, **data):
    findings.append(Finding(request=request, document=document, check_name=check, severity=severity, message=message,
                            data=data))


def document_findings(document: Document, *, today: date | None = None) -> list[Finding]:
    request, company = document.request, document.request.company
    today = today or timezone.localdate()
    findings: list[Finding] = []
    text = fold(document.extracted_text)
    if document.is_pdf and not text:
        _finding(findings, request, "text", Severity.WARNING,
                 _("No text could be read from this PDF (a scan?): compare it with the profile by eye."), document)
    elif text:
        names = [name for name in (company.name, company.legal_name) if fold(name)]
        found = [name for name in names if fold(name) in text]
        if found:
            _finding(findings, request, "company_name", Severity.INFO,
                     _("The company name “%(name)s” appears in the document.") % {"name": found[0]}, document)
        else:
            _finding(findings, request, "company_name", Severity.WARNING,
                     _("The company name “%(name)s” does not appear in the document.") % {"name": company.name},
                     document)
        number = registration_numbers.compact(company.registration_number)
        if number:
            squeezed = registration_numbers.compact(text.replace(" ", ""))
            if number in squeezed:
                _finding(findings, request, "registration_number", Severity.INFO,
                         _("The registration number %(number)s appears in the document.")
                         % {"number": company.registration_number}, document)
            else:
                _finding(findings, request, "registration_number", Severity.WARNING,
                         _("The registration number %(number)s does not appear in the document.")
                         % {"number": company.registration_number}, document)
    max_age = document.document_type.max_age_days
    if max_age and document.issued_on:
        age = (today - document.issued_on).days
        if age > max_age:
            _finding(findings, request, "age", Severity.WARNING,
                     _("This document is %(age)d days old; the programme accepts at most %(max)d days.")
                     % {"age": age, "max": max_age}, document, age_days=age, max_age_days=max_age)
        elif age < 0:
            _finding(findings, request, "age", Severity.WARNING,
                     _("The date given for this document is in the future."), document, age_days=age)
    elif max_age:
        _finding(findings, request, "age", Severity.WARNING,
                 _("No date was given for this document, so its age could not be checked."), document)
    twins = (Document.objects.filter(sha256=document.sha256).exclude(request__company_id=company.pk)
             .select_related("request__company").order_by("pk"))
    other_companies = sorted({twin.request.company.name for twin in twins})
    if other_companies:
        _finding(findings, request, "duplicate_file", Severity.WARNING,
                 _("The same file was sent by another company: %(companies)s.")
                 % {"companies": ", ".join(other_companies)}, document, companies=other_companies)
    return findings


def request_findings(request: VerificationRequest) -> list[Finding]:
    company = request.company
    findings: list[Finding] = []
    result = registration_numbers.check_format(company.country.code, company.registration_number)
    if result is not None:
        scheme, is_valid = result
        if is_valid:
            _finding(findings, request, "registration_format", Severity.INFO,
                     _("The registration number is a well-formed %(scheme)s.") % {"scheme": scheme}, scheme=scheme)
        else:
            _finding(findings, request, "registration_format", Severity.WARNING,
                     _("The registration number is not a valid %(scheme)s for %(country)s.")
                     % {"scheme": scheme, "country": company.country.name}, scheme=scheme)
    number = registration_numbers.compact(company.registration_number)
    if number:
        candidates = Company.objects.exclude(pk=company.pk).exclude(registration_number="").filter(
            country=company.country).only("name", "registration_number")
        twins = sorted(other.name for other in candidates
                       if registration_numbers.compact(other.registration_number) == number)
        if twins:
            _finding(findings, request, "duplicate_registration", Severity.WARNING,
                     _("Another company uses the same registration number: %(companies)s.")
                     % {"companies": ", ".join(twins)}, companies=twins)
    website_host = (urlsplit(company.website).hostname or "").lower().removeprefix("www.") if company.website else ""
    for representative in Representative.objects.filter(company=company).select_related("user").order_by("pk"):
        domain = representative.user.email.rsplit("@", 1)[-1].lower()
        if domain in WEBMAIL_DOMAINS:
            _finding(findings, request, "email_domain", Severity.WARNING,
                     _("%(email)s is a free webmail address, not one of the company's domain.")
                     % {"email": representative.user.email}, email=representative.user.email)
        elif not website_host:
            _finding(findings, request, "email_domain", Severity.INFO,
                     _("The company has no website to compare %(email)s with.") % {"email": representative.user.email},
                     email=representative.user.email)
        elif domain == website_host or domain.endswith("." + website_host) or website_host.endswith("." + domain):
            _finding(findings, request, "email_domain", Severity.INFO,
                     _("%(email)s matches the website %(site)s.") % {"email": representative.user.email,
                                                                    "site": website_host},
                     email=representative.user.email)
        else:
            _finding(findings, request, "email_domain", Severity.WARNING,
                     _("%(email)s does not match the website %(site)s.") % {"email": representative.user.email,
                                                                           "site": website_host},
                     email=representative.user.email)
    return findings
