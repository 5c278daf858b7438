"""comptoir bench_showroom at a tiny size: it fills, times, reports and leaves nothing behind."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from shared_apps.accounts.models import User
from tenants.models import Tenant


def test_bench_fills_times_reports_and_cleans_up(programmes, db):
    users_before = User.objects.count()
    out = StringIO()

    call_command("bench_showroom", companies=3, products=40, buyers=5, events=300, days=5, rounds=8, ingest=20, stdout=out)

    report = out.getvalue()
    for line in ("Generated 3 companies", "Generated 40 products", "Generated 5 buyers", "Rolled up",
                 "search: first page", "search: facet counts", "baseline: plain full text", "company dashboard (busiest)", "agency dashboard", "engagement table",
                 "events/s through record_event"):
        assert line in report, report
    assert not Tenant.objects.filter(slug="bench-showroom").exists()
    assert User.objects.count() == users_before


def test_bench_refuses_sizes_below_one(db):
    with pytest.raises(CommandError, match="positive"):
        call_command("bench_showroom", companies=0, stdout=StringIO())
