"""Bulk onboarding: upload a spreadsheet, see every row and problem, confirm all or nothing; export the directory."""

import csv
import io
from html import unescape

import openpyxl
import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django_tenants.utils import tenant_context

from shared_apps.accounts import services as account_services
from shared_apps.accounts.models import Invitation
from shared_apps.audit.models import AuditEvent
from tenant_apps.directory.models import Company, DirectorySettings, PendingRepresentative, Representative, Sector
from tenant_apps.directory.onboarding import resources

HEADER = ["Company name", "Legal name", "Registration number", "Country", "City", "Sector", "Size", "Export stage",
          "Website", "Description", "Representative full name", "Representative e-mail", "Representative job title",
          "Owner (yes/no)"]


def row(name="Société Kora", number="SN-001", country="SN", email="", rep_name="", owner="no", **extra):
    values = {"legal_name": "", "city": "Dakar", "sector": "", "size": "", "export_stage": "", "website": "",
              "description": "", "job_title": "", **extra}
    return [name, values["legal_name"], number, country, values["city"], values["sector"], values["size"],
            values["export_stage"], values["website"], values["description"], rep_name, email, values["job_title"], owner]


def csv_bytes(rows, *, header=HEADER, delimiter=",", encoding="utf-8"):
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)


def xlsx_bytes(rows, *, header=HEADER):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(header)
    for values in rows:
        sheet.append(values)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def upload(client, content, name="companies.csv"):
    return client.post("/manage/onboarding/", {"file": SimpleUploadedFile(name, content)}, follow=True)


def preview_path(response):
    return response.redirect_chain[-1][0]


@pytest.fixture
def admin(alpha):
    return alpha.client(alpha.members["tenant_admin"])


@pytest.fixture
def food(alpha):
    with tenant_context(alpha.tenant):
        return Sector.objects.create(name="Agroalimentaire", name_en="Food processing", slug="agro-alimentaire")


def in_alpha(alpha, fn):
    with tenant_context(alpha.tenant):
        return fn()


def test_csv_import_creates_companies_links_members_and_invites_the_others(alpha, admin, food):
    member = alpha.members["company_rep"]
    content = csv_bytes([
        row("Société Kora", "SN-001", "Sénégal", member.email, "Rep Alpha", "yes", sector="AGROALIMENTAIRE",
            size="small", export_stage="growing", website="kora.example.sn", job_title="CEO"),
        row("Société Kora", "SN-001", "SN", "awa@kora.example.sn", "Awa Diop"),
        row("Atelier Bleu", "FR-77", "France", "jean@bleu.example.fr", "Jean Martin", "oui", city="Lyon"),
    ])

    response = upload(admin, content)

    html = response.content.decode()
    assert response.status_code == 200 and "/manage/onboarding/" in preview_path(response)
    assert "2 companies will be created." in html
    assert "Linked (already a member)" in html and "Invited by e-mail" in html
    assert in_alpha(alpha, Company.objects.count) == 0, "the preview writes nothing"
    mail.outbox.clear()

    response = admin.post(preview_path(response) + "confirm/", follow=True)

    assert "Import done: 2 companies created" in response.content.decode()
    with tenant_context(alpha.tenant):
        kora = Company.objects.get(registration_number="SN-001")
        assert (kora.name, kora.country.code, kora.sector, kora.size, kora.export_stage, kora.website) == (
            "Société Kora", "SN", food, "small", "growing", "https://kora.example.sn")
        owner = Representative.objects.get(company=kora)
        assert (owner.user, owner.is_owner, owner.job_title) == (member, True, "CEO")
        assert set(PendingRepresentative.objects.values_list("email", "company__name", "is_owner")) == {
            ("awa@kora.example.sn", "Société Kora", False), ("jean@bleu.example.fr", "Atelier Bleu", True)}
    assert sorted(message.to[0] for message in mail.outbox) == ["awa@kora.example.sn", "jean@bleu.example.fr"]
    event = AuditEvent.objects.for_tenant(alpha.tenant).filter(action="directory.import_confirmed").get()
    assert event.after["companies_created"] == 2 and event.after["invitations"] == 2


def test_xlsx_import_reads_numbers_and_creates_the_company(alpha, admin):
    content = xlsx_bytes([["Kora", "", 123456789, "CI", "Abidjan", "", "medium", "experienced", "", "", "", "", "", ""]])

    response = upload(admin, content, name="companies.xlsx")
    assert "1 company will be created." in response.content.decode()
    admin.post(preview_path(response) + "confirm/")

    with tenant_context(alpha.tenant):
        company = Company.objects.get()
    assert (company.registration_number, company.country.code, company.size) == ("123456789", "CI", "medium")


