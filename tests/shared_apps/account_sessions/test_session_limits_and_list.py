"""Session lifetime, idle timeout, the list of one's sessions and revoking them."""

import time

from django.conf import settings
from django.test import Client

from shared_apps.account_sessions import services
from shared_apps.account_sessions.models import AccountSession
from shared_apps.account_sessions.selectors import describe_user_agent, network_of
from shared_apps.accounts.models import Membership
from tests.conftest import sign_in
from tests.factories import MembershipFactory, UserFactory

FIREFOX = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0"


def _age_session(client, **seconds_ago):
    session = client.session
    for key, ago in seconds_ago.items():
        session[key] = time.time() - ago
    session.save()


def test_idle_session_is_signed_out_after_the_tenants_limit(alpha):
    alpha.tenant.session_idle_minutes = 10
    alpha.tenant.save(update_fields=["session_idle_minutes"])
    client = alpha.client(alpha.members["guest"])
    _age_session(client, **{services.ACTIVITY_KEY: 9 * 60})
    assert client.get("/dashboard/").status_code == 200

    _age_session(client, **{services.ACTIVITY_KEY: 11 * 60})
    response = client.get("/dashboard/")
    assert response.status_code == 302 and "/accounts/sign-in/" in response["Location"]
    assert client.get("/dashboard/").status_code == 302
    assert not AccountSession.objects.for_tenant(alpha.tenant).filter(user=alpha.members["guest"]).exists()


def test_idle_timeout_explains_itself_and_htmx_is_sent_to_sign_in(alpha):
    client = alpha.client(alpha.members["guest"])
    _age_session(client, **{services.ACTIVITY_KEY: 31 * 60})
    response = client.get("/dashboard/", HTTP_HX_REQUEST="true")
    assert response.status_code == 204 and "/accounts/sign-in/" in response["HX-Redirect"]
    page = client.get("/accounts/sign-in/").content.decode()
    assert "inactiv" in page or "without activity" in page


def test_session_ends_at_its_absolute_lifetime_even_when_active(alpha, settings):
    client = alpha.client(alpha.members["guest"])
    _age_session(client, **{services.SIGNED_IN_AT_KEY: settings.SESSION_ABSOLUTE_MAX_AGE + 5})
    assert client.get("/dashboard/").status_code == 302


def test_status_does_not_count_as_activity_but_keep_alive_does(alpha):
    client = alpha.client(alpha.members["guest"])
    _age_session(client, **{services.ACTIVITY_KEY: 29 * 60})
    status = client.get("/accounts/sessions/status/").json()
    assert status["signed_in"] and status["seconds_left"] <= 60
    assert client.get("/accounts/sessions/status/").json()["seconds_left"] <= 60
    alive = client.post("/accounts/sessions/keep-alive/", HTTP_ACCEPT="application/json").json()
    assert alive["signed_in"] and alive["seconds_left"] > 29 * 60


def test_keep_alive_without_javascript_returns_to_the_page(alpha):
    client = alpha.client(alpha.members["guest"])
    response = client.post("/accounts/sessions/keep-alive/", {"next": "/notifications/"})
    assert response["Location"] == "/notifications/"
    assert client.post("/accounts/sessions/keep-alive/", {"next": "https://evil.example/"})["Location"] == "/"


def test_pages_carry_the_idle_warning_without_inline_script(alpha):
    alpha.tenant.session_idle_minutes = 15
    alpha.tenant.save(update_fields=["session_idle_minutes"])
    html = alpha.client(alpha.members["guest"]).get("/dashboard/").content.decode()
    assert 'data-idle-seconds="900"' in html and "idle-warning.js" in html
    assert "<script>" not in html
    assert "idle-warning" not in alpha.client().get("/").content.decode()


