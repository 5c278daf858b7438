"""For every URL the foundation defines: who gets in, who is turned away, and how.

Expected outcomes are derived from the tenant's role matrix, so the suite checks the
matrix is enforced rather than restating it.
"""

import pytest
from django.conf import settings
from django.test import Client

from tenants import catalog

# (path, method, permission that opens it; None = any signed-in person)
TENANT_PAGES = [
    ("/", "get", "home.view"),
    ("/dashboard/", "get", None),
    ("/notifications/", "get", "notifications.view"),
    ("/accounts/members/", "get", "members.view"),
    ("/accounts/members/invite/", "get", "members.invite"),
    ("/manage/", "get", "settings.view"),
    ("/manage/branding/", "get", "settings.change"),
    ("/manage/languages-and-modules/", "get", "settings.change"),
    ("/manage/roles/", "get", "settings.change"),
    ("/manage/kpis/", "get", "settings.change"),
    ("/manage/branding/", "post", "settings.change"),
    ("/manage/roles/", "post", "settings.change"),
    ("/accounts/members/invite/", "post", "members.invite"),
    ("/privacy/my-data/", "get", None),
    ("/privacy/my-data/erase/", "get", None),
    ("/privacy/my-data/export/", "post", None),
    ("/manage/privacy/", "get", "settings.change"),
    ("/manage/privacy/", "post", "settings.change"),
    ("/accounts/password/", "get", None),
    ("/accounts/email/", "get", None),
    ("/accounts/password/", "post", None),
    ("/accounts/email/", "post", None),
    ("/manage/audit/", "get", "audit.view"),
    ("/manage/audit/export/", "get", "audit.view"),
    ("/manage/audit/export/?format=xlsx", "get", "audit.view"),
    ("/manage/audit/elevated-privileges/", "get", "audit.view"),
    ("/manage/access/temporary-access/", "get", "members.manage"),
    ("/manage/access/temporary-access/", "post", "members.manage"),
    ("/manage/access/badges/", "get", "settings.change"),
    ("/manage/access/badges/", "post", "settings.change"),
    ("/manage/api/", "get", "settings.change"),
    ("/manage/api/", "post", "settings.change"),
    ("/manage/security/", "get", "settings.change"),
    ("/manage/security/", "post", "settings.change"),
    ("/accounts/mfa/", "get", None),
    ("/accounts/mfa/authenticator/", "get", None),
    ("/accounts/mfa/backup-codes/", "get", None),
    ("/accounts/sessions/", "get", None),
    ("/accounts/sessions/revoke-others/", "post", None),
    ("/manage/onboarding/", "get", "members.import"),
    ("/manage/onboarding/", "post", "members.import"),
    ("/manage/onboarding/template.csv", "get", "members.import"),
    ("/manage/onboarding/template.xlsx", "get", "members.import"),
    ("/manage/onboarding/export/", "get", "directory.export"),
    ("/manage/onboarding/export/?format=xlsx", "get", "directory.export"),
    ("/verification/", "get", "verification.request"),
    ("/verification/documents/", "post", "verification.request"),
    ("/verification/submit/", "post", "verification.request"),
    ("/verification/appeal/", "post", "verification.request"),
    ("/verification/review/", "get", "verification.review"),
    ("/manage/verification/", "get", "settings.change"),
    ("/manage/verification/", "post", "settings.change"),
    ("/directory/companies/mine/", "get", "profiles.edit_own"),
    ("/directory/companies/new/", "get", "profiles.edit_own"),
    ("/directory/companies/new/", "post", "profiles.edit_own"),
    ("/directory/experts/mine/", "get", "profiles.edit_own"),
    ("/directory/experts/mine/", "post", "profiles.edit_own"),
    ("/directory/tags/", "get", "directory.moderate"),
    ("/directory/tags/", "post", "directory.moderate"),
    ("/manage/sectors/", "get", "settings.change"),
    ("/manage/sectors/", "post", "settings.change"),
    ("/directory/", "get", "directory.view"),
    ("/directory/experts/", "get", "directory.view"),
    ("/directory/?q=x&country=SN&sort=name", "get", "directory.view"),
    ("/directory/settings/", "get", "settings.change"),
    ("/directory/settings/", "post", "settings.change"),
    ("/manage/finance/", "get", "billing.summary"),
    ("/manage/finance/?since=2026-01-01&until=2026-12-31", "get", "billing.summary"),
]
ACTORS = [*catalog.ROLES, "anonymous", "admin_of_other_tenant", "operator"]


