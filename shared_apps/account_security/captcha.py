"""A self-hosted CAPTCHA: ALTCHA proof of work, with a typed question when JavaScript is off.

Nothing leaves the platform: challenges are signed here and solved by the visitor's
browser (the vendored widget), or, without JavaScript, answered by the person. Each
solution is accepted once: its signature is remembered in the cache until it expires.
"""

from __future__ import annotations

import base64
import binascii
import datetime
import json
import secrets

from altcha import v1 as altcha
from django import forms
from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from shared_apps.account_security import lockout

QUESTION_SALT = "account_security.captcha-question"
USED_KEY = "account_security:captcha-used:{}"


def _hmac_key() -> str:
    return salted_hmac("account_security.altcha", "hmac-key").hexdigest()


def new_challenge() -> dict:
    """A fresh proof-of-work challenge, as the widget reads it."""
    expires = timezone.now() + datetime.timedelta(seconds=settings.CAPTCHA_MAX_AGE)
    challenge = altcha.create_challenge(hmac_key=_hmac_key(), max_number=settings.CAPTCHA_MAX_NUMBER, expires=expires)
    return challenge.to_dict()


def new_question() -> tuple[str, str]:
    """(question, signed token) for people without JavaScript: the sum of two small numbers."""
    first, second = secrets.randbelow(9) + 1, secrets.randbelow(9) + 1
    token = signing.dumps({"n": secrets.token_hex(8), "a": _answer_digest(str(first + second))}, salt=QUESTION_SALT)
    return gettext("How much is %(first)s plus %(second)s? Answer in digits.") % {"first": first, "second": second}, token


def _answer_digest(answer: str) -> str:
    return salted_hmac(QUESTION_SALT, answer.strip()).hexdigest()


def _first_use(key: str) -> bool:
    return cache.add(USED_KEY.format(key), 1, timeout=settings.CAPTCHA_MAX_AGE + 60)


def verify_solution(payload: str) -> bool:
    """A proof-of-work solution signed here, not expired, never used before."""
    try:
        is_valid, _error = altcha.verify_solution(payload, _hmac_key(), check_expires=True)
        signature = json.loads(base64.b64decode(payload)).get("signature", "") if is_valid else ""
    except (ValueError, TypeError, AttributeError, binascii.Error):
        return False
    return bool(is_valid and signature) and _first_use(f"pow:{signature}")


def verify_answer(token: str, answer: str) -> bool:
    """The typed answer to the question signed in ``token``, used once."""
    try:
        data = signing.loads(token, salt=QUESTION_SALT, max_age=settings.CAPTCHA_MAX_AGE)
    except signing.BadSignature:
        return False
    if not answer or not constant_time_compare(data.get("a", ""), _answer_digest(answer)):
        return False
    return _first_use(f"question:{data.get('n')}")


def widget_strings() -> str:
    return json.dumps({
        "label": gettext("I am not a robot"),
        "verifying": gettext("Checking…"),
        "verified": gettext("Checked"),
        "error": gettext("The check failed. Try again."),
        "expired": gettext("The check has expired. Try again."),
        "waitAlert": gettext("Checking… please wait."),
        "ariaLinkLabel": gettext("About this check"),
        "footer": "",
    })


class CaptchaWidget(forms.Widget):
    template_name = "account_security/widgets/captcha.html"

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        question, token = new_question()
        context["widget"].update({
            "challenge_json": json.dumps(new_challenge()),
            "strings": widget_strings(),
            "question": question,
            "question_token": token,
        })
        return context

    def value_from_datadict(self, data, files, name):
        return {
            "altcha": data.get("altcha", ""),
            "answer": data.get(f"{name}_answer", ""),
            "token": data.get(f"{name}_token", ""),
        }

    def value_omitted_from_data(self, data, files, name):
        return False

    def id_for_label(self, id_):
        return f"{id_}_answer" if id_ else id_


class CaptchaField(forms.Field):
    widget = CaptchaWidget
    default_error_messages = {
        "required": _("Complete the anti-robot check: tick the box, or answer the question if the box does not show."),
        "invalid": _("The anti-robot check did not pass or has already been used. Try again with the new check below."),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Anti-robot check"))
        kwargs.setdefault("help_text", _("A check run by this site alone; nothing is sent to anyone else."))
        super().__init__(**kwargs)

    def clean(self, value):
        value = value or {}
        solution, answer, token = value.get("altcha", ""), value.get("answer", ""), value.get("token", "")
        if not solution and not answer.strip():
            raise ValidationError(self.error_messages["required"], code="required")
        if solution and verify_solution(solution):
            return True
        if answer.strip() and token and verify_answer(token, answer):
            return True
        raise ValidationError(self.error_messages["invalid"], code="invalid")


class CaptchaFormMixin(forms.Form):
    """Adds the anti-robot check last in the form."""

    captcha = CaptchaField()


class SignInCaptchaMixin:
    """For the sign-in form: after a few failures for an account or an IP, ask for the check too.

    A missing or failed check refuses the attempt before the password is even looked at.
    """

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        if request is not None:
            address = self.data.get("username", "") if self.is_bound else ""
            if lockout.needs_captcha(request, address):
                self.fields["captcha"] = CaptchaField()

    def clean(self):
        if "captcha" in self.fields and self.has_error("captcha"):
            return self.cleaned_data
        return super().clean()
