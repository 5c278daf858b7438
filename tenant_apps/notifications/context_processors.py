from django.utils.functional import SimpleLazyObject


def unread_notifications(request):
    """Unread count for the header bell, computed only when a template asks for it."""
    user = getattr(request, "user", None)
    tenant = getattr(request, "tenant", None)
    if user is None or tenant is None or tenant.is_public or not user.is_authenticated:
        return {}

    def count():
        from tenant_apps.notifications import selectors

        return selectors.unread_count(user)

    return {"unread_notification_count": SimpleLazyObject(count)}
