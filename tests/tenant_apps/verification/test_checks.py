import os
import socket
import struct
import threading
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django_tenants.utils import tenant_context

from tenant_apps.directory.models import Company, Representative
from tenant_apps.verification import services, tasks
from tenant_apps.verification.models import DocumentType, Finding
from tenant_apps.verification.registration_numbers import check_format
from tests.factories import UserFactory
from tests.tenant_apps.verification.conftest import pdf_upload


@pytest.mark.parametrize(("country", "number", "expected"), [
    ("FR", "732 829 320", ("SIREN", True)),
    ("FR", "732 829 321", ("SIREN", False)),
    ("FR", "732 829 320 00074", ("SIRET", True)),
    ("BE", "0403.170.701", ("BCE/KBO", True)),
    ("BE", "0403.170.702", ("BCE/KBO", False)),
    ("SN", "0012345 2G3", ("NINEA", True)),
    ("SN", "12-AB", ("NINEA", False)),
    ("MA", "001234567000089", ("ICE", True)),
    ("MA", "RC 123456", ("RC/ICE", True)),
    ("CI", "CI-ABJ-2015-B-12345", ("RCCM", True)),
    ("CI", "ABJ 2015", ("RCCM", False)),
    ("TN", "1234567A", ("RNE", True)),
    ("CA", "1145678901", ("NEQ", True)),
    ("CA", "9999999999", ("NEQ", False)),
])
def test_registration_number_formats_per_country(country, number, expected):
    assert check_format(country, number) == expected


def test_unknown_countries_and_empty_numbers_give_no_verdict():
    assert check_format("US", "12-3456789") is None
    assert check_format("FR", "") is None


def _document(alpha, company, text, *, issued_on=None, code="trade_register", actor=None):
    with tenant_context(alpha.tenant):
        request = services.open_request(company=company)
        document = services.upload_document(
            verification_request=request, document_type=DocumentType.objects.get(code=code),
            upload=pdf_upload(text), issued_on=issued_on, actor=actor or alpha.members["company_rep"])
        tasks.check_document(alpha.tenant.schema_name, document.pk)
        return {finding.check_name: finding for finding in Finding.objects.filter(document=document)}


def test_name_and_number_are_found_whatever_the_accents_and_case(alpha, company):
    findings = _document(alpha, company, "EXTRAIT K-BIS societe generale des epices - 732829320",
                         issued_on=date.today())
    assert findings["company_name"].severity == "info"
    assert findings["registration_number"].severity == "info"
    assert "age" not in findings


def test_a_document_for_someone_else_is_flagged(alpha, company):
    findings = _document(alpha, company, "Boulangerie Martin 552 100 554", issued_on=date.today())
    assert findings["company_name"].severity == "warning"
    assert findings["registration_number"].severity == "warning"


def test_old_or_undated_documents_are_flagged_by_the_types_maximum_age(alpha, company):
    old = _document(alpha, company, "Société Générale des Épices", issued_on=date.today() - timedelta(days=200))
    assert old["age"].severity == "warning" and old["age"].data["age_days"] == 200
    undated = _document(alpha, company, "Société Générale des Épices")
    assert undated["age"].severity == "warning"
    no_limit = _document(alpha, company, "Société Générale des Épices", code="director_id")
    assert "age" not in no_limit


def test_the_same_file_sent_by_another_company_is_flagged(alpha, company):
    with tenant_context(alpha.tenant):
        other = Company.objects.create(name="Autre SARL", country="FR")
        other_rep = UserFactory()
        Representative.objects.create(company=other, user=other_rep, is_owner=True)
    _document(alpha, other, "Société Générale des Épices 732 829 320", actor=other_rep)
    findings = _document(alpha, company, "Société Générale des Épices 732 829 320")
    assert findings["duplicate_file"].severity == "warning"
    assert findings["duplicate_file"].data["companies"] == ["Autre SARL"]


