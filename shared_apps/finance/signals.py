"""What finance adds to the shared registries: its audit actions."""

from django.utils.translation import gettext_lazy as _

from shared_apps.audit.actions import register

register("finance.role_granted", _("Finance staff role granted"))
register("finance.role_revoked", _("Finance staff role withdrawn"))
register("finance.reconciliation_requested", _("Reconciliation run requested"))
register("finance.mismatch_resolved", _("Reconciliation mismatch resolved"))
register("finance.mismatch_reopened", _("Reconciliation mismatch reopened"))
register("finance.exported", _("Finance data exported"))
register("finance.webhook_retried", _("Failed Stripe event queued again"))
