from django_tenants.utils import tenant_context

from tenant_apps.analytics.demo import seed_analytics
from tenant_apps.analytics.models import DailyStat, Event, InquiryFact
from tenant_apps.catalogue.models import SupportedCompany
from tests.tenant_apps.analytics.conftest import make_company


def test_demo_activity_is_seeded_once_and_rolled_up(beta):
    beta.tenant.kpis = [{"key": "buyer_inquiries", "label": "Buyer inquiries per month", "target": 120, "unit": "inquiries"}]
    beta.tenant.save(update_fields=["kpis"])
    with tenant_context(beta.tenant):
        for n in range(3):
            make_company(name=f"Démo {n}", supported=n == 0)

        seed_analytics(beta.tenant)
        count = Event.objects.count()
        seed_analytics(beta.tenant)

        assert Event.objects.count() == count > 1000
        assert SupportedCompany.objects.count() == 3
        assert DailyStat.objects.filter(scope=DailyStat.Scope.PROGRAMME_VIEWS).exists()
        assert InquiryFact.objects.exists()
    beta.tenant.refresh_from_db()
    assert beta.tenant.kpis[0]["metric"] == "inquiries_received"
