from django.conf import settings
from django.test import Client


def test_session_cookie_from_one_tenant_does_not_authenticate_on_another(alpha, beta):
    admin = alpha.members["tenant_admin"]
    on_alpha = alpha.client(admin)
    cookie = on_alpha.cookies[settings.SESSION_COOKIE_NAME].value
    assert on_alpha.get("/manage/").status_code == 200

    replay = Client(HTTP_HOST=beta.host)
    replay.cookies[settings.SESSION_COOKIE_NAME] = cookie
    response = replay.get("/dashboard/")
    assert response.status_code == 302 and "/accounts/sign-in/" in response["Location"]
    assert replay.get("/manage/").status_code == 302


def test_tenant_session_does_not_open_the_operators_console(alpha, operator):
    on_alpha = alpha.client(operator)
    replay = Client(HTTP_HOST=settings.PLATFORM_DOMAIN)
    replay.cookies[settings.SESSION_COOKIE_NAME] = on_alpha.cookies[settings.SESSION_COOKIE_NAME].value
    response = replay.get("/console/")
    assert response.status_code == 302 and "/accounts/sign-in/" in response["Location"]


def test_session_id_changes_on_sign_in(alpha):
    client = alpha.client()
    client.get("/accounts/sign-in/")
    client.cookies[settings.SESSION_COOKIE_NAME] = "attacker-chosen-session-id"
    from tests.conftest import sign_in

    sign_in(client, alpha.members["guest"])
    assert client.cookies[settings.SESSION_COOKIE_NAME].value != "attacker-chosen-session-id"


def test_session_cookie_is_host_only_and_http_only(alpha):
    client = alpha.client(alpha.members["guest"])
    morsel = client.cookies[settings.SESSION_COOKIE_NAME]
    assert morsel["domain"] == ""
    assert morsel["httponly"]
