from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_tenants.models import DomainMixin, TenantMixin

from tenants import catalog


def _default_languages():
    return ["fr", "en"]


def _default_modules():
    return list(catalog.MODULES)


def _default_branding():
    return dict(catalog.DEFAULT_BRANDING)


def _default_role_matrix():
    return {role: list(perms) for role, perms in catalog.DEFAULT_ROLE_MATRIX.items()}


def _default_kpis():
    return [dict(kpi) for kpi in catalog.DEFAULT_KPIS]


def _default_signup_roles():
    return [catalog.COMPANY_REP, catalog.EXPERT, catalog.GUEST]


def _default_mfa_roles():
    return [catalog.TENANT_ADMIN, catalog.MODERATOR]


class TenantQuerySet(models.QuerySet):
    def programmes(self):
        """Tenants that are programmes (active or suspended), not the public schema or spares."""
        return self.filter(status__in=[Tenant.Status.ACTIVE, Tenant.Status.SUSPENDED])

    def spares(self):
        return self.filter(status=Tenant.Status.SPARE)


class Tenant(TenantMixin):
    """A programme: its schema, configuration and branding.

    Rows also stand for the public schema, the migrated template and the spare schemas
    of the provisioning pool, so that ``migrate_schemas`` keeps all of them in step.
    """

    class Status(models.TextChoices):
        PUBLIC = "public", _("Platform")
        TEMPLATE = "template", _("Template schema")
        SPARE = "spare", _("Spare schema")
        ACTIVE = "active", _("Active")
        SUSPENDED = "suspended", _("Suspended")

    slug = models.SlugField(_("slug"), max_length=40, unique=True, null=True, blank=True)
    name = models.CharField(_("name"), max_length=120, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.SPARE, db_index=True)
    theme = models.CharField(_("theme"), max_length=40, default="francophonie")
    branding = models.JSONField(_("branding"), default=_default_branding)
    default_language = models.CharField(_("default language"), max_length=8, default="fr")
    languages = ArrayField(models.CharField(max_length=8), verbose_name=_("languages"), default=_default_languages)
    modules = ArrayField(models.CharField(max_length=40), verbose_name=_("modules"), default=_default_modules, blank=True)
    role_matrix = models.JSONField(_("role matrix"), default=_default_role_matrix)
    kpis = models.JSONField(_("KPI definitions"), default=_default_kpis, blank=True)
    signup_roles = ArrayField(
        models.CharField(max_length=20), verbose_name=_("roles open to self-registration"),
        default=_default_signup_roles, blank=True,
    )
    # Security and privacy policy, edited by the tenant's admins.
    mfa_required_roles = ArrayField(
        models.CharField(max_length=20), verbose_name=_("roles that must use two-factor authentication"),
        default=_default_mfa_roles, blank=True,
    )
    session_idle_minutes = models.PositiveIntegerField(
        _("sign out after this many minutes without activity"), default=30,
        validators=[MinValueValidator(5), MaxValueValidator(24 * 60)],
    )
    cors_allowed_origins = ArrayField(
        models.CharField(max_length=255), verbose_name=_("web origins allowed to call the API"), default=list, blank=True,
    )
    privacy = models.JSONField(_("privacy settings"), default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    suspended_at = models.DateTimeField(null=True, blank=True)

    # Schemas are created by tenants.services (spare pool, template clone, or migrate).
    auto_create_schema = False
    auto_drop_schema = False

    objects = TenantQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name or self.schema_name

    @property
    def is_public(self) -> bool:
        return self.schema_name == "public"

    @property
    def is_suspended(self) -> bool:
        return self.status == self.Status.SUSPENDED

    def has_module(self, module: str) -> bool:
        return module in self.modules

    def permissions_for(self, role: str) -> frozenset[str]:
        return frozenset(self.role_matrix.get(role, ()))

    @property
    def primary_domain(self) -> str | None:
        for domain in self.domains.all():
            if domain.is_primary:
                return domain.domain
        return None

    def url(self, path: str = "/") -> str:
        scheme = "https" if settings.IS_PRODUCTION else "http"
        port = getattr(settings, "DEV_SERVER_PORT", None)
        suffix = f":{port}" if port and not settings.IS_PRODUCTION else ""
        return f"{scheme}://{self.primary_domain}{suffix}{path}"


class Domain(DomainMixin):
    class Meta:
        ordering = ["-is_primary", "domain"]

    def __str__(self):
        return self.domain
