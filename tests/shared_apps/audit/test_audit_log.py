import csv
import io
from datetime import timedelta

import pytest
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from shared_apps.accounts import services as accounts
from shared_apps.accounts.models import Membership, UnscopedQueryError
from shared_apps.audit import services as audit
from shared_apps.audit.models import AuditEvent, AuditLogIsAppendOnly
from tenants import services as tenants


def _events(tenant, action):
    return list(AuditEvent.objects.for_tenant(tenant).filter(action=action))


def test_role_change_is_recorded_with_who_what_before_after_and_where(alpha):
    admin = alpha.members["tenant_admin"]
    membership = Membership.objects.for_tenant(alpha.tenant).get(user=alpha.members["guest"])
    client = alpha.client(admin)
    response = client.post(f"/accounts/members/{membership.pk}/role/", {"role": "buyer"},
                           HTTP_USER_AGENT="Firefox/140", REMOTE_ADDR="203.0.113.7")
    assert response.status_code == 302
    [event] = _events(alpha.tenant, "membership.role_changed")
    assert event.actor == admin and event.actor_role == "tenant_admin"
    assert event.before == {"role": "guest"} and event.after == {"role": "buyer"}
    assert event.target_label == alpha.members["guest"].email
    assert event.ip_address == "203.0.113.7" and event.user_agent == "Firefox/140" and event.request_id


def test_role_matrix_change_records_permissions_given_and_taken(alpha):
    matrix = {role: list(perms) for role, perms in alpha.tenant.role_matrix.items()}
    matrix["guest"] = [*matrix["guest"], "directory.view"]
    matrix["buyer"] = [p for p in matrix["buyer"] if p != "inquiries.send"]
    tenants.update_configuration(alpha.tenant, role_matrix=matrix)
    [event] = _events(alpha.tenant, "tenant.role_matrix_changed")
    assert event.after == {"guest": ["directory.view"]}
    assert event.before == {"buyer": ["inquiries.send"]}


def test_configuration_change_records_only_changed_fields(alpha):
    tenants.update_configuration(alpha.tenant, name="Nouveau nom", default_language=alpha.tenant.default_language)
    [event] = _events(alpha.tenant, "tenant.configuration_changed")
    assert event.before == {"name": "Programme alpha"} and event.after == {"name": "Nouveau nom"}


def test_invitations_membership_and_removal_are_recorded(alpha):
    admin = alpha.members["tenant_admin"]
    invitation = accounts.invite(tenant=alpha.tenant, inviter=admin, email="new@example.org", role="expert")
    accounts.accept_invitation(invitation=invitation, full_name="New Person", password="a long enough password 1")
    membership = Membership.objects.for_tenant(alpha.tenant).get(user__email="new@example.org")
    accounts.remove_member(tenant=alpha.tenant, actor=admin, membership=membership)
    actions = set(AuditEvent.objects.for_tenant(alpha.tenant).values_list("action", flat=True))
    assert {"invitation.created", "membership.created", "membership.removed"} <= actions


def test_sign_in_is_recorded_in_the_tenants_log(alpha):
    alpha.client(alpha.members["buyer"])
    [event] = _events(alpha.tenant, "session.signed_in")
    assert event.actor == alpha.members["buyer"]


def test_audit_events_cannot_be_changed_or_deleted_through_the_orm(alpha):
    event = audit.record(action="tenant.configuration_changed", tenant=alpha.tenant, after={"x": 1})
    event.action = "forged"
    with pytest.raises(AuditLogIsAppendOnly):
        event.save()
    with pytest.raises(AuditLogIsAppendOnly):
        event.delete()
    with pytest.raises(AuditLogIsAppendOnly):
        AuditEvent.objects.for_tenant(alpha.tenant).update(action="forged")
    with pytest.raises(AuditLogIsAppendOnly):
        AuditEvent.objects.for_tenant(alpha.tenant).delete()


def test_the_database_refuses_to_change_or_delete_audit_rows(alpha):
    event = audit.record(action="tenant.configuration_changed", tenant=alpha.tenant)
    for sql in ("UPDATE audit_auditevent SET action = 'forged' WHERE id = %s",
                "DELETE FROM audit_auditevent WHERE id = %s"):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [event.pk])
    assert AuditEvent.objects.for_tenant(alpha.tenant).get(pk=event.pk).action == "tenant.configuration_changed"


def test_retention_purge_deletes_only_old_events(alpha):
    old = audit.record(action="tenant.configuration_changed", tenant=alpha.tenant)
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER audit_auditevent_append_only")
        cursor.execute("UPDATE audit_auditevent SET created_at = %s WHERE id = %s",
                       [timezone.now() - timedelta(days=400), old.pk])
        cursor.execute("ALTER TABLE audit_auditevent ENABLE TRIGGER audit_auditevent_append_only")
    recent = audit.record(action="tenant.configuration_changed", tenant=alpha.tenant)
    assert audit.purge_expired_events(older_than_days=365) >= 1
    remaining = set(AuditEvent.objects.for_tenant(alpha.tenant).values_list("pk", flat=True))
    assert recent.pk in remaining and old.pk not in remaining


def test_queries_without_a_tenant_fail_closed(alpha):
    with pytest.raises(UnscopedQueryError):
        list(AuditEvent.objects.all())


