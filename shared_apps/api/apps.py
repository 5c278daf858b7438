from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "shared_apps.api"
    label = "api"
    verbose_name = _("API")

    def ready(self):
        from shared_apps.api import cors  # noqa: F401  (connects the per-tenant origin check)
