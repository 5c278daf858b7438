from django_tenants.utils import tenant_context

from platform_core.demo_directory import COMPANIES, seed_directory
from tenant_apps.directory.models import Company, DirectorySettings, ExpertProfile, Representative, Sector


def test_demo_directory_seeds_sectors_companies_owners_and_experts_once(alpha, django_assert_max_num_queries):
    people = {"Karité d'Or SARL — Burkina Faso": alpha.members["company_rep"], "Dr Patrice Mbemba": alpha.members["expert"]}
    with tenant_context(alpha.tenant):
        with django_assert_max_num_queries(85):
            seed_directory(alpha.tenant, "francophonie", people)
        seed_directory(alpha.tenant, "francophonie", people)

        assert Company.objects.count() == len(COMPANIES["francophonie"]) >= 25
        assert Sector.objects.filter(parent=None).count() >= 8 and Sector.objects.exclude(parent=None).exists()
        assert Representative.objects.get(user=alpha.members["company_rep"]).company.name == "Karité d'Or SARL"
        assert ExpertProfile.objects.filter(user=alpha.members["expert"]).exists()
        assert Company.objects.filter(is_recommended=True).exists()
        assert any(company.is_verified for company in Company.objects.all())
        assert DirectorySettings.objects.get(pk=1).is_public is False
