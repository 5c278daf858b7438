from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from shared_apps.accounts.middleware import bind_session_to_tenant


@receiver(user_logged_in)
def bind_new_session(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        bind_session_to_tenant(request)
