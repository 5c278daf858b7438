"""Forget remembered facet counts when what they count changes."""

from django.db import connection, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver
from django_tenants.utils import schema_context

from tenant_apps.directory.models import Company, ExpertProfile, Sector, Tag
from tenant_apps.directory.search.selectors import search_changed

LINKS = (Company.tags.through, ExpertProfile.expertise.through, ExpertProfile.sectors.through)


@receiver(post_save, sender=Company, dispatch_uid="directory.search.company_saved")
@receiver(post_delete, sender=Company, dispatch_uid="directory.search.company_deleted")
@receiver(post_save, sender=ExpertProfile, dispatch_uid="directory.search.expert_saved")
@receiver(post_delete, sender=ExpertProfile, dispatch_uid="directory.search.expert_deleted")
@receiver(post_save, sender=Tag, dispatch_uid="directory.search.tag_saved")
@receiver(post_delete, sender=Tag, dispatch_uid="directory.search.tag_deleted")
@receiver(post_save, sender=Sector, dispatch_uid="directory.search.sector_saved")
@receiver(post_delete, sender=Sector, dispatch_uid="directory.search.sector_deleted")
def profiles_changed(sender, **kwargs):
    _forget()


def links_changed(sender, action, **kwargs):
    if action.startswith("post_"):
        _forget()


for link in LINKS:
    m2m_changed.connect(links_changed, sender=link, dispatch_uid=f"directory.search.{link._meta.label_lower}")


def _forget():
    # Now, and again at commit: a search running meanwhile still saw the old rows.
    search_changed()
    schema_name = connection.schema_name
    transaction.on_commit(lambda: _forget_in(schema_name))


def _forget_in(schema_name: str) -> None:
    with schema_context(schema_name):
        search_changed()
