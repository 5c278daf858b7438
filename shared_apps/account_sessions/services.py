"""Signed-in sessions: lifetime and idle limits, the per-session record, revocation.

Limits live in the session itself (sign-in time, last activity), so they hold without
JavaScript; the record in ``AccountSession`` is what the person sees and revokes.
Ending a session deletes Django's session row: its cookie then opens nothing.
"""

from __future__ import annotations

import logging
import time
from importlib import import_module

from django.conf import settings
from django.contrib.auth import logout
from django.utils import timezone

from shared_apps.account_sessions.models import AccountSession

logger = logging.getLogger(__name__)

RECORD_KEY = "_comptoir_session_record"
RECORDED_KEY_KEY = "_comptoir_session_key"
SIGNED_IN_AT_KEY = "_comptoir_signed_in_at"
ACTIVITY_KEY = "_comptoir_last_activity"
PRIVILEGE_KEY = "_comptoir_privilege"


def _store():
    return import_module(settings.SESSION_ENGINE).SessionStore


def idle_limit_seconds(tenant) -> int:
    if tenant is None or tenant.is_public:
        return settings.OPERATOR_SESSION_IDLE_MINUTES * 60
    return tenant.session_idle_minutes * 60


def seconds_left(request) -> int:
    """Seconds before this session ends, whichever of the idle or lifetime limits comes first."""
    now = time.time()
    session = request.session
    idle_left = idle_limit_seconds(request.tenant) - (now - session.get(ACTIVITY_KEY, now))
    life_left = settings.SESSION_ABSOLUTE_MAX_AGE - (now - session.get(SIGNED_IN_AT_KEY, now))
    return max(0, int(min(idle_left, life_left)))


def expiry_reason(request) -> str | None:
    """``"idle"`` or ``"lifetime"`` when this session has gone past a limit, else None."""
    now = time.time()
    session = request.session
    signed_in_at = session.get(SIGNED_IN_AT_KEY)
    if signed_in_at is not None and now - signed_in_at > settings.SESSION_ABSOLUTE_MAX_AGE:
        return "lifetime"
    last_activity = session.get(ACTIVITY_KEY)
    if last_activity is not None and now - last_activity > idle_limit_seconds(request.tenant):
        return "idle"
    return None


def _client_details(request) -> dict:
    # REMOTE_ADDR as the web server saw it: a trusted proxy must set it from X-Forwarded-For.
    return {
        "ip_address": request.META.get("REMOTE_ADDR") or None,
        "user_agent": request.META.get("HTTP_USER_AGENT", "")[:400],
    }


def record_activity(request, *, force: bool = False) -> bool:
    """Note that the person used this session; False when its record was revoked meanwhile.

    Written at most once per ``SESSION_ACTIVITY_WRITE_SECONDS`` unless ``force``.
    """
    now = time.time()
    session = request.session
    if not force and now - session.get(ACTIVITY_KEY, 0) < settings.SESSION_ACTIVITY_WRITE_SECONDS:
        return True
    session[ACTIVITY_KEY] = now
    record_id = session.get(RECORD_KEY)
    if record_id is None:
        return True
    updated = (
        AccountSession.objects.for_tenant(request.tenant)
        .filter(pk=record_id, user=request.user)
        .update(last_seen_at=timezone.now(), **_client_details(request))
    )
    return updated == 1


def start_record(request, user) -> AccountSession:
    """Called on sign-in: start the clocks and record the new session."""
    session = request.session
    forget_record(request)
    now = time.time()
    session[SIGNED_IN_AT_KEY] = now
    session[ACTIVITY_KEY] = now
    if session.session_key is None:
        session.save()
    record = AccountSession.objects.create(
        user=user, tenant=request.tenant, session_key=session.session_key, last_seen_at=timezone.now(),
        **_client_details(request),
    )
    session[RECORD_KEY] = record.pk
    session[RECORDED_KEY_KEY] = session.session_key
    return record


def sync_record(request) -> None:
    """After a request: the record follows the session id when it was rotated."""
    session = request.session
    if session.get(RECORD_KEY) is None:
        start_record(request, request.user)
        return
    if session.session_key and session.get(RECORDED_KEY_KEY) != session.session_key:
        AccountSession.objects.for_tenant(request.tenant).filter(pk=session[RECORD_KEY]).update(
            session_key=session.session_key
        )
        session[RECORDED_KEY_KEY] = session.session_key


def rotate_on_privilege_change(request) -> None:
    """A new session id whenever the person's role here (or operator status) changes."""
    user = request.user
    fingerprint = f"{request.role}|{int(user.is_staff)}|{int(user.is_superuser)}"
    stored = request.session.get(PRIVILEGE_KEY)
    if stored != fingerprint:
        if stored is not None:
            request.session.cycle_key()
            logger.info("session id rotated after a privilege change")
        request.session[PRIVILEGE_KEY] = fingerprint


def forget_record(request) -> None:
    """On sign-out: the session ends, so does its record."""
    record_id = request.session.get(RECORD_KEY)
    tenant = getattr(request, "tenant", None)
    if record_id is not None and tenant is not None:
        AccountSession.objects.for_tenant(tenant).filter(pk=record_id).delete()


def sign_out(request, *, reason: str) -> None:
    logger.info("session ended", extra={"reason": reason})
    logout(request)


def _end(records) -> int:
    store = _store()
    ended = 0
    for record in records:
        store(session_key=record.session_key).delete()
        ended += 1
    records.delete()
    return ended


def revoke_session(*, user, tenant, record_id: int) -> bool:
    """End one of ``user``'s sessions on ``tenant``; False when there is no such session."""
    records = AccountSession.objects.for_tenant(tenant).filter(user=user, pk=record_id)
    ended = _end(records)
    if ended:
        logger.info("session revoked", extra={"record": record_id})
        _audit("session.revoked", user=user, tenant=tenant, before={"session": record_id})
    return bool(ended)


def _audit(action: str, *, user, tenant, before=None, after=None) -> None:
    # Record ids only: a session key opens the session, so it never goes into the log.
    from shared_apps.audit.services import record

    record(action=action, tenant=tenant, target=user, target_label=user.email, before=before, after=after)


def revoke_other_sessions(*, request) -> int:
    """End every other session of the person on this tenant; this one stays signed in."""
    records = AccountSession.objects.for_tenant(request.tenant).filter(user=request.user).exclude(
        pk=request.session.get(RECORD_KEY)
    )
    ended = _end(records)
    logger.info("other sessions revoked", extra={"count": ended})
    _audit("session.others_revoked", user=request.user, tenant=request.tenant, after={"sessions_ended": ended})
    return ended


def end_other_sessions_everywhere(*, request) -> int:
    """End the person's other sessions on every tenant (after enrolling a second factor)."""
    records = AccountSession.objects.across_tenants().filter(user=request.user).exclude(
        pk=request.session.get(RECORD_KEY)
    )
    return _end(records)
