"""Privacy workflows: consent records, data exports, erasure, retention purges, settings."""

from __future__ import annotations

import csv
import io
import json
import logging
import uuid
import zipfile
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tenants.utils import schema_context

from platform_core.mail import recipient_language, send_branded_mail
from shared_apps.accounts.models import Invitation, Membership, User
from shared_apps.audit import services as audit
from shared_apps.privacy import registry
from shared_apps.privacy.consent import ConsentState
from shared_apps.privacy.models import Consent, DataExport, ErasureRecord
from shared_apps.privacy.policy import LEGAL_BASES, RETENTION_LIMITS, privacy_settings
from shared_apps.privacy.storage import private_storage
from tenants import catalog

logger = logging.getLogger(__name__)

EXPORT_SALT = "privacy.export-download"


class PrivacyError(Exception):
    """A privacy request was refused; the message is for the user."""


class WrongPassword(PrivacyError):
    """The password given to confirm an erasure is not the account's."""


# --- Consent ------------------------------------------------------------------------------

def record_consent(*, tenant, user, previous: ConsentState, analytics: bool) -> tuple[ConsentState, Consent]:
    """Record a cookie decision as proof and return the state to store in the visitor's cookie."""
    anonymous_id = previous.anonymous_id or uuid.uuid4()
    signed_in = user is not None and user.is_authenticated
    record = Consent.objects.create(
        tenant=tenant, user=user if signed_in else None, anonymous_id=anonymous_id,
        policy_version=settings.CONSENT_POLICY_VERSION, choices={"necessary": True, "analytics": analytics},
    )
    audit.record(
        action="consent.changed" if previous.decided else "consent.given", tenant=tenant,
        actor=user if signed_in else None, target=record, target_label=record.policy_version,
        before={"analytics": previous.analytics} if previous.decided else None,
        after={"analytics": analytics, "policy_version": record.policy_version},
    )
    return ConsentState(decided=True, analytics=analytics, anonymous_id=anonymous_id), record


# --- Right of access (export) ----------------------------------------------------------------

def request_data_export(*, tenant, user) -> DataExport:
    """Queue a copy of ``user``'s data in ``tenant``; at most one being prepared at a time."""
    from shared_apps.privacy.tasks import build_data_export

    pending = DataExport.objects.for_tenant(tenant).filter(user=user, status=DataExport.Status.PENDING,
                                                            created_at__gt=timezone.now() - timedelta(hours=1))
    if pending.exists():
        raise PrivacyError(_("A copy of your data is already being prepared: you will receive an e-mail shortly."))
    export = DataExport.objects.create(tenant=tenant, user=user)
    audit.record(action="privacy.export_requested", tenant=tenant, actor=user, target=export, target_label=user.email)
    build_data_export.delay(tenant.schema_name, str(export.pk))
    return export


def _csv(rows: list[dict]) -> str:
    buffer = io.StringIO()
    columns = list(dict.fromkeys(key for row in rows for key in row))
    writer = csv.DictWriter(buffer, fieldnames=columns)
    writer.writeheader()
    for row in rows:
        writer.writerow({k: json.dumps(v, ensure_ascii=False) if isinstance(v, dict | list) else v for k, v in row.items()})
    return buffer.getvalue()


def build_export_archive(*, tenant, user) -> bytes:
    """A ZIP with one JSON and one CSV file per registered section of the person's data."""
    buffer = io.BytesIO()
    with schema_context(tenant.schema_name), zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        index = {"programme": tenant.name, "exported_at": timezone.now().isoformat(), "sections": []}
        for name, section in registry.export_sections().items():
            rows = section(user=user, tenant=tenant)
            archive.writestr(f"{name}.json", json.dumps(rows, indent=2, ensure_ascii=False, default=str))
            archive.writestr(f"{name}.csv", _csv(rows))
            index["sections"].append(name)
        archive.writestr("README.json", json.dumps(index, indent=2, ensure_ascii=False))
    return buffer.getvalue()


def export_token(export: DataExport) -> str:
    return signing.dumps({"export": str(export.pk), "tenant": export.tenant_id}, salt=EXPORT_SALT)


