from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from datetime import datetime

from django.utils.translation import gettext as _
from ua_parser import parse

from shared_apps.account_sessions.models import AccountSession
from shared_apps.account_sessions.services import RECORD_KEY


@dataclass(frozen=True)
class SessionView:
    pk: int
    device: str
    network: str
    signed_in_at: datetime
    last_seen_at: datetime
    is_current: bool


def describe_user_agent(user_agent: str) -> str:
    """``Firefox 128 on Windows 10``, or a plain fallback for what the parser does not know."""
    if not user_agent:
        return _("Unknown browser")
    result = parse(user_agent)
    browser = result.user_agent
    system = result.os
    name = f"{browser.family} {browser.major}".strip() if browser and browser.major else (browser.family if browser else "")
    platform = f"{system.family} {system.major}".strip() if system and system.major else (system.family if system else "")
    if result.device and result.device.family not in ("Other", "Spider"):
        platform = f"{platform} ({result.device.family})" if platform else result.device.family
    if name and platform:
        return _("%(browser)s on %(system)s") % {"browser": name, "system": platform}
    return name or platform or _("Unknown browser")


def network_of(ip_address: str | None) -> str:
    """The address's network (/24 for IPv4, /48 for IPv6): a hint of where, without a geo database."""
    if not ip_address:
        return _("Unknown")
    address = ipaddress.ip_address(ip_address)
    prefix = 24 if address.version == 4 else 48
    return str(ipaddress.ip_network(f"{address}/{prefix}", strict=False))


def sessions_of(*, user, tenant, request=None) -> list[SessionView]:
    """The person's signed-in sessions on this tenant, the most recently used first."""
    current = request.session.get(RECORD_KEY) if request is not None else None
    records = AccountSession.objects.for_tenant(tenant).filter(user=user).order_by("-last_seen_at", "-pk")
    return [
        SessionView(
            pk=record.pk, device=describe_user_agent(record.user_agent), network=network_of(record.ip_address),
            signed_in_at=record.created_at, last_seen_at=record.last_seen_at, is_current=record.pk == current,
        )
        for record in records
    ]
