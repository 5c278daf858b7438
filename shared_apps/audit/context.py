"""Who is acting, and from where: remembered once per request, read by ``services.record()``.

Services record audit events without a request in their signature; the middleware puts
the request in a context variable so a service called from a view, the API or a shell
records the same way (a shell or a task simply has no address). The user is read when
an event is recorded, not when the request starts: the API authenticates tokens inside
the view, and Django REST framework hands the user it found back to the request.
"""

from __future__ import annotations

import contextvars
from dataclasses import dataclass

from django.conf import settings


@dataclass(frozen=True)
class RequestContext:
    user: object | None = None
    ip_address: str | None = None
    user_agent: str = ""
    request_id: str = ""


_request: contextvars.ContextVar[object | None] = contextvars.ContextVar("audit_request", default=None)


def client_ip(request) -> str | None:
    """The client's address: REMOTE_ADDR, or the one a trusted proxy put in X-Forwarded-For."""
    hops = settings.AUDIT_TRUSTED_PROXY_COUNT
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if hops and len(forwarded) >= hops:
        return forwarded[-hops]
    return request.META.get("REMOTE_ADDR") or None


def current() -> RequestContext:
    request = _request.get()
    if request is None:
        return RequestContext()
    user = getattr(request, "user", None)
    return RequestContext(
        user=user if user is not None and getattr(user, "is_authenticated", False) else None,
        ip_address=client_ip(request),
        user_agent=request.META.get("HTTP_USER_AGENT", "")[:300],
        request_id=str(getattr(request, "id", "") or "")[:64],
    )


class AuditContextMiddleware:
    """Remember the request being served, for the audit events it causes."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _request.set(request)
        try:
            return self.get_response(request)
        finally:
            _request.reset(token)
