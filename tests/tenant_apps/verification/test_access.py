import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import tenant_context

from shared_apps.audit.models import AuditEvent
from tenant_apps.directory.models import Company, Representative
from tenant_apps.verification import services
from tenant_apps.verification.models import DocumentType
from tests.conftest import sign_in
from tests.factories import MembershipFactory, UserFactory
from tests.tenant_apps.verification.conftest import pdf_upload


@pytest.fixture
def document(alpha, company):
    with tenant_context(alpha.tenant):
        request = services.open_request(company=company)
        return services.upload_document(verification_request=request, upload=pdf_upload(),
                                        document_type=DocumentType.objects.get(code="trade_register"),
                                        actor=alpha.members["company_rep"])


@pytest.mark.parametrize(("actor", "allowed"), [
    ("company_rep", True), ("moderator", True), ("tenant_admin", True),
    ("expert", False), ("buyer", False), ("guest", False),
])
def test_documents_open_only_to_the_company_its_reviewers_and_admins(alpha, document, actor, allowed):
    response = alpha.client(alpha.members[actor]).get(f"/verification/documents/{document.pk}/")
    assert response.status_code == (200 if allowed else 404)
    if allowed:
        assert response["Content-Type"] == "application/pdf"
        assert "attachment" in response["Content-Disposition"]
        assert b"".join(response.streaming_content).startswith(b"%PDF")
        events = AuditEvent.objects.for_tenant(alpha.tenant).filter(action="verification.document_downloaded")
        assert events.filter(actor=alpha.members[actor], target_id=str(document.pk)).exists()


def test_a_representative_of_another_company_cannot_open_the_document(alpha, document):
    stranger = UserFactory()
    MembershipFactory(user=stranger, tenant=alpha.tenant, role="company_rep")
    with tenant_context(alpha.tenant):
        other = Company.objects.create(name="Other", country="FR")
        Representative.objects.create(company=other, user=stranger, is_owner=True)
    assert alpha.client(stranger).get(f"/verification/documents/{document.pk}/").status_code == 404


def test_anonymous_visitors_and_other_tenants_never_get_a_document(alpha, beta, document):
    response = alpha.client().get(f"/verification/documents/{document.pk}/")
    assert response.status_code == 302 and "/accounts/sign-in/" in response["Location"]
    client = alpha.client()
    sign_in(client, beta.members["tenant_admin"])
    assert client.get(f"/verification/documents/{document.pk}/").status_code == 404
    assert beta.client(beta.members["tenant_admin"]).get(f"/verification/documents/{document.pk}/").status_code == 404


def test_the_inline_preview_may_be_framed_by_the_site_only(alpha, document):
    response = alpha.client(alpha.members["moderator"]).get(f"/verification/documents/{document.pk}/?inline=1")
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    assert "frame-ancestors 'self'" in response["Content-Security-Policy"]
    assert "inline" in response["Content-Disposition"]
    assert response["Cache-Control"] == "private, no-store"


def test_documents_are_stored_outside_the_public_media_root(alpha, document, settings):
    with tenant_context(alpha.tenant):
        path = document.file.path
        assert path.startswith(str(settings.PRIVATE_MEDIA_ROOT))
        assert not path.startswith(str(settings.MEDIA_ROOT))
        with pytest.raises(ValueError):
            document.file.url  # noqa: B018


def test_another_tenants_moderator_sees_nothing_of_the_request(alpha, beta, document):
    request = document.request
    client = beta.client(beta.members["moderator"])
    assert client.get(f"/verification/review/{request.pk}/").status_code == 404
    assert "Société Générale" not in client.get("/verification/review/").content.decode()


def test_the_review_queue_is_oldest_first_with_a_fixed_number_of_queries(alpha, django_capture_on_commit_callbacks):
    from django.utils import timezone

    from tenant_apps.verification.models import VerificationRequest

    with tenant_context(alpha.tenant):
        for index in range(6):
            company = Company.objects.create(name=f"Firm {index}", country="FR")
            VerificationRequest.objects.create(company=company, status="submitted",
                                               submitted_at=timezone.now() - timezone.timedelta(days=index))
    client = alpha.client(alpha.members["moderator"])
    client.get("/verification/review/")
    with CaptureQueriesContext(connection) as queries:
        html = client.get("/verification/review/").content.decode()
    assert html.index("Firm 5") < html.index("Firm 0")
    baseline = len(queries)
    with tenant_context(alpha.tenant):
        for index in range(6, 12):
            company = Company.objects.create(name=f"Firm {index}", country="FR")
            VerificationRequest.objects.create(company=company, status="submitted", submitted_at=timezone.now())
    with CaptureQueriesContext(connection) as queries:
        client.get("/verification/review/")
    assert len(queries) == baseline
