"""Company and expert profile pages: no axe-core violation at phone and desktop widths."""

import pytest

from tests.browser.checks import WIDTHS, axe_violations, elements_wider_than_viewport, horizontal_overflow
from tests.browser.conftest import committed

pytestmark = [pytest.mark.browser, pytest.mark.django_db]


def _profiles(tenant, owner, expert):
    from django.utils import timezone
    from django_tenants.utils import tenant_context

    from tenant_apps.directory.models import Company, ExpertProfile, Representative, Sector

    with tenant_context(tenant):
        sector, _ = Sector.objects.get_or_create(slug="agroalimentaire", defaults={"name": "Agroalimentaire", "name_en": "Agrifood"})
        company = Company.objects.create(
            name="Karité d'Or SARL", country="BF", city="Bobo-Dioulasso", sector=sector, size="small",
            export_stage="growing", description="Coopérative de femmes transformant le karité.",
            products_services="Beurre de karité, savons", target_markets=["FR", "BE"], languages=["fr"],
            email="contact@karite.example", visibility="public", is_recommended=True,
            verification_expires_at=timezone.now() + timezone.timedelta(days=300),
        )
        Representative.objects.create(company=company, user=owner, is_owner=True, job_title="Gérante")
        company.missions.create(title="Salon international de l'agriculture", country="FR", year=2025)
        profile = ExpertProfile.objects.create(user=expert, headline="Conseil export Afrique centrale", bio="Vingt ans d'expérience.",
                                               countries=["CD", "CM"], languages=["fr"], visibility="public", is_recommended=True)
        profile.sectors.add(sector)
        return company.pk, profile.pk


@pytest.fixture(scope="module")
def owner_pages(new_context, make_member, sign_in, sites, demo_tenants):
    owner = make_member("francophonie", "company_rep", full_name="Fatou Ndiaye")
    expert = make_member("francophonie", "expert", full_name="Patrice Mbemba")
    company_pk, expert_pk = committed(_profiles, demo_tenants["francophonie"], owner, expert)
    pages = {width: sign_in(new_context(width).new_page(), sites["francophonie"], owner) for width in WIDTHS}
    return pages, company_pk, expert_pk


def _visit(page, url):
    response = page.goto(url, wait_until="load")
    assert response is not None and response.ok, f"{url} answered {response and response.status}"
    return page


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("path", ["/directory/companies/{company}/", "/directory/companies/{company}/edit/",
                                  "/directory/companies/{company}/representatives/", "/directory/companies/{company}/media/",
                                  "/directory/experts/{expert}/"])
def test_profile_page_is_accessible(owner_pages, sites, path, width):
    pages, company_pk, expert_pk = owner_pages
    page = _visit(pages[width], sites["francophonie"].url(path.format(company=company_pk, expert=expert_pk)))

    assert axe_violations(page) == []
    if width == 320:
        assert elements_wider_than_viewport(page) == []
        assert horizontal_overflow(page) == 0
