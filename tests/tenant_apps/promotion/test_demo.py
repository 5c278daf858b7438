"""The showroom demo's promotion content: seeded once, and patient with an empty catalogue."""

from django_tenants.utils import tenant_context

from tenant_apps.promotion.demo import seed_promotion
from tenant_apps.promotion.models import (
    Banner,
    Campaign,
    FeaturedCompany,
    FeaturedProduct,
    PromotionRequest,
    SponsoredKeyword,
)
from tests.tenant_apps.promotion.conftest import make_company, make_product


def people_of(programme, company_name):
    return {"Claire Dubois": programme.members["tenant_admin"], "Thomas Girard": programme.members["moderator"],
            company_name: programme.members["company_rep"]}


def test_the_demo_seeds_promotion_once_even_before_the_catalogue_has_products(alpha):
    with tenant_context(alpha.tenant):
        company = make_company("Usinage Précis Lyonnais", owner=alpha.members["company_rep"])
        people = people_of(alpha, "Usinage Précis Lyonnais")
        seed_promotion(alpha.tenant, "showroom", people)
        assert Banner.objects.count() == 2 and Campaign.objects.count() == 1
        assert not FeaturedProduct.objects.exists() and not SponsoredKeyword.objects.exists()
        assert FeaturedCompany.objects.get().company == company
        assert PromotionRequest.objects.get().company == company

        make_product(company, "Centre d'usinage 5 axes")
        seed_promotion(alpha.tenant, "showroom", people)
        seed_promotion(alpha.tenant, "showroom", people)
        assert Banner.objects.count() == 2 and Campaign.objects.count() == 1
        assert FeaturedProduct.objects.count() == 1 and FeaturedCompany.objects.count() == 1
        assert SponsoredKeyword.objects.get().terms == ["centre", "usinage"]
        assert PromotionRequest.objects.count() == 1


def test_other_programmes_get_no_promotion_demo(alpha):
    with tenant_context(alpha.tenant):
        seed_promotion(alpha.tenant, "francophonie", people_of(alpha, "x"))
        assert not Banner.objects.exists()
