"""Engagement table, KPI targets, exports, monthly reports (PDF, CSV, e-mail) and the reports command."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.utils import timezone
from django_tenants.utils import tenant_context
from pypdf import PdfReader

from shared_apps.audit.models import AuditEvent
from tenant_apps.analytics import reports, services
from tenant_apps.analytics.models import Event, ReportDelivery
from tenants import services as tenant_services
from tests.tenant_apps.analytics.conftest import event, local, make_company, make_product, make_rep

K = Event.Kind


def _month_start(months_ago: int) -> date:
    month = timezone.localdate().replace(day=1)
    for _ in range(months_ago):
        month = (month - timedelta(days=1)).replace(day=1)
    return month


@pytest.fixture
def activity(beta):
    """Last month: the owner's company has views from two countries, two inquiries (one answered)."""
    owner = beta.members["company_rep"]
    month = _month_start(1)
    with tenant_context(beta.tenant):
        company = make_company(owner=owner, since=month - timedelta(days=60))
        quiet = make_company(name="=cmd|' /C calc'!A0")
        make_product(company, title="Centre d'usinage 5 axes")
        make_product(company, title="Tour CNC", published=False)
        day = month + timedelta(days=4)
        event(K.COMPANY_VIEW, at=local(day, 9), visitor="a", company_id=company.pk)
        event(K.COMPANY_VIEW, at=local(day, 10), visitor="b", country="DE", company_id=company.pk)
        event(K.INQUIRY, at=local(day, 11), inquiry_id=1, company_id=company.pk, user_id=9)
        event(K.MESSAGE, at=local(day, 15), inquiry_id=1, company_id=company.pk, metadata={"side": "company"})
        event(K.INQUIRY, at=local(day, 12), inquiry_id=2, company_id=company.pk, user_id=9)
        event(K.COMPANY_VIEW, at=local(day - timedelta(days=40), 9), visitor="c", company_id=company.pk)
        services.refresh()
    AuditEvent.objects.create(tenant=beta.tenant, action="session.signed_in", actor=owner, actor_label=owner.email)
    return beta, company, quiet, month


def test_engagement_table_lists_each_supported_company(activity):
    beta, company, quiet, _month = activity
    response = beta.client(beta.members["tenant_admin"]).get("/analytics/programme/engagement/", {"preset": "start"})

    rows = {row.name: row for row in response.context["page"].object_list}
    mine = rows["Usinage Précis Lyonnais"]
    assert (mine.products_online, mine.inquiries_received, mine.inquiries_answered, mine.views, mine.visitors) == (1, 2, 1, 3, 3)
    assert mine.last_sign_in is not None and rows[quiet.name].last_sign_in is None
    assert rows[quiet.name].views == 0


def test_engagement_table_sorts_and_paginates(activity):
    beta, company, quiet, _month = activity
    with tenant_context(beta.tenant):
        for n in range(30):
            make_company(name=f"Entreprise {n:02d}")
    client = beta.client(beta.members["moderator"])

    by_views = client.get("/analytics/programme/engagement/", {"preset": "start", "sort": "-views"})
    assert by_views.context["page"].object_list[0].name == "Usinage Précis Lyonnais"
    assert 'aria-sort="descending"' in by_views.content.decode()
    first_page = client.get("/analytics/programme/engagement/", {"sort": "name"}).context["page"]
    assert (len(first_page.object_list), first_page.paginator.count) == (25, 32)
    assert [r.name for r in first_page.object_list][:2] == ["=cmd|' /C calc'!A0", "Entreprise 00"]
    assert client.get("/analytics/programme/engagement/", {"sort": "drop table"}).status_code == 200


def test_engagement_export_csv_and_xlsx_neutralise_formulas(activity):
    from openpyxl import load_workbook

    beta, company, quiet, _month = activity
    client = beta.client(beta.members["tenant_admin"])

    response = client.get("/analytics/programme/engagement/export/", {"preset": "start", "format": "csv"})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert response["Content-Disposition"].startswith('attachment; filename="engagement-beta-')
    assert rows[0][:3] == ["Company", "Last sign-in", "Products online"]
    assert any(r[0] == "Usinage Précis Lyonnais" and r[2:8] == ["1", "2", "1", "50.0", "3", "3"] for r in rows)
    assert any(r[0] == "'=cmd|' /C calc'!A0" for r in rows)

    xlsx = client.get("/analytics/programme/engagement/export/", {"preset": "start", "format": "xlsx"})
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    names = [row[0].value for row in sheet.iter_rows(min_row=2)]
    assert "'=cmd|' /C calc'!A0" in names and "Usinage Précis Lyonnais" in names


