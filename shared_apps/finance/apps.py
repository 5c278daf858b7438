from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FinanceConfig(AppConfig):
    name = "shared_apps.finance"
    label = "finance"
    verbose_name = _("Finance and reconciliation")

    def ready(self):
        from shared_apps.finance import signals  # noqa: F401  (audit actions)