def _client_for(actor, alpha, beta, operator):
    if actor == "anonymous":
        return alpha.client(), catalog.VISITOR
    if actor == "admin_of_other_tenant":
        client = Client(HTTP_HOST=alpha.host)
        from tests.conftest import sign_in

        sign_in(client, beta.members["tenant_admin"])
        return client, catalog.VISITOR
    if actor == "operator":
        return alpha.client(operator), catalog.VISITOR
    return alpha.client(alpha.members[actor]), actor


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize(("path", "method", "permission"), TENANT_PAGES)
def test_tenant_pages_open_only_to_roles_the_matrix_allows(alpha, beta, operator, actor, path, method, permission):
    client, role = _client_for(actor, alpha, beta, operator)
    response = getattr(client, method)(path, {})
    signed_in = actor != "anonymous"
    allowed = signed_in if permission is None else permission in alpha.tenant.permissions_for(role)
    if allowed:
        assert response.status_code in (200, 302, 400), (actor, path, response.status_code)
        if response.status_code == 302:
            assert "/accounts/sign-in/" not in response["Location"]
    elif not signed_in:
        assert response.status_code == 302 and "/accounts/sign-in/" in response["Location"]
    else:
        assert response.status_code == 403, (actor, path, response.status_code)


def test_non_member_dashboard_offers_to_join_and_shows_no_member_data(alpha, beta):
    client = Client(HTTP_HOST=alpha.host)
    from tests.conftest import sign_in

    sign_in(client, beta.members["tenant_admin"])
    html = client.get("/dashboard/").content.decode()
    assert "/accounts/join/" in html
    assert alpha.members["company_rep"].email not in html


def test_member_list_shows_only_this_tenants_members(alpha, beta):
    html = alpha.client(alpha.members["tenant_admin"]).get("/accounts/members/").content.decode()
    for member in alpha.members.values():
        assert member.email in html
    for member in beta.members.values():
        assert member.email not in html


def test_membership_of_another_tenant_cannot_be_changed_or_removed(alpha, beta):
    from shared_apps.accounts.models import Membership

    target = Membership.objects.for_tenant(beta.tenant).get(user=beta.members["guest"])
    client = alpha.client(alpha.members["tenant_admin"])
    assert client.post(f"/accounts/members/{target.pk}/role/", {"role": "tenant_admin"}).status_code == 404
    assert client.post(f"/accounts/members/{target.pk}/remove/").status_code == 404
    target.refresh_from_db()
    assert target.role == "guest"


@pytest.mark.parametrize("path", ["/console/", "/console/tenants/new/", "/console/tenants/alpha/", "/console/audit/"])
def test_operators_console_is_not_served_on_tenant_hosts(alpha, operator, path):
    assert alpha.client(operator).get(path).status_code == 404


@pytest.mark.parametrize("path", ["/console/", "/console/tenants/new/", "/console/tenants/alpha/", "/console/tenants/alpha/delete/",
                                  "/console/audit/", "/console/audit/export/", "/console/audit/elevated-privileges/"])
def test_operators_console_refuses_everyone_but_operators(alpha, operator, path):
    anonymous = Client(HTTP_HOST=settings.PLATFORM_DOMAIN)
    response = anonymous.get(path)
    assert response.status_code == 302 and "/accounts/sign-in/" in response["Location"]

    from tests.conftest import sign_in

    tenant_admin = Client(HTTP_HOST=settings.PLATFORM_DOMAIN)
    sign_in(tenant_admin, alpha.members["tenant_admin"])
    assert tenant_admin.get(path).status_code == 403

    staff = Client(HTTP_HOST=settings.PLATFORM_DOMAIN)
    sign_in(staff, operator)
    assert staff.get(path).status_code == 200


@pytest.mark.parametrize("path", ["/accounts/sign-up/", "/accounts/members/", "/manage/", "/dashboard/",
                                  "/accounts/password-reset/", "/accounts/password-reset/code/",
                                  "/accounts/password/", "/accounts/email/", "/manage/audit/",
                                  "/manage/access/temporary-access/", "/manage/access/badges/", "/manage/api/", "/manage/onboarding/",
                                  "/api/v1/members/", "/api/v1/audit-events/", "/api/v1/auth/user/", "/api/docs/"])
def test_tenant_pages_do_not_exist_on_the_platform_host(platform_client, path):
    assert platform_client.get(path).status_code == 404


@pytest.mark.parametrize("actor", ACTORS)
def test_erasing_a_members_data_is_open_only_to_those_who_manage_members(alpha, beta, operator, actor):
    from shared_apps.accounts.models import Membership

    target = Membership.objects.for_tenant(alpha.tenant).get(user=alpha.members["guest"])
    client, role = _client_for(actor, alpha, beta, operator)
    response = client.get(f"/privacy/members/{target.pk}/erase/")
    if actor == "guest":
        assert response.status_code == 403
    elif "members.manage" in alpha.tenant.permissions_for(role):
        assert response.status_code == 200
    elif actor == "anonymous":
        assert response.status_code == 302 and "/accounts/sign-in/" in response["Location"]
    else:
        assert response.status_code == 403


def test_a_data_copy_link_from_one_tenant_is_useless_on_another(alpha, beta):
    from django.core import mail

    member = alpha.members["company_rep"]
    alpha.client(member).post("/privacy/my-data/export/")
    path = mail.outbox[0].body.split(alpha.host, 1)[1].split()[0]
    client = Client(HTTP_HOST=beta.host)
    from tests.conftest import sign_in

    sign_in(client, beta.members["company_rep"])
    assert client.get(path).status_code in (404, 410)


