"""Buyers register with their company details, confirm their address, then browse and save."""

import re

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import tenant_context

from shared_apps.accounts.models import Membership, User
from shared_apps.privacy.registry import erasure_handlers, export_sections
from tenant_apps.catalogue.models import BuyerProfile, SavedCompany, SavedProduct
from tests.captcha import solved_captcha
from tests.factories import PASSWORD, MembershipFactory, UserFactory
from tests.tenant_apps.catalogue.conftest import make_product, make_vertical


@pytest.fixture
def buyers_welcome(beta):
    beta.tenant.signup_roles = ["buyer", "company_rep"]
    beta.tenant.save()
    return beta


def _form(vertical, **overrides):
    return {
        "full_name": "Ingrid Johansson", "email": "ingrid@nordic.example", "company_name": "Nordic Medical Supply",
        "country": "SE", "sector": "Hospital equipment distribution", "job_role": "purchasing",
        "job_title": "Procurement manager", "interests": [vertical.pk], "opted_in_marketing": "on",
        "password1": PASSWORD, "password2": PASSWORD, **solved_captcha(), **overrides,
    }


def _path_of_link(message, host) -> str:
    link = re.search(r"https?://\S+", message.body).group(0)
    path = link.split(host, 1)[1]
    return path[path.index("/"):]


def test_buyer_registers_confirms_and_starts_saving(buyers_welcome, seller):
    beta = buyers_welcome
    with tenant_context(beta.tenant):
        vertical = make_vertical("Dispositifs médicaux", "Medical devices")
        product = make_product(seller.company, verticals=[vertical])
    client = beta.client()
    response = client.post("/catalogue/buyers/register/", _form(vertical))
    assert response.status_code == 302 and response["Location"] == "/accounts/sign-up/done/"
    user = User.objects.get(email="ingrid@nordic.example")
    assert Membership.objects.for_tenant(beta.tenant).get(user=user).role == "buyer"
    with tenant_context(beta.tenant):
        profile = BuyerProfile.objects.get(user=user)
        assert (profile.company_name, profile.country.code, profile.job_role) == ("Nordic Medical Supply", "SE", "purchasing")
        assert list(profile.interests.all()) == [vertical]
        assert profile.opted_in_marketing and profile.marketing_opt_in_at is not None

    assert client.post("/accounts/sign-in/", {"username": user.email, "password": PASSWORD}).status_code == 200
    assert len(mail.outbox) == 1
    assert client.get(_path_of_link(mail.outbox[0], beta.host)).status_code == 302
    assert client.post("/accounts/sign-in/", {"username": user.email, "password": PASSWORD}).status_code == 302

    assert client.post(f"/catalogue/products/{product.pk}/save/", {"next": "/catalogue/"}).status_code == 302
    assert client.post(f"/catalogue/companies/{seller.company.pk}/save/").status_code == 302
    saved = client.get("/catalogue/saved/").content.decode()
    assert "Fraiseuse CNC 5 axes" in saved and "Usinage Précis" in saved
    assert "complete your buyer profile" not in saved


def test_bad_registration_keeps_what_was_typed(buyers_welcome):
    beta = buyers_welcome
    with tenant_context(beta.tenant):
        vertical = make_vertical()
    response = beta.client().post("/catalogue/buyers/register/", _form(vertical, country="", password2="different"))
    assert response.status_code == 400
    html = response.content.decode()
    assert 'value="Nordic Medical Supply"' in html and 'value="Hospital equipment distribution"' in html
    assert "The two passwords differ." in html
    assert not User.objects.filter(email="ingrid@nordic.example").exists()


def test_registering_with_a_known_address_creates_nothing(buyers_welcome, alpha):
    beta = buyers_welcome
    with tenant_context(beta.tenant):
        vertical = make_vertical()
    existing = alpha.members["buyer"]
    response = beta.client().post("/catalogue/buyers/register/", _form(vertical, email=existing.email))
    assert response.status_code == 302
    assert not Membership.objects.for_tenant(beta.tenant).filter(user=existing).exists()
    with tenant_context(beta.tenant):
        assert not BuyerProfile.objects.exists()
    assert mail.outbox[0].to == [existing.email]


def test_programmes_closed_to_buyers_have_no_buyer_registration(beta):
    beta.tenant.signup_roles = ["company_rep"]
    beta.tenant.save()
    assert beta.client().get("/catalogue/buyers/register/").status_code == 404


def test_general_sign_up_points_buyers_to_their_form(buyers_welcome):
    assert "/catalogue/buyers/register/" in buyers_welcome.client().get("/accounts/sign-up/").content.decode()


def test_a_buyer_without_a_profile_is_asked_to_complete_it(beta):
    buyer = UserFactory()
    MembershipFactory(user=buyer, tenant=beta.tenant, role="buyer")
    with tenant_context(beta.tenant):
        vertical = make_vertical()
    client = beta.client(buyer)
    assert "complete your buyer profile" in client.get("/catalogue/").content.decode()
    response = client.post("/catalogue/buyers/profile/", {
        "company_name": "Gulf Industrial Trading", "country": "AE", "sector": "Distribution", "job_role": "distribution",
        "interests": [vertical.pk],
    })
    assert response.status_code == 302
    with tenant_context(beta.tenant):
        profile = BuyerProfile.objects.get(user=buyer)
        assert not profile.opted_in_marketing and profile.marketing_opt_in_at is None
    assert "complete your buyer profile" not in client.get("/catalogue/").content.decode()


