from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogueConfig(AppConfig):
    name = "tenant_apps.catalogue"
    label = "catalogue"
    verbose_name = _("Product catalogue and showroom")

    def ready(self):
        from shared_apps.audit.actions import register as register_action
        from tenant_apps.catalogue import privacy  # noqa: F401  (registers its hooks)
        from tenant_apps.catalogue.search import signals  # noqa: F401  (forgets remembered counts)

        for action, label in (
            ("product.created", _("Product created")),
            ("product.changed", _("Product changed")),
            ("product.published", _("Product published")),
            ("product.unpublished", _("Product taken offline")),
            ("product.deleted", _("Product deleted")),
            ("showroom.company_supported", _("Company added to the showroom")),
            ("showroom.company_unsupported", _("Company removed from the showroom")),
            ("showroom.page_changed", _("Showroom page changed")),
            ("showroom.block_added", _("Showroom block added")),
            ("showroom.block_changed", _("Showroom block changed")),
            ("showroom.block_deleted", _("Showroom block deleted")),
        ):
            register_action(action, label)
