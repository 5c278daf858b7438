"""The visitor's cookie choices, read from a signed cookie on every request.

Until a choice is made on the current policy version, only strictly necessary cookies
exist and ``request.consent.analytics`` is False: analytics code must check it.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core import signing

COOKIE_SALT = "privacy.consent"


@dataclass(frozen=True)
class ConsentState:
    decided: bool = False
    analytics: bool = False
    anonymous_id: uuid.UUID | None = None

    @property
    def necessary(self) -> bool:
        return True


NO_DECISION = ConsentState()


def read_consent(request) -> ConsentState:
    try:
        raw = request.get_signed_cookie(settings.CONSENT_COOKIE_NAME, salt=COOKIE_SALT, max_age=settings.CONSENT_COOKIE_AGE)
    except (KeyError, signing.BadSignature):
        return NO_DECISION
    try:
        version, analytics, anonymous_id = raw.split("|")
        anonymous_id = uuid.UUID(anonymous_id)
    except ValueError:
        return NO_DECISION
    if version != settings.CONSENT_POLICY_VERSION:
        return ConsentState(anonymous_id=anonymous_id)
    return ConsentState(decided=True, analytics=analytics == "1", anonymous_id=anonymous_id)


def write_consent(response, state: ConsentState) -> None:
    value = f"{settings.CONSENT_POLICY_VERSION}|{int(state.analytics)}|{state.anonymous_id}"
    response.set_signed_cookie(
        settings.CONSENT_COOKIE_NAME, value, salt=COOKIE_SALT, max_age=settings.CONSENT_COOKIE_AGE,
        secure=settings.SESSION_COOKIE_SECURE, httponly=True, samesite="Lax",
    )
