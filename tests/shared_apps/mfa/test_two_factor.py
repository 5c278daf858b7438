"""Two-factor sign-in, attacked: wrong, old, reused and guessed codes; skipped steps."""

import re
import time

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_email.models import EmailDevice
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from shared_apps.mfa.gateways import RecordingSmsGateway
from shared_apps.mfa.models import SmsDevice
from tests.conftest import fresh_backup_code, sign_in
from tests.factories import PASSWORD, MembershipFactory, UserFactory

VERIFY = "/accounts/mfa/verify/"


@pytest.fixture(autouse=True)
def _no_throttle_wait(settings):
    # django-otp makes a person wait after a wrong code; tests check the refusal, not the wait.
    settings.OTP_TOTP_THROTTLE_FACTOR = settings.OTP_STATIC_THROTTLE_FACTOR = 0
    settings.OTP_EMAIL_THROTTLE_FACTOR = settings.MFA_THROTTLE_FACTOR = 0
    settings.OTP_EMAIL_COOLDOWN_DURATION = settings.MFA_CODE_COOLDOWN_SECONDS = 0
    RecordingSmsGateway.outbox.clear()


def _totp(device, *, seconds_ago=0):
    generator = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    generator.time = time.time() - seconds_ago
    return f"{generator.token():06d}"


