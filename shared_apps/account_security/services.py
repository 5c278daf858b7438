"""Account security workflows: password reset by code, password and e-mail changes,
known devices, unlocking after repeated failed sign-ins. Every critical change is e-mailed."""

from __future__ import annotations

import hashlib
import logging
import secrets
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from shared_apps.account_security import emails
from shared_apps.account_security.lockout import normalise_address
from shared_apps.account_security.models import KnownDevice, PasswordResetCode
from shared_apps.accounts.models import User
from shared_apps.audit.services import record

logger = logging.getLogger(__name__)

# No 0/O, 1/I/L: a code read from a phone and typed elsewhere.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8
CODE_KEY_SALT = "account_security.reset-code"
EMAIL_CHANGE_SALT = "account_security.email-change"
UNLOCK_SALT = "account_security.unlock"
DEVICE_SALT = "account_security.device"


class SecurityError(Exception):
    """A security workflow was refused; the message is for the user."""


class TooManyRequests(SecurityError):
    pass


def _code_hash(salt: str, code: str) -> str:
    return salted_hmac(CODE_KEY_SALT, f"{salt}:{code}").hexdigest()


def normalise_code(code: str) -> str:
    return "".join(code.split()).replace("-", "").upper()


def _new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _i in range(CODE_LENGTH))


