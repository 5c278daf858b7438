"""What automated findings say: one message per code, put into words when someone reads it.

A finding stores a code and its parameters rather than a sentence in the language of the
task that ran the check, so a moderator reads it in their own language. Codes are stored
in the database: never rename or reuse one; add a new code for a new message.
"""

from __future__ import annotations

import logging
import re
from functools import cache

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django_countries import countries

logger = logging.getLogger(__name__)

MESSAGES = {
    "text.unreadable": _("No text could be read from this PDF (a scan?): compare it with the profile by eye."),
    "company_name.found": _("The company name “%(name)s” appears in the document."),
    "company_name.missing": _("The company name “%(name)s” does not appear in the document."),
    "registration_number.found": _("The registration number %(number)s appears in the document."),
    "registration_number.missing": _("The registration number %(number)s does not appear in the document."),
    "age.too_old": _("This document is %(age)d days old; the programme accepts at most %(max)d days."),
    "age.future": _("The date given for this document is in the future."),
    "age.undated": _("No date was given for this document, so its age could not be checked."),
    "duplicate_file": _("The same file was sent by another company: %(companies)s."),
    "registration_format.valid": _("The registration number is a well-formed %(scheme)s."),
    "registration_format.invalid": _("The registration number is not a valid %(scheme)s for %(country)s."),
    "duplicate_registration": _("Another company uses the same registration number: %(companies)s."),
    "email_domain.webmail": _("%(email)s is a free webmail address, not one of the company's domain."),
    "email_domain.no_website": _("The company has no website to compare %(email)s with."),
    "email_domain.matches": _("%(email)s matches the website %(site)s."),
    "email_domain.mismatch": _("%(email)s does not match the website %(site)s."),
}
# Parameters stored as a country code or a list, shown as a name or a list in words.
COUNTRY_PARAMETERS = frozenset({"country"})
LIST_PARAMETERS = frozenset({"companies"})


def _shown(name: str, value):
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    if name in COUNTRY_PARAMETERS:
        return countries.name(value) or value
    return value


def render(code: str, params: dict, fallback: str = "") -> str:
    """The finding in the active language; ``fallback`` (a sentence recorded before codes
    existed) when the code is unknown or its parameters do not fit."""
    template = MESSAGES.get(code)
    if template is None:
        return fallback
    try:
        return str(template) % {name: _shown(name, value) for name, value in params.items()}
    except (KeyError, TypeError, ValueError):
        logger.warning("finding parameters do not fit their message", extra={"code": code})
        return fallback or str(template)


def parse(sentence: str) -> tuple[str, dict] | None:
    """The code and parameters of a sentence written before findings had codes, in any of
    the platform's languages; None when it matches no message. A country comes back as
    the name that was written."""
    for code, pattern, numbers in _patterns():
        match = pattern.fullmatch(sentence.strip())
        if match:
            params = {}
            for name, value in match.groupdict().items():
                if name in LIST_PARAMETERS:
                    params[name] = value.split(", ")
                else:
                    params[name] = int(value) if name in numbers else value
            return code, params
    return None


@cache
def _patterns() -> list[tuple[str, re.Pattern, frozenset[str]]]:
    patterns = []
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            for code, template in MESSAGES.items():
                parts = re.split(r"%\((\w+)\)([sd])", str(template))
                regex, numbers = re.escape(parts[0]), set()
                for index in range(1, len(parts), 3):
                    name, kind = parts[index], parts[index + 1]
                    if kind == "d":
                        numbers.add(name)
                    regex += (rf"(?P<{name}>-?\d+)" if kind == "d" else rf"(?P<{name}>.+?)") + re.escape(parts[index + 2])
                patterns.append((len(regex), code, re.compile(regex, re.DOTALL), frozenset(numbers)))
    # The longest first: "does not match the website" before "matches the website".
    return [(code, pattern, numbers) for _length, code, pattern, numbers in sorted(patterns, key=lambda item: -item[0])]