def test_kpi_targets_are_shown_met_or_missed(activity):
    beta, company, _quiet, _month = activity
    tenant_services.update_configuration(beta.tenant, kpis=[
        {"key": "products_online", "label": "Products online", "target": 1, "unit": "products"},
        {"key": "inquiries", "label": "Inquiries", "target": 5, "unit": "", "metric": "inquiries_received"},
        {"key": "rate", "label": "Answered within 48 h", "target": 50, "unit": "%", "metric": "answered_within_hours",
         "threshold": 48},
        {"key": "fast", "label": "Median answer", "target": 1, "unit": "h", "metric": "median_response_hours"},
        {"key": "two_products", "label": "Companies with 2 products", "target": 1, "unit": "", "metric": "companies_with_products",
         "threshold": 2},
        {"key": "members", "label": "Active members", "target": 100, "unit": ""},
    ])
    page = beta.client(beta.members["tenant_admin"]).get("/analytics/programme/", {"preset": "start"})

    results = {kpi.key: (kpi.actual, kpi.status) for kpi in page.context["kpis"]}
    assert results == {"products_online": (1, "met"), "inquiries": (2, "missed"), "rate": (50.0, "met"),
                       "fast": (4.0, "missed"), "two_products": (0, "missed"), "members": (None, "not_measured")}
    assert "Not measured here" in page.content.decode()


def test_kpi_settings_page_offers_the_measures(beta):
    client = beta.client(beta.members["tenant_admin"])
    data = {"kpi-TOTAL_FORMS": "1", "kpi-INITIAL_FORMS": "0", "kpi-0-key": "answered", "kpi-0-label": "Answered in a day",
            "kpi-0-target": "80", "kpi-0-unit": "%", "kpi-0-metric": "answered_within_hours", "kpi-0-threshold": "24"}

    assert client.post("/manage/kpis/", data).status_code == 302
    beta.tenant.refresh_from_db()
    assert beta.tenant.kpis == [{"key": "answered", "label": "Answered in a day", "target": 80.0, "unit": "%",
                                 "metric": "answered_within_hours", "threshold": 24}]
    data["kpi-0-metric"] = "astrology"
    response = client.post("/manage/kpis/", data)
    assert response.status_code == 400 and "Select a valid choice" in response.content.decode()


def _structure_types(node) -> set[str]:
    """Every structure type (/S) under a node of a tagged PDF's structure tree."""
    node = node.get_object()
    found = {str(node["/S"])} if hasattr(node, "get") and "/S" in node else set()
    kids = node.get("/K", []) if hasattr(node, "get") else []
    kids = kids.get_object() if hasattr(kids, "get_object") else kids
    for kid in kids if isinstance(kids, list) else [kids]:
        if hasattr(kid, "get_object") and hasattr(kid.get_object(), "get"):
            found |= _structure_types(kid)
    return found


def _pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_company_report_pdf_and_csv_cover_the_month_and_the_programme(activity):
    beta, company, _quiet, month = activity
    client = beta.client(beta.members["company_rep"])

    pdf = client.get(f"/analytics/companies/{company.pk}/report/", {"month": f"{month:%Y-%m}", "format": "pdf"})
    assert pdf["Content-Type"] == "application/pdf"
    text = _pdf_text(pdf.content)
    assert "Usinage Précis Lyonnais — activity report" in text
    assert "Since the programme started" in text and "Germany" in text and "Where visitors come from" in text
    reader = PdfReader(io.BytesIO(pdf.content))
    assert reader.trailer["/Root"]["/Lang"] == "en"
    assert "/StructTreeRoot" in reader.trailer["/Root"]
    assert {"/Document", "/H1", "/H2", "/H3", "/P"} <= _structure_types(reader.trailer["/Root"]["/StructTreeRoot"])

    rows = list(csv.reader(io.StringIO(client.get(f"/analytics/companies/{company.pk}/report/",
                                                  {"month": f"{month:%Y-%m}", "format": "csv"}).content.decode("utf-8-sig"))))
    assert rows[0] == ["Section", "Measure", "Item", "Value"]
    month_rows = {(r[1], r[2]): r[3] for r in rows if r[0].startswith(month.strftime("%B").capitalize()) or "to" in r[0]
                  and not r[0].startswith("Since")}
    since_rows = {(r[1], r[2]): r[3] for r in rows if r[0].startswith("Since the programme started")}
    assert month_rows[("Page views", "")] == "2" and since_rows[("Page views", "")] == "3"
    assert month_rows[("Inquiries received", "")] == "2" and month_rows[("Inquiries answered", "")] == "1"
    assert month_rows[("Visitors by country", "Germany")] == "1"


def test_report_in_french_when_the_reader_reads_french(activity):
    beta, company, _quiet, month = activity
    client = beta.client(beta.members["company_rep"])
    pdf = client.get(f"/analytics/companies/{company.pk}/report/", {"month": f"{month:%Y-%m}", "format": "pdf"},
                     HTTP_ACCEPT_LANGUAGE="fr")

    assert "Depuis le début du programme" in _pdf_text(pdf.content)


