"""comptoir bench_showroom: a showroom at full scale, and how fast search, dashboards and ingestion are.

Fills a throwaway programme (or ``--tenant``) with companies, products, buyers and a
year of activity, rolls it up, then reports p50/p95 server time of catalogue searches,
the company and agency dashboards and the engagement table, and the ingestion rate.
The throwaway programme and its buyers' accounts are deleted at the end unless --keep.
"""

from __future__ import annotations

import random
import secrets
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.test import Client
from django.utils import timezone
from django_tenants.utils import tenant_context

from shared_apps.accounts.models import Membership, User
from tenant_apps.analytics import benchmark, services
from tenants import catalog
from tenants import services as tenant_services
from tenants.models import Tenant

SLUG = "bench-showroom"


class Command(BaseCommand):
    help = "Time catalogue search, activity dashboards and event ingestion on a generated showroom."

    def add_arguments(self, parser):
        parser.add_argument("--companies", type=int, default=1_000)
        parser.add_argument("--products", type=int, default=1_000_000)
        parser.add_argument("--buyers", type=int, default=200_000)
        parser.add_argument("--events", type=int, default=2_000_000, help="page views and impressions (inquiries add 1 %%)")
        parser.add_argument("--days", type=int, default=365, help="days the events spread over")
        parser.add_argument("--rounds", type=int, default=200, help="searches timed (dashboards: a quarter of it)")
        parser.add_argument("--ingest", type=int, default=5_000, help="record_event calls timed")
        parser.add_argument("--tenant", help="fill this existing programme instead of a throwaway one")
        parser.add_argument("--keep", action="store_true", help="keep the throwaway programme afterwards")
        parser.add_argument("--timings-only", action="store_true",
                            help="with --tenant: time a programme filled before (e.g. with --keep), generate nothing")

    def handle(self, *args, companies, products, buyers, events, days, rounds, ingest, tenant, keep, timings_only,
               **options):
        if min(companies, products, days, rounds) < 1 or min(buyers, events, ingest) < 0:
            raise CommandError("Sizes must be positive (--buyers, --events and --ingest may be 0).")
        if timings_only and not tenant:
            raise CommandError("--timings-only needs --tenant.")
        rng = random.Random(2026)
        throwaway = tenant is None
        if throwaway:
            if Tenant.objects.filter(slug=SLUG).exists():
                raise CommandError(f"A programme '{SLUG}' exists already: delete it first (comptoir tenant delete {SLUG}).")
            programme = tenant_services.provision_tenant(tenant_services.TenantSpec(
                slug=SLUG, name="Showroom benchmark", domains=[f"{SLUG}.{settings.PLATFORM_DOMAIN}"], theme="showroom",
                default_language="en", languages=("en", "fr"),
            ), refill=False)
        else:
            programme = Tenant.objects.programmes().filter(slug=tenant).first()
            if programme is None or not programme.primary_domain:
                raise CommandError(f"No programme '{tenant}' with a domain.")
        people: list = []
        try:
            tenant_services.update_configuration(programme, mfa_required_roles=[], modules=sorted({*programme.modules, "analytics", "catalogue"}))
            with tenant_context(programme):
                if not timings_only:
                    self._generate(programme, companies, products, buyers, events, days, rng)
                people, clients = self._people(programme)
                results = benchmark.time_searches(rounds=rounds, rng=rng)
                results += self._dashboards(clients, rounds=max(4, rounds // 4), rng=rng)
                rate = benchmark.ingestion_rate(ingest, rng=rng) if ingest else None
                buffered = benchmark.buffered_ingestion_rate(ingest, redis_url=settings.REDIS_URL, rng=rng) if ingest else None
                started = time.perf_counter()
                services.refresh()
                incremental = time.perf_counter() - started
            self._report(results, rate, buffered, incremental)
        finally:
            self._clean_up(programme, people, throwaway=throwaway, keep=keep)

    def _clean_up(self, programme, people, *, throwaway: bool, keep: bool) -> None:
        """The throwaway programme goes with its buyers' accounts; the bench's two sign-ins go in any case."""
        from django.db import connection

        from tenant_apps.directory.models import Representative

        if keep:
            return
        with connection.cursor() as cursor:
            # Inside a transaction (tests), pending foreign-key checks would forbid dropping the schema.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        if throwaway:
            tenant_services.delete_tenant(programme, confirm_slug=SLUG, export=False)
            benchmark.delete_buyers(programme)
        else:
            with tenant_context(programme):
                Representative.objects.filter(user__in=people).delete()
        User.objects.filter(pk__in=[user.pk for user in people]).delete()

    def _step(self, message: str) -> None:
        self.stdout.write(message)
        self.stdout.flush()

    def _generate(self, programme, companies, products, buyers, events, days, rng):
        started = time.perf_counter()
        benchmark.generate_companies(companies, rng=rng)
        self._step(f"Generated {companies:,} companies in {time.perf_counter() - started:.1f} s.")
        started = time.perf_counter()
        benchmark.generate_products(products, progress=self._step)
        self._step(f"Generated {products:,} products in {time.perf_counter() - started:.1f} s.")
        started = time.perf_counter()
        benchmark.generate_buyers(buyers, tenant=programme, rng=rng)
        self._step(f"Generated {buyers:,} buyers in {time.perf_counter() - started:.1f} s.")
        started = time.perf_counter()
        total = benchmark.generate_events(events, days=days, progress=self._step)
        self._step(f"Generated {total:,} events over {days} days in {time.perf_counter() - started:.1f} s.")
        started = time.perf_counter()
        result = services.refresh(full=True)
        self._step(f"Rolled up {len(result.days)} days ({result.rows:,} rows, {result.inquiries:,} inquiries) "
                   f"in {time.perf_counter() - started:.1f} s.")

    def _people(self, programme):
        """An agency admin and the busiest company's representative, signed in through the real form."""
        from tenant_apps.analytics.models import DailyStat
        from tenant_apps.directory.models import Representative

        password = secrets.token_urlsafe(18)
        suffix = secrets.token_hex(4)
        admin = User.objects.create_user(email=f"admin.{suffix}@{benchmark.BENCH_EMAIL_DOMAIN}", password=password,
                                         full_name="Bench admin", email_verified_at=timezone.now())
        rep = User.objects.create_user(email=f"rep.{suffix}@{benchmark.BENCH_EMAIL_DOMAIN}", password=password,
                                       full_name="Bench rep", email_verified_at=timezone.now())
        Membership.objects.create(user=admin, tenant=programme, role=catalog.TENANT_ADMIN)
        Membership.objects.create(user=rep, tenant=programme, role=catalog.COMPANY_REP)
        busiest = (DailyStat.objects.filter(scope=DailyStat.Scope.COMPANY_VIEWS).values("company_id")
                   .order_by("-events").values_list("company_id", flat=True).first())
        Representative.objects.create(company_id=busiest, user=rep)
        clients = {"busiest": busiest}
        for name, user in (("admin", admin), ("rep", rep)):
            client = Client(HTTP_HOST=programme.primary_domain, HTTP_ACCEPT_LANGUAGE="en")
            response = client.post("/accounts/sign-in/", {"username": user.email, "password": password})
            if response.status_code != 302 or "mfa" in response.get("Location", ""):
                raise CommandError(f"Could not sign the bench {name} in ({response.status_code}).")
            clients[name] = client
        return [admin, rep], clients

    def _dashboards(self, clients, *, rounds: int, rng: random.Random):
        from tenant_apps.catalogue.models import SupportedCompany

        company_ids = list(SupportedCompany.objects.values_list("company_id", flat=True))
        presets = ["7", "30", "90", "start"]
        own = [f"/analytics/companies/{clients['busiest']}/?preset={presets[n % 4]}" for n in range(rounds)]
        any_company = [f"/analytics/companies/{rng.choice(company_ids)}/?preset={presets[n % 4]}" for n in range(rounds)]
        agency = [f"/analytics/programme/?preset={presets[n % 4]}" for n in range(rounds)]
        table = [f"/analytics/programme/engagement/?preset={presets[n % 4]}&sort={rng.choice(['-views', 'name', '-received'])}"
                 f"&page={1 + n % 3}" for n in range(rounds)]
        return [
            benchmark.time_pages(clients["rep"], own, name="company dashboard (busiest)", target_ms=200),
            benchmark.time_pages(clients["admin"], any_company, name="company dashboard (any)", target_ms=200),
            benchmark.time_pages(clients["admin"], agency, name="agency dashboard", target_ms=200),
            benchmark.time_pages(clients["admin"], table, name="engagement table", target_ms=200),
        ]

    def _report(self, results, rate, buffered, incremental):
        self.stdout.write(f"{'what':<30}{'n':>6}{'p50':>10}{'p95':>10}{'target p95':>12}{'p95 / baseline':>16}")
        baseline = next((timing.p(0.95) for timing in results if timing.name.startswith("baseline")), None)
        for timing in results:
            target = f"< {timing.target_ms:.0f} ms" if timing.target_ms else ""
            verdict = "" if not timing.target_ms else (" ok" if timing.p(0.95) < timing.target_ms else " MISSED")
            ratio = f"{timing.p(0.95) / baseline:.2f}x" if baseline and timing.name.startswith("search") else ""
            self.stdout.write(f"{timing.name:<30}{len(timing.values):>6}{timing.p(0.5):>8.1f}ms{timing.p(0.95):>8.1f}ms"
                              f"{target:>12}{ratio:>16}{verdict}")
        if rate is not None:
            self.stdout.write(f"Ingestion: {rate:,.0f} events/s through record_event (one INSERT each, one process).")
        if buffered is not None:
            self.stdout.write(f"Ingestion, buffered in Redis and flushed with COPY: {buffered:,.0f} events/s.")
        self.stdout.write(f"Incremental roll-up of today: {incremental * 1000:.0f} ms.")
