from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AnalyticsConfig(AppConfig):
    name = "tenant_apps.analytics"
    label = "analytics"
    verbose_name = _("Activity analytics")

    def ready(self):
        from tenant_apps.analytics import privacy  # noqa: F401  (registers the export section and erasure)
