"""A tenant's privacy settings (``Tenant.privacy``) with the platform's defaults filled in."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

LEGAL_BASES = {
    "consent": _("Consent (GDPR art. 6.1.a)"),
    "contract": _("Performance of a contract (art. 6.1.b)"),
    "legal_obligation": _("Legal obligation (art. 6.1.c)"),
    "public_task": _("Public interest task (art. 6.1.e)"),
    "legitimate_interests": _("Legitimate interests (art. 6.1.f)"),
}

RETENTION_DEFAULTS = {
    "unconfirmed_account_days": 30,
    "notification_months": 12,
}
RETENTION_LIMITS = {"unconfirmed_account_days": (1, 365), "notification_months": (1, 120)}


def default_purposes() -> list[dict]:
    return [
        {"purpose": str(_("Running your account and your membership of the programme")), "legal_basis": "contract",
         "retention": str(_("As long as you are a member; unconfirmed sign-ups are deleted automatically."))},
        {"purpose": str(_("Sending you notifications and e-mails about the programme")), "legal_basis": "contract",
         "retention": str(_("Notifications are deleted automatically after the period below."))},
        {"purpose": str(_("Keeping the platform secure (sign-in and error logs)")), "legal_basis": "legitimate_interests",
         "retention": str(_("12 months at most."))},
        {"purpose": str(_("Recording your cookie choices")), "legal_basis": "legal_obligation",
         "retention": str(_("Your choice is asked again after 13 months."))},
        {"purpose": str(_("Measuring the audience of the site, only if you accept it")), "legal_basis": "consent",
         "retention": str(_("13 months at most."))},
    ]


@dataclass(frozen=True)
class PrivacySettings:
    controller: str
    contact_email: str
    dpo_contact: str
    unconfirmed_account_days: int
    notification_months: int
    purposes: list[dict] = field(default_factory=list)
    purposes_customised: bool = False
    # Activity analytics keep a daily visitor hash only for visitors who accepted audience
    # measurement; the others are counted without it. A programme may lift this when its
    # measurement meets the CNIL's conditions for exemption from consent.
    analytics_requires_consent: bool = True

    def legal_basis_label(self, key: str) -> str:
        return str(LEGAL_BASES.get(key, key))


def privacy_settings(tenant) -> PrivacySettings:
    """The settings a tenant saved, defaults for anything it did not (defaults are translated)."""
    stored = dict(getattr(tenant, "privacy", None) or {})
    retention = {}
    for key, default in RETENTION_DEFAULTS.items():
        low, high = RETENTION_LIMITS[key]
        try:
            value = int(stored.get(key, default))
        except (TypeError, ValueError):
            value = default
        retention[key] = min(max(value, low), high)
    purposes = stored.get("purposes") or []
    return PrivacySettings(
        controller=stored.get("controller") or (tenant.name if tenant is not None else ""),
        contact_email=stored.get("contact_email", ""),
        dpo_contact=stored.get("dpo_contact", ""),
        purposes=purposes or default_purposes(),
        purposes_customised=bool(purposes),
        analytics_requires_consent=bool(stored.get("analytics_requires_consent", True)),
        **retention,
    )
