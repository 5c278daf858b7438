import re

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client

from tests.conftest import sign_in
from tests.factories import PASSWORD, MembershipFactory, UserFactory

NEW_PASSWORD = "girafe lanterne mousson quai"


@pytest.fixture
def member(alpha):
    return MembershipFactory(tenant=alpha.tenant).user


def _path(message) -> str:
    link = re.search(r"https?://\S+", message.body).group(0)
    return link[link.index("/accounts/"):]


def test_password_change_asks_the_current_one_and_mails_the_owner(alpha, member):
    client = alpha.client(member)
    refused = client.post("/accounts/password/", {"current_password": "wrong one", "password1": NEW_PASSWORD,
                                                  "password2": NEW_PASSWORD})
    assert refused.status_code == 400 and "id_current_password_error" in refused.content.decode()
    response = client.post("/accounts/password/", {"current_password": PASSWORD, "password1": NEW_PASSWORD,
                                                   "password2": NEW_PASSWORD})
    assert response.status_code == 302
    assert client.get("/dashboard/").status_code == 200
    assert [m.to for m in mail.outbox] == [[member.email]]


def test_email_change_is_confirmed_by_the_new_address_and_told_to_both(alpha, member):
    old_email = member.email
    client = alpha.client(member)
    response = client.post("/accounts/email/", {"new_email": "Nouvelle@Example.org", "current_password": PASSWORD})
    assert response.status_code == 302
    [confirmation] = mail.outbox
    assert confirmation.to == ["nouvelle@example.org"]
    member.refresh_from_db()
    assert member.email == old_email
    assert client.get(_path(confirmation)).status_code == 302
    member.refresh_from_db()
    assert member.email == "nouvelle@example.org"
    assert sorted(m.to[0] for m in mail.outbox[1:]) == sorted([old_email, "nouvelle@example.org"])
    assert client.get(_path(confirmation)).status_code == 400


def test_email_change_to_a_taken_address_changes_nothing_and_tells_its_owner(alpha, member):
    other = UserFactory()
    response = alpha.client(member).post("/accounts/email/", {"new_email": other.email, "current_password": PASSWORD})
    assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [[other.email]]
    member.refresh_from_db()
    assert member.email != other.email


def test_email_change_needs_the_current_password(alpha, member):
    response = alpha.client(member).post("/accounts/email/", {"new_email": "x@example.org", "current_password": "nope"})
    assert response.status_code == 400 and 'value="x@example.org"' in response.content.decode()
    assert mail.outbox == []


def test_tampered_email_change_link_is_refused(alpha, member):
    assert alpha.client(member).get("/accounts/email/confirm/forged-token/").status_code == 400


def test_sign_in_from_a_new_browser_is_told_to_the_owner(alpha, member):
    first_browser = alpha.client(member)
    assert mail.outbox == []
    assert settings.KNOWN_DEVICE_COOKIE_NAME in first_browser.cookies
    first_browser.post("/accounts/sign-out/")
    sign_in(first_browser, member)
    assert mail.outbox == []
    second_browser = Client(HTTP_HOST=alpha.host, HTTP_USER_AGENT="Firefox/140 test")
    sign_in(second_browser, member)
    [notice] = mail.outbox
    assert notice.to == [member.email] and "Firefox/140 test" in notice.body


def test_a_forged_device_cookie_counts_as_a_new_browser(alpha, member):
    alpha.client(member)
    browser = Client(HTTP_HOST=alpha.host)
    browser.cookies[settings.KNOWN_DEVICE_COOKIE_NAME] = "forged"
    sign_in(browser, member)
    assert len(mail.outbox) == 1
