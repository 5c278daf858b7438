from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "shared_apps.privacy"
    label = "privacy"
    verbose_name = _("Privacy")

    def ready(self):
        from shared_apps.privacy import builtin  # noqa: F401  (registers the built-in sections)
