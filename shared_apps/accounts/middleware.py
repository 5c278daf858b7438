"""Sessions bound to the host that issued them, and the member's role on each request."""

from __future__ import annotations

import logging
from importlib import import_module

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.utils.functional import SimpleLazyObject

from shared_apps.accounts.permissions import permissions_in, role_in

logger = logging.getLogger(__name__)

BOUND_SCHEMA_KEY = "_comptoir_schema"


def bind_session_to_tenant(request) -> None:
    tenant = getattr(request, "tenant", None)
    request.session[BOUND_SCHEMA_KEY] = tenant.schema_name if tenant is not None else None


class HostBoundSessionMiddleware:
    """A signed-in session only counts on the tenant whose host issued it.

    Cookies are host-only already; this also defeats a cookie replayed on another
    tenant's host: the request there gets a fresh, empty session.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.session_store = import_module(settings.SESSION_ENGINE).SessionStore

    def __call__(self, request):
        session = getattr(request, "session", None)
        tenant = getattr(request, "tenant", None)
        if session is not None and SESSION_KEY in session:
            bound = session.get(BOUND_SCHEMA_KEY)
            current = tenant.schema_name if tenant is not None else None
            if bound != current:
                logger.warning("session presented on another host", extra={"bound": bound, "current": current})
                request.session = self.session_store()
        return self.get_response(request)


class MembershipMiddleware:
    """``request.role`` and ``request.permissions`` for the current tenant, computed lazily."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        tenant = getattr(request, "tenant", None)
        scoped = tenant if tenant is not None and not tenant.is_public else None
        request.role = SimpleLazyObject(lambda: role_in(request.user, scoped))
        request.permissions = SimpleLazyObject(lambda: permissions_in(request.user, scoped))
        return self.get_response(request)



