"""Request id and log context for every request."""

from __future__ import annotations

import re
import uuid

from platform_core.logging import request_id_var, tenant_var, user_id_var

_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


class RequestContextMiddleware:
    """Give each request an id (kept from a trusted proxy's X-Request-ID when well formed)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        request.id = incoming if _REQUEST_ID.match(incoming) else uuid.uuid4().hex
        tenant = getattr(request, "tenant", None)
        tokens = [
            request_id_var.set(request.id),
            tenant_var.set(tenant.schema_name if tenant is not None else "-"),
        ]
        try:
            response = self.get_response(request)
        finally:
            request_id_var.reset(tokens[0])
            tenant_var.reset(tokens[1])
        response["X-Request-ID"] = request.id
        return response


class UserContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        token = user_id_var.set(str(user.pk) if user is not None and user.is_authenticated else "-")
        try:
            return self.get_response(request)
        finally:
            user_id_var.reset(token)
