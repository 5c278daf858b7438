"""Findings are stored as a code and parameters and worded in the reader's language."""

import importlib
from datetime import date, timedelta

from django.apps import apps
from django.utils import translation
from django_tenants.utils import tenant_context

from tenant_apps.verification import findings, services, tasks
from tenant_apps.verification.models import DocumentType, Finding
from tests.tenant_apps.verification.conftest import pdf_upload

add_codes = importlib.import_module("tenant_apps.verification.migrations.0003_finding_codes").add_codes


def _checked_in_french(alpha, company):
    """Run the checks as a French-speaking worker would."""
    with tenant_context(alpha.tenant), translation.override("fr"):
        request = services.open_request(company=company)
        document = services.upload_document(
            verification_request=request, document_type=DocumentType.objects.get(code="trade_register"),
            upload=pdf_upload("Boulangerie Martin"), issued_on=date.today() - timedelta(days=200),
            actor=alpha.members["company_rep"])
        company.registration_number = "732 829 321"
        company.save()
        tasks.check_document(alpha.tenant.schema_name, document.pk)
        tasks.check_request(alpha.tenant.schema_name, request.pk)
        return request


def test_findings_keep_a_code_and_parameters_not_words(alpha, company):
    request = _checked_in_french(alpha, company)
    with tenant_context(alpha.tenant):
        stored = {finding.code: finding.params for finding in Finding.objects.filter(request=request)}
    assert stored["age.too_old"] == {"age": 200, "max": 90}
    assert stored["company_name.missing"] == {"name": "Société Générale des Épices"}
    assert stored["registration_format.invalid"] == {"scheme": "SIREN", "country": "FR"}


def test_a_finding_reads_in_the_readers_language(alpha, company):
    request = _checked_in_french(alpha, company)
    with tenant_context(alpha.tenant):
        finding = Finding.objects.get(request=request, code="age.too_old")
        invalid = Finding.objects.get(request=request, code="registration_format.invalid")
        with translation.override("en"):
            assert finding.text == "This document is 200 days old; the programme accepts at most 90 days."
            assert invalid.text == "The registration number is not a valid SIREN for France."
        with translation.override("fr"):
            assert finding.text == "Ce document date de 200 jours ; le programme accepte au maximum 90 jours."
            assert invalid.text.endswith("pour ce pays (France).")


def test_the_review_page_shows_findings_in_the_moderators_language(alpha, company):
    request = _checked_in_french(alpha, company)
    client = alpha.client(alpha.members["moderator"])
    english = client.get(f"/verification/review/{request.pk}/").content.decode()
    assert "This document is 200 days old" in english
    client.cookies["django_language"] = "fr"
    french = client.get(f"/verification/review/{request.pk}/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Ce document date de 200 jours" in french


def test_sentences_recorded_before_codes_are_converted_in_either_language(alpha, company):
    with tenant_context(alpha.tenant):
        request = services.open_request(company=company)
        with translation.override("fr"):
            french = str(findings.MESSAGES["duplicate_file"]) % {"companies": "Autre SARL, Copie SAS"}
            invalid = str(findings.MESSAGES["registration_format.invalid"]) % {"scheme": "SIREN", "country": "France"}
        legacy = [
            Finding.objects.create(request=request, check_name="duplicate_file", severity="warning", message=french),
            Finding.objects.create(request=request, check_name="registration_format", severity="warning",
                                   message=invalid),
            Finding.objects.create(request=request, check_name="registration_number", severity="info",
                                   message="The registration number 0123 456 appears in the document."),
            Finding.objects.create(request=request, check_name="age", severity="warning",
                                   message="This document is 120 days old; the programme accepts at most 90 days."),
            Finding.objects.create(request=request, check_name="custom", severity="info", message="Vu au salon de Dakar."),
        ]

        add_codes(apps, None)

        duplicate, invalid, number, age, custom = (Finding.objects.get(pk=finding.pk) for finding in legacy)
        assert (duplicate.code, duplicate.params) == ("duplicate_file", {"companies": ["Autre SARL", "Copie SAS"]})
        assert (invalid.code, invalid.params) == ("registration_format.invalid", {"scheme": "SIREN", "country": "FR"})
        assert number.params == {"number": "0123 456"} and age.params == {"age": 120, "max": 90}
        assert duplicate.message == "" and duplicate.text == "The same file was sent by another company: Autre SARL, Copie SAS."
        assert (custom.code, custom.text) == ("", "Vu au salon de Dakar.")


def test_a_finding_whose_parameters_do_not_fit_falls_back_to_its_sentence():
    assert findings.render("age.too_old", {"age": "many"}, "Vieux document.") == "Vieux document."
    assert findings.render("unknown.code", {}, "Texte libre.") == "Texte libre."



def test_countries_are_named_in_the_readers_language():
    with translation.override("fr"):
        assert findings.render("registration_format.invalid", {"scheme": "NINEA", "country": "SN"}).endswith("(Sénégal).")
    with translation.override("en"):
        assert findings.render("registration_format.invalid", {"scheme": "NINEA", "country": "SN"}).endswith("Senegal.")
