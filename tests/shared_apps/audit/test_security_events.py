"""Every security-relevant change leaves exactly one audit event, and no secret in it."""

import json
import re

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from shared_apps.account_sessions.models import AccountSession
from shared_apps.accounts.models import Membership
from shared_apps.audit.models import AuditEvent
from shared_apps.mfa.services import totp_secret
from tests.captcha import solved_captcha
from tests.factories import PASSWORD, MembershipFactory, UserFactory

NEW_PASSWORD = "girafe lanterne mousson quai"


@pytest.fixture
def member(alpha):
    return MembershipFactory(tenant=alpha.tenant, role="company_rep").user


def _events(tenant, action):
    return list(AuditEvent.objects.for_tenant(tenant).filter(action=action))


def _only(tenant, action):
    events = _events(tenant, action)
    assert len(events) == 1, [e.action for e in events]
    return events[0]


def _all_rows_text() -> str:
    return json.dumps(list(AuditEvent.plain.values()), default=str)


def _code(message) -> str:
    return re.search(r"^([A-Z2-9]{8})$", message.body, re.M).group(1)


def test_password_change_is_one_event_by_its_owner_without_the_password(alpha, member):
    client = alpha.client(member)
    response = client.post("/accounts/password/", {"current_password": PASSWORD, "password1": NEW_PASSWORD,
                                                   "password2": NEW_PASSWORD})
    assert response.status_code == 302
    event = _only(alpha.tenant, "account.password_changed")
    assert (event.actor, event.target_id, event.tenant) == (member, str(member.pk), alpha.tenant)
    assert NEW_PASSWORD not in _all_rows_text() and PASSWORD not in _all_rows_text()


