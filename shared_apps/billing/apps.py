from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BillingConfig(AppConfig):
    name = "shared_apps.billing"
    label = "billing"
    verbose_name = _("Paid seller accounts")

    def ready(self):
        from shared_apps.billing import signals  # noqa: F401  (audit actions and notification kinds)
