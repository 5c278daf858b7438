from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccessConfig(AppConfig):
    name = "shared_apps.access"
    label = "access"
    verbose_name = _("Temporary access and badges")

    def ready(self):
        from shared_apps.access import measures  # noqa: F401  (registers the built-in measures)
