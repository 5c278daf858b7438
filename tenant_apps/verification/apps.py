from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VerificationConfig(AppConfig):
    name = "tenant_apps.verification"
    label = "verification"
    verbose_name = _("Verified registration")

    def ready(self):
        from shared_apps.audit import actions
        from tenant_apps.notifications.kinds import Delivery, register
        from tenant_apps.verification import privacy  # noqa: F401  (registers its hooks)

        register("verification.to_review", _("A company asked to be verified"), default=Delivery.DIGEST)
        register("verification.status_changed", _("Your company's verification moved on"), default=Delivery.INSTANT)
        register("verification.expiring", _("Your company's verification expires soon"), default=Delivery.INSTANT)
        for action, label in {
            "verification.document_uploaded": _("Verification document uploaded"),
            "verification.document_downloaded": _("Verification document opened"),
            "verification.submitted": _("Verification requested"),
            "verification.review_started": _("Verification review started"),
            "verification.more_information": _("More information asked for a verification"),
            "verification.approved": _("Company verified"),
            "verification.rejected": _("Verification refused"),
            "verification.appealed": _("Verification refusal appealed"),
            "verification.expired": _("Verification expired"),
            "verification.settings_changed": _("Verification settings changed"),
        }.items():
            actions.register(action, label)
