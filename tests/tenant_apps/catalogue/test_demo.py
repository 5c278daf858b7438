"""The showroom demo gets a catalogue in French and English, a composed page and buyers."""

from django_tenants.utils import tenant_context

from platform_core.demo_directory import seed_directory
from tenant_apps.catalogue.demo import PRODUCTS, VERTICALS, seed_catalogue
from tenant_apps.catalogue.models import (
    BuyerProfile,
    Product,
    ProductTranslation,
    ShowroomBlock,
    SupportedCompany,
    Vertical,
)


def test_showroom_demo_seeds_products_in_two_languages_once(beta, django_assert_max_num_queries):
    buyer = beta.members["buyer"]
    people = {"Usinage Précis Lyonnais": beta.members["company_rep"], "Ahmed Al-Mansouri": buyer}
    with tenant_context(beta.tenant):
        seed_directory(beta.tenant, "showroom", people)
        with django_assert_max_num_queries(60):
            seed_catalogue(beta.tenant, "showroom", people)
        seed_catalogue(beta.tenant, "showroom", people)

        assert Vertical.objects.count() == len(VERTICALS) == 10
        products = Product.objects.filter(status=Product.Status.PUBLISHED)
        assert products.count() == sum(len(rows) for rows in PRODUCTS.values()) >= 25
        assert ProductTranslation.objects.filter(language="en").count() == products.count()
        assert not products.filter(verticals=None).exists()
        assert SupportedCompany.objects.count() == len(PRODUCTS)
        assert ShowroomBlock.objects.filter(is_enabled=True).count() == 7
        assert BuyerProfile.objects.get(user=buyer).country == "AE"
        milling = Product.objects.extra(where=["search_vector @@ to_tsquery('english', 'machining')"])
        assert milling.exists()
    beta.tenant.refresh_from_db()
    assert "catalogue.view" in beta.tenant.role_matrix["visitor"]


def test_other_programmes_get_no_catalogue(alpha):
    with tenant_context(alpha.tenant):
        seed_catalogue(alpha.tenant, "francophonie", {})
        assert not Vertical.objects.exists()
