from django.conf import settings

from shared_apps.privacy.models import Consent

BANNER = 'aria-labelledby="consent-banner-title"'


def test_first_visit_shows_the_banner_and_sets_no_optional_cookie(alpha):
    response = alpha.client().get("/")
    assert BANNER in response.content.decode()
    assert settings.CONSENT_COOKIE_NAME not in response.cookies
    assert response.wsgi_request.consent.analytics is False


def test_refusing_from_the_banner_without_javascript_records_the_choice_and_returns(alpha):
    client = alpha.client()
    response = client.post("/privacy/cookies/", {"analytics": "no", "next": "/accounts/sign-in/"})
    assert response.status_code == 302 and response["Location"] == "/accounts/sign-in/"
    cookie = response.cookies[settings.CONSENT_COOKIE_NAME]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    record = Consent.objects.for_tenant(alpha.tenant).get()
    assert record.choices == {"necessary": True, "analytics": False}
    assert record.policy_version == settings.CONSENT_POLICY_VERSION and record.user is None and record.anonymous_id
    page = client.get("/")
    assert BANNER not in page.content.decode()
    assert page.wsgi_request.consent.decided and not page.wsgi_request.consent.analytics


def test_signed_in_member_accepts_then_changes_their_mind(alpha):
    member = alpha.members["company_rep"]
    client = alpha.client(member)
    client.post("/privacy/cookies/", {"analytics": "yes"})
    assert client.get("/").wsgi_request.consent.analytics is True
    client.post("/privacy/cookies/", {"analytics": "no"})
    assert client.get("/").wsgi_request.consent.analytics is False
    records = Consent.objects.for_tenant(alpha.tenant).filter(user=member)
    assert [r.choices["analytics"] for r in records] == [False, True]
    assert len({r.anonymous_id for r in records}) == 1


def test_new_policy_version_asks_again(alpha, settings):
    client = alpha.client()
    client.post("/privacy/cookies/", {"analytics": "yes"})
    settings.CONSENT_POLICY_VERSION = "next"
    response = client.get("/")
    assert BANNER in response.content.decode()
    assert response.wsgi_request.consent.analytics is False


def test_tampered_consent_cookie_counts_as_no_choice(alpha):
    client = alpha.client()
    client.cookies[settings.CONSENT_COOKIE_NAME] = f"{settings.CONSENT_POLICY_VERSION}|1|00000000-0000-0000-0000-000000000000"
    assert client.get("/").wsgi_request.consent.analytics is False


def test_empty_choice_is_refused_with_a_message(alpha):
    response = alpha.client().post("/privacy/cookies/", {})
    assert response.status_code == 400
    assert "Choose whether you accept" in response.content.decode() or "field__errors" in response.content.decode()


def test_cookie_page_is_linked_from_the_footer_and_works_on_the_platform_host(alpha, platform_client):
    assert 'href="/privacy/cookies/"' in alpha.client().get("/").content.decode()
    assert platform_client.get("/privacy/cookies/").status_code == 200
    assert platform_client.post("/privacy/cookies/", {"analytics": "no"}).status_code == 302


def test_consents_of_one_tenant_are_invisible_from_another(alpha, beta):
    alpha.client().post("/privacy/cookies/", {"analytics": "yes"})
    assert Consent.objects.for_tenant(beta.tenant).count() == 0
    assert Consent.objects.for_tenant(alpha.tenant).count() == 1


def test_next_pointing_elsewhere_is_ignored(alpha):
    for target in ("//evil.example/", "https://evil.example/", "javascript:alert(1)", "/ok\r\nSet-Cookie: x=1"):
        response = alpha.client().post("/privacy/cookies/", {"analytics": "no", "next": target})
        assert response.status_code == 302
        assert response["Location"] == "/privacy/cookies/", target
