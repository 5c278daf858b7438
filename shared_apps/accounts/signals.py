from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import pre_delete
from django.dispatch import Signal, receiver

from shared_apps.accounts.middleware import bind_session_to_tenant
from shared_apps.accounts.tenant_data import purge_user_from_tenants

# Sent inside the accepting transaction with invitation=, user=, membership=; modules that
# invited someone for a purpose (a company to represent) complete it here.
invitation_accepted = Signal()


@receiver(user_logged_in)
def bind_new_session(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        bind_session_to_tenant(request)


@receiver(pre_delete, sender=settings.AUTH_USER_MODEL)
def purge_tenant_rows_of_deleted_user(sender, instance, **kwargs):
    purge_user_from_tenants(instance)