def test_accepting_the_invitation_makes_the_person_representative_of_their_company(alpha, admin):
    response = upload(admin, csv_bytes([row("Kora", "SN-1", "SN", "new.person@kora.example.sn", "New Person", "yes")]))
    admin.post(preview_path(response) + "confirm/")
    invitation = Invitation.objects.for_tenant(alpha.tenant).get(email="new.person@kora.example.sn")

    account_services.accept_invitation(invitation=invitation, full_name="New Person", password="A long pass phrase 42")

    with tenant_context(alpha.tenant):
        representative = Representative.objects.select_related("user", "company").get()
        assert (representative.user.email, representative.company.name, representative.is_owner) == (
            "new.person@kora.example.sn", "Kora", True)
        assert PendingRepresentative.objects.get().linked_at is not None


@pytest.mark.parametrize(("cells", "message"), [
    ({"name": ""}, "Company name is missing."),
    ({"number": ""}, "Registration number is missing."),
    ({"country": ""}, "Country is missing."),
    ({"country": "Atlantide"}, "“Atlantide” is not a country we know"),
    ({"sector": "Astronautique"}, "“Astronautique” is not one of this programme's sectors"),
    ({"size": "huge"}, "“huge” is not a company size"),
    ({"export_stage": "veteran"}, "“veteran” is not an export stage"),
    ({"website": "not a site"}, "“not a site” is not a web address."),
    ({"email": "awa@"}, "“awa@” is not a valid e-mail address."),
    ({"rep_name": "Awa Diop"}, "The representative's e-mail is missing"),
    ({"owner": "maybe", "email": "a@b.example.org"}, "Owner must be “yes” or “no”, not “maybe”."),
    ({"name": "x" * 201}, "Company name is longer than 200 characters."),
])
def test_each_row_error_is_explained_and_nothing_can_be_imported(alpha, admin, cells, message):
    response = upload(admin, csv_bytes([row("Good company", "OK-1"), row(**{"name": "Kora", "number": "SN-9", **cells})]))

    html = unescape(response.content.decode())
    assert message in html
    assert "Import these rows" not in html
    assert admin.post(preview_path(response) + "confirm/").status_code == 400
    assert in_alpha(alpha, Company.objects.count) == 0


