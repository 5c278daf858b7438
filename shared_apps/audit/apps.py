from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "shared_apps.audit"
    label = "audit"
    verbose_name = _("Audit log")

    def ready(self):
        from shared_apps.audit import signals  # noqa: F401
