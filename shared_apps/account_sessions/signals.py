from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.dispatch import receiver

from shared_apps.account_sessions import services


@receiver(user_logged_in)
def record_new_session(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session") and getattr(request, "tenant", None) is not None:
        services.start_record(request, user)


@receiver(user_logged_out)
def forget_ended_session(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        services.forget_record(request)
