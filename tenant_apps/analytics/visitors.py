"""Who is visiting, as far as analytics may know: a bot or not, a country, a daily hash.

Nothing here keeps an IP address. The country comes from an offline database shipped
inside the ``iptocc`` package (no network look-up, ever); the visitor is a hash of the
address and browser (or of the account) with a random salt that changes every day and
is deleted two days later, so a hash cannot be linked to an address or to another day.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from datetime import date

from django.db import connection
from iptocc import country_code

from shared_apps.audit.context import client_ip

# Crawlers, link previews, monitoring and scripts. An empty User-Agent counts as a bot too.
BOT_PATTERN = re.compile(
    r"bot\b|bot/|crawl|spider|slurp|archiver|facebookexternalhit|embedly|preview|headless|lighthouse|"
    r"python-|python/|curl/|wget/|httpclient|java/|go-http|okhttp|axios|node-fetch|libwww|scrapy|"
    r"phantomjs|pingdom|uptime|monitor|validator|feedfetcher|mediapartners|bingpreview",
    re.IGNORECASE,
)

_salts: dict[tuple[str, date], str] = {}


def is_bot(request) -> bool:
    """Crawlers, scripts, HEAD requests and browser prefetches are not visits."""
    if request.method == "HEAD":
        return True
    purpose = request.headers.get("Sec-Purpose", "") or request.headers.get("Purpose", "")
    if "prefetch" in purpose.lower():
        return True
    user_agent = request.headers.get("User-Agent", "")
    return not user_agent.strip() or BOT_PATTERN.search(user_agent) is not None


def country_of(ip_address: str | None) -> str:
    """The ISO code of the country a registry assigned the address to; "" when unknown or private."""
    if not ip_address:
        return ""
    try:
        return country_code(ip_address) or ""
    except (ValueError, TypeError):
        return ""


def daily_salt(day: date) -> str:
    """The day's random salt in the current schema, made on first use (one query per process and day)."""
    key = (connection.schema_name, day)
    salt = _salts.get(key)
    if salt is None:
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO analytics_visitorsalt (day, salt) VALUES (%s, %s) ON CONFLICT (day) DO NOTHING RETURNING salt",
                [day, secrets.token_hex(32)],
            )
            row = cursor.fetchone()
            if row is None:
                cursor.execute("SELECT salt FROM analytics_visitorsalt WHERE day = %s", [day])
                row = cursor.fetchone()
        salt = row[0]
        if len(_salts) > 512:
            _salts.clear()
        _salts[key] = salt
    return salt


def visitor_hash(*, day: date, identity: str) -> str:
    salt = daily_salt(day)
    return hashlib.sha256(f"{salt}|{connection.schema_name}|{identity}".encode()).hexdigest()[:32]


def identity_of(request, user, ip_address: str | None) -> str:
    """A signed-in person is their account; anyone else their address and browser."""
    if user is not None and getattr(user, "is_authenticated", False):
        return f"user:{user.pk}"
    return f"ip:{ip_address or ''}|{request.headers.get('User-Agent', '')[:300]}"


def request_ip(request) -> str | None:
    return client_ip(request)