def test_session_list_shows_device_network_and_marks_this_one(alpha):
    user = alpha.members["buyer"]
    phone = Client(HTTP_HOST=alpha.host, HTTP_USER_AGENT=FIREFOX, REMOTE_ADDR="203.0.113.77")
    sign_in(phone, user)
    html = alpha.client(user).get("/accounts/sessions/").content.decode()
    assert "Firefox 128" in html and "Windows 10" in html
    assert "203.0.113.0/24" in html and "203.0.113.77" not in html
    assert html.count("<tr>") == 3  # header and two sessions


def test_revoked_session_no_longer_works(alpha):
    user = alpha.members["buyer"]
    victim = alpha.client(user)
    owner = alpha.client(user)
    record = AccountSession.objects.for_tenant(alpha.tenant).filter(user=user).order_by("created_at").first()
    assert owner.post(f"/accounts/sessions/{record.pk}/revoke/").status_code == 302
    assert victim.get("/dashboard/").status_code == 302
    assert owner.get("/dashboard/").status_code == 200


def test_sign_out_everywhere_ends_the_other_sessions_only(alpha):
    user = alpha.members["company_rep"]
    others = [alpha.client(user) for _ in range(2)]
    me = alpha.client(user)
    assert me.post("/accounts/sessions/revoke-others/").status_code == 302
    for client in others:
        assert client.get("/dashboard/").status_code == 302
    assert me.get("/dashboard/").status_code == 200
    assert AccountSession.objects.for_tenant(alpha.tenant).filter(user=user).count() == 1


def test_another_tenants_sessions_are_never_listed_or_revocable(alpha, beta):
    person = UserFactory()
    MembershipFactory(user=person, tenant=alpha.tenant, role="buyer")
    MembershipFactory(user=person, tenant=beta.tenant, role="buyer")
    on_alpha = alpha.client(person)
    on_beta = Client(HTTP_HOST=beta.host, HTTP_USER_AGENT=FIREFOX)
    sign_in(on_beta, person)
    beta_record = AccountSession.objects.for_tenant(beta.tenant).get(user=person)

    html = on_alpha.get("/accounts/sessions/").content.decode()
    assert "Firefox" not in html and html.count("<tr>") == 2
    assert on_alpha.post(f"/accounts/sessions/{beta_record.pk}/revoke/").status_code == 404
    on_alpha.post("/accounts/sessions/revoke-others/")
    assert on_beta.get("/dashboard/").status_code == 200

    stranger = alpha.client(alpha.members["tenant_admin"])
    alpha_record = AccountSession.objects.for_tenant(alpha.tenant).get(user=person)
    assert stranger.post(f"/accounts/sessions/{alpha_record.pk}/revoke/").status_code == 404
    assert on_alpha.get("/dashboard/").status_code == 200


def test_session_id_changes_when_the_role_changes(alpha):
    member = alpha.members["guest"]
    client = alpha.client(member)
    client.get("/dashboard/")
    before = client.cookies[settings.SESSION_COOKIE_NAME].value
    Membership.objects.for_tenant(alpha.tenant).filter(user=member).update(role="buyer")
    assert client.get("/dashboard/").status_code == 200
    after = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert after != before
    record = AccountSession.objects.for_tenant(alpha.tenant).get(user=member)
    assert record.session_key == after


def test_last_use_is_written_at_most_once_a_minute(alpha):
    client = alpha.client(alpha.members["guest"])
    client.get("/dashboard/")
    record = AccountSession.objects.for_tenant(alpha.tenant).get(user=alpha.members["guest"])
    seen = record.last_seen_at
    client.get("/dashboard/")
    record.refresh_from_db()
    assert record.last_seen_at == seen


def test_user_agent_and_network_descriptions():
    assert describe_user_agent("") and describe_user_agent("curl/8.5.0").startswith("curl")
    assert "Firefox" in describe_user_agent(FIREFOX)
    assert network_of("2001:db8:1234:5678::1") == "2001:db8:1234::/48"
    assert network_of("198.51.100.9") == "198.51.100.0/24"