def test_password_reset_is_one_event_without_the_code(alpha, member):
    client = alpha.client()
    client.post("/accounts/password-reset/", {"email": member.email, **solved_captcha()})
    code = _code(mail.outbox[0])
    client.post("/accounts/password-reset/code/", {"code": code})
    client.post("/accounts/password-reset/new-password/", {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    event = _only(alpha.tenant, "account.password_reset")
    assert event.actor == member
    assert _events(alpha.tenant, "account.unlocked") == []
    assert code not in _all_rows_text() and NEW_PASSWORD not in _all_rows_text()


def test_email_change_is_one_event_with_before_and_after(alpha, member):
    client = alpha.client(member)
    old = member.email
    client.post("/accounts/email/", {"new_email": "new-address@example.org", "current_password": PASSWORD})
    link = re.search(r"https?://\S+(/accounts/email/confirm/\S+/)", mail.outbox[-1].body).group(1)
    assert client.get(link).status_code == 302
    event = _only(alpha.tenant, "account.email_changed")
    assert (event.actor, event.before, event.after) == (member, {"email": old}, {"email": "new-address@example.org"})
    assert link.split("/")[-2] not in _all_rows_text()


def _lock(programme, email):
    client = Client(HTTP_HOST=programme.host, REMOTE_ADDR="192.0.2.66")
    for _i in range(settings.SIGN_IN_ACCOUNT_FAILURE_LIMIT + 2):
        client.post("/accounts/sign-in/", {"username": email, "password": "wrong wrong wrong", **solved_captcha()})


def test_lockout_and_unlock_by_an_admin_name_who_did_it(alpha, member):
    _lock(alpha, member.email)
    locked = _only(alpha.tenant, "account.locked")
    assert (locked.actor, locked.target_id) == (None, str(member.pk))
    admin = alpha.members["tenant_admin"]
    membership = Membership.objects.for_tenant(alpha.tenant).get(user=member)
    assert alpha.client(admin).post(f"/accounts/members/{membership.pk}/unlock/").status_code == 302
    unlocked = _only(alpha.tenant, "account.unlocked")
    assert (unlocked.actor, unlocked.target_id, unlocked.after) == (admin, str(member.pk), {"via": "administrator"})


def test_unlock_by_the_emailed_link_is_by_the_owner(alpha, member):
    _lock(alpha, member.email)
    [notice] = [m for m in mail.outbox if m.to == [member.email]]
    path = re.search(r"https?://\S+(/accounts/unlock/\S+/)", notice.body).group(1)
    assert Client(HTTP_HOST=alpha.host).get(path).status_code == 302
    unlocked = _only(alpha.tenant, "account.unlocked")
    assert (unlocked.actor, unlocked.after) == (member, {"via": "email_link"})
    assert path.split("/")[-2] not in _all_rows_text()


def test_revoking_one_session_and_all_others_are_one_event_each(alpha, member):
    other = alpha.client(member)
    current = alpha.client(member)
    record = AccountSession.objects.for_tenant(alpha.tenant).filter(user=member).order_by("pk").first()
    assert current.post(f"/accounts/sessions/{record.pk}/revoke/").status_code == 302
    event = _only(alpha.tenant, "session.revoked")
    assert (event.actor, event.before) == (member, {"session": record.pk})
    alpha.client(member)
    current.post("/accounts/sessions/revoke-others/")
    event = _only(alpha.tenant, "session.others_revoked")
    assert event.after == {"sessions_ended": 1}
    assert record.session_key not in _all_rows_text()
    assert other.get("/accounts/sessions/").status_code == 302


def test_cookie_choice_is_given_then_changed_in_the_tenants_log(alpha, beta, member):
    client = alpha.client(member)
    client.post("/privacy/cookies/", {"analytics": "yes"})
    given = _only(alpha.tenant, "consent.given")
    assert (given.actor, given.after["analytics"]) == (member, True)
    client.post("/privacy/cookies/", {"analytics": "no"})
    changed = _only(alpha.tenant, "consent.changed")
    assert (changed.before, changed.after["analytics"]) == ({"analytics": True}, False)
    assert _events(beta.tenant, "consent.given") == []


def test_data_export_request_and_download_are_one_event_each(alpha, member):
    client = alpha.client(member)
    client.post("/privacy/my-data/export/")
    requested = _only(alpha.tenant, "privacy.export_requested")
    assert requested.actor == member
    link = re.search(r"https?://\S+(/privacy/my-data/export/\S+/)", mail.outbox[-1].body).group(1)
    assert client.get(link).status_code == 200
    downloaded = _only(alpha.tenant, "privacy.export_downloaded")
    assert (downloaded.actor, downloaded.target_id) == (member, requested.target_id)
    assert link.split("/")[-2] not in _all_rows_text()


def test_erasure_by_an_admin_is_one_event_without_the_persons_details(alpha, member):
    admin = alpha.members["tenant_admin"]
    email, name = member.email, member.full_name
    membership = Membership.objects.for_tenant(alpha.tenant).get(user=member)
    alpha.client(admin).post(f"/privacy/members/{membership.pk}/erase/", {"confirm": "on"})
    event = _only(alpha.tenant, "privacy.erasure_performed")
    assert (event.actor, event.target_id, event.after["initiator"]) == (admin, str(member.pk), "admin")
    assert email not in json.dumps([event.target_label, event.before, event.after]) and name not in event.target_label


def test_tenant_security_settings_change_is_one_event_with_before_and_after(alpha):
    admin = alpha.members["tenant_admin"]
    before_roles = list(alpha.tenant.mfa_required_roles)
    alpha.client(admin).post("/manage/security/", {"mfa_required_roles": ["tenant_admin", "company_rep"],
                                                  "session_idle_minutes": "20"})
    event = _only(alpha.tenant, "tenant.configuration_changed")
    assert event.actor == admin
    assert event.before["mfa_required_roles"] == before_roles
    assert event.after == {"mfa_required_roles": ["tenant_admin", "company_rep"], "session_idle_minutes": 20}


def test_mfa_changes_are_one_event_each_and_never_hold_codes_or_secrets(alpha):
    user = UserFactory()
    MembershipFactory(user=user, tenant=alpha.tenant, role="expert")
    client = alpha.client(user)
    client.get("/accounts/mfa/authenticator/")
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    from django_otp.oath import TOTP

    token = f"{TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token():06d}"
    assert client.post("/accounts/mfa/authenticator/", {"token": token}).status_code == 302
    added = _only(alpha.tenant, "mfa.device_added")
    assert (added.actor, added.after) == (user, {"method": "authenticator_app"})
    response = client.post("/accounts/mfa/backup-codes/")
    codes = list(StaticToken.objects.filter(device__user=user).values_list("token", flat=True))
    assert len(codes) == 10 and codes[0] in response.content.decode()
    regenerated = _only(alpha.tenant, "mfa.backup_codes_regenerated")
    assert regenerated.after == {"codes": 10}
    client.post("/accounts/mfa/remove/", {"device": device.persistent_id})
    removed = _only(alpha.tenant, "mfa.device_removed")
    assert removed.before == {"method": "authenticator_app"}
    subjects = [m.subject for m in mail.outbox if m.to == [user.email]]
    assert sum("added" in s for s in subjects) == 1 and sum("removed" in s for s in subjects) == 1
    assert sum("backup codes" in s for s in subjects) == 1
    text = _all_rows_text()
    for secret in [token, device.key, totp_secret(device).replace(" ", ""), *codes]:
        assert secret not in text
