from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectoryConfig(AppConfig):
    name = "tenant_apps.directory"
    label = "directory"
    verbose_name = _("Company and expert profiles")

    def ready(self):
        from tenant_apps.directory.onboarding import signals  # noqa: F401
