"""Billing fixtures: seller companies in each programme, plans. The local Stripe server
(``stripe_server``) and ``deliver`` are in tests/conftest.py."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import pytest
from django_tenants.utils import schema_context

from shared_apps.accounts.models import Membership
from shared_apps.billing import services
from tests.factories import MembershipFactory, UserFactory


@pytest.fixture
def no_stripe(settings):
    settings.STRIPE_SECRET_KEY = ""
    settings.STRIPE_WEBHOOK_SECRET = ""


@dataclass
class Seller:
    tenant: object
    company: object
    representative: object
    account: object = None


def make_seller(programme, *, name: str, user=None, country: str = "FR", vat_number: str = "") -> Seller:
    from tenant_apps.directory.models import Company, Representative

    user = user or UserFactory()
    if not Membership.objects.for_tenant(programme.tenant).filter(user=user).exists():
        MembershipFactory(user=user, tenant=programme.tenant, role="company_rep")
    with schema_context(programme.tenant.schema_name):
        company = Company.objects.create(name=name, country=country, email=f"billing@{name.lower().replace(' ', '')}.example")
        Representative.objects.create(company=company, user=user, is_owner=True)
    account = services.save_account(tenant=programme.tenant, actor=user, company_id=company.pk, company_name=name,
                                    billing_email=company.email, country=country, legal_name=f"{name} SAS",
                                    address="1 rue de la Paix\n75002 Paris", vat_number=vat_number)
    return Seller(tenant=programme.tenant, company=company, representative=user, account=account)


@pytest.fixture
def seller(alpha):
    """The alpha programme's company representative, owner of “Atelier Alpha”."""
    return make_seller(alpha, name="Atelier Alpha", user=alpha.members["company_rep"])


@pytest.fixture
def plans(alpha):
    admin = alpha.members["tenant_admin"]
    services.update_settings(tenant=alpha.tenant, actor=admin, grace_days=10, invoice_due_days=30, reminder_days=7,
                             issuer_name="Agence Alpha", iban="FR7630006000011234567890189", bic="AGRIFRPP")
    basic = services.save_plan(tenant=alpha.tenant, actor=admin, code="basic", name="Basic", amount=10_000,
                               currency="EUR", interval="month", vat_rate=Decimal("20.00"),
                               features={"products_online": 20, "featured_slots": 0, "campaign_credits": 0})
    pro = services.save_plan(tenant=alpha.tenant, actor=admin, code="pro", name="Pro", amount=30_000, currency="EUR",
                             interval="month", vat_rate=Decimal("20.00"),
                             features={"products_online": 200, "featured_slots": 3, "campaign_credits": 2})
    return {"basic": basic, "pro": pro}
