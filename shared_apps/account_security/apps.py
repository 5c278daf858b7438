from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountSecurityConfig(AppConfig):
    name = "shared_apps.account_security"
    label = "account_security"
    verbose_name = _("Account security")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from shared_apps.account_security import signals  # noqa: F401
