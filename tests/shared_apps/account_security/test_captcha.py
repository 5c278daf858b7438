import base64
import json
import re

from shared_apps.accounts.models import User
from tests.captcha import solved_captcha

SIGN_UP = {"full_name": "Awa Traoré", "email": "awa@example.org", "role": "company_rep", "organisation": "Sahel Agro",
           "password1": "tortue violon grenier pluie", "password2": "tortue violon grenier pluie"}


def test_sign_up_without_the_check_is_refused_and_keeps_what_was_typed(alpha):
    response = alpha.client().post("/accounts/sign-up/", SIGN_UP)
    assert response.status_code == 400
    html = response.content.decode()
    assert 'value="Sahel Agro"' in html
    assert "id_captcha_error" in html
    assert not User.objects.filter(email="awa@example.org").exists()


def test_forged_solution_is_refused(alpha):
    payload = json.loads(base64.b64decode(solved_captcha()["altcha"]))
    payload["number"] += 1
    forged = base64.b64encode(json.dumps(payload).encode()).decode()
    response = alpha.client().post("/accounts/sign-up/", {**SIGN_UP, "altcha": forged})
    assert response.status_code == 400
    assert not User.objects.filter(email="awa@example.org").exists()


def test_garbage_solution_is_refused_without_error(alpha):
    response = alpha.client().post("/accounts/sign-up/", {**SIGN_UP, "altcha": "not base64 at all %%%"})
    assert response.status_code == 400


def test_a_solution_works_only_once(alpha):
    solution = solved_captcha()
    assert alpha.client().post("/accounts/sign-up/", {**SIGN_UP, **solution}).status_code == 302
    replay = alpha.client().post("/accounts/sign-up/", {**SIGN_UP, **solution, "email": "other@example.org"})
    assert replay.status_code == 400
    assert not User.objects.filter(email="other@example.org").exists()


def test_an_expired_challenge_is_refused(alpha, settings):
    settings.CAPTCHA_MAX_AGE = -5
    solution = solved_captcha()
    settings.CAPTCHA_MAX_AGE = 1200
    assert alpha.client().post("/accounts/sign-up/", {**SIGN_UP, **solution}).status_code == 400


def _question_and_token(html):
    question = re.search(r'class="captcha__question"[^>]*>([^<]+)<', html).group(1)
    first, second = re.findall(r"\d+", question)
    token = re.search(r'name="captcha_token" value="([^"]+)"', html).group(1)
    return int(first) + int(second), token


def test_people_without_javascript_answer_a_question_once(alpha):
    client = alpha.client()
    html = client.get("/accounts/sign-up/").content.decode()
    assert "<noscript>" in html and "<altcha-widget" in html
    answer, token = _question_and_token(html)
    data = {**SIGN_UP, "captcha_answer": str(answer), "captcha_token": token}
    assert client.post("/accounts/sign-up/", data).status_code == 302
    assert client.post("/accounts/sign-up/", {**data, "email": "again@example.org"}).status_code == 400


def test_wrong_answer_is_refused(alpha):
    client = alpha.client()
    answer, token = _question_and_token(client.get("/accounts/sign-up/").content.decode())
    response = client.post("/accounts/sign-up/", {**SIGN_UP, "captcha_answer": str(answer + 1), "captcha_token": token})
    assert response.status_code == 400


def test_password_reset_asks_for_the_check(alpha):
    response = alpha.client().post("/accounts/password-reset/", {"email": alpha.members["guest"].email})
    assert response.status_code == 400
    assert "id_captcha_error" in response.content.decode()
