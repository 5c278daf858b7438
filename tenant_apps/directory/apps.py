from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectoryConfig(AppConfig):
    name = "tenant_apps.directory"
    label = "directory"
    verbose_name = _("Company and expert profiles")

    def ready(self):
        from shared_apps.audit.actions import register as register_action
        from tenant_apps.directory import privacy, signals  # noqa: F401
        from tenant_apps.directory.onboarding import signals as onboarding_signals  # noqa: F401
        from tenant_apps.directory.search import signals as search_signals  # noqa: F401
        from tenant_apps.notifications.kinds import register as register_kind

        register_kind("directory.representative_added", _("You were added as a representative of a company"))
        register_kind("directory.ownership_received", _("You became the owner of a company profile"))
        for action, label in (
            ("company.created", _("Company profile created")),
            ("company.changed", _("Company profile changed")),
            ("company.representative_added", _("Company representative added")),
            ("company.representative_removed", _("Company representative removed")),
            ("company.ownership_transferred", _("Company profile ownership handed over")),
            ("company.moderated", _("Company profile moderated")),
            ("expert.created", _("Expert profile created")),
        ):
            register_action(action, label)