def test_privacy_pages_do_not_leak_another_tenants_settings(alpha, beta):
    from shared_apps.privacy.services import update_privacy_settings

    update_privacy_settings(beta.tenant, controller="Beta Controller", contact_email="dpo@beta.example.org", dpo_contact="",
                            unconfirmed_account_days=7, notification_months=3, purposes=None)
    html = alpha.client().get("/legal/privacy/").content.decode()
    assert "Beta Controller" not in html and "dpo@beta.example.org" not in html


@pytest.mark.parametrize("path", ["/accounts/password-reset/", "/accounts/password-reset/code/", "/accounts/password-reset/new-password/"])
def test_password_reset_pages_are_open_to_visitors_of_a_programme(alpha, path):
    assert alpha.client().get(path).status_code in (200, 302)


def test_member_unlock_is_only_for_managers_of_that_tenant(alpha, beta):
    from shared_apps.accounts.models import Membership

    own = Membership.objects.for_tenant(alpha.tenant).get(user=alpha.members["guest"])
    other = Membership.objects.for_tenant(beta.tenant).get(user=beta.members["guest"])
    for role in catalog.ROLES:
        client = alpha.client(alpha.members[role])
        expected = 302 if "members.manage" in alpha.tenant.permissions_for(role) else 403
        assert client.post(f"/accounts/members/{own.pk}/unlock/").status_code == expected, role
        assert client.post(f"/accounts/members/{other.pk}/unlock/").status_code in (403, 404), role
    assert alpha.client().post(f"/accounts/members/{own.pk}/unlock/").status_code == 302


def test_operators_locked_accounts_page_is_only_on_the_platform_host_for_operators(alpha, operator):
    from tests.conftest import sign_in

    assert alpha.client(operator).get("/accounts/locked-accounts/").status_code == 404
    staff = Client(HTTP_HOST=settings.PLATFORM_DOMAIN)
    sign_in(staff, operator)
    assert staff.get("/accounts/locked-accounts/").status_code == 200
# (path, method, permission that opens it; None = any signed-in member)
API_ENDPOINTS = [
    ("/api/v1/auth/user/", "get", None),
    ("/api/v1/auth/password/change/", "post", None),
    ("/api/v1/members/", "get", "members.view"),
    ("/api/v1/audit-events/", "get", "audit.view"),
]


def _api_client_for(actor, alpha, beta):
    from tests.factories import PASSWORD

    if actor == "anonymous":
        return Client(HTTP_HOST=alpha.host), catalog.VISITOR
    if actor == "token_of_other_tenant":
        issuer = beta.members["tenant_admin"]
        login = Client(HTTP_HOST=beta.host).post("/api/v1/auth/login/", {"email": issuer.email, "password": PASSWORD},
                                                 content_type="application/json")
        return Client(HTTP_HOST=alpha.host, HTTP_AUTHORIZATION=f"Token {login.json()['key']}"), catalog.VISITOR
    user = alpha.members[actor]
    login = Client(HTTP_HOST=alpha.host).post("/api/v1/auth/login/", {"email": user.email, "password": PASSWORD},
                                              content_type="application/json")
    return Client(HTTP_HOST=alpha.host, HTTP_AUTHORIZATION=f"Token {login.json()['key']}"), actor


@pytest.mark.parametrize("actor", [*catalog.ROLES, "anonymous", "token_of_other_tenant"])
@pytest.mark.parametrize(("path", "method", "permission"), API_ENDPOINTS)
def test_api_endpoints_open_only_to_roles_the_matrix_allows(alpha, beta, actor, path, method, permission):
    client, role = _api_client_for(actor, alpha, beta)
    response = getattr(client, method)(path, {}, content_type="application/json")
    if role == catalog.VISITOR:
        assert response.status_code == 401, (actor, path, response.status_code)
    elif permission is None or permission in alpha.tenant.permissions_for(role):
        assert response.status_code in (200, 400), (actor, path, response.status_code)
    else:
        assert response.status_code == 403, (actor, path, response.status_code)
def test_security_settings_of_another_tenant_are_not_changed(alpha, beta):
    client = alpha.client(alpha.members["tenant_admin"])
    client.post("/manage/security/", {"mfa_required_roles": ["guest"], "session_idle_minutes": "45"})
    beta.tenant.refresh_from_db()
    assert beta.tenant.mfa_required_roles == ["tenant_admin", "moderator"] and beta.tenant.session_idle_minutes == 30


@pytest.mark.parametrize("path", ["/accounts/mfa/", "/accounts/sessions/"])
def test_security_pages_on_the_platform_host_need_a_signed_in_operator(platform_client, path):
    response = platform_client.get(path)
    assert response.status_code == 302 and "/accounts/sign-in/" in response["Location"]
