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
    ("/manage/security/", "get", "settings.change"),
    ("/manage/security/", "post", "settings.change"),
    ("/accounts/mfa/", "get", None),
    ("/accounts/mfa/authenticator/", "get", None),
    ("/accounts/mfa/backup-codes/", "get", None),
    ("/accounts/sessions/", "get", None),
    ("/accounts/sessions/revoke-others/", "post", None),
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


@pytest.mark.parametrize("path", ["/console/", "/console/tenants/new/", "/console/tenants/alpha/"])
def test_operators_console_is_not_served_on_tenant_hosts(alpha, operator, path):
    assert alpha.client(operator).get(path).status_code == 404


@pytest.mark.parametrize("path", ["/console/", "/console/tenants/new/", "/console/tenants/alpha/", "/console/tenants/alpha/delete/"])
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


@pytest.mark.parametrize("path", ["/accounts/sign-up/", "/accounts/members/", "/manage/", "/dashboard/"])
def test_tenant_pages_do_not_exist_on_the_platform_host(platform_client, path):
    assert platform_client.get(path).status_code == 404


def test_security_settings_of_another_tenant_are_not_changed(alpha, beta):
    client = alpha.client(alpha.members["tenant_admin"])
    client.post("/manage/security/", {"mfa_required_roles": ["guest"], "session_idle_minutes": "45"})
    beta.tenant.refresh_from_db()
    assert beta.tenant.mfa_required_roles == ["tenant_admin", "moderator"] and beta.tenant.session_idle_minutes == 30


@pytest.mark.parametrize("path", ["/accounts/mfa/", "/accounts/sessions/"])
def test_security_pages_on_the_platform_host_need_a_signed_in_operator(platform_client, path):
    response = platform_client.get(path)
    assert response.status_code == 302 and "/accounts/sign-in/" in response["Location"]
