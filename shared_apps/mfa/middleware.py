"""Keep people whose role demands a second factor away from everything until they use one."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from shared_apps.mfa import services

# Reachable before enrolment: signing out, the enrolment pages, the idle-timeout pings,
# health probes, language switch, theme CSS and the legal pages.
OPEN_VIEWS = {
    "accounts:sign-in", "accounts:sign-out", "account-sessions:status", "account-sessions:keep-alive",
    "healthz", "readyz", "set_language", "theme-tokens", "legal",
}


# What an unverified session may reach to prove its second factor.
VERIFY_VIEWS = {
    "mfa:verify", "mfa:passkey-authentication-begin", "mfa:passkey-authentication-complete", "mfa:passkey-jsi18n",
}


class MfaEnforcementMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or services.is_verified(user):
            return None
        if not services.must_use_mfa(user, getattr(request, "tenant", None)):
            return None
        match = request.resolver_match
        view_name = match.view_name if match is not None else ""
        if view_name in OPEN_VIEWS or request.path.startswith(settings.MEDIA_URL):
            return None
        if services.has_second_factor(user):
            if view_name in VERIFY_VIEWS:
                return None
            return redirect(f"{_url('mfa:verify')}?next={_quoted(request)}")
        if match is not None and match.namespace == "mfa":
            return None
        messages.warning(request, _(
            "Your role here gives access to sensitive information, so this programme asks you to set up "
            "two-factor authentication before you continue. It takes about two minutes."
        ))
        return redirect("mfa:index")


def _url(name: str) -> str:
    from django.urls import reverse

    return reverse(name)


def _quoted(request) -> str:
    from urllib.parse import quote

    return quote(request.get_full_path(), safe="/")
