"""Request id and log context (tenant, user) for every request."""

from __future__ import annotations

import re
import uuid

from platform_core.logging import request_id_var, tenant_var, user_id_var

_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


class RequestContextMiddleware:
    """First in the chain: give each request an id and clear the previous log context.

    The id comes from a trusted proxy's X-Request-ID when well formed. The context is
    not reset on the way out, so that Django's own request logging, which happens after
    the middleware chain returns, still carries it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        request.id = incoming if _REQUEST_ID.match(incoming) else uuid.uuid4().hex
        request_id_var.set(request.id)
        tenant_var.set("-")
        user_id_var.set("-")
        response = self.get_response(request)
        response["X-Request-ID"] = request.id
        return response


class UserContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            user_id_var.set(str(user.pk))
        return self.get_response(request)
