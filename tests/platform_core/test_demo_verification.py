from django_tenants.utils import tenant_context

from platform_core.demo_directory import seed_directory
from platform_core.demo_verification import SCENARIOS, seed_verification
from tenant_apps.directory.models import Company
from tenant_apps.verification import selectors
from tenant_apps.verification.models import Finding, VerificationRequest
from tests.factories import MembershipFactory

Status = VerificationRequest.Status


def _demo_people(programme):
    people = {"Jean-Baptiste Kaboré": programme.members["moderator"]}
    for scenario in SCENARIOS:
        people[f"{scenario.company} — pays"] = MembershipFactory(tenant=programme.tenant, role="company_rep").user
    return people


def test_demo_fills_a_moderation_queue_in_every_state_once(alpha, settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    people = _demo_people(alpha)
    with tenant_context(alpha.tenant):
        seed_directory(alpha.tenant, "francophonie", people)
        seed_verification(people)
        seed_verification(people)

        statuses = {request.company.name: request.status for request in VerificationRequest.objects.select_related("company")}
        assert statuses == {
            "Karité d'Or SARL": Status.APPROVED, "Coopérative Cacao d'Abidjan": Status.REJECTED,
            "Fromagerie du Saguenay": Status.MORE_INFORMATION, "Sénégal Fruits Export": Status.SUBMITTED,
            "Atlas Agro": Status.SUBMITTED, "Tunis Textiles": Status.UNDER_REVIEW,
        }
        queue = list(selectors.review_queue())
        assert [item.company.name for item in queue] == ["Sénégal Fruits Export", "Atlas Agro", "Tunis Textiles"]
        assert all(item.warning_count for item in queue[:2]) and all(item.document_count == 4 for item in queue)
        atlas = Finding.objects.filter(request__company__name="Atlas Agro")
        assert {"registration_format", "company_name", "age", "duplicate_file", "email_domain"} <= set(
            atlas.filter(severity=Finding.Severity.WARNING).values_list("check_name", flat=True))
        assert Company.objects.get(name="Karité d'Or SARL").is_verified
        assert not Company.objects.get(name="Coopérative Cacao d'Abidjan").is_verified
