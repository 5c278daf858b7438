from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from tenants import services
from tenants.models import Domain, Tenant


def _schemas() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT nspname FROM pg_namespace")
        return {row[0] for row in cursor.fetchall()}


def test_benchmark_times_three_ways_and_leaves_nothing_behind(alpha):
    tenants_before = set(Tenant.objects.values_list("schema_name", flat=True))
    spares_before = Tenant.objects.spares().count()
    schemas_before = _schemas()
    out = StringIO()

    call_command("bench_provisioning", count=1, stdout=out)

    report = out.getvalue()
    for line in ("pool     bench-pool-1", "clone    bench-clone-1", "migrate  bench-migrate-1"):
        assert line in report
    assert "Pool take-over is" in report and "faster than migrating" in report
    assert Tenant.objects.spares().count() == spares_before
    assert set(Tenant.objects.values_list("schema_name", flat=True)) - tenants_before <= {
        s.schema_name for s in Tenant.objects.spares()
    }
    assert not {s for s in _schemas() - schemas_before if not s.startswith("spare_")}
    assert not Domain.objects.filter(domain__startswith="bench-").exists()


def test_benchmark_refuses_to_run_over_an_existing_tenant(db):
    services.provision_tenant(
        services.TenantSpec(slug="bench-pool-1", name="Real", domains=[]), refill=False
    )

    with pytest.raises(CommandError, match="Refusing to run: bench-pool-1"):
        call_command("bench_provisioning", count=1, stdout=StringIO())
    assert Tenant.objects.filter(slug="bench-pool-1").exists()


def test_benchmark_needs_a_positive_count(db):
    with pytest.raises(CommandError, match="--count"):
        call_command("bench_provisioning", count=0, stdout=StringIO())
