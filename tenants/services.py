"""Provisioning: create, suspend, resume, export and delete tenants.

A new tenant never replays migrations. It takes over a spare schema from a small pool
(an ``ALTER SCHEMA … RENAME``, a few milliseconds) that a background task refills by
cloning a migrated template schema. Template and spares are ``Tenant`` rows, so
``migrate_schemas`` migrates them with every other tenant and they never fall behind.
"""

from __future__ import annotations

import io
import json
import logging
import secrets
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tenants.clone import CloneSchema
from django_tenants.utils import schema_context, schema_exists

from tenants import catalog, validation
from tenants.models import Domain, Tenant

logger = logging.getLogger(__name__)

TEMPLATE_SCHEMA = validation.TEMPLATE_SCHEMA
# pool: take a spare (clone the template when the pool is empty); clone: always clone the
# template; migrate: replay every migration, the slow baseline the benchmark measures.
PROVISIONING_METHODS = ("pool", "clone", "migrate")


class ProvisioningError(Exception):
    """A tenant could not be created, changed or deleted; the message says why."""


@dataclass(frozen=True)
class TenantSpec:
    slug: str
    name: str
    domains: list[str]
    theme: str = "francophonie"
    default_language: str = "fr"
    languages: tuple[str, ...] = ("fr", "en")
    modules: tuple[str, ...] = tuple(catalog.MODULES)


def clean_spec(spec: TenantSpec) -> TenantSpec:
    """Validate a tenant specification; raise ValidationError with every problem found."""
    errors: dict[str, list] = {}

    def check(field, func, *args, **kwargs):
        try:
            return func(*args, **kwargs)
        except ValidationError as exc:
            errors.setdefault(field, []).extend(exc.messages)
            return None

    slug = check("slug", validation.validate_slug, spec.slug)
    if slug and Tenant.objects.filter(slug=slug).exists():
        errors.setdefault("slug", []).append(_("A tenant with this slug already exists."))
    name = spec.name.strip()
    if not name:
        errors.setdefault("name", []).append(_("Give the programme a name."))
    hosts = [check("domains", validation.validate_hostname, d) for d in spec.domains if d.strip()]
    hosts = [h for h in hosts if h]
    if slug and not hosts and "domains" not in errors:
        hosts = [f"{slug}.{settings.PLATFORM_DOMAIN}"]
    taken = list(Domain.objects.filter(domain__in=hosts).values_list("domain", flat=True))
    if taken:
        errors.setdefault("domains", []).append(_("Already in use: %(hosts)s.") % {"hosts": ", ".join(taken)})
    check("theme", validation.validate_theme, spec.theme)
    check("languages", validation.validate_languages, default_language=spec.default_language, languages=list(spec.languages))
    check("modules", validation.validate_modules, list(spec.modules))
    if errors:
        raise ValidationError(errors)
    return TenantSpec(
        slug=slug, name=name, domains=list(dict.fromkeys(hosts)), theme=spec.theme,
        default_language=spec.default_language, languages=tuple(spec.languages), modules=tuple(spec.modules),
    )


def _rename_schema(old: str, new: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f'ALTER SCHEMA "{old}" RENAME TO "{new}"')


