"""comptoir bench_provisioning --count N: how long a new tenant takes, three ways.

``pool`` renames a spare schema (the pool is filled with N spares first, untimed),
``clone`` copies the template schema, ``migrate`` replays every migration. Each tenant
is timed from the validated spec to the committed rows, the way ``comptoir tenant
create`` and the operators' console create one. Every benchmark tenant is dropped at the
end, without an export, and the pool is left as large as it was.
"""

from __future__ import annotations

import statistics

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django_tenants.utils import schema_exists

from tenants import services, validation
from tenants.models import Domain, Tenant

SLUG_PREFIX = "bench"


def bench_slugs(method: str, count: int) -> list[str]:
    return [f"{SLUG_PREFIX}-{method}-{number}" for number in range(1, count + 1)]


class Command(BaseCommand):
    help = "Time tenant provisioning by spare pool, template clone and migrations, then clean up."

    def add_arguments(self, parser):
        parser.add_argument(
            "--count", type=int, default=5, help="tenants created each way (default 5)"
        )

    def handle(self, *args, count, **options):
        if count < 1:
            raise CommandError("--count must be 1 or more.")
        slugs = {method: bench_slugs(method, count) for method in services.PROVISIONING_METHODS}
        self._refuse_collisions([slug for group in slugs.values() for slug in group])

        services.ensure_template()
        spares_before = Tenant.objects.spares().count()
        services.refill_spare_pool(spares_before + count)
        self.stdout.write(f"Pool filled with {count} spare schema(s) (not timed).")

        created: list[Tenant] = []
        timings: dict[str, list[float]] = {}
        try:
            for method in services.PROVISIONING_METHODS:
                timings[method] = []
                for slug in slugs[method]:
                    spec = services.TenantSpec(slug=slug, name=f"Benchmark {slug}", domains=[])
                    tenant, seconds = services.timed_provision(spec, method=method, refill=False)
                    created.append(tenant)
                    timings[method].append(seconds)
                    self.stdout.write(f"  {method:<8} {slug:<24} {seconds * 1000:9.1f} ms")
        finally:
            self._clean_up(created)
            services.shrink_spare_pool(spares_before)
        self._report(timings)

    def _refuse_collisions(self, slugs: list[str]) -> None:
        schemas = [validation.schema_name_for(slug) for slug in slugs]
        hosts = [f"{slug}.{settings.PLATFORM_DOMAIN}" for slug in slugs]
        taken = set(Tenant.objects.filter(slug__in=slugs).values_list("slug", flat=True))
        taken |= {s for s, schema in zip(slugs, schemas, strict=True) if schema_exists(schema)}
        used_hosts = Domain.objects.filter(domain__in=hosts).values_list("domain", flat=True)
        taken |= {host.split(".", 1)[0] for host in used_hosts}
        if taken:
            raise CommandError(
                f"Refusing to run: {', '.join(sorted(taken))} already exist(s). The benchmark "
                f"creates, then deletes tenants named {SLUG_PREFIX}-<method>-<n>; rename or "
                "delete those first."
            )

    def _clean_up(self, tenants: list[Tenant]) -> None:
        for tenant in tenants:
            services.delete_tenant(tenant, confirm_slug=tenant.slug, export=False)
        self.stdout.write(f"Deleted the {len(tenants)} benchmark tenant(s) and their schemas.")

    def _report(self, timings: dict[str, list[float]]) -> None:
        summary = {
            method: (statistics.median(values), statistics.fmean(values))
            for method, values in timings.items()
        }
        self.stdout.write("")
        self.stdout.write(f"{'method':<8} {'median':>10} {'mean':>10} {'migrate / method':>17}")
        migrate_median, migrate_mean = summary["migrate"]
        for method, (median, mean) in summary.items():
            self.stdout.write(
                f"{method:<8} {median * 1000:8.1f}ms {mean * 1000:8.1f}ms "
                f"{migrate_median / median:16.1f}x"
            )
        pool_median, pool_mean = summary["pool"]
        self.stdout.write(
            self.style.SUCCESS(
                f"Pool take-over is {migrate_median / pool_median:.0f}x faster than migrating "
                f"(medians; {migrate_mean / pool_mean:.0f}x on means)."
            )
        )
