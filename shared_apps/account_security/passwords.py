"""Password rules after CNIL deliberation 2022-100, as Django password validators.

Each validator gives a reason a person can act on; the sign-up, reset and change forms
show them next to the password field, which is the strength meter when JavaScript is off.
"""

from __future__ import annotations

import gzip
import hashlib
import logging
import math
import string
import urllib.request
from functools import cache
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

logger = logging.getLogger(__name__)

# Entropy the CNIL asks of a password used without any other measure (its examples: 12
# characters from four classes, 14 from three, or a passphrase of several words).
MINIMUM_ENTROPY_BITS = 80
# 12 characters from the four classes give 79.6 bits: the CNIL's own first example.
ENTROPY_TOLERANCE_BITS = 1
SPECIAL_CHARACTERS_POOL = 37


def estimated_entropy_bits(password: str) -> float:
    """Length × log2(size of the character classes used), the CNIL's own estimate."""
    pool = 0
    if any(c in string.ascii_lowercase for c in password):
        pool += 26
    if any(c in string.ascii_uppercase for c in password):
        pool += 26
    if any(c in string.digits for c in password):
        pool += 10
    if any(not c.isascii() or not c.isalnum() for c in password):
        pool += SPECIAL_CHARACTERS_POOL
    return len(password) * math.log2(pool) if pool else 0.0


class VarietyValidator:
    """Enough variety for its length: mixed classes for 12 characters, or a long passphrase."""

    def validate(self, password, user=None):
        if estimated_entropy_bits(password) + ENTROPY_TOLERANCE_BITS < MINIMUM_ENTROPY_BITS:
            raise ValidationError(
                _("This password is too easy to guess for its length. Mix upper and lower case letters, digits "
                  "and symbols, or make it longer: a phrase of several unrelated words works well."),
                code="password_too_simple",
            )

    def get_help_text(self):
        return _("Mix upper and lower case letters, digits and symbols, or use a phrase of several unrelated words.")


@cache
def breached_passwords() -> frozenset[str]:
    """Passwords seen in public breaches, shipped with the code: no network needed.

    Django's list (20,000 passwords from breach corpora) and zxcvbn's (30,000 from a
    10-million-password leak), lower-cased.
    """
    import django.contrib.auth.password_validation as django_validation
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    django_list = Path(django_validation.__file__).resolve().parent / "common-passwords.txt.gz"
    with gzip.open(django_list, "rt", encoding="utf-8") as lines:
        known = {line.strip().lower() for line in lines}
    known.update(word.lower() for word in FREQUENCY_LISTS["passwords"])
    known.discard("")
    return frozenset(known)


class BreachedPasswordValidator:
    """Refuses a password found in the bundled lists of breached passwords."""

    def validate(self, password, user=None):
        candidate = password.strip().lower()
        if candidate in breached_passwords() or candidate.rstrip(string.digits + string.punctuation) in breached_passwords():
            raise ValidationError(
                _("This password appears in lists of passwords stolen from other sites, which attackers try first. "
                  "Choose another one."),
                code="password_breached",
            )

    def get_help_text(self):
        return _("It must not be a password known from breaches of other sites.")


def pwned_count(password: str) -> int:
    """Times ``password`` appears in Have I Been Pwned, asked by k-anonymity.

    Only the first five hexadecimal characters of its SHA-1 are sent; the service answers
    every suffix sharing them, and the comparison happens here.
    """
    digest = hashlib.sha1(password.encode(), usedforsecurity=False).hexdigest().upper()
    prefix, suffix = digest[:5], digest[5:]
    url = settings.PWNED_PASSWORDS_API_URL + prefix
    request = urllib.request.Request(url, headers={"Add-Padding": "true", "User-Agent": settings.PLATFORM_NAME})  # noqa: S310
    with urllib.request.urlopen(request, timeout=settings.PWNED_PASSWORDS_API_TIMEOUT) as response:  # noqa: S310
        body = response.read().decode()
    for line in body.splitlines():
        found, _sep, count = line.partition(":")
        if found.strip().upper() == suffix:
            return int(count.strip() or 0)
    return 0


class PwnedPasswordsRangeValidator:
    """The online check, only when ``PWNED_PASSWORDS_API_ENABLED``; it fails open if the service is down."""

    def validate(self, password, user=None):
        if not settings.PWNED_PASSWORDS_API_ENABLED:
            return
        try:
            count = pwned_count(password)
        except (OSError, ValueError):
            logger.warning("pwned passwords range API unreachable; the offline lists still applied")
            return
        if count:
            raise ValidationError(
                _("This password appears in lists of passwords stolen from other sites, which attackers try first. "
                  "Choose another one."),
                code="password_breached",
            )

    def get_help_text(self):
        return ""


def password_strength_attrs() -> dict:
    """Attributes that turn a new-password input into the live strength meter (a static script)."""
    return {
        "data-password-strength": "true",
        "data-strength-weak": gettext_lazy("Too easy to guess: make it longer or more varied."),
        "data-strength-fair": gettext_lazy("Acceptable."),
        "data-strength-strong": gettext_lazy("Strong."),
    }