def _request_findings(alpha, company):
    with tenant_context(alpha.tenant):
        request = services.open_request(company=company)
        tasks.check_request(alpha.tenant.schema_name, request.pk)
        return {(f.check_name, f.severity): f for f in Finding.objects.filter(request=request, document=None)}


def test_request_checks_format_duplicates_and_email_domain(alpha, company):
    rep = alpha.members["company_rep"]
    findings = _request_findings(alpha, company)
    assert ("registration_format", "info") in findings
    # The representative's address is at example.org, the website at epices.example.org.
    assert ("email_domain", "info") in findings or ("email_domain", "warning") in findings
    with tenant_context(alpha.tenant):
        Company.objects.create(name="Copie SAS", country="FR", registration_number="732829320")
        company.website = "https://example.org"
        company.save()
    findings = _request_findings(alpha, company)
    assert findings[("duplicate_registration", "warning")].data["companies"] == ["Copie SAS"]
    assert rep.email.endswith("example.org") and ("email_domain", "info") in findings
    with tenant_context(alpha.tenant):
        company.website = "https://elsewhere.test"
        company.registration_number = "732 829 321"
        company.save()
    findings = _request_findings(alpha, company)
    assert ("email_domain", "warning") in findings and ("registration_format", "warning") in findings


def test_a_company_in_a_country_without_known_format_gets_no_format_finding(alpha, company):
    with tenant_context(alpha.tenant):
        company.country = "US"
        company.save()
    assert not any(check == "registration_format" for check, _ in _request_findings(alpha, company))


def test_findings_are_replaced_not_piled_up_when_checks_run_again(alpha, company):
    _request_findings(alpha, company)
    first = len(_request_findings(alpha, company))
    assert len(_request_findings(alpha, company)) == first


class FakeClamd:
    """A clamd stand-in on a UNIX socket: answers FOUND when the stream holds the EICAR marker."""

    def __init__(self, path):
        self.path = path
        self.server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.server.bind(path)
        self.server.listen(4)
        self.thread = threading.Thread(target=self.serve, daemon=True)
        self.thread.start()

    def serve(self):
        while True:
            try:
                connection, _ = self.server.accept()
            except OSError:
                return
            with connection:
                command = b""
                while not command.endswith(b"\0"):
                    command += connection.recv(1)
                data = b""
                while True:
                    size = struct.unpack("!L", self._exactly(connection, 4))[0]
                    if size == 0:
                        break
                    data += self._exactly(connection, size)
                reply = b"stream: Eicar-Signature FOUND\0" if b"EICAR" in data else b"stream: OK\0"
                connection.sendall(reply)

    @staticmethod
    def _exactly(connection, size):
        buffer = b""
        while len(buffer) < size:
            buffer += connection.recv(size - len(buffer))
        return buffer

    def close(self):
        self.server.close()


@pytest.fixture
def clamd(settings, tmp_path):
    path = os.path.join(tmp_path, "clamd.sock")
    server = FakeClamd(path)
    settings.CLAMD_SOCKET = path
    yield server
    server.close()


def test_clean_files_pass_the_antivirus(clamd):
    services.validate_document(pdf_upload("clean document"))


def test_infected_files_are_refused(alpha, company, clamd):
    client = alpha.client(alpha.members["company_rep"])
    with tenant_context(alpha.tenant):
        type_id = DocumentType.objects.get(code="trade_register").pk
    response = client.post("/verification/documents/", {"document_type": type_id,
                                                         "file": pdf_upload("EICAR test string")})
    assert response.status_code == 400 and "infected" in response.content.decode()


def test_an_unreachable_antivirus_refuses_the_file(settings, tmp_path):
    settings.CLAMD_SOCKET = str(tmp_path / "nobody-listens.sock")
    with pytest.raises(ValidationError) as error:
        services.validate_document(pdf_upload("anything"))
    assert error.value.code == "scan_unavailable"
