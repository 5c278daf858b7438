"""Solve the anti-robot check as the browser widget would, for tests that go through it."""

from altcha import v1 as altcha

from shared_apps.account_security import captcha


def solved_captcha() -> dict:
    challenge = captcha.new_challenge()
    solution = altcha.solve_challenge(challenge["challenge"], challenge["salt"], challenge["algorithm"], challenge["maxNumber"])
    payload = altcha.Payload(challenge["algorithm"], challenge["challenge"], solution.number, challenge["salt"],
                             challenge["signature"])
    return {"altcha": payload.to_base64()}
