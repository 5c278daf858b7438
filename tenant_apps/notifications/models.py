from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tenant_apps.notifications.kinds import Delivery


class Notification(models.Model):
    """Something a module tells one member of this tenant; read in the notification centre."""

    # DO_NOTHING: see shared_apps.accounts.tenant_data, which removes these rows first.
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.DO_NOTHING, related_name="+")
    kind = models.CharField(_("kind"), max_length=60)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("message"), blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["recipient", "read_at"]),
            models.Index(fields=["recipient", "-created_at"], name="notification_inbox"),
            # The digest only ever looks at notifications nobody has read or been e-mailed.
            models.Index(
                fields=["created_at"],
                condition=models.Q(emailed_at__isnull=True, read_at__isnull=True),
                name="notification_pending_email",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class NotificationPreference(models.Model):
    """How one person wants to be e-mailed about one kind; no row means the kind's default."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.DO_NOTHING, related_name="+")
    kind = models.CharField(_("kind"), max_length=60)
    delivery = models.CharField(_("e-mail delivery"), max_length=10, choices=Delivery.choices)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind"], name="one_notification_preference_per_kind"
            ),
            models.CheckConstraint(
                condition=models.Q(delivery__in=Delivery.values),
                name="notification_preference_delivery_valid",
            ),
        ]

    def __str__(self):
        return f"{self.user_id} · {self.kind}: {self.delivery}"
