"""Second factors: enrolment, codes, the two-step sign-in and who must use them.

Tokens are checked by django-otp (one use per code, TOTP time steps never reused,
throttling that doubles the wait after each wrong code); these functions decide when
a code is sent, when a session counts as verified and what a user sees.
"""

from __future__ import annotations

import base64
import logging
import re
import time

import django_otp
import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib.auth import login
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django_otp import devices_for_user, user_has_device
from django_otp.models import Device, GenerateNotAllowed
from django_otp.plugins.otp_email.models import EmailDevice
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from platform_core.mail import recipient_language, send_branded_mail
from shared_apps.accounts.permissions import role_in
from shared_apps.mfa import passkeys
from shared_apps.mfa.gateways import SmsDeliveryError, get_gateway
from shared_apps.mfa.models import PasskeyHost, SmsDevice

logger = logging.getLogger(__name__)

PENDING_KEY = "_mfa_pending"
BACKUP_CODE_COUNT = 10
E164 = re.compile(r"^\+[1-9]\d{7,14}$")


class MfaError(Exception):
    """A second-factor step was refused; the message is for the user."""


def must_use_mfa(user, tenant) -> bool:
    """Does the tenant's policy (or, on the platform host, operator or finance status) demand a second factor?"""
    if user is None or not user.is_authenticated:
        return False
    if tenant is None or tenant.is_public:
        from shared_apps.finance.roles import is_finance_staff

        return bool((user.is_staff or is_finance_staff(user)) and settings.MFA_REQUIRED_FOR_OPERATORS)
    return role_in(user, tenant) in tenant.mfa_required_roles


def has_second_factor(user) -> bool:
    return user_has_device(user, confirmed=True)


def has_primary_factor(user) -> bool:
    """A method other than backup codes, which only stand in for a lost one."""
    return any(not isinstance(device, StaticDevice) for device in devices_for_user(user, confirmed=True))


def is_verified(user) -> bool:
    return bool(getattr(user, "is_verified", None) and user.is_verified())


def device_label(device: Device) -> str:
    if isinstance(device, TOTPDevice):
        return _("Authenticator app")
    if isinstance(device, EmailDevice):
        return _("Code e-mailed to %(email)s") % {"email": device.email or device.user.email}
    if isinstance(device, SmsDevice):
        return _("Code sent by text message to %(number)s") % {"number": device.masked_number}
    if isinstance(device, StaticDevice):
        return _("Backup code")
    if isinstance(device, WebAuthnCredential):
        return _("Passkey for %(host)s") % {"host": passkeys.passkey_host(device) or _("another site")}
    return str(device)


def method_of(device: Device) -> str:
    """A stable key for the kind of method, as the audit log and notices name it."""
    for kind, key in ((TOTPDevice, "authenticator_app"), (EmailDevice, "email"), (SmsDevice, "sms"),
                      (StaticDevice, "backup_codes"), (WebAuthnCredential, "passkey")):
        if isinstance(device, kind):
            return key
    return type(device).__name__.lower()


def is_passkey(device: Device) -> bool:
    return isinstance(device, WebAuthnCredential)


def sends_codes(device: Device) -> bool:
    return isinstance(device, EmailDevice | SmsDevice)


def confirmed_devices(user) -> list[Device]:
    return list(devices_for_user(user, confirmed=True))


def device_of(user, persistent_id: str, *, confirmed: bool | None = True) -> Device | None:
    device = Device.from_persistent_id(persistent_id or "")
    if device is None or device.user_id != user.pk:
        return None
    if confirmed is not None and device.confirmed != confirmed:
        return None
    return device


# --- Enrolment ---------------------------------------------------------------------


def start_totp_enrolment(*, user) -> TOTPDevice:
    """A fresh, unconfirmed authenticator-app device; earlier unfinished ones are dropped."""
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)


def totp_secret(device: TOTPDevice) -> str:
    """The key in base32, in groups of four, for people who cannot scan the QR code."""
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def totp_qr_svg(device: TOTPDevice) -> str:
    """The provisioning URI as an inline SVG (drawn on the server: no script, no image request)."""
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8, border=2)
    svg = image.to_string(encoding="unicode")
    return re.sub(r"^<\?xml[^>]*\?>\s*", "", svg)


def start_email_enrolment(*, user, tenant) -> EmailDevice:
    EmailDevice.objects.filter(user=user, confirmed=False).delete()
    device = EmailDevice.objects.create(user=user, name="email", confirmed=False)
    send_code(device=device, tenant=tenant)
    return device