def test_audit_page_and_exports_show_only_this_tenants_events(alpha, beta):
    audit.record(action="tenant.configuration_changed", tenant=alpha.tenant, target_label="alpha-secret-marker")
    audit.record(action="tenant.configuration_changed", tenant=beta.tenant, target_label="beta-secret-marker")
    client = alpha.client(alpha.members["tenant_admin"])
    html = client.get("/manage/audit/").content.decode()
    assert "alpha-secret-marker" in html and "beta-secret-marker" not in html
    exported = client.get("/manage/audit/export/?format=csv").content.decode("utf-8-sig")
    assert "alpha-secret-marker" in exported and "beta-secret-marker" not in exported
    xlsx = client.get("/manage/audit/export/?format=xlsx")
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    from openpyxl import load_workbook

    cells = {str(c.value) for row in load_workbook(io.BytesIO(xlsx.content)).active.iter_rows() for c in row}
    assert "alpha-secret-marker" in cells and "beta-secret-marker" not in cells


def test_export_is_itself_audited_and_escapes_formulae(alpha):
    audit.record(action="tenant.configuration_changed", tenant=alpha.tenant, target_label="=HYPERLINK(\"x\")")
    client = alpha.client(alpha.members["tenant_admin"])
    rows = list(csv.reader(io.StringIO(client.get("/manage/audit/export/").content.decode("utf-8-sig"))))
    assert not any(cell.startswith("=") for row in rows for cell in row)
    assert _events(alpha.tenant, "audit.exported")


def test_a_nul_character_in_the_export_filters_is_dropped_from_the_audit_entry(alpha):
    # PostgreSQL stores no NUL in text or JSON: the export used to fail with a 500.
    client = alpha.client(alpha.members["tenant_admin"])
    response = client.get("/manage/audit/export/?format=csv&action=%00x&sort=a%00b")
    assert response.status_code == 200
    entries = _events(alpha.tenant, "audit.exported")
    assert entries and all("\x00" not in str(entry.after) for entry in entries)


@pytest.mark.parametrize("value", ["' OR 1=1 --", "x'; DROP TABLE audit_auditevent; --", "%' UNION SELECT 1 --"])
def test_sql_injection_in_audit_filters_is_harmless(alpha, beta, value):
    audit.record(action="tenant.configuration_changed", tenant=beta.tenant, target_label="beta-secret-marker")
    client = alpha.client(alpha.members["tenant_admin"])
    for params in ({"actor": value}, {"action": value}, {"since": value}, {"page": value}):
        response = client.get("/manage/audit/", params)
        assert response.status_code in (200, 400)
        assert "beta-secret-marker" not in response.content.decode()
    assert AuditEvent.objects.for_tenant(beta.tenant).exists()


def test_bad_dates_give_a_clear_message_and_keep_the_input(alpha):
    client = alpha.client(alpha.members["tenant_admin"])
    response = client.get("/manage/audit/", {"since": "2025-05-10", "until": "2025-05-01", "actor": "tenant"})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'value="tenant"' in html and "field__errors" in html


def test_filters_narrow_the_log(alpha):
    admin = alpha.members["tenant_admin"]
    audit.record(action="grant.created", tenant=alpha.tenant, actor=admin, target_label="first")
    audit.record(action="rule.created", tenant=alpha.tenant, actor=alpha.members["moderator"], target_label="second")
    html = alpha.client(admin).get("/manage/audit/", {"action": "grant.created", "actor": "tenant_admin@"}).content.decode()
    assert "first" in html and ">second<" not in html


def test_elevated_privilege_report_counts_admin_actions_per_person(alpha):
    admin = alpha.members["tenant_admin"]
    for _ in range(3):
        audit.record(action="grant.created", tenant=alpha.tenant, actor=admin)
    audit.record(action="grant.created", tenant=alpha.tenant, actor=alpha.members["buyer"])
    from shared_apps.audit.selectors import elevated_privilege_report, events_for

    rows = elevated_privilege_report(events_for(alpha.tenant), period="month")
    assert [(r["actor_label"], r["action"], r["total"]) for r in rows] == [(admin.email, "grant.created", 3)]
    response = alpha.client(admin).get("/manage/audit/elevated-privileges/", {"period": "week"})
    assert response.status_code == 200 and admin.email in response.content.decode()


def test_operators_see_platform_wide_events_on_the_console(alpha, beta, operator):
    from django.conf import settings
    from django.test import Client

    from tests.conftest import sign_in

    audit.record(action="tenant.configuration_changed", tenant=alpha.tenant, target_label="alpha-marker")
    audit.record(action="tenant.configuration_changed", tenant=beta.tenant, target_label="beta-marker")
    client = Client(HTTP_HOST=settings.PLATFORM_DOMAIN)
    sign_in(client, operator)
    tenants.set_status(alpha.tenant, suspended=True)
    html = client.get("/console/audit/").content.decode()
    assert "alpha-marker" in html and "beta-marker" in html
    assert client.get("/console/audit/", {"programme": "beta"}).content.decode().count("alpha-marker") == 0
    assert client.get("/console/audit/elevated-privileges/").status_code == 200
    assert client.get("/console/audit/export/?format=csv").status_code == 200


def test_audit_list_queries_do_not_grow_with_events(alpha):
    from django.test.utils import CaptureQueriesContext

    client = alpha.client(alpha.members["tenant_admin"])
    client.get("/manage/audit/")
    with CaptureQueriesContext(connection) as before:
        client.get("/manage/audit/")
    for index in range(30):
        audit.record(action="grant.created", tenant=alpha.tenant, actor=alpha.members["moderator"], target_label=str(index))
    with CaptureQueriesContext(connection) as after:
        client.get("/manage/audit/")
    assert len(after) == len(before) <= 12
