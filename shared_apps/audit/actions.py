"""The actions the audit log knows, with their labels. Other modules add theirs with ``register``."""

from django.utils.translation import gettext_lazy as _

ACTIONS = {
    "session.signed_in": _("Signed in"),
    "session.signed_out": _("Signed out"),
    "session.sign_in_failed": _("Sign-in failed"),
    "membership.created": _("Member joined"),
    "membership.role_changed": _("Role changed"),
    "membership.removed": _("Member removed"),
    "invitation.created": _("Invitation sent"),
    "tenant.role_matrix_changed": _("Role permissions changed"),
    "tenant.configuration_changed": _("Settings changed"),
    "tenant.created": _("Programme created"),
    "tenant.status_changed": _("Programme suspended or resumed"),
    "tenant.deleted": _("Programme deleted"),
    "grant.created": _("Temporary access granted"),
    "grant.revoked": _("Temporary access revoked"),
    "rule.created": _("Activity rule created"),
    "rule.changed": _("Activity rule changed"),
    "rule.deleted": _("Activity rule deleted"),
    "award.granted": _("Badge awarded"),
    "award.withdrawn": _("Badge withdrawn"),
    "api.token_created": _("API token issued"),
    "api.token_deleted": _("API token withdrawn"),
    "audit.exported": _("Audit log exported"),
    "mfa.device_added": _("Two-factor method added"),
    "mfa.device_removed": _("Two-factor method removed"),
    "mfa.backup_codes_regenerated": _("Backup codes made again"),
    "session.revoked": _("Session signed out remotely"),
    "session.others_revoked": _("Signed out everywhere else"),
    "account.password_changed": _("Password changed"),
    "account.password_reset": _("Password reset"),
    "account.email_changed": _("E-mail address changed"),
    "account.locked": _("Account locked after failed sign-ins"),
    "account.unlocked": _("Account unlocked"),
    "consent.given": _("Cookie choice made"),
    "consent.changed": _("Cookie choice changed"),
    "privacy.export_requested": _("Copy of personal data requested"),
    "privacy.export_downloaded": _("Copy of personal data downloaded"),
    "privacy.erasure_performed": _("Account erased"),
}


def register(action: str, label) -> None:
    ACTIONS.setdefault(action, label)


def choices() -> list[tuple[str, str]]:
    return sorted(((key, str(label)) for key, label in ACTIONS.items()), key=lambda item: item[1])
