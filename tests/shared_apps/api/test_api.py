import pytest
from django.conf import settings
from django.test import Client

from shared_apps.api.models import ApiToken
from shared_apps.audit.models import AuditEvent
from tests.factories import PASSWORD

ORIGIN = "https://app.example.org"


def _login(programme, role="tenant_admin"):
    client = Client(HTTP_HOST=programme.host)
    response = client.post("/api/v1/auth/login/", {"email": programme.members[role].email, "password": PASSWORD},
                           content_type="application/json")
    assert response.status_code == 200, response.content
    return response.json()["key"]


def _api(programme, key=None):
    headers = {"HTTP_AUTHORIZATION": f"Token {key}"} if key else {}
    return Client(HTTP_HOST=programme.host, **headers)


def test_sign_in_returns_a_token_bound_to_the_tenant_and_stores_only_its_hash(alpha):
    key = _login(alpha)
    token = ApiToken.objects.for_tenant(alpha.tenant).get()
    assert token.key_hash != key and key.startswith(token.prefix)
    me = _api(alpha, key).get("/api/v1/auth/user/")
    assert me.status_code == 200 and me.json()["email"] == alpha.members["tenant_admin"].email


def test_token_from_one_tenant_is_refused_on_another_tenants_api(alpha, beta):
    from tests.factories import MembershipFactory

    admin = alpha.members["tenant_admin"]
    MembershipFactory(user=admin, tenant=beta.tenant, role="tenant_admin")
    key = _login(alpha)
    for path in ("/api/v1/auth/user/", "/api/v1/members/", "/api/v1/audit-events/"):
        assert _api(beta, key).get(path).status_code == 401, path


def test_wrong_password_and_non_members_get_no_token(alpha, beta):
    client = Client(HTTP_HOST=alpha.host)
    wrong = client.post("/api/v1/auth/login/", {"email": alpha.members["buyer"].email, "password": "nope"},
                        content_type="application/json")
    assert wrong.status_code == 400
    outsider = client.post("/api/v1/auth/login/", {"email": beta.members["buyer"].email, "password": PASSWORD},
                           content_type="application/json")
    assert outsider.status_code == 400
    assert not ApiToken.objects.across_tenants().exists()


def test_sign_out_withdraws_the_token(alpha):
    key = _login(alpha)
    assert _api(alpha, key).post("/api/v1/auth/logout/").status_code == 200
    assert _api(alpha, key).get("/api/v1/auth/user/").status_code == 401


