import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django_tenants.utils import schema_exists

from tenants import services
from tenants.models import Domain, Tenant


def _tables(schema_name: str) -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = %s",
            [schema_name],
        )
        return {row[0] for row in cursor.fetchall()}


def _applied_migrations(schema_name: str) -> list[tuple[str, str]]:
    with connection.cursor() as cursor:
        table = f'"{schema_name}".django_migrations'
        cursor.execute(f"SELECT app, name FROM {table} ORDER BY app, name")  # noqa: S608 -- test's own name
        return cursor.fetchall()


def _spec(slug: str, **overrides) -> services.TenantSpec:
    return services.TenantSpec(
        **{"slug": slug, "name": f"Programme {slug}", "domains": [], **overrides}
    )


def test_pool_method_renames_a_spare_into_the_new_tenant(db):
    spare = Tenant.objects.spares().order_by("created_at").first()
    spares_before = Tenant.objects.spares().count()

    tenant = services.provision_tenant(_spec("gamma"), refill=False)

    assert tenant.pk == spare.pk
    assert tenant.schema_name == "gamma"
    assert tenant.status == Tenant.Status.ACTIVE
    assert not schema_exists(spare.schema_name)
    assert schema_exists("gamma")
    assert Tenant.objects.spares().count() == spares_before - 1


def test_taken_over_schema_has_the_tenant_tables_and_the_templates_migrations(db):
    template = services.ensure_template()

    services.provision_tenant(_spec("gamma"), refill=False)

    assert {"notifications_notification", "django_migrations"} <= _tables("gamma")
    assert _applied_migrations("gamma") == _applied_migrations(template.schema_name)
    assert ("notifications", "0001_initial") in _applied_migrations("gamma")


def test_new_tenant_gets_its_domains_with_the_first_as_primary(db):
    tenant = services.provision_tenant(
        _spec("gamma", domains=["Gamma.Example.org", "www.gamma.example.org"]), refill=False
    )

    assert list(tenant.domains.values_list("domain", "is_primary")) == [
        ("gamma.example.org", True),
        ("www.gamma.example.org", False),
    ]


def test_tenant_without_domains_gets_one_under_the_platform_domain(db, settings):
    tenant = services.provision_tenant(_spec("gamma"), refill=False)

    assert tenant.primary_domain == f"gamma.{settings.PLATFORM_DOMAIN}"


def test_blank_domains_count_as_none_given(db, settings):
    tenant = services.provision_tenant(_spec("gamma", domains=["  ", ""]), refill=False)

    assert tenant.primary_domain == f"gamma.{settings.PLATFORM_DOMAIN}"


def test_migrate_method_builds_the_schema_from_migrations(db):
    spares_before = Tenant.objects.spares().count()
    template = services.ensure_template()

    tenant = services.provision_tenant(_spec("gamma"), method="migrate")

    assert tenant.schema_name == "gamma"
    assert "notifications_notification" in _tables("gamma")
    assert _applied_migrations("gamma") == _applied_migrations(template.schema_name)
    assert Tenant.objects.spares().count() == spares_before


def test_pool_method_clones_the_template_when_the_pool_is_empty(db):
    Tenant.objects.spares().delete()

    tenant = services.provision_tenant(_spec("gamma"), refill=False)

    assert tenant.status == Tenant.Status.ACTIVE
    assert "notifications_notification" in _tables("gamma")
    assert _applied_migrations("gamma") == _applied_migrations(services.TEMPLATE_SCHEMA)


def test_clone_method_leaves_the_pool_alone(db):
    spares_before = Tenant.objects.spares().count()

    services.provision_tenant(_spec("gamma"), method="clone")

    assert schema_exists("gamma")
    assert Tenant.objects.spares().count() == spares_before


def test_unknown_method_is_refused(db):
    with pytest.raises(ValueError, match="Unknown method"):
        services.provision_tenant(_spec("gamma"), method="copy")


def test_refill_tops_the_pool_up_and_shrink_trims_it(db):
    services.refill_spare_pool(3)
    assert Tenant.objects.spares().count() == 3

    dropped = services.shrink_spare_pool(1)

    assert dropped == 2
    remaining = Tenant.objects.spares().get()
    assert schema_exists(remaining.schema_name)


def test_existing_schema_of_the_same_name_is_refused(db):
    with connection.cursor() as cursor:
        cursor.execute('CREATE SCHEMA "gamma"')

    with pytest.raises(services.ProvisioningError, match="gamma"):
        services.provision_tenant(_spec("gamma"), refill=False)


def test_failed_provisioning_leaves_no_tenant_behind(db):
    with pytest.raises(ValidationError):
        services.provision_tenant(_spec("gamma", theme="neon"), refill=False)

    assert not Tenant.objects.filter(slug="gamma").exists()
    assert not Domain.objects.filter(domain__startswith="gamma.").exists()
    assert not schema_exists("gamma")


def test_suspend_and_resume(alpha):
    services.set_status(alpha.tenant, suspended=True)
    alpha.tenant.refresh_from_db()
    assert alpha.tenant.is_suspended and alpha.tenant.suspended_at is not None

    services.set_status(alpha.tenant, suspended=False)
    alpha.tenant.refresh_from_db()
    assert alpha.tenant.status == Tenant.Status.ACTIVE and alpha.tenant.suspended_at is None


def test_spares_cannot_be_suspended(db):
    with pytest.raises(services.ProvisioningError):
        services.set_status(Tenant.objects.spares().first(), suspended=True)


def test_a_failing_refill_does_not_fail_the_new_tenant(
    db, monkeypatch, django_capture_on_commit_callbacks
):
    def broker_down():
        raise ConnectionError("broker unreachable")

    monkeypatch.setattr("tenants.tasks.refill_spare_pool_task.delay", broker_down)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        tenant = services.provision_tenant(_spec("gamma"))

    assert len(callbacks) == 1
    assert tenant.status == Tenant.Status.ACTIVE
