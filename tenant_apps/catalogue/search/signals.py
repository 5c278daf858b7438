"""Forget remembered facet counts when what they count changes."""

from django.db import connection, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver
from django_tenants.utils import schema_context

from tenant_apps.catalogue.models import Certification, Product, ProductTranslation, Vertical
from tenant_apps.catalogue.search.selectors import search_changed
from tenant_apps.directory.models import Company


@receiver(post_save, sender=Product, dispatch_uid="catalogue.search.product_saved")
@receiver(post_delete, sender=Product, dispatch_uid="catalogue.search.product_deleted")
@receiver(post_save, sender=ProductTranslation, dispatch_uid="catalogue.search.translation_saved")
@receiver(post_delete, sender=ProductTranslation, dispatch_uid="catalogue.search.translation_deleted")
@receiver(post_save, sender=Vertical, dispatch_uid="catalogue.search.vertical_saved")
@receiver(post_delete, sender=Vertical, dispatch_uid="catalogue.search.vertical_deleted")
@receiver(post_save, sender=Certification, dispatch_uid="catalogue.search.certification_saved")
@receiver(post_delete, sender=Certification, dispatch_uid="catalogue.search.certification_deleted")
@receiver(post_save, sender=Company, dispatch_uid="catalogue.search.company_saved")  # visibility, name
@receiver(post_delete, sender=Company, dispatch_uid="catalogue.search.company_deleted")
def products_changed(sender, **kwargs):
    _forget()


def links_changed(sender, action, **kwargs):
    if action.startswith("post_"):
        _forget()


for link in (Product.verticals.through, Product.certifications.through):
    m2m_changed.connect(links_changed, sender=link, dispatch_uid=f"catalogue.search.{link._meta.label_lower}")


def _forget():
    # Now, and again at commit: a search running meanwhile still saw the old rows.
    search_changed()
    schema_name = connection.schema_name
    transaction.on_commit(lambda: _forget_in(schema_name))


def _forget_in(schema_name: str) -> None:
    with schema_context(schema_name):
        search_changed()
