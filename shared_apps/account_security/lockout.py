"""Repeated failed sign-ins: django-axes configured for accounts keyed by e-mail.

An account is keyed by its lower-cased address, so ``Awa@x`` and ``awa@x`` count as one,
and across every tenant host: one identity signs in everywhere, so an attacker gains
nothing by moving from one programme's host to another.
"""

from __future__ import annotations

from axes.handlers.database import AxesDatabaseHandler
from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.shortcuts import render


def normalise_address(value) -> str:
    return str(value or "").strip().lower()


def username_from_request(request, credentials=None) -> str:
    if credentials and credentials.get("username"):
        return normalise_address(credentials.get("username"))
    data = getattr(request, "POST", None) or {}
    return normalise_address(data.get("username"))


class AccountAndAddressHandler(AxesDatabaseHandler):
    """Two limits, where axes has one: per account, and a higher one per IP address.

    Axes locks when ``get_failures()`` reaches ``AXES_FAILURE_LIMIT`` (the account limit);
    failures from one address are scaled so that the address limit reaches it too.
    """

    def failures_by_parameter(self, request, credentials=None) -> tuple[int, int]:
        account_attempts, address_attempts = self.get_user_attempts(request, credentials)
        return _sum_failures(account_attempts), _sum_failures(address_attempts)

    def get_failures(self, request, credentials=None) -> int:
        per_account, per_address = self.failures_by_parameter(request, credentials)
        scaled = per_address * settings.SIGN_IN_ACCOUNT_FAILURE_LIMIT // max(settings.SIGN_IN_ADDRESS_FAILURE_LIMIT, 1)
        return max(per_account, scaled)


def _sum_failures(attempts) -> int:
    return sum(attempts.values_list("failures_since_start", flat=True))


def failures_for(request, address: str) -> tuple[int, int]:
    """Recent failed sign-ins (for this account, from this IP address)."""
    AxesProxyHandler.update_request(request)
    handler = AccountAndAddressHandler()
    return handler.failures_by_parameter(request, {"username": normalise_address(address)})


def needs_captcha(request, address: str) -> bool:
    if not settings.AXES_ENABLED:
        return False
    per_account, per_address = failures_for(request, address)
    return per_account >= settings.SIGN_IN_CAPTCHA_AFTER or per_address >= settings.SIGN_IN_CAPTCHA_AFTER


def cool_off_minutes() -> int:
    return int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)


def lockout_response(request, original_response=None, credentials=None):
    """The sign-in page again, with what was typed, a translated reason and the ways out."""
    from shared_apps.accounts.forms import SignInForm

    form = SignInForm(request, initial={"username": username_from_request(request, credentials)})
    context = {"form": form, "is_locked_out": True, "cool_off_minutes": cool_off_minutes(),
               "next": request.POST.get("next", "") if request.method == "POST" else ""}
    return render(request, "accounts/sign_in.html", context, status=settings.AXES_HTTP_RESPONSE_CODE)
