"""The API's password reset is the site's: a code by e-mail, then the code and the new password."""

import re

import pytest
from django.core import mail
from django.test import Client

from shared_apps.account_security.models import PasswordResetCode
from shared_apps.api.models import ApiToken
from shared_apps.audit.models import AuditEvent
from tests.factories import PASSWORD, MembershipFactory

NEW_PASSWORD = "girafe lanterne mousson quai"
RESET = "/api/v1/auth/password/reset/"
CONFIRM = "/api/v1/auth/password/reset/confirm/"


@pytest.fixture
def member(alpha):
    return MembershipFactory(tenant=alpha.tenant).user


def _post(programme, path, data, **extra):
    return Client(HTTP_HOST=programme.host, **extra).post(path, data, content_type="application/json")


def _code(message) -> str:
    return re.search(r"^([A-Z2-9]{8})$", message.body, re.M).group(1)


def _confirm(programme, reset, code, password=NEW_PASSWORD):
    return _post(programme, CONFIRM, {"reset": reset, "code": code, "new_password1": password,
                                      "new_password2": password})


def test_code_by_email_then_code_and_new_password_changes_it(alpha, member):
    key = Client(HTTP_HOST=alpha.host).post("/api/v1/auth/login/", {"email": member.email, "password": PASSWORD},
                                             content_type="application/json").json()["key"]
    mail.outbox.clear()
    response = _post(alpha, RESET, {"email": member.email})
    assert response.status_code == 202, response.content
    [message] = mail.outbox
    assert message.to == [member.email]
    assert "token" not in message.body.lower() and "uid" not in message.body.lower()
    response = _confirm(alpha, response.json()["reset"], _code(message).lower())
    assert response.status_code == 200, response.content
    member.refresh_from_db()
    assert member.check_password(NEW_PASSWORD)
    assert "password" in mail.outbox[-1].subject.lower()
    assert not ApiToken.objects.across_tenants().filter(user=member).exists()
    assert Client(HTTP_HOST=alpha.host).get("/api/v1/auth/user/", HTTP_AUTHORIZATION=f"Token {key}").status_code == 401
    assert AuditEvent.objects.for_tenant(alpha.tenant).filter(action="account.password_reset", actor=member).count() == 1


def test_unknown_and_known_addresses_get_the_same_answer(alpha, member):
    known = _post(alpha, RESET, {"email": member.email})
    unknown = _post(alpha, RESET, {"email": "nobody@example.org"})
    assert known.status_code == unknown.status_code == 202
    assert set(known.json()) == set(unknown.json())
    assert known.json()["detail"] == unknown.json()["detail"]
    assert len(mail.outbox) == 1
    refused = _confirm(alpha, unknown.json()["reset"], "ABCDEFGH")
    wrong = _confirm(alpha, known.json()["reset"], "ABCDEFGH")
    assert refused.status_code == wrong.status_code == 400
    assert refused.json() == wrong.json()


def test_wrong_codes_are_limited_then_even_the_right_one_fails(alpha, member, settings):
    settings.PASSWORD_RESET_CODE_ATTEMPTS = 3
    reset = _post(alpha, RESET, {"email": member.email}).json()["reset"]
    code = _code(mail.outbox[0])
    for _attempt in range(3):
        assert _confirm(alpha, reset, "ZZZZZZZZ").status_code == 400
    response = _confirm(alpha, reset, code)
    assert response.status_code == 400
    assert "code" in response.json()
    member.refresh_from_db()
    assert member.check_password(PASSWORD)


def test_a_code_works_once(alpha, member):
    reset = _post(alpha, RESET, {"email": member.email}).json()["reset"]
    code = _code(mail.outbox[0])
    assert _confirm(alpha, reset, code).status_code == 200
    assert _confirm(alpha, reset, code, password="another long passphrase 77").status_code == 400
    member.refresh_from_db()
    assert member.check_password(NEW_PASSWORD)


def test_weak_password_is_refused_and_the_code_stays_usable(alpha, member):
    reset = _post(alpha, RESET, {"email": member.email}).json()["reset"]
    code = _code(mail.outbox[0])
    response = _confirm(alpha, reset, code, password="abcdefghijkm")
    assert response.status_code == 400
    assert "new_password1" in response.json() or "new_password2" in response.json()
    assert _confirm(alpha, reset, code).status_code == 200


def test_a_reset_started_on_another_programme_or_forged_is_refused(alpha, beta, member):
    reset = _post(alpha, RESET, {"email": member.email}).json()["reset"]
    code = _code(mail.outbox[0])
    assert _confirm(beta, reset, code).status_code == 400
    assert _confirm(alpha, reset[:-2] + "xx", code).status_code == 400
    assert _confirm(alpha, reset, code).status_code == 200


def test_requests_are_rate_limited_per_address_whether_it_exists_or_not(alpha, member, settings):
    settings.PASSWORD_RESET_PER_ADDRESS_PER_HOUR = 2
    for email in (member.email, "nobody@example.org"):
        assert [_post(alpha, RESET, {"email": email}).status_code for _i in range(3)] == [202, 202, 429]
    assert len(mail.outbox) == 2


def test_requests_are_rate_limited_per_ip_address(alpha, settings):
    settings.PASSWORD_RESET_PER_IP_PER_HOUR = 2
    codes = [_post(alpha, RESET, {"email": f"someone{i}@example.org"}).status_code for i in range(3)]
    assert codes == [202, 202, 429]
    assert PasswordResetCode.objects.count() == 2


def test_the_reset_endpoints_are_in_the_openapi_description(alpha):
    schema = Client(HTTP_HOST=alpha.host).get("/api/schema/", HTTP_ACCEPT="application/json").json()
    confirm = schema["paths"][CONFIRM]["post"]
    body = confirm["requestBody"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
    assert set(schema["components"]["schemas"][body]["properties"]) == {"reset", "code", "new_password1", "new_password2"}
    assert "202" in schema["paths"][RESET]["post"]["responses"]