def _password_step(client, user):
    response = client.post("/accounts/sign-in/", {"username": user.email, "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == VERIFY
    return response


def _user_with_totp(alpha, role="expert"):
    user = UserFactory()
    MembershipFactory(user=user, tenant=alpha.tenant, role=role)
    device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)
    return user, device


def _verify(client, device, token):
    return client.post(VERIFY, {"device": device.persistent_id, "token": token})


def test_password_alone_does_not_sign_in_a_person_with_a_second_factor(alpha):
    user, device = _user_with_totp(alpha)
    client = alpha.client()
    _password_step(client, user)
    for path in ("/dashboard/", "/accounts/mfa/", "/accounts/sessions/", "/notifications/"):
        response = client.get(path)
        assert response.status_code == 302 and "/accounts/sign-in/" in response["Location"], path
    assert _verify(client, device, _totp(device)).status_code == 302
    assert client.get("/dashboard/").status_code == 200


def test_wrong_expired_and_reused_authenticator_codes_are_refused(alpha):
    user, device = _user_with_totp(alpha)
    client = alpha.client()
    _password_step(client, user)

    wrong = _verify(client, device, "000000" if _totp(device) != "000000" else "111111")
    assert wrong.status_code == 400
    assert "not valid" in wrong.content.decode() or "pas valide" in wrong.content.decode()
    assert _verify(client, device, _totp(device, seconds_ago=600)).status_code == 400

    code = _totp(device)
    assert _verify(client, device, code).status_code == 302

    again = alpha.client()
    _password_step(again, user)
    assert _verify(again, device, code).status_code == 400
    assert again.get("/dashboard/").status_code == 302


def test_emailed_code_works_once_and_not_after_expiry(alpha):
    user = alpha.members["buyer"]
    device = EmailDevice.objects.create(user=user, name="email", confirmed=True)
    client = alpha.client()
    _password_step(client, user)
    assert client.post(VERIFY, {"device": device.persistent_id, "action": "send"}).status_code == 200
    code = re.search(r"\b(\d{6})\b", mail.outbox[-1].body).group(1)
    assert mail.outbox[-1].to == [user.email]

    assert _verify(client, device, "12345" + str((int(code[-1]) + 1) % 10)).status_code == 400
    assert _verify(client, device, code).status_code == 302

    again = alpha.client()
    _password_step(again, user)
    assert _verify(again, device, code).status_code == 400

    again.post(VERIFY, {"device": device.persistent_id, "action": "send"})
    stale = re.search(r"\b(\d{6})\b", mail.outbox[-1].body).group(1)
    EmailDevice.objects.filter(pk=device.pk).update(valid_until="2000-01-01T00:00:00Z")
    assert _verify(again, device, stale).status_code == 400


def test_backup_code_works_once(alpha):
    user = alpha.members["tenant_admin"]
    device, code = fresh_backup_code(user)
    first = alpha.client()
    _password_step(first, user)
    assert _verify(first, device, code).status_code == 302
    assert first.get("/manage/").status_code == 200

    second = alpha.client()
    _password_step(second, user)
    assert _verify(second, device, code).status_code == 400
    assert second.get("/manage/").status_code == 302


def test_too_many_wrong_codes_send_the_person_back_to_the_password(alpha, settings):
    user, device = _user_with_totp(alpha)
    client = alpha.client()
    _password_step(client, user)
    for _attempt in range(settings.MFA_MAX_FAILED_CODES - 1):
        assert _verify(client, device, "999999" if _totp(device) != "999999" else "888888").status_code == 400
    response = _verify(client, device, "999999" if _totp(device) != "999999" else "888888")
    assert response.status_code == 302 and response["Location"] == "/accounts/sign-in/"
    assert _verify(client, device, _totp(device)).status_code == 302
    assert client.get("/dashboard/").status_code == 302  # the right code is too late now


def test_second_step_expires_and_does_not_travel_to_another_tenant(alpha, beta, settings):
    user, device = _user_with_totp(alpha)
    client = alpha.client()
    _password_step(client, user)
    replay = Client(HTTP_HOST=beta.host)
    replay.cookies[settings.SESSION_COOKIE_NAME] = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert _verify(replay, device, _totp(device))["Location"] == "/accounts/sign-in/"

    settings.MFA_PENDING_MAX_AGE = -1  # already past
    assert _verify(client, device, _totp(device))["Location"] == "/accounts/sign-in/"


def test_someone_elses_device_cannot_be_used(alpha):
    user, _device = _user_with_totp(alpha)
    _other, other_device = _user_with_totp(alpha)
    client = alpha.client()
    _password_step(client, user)
    assert _verify(client, other_device, _totp(other_device)).status_code == 400


def test_session_id_changes_when_the_second_factor_is_accepted(alpha):
    user, device = _user_with_totp(alpha)
    client = alpha.client()
    _password_step(client, user)
    before = client.cookies[settings.SESSION_COOKIE_NAME].value
    _verify(client, device, _totp(device))
    assert client.cookies[settings.SESSION_COOKIE_NAME].value != before


def test_role_that_must_use_mfa_reaches_nothing_before_enrolling(alpha):
    moderator = UserFactory()
    MembershipFactory(user=moderator, tenant=alpha.tenant, role="moderator")
    client = alpha.client(moderator)
    for path in ("/dashboard/", "/accounts/members/", "/notifications/", "/accounts/sessions/", "/"):
        response = client.get(path)
        assert response.status_code == 302 and response["Location"] == "/accounts/mfa/", path
    page = client.get("/accounts/mfa/")
    assert page.status_code == 200 and 'role="alert"' in page.content.decode()
    assert client.get("/healthz").status_code == 200

    enrol = client.get("/accounts/mfa/authenticator/")
    assert enrol.status_code == 200 and "<svg" in enrol.content.decode()
    device = TOTPDevice.objects.get(user=moderator, confirmed=False)
    secret = re.search(r'<code class="secret">([A-Z2-7 ]+)</code>', enrol.content.decode()).group(1)
    assert len(secret.replace(" ", "")) == 32

    refused = client.post("/accounts/mfa/authenticator/", {"token": "12ab"})
    assert refused.status_code == 400 and 'value="12ab"' in refused.content.decode()
    response = client.post("/accounts/mfa/authenticator/", {"token": _totp(device)})
    assert response.status_code == 302 and response["Location"] == "/accounts/mfa/backup-codes/"
    assert client.get("/dashboard/").status_code == 200


def test_tenant_policy_decides_which_roles_must_enrol(alpha):
    rep = UserFactory()
    MembershipFactory(user=rep, tenant=alpha.tenant, role="company_rep")
    assert alpha.client(rep).get("/dashboard/").status_code == 200
    alpha.tenant.mfa_required_roles = ["company_rep"]
    alpha.tenant.save(update_fields=["mfa_required_roles"])
    assert alpha.client(rep).get("/dashboard/")["Location"] == "/accounts/mfa/"


def test_operator_must_enrol_before_using_the_console(programmes, db):
    operator = UserFactory(is_staff=True)
    client = Client(HTTP_HOST=settings.PLATFORM_DOMAIN)
    sign_in(client, operator)
    assert client.get("/console/")["Location"] == "/accounts/mfa/"
    assert client.get("/accounts/mfa/").status_code == 200


def test_enrolling_ends_the_other_password_only_sessions(alpha):
    user = UserFactory()
    MembershipFactory(user=user, tenant=alpha.tenant, role="expert")
    elsewhere = alpha.client(user)
    here = alpha.client(user)
    here.get("/accounts/mfa/authenticator/")
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    here.post("/accounts/mfa/authenticator/", {"token": _totp(device)})
    assert here.get("/dashboard/").status_code == 200
    assert elsewhere.get("/dashboard/").status_code == 302


def test_backup_codes_are_shown_once_and_regenerating_cancels_the_old_ones(alpha):
    user, device = _user_with_totp(alpha)
    client = alpha.client()
    _password_step(client, user)
    _verify(client, device, _totp(device))
    first = re.findall(r"<code>([a-z2-7]{8})</code>", client.post("/accounts/mfa/backup-codes/").content.decode())
    assert len(first) == 10
    assert first[0] not in client.get("/accounts/mfa/backup-codes/").content.decode()
    second = re.findall(r"<code>([a-z2-7]{8})</code>", client.post("/accounts/mfa/backup-codes/").content.decode())
    assert not set(first) & set(second)
    assert StaticDevice.objects.get(user=user).token_set.count() == 10


def test_sms_enrolment_warns_about_sim_swapping_and_uses_the_gateway(alpha):
    user = UserFactory()
    MembershipFactory(user=user, tenant=alpha.tenant, role="buyer")
    client = alpha.client(user)
    page = client.get("/accounts/mfa/text-message/").content.decode()
    assert "SIM" in page

    bad = client.post("/accounts/mfa/text-message/", {"action": "send", "number": "06 12 34"})
    assert bad.status_code == 400 and 'value="06 12 34"' in bad.content.decode()
    assert RecordingSmsGateway.outbox == []

    assert client.post("/accounts/mfa/text-message/", {"action": "send", "number": "+33 6 12 34 56 78"}).status_code == 302
    message = RecordingSmsGateway.outbox[-1]
    assert message["to"] == "+33612345678"
    code = re.search(r"\b(\d{6})\b", message["message"]).group(1)
    assert client.post("/accounts/mfa/text-message/", {"action": "confirm", "token": code}).status_code == 302
    assert SmsDevice.objects.get(user=user).confirmed


def test_a_session_with_a_device_must_verify_to_manage_devices(alpha):
    user = UserFactory()
    MembershipFactory(user=user, tenant=alpha.tenant, role="expert")
    client = alpha.client(user)
    TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)
    for path in ("/accounts/mfa/", "/accounts/mfa/authenticator/", "/accounts/mfa/backup-codes/"):
        assert client.get(path)["Location"] == VERIFY, path


def test_email_enrolment_sends_a_code_and_confirms_with_it(alpha):
    user = UserFactory()
    MembershipFactory(user=user, tenant=alpha.tenant, role="expert")
    client = alpha.client(user)
    assert client.get("/accounts/mfa/email/").status_code == 200
    assert client.post("/accounts/mfa/email/", {"action": "send"}).status_code == 302
    code = re.search(r"\b(\d{6})\b", mail.outbox[-1].body).group(1)
    assert "Programme alpha" in mail.outbox[-1].subject
    assert client.post("/accounts/mfa/email/", {"token": "000000" if code != "000000" else "111111"}).status_code == 400
    assert client.post("/accounts/mfa/email/", {"token": code}).status_code == 302
    assert EmailDevice.objects.get(user=user).confirmed
