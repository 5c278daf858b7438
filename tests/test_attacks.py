"""Hostile input in every field a person can write today, and in every parameter and header
the site reads: it must come back inert, be refused with a message, or be ignored."""

import html

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client

from shared_apps.accounts.middleware import BOUND_SCHEMA_KEY
from shared_apps.accounts.models import Membership, User
from tenants import services as tenant_services
from tests.captcha import solved_captcha
from tests.conftest import sign_in
from tests.factories import PASSWORD, MembershipFactory, UserFactory

PAYLOADS = ["<script>alert(1)</script>", '"><img src=x onerror=alert(1)>', "javascript:alert(1)//<b>x</b>"]


def _assert_inert(page: str, payload: str):
    assert payload not in page
    assert html.escape(payload) in page or html.escape(payload, quote=False) in page or \
        payload.replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;") in page


@pytest.mark.parametrize("payload", PAYLOADS)
def test_names_and_organisations_are_escaped_on_member_list_and_dashboard(alpha, payload):
    user = UserFactory(full_name=payload)
    MembershipFactory(user=user, tenant=alpha.tenant, organisation=payload)
    members = alpha.client(alpha.members["tenant_admin"]).get("/accounts/members/").content.decode()
    _assert_inert(members, payload)
    dashboard = alpha.client(user).get("/dashboard/").content.decode()
    assert payload.split(" ")[0] not in dashboard or html.escape(payload.split(" ")[0]) in dashboard
    assert "<script>alert(1)</script>" not in dashboard and "<img src=x" not in dashboard


@pytest.mark.parametrize("payload", PAYLOADS)
def test_programme_name_and_kpi_labels_are_escaped_in_settings_dashboard_and_console(alpha, operator, payload):
    tenant_services.update_configuration(alpha.tenant, name=payload, kpis=[
        {"key": "k", "label": payload, "target": 1, "unit": payload[:40]},
    ])
    admin = alpha.client(alpha.members["tenant_admin"])
    for path in ("/manage/", "/dashboard/", "/"):
        _assert_inert(admin.get(path).content.decode(), payload)
    console = Client(HTTP_HOST=settings.PLATFORM_DOMAIN)
    sign_in(console, operator)
    _assert_inert(console.get("/console/").content.decode(), payload)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_sign_up_fields_are_stored_as_text_and_shown_escaped(alpha, payload):
    email = "new.person@example.org"
    data = {"full_name": payload, "email": email, "organisation": payload, "role": "company_rep",
            "password1": PASSWORD, "password2": PASSWORD, **solved_captcha()}
    alpha.client().post("/accounts/sign-up/", data)
    user = User.objects.get(email=email)
    assert user.full_name == payload
    page = alpha.client(alpha.members["tenant_admin"]).get("/accounts/members/").content.decode()
    _assert_inert(page, payload)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_hostile_sign_up_is_shown_back_escaped_when_the_form_is_refused(alpha, payload):
    data = {"full_name": payload, "email": payload, "organisation": payload, "role": "company_rep",
            "password1": "x", "password2": "y"}
    response = alpha.client().post("/accounts/sign-up/", data)
    assert response.status_code == 400
    _assert_inert(response.content.decode(), payload)


@pytest.mark.parametrize("payload", ['"><img src=x onerror=alert(1)>@example.org', "<script>alert(1)</script>"])
def test_invitation_email_payload_is_refused_and_shown_escaped(alpha, payload):
    response = alpha.client(alpha.members["tenant_admin"]).post(
        "/accounts/members/invite/", {"email": payload, "role": "guest", "organisation": payload}
    )
    assert response.status_code == 400
    assert not mail.outbox
    _assert_inert(response.content.decode(), payload)


SQL_INJECTIONS = ["1' OR '1'='1", "1; DROP TABLE accounts_user; --", "-1 UNION SELECT password FROM accounts_user", "999999999999999999999"]


@pytest.mark.parametrize("value", SQL_INJECTIONS)
@pytest.mark.parametrize(("role", "path"), [("tenant_admin", "/accounts/members/"), ("guest", "/notifications/")])
def test_sql_in_paging_parameters_is_harmless(alpha, role, path, value):
    response = alpha.client(alpha.members[role]).get(path, {"page": value})
    assert response.status_code == 200
    assert User.objects.filter(pk=alpha.members["guest"].pk).exists()


@pytest.mark.parametrize("value", SQL_INJECTIONS)
def test_sql_in_sign_in_and_member_ids_is_harmless(alpha, value):
    response = alpha.client().post("/accounts/sign-in/", {"username": value, "password": value})
    assert response.status_code == 200
    assert "_auth_user_id" not in alpha.client().session
    admin = alpha.client(alpha.members["tenant_admin"])
    assert admin.post(f"/accounts/members/{value}/remove/").status_code == 404
    assert Membership.objects.for_tenant(alpha.tenant).count() >= 6


@pytest.mark.parametrize(("path", "data"), [
    ("/accounts/sign-in/", {"username": "a@b.c", "password": "x"}),
    ("/accounts/members/invite/", {"email": "victim@example.org", "role": "tenant_admin"}),
    ("/manage/privacy/", {"controller": "x"}),
    ("/privacy/cookies/", {"analytics": "yes"}),
    ("/privacy/my-data/export/", {}),
    ("/privacy/my-data/erase/", {"password": PASSWORD, "confirm": "on"}),
])
def test_posts_without_a_csrf_token_are_refused(alpha, path, data):
    client = Client(HTTP_HOST=alpha.host, enforce_csrf_checks=True)
    client.force_login(alpha.members["tenant_admin"])
    session = client.session
    session[BOUND_SCHEMA_KEY] = alpha.tenant.schema_name
    session.save()
    response = client.post(path, data)
    assert response.status_code == 403
    assert not mail.outbox
    assert User.objects.get(pk=alpha.members["tenant_admin"].pk).is_active


@pytest.mark.parametrize("target", ["//evil.example/", "https://evil.example/", "/\\evil.example", "javascript:alert(1)",
                                    "/%0d%0aSet-Cookie:x=1", "/\r\nSet-Cookie: x=1"])
def test_next_parameters_cannot_redirect_elsewhere_or_split_headers(alpha, target):
    client = alpha.client()
    sign_in_response = client.post(f"/accounts/sign-in/?next={target}",
                                   {"username": alpha.members["guest"].email, "password": PASSWORD})
    language = client.post("/i18n/setlang/", {"language": "en", "next": target})
    cookies = client.post("/privacy/cookies/", {"analytics": "no", "next": target})
    for response in (sign_in_response, language, cookies):
        assert response.status_code == 302
        location = response["Location"]
        assert "evil.example" not in location and "javascript:" not in location
        assert "\r" not in location and "\n" not in location
        assert "x" not in response.cookies


@pytest.mark.parametrize("header", ["abc\r\nSet-Cookie: owned=1", "a" * 500, "<script>", "id with spaces"])
def test_hostile_request_ids_are_replaced(alpha, header):
    response = alpha.client().get("/", HTTP_X_REQUEST_ID=header)
    assert response["X-Request-ID"] != header and len(response["X-Request-ID"]) == 32
    assert "owned" not in response.cookies


def test_host_header_injection_gets_the_unknown_host_page(alpha):
    response = Client(HTTP_HOST="evil.example").get("/accounts/sign-in/")
    assert response.status_code == 404
    response = Client(HTTP_HOST=f"{alpha.host}\r\nX-Injected: 1").get("/")
    assert response.status_code in (400, 404) and "X-Injected" not in response
