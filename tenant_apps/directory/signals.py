"""An accepted invitation from a company's owner makes the new member its representative."""

from django.db.models.signals import post_save
from django.dispatch import receiver
from django_tenants.utils import schema_context

from shared_apps.accounts.models import Membership
from tenants import catalog


@receiver(post_save, sender=Membership, dispatch_uid="directory.join_invited_company")
def join_invited_company(sender, instance, created, **kwargs):
    if not created or instance.role != catalog.COMPANY_REP or instance.invited_by_id is None:
        return
    from tenant_apps.directory import services

    with schema_context(instance.tenant.schema_name):
        services.join_invited_company(user=instance.user, email=instance.user.email)