def clean_phone_number(raw: str) -> str:
    number = re.sub(r"[\s().-]", "", raw or "")
    if number.startswith("00"):
        number = "+" + number[2:]
    if not E164.match(number):
        raise MfaError(_("Enter the number in international form, starting with + and the country code, e.g. +221 77 123 45 67."))
    return number


def start_sms_enrolment(*, user, tenant, number: str) -> SmsDevice:
    number = clean_phone_number(number)
    SmsDevice.objects.filter(user=user, confirmed=False).delete()
    device = SmsDevice.objects.create(user=user, name="sms", number=number, confirmed=False)
    send_code(device=device, tenant=tenant)
    return device


def confirm_enrolment(*, request, device: Device, token: str) -> Device:
    """Confirm a new device with its first code; the session becomes verified by it.

    Other sessions of the person are ended: they were opened with the password alone.
    """
    check_code(device=device, token=token)
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    _enrolled(request=request, device=device)
    return device


def finish_passkey_enrolment(*, request, device: WebAuthnCredential) -> WebAuthnCredential:
    """A passkey the browser just made and the package verified: remember its host, as for any method.

    A session already verified by another method keeps that device; otherwise the new
    passkey verifies it.
    """
    PasskeyHost.objects.create(credential=device, rp_id=passkeys.relying_party_id(request))
    _enrolled(request=request, device=device, verify_session=not is_verified(request.user))
    return device


def _enrolled(*, request, device: Device, verify_session: bool = True) -> None:
    from shared_apps.account_sessions.services import end_other_sessions_everywhere

    if verify_session:
        mark_session_verified(request, device)
    end_other_sessions_everywhere(request=request)
    logger.info("second factor enrolled", extra={"device": device.persistent_id})
    tenant = getattr(request, "tenant", None)
    details = {"method": method_of(device)}
    if is_passkey(device):
        details["host"] = passkeys.passkey_host(device)
    _audit_and_notify(action="mfa.device_added", user=device.user, tenant=tenant, label=device_label(device),
                      after=details)


def _audit_and_notify(*, action: str, user, tenant, label, before=None, after=None) -> None:
    """Every change of second factors is in the audit log and e-mailed to the account's address."""
    from shared_apps.account_security import emails
    from shared_apps.audit.services import record

    record(action=action, tenant=tenant, target=user, target_label=user.email, before=before, after=after)
    emails.send_mfa_changed(user=user, tenant=tenant, change=action, method=str(label))


def generate_backup_codes(*, user, tenant=None) -> list[str]:
    """Replace the person's backup codes with new ones; each works once. Shown once, never again."""
    with transaction.atomic():
        had_codes = StaticDevice.objects.filter(user=user, confirmed=True).exists()
        device, _created = StaticDevice.objects.get_or_create(user=user, name="backup", defaults={"confirmed": True})
        device.token_set.all().delete()
        codes = [StaticToken.random_token() for _ in range(BACKUP_CODE_COUNT)]
        StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
        if not device.confirmed:
            device.confirmed = True
            device.save(update_fields=["confirmed"])
    # Only how many: the codes themselves never leave this function but to the page.
    _audit_and_notify(action="mfa.backup_codes_regenerated", user=user, tenant=tenant, label=_("Backup codes"),
                      before={"replaced_earlier_codes": had_codes}, after={"codes": len(codes)})
    return codes


def backup_codes_left(user) -> int | None:
    device = StaticDevice.objects.filter(user=user, confirmed=True).first()
    return device.token_set.count() if device is not None else None


def remove_device(*, user, persistent_id: str, tenant=None) -> None:
    device = device_of(user, persistent_id, confirmed=None)
    if device is None:
        raise MfaError(_("This device does not exist any more."))
    was_confirmed, label = device.confirmed, device_label(device)
    details = {"method": method_of(device)}
    if is_passkey(device):
        details["host"] = passkeys.passkey_host(device)
    device.delete()
    logger.info("second factor removed", extra={"device": persistent_id})
    if was_confirmed:
        _audit_and_notify(action="mfa.device_removed", user=user, tenant=tenant, label=label, before=details)


# --- Codes -------------------------------------------------------------------------


