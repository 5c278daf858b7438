from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountSessionsConfig(AppConfig):
    name = "shared_apps.account_sessions"
    label = "account_sessions"
    verbose_name = _("Signed-in sessions")

    def ready(self):
        from shared_apps.account_sessions import signals  # noqa: F401