def test_password_change_withdraws_other_tokens(alpha):
    first, second = _login(alpha, "buyer"), _login(alpha, "buyer")
    response = _api(alpha, second).post(
        "/api/v1/auth/password/change/",
        {"old_password": PASSWORD, "new_password1": "an entirely new passphrase 9", "new_password2": "an entirely new passphrase 9"},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert _api(alpha, first).get("/api/v1/auth/user/").status_code == 401
    assert _api(alpha, second).get("/api/v1/auth/user/").status_code == 200


def test_expired_token_is_refused(alpha):
    from django.utils import timezone

    key = _login(alpha)
    ApiToken.objects.for_tenant(alpha.tenant).update(expires_at=timezone.now())
    assert _api(alpha, key).get("/api/v1/auth/user/").status_code == 401


def test_members_endpoint_lists_this_tenants_members_only(alpha, beta):
    response = _api(alpha, _login(alpha, "moderator")).get("/api/v1/members/")
    assert response.status_code == 200
    emails = {row["email"] for row in response.json()["results"]}
    assert emails == {user.email for user in alpha.members.values()}


def test_member_of_another_tenant_is_not_found(alpha, beta):
    from shared_apps.accounts.models import Membership

    other = Membership.objects.for_tenant(beta.tenant).first()
    assert _api(alpha, _login(alpha)).get(f"/api/v1/members/{other.pk}/").status_code == 404


@pytest.mark.parametrize("role", ["company_rep", "expert", "buyer", "guest"])
def test_lower_roles_are_refused_members_and_audit_endpoints(alpha, role):
    api = _api(alpha, _login(alpha, role))
    assert api.get("/api/v1/members/").status_code == 403
    assert api.get("/api/v1/audit-events/").status_code == 403


def test_audit_events_endpoint_shows_this_tenants_events_and_filters_safely(alpha, beta):
    from shared_apps.audit.services import record

    record(action="grant.created", tenant=beta.tenant, target_label="beta-secret-marker")
    record(action="grant.created", tenant=alpha.tenant, target_label="alpha-marker")
    api = _api(alpha, _login(alpha))
    body = api.get("/api/v1/audit-events/").content.decode()
    assert "alpha-marker" in body and "beta-secret-marker" not in body
    filtered = api.get("/api/v1/audit-events/", {"action": "grant.created"}).json()["results"]
    assert [row["target_label"] for row in filtered] == ["alpha-marker"]
    for value in ("' OR 1=1 --", "1; DROP TABLE audit_auditevent"):
        response = api.get("/api/v1/audit-events/", {"actor": value, "since": value})
        assert response.status_code == 400 and "beta-secret-marker" not in response.content.decode()
    assert AuditEvent.objects.for_tenant(beta.tenant).exists()


def test_api_changes_are_audited_with_the_token_user(alpha):
    key = _login(alpha)
    event = AuditEvent.objects.for_tenant(alpha.tenant).filter(action="api.token_created").get()
    assert event.actor == alpha.members["tenant_admin"]
    _api(alpha, key).post("/api/v1/auth/logout/")
    assert AuditEvent.objects.for_tenant(alpha.tenant).filter(action="api.token_deleted").exists()


def test_cors_headers_only_for_origins_the_tenant_lists(alpha, beta):
    from tenants.services import update_configuration

    update_configuration(alpha.tenant, cors_allowed_origins=[ORIGIN])
    listed = Client(HTTP_HOST=alpha.host).options(
        "/api/v1/members/", HTTP_ORIGIN=ORIGIN, HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET"
    )
    assert listed["Access-Control-Allow-Origin"] == ORIGIN
    assert "Access-Control-Allow-Credentials" not in listed
    unlisted = Client(HTTP_HOST=alpha.host).get("/api/v1/members/", HTTP_ORIGIN="https://evil.example.com")
    assert "Access-Control-Allow-Origin" not in unlisted
    other_tenant = Client(HTTP_HOST=beta.host).get("/api/v1/members/", HTTP_ORIGIN=ORIGIN)
    assert "Access-Control-Allow-Origin" not in other_tenant
    page = Client(HTTP_HOST=alpha.host).get("/", HTTP_ORIGIN=ORIGIN)
    assert "Access-Control-Allow-Origin" not in page


def test_allowed_origins_page_validates_and_keeps_input(alpha):
    client = alpha.client(alpha.members["tenant_admin"])
    response = client.post("/manage/api/", {"origins": "https://ok.example.org\njavascript:alert(1)"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "javascript:alert(1)" in html and "field__errors" in html
    assert client.post("/manage/api/", {"origins": "https://OK.example.org/\n\nhttp://localhost:3000"}).status_code == 302
    alpha.tenant.refresh_from_db()
    assert alpha.tenant.cors_allowed_origins == ["https://ok.example.org", "http://localhost:3000"]
    assert AuditEvent.objects.for_tenant(alpha.tenant).filter(action="tenant.configuration_changed").exists()


def test_openapi_description_and_docs_are_served_locally(alpha):
    client = Client(HTTP_HOST=alpha.host)
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json")
    assert schema.status_code == 200
    assert "/api/v1/members/" in schema.content.decode()
    docs = client.get("/api/docs/")
    assert docs.status_code == 200
    html = docs.content.decode()
    assert "swagger-ui" in html and "cdn" not in html.lower()


def test_api_does_not_exist_on_the_platform_host(platform_client):
    assert platform_client.get("/api/v1/members/").status_code == 404
    assert Client(HTTP_HOST=settings.PLATFORM_DOMAIN).post("/api/v1/auth/login/", {}).status_code == 404