def test_errors_are_explained_in_french_for_a_french_reader(alpha):
    client = alpha.client(alpha.members["tenant_admin"])
    client.cookies["django_language"] = "fr"
    response = client.post("/manage/onboarding/", {"file": SimpleUploadedFile("f.csv", csv_bytes([row(country="Atlantide")]))},
                           follow=True, HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 200
    assert '<html lang="fr"' in response.content.decode()


def test_a_registration_number_twice_in_the_file_for_different_companies_is_refused(alpha, admin):
    response = upload(admin, csv_bytes([row("Kora", "SN 001"), row("Other name", "sn001")]))
    assert "Registration number sn001 is also on row 2, for another company (“Kora”)." in response.content.decode()


def test_a_registration_number_of_another_existing_company_is_refused(alpha, admin):
    in_alpha(alpha, lambda: Company.objects.create(name="Ancienne", registration_number="SN-001", country="SN"))
    response = upload(admin, csv_bytes([row("Kora", "SN-001")]))
    assert "Registration number SN-001 already belongs to “Ancienne” in the directory." in response.content.decode()


def test_an_existing_company_with_the_same_name_and_number_is_updated(alpha, admin, food):
    company = in_alpha(alpha, lambda: Company.objects.create(name="Kora", registration_number="SN-001", country="SN",
                                                             description="Kept"))
    response = upload(admin, csv_bytes([row("KORA", "SN-001", "Mali", sector="Food processing")]))
    assert "1 company will be updated." in response.content.decode()
    admin.post(preview_path(response) + "confirm/")
    with tenant_context(alpha.tenant):
        company.refresh_from_db()
        assert (company.country.code, company.sector, company.description, Company.objects.count()) == ("ML", food, "Kept", 1)


def test_the_same_person_twice_for_a_company_and_two_owners_are_refused(alpha, admin):
    response = upload(admin, csv_bytes([row(email="a@x.example.org", owner="yes"), row(email="A@x.example.org"),
                                        row(email="b@x.example.org", owner="yes")]))
    html = response.content.decode()
    assert "a@x.example.org is already a representative of this company on row 2." in html
    assert "Row 2 already names the owner of this company" in html


@pytest.mark.parametrize(("encoding", "delimiter"), [("utf-8-sig", ";"), ("cp1252", ";"), ("utf-8", ","), ("cp1252", ",")])
def test_csv_from_french_excel_exports_is_read_whatever_the_encoding_and_separator(alpha, admin, encoding, delimiter):
    content = csv_bytes([row("Société Générale d'Épices", "SN-1", "Côte d’Ivoire".replace("’", "'"), city="Thiès")],
                        delimiter=delimiter, encoding=encoding)
    response = upload(admin, content)
    assert "Société Générale d&#x27;Épices" in response.content.decode()
    admin.post(preview_path(response) + "confirm/")
    with tenant_context(alpha.tenant):
        company = Company.objects.get()
    assert (company.name, company.city, company.country.code) == ("Société Générale d'Épices", "Thiès", "CI")


def test_french_column_names_are_understood(alpha, admin):
    content = csv_bytes([["Kora", "SN-1", "Sénégal", "awa@kora.example.sn"]],
                        header=["Nom de l'entreprise", "RCCM", "Pays", "Courriel"], delimiter=";")
    assert "1 invitation will be sent." in upload(admin, content).content.decode()


@pytest.mark.parametrize(("name", "content", "message"), [
    ("logo.csv", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "This file is not a CSV or Excel (XLSX) file."),
    ("big.csv", b"a" * (resources.MAX_BYTES + 1), "This file is larger than"),
    ("empty.csv", b"", "The submitted file is empty."),
    ("cols.csv", b"Company name;Registration number;Country;Colour\nKora;1;SN;red\n", "These columns are not recognised: “Colour”"),
    ("cols.csv", b"Company name;Country\nKora;SN\n", "These required columns are missing: Registration number."),
    ("head.csv", b"Company name;Registration number;Country\n", "This file has column names but no rows to import."),
    ("broken.xlsx", b"PK\x03\x04" + b"\x00" * 100, "This Excel file is damaged or could not be read"),
])
def test_unreadable_files_are_refused_next_to_the_field(alpha, admin, name, content, message):
    response = admin.post("/manage/onboarding/", {"file": SimpleUploadedFile(name, content)})
    assert response.status_code == 400
    assert message in response.content.decode()


def test_invitations_are_sent_once_even_when_a_file_is_imported_twice(alpha, admin):
    content = csv_bytes([row("Kora", "SN-1", email="awa@kora.example.sn"), row("Bleu", "FR-1", "FR", email="awa@kora.example.sn")])
    mail.outbox.clear()
    admin.post(preview_path(upload(admin, content)) + "confirm/")
    assert [message.to for message in mail.outbox] == [["awa@kora.example.sn"]]

    response = upload(admin, content)
    assert "Already invited; linked when they accept" in response.content.decode()
    admin.post(preview_path(response) + "confirm/")
    assert len(mail.outbox) == 1
    assert Invitation.objects.for_tenant(alpha.tenant).filter(email="awa@kora.example.sn").count() == 1
    assert in_alpha(alpha, PendingRepresentative.objects.count) == 2


def test_confirm_checks_the_rows_again_and_writes_nothing_when_they_became_invalid(alpha, admin):
    response = upload(admin, csv_bytes([row("Kora", "SN-1", email="awa@kora.example.sn"), row("Bleu", "FR-1", "FR")]))
    path = preview_path(response)
    in_alpha(alpha, lambda: Company.objects.create(name="Someone else", registration_number="FR-1", country="FR"))
    mail.outbox.clear()

    response = admin.post(path + "confirm/")

    assert response.status_code == 400
    assert "Nothing was imported" in response.content.decode()
    assert "already belongs to “Someone else”" in response.content.decode()
    assert in_alpha(alpha, Company.objects.count) == 1
    assert mail.outbox == []
    assert not Invitation.objects.for_tenant(alpha.tenant).filter(email="awa@kora.example.sn").exists()


def test_a_confirmed_import_cannot_be_confirmed_again(alpha, admin):
    path = preview_path(upload(admin, csv_bytes([row()])))
    admin.post(path + "confirm/")
    assert admin.post(path + "confirm/").status_code == 404
    assert in_alpha(alpha, Company.objects.count) == 1


def test_another_admins_pending_import_is_not_found(alpha, admin):
    from tests.conftest import enrol_backup_codes
    from tests.factories import MembershipFactory, UserFactory

    path = preview_path(upload(admin, csv_bytes([row()])))
    other = UserFactory(email="second.admin@alpha.example.org")
    MembershipFactory(user=other, tenant=alpha.tenant, role="tenant_admin")
    enrol_backup_codes(other)
    client = alpha.client(other)
    assert client.get(path).status_code == 404
    assert client.post(path + "confirm/").status_code == 404
    assert in_alpha(alpha, Company.objects.count) == 0


def test_another_tenants_admin_and_lower_roles_cannot_import(alpha, beta, admin):
    from django.test import Client

    from tests.conftest import sign_in

    path = preview_path(upload(admin, csv_bytes([row()])))
    outsider = Client(HTTP_HOST=alpha.host)
    sign_in(outsider, beta.members["tenant_admin"])
    assert outsider.get(path).status_code == 403
    assert outsider.post(path + "confirm/").status_code == 403
    assert beta.client(beta.members["tenant_admin"]).get(path).status_code == 404
    for role in ("moderator", "company_rep", "expert", "buyer", "guest"):
        client = alpha.client(alpha.members[role])
        assert client.post(path + "confirm/").status_code == 403
        assert client.post("/manage/onboarding/", {"file": SimpleUploadedFile("a.csv", csv_bytes([row()]))}).status_code == 403
    assert alpha.client().post(path + "confirm/").status_code == 302
    assert in_alpha(alpha, Company.objects.count) == 0


def test_template_downloads_can_be_imported_back(alpha, admin, food):
    for fmt in ("csv", "xlsx"):
        response = admin.get(f"/manage/onboarding/template.{fmt}")
        assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
        preview = upload(admin, response.content, name=f"template.{fmt}")
        assert "1 company will be created." in preview.content.decode(), fmt


def test_export_lists_companies_with_sector_country_verification_and_representatives(alpha, food):
    from django.utils import timezone

    member = alpha.members["company_rep"]
    with tenant_context(alpha.tenant):
        company = Company.objects.create(name="Kora", registration_number="SN-1", country="SN", sector=food,
                                         verified_at=timezone.now(), verification_expires_at=timezone.now() + timezone.timedelta(days=30))
        Representative.objects.create(company=company, user=member, is_owner=True, job_title="CEO")
        Company.objects.create(name="=HYPERLINK(\"http://evil.example\")", registration_number="@SUM(1)", country="FR")

    response = alpha.client(alpha.members["moderator"]).get("/manage/onboarding/export/?format=csv")

    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:4] == ["Company name", "Legal name", "Registration number", "Country"]
    kora = next(line for line in rows if line[0] == "Kora")
    assert {"Senegal", "SN", "Agroalimentaire", "Verified"} <= set(kora)
    assert f"Company Rep Alpha <{member.email}>, CEO (owner)" in kora
    evil = next(line for line in rows if "HYPERLINK" in line[0])
    assert evil[0].startswith("'=") and evil[2] == "'@SUM(1)"
    assert AuditEvent.objects.for_tenant(alpha.tenant).filter(action="directory.exported").exists()

    xlsx = alpha.client(alpha.members["tenant_admin"]).get("/manage/onboarding/export/?format=xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content)).active
    names = [cell.value for cell in sheet["A"]]
    assert "Kora" in names and "'=HYPERLINK(\"http://evil.example\")" in names


def test_export_is_refused_to_members_without_the_permission(alpha, beta):
    from django.test import Client

    from tests.conftest import sign_in

    for role in ("company_rep", "expert", "buyer", "guest"):
        assert alpha.client(alpha.members[role]).get("/manage/onboarding/export/").status_code == 403
    outsider = Client(HTTP_HOST=alpha.host)
    sign_in(outsider, beta.members["tenant_admin"])
    assert outsider.get("/manage/onboarding/export/").status_code == 403


def test_export_query_count_does_not_grow_with_companies(alpha):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tenant_apps.directory.onboarding import selectors
    from tests.factories import UserFactory

    def _queries():
        with CaptureQueriesContext(connection) as queries:
            resources.export_directory(selectors.companies_for_export(), "csv")
        return len(queries)

    with tenant_context(alpha.tenant):
        Company.objects.create(name="First", registration_number="1", country="SN")
        few = _queries()
        for number in range(2, 12):
            company = Company.objects.create(name=f"Company {number}", registration_number=str(number), country="FR")
            Representative.objects.create(company=company, user=UserFactory(email=f"rep{number}@example.org"))
        assert _queries() == few


@pytest.mark.parametrize("path", ["/directory/", "/directory/tags/", "/verification/review/"])
def test_moderators_find_the_export_on_their_directory_pages(alpha, path):
    content = alpha.client(alpha.members["moderator"]).get(path).content.decode()
    assert 'href="/manage/onboarding/export/?format=xlsx"' in content
    assert 'href="/manage/onboarding/export/?format=csv"' in content


def test_export_link_is_shown_only_with_the_permission(alpha, beta):
    with tenant_context(alpha.tenant):
        DirectorySettings.objects.update_or_create(pk=1, defaults={"is_public": True})
    for client in (alpha.client(alpha.members["buyer"]), alpha.client(alpha.members["company_rep"]), alpha.client(),
                   alpha.client(beta.members["moderator"])):
        assert "/manage/onboarding/export/" not in client.get("/directory/").content.decode()
    alpha.tenant.modules = [module for module in alpha.tenant.modules if module != "directory"]
    alpha.tenant.save()
    assert "/manage/onboarding/export/" not in alpha.client(alpha.members["moderator"]).get("/verification/review/").content.decode()
