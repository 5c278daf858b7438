"""Sign-ins and sign-outs are security events: record them in the tenant's audit log."""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db import connection
from django.dispatch import receiver

from shared_apps.audit.services import record


def _tenant(request):
    tenant = getattr(request, "tenant", None) if request is not None else None
    return tenant if tenant is not None else getattr(connection, "tenant", None)


@receiver(user_logged_in, dispatch_uid="audit-signed-in")
def record_sign_in(sender, request, user, **kwargs):
    record(action="session.signed_in", tenant=_tenant(request), actor=user, target=user)


@receiver(user_logged_out, dispatch_uid="audit-signed-out")
def record_sign_out(sender, request, user, **kwargs):
    if user is not None:
        record(action="session.signed_out", tenant=_tenant(request), actor=user, target=user)


@receiver(user_login_failed, dispatch_uid="audit-sign-in-failed")
def record_failed_sign_in(sender, credentials, request=None, **kwargs):
    # The address typed is kept (truncated), never the password: it shows attacks on one account.
    username = str(credentials.get("username") or credentials.get("email") or "")[:254]
    record(action="session.sign_in_failed", tenant=_tenant(request), target_type="accounts.user",
           target_label=username)