def test_report_for_a_month_outside_the_programme_is_not_found(activity):
    beta, company, _quiet, _month = activity
    client = beta.client(beta.members["company_rep"])
    future = _month_start(0) + timedelta(days=40)

    for month in (f"{future:%Y-%m}", "1999-01", "nonsense", ""):
        assert client.get(f"/analytics/companies/{company.pk}/report/", {"month": month}).status_code == 404


def test_programme_report_has_engagement_and_kpis(activity):
    beta, company, _quiet, month = activity
    client = beta.client(beta.members["tenant_admin"])

    text = _pdf_text(client.get("/analytics/programme/report/", {"month": f"{month:%Y-%m}", "format": "pdf"}).content)
    assert "Engagement of the supported companies" in text and "KPI targets" in text
    rows = list(csv.reader(io.StringIO(client.get("/analytics/programme/report/",
                                                  {"month": f"{month:%Y-%m}", "format": "csv"}).content.decode("utf-8-sig"))))
    assert ["Engagement of the supported companies", "Inquiries received", "Usinage Précis Lyonnais", "2"] in rows
    assert any(r[2] == "'=cmd|' /C calc'!A0" for r in rows)


def test_monthly_reports_are_mailed_once_to_representatives_and_admins(activity, settings):
    beta, company, _quiet, month = activity
    owner, admin = beta.members["company_rep"], beta.members["tenant_admin"]
    with tenant_context(beta.tenant):
        colleague = make_rep(beta, company)
        colleague.preferred_language = "fr"
        colleague.save()
        mail.outbox.clear()

        sent = services.send_monthly_reports(tenant=beta.tenant, month=month)
        again = services.send_monthly_reports(tenant=beta.tenant, month=month)

        assert (sent, again) == (3, 0)
        assert ReportDelivery.objects.count() == 3
    by_address = {message.to[0]: message for message in mail.outbox}
    assert set(by_address) == {owner.email, colleague.email, admin.email}
    mine = by_address[owner.email]
    assert "Usinage Précis Lyonnais: your activity report" in mine.subject
    assert sorted(name for name, _content, _type in mine.attachments) == [
        f"activity-usinage-precis-lyonnais-{month:%Y-%m}.csv", f"activity-usinage-precis-lyonnais-{month:%Y-%m}.pdf"]
    assert "Depuis le début du programme" in _pdf_text(next(c for n, c, t in by_address[colleague.email].attachments if n.endswith(".pdf")))
    assert "programme activity report" in by_address[admin.email].subject


def test_beat_task_mails_last_months_reports(activity):
    from tenant_apps.analytics import tasks

    beta, _company, _quiet, _month = activity
    mail.outbox.clear()

    assert tasks.send_monthly_reports_all_tenants() >= 1

    assert {m.to[0] for m in mail.outbox} >= {beta.members["company_rep"].email, beta.members["tenant_admin"].email}


def test_reports_command_writes_any_months_files(activity, tmp_path):
    beta, company, _quiet, month = activity
    out = StringIO()

    call_command("reports", "--month", f"{month:%Y-%m}", "--tenant", "beta", "--company", str(company.pk),
                 "--output", str(tmp_path), stdout=out)

    written = sorted(path.name for path in tmp_path.rglob("*") if path.is_file())
    assert written == [f"activity-usinage-precis-lyonnais-{month:%Y-%m}.csv", f"activity-usinage-precis-lyonnais-{month:%Y-%m}.pdf"]
    assert "2 files" in out.getvalue()


def test_reports_command_sends_with_send(activity, tmp_path):
    beta, _company, _quiet, month = activity
    mail.outbox.clear()

    call_command("reports", "--month", f"{month:%Y-%m}", "--tenant", "beta", "--send", stdout=StringIO())

    assert len(mail.outbox) == 2


@pytest.mark.parametrize("arguments, message", [
    (["--month", "2026-13"], "YYYY-MM"), (["--month", "2026-10", "--tenant", "nowhere"], "No programme"),
    (["--month", "2026-10", "--company", "5"], "--company needs --tenant"),
])
def test_reports_command_refuses_bad_arguments(db, arguments, message):
    with pytest.raises(CommandError, match=message):
        call_command("reports", *arguments, stdout=StringIO())


def test_month_helpers():
    assert reports.parse_month("2026-10") == date(2026, 10, 1)
    assert reports.previous_month(date(2026, 1, 15)) == date(2025, 12, 1)
    assert reports.month_period(date(2026, 2, 1), today=date(2026, 6, 1)).end == date(2026, 2, 28)
    assert reports.available_months(date(2026, 8, 20), today=date(2026, 10, 2)) == [date(2026, 10, 1), date(2026, 9, 1), date(2026, 8, 1)]
    with pytest.raises(ValueError):
        reports.parse_month("10-2026")
