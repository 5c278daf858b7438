from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InquiriesConfig(AppConfig):
    name = "tenant_apps.inquiries"
    label = "inquiries"
    verbose_name = _("Inquiries and requests for quotation")

    def ready(self):
        from shared_apps.audit.actions import register as register_action
        from tenant_apps.inquiries import privacy  # noqa: F401  (registers its hooks)
        from tenant_apps.notifications.kinds import Delivery, register

        # B-NOTIF: a company hears of every contact, question, RFQ and order right away by default.
        register("inquiries.new_contact", _("A buyer contacted your company"), default=Delivery.INSTANT)
        register("inquiries.new_question", _("A buyer asked a question about a product"), default=Delivery.INSTANT)
        register("inquiries.new_rfq", _("A buyer asked your company for a quotation"), default=Delivery.INSTANT)
        register("inquiries.new_order", _("A buyer sent your company an order request"), default=Delivery.INSTANT)
        register("inquiries.new_message", _("New message in an inquiry"), default=Delivery.INSTANT)
        register("inquiries.quote_received", _("A company sent you a quotation"), default=Delivery.INSTANT)
        register("inquiries.status_changed", _("The status of an inquiry changed"), default=Delivery.INSTANT)
        register("inquiries.assigned", _("An inquiry was assigned to you"), default=Delivery.INSTANT)
        for action, label in (
            ("inquiries.routing_rule_added", _("Inquiry routing rule added")),
            ("inquiries.routing_rule_removed", _("Inquiry routing rule removed")),
            ("inquiries.reassigned", _("Inquiry reassigned")),
        ):
            register_action(action, label)
