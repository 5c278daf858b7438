from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PromotionConfig(AppConfig):
    name = "tenant_apps.promotion"
    label = "promotion"
    verbose_name = _("Promotion")

    def ready(self):
        from shared_apps.audit import actions
        from tenant_apps.notifications.kinds import Delivery, register
        from tenant_apps.promotion import privacy  # noqa: F401  (registers its hooks)

        register("promotion.for_managers", _("A company asked for a promotion quote or answered one"),
                 default=Delivery.INSTANT)
        register("promotion.for_company", _("Your company's promotion request moved on"), default=Delivery.INSTANT)
        for action, label in {
            "promotion.featured_added": _("Featured item scheduled"),
            "promotion.featured_removed": _("Featured item removed"),
            "promotion.banner_saved": _("Banner saved"),
            "promotion.banner_removed": _("Banner removed"),
            "promotion.keyword_added": _("Sponsored keyword added"),
            "promotion.keyword_removed": _("Sponsored keyword removed"),
            "promotion.campaign_saved": _("E-mail campaign saved"),
            "promotion.campaign_scheduled": _("E-mail campaign scheduled"),
            "promotion.campaign_unscheduled": _("E-mail campaign schedule cancelled"),
            "promotion.campaign_started": _("E-mail campaign sending started"),
            "promotion.campaign_deleted": _("E-mail campaign deleted"),
            "promotion.unsubscribed": _("Buyer unsubscribed from the programme's news"),
            "promotion.request_submitted": _("Promotion quote requested"),
            "promotion.request_quoted": _("Promotion quote sent"),
            "promotion.request_accepted": _("Promotion quote accepted"),
            "promotion.request_declined": _("Promotion quote declined"),
            "promotion.request_withdrawn": _("Promotion request withdrawn"),
            "promotion.request_refused": _("Promotion request turned down"),
        }.items():
            actions.register(action, label)
