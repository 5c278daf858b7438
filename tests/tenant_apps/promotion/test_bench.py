"""Promotion figures for docs/promotion.md (not part of the default suite):

    .venv/bin/pytest -m bench tests/tenant_apps/promotion/test_bench.py -s
"""

import statistics
import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tenants.utils import tenant_context

from tenant_apps.catalogue.models import BuyerProfile, Product
from tenant_apps.promotion import selectors, services
from tenant_apps.promotion.models import SponsoredKeyword
from tests.factories import MembershipFactory, UserFactory
from tests.tenant_apps.notifications.test_smtp_delivery import smtp_server  # noqa: F401  (fixture)
from tests.tenant_apps.promotion.conftest import NOW, make_company

pytestmark = pytest.mark.bench


def _percentiles(samples):
    ordered = sorted(samples)
    return statistics.median(ordered) * 1000, ordered[int(len(ordered) * 0.95) - 1] * 1000


def test_sponsored_boosts_with_many_keywords(alpha):
    with tenant_context(alpha.tenant):
        company = make_company()
        products = Product.objects.bulk_create(
            Product(company=company, title=f"Produit {n}", status="published", published_at=timezone.now())
            for n in range(2000))
        vocabulary = [f"mot{n}" for n in range(500)]
        SponsoredKeyword.objects.bulk_create(
            SponsoredKeyword(product=products[n % 2000], keyword=f"{vocabulary[n % 500]} {vocabulary[(n * 7) % 500]}",
                             terms=sorted({vocabulary[n % 500], vocabulary[(n * 7) % 500]}), starts_at=NOW,
                             weight=1 + n % 10)
            for n in range(20_000))
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE promotion_sponsoredkeyword")
            cursor.execute("ANALYZE catalogue_product")
        samples = []
        for n in range(200):
            started = time.perf_counter()
            selectors.sponsored_boosts(f"machine mot{n} mot{(n * 7) % 500} outil")
            samples.append(time.perf_counter() - started)
        p50, p95 = _percentiles(samples)
        print(f"\nsponsored_boosts, 20,000 keywords on 2,000 products: p50 {p50:.1f} ms, p95 {p95:.1f} ms")


def test_campaign_throughput_over_smtp(alpha, smtp_server, settings):  # noqa: F811
    settings.PROMOTION_CAMPAIGN_BATCH_SIZE = 100
    with tenant_context(alpha.tenant):
        users = [UserFactory(email=f"bench{n}@buyers.example") for n in range(500)]
        for user in users:
            MembershipFactory(user=user, tenant=alpha.tenant, role="buyer")
        BuyerProfile.objects.bulk_create(
            BuyerProfile(user=user, company_name="B", country="DE", sector="S", job_role="purchasing",
                         opted_in_marketing=True) for user in users)
        admin = alpha.members["tenant_admin"]
        campaign = services.save_campaign(name="Bench", contents={"fr": ("Sujet", "<p>Texte</p>")},
                                          default_language="fr", actor=admin)
        started = time.perf_counter()
        services._start(campaign, tenant=alpha.tenant, actor=admin)
        snapshot = time.perf_counter() - started
        batches = []
        while True:
            started = time.perf_counter()
            with CaptureQueriesContext(connection) as queries:
                outcome = services.send_campaign_batch(campaign.pk, batch_size=100)
            batches.append((time.perf_counter() - started, len(queries)))
            if not outcome.remaining:
                break
        assert len(smtp_server.envelopes) == 500
        total = sum(seconds for seconds, _ in batches)
        print(f"\ncampaign to 500 buyers: recipients fixed in {snapshot * 1000:.0f} ms; {len(batches)} batches of 100, "
              f"{total / len(batches) * 1000:.0f} ms and {batches[0][1]} queries each, "
              f"{500 / total:.0f} mails/s through a local SMTP server")
