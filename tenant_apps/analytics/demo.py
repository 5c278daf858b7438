"""Demo activity for the showroom programme: five months of visits and inquiries, rolled up.

Idempotent: nothing is added once the programme has events. Run after the directory's
(and, where present, the catalogue's) demo data, so visits land on their companies and
products.
"""

from __future__ import annotations

import random
import secrets
from datetime import datetime, time, timedelta

from django.db.models import Max
from django.utils import timezone

DAYS = 150
COUNTRIES = ["DE", "US", "AE", "MA", "SE", "BR", "IN", "GB", "IT", "ES", "CN", "JP", "SA", "CA", "SN"]
# How the agency's KPIs (platform_core.demo) are measured.
KPI_METRICS = {"buyer_inquiries": ("inquiries_received", None), "answer_rate": ("answered_within_hours", 48),
               "products_online": ("products_online", None)}


def seed_analytics(tenant) -> None:
    from tenant_apps.analytics import services
    from tenant_apps.analytics.models import Event
    from tenant_apps.catalogue.models import Product, SupportedCompany
    from tenant_apps.directory.models import Company
    from tenants import services as tenant_services

    # Page views mark a seeded programme; companies without products get company views only.
    seeded = Event.objects.filter(kind__in=[Event.Kind.COMPANY_VIEW, Event.Kind.PRODUCT_VIEW]).exists()
    if not tenant.has_module("analytics") or seeded:
        return
    today = timezone.localdate()
    companies = list(Company.objects.order_by("pk").values_list("pk", flat=True))
    if not companies:
        return
    for index, company_id in enumerate(companies):
        SupportedCompany.objects.get_or_create(company_id=company_id, defaults={"since": today - timedelta(days=DAYS + 30 - index)})
    products: dict[int, list[int]] = {}
    for product_id, company_id in Product.objects.filter(status=Product.Status.PUBLISHED).values_list("pk", "company_id"):
        products.setdefault(company_id, []).append(product_id)
    rng = random.Random(2026)
    zone = timezone.get_current_timezone()
    # Past inquiries told by events alone, numbered clear of the real threads' ids.
    events = []
    inquiry_id = (Event.objects.aggregate(last=Max("inquiry_id"))["last"] or 0) + 1000
    for offset in range(DAYS, -1, -1):
        day = today - timedelta(days=offset)
        for rank, company_id in enumerate(companies):
            popularity = 12 / (1 + rank / 3)
            visitors = [secrets.token_hex(16) for _ in range(max(1, int(rng.gauss(popularity, popularity / 3))))]
            for visitor in visitors:
                country = rng.choices(COUNTRIES, weights=range(len(COUNTRIES), 0, -1))[0]
                at = timezone.make_aware(datetime.combine(day, time(rng.randint(7, 20), rng.randint(0, 59))), zone)
                if at > timezone.now():
                    continue
                anonymous = rng.random() < 0.2
                events.append(Event(kind=Event.Kind.COMPANY_VIEW, occurred_at=at, company_id=company_id, country=country,
                                    visitor="" if anonymous else visitor))
                for product_id in rng.sample(products.get(company_id, []), k=min(2, len(products.get(company_id, [])))):
                    events.append(Event(kind=Event.Kind.PRODUCT_VIEW, occurred_at=at + timedelta(minutes=2), company_id=company_id,
                                        product_id=product_id, country=country, visitor="" if anonymous else visitor))
                if rng.random() < 0.04:
                    inquiry_id += 1
                    events += _inquiry(rng, inquiry_id, company_id, rng.choice(products.get(company_id, [None])), country, at)
    Event.objects.bulk_create(events, batch_size=2000)
    kpis = [{**kpi, "metric": KPI_METRICS[kpi["key"]][0], **({"threshold": KPI_METRICS[kpi["key"]][1]} if KPI_METRICS[kpi["key"]][1] else {})}
            if kpi.get("key") in KPI_METRICS and not kpi.get("metric") else kpi for kpi in tenant.kpis or []]
    if kpis != tenant.kpis:
        tenant_services.update_configuration(tenant, kpis=kpis)
    services.refresh(full=True)


def _inquiry(rng, inquiry_id, company_id, product_id, country, at):
    from tenant_apps.analytics.models import Event

    K = Event.Kind
    opened = at + timedelta(minutes=5)
    rows = [Event(kind=K.INQUIRY, occurred_at=opened, company_id=company_id, product_id=product_id, inquiry_id=inquiry_id,
                  country=country)]
    if rng.random() < 0.8:
        delay = timedelta(hours=rng.choice([1, 3, 6, 20, 30, 60]))
        if opened + delay < timezone.now():
            status = rng.choice(["answered", "quoted", "won", "lost"])
            rows.append(Event(kind=K.QUOTE if status != "answered" else K.MESSAGE, occurred_at=opened + delay, company_id=company_id,
                              product_id=product_id, inquiry_id=inquiry_id, metadata={"side": "company"},
                              value=int(delay.total_seconds())))
            rows.append(Event(kind=K.STATUS_CHANGE, occurred_at=opened + delay, company_id=company_id, inquiry_id=inquiry_id,
                              metadata={"from": "new", "to": status}))
    return rows
