from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shared_apps.accounts.models import TenantScopedQuerySet


class AuditLogIsAppendOnly(Exception):
    """Audit events are written once and never changed or deleted through the application."""


class AuditEventQuerySet(TenantScopedQuerySet):
    def for_tenant(self, tenant):
        # ``None`` scopes to platform events (operators' actions on the platform itself).
        if tenant is None:
            queryset = self.filter(tenant__isnull=True)
            queryset._is_scoped = True
            return queryset
        return super().for_tenant(tenant)

    def update(self, **kwargs):
        raise AuditLogIsAppendOnly("audit events cannot be changed")

    def delete(self):
        raise AuditLogIsAppendOnly("audit events cannot be deleted; old ones are purged by retention")

    def _raw_delete(self, using):
        raise AuditLogIsAppendOnly("audit events cannot be deleted; old ones are purged by retention")


class AuditEvent(models.Model):
    """One security-relevant fact: who did what to what, before and after, when and from where.

    Append-only: the ORM refuses updates and deletions, and a database trigger refuses
    them too, except for the retention purge (``services.purge_expired_events``).
    The tenant and actor are plain references without database constraints so that
    events outlive the tenant or the account they mention; labels keep them readable.
    """

    tenant = models.ForeignKey(
        "tenants.Tenant", null=True, blank=True, on_delete=models.DO_NOTHING, db_constraint=False,
        related_name="+", verbose_name=_("programme"),
    )
    tenant_label = models.CharField(_("programme"), max_length=120, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.DO_NOTHING, db_constraint=False,
        related_name="+", verbose_name=_("actor"),
    )
    actor_label = models.CharField(_("actor"), max_length=254, blank=True)
    actor_role = models.CharField(_("actor's role"), max_length=20, blank=True, db_index=True)
    action = models.CharField(_("action"), max_length=60)
    target_type = models.CharField(_("target type"), max_length=60, blank=True)
    target_id = models.CharField(_("target id"), max_length=64, blank=True)
    target_label = models.CharField(_("target"), max_length=254, blank=True)
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("user agent"), max_length=300, blank=True)
    request_id = models.CharField(_("request id"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("when"), default=timezone.now)

    objects = AuditEventQuerySet.as_manager()
    plain = models.Manager()  # noqa: DJ012

    class Meta:
        ordering = ["-created_at", "-id"]
        base_manager_name = "plain"
        indexes = [
            models.Index(fields=["tenant", "-created_at"], name="audit_tenant_time"),
            models.Index(fields=["tenant", "action", "-created_at"], name="audit_tenant_action"),
            models.Index(fields=["tenant", "actor", "-created_at"], name="audit_tenant_actor"),
        ]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_label or '-'} {self.action}"

    def save(self, *args, **kwargs):
        if self.pk is not None or not self._state.adding:
            raise AuditLogIsAppendOnly("audit events cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AuditLogIsAppendOnly("audit events cannot be deleted")

    @property
    def action_label(self) -> str:
        from shared_apps.audit.actions import ACTIONS

        return str(ACTIONS.get(self.action, self.action))
