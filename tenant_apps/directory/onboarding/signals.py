"""Hooks of bulk onboarding into accounts, audit and privacy."""

from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _
from django_tenants.utils import schema_context

from shared_apps.accounts.models import Invitation
from shared_apps.accounts.signals import invitation_accepted
from shared_apps.audit.actions import register as register_action
from shared_apps.privacy.registry import erasure_handler, export_section

register_action("directory.import_confirmed", _("Companies imported"))
register_action("directory.exported", _("Directory exported"))


@receiver(invitation_accepted, sender=Invitation, dispatch_uid="directory.onboarding.link_representative")
def link_representative_on_acceptance(sender, invitation, user, **kwargs):
    from tenant_apps.directory.onboarding.services import link_invited_representative

    with schema_context(invitation.tenant.schema_name):
        link_invited_representative(invitation=invitation, user=user)


@export_section("pending_representations")
def pending_representations(*, user, tenant):
    from tenant_apps.directory.onboarding.models import PendingRepresentative

    return [{"company": pending.company.name, "full_name": pending.full_name, "job_title": pending.job_title,
             "invited_at": pending.created_at.isoformat()}
            for pending in PendingRepresentative.objects.filter(email__iexact=user.email, linked_at__isnull=True)
            .select_related("company")]


@erasure_handler
def forget_pending_representations(*, user, tenant):
    from tenant_apps.directory.onboarding.models import PendingRepresentative

    PendingRepresentative.objects.filter(email__iexact=user.email).delete()
