"""Enforce session limits on every request and keep the session record in step."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponse, JsonResponse
from django.utils.translation import gettext as _

from shared_apps.account_sessions import services

# Asking how long is left must not count as activity, or an open tab would never time out.
STATUS_PATH = "/accounts/sessions/status/"

ENDED_MESSAGES = {
    "idle": lambda: _("You were signed out after a period without activity. Sign in again to continue."),
    "lifetime": lambda: _("Your session reached its maximum length. Sign in again to continue."),
    "revoked": lambda: _("This session was ended from another device. Sign in again to continue."),
}


class AccountSessionMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        tenant = getattr(request, "tenant", None)
        request.session_idle_seconds = services.idle_limit_seconds(tenant)
        request.session_idle_warning_seconds = settings.SESSION_IDLE_WARNING_SECONDS
        if tenant is not None and request.user.is_authenticated:
            reason = services.expiry_reason(request)
            if reason is None and request.path != STATUS_PATH and not services.record_activity(request):
                reason = "revoked"
            if reason is not None:
                return self._signed_out(request, reason)
            services.rotate_on_privilege_change(request)
        response = self.get_response(request)
        if tenant is not None and request.user.is_authenticated:
            services.sync_record(request)
        return response

    def _signed_out(self, request, reason):
        services.sign_out(request, reason=reason)
        if request.path == STATUS_PATH:
            return JsonResponse({"signed_in": False, "seconds_left": 0})
        messages.info(request, ENDED_MESSAGES[reason]())
        login_redirect = redirect_to_login(request.get_full_path() if request.method == "GET" else "/")
        if request.headers.get("HX-Request"):
            response = HttpResponse(status=204)
            response["HX-Redirect"] = login_redirect["Location"]
            return response
        return login_redirect
