"""Request-scoped context (tenant, request id, user) for every log record."""

from __future__ import annotations

import contextvars
import logging

tenant_var: contextvars.ContextVar[str] = contextvars.ContextVar("tenant", default="-")
request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")
user_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("user_id", default="-")


class ContextFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        # Values passed explicitly with `extra=` win over the request's context.
        if not hasattr(record, "tenant"):
            record.tenant = tenant_var.get()
        if not hasattr(record, "request_id"):
            record.request_id = request_id_var.get()
        if not hasattr(record, "user_id"):
            record.user_id = user_id_var.get()
        return True