def _migrate_schema(schema_name: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE SCHEMA IF NOT EXISTS "{schema_name}"')
    call_command("migrate_schemas", tenant=True, schema_name=schema_name, interactive=False, verbosity=0)
    connection.set_schema_to_public()


def _clone_schema(source: str, target: str) -> None:
    # DATA mode copies django_migrations too, so the clone knows it is fully migrated.
    CloneSchema().clone_schema(source, target, "DATA")
    connection.set_schema_to_public()


def ensure_template() -> Tenant:
    """The migrated template schema every spare is cloned from (created by migrating)."""
    template = Tenant.objects.filter(status=Tenant.Status.TEMPLATE).first()
    if template is None:
        template = Tenant.objects.create(schema_name=TEMPLATE_SCHEMA, status=Tenant.Status.TEMPLATE, name="template")
    if not schema_exists(template.schema_name):
        _migrate_schema(template.schema_name)
    return template


def create_spare() -> Tenant:
    template = ensure_template()
    schema_name = f"spare_{secrets.token_hex(6)}"
    _clone_schema(template.schema_name, schema_name)
    return Tenant.objects.create(schema_name=schema_name, status=Tenant.Status.SPARE)


def refill_spare_pool(size: int | None = None) -> int:
    """Top the pool up to ``size`` spares; returns how many were created."""
    size = settings.TENANT_SPARE_POOL_SIZE if size is None else size
    created = 0
    while Tenant.objects.spares().count() < size:
        create_spare()
        created += 1
    return created


def shrink_spare_pool(size: int) -> int:
    """Drop the newest spares until ``size`` are left; returns how many were dropped."""
    spares = Tenant.objects.spares().order_by("-created_at")
    surplus = list(spares[: max(spares.count() - size, 0)])
    for spare in surplus:
        with transaction.atomic():
            spare.delete(force_drop=True)
    return len(surplus)


def _take_spare() -> Tenant | None:
    return Tenant.objects.spares().select_for_update(skip_locked=True).order_by("created_at").first()


def provision_tenant(spec: TenantSpec, *, method: str = "pool", refill: bool = True) -> Tenant:
    """Create a tenant from a validated spec.

    ``method`` is ``pool`` (take a spare, else clone the template), ``clone`` (clone the
    template) or ``migrate`` (replay every migration: the slow baseline the benchmark
    compares against). With ``refill``, a task tops the pool up after a take-over.
    """
    if method not in PROVISIONING_METHODS:
        raise ValueError(f"Unknown method {method!r}; use one of {PROVISIONING_METHODS}.")
    spec = clean_spec(spec)
    schema_name = validation.schema_name_for(spec.slug)
    if schema_exists(schema_name):
        raise ProvisioningError(_("A database schema named “%(schema)s” already exists.") % {"schema": schema_name})
    fields = {
        "slug": spec.slug, "name": spec.name, "status": Tenant.Status.ACTIVE, "theme": spec.theme,
        "default_language": spec.default_language, "languages": list(spec.languages), "modules": list(spec.modules),
    }
    with transaction.atomic():
        spare = _take_spare() if method == "pool" else None
        if spare is not None:
            _rename_schema(spare.schema_name, schema_name)
            tenant = spare
            for key, value in fields.items():
                setattr(tenant, key, value)
            tenant.schema_name = schema_name
            tenant.created_at = timezone.now()
            tenant.save()
        else:
            tenant = Tenant.objects.create(schema_name=schema_name, **fields)
            if method == "migrate":
                _migrate_schema(schema_name)
            else:
                _clone_schema(ensure_template().schema_name, schema_name)
        for index, host in enumerate(spec.domains):
            Domain.objects.create(tenant=tenant, domain=host, is_primary=index == 0)
    if method == "pool" and refill:
        from tenants.tasks import refill_spare_pool_task

        # The tenant exists once committed: a broker that is down must not turn that into an
        # error for the operator; the periodic refill on beat catches up.
        transaction.on_commit(refill_spare_pool_task.delay, robust=True)
    _audit_platform("tenant.created", tenant, after={"slug": tenant.slug, "method": method})
    logger.info("tenant provisioned", extra={"tenant": tenant.schema_name, "method": method})
    return tenant


def set_status(tenant: Tenant, *, suspended: bool) -> Tenant:
    if tenant.status not in (Tenant.Status.ACTIVE, Tenant.Status.SUSPENDED):
        raise ProvisioningError(_("Only programmes can be suspended or resumed."))
    tenant.status = Tenant.Status.SUSPENDED if suspended else Tenant.Status.ACTIVE
    tenant.suspended_at = timezone.now() if suspended else None
    tenant.save(update_fields=["status", "suspended_at", "updated_at"])
    _audit_platform("tenant.status_changed", tenant, after={"status": tenant.status})
    return tenant


def export_tenant(tenant: Tenant, directory: Path | None = None) -> Path:
    """Write the tenant's configuration, memberships and schema data to a ZIP of JSON files."""
    from shared_apps.accounts.models import Membership

    directory = Path(directory or settings.TENANT_EXPORT_DIR)
    directory.mkdir(parents=True, exist_ok=True)
    stamp = timezone.now().strftime("%Y%m%dT%H%M%S")
    path = directory / f"{tenant.slug or tenant.schema_name}-{stamp}.zip"
    config = {
        "slug": tenant.slug, "name": tenant.name, "schema_name": tenant.schema_name, "theme": tenant.theme,
        "branding": tenant.branding, "default_language": tenant.default_language, "languages": tenant.languages,
        "modules": tenant.modules, "role_matrix": tenant.role_matrix, "kpis": tenant.kpis,
        "domains": [d.domain for d in tenant.domains.all()], "exported_at": timezone.now().isoformat(),
    }
    memberships = [
        {"email": m.user.email, "full_name": m.user.full_name, "role": m.role, "joined_at": m.created_at.isoformat()}
        for m in Membership.objects.for_tenant(tenant).select_related("user")
    ]
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("tenant.json", json.dumps(config, indent=2, ensure_ascii=False))
        archive.writestr("memberships.json", json.dumps(memberships, indent=2, ensure_ascii=False))
        with schema_context(tenant.schema_name):
            for app_label in settings.TENANT_APPS:
                app_config = apps.get_app_config(app_label.rsplit(".", 1)[-1])
                for model in app_config.get_models():
                    buffer = io.StringIO()
                    serializers.serialize("json", model._default_manager.all().order_by("pk"), stream=buffer, indent=2)
                    archive.writestr(f"data/{model._meta.label_lower}.json", buffer.getvalue())
    return path


def delete_tenant(tenant: Tenant, *, confirm_slug: str, export: bool = True) -> Path | None:
    """Export, then drop the schema and every row of the tenant. Returns the export's path.

    ``export=False`` skips the export, for throwaway tenants such as the benchmark's.
    """
    if confirm_slug != tenant.slug:
        raise ProvisioningError(_("Type the tenant's slug exactly to confirm its deletion."))
    if tenant.status not in (Tenant.Status.ACTIVE, Tenant.Status.SUSPENDED):
        raise ProvisioningError(_("Only programmes can be deleted."))
    export_path = export_tenant(tenant) if export else None
    with transaction.atomic():
        _audit_platform("tenant.deleted", tenant, before={"slug": tenant.slug, "export": str(export_path or "")})
        tenant.delete(force_drop=True)
    logger.info("tenant deleted", extra={"tenant": tenant.schema_name, "export": str(export_path)})
    return export_path


def timed_provision(spec: TenantSpec, *, method: str, refill: bool = True) -> tuple[Tenant, float]:
    started = time.perf_counter()
    tenant = provision_tenant(spec, method=method, refill=refill)
    return tenant, time.perf_counter() - started


def store_logo(tenant: Tenant, upload) -> str:
    """Save an uploaded (already validated) logo and return its public URL."""
    import hashlib

    from django.core.files.storage import default_storage

    content = upload.read()
    digest = hashlib.sha256(content).hexdigest()[:16]
    name = default_storage.save(f"branding/{tenant.schema_name}/logo-{digest}.{upload.extension}", io.BytesIO(content))
    return default_storage.url(name)


def update_configuration(tenant: Tenant, **changes) -> Tenant:
    """Apply validated configuration changes (branding, languages, modules, roles, KPIs, security)."""
    if "branding" in changes:
        branding = {**catalog.DEFAULT_BRANDING, **tenant.branding, **changes["branding"]}
        for field in ("primary_color", "accent_color", "text_color", "background_color"):
            branding[field] = validation.validate_hex_colour(branding[field])
        if branding["heading_font"] not in catalog.FONT_STACKS or branding["body_font"] not in catalog.FONT_STACKS:
            raise ValidationError(_("Choose one of the offered fonts."))
        errors = validation.contrast_errors(branding)
        if errors:
            raise ValidationError(errors)
        changes["branding"] = branding
    if "theme" in changes:
        validation.validate_theme(changes["theme"])
    if "languages" in changes or "default_language" in changes:
        validation.validate_languages(
            default_language=changes.get("default_language", tenant.default_language),
            languages=list(changes.get("languages", tenant.languages)),
        )
    if "modules" in changes:
        validation.validate_modules(changes["modules"])
    if "role_matrix" in changes:
        validation.validate_role_matrix(changes["role_matrix"])
    if "kpis" in changes:
        validation.validate_kpis(changes["kpis"])
    if "cors_allowed_origins" in changes:
        changes["cors_allowed_origins"] = validation.validate_origins(changes["cors_allowed_origins"])
    previous = {key: getattr(tenant, key) for key in changes}
    if "mfa_required_roles" in changes and not set(changes["mfa_required_roles"]) <= set(catalog.ROLES):
        raise ValidationError({"mfa_required_roles": _("Choose among the listed roles.")})
    if "session_idle_minutes" in changes and not 5 <= changes["session_idle_minutes"] <= 24 * 60:
        raise ValidationError({"session_idle_minutes": _("Choose between 5 and 1440 minutes.")})
    for key, value in changes.items():
        setattr(tenant, key, value)
    tenant.save(update_fields=[*changes, "updated_at"])
    _audit_configuration(tenant, previous, changes)
    logger.info("tenant configuration changed", extra={"tenant": tenant.schema_name, "fields": sorted(changes)})
    return tenant


def _audit_configuration(tenant: Tenant, previous: dict, changes: dict) -> None:
    from shared_apps.audit import services as audit

    previous, changes = dict(previous), dict(changes)
    if "role_matrix" in changes:
        removed, added = audit.role_matrix_changes(previous.pop("role_matrix"), changes.pop("role_matrix"))
        if removed or added:
            audit.record(action="tenant.role_matrix_changed", tenant=tenant, target=tenant, before=removed, after=added)
    before, after = audit.changed_fields(previous, changes)
    if after or before:
        audit.record(action="tenant.configuration_changed", tenant=tenant, target=tenant, before=before, after=after)


def _audit_platform(action: str, tenant: Tenant, **values) -> None:
    """Operators' actions on programmes are platform events (no tenant), shown on the console."""
    from shared_apps.audit import services as audit

    audit.record(action=action, tenant=None, target=tenant, target_label=tenant.slug or tenant.schema_name, **values)
