"""Supported companies and their paid professional accounts (B-SELL), side by side for moderators."""

from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tenants.utils import tenant_context

from shared_apps.billing import services as billing
from tenant_apps.catalogue import services
from tenant_apps.directory.models import Company
from tests.shared_apps.billing.conftest import make_seller


def _plan(programme):
    admin = programme.members["tenant_admin"]
    billing.update_settings(tenant=programme.tenant, actor=admin, grace_days=10, invoice_due_days=30, reminder_days=7,
                            issuer_name="Agence", iban="FR7630006000011234567890189", bic="AGRIFRPP")
    return billing.save_plan(tenant=programme.tenant, actor=admin, code="pro", name="Vitrine Pro", amount=30_000,
                             currency="EUR", interval="month", vat_rate=Decimal("20.00"), features={"products_online": 200})


def _support(programme, company):
    with tenant_context(programme.tenant):
        services.support_company(actor=programme.members["moderator"], company=company, since=timezone.localdate(),
                                 note="")


def test_moderators_see_which_supported_companies_hold_a_professional_account(alpha, beta):
    plan = _plan(alpha)
    paying = make_seller(alpha, name="Robotique Alsace")
    billing.subscribe_by_invoice(tenant=alpha.tenant, account=paying.account, plan=plan, actor=paying.representative)
    free = make_seller(alpha, name="Bois Vosges")
    for seller in (paying, free):
        _support(alpha, seller.company)
    # Another programme bills a company with the same id as the free one: nothing crosses over.
    other_plan = _plan(beta)
    other = billing.save_account(tenant=beta.tenant, actor=beta.members["tenant_admin"], company_id=free.company.pk,
                                 company_name="Homonyme", billing_email="b@example.com", country="FR",
                                 legal_name="Homonyme SAS", address="1 rue\n75001 Paris", vat_number="")
    billing.subscribe_by_invoice(tenant=beta.tenant, account=other, plan=other_plan, actor=beta.members["tenant_admin"])
    html = alpha.client(alpha.members["moderator"]).get("/catalogue/manage/supported/").content.decode()
    assert "1 of 2 has a professional account." in html
    assert "Vitrine Pro · Waiting for the first payment" in html or "Vitrine Pro · Active" in html
    assert html.count("<td>None</td>") == 1


def test_the_accounts_column_costs_one_query_whatever_the_number_of_companies(alpha):
    plan = _plan(alpha)
    client = alpha.client(alpha.members["moderator"])

    def queries() -> int:
        with CaptureQueriesContext(connection) as context:
            assert client.get("/catalogue/manage/supported/").status_code == 200
        return len(context)

    first = make_seller(alpha, name="Première")
    billing.subscribe_by_invoice(tenant=alpha.tenant, account=first.account, plan=plan, actor=first.representative)
    _support(alpha, first.company)
    queries()  # the first request also loads the session and the programme's caches
    before = queries()
    for number in range(5):
        seller = make_seller(alpha, name=f"Entreprise {number}")
        billing.subscribe_by_invoice(tenant=alpha.tenant, account=seller.account, plan=plan, actor=seller.representative)
        _support(alpha, seller.company)
    assert queries() == before


def test_hidden_profiles_cannot_be_chosen_as_supported_companies(beta, seller, other_seller):
    from tenant_apps.catalogue.forms import SupportCompanyForm

    with tenant_context(beta.tenant):
        Company.objects.filter(pk=other_seller.company.pk).update(visibility=Company.Visibility.HIDDEN)
        choices = {value for value, _label in SupportCompanyForm().fields["company"].choices}
    assert seller.company.pk in choices and other_seller.company.pk not in choices
