"""Helpers for analytics tests: companies with representatives, products, events at chosen times."""

from __future__ import annotations

import itertools
from datetime import datetime, timedelta

import pytest
from django.utils import timezone
from django_tenants.utils import tenant_context

from tenant_apps.analytics.models import Event
from tenant_apps.directory.models import Company, Representative
from tests.factories import MembershipFactory, UserFactory

FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0"
_visitors = itertools.count(1)


@pytest.fixture
def in_beta(beta):
    with tenant_context(beta.tenant):
        yield beta


@pytest.fixture
def in_alpha(alpha):
    with tenant_context(alpha.tenant):
        yield alpha


def make_company(*, name="Usinage Précis Lyonnais", owner=None, supported=True, since=None, **fields) -> Company:
    """A public company (in the current schema), supported by the showroom unless told otherwise."""
    from tenant_apps.catalogue.models import SupportedCompany

    company = Company.objects.create(name=name, country="FR", visibility=Company.Visibility.PUBLIC, **fields)
    if owner is not None:
        Representative.objects.create(company=company, user=owner, is_owner=True)
    if supported:
        SupportedCompany.objects.create(company=company, since=since or timezone.localdate() - timedelta(days=200))
    return company


def make_product(company, *, title="Centre d'usinage 5 axes", published=True):
    from tenant_apps.catalogue.models import Product

    return Product.objects.create(
        company=company, title=title, status="published" if published else "draft",
        published_at=timezone.now() if published else None,
    )


def make_rep(programme, company=None):
    """A new company representative of ``programme`` (and of ``company`` when given, in its schema)."""
    user = UserFactory()
    MembershipFactory(user=user, tenant=programme.tenant, role="company_rep")
    if company is not None:
        Representative.objects.create(company=company, user=user)
    return user


def event(kind, *, at: datetime | None = None, visitor: str | None = None, country="FR", **fields) -> Event:
    """An event written directly (as record_event would), at ``at`` (default now)."""
    return Event.objects.create(
        kind=kind, occurred_at=at or timezone.now(), country=country,
        visitor=f"v{next(_visitors)}" if visitor is None else visitor, **fields,
    )


def local(day, hour=12, minute=0) -> datetime:
    return timezone.make_aware(datetime.combine(day, datetime.min.time()).replace(hour=hour, minute=minute))
