def unread_notifications(request):
    """Unread count for the header bell, computed only when a template asks for it."""
    user = getattr(request, "user", None)
    tenant = getattr(request, "tenant", None)
    if user is None or tenant is None or tenant.is_public or not user.is_authenticated:
        return {}

    def count():
        from tenant_apps.notifications.models import Notification

        return Notification.objects.filter(recipient=user, read_at__isnull=True).count()

    from django.utils.functional import SimpleLazyObject

    return {"unread_notification_count": SimpleLazyObject(count)}