def send_code(*, device: Device, tenant) -> None:
    """E-mail or text a new code for ``device``; refused while the previous one is too fresh."""
    allowed, details = device.generate_is_allowed()
    if not allowed:
        if details and details.get("reason") == GenerateNotAllowed.COOLDOWN_DURATION_PENDING:
            raise MfaError(_("A code was sent a moment ago. Wait a few seconds before asking for another."))
        raise MfaError(_("No code can be sent right now. Try again in a minute."))
    device.cooldown_set(commit=False)
    device.generate_token(valid_secs=settings.MFA_CODE_VALIDITY_SECONDS, commit=True)
    minutes = settings.MFA_CODE_VALIDITY_SECONDS // 60
    language = recipient_language(device.user, tenant)
    if isinstance(device, EmailDevice):
        send_branded_mail(
            tenant=tenant, to=device.email or device.user.email, template="mfa/email/code",
            context={"user": device.user, "code": device.token, "minutes": minutes}, language=language,
        )
    elif isinstance(device, SmsDevice):
        name = tenant.name if tenant is not None and not tenant.is_public else settings.PLATFORM_NAME
        with translation.override(language):
            message = _("%(code)s is your %(name)s sign-in code. It expires in %(minutes)s minutes. Never share it.") % {
                "code": device.token, "name": name, "minutes": minutes,
            }
        try:
            get_gateway().send(to=device.number, message=message)
        except SmsDeliveryError as exc:
            raise MfaError(_("The text message could not be sent. Try again later or choose another method.")) from exc
    else:
        raise MfaError(_("This method does not send codes."))


def check_code(*, device: Device, token: str) -> None:
    """Raise MfaError unless ``token`` is a valid, unused code of ``device``."""
    allowed, _details = device.verify_is_allowed()
    if not allowed:
        raise MfaError(_("Too many wrong codes. Wait a little, then try again."))
    token = re.sub(r"\s", "", token or "").lower()
    # Locked so two requests cannot spend the same code; the failure count must be
    # committed, so the error is raised outside the transaction.
    with transaction.atomic():
        locked = type(device).objects.select_for_update().get(pk=device.pk)
        accepted = locked.verify_token(token)
    if not accepted:
        raise MfaError(_("This code is not valid. Check it and try again; a code works only once."))


# --- The second sign-in step -------------------------------------------------------


def begin_second_step(request, *, user, next_url: str = "") -> None:
    """The password was right: remember who is signing in, without signing them in yet."""
    request.session.cycle_key()
    tenant = getattr(request, "tenant", None)
    request.session[PENDING_KEY] = {
        "user": user.pk,
        "backend": getattr(user, "backend", settings.AUTHENTICATION_BACKENDS[0]),
        "schema": tenant.schema_name if tenant is not None else None,
        "started": int(time.time()),
        "next": next_url,
        "failures": 0,
    }


def pending_sign_in(request):
    """The user half-way through signing in on this host, or None (expired, other host, none)."""
    from shared_apps.accounts.models import User

    pending = request.session.get(PENDING_KEY)
    if not pending:
        return None
    tenant = getattr(request, "tenant", None)
    current = tenant.schema_name if tenant is not None else None
    fresh = time.time() - pending.get("started", 0) <= settings.MFA_PENDING_MAX_AGE
    if pending.get("schema") != current or not fresh:
        request.session.pop(PENDING_KEY, None)
        return None
    return User.objects.filter(pk=pending["user"], is_active=True).first()


def pending_next_url(request) -> str:
    return (request.session.get(PENDING_KEY) or {}).get("next", "")


def record_failed_code(request) -> bool:
    """Count a wrong code in the pending sign-in; True when the sign-in must start over."""
    pending = request.session.get(PENDING_KEY)
    if not pending:
        return True
    pending["failures"] = pending.get("failures", 0) + 1
    if pending["failures"] >= settings.MFA_MAX_FAILED_CODES:
        request.session.pop(PENDING_KEY, None)
        return True
    request.session[PENDING_KEY] = pending
    return False


def complete_sign_in(request, *, user, device: Device) -> None:
    """Second factor accepted: sign in (new session id) and mark the session verified."""
    backend = request.session[PENDING_KEY]["backend"]
    request.session.pop(PENDING_KEY, None)
    login(request, user, backend=backend)
    django_otp.login(request, device)
    logger.info("signed in with a second factor", extra={"device": device.persistent_id})


def mark_session_verified(request, device: Device) -> None:
    """A signed-in session proves a second factor: verify it and give it a new id."""
    django_otp.login(request, device)
    request.session.cycle_key()