def export_from_token(*, tenant, user, token: str) -> DataExport:
    """The signed-in person's export named by a download link; PrivacyError if expired or not theirs."""
    try:
        data = signing.loads(token, salt=EXPORT_SALT, max_age=settings.DATA_EXPORT_MAX_AGE)
    except signing.SignatureExpired as exc:
        raise PrivacyError(_("This download link has expired. Ask for a new copy of your data.")) from exc
    except signing.BadSignature as exc:
        raise PrivacyError(_("This download link is not valid. Copy the whole link from the e-mail.")) from exc
    export = None
    if data.get("tenant") == tenant.pk:
        export = DataExport.objects.for_tenant(tenant).filter(pk=data.get("export"), user=user).first()
    if export is None:
        raise DataExport.DoesNotExist
    if not export.is_downloadable:
        raise PrivacyError(_("This download link has expired. Ask for a new copy of your data."))
    return export


def record_export_download(*, export: DataExport) -> None:
    """The owner is about to receive their archive: that is in the audit log."""
    audit.record(action="privacy.export_downloaded", tenant=export.tenant, actor=export.user, target=export,
                 target_label=export.user.email)


def complete_data_export(export: DataExport) -> DataExport:
    """Build and store the archive, then e-mail the person a link that expires."""
    tenant, user = export.tenant, export.user
    try:
        content = build_export_archive(tenant=tenant, user=user)
    except Exception:
        logger.exception("data export failed", extra={"export": str(export.pk)})
        export.status = DataExport.Status.FAILED
        export.save(update_fields=["status"])
        raise
    storage = private_storage()
    name = storage.save(f"exports/{tenant.schema_name}/{export.pk}.zip", io.BytesIO(content))
    export.file_name = name
    export.status = DataExport.Status.READY
    export.ready_at = timezone.now()
    export.expires_at = export.ready_at + timedelta(seconds=settings.DATA_EXPORT_MAX_AGE)
    export.save(update_fields=["file_name", "status", "ready_at", "expires_at"])
    with schema_context(tenant.schema_name):
        link = tenant.url(reverse("privacy:export-download", args=[export_token(export)]))
    send_branded_mail(
        tenant=tenant, to=user.email, template="privacy/email/export_ready",
        context={"user": user, "link": link, "hours": settings.DATA_EXPORT_MAX_AGE // 3600},
        language=recipient_language(user, tenant),
    )
    return export


def _delete_export_files(exports) -> int:
    storage = private_storage()
    count = 0
    for export in exports:
        if export.file_name and storage.exists(export.file_name):
            storage.delete(export.file_name)
        count += 1
    return count


# --- Right to erasure ------------------------------------------------------------------------

ERASED_DOMAIN = "erased.invalid"


def _is_last_admin(tenant, user) -> bool:
    admins = Membership.objects.for_tenant(tenant).filter(role=catalog.TENANT_ADMIN)
    return admins.filter(user=user).exists() and admins.count() <= 1


def erase_account(*, tenant, user: User, actor: User, password: str | None = None) -> ErasureRecord:
    """Erase ``user``'s data in ``tenant`` and, when no other programme holds them, the account itself.

    The person erases themselves by giving their password; a tenant admin erases a member.
    Rows other people depend on are anonymised by the registered handlers, the rest is
    deleted; the account row left behind keeps no name, address or usable password.
    """
    from shared_apps.accounts.permissions import can

    is_self = actor.pk == user.pk
    if is_self:
        if not password or not user.check_password(password):
            raise WrongPassword(_("This password is not correct."))
    elif not can(actor, "members.manage", tenant=tenant):
        raise PrivacyError(_("You may not erase this account."))
    if not Membership.objects.for_tenant(tenant).filter(user=user).exists():
        raise PrivacyError(_("This person is not a member of this programme."))
    if _is_last_admin(tenant, user):
        raise PrivacyError(_("A programme needs at least one administrator: appoint another one first."))

    subject_id = user.pk
    with transaction.atomic():
        with schema_context(tenant.schema_name):
            for handler in registry.erasure_handlers():
                handler(user=user, tenant=tenant)
        exports = list(DataExport.objects.for_tenant(tenant).filter(user=user))
        _delete_export_files(exports)
        DataExport.objects.for_tenant(tenant).filter(user=user).delete()
        Consent.objects.for_tenant(tenant).filter(user=user).delete()
        Invitation.objects.for_tenant(tenant).filter(email__iexact=user.email).delete()
        Membership.objects.for_tenant(tenant).filter(user=user).delete()
        deactivated = False
        if not user.is_staff and not Membership.objects.across_tenants().filter(user=user).exists():
            _anonymise_user(user)
            deactivated = True
        record = ErasureRecord.objects.create(
            tenant=tenant, subject_id=subject_id, erased_by_id=actor.pk,
            initiator=ErasureRecord.Initiator.SELF if is_self else ErasureRecord.Initiator.ADMIN,
            account_deactivated=deactivated,
        )
        # No name or address of the erased person: only the ids the erasure record keeps.
        audit.record(action="privacy.erasure_performed", tenant=tenant, actor=actor,
                     target_type="accounts.user", target_id=subject_id, target_label=f"#{subject_id}",
                     after={"initiator": record.initiator, "account_deactivated": deactivated,
                            "erasure_record": record.pk})
    logger.info("account erased", extra={"subject": subject_id, "initiator": record.initiator,
                                         "account_deactivated": deactivated})
    return record


def _anonymise_user(user: User) -> None:
    user.email = f"erased-{user.pk}@{ERASED_DOMAIN}"
    user.full_name = ""
    user.preferred_language = ""
    user.is_active = False
    user.email_verified_at = None
    user.set_unusable_password()
    user.save()
    user.__dict__.pop("_roles_by_tenant", None)


# --- Retention ---------------------------------------------------------------------------------

def purge_tenant(tenant) -> dict[str, int]:
    """Apply ``tenant``'s retention rules now; return how many items each rule removed."""
    from tenant_apps.notifications.models import Notification

    policy = privacy_settings(tenant)
    now = timezone.now()
    counts = {}

    stale = Membership.objects.for_tenant(tenant).filter(
        user__email_verified_at__isnull=True, user__is_staff=False,
        user__date_joined__lt=now - timedelta(days=policy.unconfirmed_account_days),
    )
    user_ids = list(stale.values_list("user_id", flat=True))
    with transaction.atomic(), schema_context(tenant.schema_name):
        stale.delete()
        orphans = User.objects.filter(pk__in=user_ids, email_verified_at__isnull=True, memberships__isnull=True)
        counts["unconfirmed_accounts"] = len(user_ids)
        orphans.delete()
        counts["notifications"], _details = Notification.objects.filter(
            created_at__lt=now - timedelta(days=30 * policy.notification_months)
        ).delete()

    expired = DataExport.objects.for_tenant(tenant).filter(expires_at__lt=now)
    counts["exports"] = _delete_export_files(list(expired))
    expired.delete()
    failed = DataExport.objects.for_tenant(tenant).filter(status__in=[DataExport.Status.PENDING, DataExport.Status.FAILED],
                                                          created_at__lt=now - timedelta(days=1))
    counts["exports"] += failed.count()
    failed.delete()
    if any(counts.values()):
        logger.info("retention purge", extra={"counts": counts})
    return counts


# --- Settings ------------------------------------------------------------------------------------

def update_privacy_settings(tenant, *, controller: str, contact_email: str, dpo_contact: str,
                            unconfirmed_account_days: int, notification_months: int,
                            purposes: list[dict] | None, analytics_requires_consent: bool = True) -> None:
    """Save a tenant's privacy page and retention rules; ``purposes=None`` keeps the defaults."""
    errors = {}
    for key, value in (("unconfirmed_account_days", unconfirmed_account_days), ("notification_months", notification_months)):
        low, high = RETENTION_LIMITS[key]
        if not low <= value <= high:
            errors[key] = _("Enter a number between %(low)s and %(high)s.") % {"low": low, "high": high}
    for purpose in purposes or []:
        if purpose.get("legal_basis") not in LEGAL_BASES:
            errors["purposes"] = _("Choose one of the legal bases listed.")
    if errors:
        raise ValidationError(errors)
    tenant.privacy = {
        **(tenant.privacy or {}),
        "controller": controller.strip(), "contact_email": contact_email.strip(), "dpo_contact": dpo_contact.strip(),
        "unconfirmed_account_days": unconfirmed_account_days, "notification_months": notification_months,
        "purposes": purposes or [],
        "analytics_requires_consent": bool(analytics_requires_consent),
    }
    tenant.save(update_fields=["privacy", "updated_at"])

