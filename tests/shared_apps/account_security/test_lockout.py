import re
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.core import mail
from django.test import Client
from django.utils import timezone

from shared_apps.accounts.models import Membership
from tests.captcha import solved_captcha
from tests.conftest import sign_in
from tests.factories import PASSWORD, MembershipFactory, UserFactory

WRONG = "not the password at all"


def _attempt(client, email, password=WRONG, **extra):
    return client.post("/accounts/sign-in/", {"username": email, "password": password, **solved_captcha(), **extra})


@pytest.fixture
def member(alpha):
    return MembershipFactory(tenant=alpha.tenant, role="company_rep").user


def _attacker(programme):
    return Client(HTTP_HOST=programme.host, REMOTE_ADDR="192.0.2.66")


def _lock(client, email):
    responses = [_attempt(client, email) for _i in range(settings.SIGN_IN_ACCOUNT_FAILURE_LIMIT)]
    assert responses[-1].status_code == 429
    return responses[-1]


def test_brute_force_locks_the_account_even_with_the_right_password(alpha, member):
    locked = _lock(alpha.client(), member.email)
    html = locked.content.decode()
    assert 'role="alert"' in html and "15" in html
    assert f'value="{member.email}"' in html
    # From another connection and with the right password: still locked.
    elsewhere = Client(HTTP_HOST=alpha.host, REMOTE_ADDR="10.1.2.3")
    assert _attempt(elsewhere, member.email, PASSWORD).status_code == 429


def test_address_case_does_not_give_extra_attempts(alpha, member):
    client = alpha.client()
    for variant in (member.email.upper(), member.email.title(), f" {member.email} ", member.email, member.email.upper()):
        response = _attempt(client, variant)
    assert response.status_code == 429


def test_lockout_counts_across_tenant_hosts(alpha, beta, member):
    for index in range(settings.SIGN_IN_ACCOUNT_FAILURE_LIMIT):
        programme = alpha if index % 2 else beta
        response = _attempt(programme.client(), member.email)
    assert response.status_code == 429


def test_brute_force_from_one_address_locks_that_address(alpha, member, settings):
    settings.SIGN_IN_ADDRESS_FAILURE_LIMIT = 6
    attacker = Client(HTTP_HOST=alpha.host, REMOTE_ADDR="203.0.113.9")
    responses = [_attempt(attacker, f"guess{n}@example.org") for n in range(6)]
    assert responses[-1].status_code == 429
    assert _attempt(attacker, member.email, PASSWORD).status_code == 429
    someone_else = Client(HTTP_HOST=alpha.host, REMOTE_ADDR="198.51.100.7")
    assert _attempt(someone_else, member.email, PASSWORD).status_code == 302


def test_captcha_is_required_after_a_few_failures_and_checked_before_the_password(alpha, member):
    client = alpha.client()
    assert "<altcha-widget" not in client.get("/accounts/sign-in/").content.decode()
    for _i in range(settings.SIGN_IN_CAPTCHA_AFTER):
        _attempt(client, member.email)
    assert "<altcha-widget" in client.get("/accounts/sign-in/").content.decode()
    refused = client.post("/accounts/sign-in/", {"username": member.email, "password": PASSWORD})
    assert refused.status_code == 200 and "id_captcha_error" in refused.content.decode()
    failures = sum(AccessAttempt.objects.filter(username=member.email).values_list("failures_since_start", flat=True))
    assert failures == settings.SIGN_IN_CAPTCHA_AFTER
    assert _attempt(client, member.email, PASSWORD).status_code == 302


def test_lockout_mails_the_owner_an_unlock_link_that_works_once(alpha, member):
    client = alpha.client()
    _lock(client, member.email)
    [notice] = [m for m in mail.outbox if m.to == [member.email]]
    link = re.search(r"https?://\S+/accounts/unlock/\S+/", notice.body).group(0)
    path = link[link.index("/accounts/"):]
    assert client.get(path).status_code == 302
    assert _attempt(client, member.email, PASSWORD).status_code == 302
    assert Client(HTTP_HOST=alpha.host).get(path).status_code == 400


def test_unknown_address_locks_without_any_mail(alpha):
    _lock(alpha.client(), "nobody@example.org")
    assert mail.outbox == []


def test_cool_off_unlocks_by_itself(alpha, member):
    _lock(alpha.client(), member.email)
    AccessAttempt.objects.update(attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME - timedelta(minutes=1))
    assert _attempt(alpha.client(), member.email, PASSWORD).status_code == 302


def test_tenant_admin_unlocks_a_member(alpha, member):
    _lock(_attacker(alpha), member.email)
    membership = Membership.objects.for_tenant(alpha.tenant).get(user=member)
    admin = alpha.client(alpha.members["tenant_admin"])
    assert admin.post(f"/accounts/members/{membership.pk}/unlock/").status_code == 302
    assert _attempt(alpha.client(), member.email, PASSWORD).status_code == 302


def test_tenant_admin_cannot_unlock_a_member_of_another_tenant(alpha, beta):
    outsider = MembershipFactory(tenant=beta.tenant).user
    _lock(_attacker(beta), outsider.email)
    membership = Membership.objects.for_tenant(beta.tenant).get(user=outsider)
    assert alpha.client(alpha.members["tenant_admin"]).post(f"/accounts/members/{membership.pk}/unlock/").status_code == 404
    assert _attempt(_attacker(beta), outsider.email, PASSWORD).status_code == 429


def test_moderator_cannot_unlock(alpha, member):
    membership = Membership.objects.for_tenant(alpha.tenant).get(user=member)
    assert alpha.client(alpha.members["guest"]).post(f"/accounts/members/{membership.pk}/unlock/").status_code == 403


def test_operator_unlocks_any_account_from_the_console(alpha, operator, member, platform_client):
    _lock(_attacker(alpha), member.email)
    sign_in(platform_client, operator)
    page = platform_client.get("/accounts/locked-accounts/")
    assert page.status_code == 200 and member.email in page.content.decode()
    assert platform_client.post("/accounts/locked-accounts/", {"email": member.email}).status_code == 302
    assert _attempt(alpha.client(), member.email, PASSWORD).status_code == 302


def test_operator_unlock_page_refuses_everyone_else(alpha, platform_client):
    assert platform_client.get("/accounts/locked-accounts/").status_code == 302
    sign_in(platform_client, alpha.members["tenant_admin"])
    assert platform_client.get("/accounts/locked-accounts/").status_code == 403
    assert alpha.client(alpha.members["tenant_admin"]).get("/accounts/locked-accounts/").status_code == 404


def test_successful_sign_in_clears_earlier_failures(alpha):
    user = UserFactory()
    client = alpha.client()
    _attempt(client, user.email)
    assert _attempt(client, user.email, PASSWORD).status_code == 302
    assert not AccessAttempt.objects.filter(username=user.email).exists()
