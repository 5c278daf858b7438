"""Request-scoped context (tenant, request id, user) for every log record."""

from __future__ import annotations

import contextvars
import logging

tenant_var: contextvars.ContextVar[str] = contextvars.ContextVar("tenant", default="-")
request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")
user_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("user_id", default="-")


class ContextFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.tenant = tenant_var.get()
        record.request_id = request_id_var.get()
        record.user_id = user_id_var.get()
        return True
