"""The showroom demo gets a few threads in various states, once."""

from django_tenants.utils import tenant_context

from platform_core.demo_directory import seed_directory
from tenant_apps.analytics.models import Event
from tenant_apps.inquiries.demo import seed_inquiries
from tenant_apps.inquiries.models import Inquiry
from tenant_apps.inquiries.selectors import inquiry_stats
from tests.tenant_apps.inquiries.conftest import member


def test_demo_threads_are_seeded_once_in_various_states(beta):
    people = {
        "Usinage Précis Lyonnais": member(beta, "company_rep"), "AgriTech Beauce": member(beta, "company_rep"),
        "MedSensor Grenoble": member(beta, "company_rep"), "Aéro Composites Toulouse": member(beta, "company_rep"),
        "Ahmed Al-Mansouri": member(beta, "buyer"), "Ingrid Johansson": member(beta, "buyer"),
    }
    with tenant_context(beta.tenant):
        seed_directory(beta.tenant, "showroom", people)
    seed_inquiries(beta.tenant, "showroom", people)
    seed_inquiries(beta.tenant, "showroom", people)
    seed_inquiries(beta.tenant, "francophonie", people)

    with tenant_context(beta.tenant):
        assert Inquiry.objects.count() == 5
        assert set(Inquiry.objects.values_list("status", flat=True)) == {"won", "answered", "new", "quoted", "closed"}
        assert set(Inquiry.objects.values_list("kind", flat=True)) == {"rfq", "question", "order", "contact"}
        stats = inquiry_stats()
        assert sum(row.total for row in stats) == 5 and all(row.company_name for row in stats)
        assert any(row.median_first_response for row in stats)
        for inquiry in Inquiry.objects.all():
            assert inquiry.history.order_by("created_at", "pk").first().action == "created"
            assert inquiry.last_activity_at >= inquiry.created_at
            events = Event.objects.filter(inquiry_id=inquiry.pk)
            assert all(inquiry.created_at <= event.occurred_at <= inquiry.last_activity_at for event in events)
