import hashlib
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from shared_apps.account_security.passwords import estimated_entropy_bits
from tests.captcha import solved_captcha

SIGN_UP = {"full_name": "Awa Traoré", "email": "awa@example.org", "role": "company_rep", "organisation": ""}


def _sign_up(alpha, password):
    return alpha.client().post("/accounts/sign-up/", {**SIGN_UP, **solved_captcha(), "password1": password, "password2": password})


@pytest.mark.parametrize("password", ["qwertyuiop123", "Password1234", "iloveyou2024!"])
def test_breached_password_is_refused_with_the_reason(alpha, password):
    response = _sign_up(alpha, password)
    assert response.status_code == 400
    assert "stolen" in response.content.decode() or "volés" in response.content.decode()


def test_short_password_is_refused_with_the_minimum(alpha):
    response = _sign_up(alpha, "Xk9#mQ2$")
    assert response.status_code == 400
    assert "12" in response.content.decode()


@pytest.mark.parametrize("password", ["jhqzvwnrbtkx", "kqwz7385mvnt"])
def test_twelve_characters_without_variety_are_refused(alpha, password):
    with pytest.raises(ValidationError) as refused:
        validate_password(password)
    assert "password_too_simple" in [error.code for error in refused.value.error_list]


@pytest.mark.parametrize("password", ["Hv7#qLz!2mWp", "Kq7mZx2RbT9wLp", "tortue violon grenier pluie"])
def test_cnil_examples_are_accepted(password):
    validate_password(password)
    assert estimated_entropy_bits(password) >= 79


def test_a_strong_password_creates_the_account(alpha):
    assert _sign_up(alpha, "tortue violon grenier pluie").status_code == 302


def test_sign_up_page_offers_a_strength_meter_without_inline_script(alpha):
    html = alpha.client().get("/accounts/sign-up/").content.decode()
    assert 'data-password-strength="true"' in html
    assert "password-strength.js" in html
    assert "<script>" not in html


class _FakeRangeApi(BaseHTTPRequestHandler):
    requested: list[str] = []
    leaked_suffixes: list[str] = []

    def do_GET(self):
        type(self).requested.append(self.path)
        body = "\r\n".join(f"{suffix}:42" for suffix in self.leaked_suffixes) + "\r\n0123456789ABCDEF0123456789ABCDEF012:0"
        self.send_response(200)
        self.end_headers()
        self.wfile.write(body.encode())

    def log_message(self, *args):
        pass


@pytest.fixture
def range_api(settings):
    server = HTTPServer(("127.0.0.1", 0), _FakeRangeApi)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.PWNED_PASSWORDS_API_ENABLED = True
    settings.PWNED_PASSWORDS_API_URL = f"http://127.0.0.1:{server.server_port}/range/"
    _FakeRangeApi.requested = []
    yield _FakeRangeApi
    server.shutdown()
    server.server_close()


def test_online_check_refuses_a_password_the_range_api_knows_and_sends_only_a_prefix(range_api):
    password = "tortue violon grenier pluie"
    digest = hashlib.sha1(password.encode(), usedforsecurity=False).hexdigest().upper()
    range_api.leaked_suffixes = [digest[5:]]
    with pytest.raises(ValidationError) as refused:
        validate_password(password)
    assert "password_breached" in [error.code for error in refused.value.error_list]
    assert range_api.requested == [f"/range/{digest[:5]}"]


def test_online_check_accepts_a_password_the_range_api_does_not_know(range_api):
    range_api.leaked_suffixes = []
    validate_password("tortue violon grenier pluie")
    assert len(range_api.requested) == 1


def test_online_check_is_off_by_default_and_fails_open(settings):
    assert settings.PWNED_PASSWORDS_API_ENABLED is False
    settings.PWNED_PASSWORDS_API_ENABLED = True
    settings.PWNED_PASSWORDS_API_URL = "http://127.0.0.1:9/range/"
    settings.PWNED_PASSWORDS_API_TIMEOUT = 0.5
    validate_password("tortue violon grenier pluie")


def test_argon2_hashes_passwords_outside_the_test_suite():
    from pathlib import Path

    source = (Path(__file__).resolve().parents[3] / "platform_core" / "settings.py").read_text()
    hashers = source.split("PASSWORD_HASHERS = [", 1)[1]
    assert hashers.split("]", 1)[0].split(",")[0].strip().strip('"').endswith("Argon2PasswordHasher")