def request_password_reset(*, email: str, ip_address: str | None, tenant) -> PasswordResetCode:
    """Record a reset request and, if the address has an active account, e-mail it a code.

    The same happens, minus the e-mail, for an unknown address, so nothing tells the two
    apart. Raises TooManyRequests past the hourly limits per address and per IP address.
    """
    email = normalise_address(email)
    since = timezone.now() - timedelta(hours=1)
    recent = PasswordResetCode.objects.filter(created_at__gte=since)
    if recent.filter(email=email).count() >= settings.PASSWORD_RESET_PER_ADDRESS_PER_HOUR or (
        ip_address and recent.filter(ip_address=ip_address).count() >= settings.PASSWORD_RESET_PER_IP_PER_HOUR
    ):
        raise TooManyRequests(_("Too many reset requests. Wait an hour, or use the last code you received."))
    user = User.objects.filter(email__iexact=email, is_active=True).first()
    code, salt = _new_code(), secrets.token_hex(16)
    with transaction.atomic():
        if user is not None:
            PasswordResetCode.objects.filter(user=user, used_at__isnull=True).update(used_at=timezone.now())
        reset = PasswordResetCode.objects.create(
            user=user, email=email, ip_address=ip_address, tenant=tenant if tenant and not tenant.is_public else None,
            salt=salt, code_hash=_code_hash(salt, code) if user is not None else "",
            expires_at=timezone.now() + timedelta(seconds=settings.PASSWORD_RESET_CODE_MAX_AGE),
        )
    if user is not None:
        emails.send_reset_code(user=user, tenant=tenant, code=code, minutes=settings.PASSWORD_RESET_CODE_MAX_AGE // 60)
    return reset


def verify_reset_code(*, reset_id: int, code: str) -> PasswordResetCode:
    """Accept the code of reset ``reset_id`` once; a wrong code uses up one of its attempts."""
    invalid = _("This code is not valid or has expired. Check the last e-mail we sent, or ask for a new code.")
    exhausted = _("Too many wrong codes: this one no longer works. Ask for a new code.")
    with transaction.atomic():
        reset = PasswordResetCode.objects.select_for_update().filter(pk=reset_id).first()
        if reset is None or reset.used_at is not None or reset.expires_at <= timezone.now():
            refusal = invalid
        elif reset.failed_attempts >= settings.PASSWORD_RESET_CODE_ATTEMPTS:
            refusal = exhausted
        elif reset.user_id is not None and constant_time_compare(reset.code_hash, _code_hash(reset.salt, normalise_code(code))):
            reset.verified_at = timezone.now()
            reset.save(update_fields=["verified_at"])
            return reset
        else:
            # Counted even for unknown addresses, so both behave alike.
            reset.failed_attempts += 1
            reset.save(update_fields=["failed_attempts"])
            refusal = exhausted if reset.failed_attempts >= settings.PASSWORD_RESET_CODE_ATTEMPTS else invalid
    raise SecurityError(refusal)


def verified_reset(reset_id) -> PasswordResetCode | None:
    """The reset whose code was entered, still unused and within its lifetime."""
    if not reset_id:
        return None
    return PasswordResetCode.objects.filter(
        pk=reset_id, verified_at__isnull=False, used_at__isnull=True, user__isnull=False,
        expires_at__gt=timezone.now(),
    ).select_related("user").first()


def complete_password_reset(*, reset_id: int, password: str, tenant) -> User:
    """Set the new password of a verified reset; the code can never serve again."""
    with transaction.atomic():
        reset = verified_reset(reset_id)
        if reset is None:
            raise SecurityError(_("This reset has expired or was already used. Ask for a new code."))
        updated = PasswordResetCode.objects.filter(pk=reset.pk, used_at__isnull=True).update(used_at=timezone.now())
        if not updated:
            raise SecurityError(_("This reset has expired or was already used. Ask for a new code."))
        user = reset.user
        user.set_password(password)
        user.save(update_fields=["password"])
        record(action="account.password_reset", tenant=tenant, actor=user, target=user, target_label=user.email,
               after={"reset": reset.pk})
    unlock_account(user=user, actor=user, tenant=tenant, via="password_reset")
    emails.send_password_changed(user=user, tenant=tenant)
    return user


def change_password(*, user: User, password: str, tenant) -> User:
    """Set a new password chosen by its signed-in owner (page or API); audited and e-mailed."""
    user.set_password(password)
    user.save(update_fields=["password"])
    record(action="account.password_changed", tenant=tenant, actor=user, target=user, target_label=user.email)
    emails.send_password_changed(user=user, tenant=tenant)
    return user


def request_email_change(*, user: User, new_email: str, tenant) -> None:
    """E-mail a confirmation link to ``new_email``; nothing changes until it is followed.

    If the address already has an account, its owner is told instead, and the page looks
    the same, so this cannot be used to find out who has an account.
    """
    new_email = normalise_address(new_email)
    if new_email == user.email.lower():
        raise SecurityError(_("This is already your e-mail address."))
    if User.objects.filter(email__iexact=new_email).exists():
        emails.send_email_change_refused(user=user, tenant=tenant, new_email=new_email)
        return
    token = signing.dumps({"user": user.pk, "old": user.email, "new": new_email}, salt=EMAIL_CHANGE_SALT)
    emails.send_email_change_confirmation(user=user, tenant=tenant, new_email=new_email, token=token)


def confirm_email_change(*, token: str, tenant) -> User:
    try:
        data = signing.loads(token, salt=EMAIL_CHANGE_SALT, max_age=settings.EMAIL_CHANGE_MAX_AGE)
    except signing.SignatureExpired as exc:
        raise SecurityError(_("This link has expired. Ask for the change again.")) from exc
    except signing.BadSignature as exc:
        raise SecurityError(_("This link is not valid. Copy the whole link from the e-mail.")) from exc
    with transaction.atomic():
        user = User.objects.select_for_update().filter(pk=data.get("user"), email=data.get("old")).first()
        if user is None:
            raise SecurityError(_("This link has already been used."))
        if User.objects.filter(email__iexact=data["new"]).exclude(pk=user.pk).exists():
            raise SecurityError(_("This address is now used by another account."))
        old_email = user.email
        user.email = data["new"]
        user.email_verified_at = timezone.now()
        user.save(update_fields=["email", "email_verified_at"])
        record(action="account.email_changed", tenant=tenant, actor=user, target=user, target_label=user.email,
               before={"email": old_email}, after={"email": user.email})
    emails.send_email_changed(user=user, tenant=tenant, old_email=old_email, new_email=user.email)
    logger.info("account e-mail changed", extra={"user_id": user.pk})
    return user


def _device_hash(device_id: str) -> str:
    return hashlib.sha256(device_id.encode()).hexdigest()


def device_id_from_cookie(value: str | None) -> str | None:
    if not value:
        return None
    try:
        return signing.loads(value, salt=DEVICE_SALT)
    except signing.BadSignature:
        return None


def device_cookie_value(device_id: str) -> str:
    return signing.dumps(device_id, salt=DEVICE_SALT)


def record_sign_in_device(*, user: User, device_id: str | None, user_agent: str, tenant) -> str | None:
    """Remember the browser a person signed in from; e-mail them when it is a new one.

    Returns a new device identifier for the browser to keep, or None if it was known. The
    first browser of an account raises no notice: there is nothing to compare it with.
    """
    now = timezone.now()
    if device_id and KnownDevice.objects.filter(user=user, device_hash=_device_hash(device_id)).update(last_seen_at=now):
        return None
    had_devices = KnownDevice.objects.filter(user=user).exists()
    device_id = secrets.token_urlsafe(24)
    KnownDevice.objects.create(user=user, device_hash=_device_hash(device_id), user_agent=user_agent[:200])
    if had_devices:
        emails.send_new_device(user=user, tenant=tenant, user_agent=user_agent[:200])
    return device_id


def unlock_account(*, user: User, tenant=None, actor=None, via: str = "administrator") -> int:
    """Lift the lockout of ``user``'s account (not of the IP addresses involved).

    When there was something to lift, the audit log says who did it (``actor``, by
    default the signed-in person of the request) and how (``via``).
    """
    from axes.utils import reset

    lifted = reset(username=normalise_address(user.email))
    if lifted:
        record(action="account.unlocked", tenant=tenant, actor=actor, target=user, target_label=user.email,
               after={"via": via})
    return lifted


def unlock_token(*, user: User, attempt_id: int) -> str:
    return signing.dumps({"user": user.pk, "attempt": attempt_id}, salt=UNLOCK_SALT)


def unlock_with_token(token: str, *, tenant=None) -> User:
    """Follow the e-mailed unlock link: it works once, for the lockout it was sent about."""
    from axes.models import AccessAttempt

    try:
        data = signing.loads(token, salt=UNLOCK_SALT, max_age=settings.SIGN_IN_UNLOCK_MAX_AGE)
    except signing.BadSignature as exc:
        raise SecurityError(_("This unlock link is not valid or has expired.")) from exc
    user = User.objects.filter(pk=data.get("user")).first()
    if user is None or not AccessAttempt.objects.filter(pk=data.get("attempt"), username=normalise_address(user.email)).exists():
        raise SecurityError(_("This unlock link has already been used, or the account is no longer locked."))
    unlock_account(user=user, tenant=tenant, actor=user, via="email_link")
    return user


def notify_account_locked(*, address: str, tenant) -> None:
    """E-mail the owner of a just-locked account a link to unlock it, once per lockout."""
    from axes.models import AccessAttempt
    from django.core.cache import cache

    address = normalise_address(address)
    user = User.objects.filter(email__iexact=address, is_active=True).first()
    if user is None:
        return
    attempts = AccessAttempt.objects.filter(username=address).order_by("-attempt_time")
    total = sum(attempts.values_list("failures_since_start", flat=True))
    attempt = attempts.first()
    if attempt is None or total < settings.SIGN_IN_ACCOUNT_FAILURE_LIMIT:
        return
    # Failures during a lockout are not recorded, so the attempt's time names this lockout.
    once_key = f"account_security:unlock-mail:{attempt.pk}:{attempt.attempt_time.timestamp()}"
    if not cache.add(once_key, 1, timeout=int(settings.AXES_COOLOFF_TIME.total_seconds())):
        return
    record(action="account.locked", tenant=tenant, actor=None, target=user, target_label=user.email,
           after={"failures": total})
    emails.send_unlock_link(user=user, tenant=tenant, token=unlock_token(user=user, attempt_id=attempt.pk),
                            minutes=int(settings.AXES_COOLOFF_TIME.total_seconds() // 60))
