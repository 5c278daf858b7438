from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shared_apps.accounts.models import TenantScopedQuerySet
from tenants.catalog import ROLE_CHOICES


class GrantQuerySet(TenantScopedQuerySet):
    def active(self, at=None):
        at = at or timezone.now()
        return self.filter(starts_at__lte=at, ends_at__gt=at, revoked_at__isnull=True)


class Grant(models.Model):
    """Extra permissions for one member of one tenant, for a period (e.g. a trade mission).

    A grant gives either a list of permissions or everything a role has in the tenant's
    matrix, on top of the member's own role. It counts only between ``starts_at`` and
    ``ends_at`` and until revoked: nothing has to run for it to expire.
    """

    tenant = models.ForeignKey("tenants.Tenant", on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="access_grants",
                             verbose_name=_("member"))
    role = models.CharField(_("role"), max_length=20, choices=ROLE_CHOICES, blank=True)
    permissions = ArrayField(models.CharField(max_length=60), verbose_name=_("permissions"), default=list, blank=True)
    starts_at = models.DateTimeField(_("from"))
    ends_at = models.DateTimeField(_("until"))
    reason = models.CharField(_("reason"), max_length=300)
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    expiry_notified_at = models.DateTimeField(null=True, blank=True)

    objects = GrantQuerySet.as_manager()
    plain = models.Manager()  # noqa: DJ012

    class Meta:
        ordering = ["-starts_at"]
        base_manager_name = "plain"
        indexes = [models.Index(fields=["tenant", "user", "ends_at"], name="grant_tenant_user_end")]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="grant_ends_after_start"),
            models.CheckConstraint(condition=~Q(role="") | ~Q(permissions=[]), name="grant_gives_something"),
        ]

    def __str__(self):
        return f"{self.user} · {self.role or ', '.join(self.permissions)} · {self.starts_at:%Y-%m-%d}→{self.ends_at:%Y-%m-%d}"

    @property
    def is_active(self) -> bool:
        now = timezone.now()
        return self.revoked_at is None and self.starts_at <= now < self.ends_at

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None


class ActivityRule(models.Model):
    """“Members with role X whose measure M reaches N get badge B and permissions P.”"""

    tenant = models.ForeignKey("tenants.Tenant", on_delete=models.CASCADE, related_name="+")
    badge = models.CharField(_("badge"), max_length=60)
    role = models.CharField(_("for members with the role"), max_length=20, choices=ROLE_CHOICES, blank=True,
                            help_text=_("Leave empty for every role."))
    measure = models.CharField(_("measure"), max_length=40)
    threshold = models.PositiveIntegerField(_("at least"))
    permissions = ArrayField(models.CharField(max_length=60), verbose_name=_("extra permissions"), default=list,
                             blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    evaluated_at = models.DateTimeField(null=True, blank=True)

    objects = TenantScopedQuerySet.as_manager()
    plain = models.Manager()  # noqa: DJ012

    class Meta:
        ordering = ["badge"]
        base_manager_name = "plain"
        constraints = [models.UniqueConstraint(fields=["tenant", "badge"], name="one_rule_per_badge")]

    def __str__(self):
        return self.badge

    @property
    def measure_label(self) -> str:
        from shared_apps.access.measures import MEASURES

        measure = MEASURES.get(self.measure)
        return str(measure.label) if measure else self.measure


class Award(models.Model):
    """A badge a member earned by a rule; its permissions count while the rule is active."""

    tenant = models.ForeignKey("tenants.Tenant", on_delete=models.CASCADE, related_name="+")
    rule = models.ForeignKey(ActivityRule, on_delete=models.CASCADE, related_name="awards")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="badge_awards")
    awarded_at = models.DateTimeField(default=timezone.now)

    objects = TenantScopedQuerySet.as_manager()
    plain = models.Manager()  # noqa: DJ012

    class Meta:
        ordering = ["rule__badge"]
        base_manager_name = "plain"
        constraints = [models.UniqueConstraint(fields=["rule", "user"], name="one_award_per_rule")]
        indexes = [models.Index(fields=["tenant", "user"], name="award_tenant_user")]

    def __str__(self):
        return f"{self.user} · {self.rule.badge}"
