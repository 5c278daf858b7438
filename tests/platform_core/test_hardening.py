"""Security headers, cookies, TLS, error pages and error logs."""

import logging

import pytest
from django.conf import settings
from django.test import Client

from platform_core.logging import ContextFilter

# One page of each type: public, form, signed-in, admin, error, privacy.
PAGES = [
    ("anonymous", "/"),
    ("anonymous", "/accounts/sign-in/"),
    ("anonymous", "/accounts/sign-up/"),
    ("anonymous", "/legal/privacy/"),
    ("anonymous", "/privacy/cookies/"),
    ("anonymous", "/no-such-page/"),
    ("company_rep", "/dashboard/"),
    ("company_rep", "/privacy/my-data/"),
    ("company_rep", "/manage/"),
    ("tenant_admin", "/accounts/members/"),
    ("tenant_admin", "/manage/privacy/"),
    ("tenant_admin", "/manage/kpis/"),
]


def _directives(header: str) -> dict[str, list[str]]:
    parts = (d.strip().split() for d in header.split(";") if d.strip())
    return {p[0]: p[1:] for p in parts}


@pytest.mark.parametrize(("who", "path"), PAGES)
def test_every_page_type_sends_a_strict_content_security_policy(alpha, who, path):
    client = alpha.client(None if who == "anonymous" else alpha.members[who])
    response = client.get(path)
    policy = _directives(response["Content-Security-Policy"])
    assert "'unsafe-inline'" not in policy["script-src"] and "'unsafe-eval'" not in policy["script-src"]
    assert "'unsafe-inline'" not in policy["style-src"]
    assert policy["frame-ancestors"] == ["'none'"] and policy["object-src"] == ["'none'"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"] and "geolocation=()" in response["Permissions-Policy"]
    html = response.content.decode()
    # No inline script, style element or attribute the policy would have to allow.
    assert "<script>" not in html and "<style" not in html and " style=" not in html
    assert " onclick=" not in html and " onload=" not in html


def test_platform_host_and_error_pages_send_the_policy_too(platform_client):
    for path in ("/", "/accounts/sign-in/", "/nope/"):
        assert "script-src 'self'" in platform_client.get(path)["Content-Security-Policy"]
    unknown = Client(HTTP_HOST="unknown.example").get("/")
    assert unknown.status_code == 404 and "default-src 'self'" in unknown["Content-Security-Policy"]


def test_htmx_is_told_not_to_inject_inline_styles(alpha):
    assert '"includeIndicatorStyles": false' in alpha.client().get("/").content.decode()


@pytest.fixture
def production_like(settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_HSTS_PRELOAD = True
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = settings.LANGUAGE_COOKIE_SECURE = True


def test_http_is_redirected_to_https_except_health_probes(alpha, production_like):
    client = Client(HTTP_HOST=alpha.host)
    response = client.get("/accounts/sign-in/")
    assert response.status_code == 301 and response["Location"] == f"https://{alpha.host}/accounts/sign-in/"
    assert client.get("/healthz").status_code == 200


def test_https_responses_carry_hsts_and_secure_cookies(alpha, production_like):
    client = Client(HTTP_HOST=alpha.host, HTTP_X_FORWARDED_PROTO="https")
    response = client.get("/accounts/sign-in/")
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    csrf = response.cookies[settings.CSRF_COOKIE_NAME]
    assert csrf["secure"] and csrf["httponly"] and csrf["samesite"] == "Lax"
    consent = client.post("/privacy/cookies/", {"analytics": "no", "csrfmiddlewaretoken": csrf.value})
    cookie = consent.cookies[settings.CONSENT_COOKIE_NAME]
    assert cookie["secure"] and cookie["httponly"] and cookie["samesite"] == "Lax"
    language = client.post("/i18n/setlang/", {"language": "en", "next": "/", "csrfmiddlewaretoken": csrf.value})
    cookie = language.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert cookie["secure"] and cookie["httponly"] and cookie["samesite"] == "Lax"


def test_session_cookie_is_http_only_and_same_site(alpha):
    client = alpha.client(alpha.members["guest"])
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"


class _Capture(logging.Handler):
    def __init__(self):
        super().__init__()
        self.addFilter(ContextFilter())
        self.records = []

    def emit(self, record):
        self.records.append(record)


def test_unhandled_error_gives_the_branded_500_and_a_log_record_with_context(alpha, monkeypatch):
    def explode(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr("tenant_apps.home.views.render", explode)
    member = alpha.members["company_rep"]
    client = alpha.client(member)
    client.raise_request_exception = False
    capture = _Capture()
    logging.getLogger("django.request").addHandler(capture)
    try:
        response = client.get("/dashboard/", HTTP_X_REQUEST_ID="req-500-test")
    finally:
        logging.getLogger("django.request").removeHandler(capture)
    assert response.status_code == 500
    assert "Something went wrong" in response.content.decode() or "Une erreur" in response.content.decode() \
        or response.templates[0].name == "errors/500.html"
    assert "boom" not in response.content.decode()
    [record] = [r for r in capture.records if r.levelno >= logging.ERROR]
    assert record.exc_info and record.exc_info[0] is RuntimeError
    assert (record.tenant, record.request_id, record.user_id) == (alpha.tenant.schema_name, "req-500-test", str(member.pk))
