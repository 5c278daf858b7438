"""Where text messages go: ``settings.SMS_GATEWAY`` names a class with ``send(to=, message=)``.

A production gateway (an SMS provider's API) is one small class; the development one
writes to the log and the local outbox, the recording one keeps messages for tests.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


class SmsDeliveryError(Exception):
    """The gateway could not take the message."""


class SmsGateway:
    def send(self, *, to: str, message: str) -> None:
        raise NotImplementedError


class DevelopmentSmsGateway(SmsGateway):
    """Sends nothing: logs the message and appends it to ``<outbox>/sms.log``."""

    def send(self, *, to: str, message: str) -> None:
        logger.info("text message for %s: %s", to, message)
        outbox = Path(settings.SMS_OUTBOX_DIR)
        outbox.mkdir(parents=True, exist_ok=True)
        with (outbox / "sms.log").open("a", encoding="utf-8") as log:
            log.write(f"{datetime.now(UTC).isoformat()}\t{to}\t{message}\n")


class RecordingSmsGateway(SmsGateway):
    """Keeps every message in ``RecordingSmsGateway.outbox`` (a list of dicts), for tests."""

    outbox: list[dict] = []

    def send(self, *, to: str, message: str) -> None:
        type(self).outbox.append({"to": to, "message": message})


def get_gateway() -> SmsGateway:
    return import_string(settings.SMS_GATEWAY)()
