"""Sentry, only when a DSN is configured; events carry the tenant and the user."""

from __future__ import annotations

import sentry_sdk
from sentry_sdk.integrations.celery import CeleryIntegration
from sentry_sdk.integrations.django import DjangoIntegration

from platform_core.logging import request_id_var, tenant_var, user_id_var


def _attach_context(event, hint):
    event.setdefault("tags", {}).update({"tenant": tenant_var.get(), "request_id": request_id_var.get()})
    user_id = user_id_var.get()
    if user_id != "-":
        event["user"] = {"id": user_id}
    return event


def init_sentry(*, dsn: str, environment: str, traces_sample_rate: float) -> None:
    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        integrations=[DjangoIntegration(), CeleryIntegration()],
        traces_sample_rate=traces_sample_rate,
        send_default_pii=False,
        before_send=_attach_context,
    )
