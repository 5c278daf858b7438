import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from shared_apps.account_security.models import PasswordResetCode
from tests.captcha import solved_captcha
from tests.factories import PASSWORD, MembershipFactory

NEW_PASSWORD = "girafe lanterne mousson quai"


@pytest.fixture
def member(alpha):
    return MembershipFactory(tenant=alpha.tenant).user


def _without_tokens(html: str) -> str:
    return re.sub(r'value="[^"]+"|"X-CSRFToken": "[^"]+"', "", html)


def _request(client, email):
    return client.post("/accounts/password-reset/", {"email": email, **solved_captcha()})


def _code(message) -> str:
    return re.search(r"^([A-Z2-9]{8})$", message.body, re.M).group(1)


def test_reset_in_two_steps_then_sign_in_with_the_new_password(alpha, member):
    client = alpha.client()
    assert _request(client, member.email)["Location"] == "/accounts/password-reset/code/"
    [message] = mail.outbox
    assert message.to == [member.email]
    code = _code(message)
    assert code not in str(list(PasswordResetCode.objects.values()))
    typed = f"{code[:4].lower()} {code[4:]}"
    assert client.post("/accounts/password-reset/code/", {"code": typed})["Location"] == "/accounts/password-reset/new-password/"
    assert client.post("/accounts/password-reset/new-password/", {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}).status_code == 302
    assert mail.outbox[-1].to == [member.email] and "password" in mail.outbox[-1].subject.lower()
    member.refresh_from_db()
    assert member.check_password(NEW_PASSWORD)
    assert client.post("/accounts/sign-in/", {"username": member.email, "password": NEW_PASSWORD}).status_code == 302


def test_unknown_and_known_addresses_look_the_same(alpha, member):
    known, unknown = alpha.client(), alpha.client()
    known_response, unknown_response = _request(known, member.email), _request(unknown, "nobody@example.org")
    assert known_response.status_code == unknown_response.status_code == 302
    assert known_response["Location"] == unknown_response["Location"]
    known_page = known.get(known_response["Location"]).content.decode()
    unknown_page = unknown.get(unknown_response["Location"]).content.decode()
    assert _without_tokens(known_page) == _without_tokens(unknown_page)
    assert [m.to for m in mail.outbox] == [[member.email]]
    refused = unknown.post("/accounts/password-reset/code/", {"code": "ABCD2345"})
    wrong = known.post("/accounts/password-reset/code/", {"code": "ABCD2345"})
    assert refused.status_code == wrong.status_code == 400
    assert _without_tokens(refused.content.decode()) == _without_tokens(wrong.content.decode())


def test_wrong_codes_are_limited_then_even_the_right_one_fails(alpha, member, settings):
    client = alpha.client()
    _request(client, member.email)
    code = _code(mail.outbox[0])
    for _i in range(settings.PASSWORD_RESET_CODE_ATTEMPTS):
        response = client.post("/accounts/password-reset/code/", {"code": "ZZZZ2222"})
        assert response.status_code == 400
    assert client.post("/accounts/password-reset/code/", {"code": code}).status_code == 400
    assert client.get("/accounts/password-reset/new-password/").status_code == 302


def test_an_expired_code_is_refused(alpha, member):
    client = alpha.client()
    _request(client, member.email)
    PasswordResetCode.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    response = client.post("/accounts/password-reset/code/", {"code": _code(mail.outbox[0])})
    assert response.status_code == 400 and "expired" in response.content.decode()


def test_a_code_works_once(alpha, member):
    client = alpha.client()
    _request(client, member.email)
    code = _code(mail.outbox[0])
    client.post("/accounts/password-reset/code/", {"code": code})
    client.post("/accounts/password-reset/new-password/", {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert client.post("/accounts/password-reset/code/", {"code": code}).status_code in (302, 400)
    assert client.get("/accounts/password-reset/new-password/").status_code == 302
    member.refresh_from_db()
    assert member.check_password(NEW_PASSWORD)


def test_a_new_code_replaces_the_previous_one(alpha, member, settings):
    client = alpha.client()
    _request(client, member.email)
    _request(client, member.email)
    first, _second = _code(mail.outbox[0]), _code(mail.outbox[1])
    assert client.post("/accounts/password-reset/code/", {"code": first}).status_code == 400


def test_a_weak_new_password_is_refused_with_the_reason(alpha, member):
    client = alpha.client()
    _request(client, member.email)
    client.post("/accounts/password-reset/code/", {"code": _code(mail.outbox[0])})
    response = client.post("/accounts/password-reset/new-password/", {"password1": "password1234", "password2": "password1234"})
    assert response.status_code == 400 and "id_password1_error" in response.content.decode()
    member.refresh_from_db()
    assert member.check_password(PASSWORD)


def test_requests_are_rate_limited_per_address_whether_it_exists_or_not(alpha, member, settings):
    for address in (member.email, "nobody@example.org"):
        for _i in range(settings.PASSWORD_RESET_PER_ADDRESS_PER_HOUR):
            assert _request(alpha.client(), address).status_code == 302
        refused = _request(alpha.client(), address)
        assert refused.status_code == 429 and 'value="' + address + '"' in refused.content.decode()
    assert len(mail.outbox) == settings.PASSWORD_RESET_PER_ADDRESS_PER_HOUR


def test_requests_are_rate_limited_per_ip_address(alpha, settings):
    settings.PASSWORD_RESET_PER_IP_PER_HOUR = 2
    for n in range(2):
        assert _request(alpha.client(), f"someone{n}@example.org").status_code == 302
    assert _request(alpha.client(), "someone9@example.org").status_code == 429


def test_code_page_without_a_request_sends_back_to_the_start(alpha):
    assert alpha.client().get("/accounts/password-reset/code/")["Location"] == "/accounts/password-reset/"
