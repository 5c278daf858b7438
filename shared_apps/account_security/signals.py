from axes.signals import user_locked_out
from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from shared_apps.account_security import services


@receiver(user_locked_out, dispatch_uid="account_security.locked_out")
def mail_unlock_link(sender, request=None, username=None, **kwargs):
    if username:
        services.notify_account_locked(address=username, tenant=getattr(request, "tenant", None))


@receiver(user_logged_in, dispatch_uid="account_security.known_device")
def remember_device(sender, request=None, user=None, **kwargs):
    if request is None or user is None:
        return
    new_device = services.record_sign_in_device(
        user=user,
        device_id=services.device_id_from_cookie(request.COOKIES.get(settings.KNOWN_DEVICE_COOKIE_NAME)),
        user_agent=request.META.get("HTTP_USER_AGENT", ""),
        tenant=getattr(request, "tenant", None),
    )
    if new_device:
        # KnownDeviceCookieMiddleware hands it to the browser with the response.
        request.known_device_cookie = services.device_cookie_value(new_device)
