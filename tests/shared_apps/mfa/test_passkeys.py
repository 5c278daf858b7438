"""Passkeys as a second factor, bound to the host they were made on (server side of the ceremonies)."""

import json

import pytest
from django.core import mail
from django.test import Client
from django_otp_webauthn.models import WebAuthnCredential

from shared_apps.audit.models import AuditEvent
from shared_apps.mfa.models import PasskeyHost
from tests.factories import PASSWORD, MembershipFactory, UserFactory
from tests.soft_authenticator import SoftAuthenticator, b64url

REG_BEGIN = "/accounts/mfa/passkey/registration/begin/"
REG_COMPLETE = "/accounts/mfa/passkey/registration/complete/"
AUTH_BEGIN = "/accounts/mfa/passkey/authentication/begin/"
AUTH_COMPLETE = "/accounts/mfa/passkey/authentication/complete/"


def _origin(programme) -> str:
    return f"http://{programme.host}"


def _json(client, path, data=None):
    return client.post(path, json.dumps(data or {}), content_type="application/json")


@pytest.fixture
def member(alpha):
    user = UserFactory()
    MembershipFactory(user=user, tenant=alpha.tenant, role="expert")
    return user


def _register(programme, client, authenticator, *, origin=None):
    options = _json(client, REG_BEGIN).json()
    return _json(client, REG_COMPLETE, authenticator.create(options, origin=origin or _origin(programme)))


def _enrolled(programme, user):
    authenticator = SoftAuthenticator()
    response = _register(programme, programme.client(user), authenticator)
    assert response.status_code == 200, response.content
    mail.outbox.clear()
    return authenticator


def test_registration_options_name_this_host_as_relying_party(alpha, beta, member):
    options = _json(alpha.client(member), REG_BEGIN).json()
    assert options["rp"] == {"id": alpha.host, "name": alpha.tenant.name}
    MembershipFactory(user=member, tenant=beta.tenant, role="expert")
    assert _json(beta.client(member), REG_BEGIN).json()["rp"]["id"] == beta.host


def test_enrolment_page_says_the_passkey_works_on_this_host_only_and_has_no_inline_script(alpha, member):
    response = alpha.client(member).get("/accounts/mfa/passkey/")
    html = response.content.decode()
    assert response.status_code == 200
    assert f"<strong>{alpha.host}</strong> only" in html
    assert "django_otp_webauthn/otp_webauthn_register.js" in html
    assert 'id="otp_webauthn_config" type="application/json"' in html
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp


def test_a_passkey_made_here_is_stored_with_its_host_audited_and_notified(alpha, member):
    client = alpha.client(member)
    response = _register(alpha, client, SoftAuthenticator())
    assert response.status_code == 200, response.content
    assert response.json()["redirect_url"] == "/accounts/mfa/passkey/added/"
    passkey = WebAuthnCredential.objects.get(user=member)
    assert PasskeyHost.objects.get(credential=passkey).rp_id == alpha.host
    [event] = AuditEvent.objects.for_tenant(alpha.tenant).filter(action="mfa.device_added")
    assert (event.actor, event.after) == (member, {"method": "passkey", "host": alpha.host})
    [notice] = mail.outbox
    assert notice.to == [member.email] and "added" in notice.subject
    assert alpha.host in notice.body
    # The new passkey verified the session: managing methods is open.
    assert client.get("/accounts/mfa/").status_code == 200


def test_another_hosts_origin_or_relying_party_is_refused(alpha, beta, member):
    client = alpha.client(member)
    refused = _register(alpha, client, SoftAuthenticator(), origin=_origin(beta))
    assert refused.status_code == 422
    options = _json(client, REG_BEGIN).json()
    refused = _json(client, REG_COMPLETE, SoftAuthenticator().create(options, origin=_origin(alpha), rp_id=beta.host))
    assert refused.status_code == 422
    assert not WebAuthnCredential.objects.filter(user=member).exists()


def test_passkey_signs_in_as_the_second_step(alpha, member):
    authenticator = _enrolled(alpha, member)
    client = Client(HTTP_HOST=alpha.host)
    assert client.post("/accounts/sign-in/", {"username": member.email, "password": PASSWORD})["Location"] == "/accounts/mfa/verify/"
    page = client.get("/accounts/mfa/verify/").content.decode()
    assert 'id="passkey-verification-placeholder"' in page
    options = _json(client, AUTH_BEGIN).json()
    assert options["rpId"] == alpha.host
    assert [c["id"] for c in options["allowCredentials"]] == [b64url(authenticator.credential_id)]
    response = _json(client, AUTH_COMPLETE, authenticator.get(options, origin=_origin(alpha)))
    assert response.status_code == 200, response.content
    assert response.json()["redirect_url"]
    assert client.get("/accounts/mfa/").status_code == 200


def test_a_passkey_assertion_from_another_hosts_origin_does_not_sign_in(alpha, beta, member):
    authenticator = _enrolled(alpha, member)
    client = Client(HTTP_HOST=alpha.host)
    client.post("/accounts/sign-in/", {"username": member.email, "password": PASSWORD})
    options = _json(client, AUTH_BEGIN).json()
    response = _json(client, AUTH_COMPLETE, authenticator.get(options, origin=_origin(beta)))
    assert response.status_code == 422
    assert client.get("/accounts/mfa/").status_code == 302


def test_passkeys_of_another_host_are_not_offered_nor_accepted(alpha, beta, member):
    authenticator = _enrolled(alpha, member)
    MembershipFactory(user=member, tenant=beta.tenant, role="expert")
    client = Client(HTTP_HOST=beta.host)
    client.post("/accounts/sign-in/", {"username": member.email, "password": PASSWORD})
    page = client.get("/accounts/mfa/verify/").content.decode()
    assert "do not work on" in page and beta.host in page
    options = _json(client, AUTH_BEGIN).json()
    assert options["rpId"] == beta.host and options["allowCredentials"] == []
    # Even signed for alpha's relying party and presented with beta's origin, it is refused.
    response = _json(client, AUTH_COMPLETE, authenticator.get(options, origin=_origin(beta), rp_id=alpha.host))
    assert response.status_code == 422


def test_passkey_ceremonies_need_someone_half_way_through_signing_in(alpha):
    assert _json(Client(HTTP_HOST=alpha.host), AUTH_BEGIN).status_code == 403
    assert _json(Client(HTTP_HOST=alpha.host), REG_BEGIN).status_code == 403


def test_removing_a_passkey_is_audited_and_notified(alpha, member):
    _enrolled(alpha, member)
    client = alpha.client(member)
    passkey = WebAuthnCredential.objects.get(user=member)
    response = client.post("/accounts/mfa/remove/", {"device": passkey.persistent_id})
    assert response.status_code == 302
    assert not WebAuthnCredential.objects.filter(user=member).exists()
    [event] = AuditEvent.objects.for_tenant(alpha.tenant).filter(action="mfa.device_removed")
    assert event.before == {"method": "passkey", "host": alpha.host}
    [notice] = [message for message in mail.outbox if "removed" in message.subject]
    assert notice.to == [member.email]
