"""What billing adds to the shared registries: audit actions and notification kinds."""

from django.utils.translation import gettext_lazy as _

from shared_apps.audit.actions import register as register_action
from tenant_apps.notifications.kinds import Delivery
from tenant_apps.notifications.kinds import register as register_kind

for action, label in {
    "billing.settings_changed": _("Billing settings changed"),
    "billing.plan_saved": _("Paid plan saved"),
    "billing.company_price_set": _("Negotiated price set"),
    "billing.company_price_removed": _("Negotiated price removed"),
    "billing.account_saved": _("Billing details saved"),
    "billing.subscribed": _("Subscribed to a paid plan"),
    "billing.checkout_started": _("Card payment started"),
    "billing.plan_changed": _("Paid plan changed"),
    "billing.cancellation_set": _("Subscription set to end"),
    "billing.cancellation_withdrawn": _("Subscription end withdrawn"),
    "billing.canceled": _("Subscription ended"),
    "billing.invoice_issued": _("Invoice issued"),
    "billing.invoice_paid": _("Bank transfer recorded"),
    "billing.invoice_voided": _("Invoice voided"),
    "billing.payment_overdue": _("Payment overdue"),
    "billing.features_suspended": _("Paid features suspended"),
    "billing.features_restored": _("Paid features restored"),
    "billing.event_rerun": _("Stripe event queued again"),
}.items():
    register_action(action, label)

register_kind("billing.invoice_issued", _("A new invoice for your company"), default=Delivery.INSTANT)
register_kind("billing.invoice_reminder", _("Reminders of an overdue invoice"), default=Delivery.INSTANT)
register_kind("billing.payment_overdue", _("A payment for your plan is overdue"), default=Delivery.INSTANT)
register_kind("billing.features_suspended", _("Your plan's paid features are suspended"), default=Delivery.INSTANT)
register_kind("billing.features_restored", _("Your plan is active again"), default=Delivery.INSTANT)
