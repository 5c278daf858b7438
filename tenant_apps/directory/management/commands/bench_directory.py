"""comptoir bench_directory --companies N: directory search times on generated companies.

Provisions a throwaway programme, loads N companies with COPY, runs a fixed mix of
searches through the selectors the directory page uses (facet counts computed, not
read from the cache), prints p50/p95 per kind of query and overall next to a plain
ILIKE baseline, then how long facet counts take from the cache, and deletes the
programme.
"""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError
from django_tenants.utils import tenant_context

from tenant_apps.directory.search import benchmark
from tenants import services
from tenants.models import Tenant

SLUG = "bench-directory"


class Command(BaseCommand):
    help = "Time the directory search on N generated companies in a throwaway programme."

    def add_arguments(self, parser):
        parser.add_argument("--companies", type=int, default=100_000, help="companies generated (default 100000)")
        parser.add_argument("--rounds", type=int, default=1, help="times the query mix is repeated (default 1)")

    def handle(self, *args, companies, rounds, **options):
        if companies < 1 or rounds < 1:
            raise CommandError("--companies and --rounds must be 1 or more.")
        if Tenant.objects.filter(slug=SLUG).exists():
            raise CommandError(f"A programme '{SLUG}' exists already: delete it first.")
        tenant = services.provision_tenant(services.TenantSpec(slug=SLUG, name="Directory benchmark", domains=[]), refill=False)
        try:
            with tenant_context(tenant):
                started = time.perf_counter()
                benchmark.generate(companies)
                self.stdout.write(f"Generated {companies} companies in {time.perf_counter() - started:.1f} s.")
                benchmark.run_queries(seed=99)  # warm-up: caches and plans, untimed
                timings = []
                for round_number in range(rounds):
                    timings.extend(benchmark.run_queries(seed=round_number))
                facets_ms = benchmark.cached_facet_times(seed=0)
            self._report(timings)
            self.stdout.write(
                f"Facet counts remembered in the cache: p50 {benchmark.percentile(facets_ms, 0.5):.1f}ms,"
                f" p95 {benchmark.percentile(facets_ms, 0.95):.1f}ms."
            )
        finally:
            services.delete_tenant(tenant, confirm_slug=SLUG, export=False)

    def _report(self, timings):
        merged: dict[str, benchmark.Timing] = {}
        for timing in timings:
            into = merged.setdefault(timing.kind, benchmark.Timing(timing.kind, [], [], []))
            into.search_ms += timing.search_ms
            into.facets_ms += timing.facets_ms
            into.baseline_ms += timing.baseline_ms
        overall = benchmark.Timing("overall", [], [], [])
        for timing in merged.values():
            overall.search_ms += timing.search_ms
            overall.facets_ms += timing.facets_ms
            overall.baseline_ms += timing.baseline_ms
        header = (
            f"{'query kind':<24}{'n':>5}{'search p50':>12}{'p95':>8}{'facets p50':>12}{'p95':>8}"
            f"{'page p50':>10}{'p95':>8}{'ILIKE p50':>11}{'p95':>8}{'p95 ratio':>11}"
        )
        self.stdout.write(header)
        for timing in [*merged.values(), overall]:
            p = benchmark.percentile
            page_ms = [search + facets for search, facets in zip(timing.search_ms, timing.facets_ms, strict=True)]
            ratio = p(timing.search_ms, 0.95) / max(p(timing.baseline_ms, 0.95), 0.001)
            self.stdout.write(
                f"{timing.kind:<24}{len(timing.search_ms):>5}"
                f"{p(timing.search_ms, 0.5):>10.1f}ms{p(timing.search_ms, 0.95):>6.1f}ms"
                f"{p(timing.facets_ms, 0.5):>10.1f}ms{p(timing.facets_ms, 0.95):>6.1f}ms"
                f"{p(page_ms, 0.5):>8.1f}ms{p(page_ms, 0.95):>6.1f}ms"
                f"{p(timing.baseline_ms, 0.5):>9.1f}ms{p(timing.baseline_ms, 0.95):>6.1f}ms{ratio:>10.2f}x"
            )