def test_only_buyers_have_a_buyer_profile_page(beta):
    assert beta.client(beta.members["company_rep"]).get("/catalogue/buyers/profile/").status_code == 404


def test_saving_with_htmx_swaps_the_button(beta, seller):
    with tenant_context(beta.tenant):
        product = make_product(seller.company)
    client = beta.client(beta.members["buyer"])
    response = client.post(f"/catalogue/products/{product.pk}/save/", HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200 and html.lstrip().startswith("<form") and 'aria-pressed="true"' in html
    response = client.post(f"/catalogue/products/{product.pk}/save/", {"action": "remove"}, HTTP_HX_REQUEST="true")
    assert 'aria-pressed="false"' in response.content.decode()
    with tenant_context(beta.tenant):
        assert not SavedProduct.objects.exists()


def test_saving_is_for_members_and_listed_products_only(alpha, beta, seller):
    with tenant_context(beta.tenant):
        draft = make_product(seller.company, published=False)
        listed = make_product(seller.company, title="En ligne")
    buyer = beta.client(beta.members["buyer"])
    assert buyer.post(f"/catalogue/products/{draft.pk}/save/").status_code == 404
    anonymous = beta.client().post(f"/catalogue/products/{listed.pk}/save/")
    assert anonymous.status_code == 302 and "/accounts/sign-in/" in anonymous["Location"]
    assert anonymous["Location"].endswith(f"next=/catalogue/products/{listed.pk}/")  # the page, not the POST address
    assert beta.client(alpha.members["buyer"]).post(f"/catalogue/products/{listed.pk}/save/").status_code == 403
    assert alpha.client(alpha.members["buyer"]).post(f"/catalogue/products/{listed.pk}/save/").status_code == 404
    with tenant_context(beta.tenant):
        assert not SavedProduct.objects.exists()


def test_save_redirects_only_to_this_site(beta, seller):
    with tenant_context(beta.tenant):
        product = make_product(seller.company)
    response = beta.client(beta.members["buyer"]).post(f"/catalogue/products/{product.pk}/save/",
                                                        {"next": "https://evil.example/"})
    assert response["Location"] == f"/catalogue/products/{product.pk}/"


def test_saved_items_are_each_persons_own(beta, seller):
    with tenant_context(beta.tenant):
        product = make_product(seller.company)
        SavedProduct.objects.create(user=beta.members["buyer"], product=product)
    html = beta.client(beta.members["company_rep"]).get("/catalogue/saved/").content.decode()
    assert "Fraiseuse CNC 5 axes" not in html


def test_saved_page_queries_do_not_grow_with_saved_items(beta, seller):
    buyer = beta.members["buyer"]
    with tenant_context(beta.tenant):
        SavedProduct.objects.create(user=buyer, product=make_product(seller.company, english=("Mill", "")))
        SavedCompany.objects.create(user=buyer, company=seller.company)
    client = beta.client(buyer)

    def count():
        client.get("/catalogue/saved/")
        with CaptureQueriesContext(connection) as context:
            assert client.get("/catalogue/saved/").status_code == 200
        return len(context)

    before = count()
    with tenant_context(beta.tenant):
        for number in range(15):
            SavedProduct.objects.create(user=buyer, product=make_product(seller.company, title=f"Produit {number}",
                                                                         english=(f"Product {number}", "")))
    assert count() == before <= 14


def test_a_copy_of_ones_data_and_erasure_include_the_buyer_profile(beta, seller):
    buyer = beta.members["buyer"]
    with tenant_context(beta.tenant):
        product = make_product(seller.company)
        BuyerProfile.objects.create(user=buyer, company_name="Gulf Trading", country="AE", sector="Distribution",
                                    job_role="distribution")
        SavedProduct.objects.create(user=buyer, product=product)
        sections = export_sections()
        assert sections["buyer_profile"](user=buyer, tenant=beta.tenant)[0]["company"] == "Gulf Trading"
        assert sections["saved_items"](user=buyer, tenant=beta.tenant)[0]["product"] == "Fraiseuse CNC 5 axes"
        for handler in erasure_handlers():
            handler(user=buyer, tenant=beta.tenant)
        assert not BuyerProfile.objects.filter(user=buyer).exists() and not SavedProduct.objects.exists()


def test_deleting_an_account_removes_its_rows_in_every_programme(beta, seller):
    person = UserFactory()
    MembershipFactory(user=person, tenant=beta.tenant, role="buyer")
    with tenant_context(beta.tenant):
        BuyerProfile.objects.create(user=person, company_name="X", country="AE", sector="Y", job_role="other")
        SavedCompany.objects.create(user=person, company=seller.company)
    connection.set_schema_to_public()
    person.delete()
    with tenant_context(beta.tenant):
        assert not BuyerProfile.objects.exists() and not SavedCompany.objects.exists()
