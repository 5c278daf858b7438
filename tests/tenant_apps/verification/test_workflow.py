from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django_tenants.utils import tenant_context

from shared_apps.audit.models import AuditEvent
from tenant_apps.notifications.models import Notification
from tenant_apps.verification import services, tasks
from tenant_apps.verification.models import Document, DocumentType, VerificationRequest
from tests.tenant_apps.verification.conftest import make_png, pdf_upload

Status = VerificationRequest.Status


def _upload_all(client, captured):
    with captured(execute=True):
        for document_type in DocumentType.objects.all():
            response = client.post("/verification/documents/", {
                "document_type": document_type.pk, "file": pdf_upload(name=f"{document_type.code}.pdf"),
                "issued_on": timezone.localdate().isoformat()})
            assert response.status_code == 302, response.content[:600]


def _submitted(alpha, company, captured):
    client = alpha.client(alpha.members["company_rep"])
    with tenant_context(alpha.tenant):
        _upload_all(client, captured)
    with captured(execute=True):
        assert client.post("/verification/submit/").status_code == 302
    with tenant_context(alpha.tenant):
        return VerificationRequest.objects.get(company=company)


def test_from_upload_to_badge_to_expiry(alpha, company, django_capture_on_commit_callbacks):
    rep, moderator = alpha.members["company_rep"], alpha.members["moderator"]
    request = _submitted(alpha, company, django_capture_on_commit_callbacks)
    assert request.status == Status.SUBMITTED and request.submitted_at is not None

    reviewer = alpha.client(moderator)
    queue = reviewer.get("/verification/review/")
    assert company.name in queue.content.decode()
    page = reviewer.get(f"/verification/review/{request.pk}/")
    html = page.content.decode()
    assert page.status_code == 200 and "<iframe" in html and "?inline=1" in html
    assert "<script>" not in html
    assert reviewer.post(f"/verification/review/{request.pk}/", {"action": "start"}).status_code == 302
    response = reviewer.post(f"/verification/review/{request.pk}/", {"decision": "approve", "reason": ""})
    assert response.status_code == 302

    with tenant_context(alpha.tenant):
        company.refresh_from_db()
        assert company.is_verified
        assert company.verification_expires_at.date() == (timezone.now() + timedelta(days=365)).date()
        titles = list(Notification.objects.filter(recipient=rep).values_list("title", flat=True))
        assert "Your company is verified" in titles and "Your verification is under review" in titles
        assert Notification.objects.filter(recipient=moderator, kind="verification.to_review").exists()
        assert AuditEvent.objects.for_tenant(alpha.tenant).filter(action="verification.approved").exists()

        counts = services.process_expiries(now=company.verification_expires_at - timedelta(days=29))
        assert counts == {"reminded": 1, "expired": 0}
        assert services.process_expiries(now=company.verification_expires_at - timedelta(days=28))["reminded"] == 0
        assert services.process_expiries(now=company.verification_expires_at - timedelta(days=6))["reminded"] == 1
        assert Notification.objects.filter(recipient=rep, kind="verification.expiring").count() == 2

        services.process_expiries(now=company.verification_expires_at + timedelta(seconds=1))
        company.refresh_from_db()
        assert not company.is_verified and company.verified_at is None
        assert VerificationRequest.objects.get(pk=request.pk).status == Status.EXPIRED
        assert Notification.objects.filter(recipient=rep, title="Your verification has expired").exists()
        assert services.open_request(company=company).status == Status.DRAFT


def test_beat_task_fans_out_to_every_programme(alpha, company, django_capture_on_commit_callbacks):
    request = _submitted(alpha, company, django_capture_on_commit_callbacks)
    with tenant_context(alpha.tenant):
        services.approve(verification_request=request, reviewer=alpha.members["moderator"])
        company.refresh_from_db()
        company.verification_expires_at = timezone.now() - timedelta(minutes=1)
        company.save()
    assert tasks.process_expiries_all_tenants() >= 2
    with tenant_context(alpha.tenant):
        company.refresh_from_db()
        assert company.verification_expires_at is None


def test_submitting_without_every_required_document_is_refused(alpha, company):
    client = alpha.client(alpha.members["company_rep"])
    response = client.post("/verification/submit/", follow=True)
    assert "Please add:" in response.content.decode()
    with tenant_context(alpha.tenant):
        assert VerificationRequest.objects.get(company=company).status == Status.DRAFT


def test_more_information_then_resubmission(alpha, company, django_capture_on_commit_callbacks):
    request = _submitted(alpha, company, django_capture_on_commit_callbacks)
    reviewer = alpha.client(alpha.members["moderator"])
    response = reviewer.post(f"/verification/review/{request.pk}/", {"decision": "more_information", "reason": ""})
    assert response.status_code == 400 and "Tell the company why" in response.content.decode()
    reviewer.post(f"/verification/review/{request.pk}/", {"decision": "more_information", "reason": "Send a newer extract"})
    rep_client = alpha.client(alpha.members["company_rep"])
    page = rep_client.get("/verification/").content.decode()
    assert "Send a newer extract" in page and "Upload" in page
    rep_client.post("/verification/submit/")
    with tenant_context(alpha.tenant):
        assert VerificationRequest.objects.get(pk=request.pk).status == Status.SUBMITTED


def test_rejection_needs_a_reason_and_an_appeal_goes_to_another_moderator_once(alpha, company, django_capture_on_commit_callbacks):
    from tests.conftest import enrol_backup_codes
    from tests.factories import MembershipFactory, UserFactory

    request = _submitted(alpha, company, django_capture_on_commit_callbacks)
    first = alpha.members["moderator"]
    second = UserFactory(email="second-moderator@alpha.example.org")
    MembershipFactory(user=second, tenant=alpha.tenant, role="moderator")
    enrol_backup_codes(second)
    with tenant_context(alpha.tenant):
        with pytest.raises(services.VerificationError):
            services.reject(verification_request=request, reviewer=first, reason=" ")
        services.reject(verification_request=request, reviewer=first, reason="The extract is for another company")
    rep_client = alpha.client(alpha.members["company_rep"])
    assert "Appeal the refusal" in rep_client.get("/verification/").content.decode()
    response = rep_client.post("/verification/appeal/", {"statement": ""})
    assert response.status_code == 400
    with django_capture_on_commit_callbacks(execute=True):
        rep_client.post("/verification/documents/", {"document_type": _trade_register(alpha), "file": pdf_upload(name="new.pdf")})
        assert rep_client.post("/verification/appeal/", {"statement": "Here is the right extract"}).status_code == 302
    with tenant_context(alpha.tenant):
        request.refresh_from_db()
        assert request.status == Status.APPEALED
        with pytest.raises(services.SameReviewerForAppeal):
            services.approve(verification_request=request, reviewer=first)
    response = alpha.client(first).post(f"/verification/review/{request.pk}/", {"decision": "approve"})
    assert response.status_code == 400 and "another moderator must decide the appeal" in response.content.decode()
    with tenant_context(alpha.tenant):
        services.reject(verification_request=request, reviewer=second, reason="Still not matching")
        request.refresh_from_db()
        assert request.status == Status.APPEAL_REJECTED
        with pytest.raises(services.AppealAlreadyUsed):
            services.appeal(verification_request=request, statement="Again", actor=alpha.members["company_rep"])
        assert [d.to_status for d in request.decisions.all()] == [
            "submitted", "rejected", "appealed", "appeal_rejected"]
    assert "Appeal the refusal" not in rep_client.get("/verification/").content.decode()


def _trade_register(alpha):
    with tenant_context(alpha.tenant):
        return DocumentType.objects.get(code="trade_register").pk


def test_an_appeal_approved_by_another_moderator_gives_the_badge(alpha, company, django_capture_on_commit_callbacks):
    request = _submitted(alpha, company, django_capture_on_commit_callbacks)
    with tenant_context(alpha.tenant):
        services.reject(verification_request=request, reviewer=alpha.members["moderator"], reason="Unclear")
        services.appeal(verification_request=request, statement="Look again", actor=alpha.members["company_rep"])
        services.approve(verification_request=request, reviewer=alpha.members["tenant_admin"])
        request.refresh_from_db()
        company.refresh_from_db()
        assert request.status == Status.APPEAL_APPROVED and company.is_verified


def test_a_moderator_cannot_review_their_own_company(alpha, company, django_capture_on_commit_callbacks):
    from tenant_apps.directory.models import Representative

    request = _submitted(alpha, company, django_capture_on_commit_callbacks)
    moderator = alpha.members["moderator"]
    with tenant_context(alpha.tenant):
        Representative.objects.create(company=company, user=moderator)
        with pytest.raises(services.CannotReviewOwnCompany):
            services.approve(verification_request=request, reviewer=moderator)
    client = alpha.client(moderator)
    assert "another moderator must review it" in client.get(f"/verification/review/{request.pk}/").content.decode()
    assert client.post(f"/verification/review/{request.pk}/", {"decision": "approve"}).status_code == 403
    with tenant_context(alpha.tenant):
        company.refresh_from_db()
        assert not company.is_verified


@pytest.mark.parametrize(("name", "content", "message"), [
    ("fake.pdf", b"MZ\x90\x00 not a pdf at all" * 10, "This kind of file is not accepted"),
    ("broken.pdf", b"%PDF-1.4\n garbage", "damaged or incomplete"),
    ("empty.pdf", b"", "empty"),
])
def test_bad_files_are_refused_next_to_the_field(alpha, company, name, content, message):
    client = alpha.client(alpha.members["company_rep"])
    response = client.post("/verification/documents/", {"document_type": _trade_register(alpha),
                                                         "file": SimpleUploadedFile(name, content)})
    assert response.status_code == 400
    assert message in response.content.decode()
    with tenant_context(alpha.tenant):
        assert not Document.objects.exists()


def test_images_are_accepted_and_shown_inline_to_reviewers(alpha, company, django_capture_on_commit_callbacks):
    client = alpha.client(alpha.members["company_rep"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/verification/documents/", {"document_type": _trade_register(alpha),
                                                             "file": SimpleUploadedFile("id.png", make_png())})
    assert response.status_code == 302
    with tenant_context(alpha.tenant):
        document = Document.objects.get()
        assert document.content_type == "image/png" and len(document.sha256) == 64
        assert "private" in document.file.path and "media" not in document.file.path.split("private")[1]


def test_settings_page_changes_validity_and_document_types(alpha):
    client = alpha.client(alpha.members["tenant_admin"])
    page = client.get("/manage/verification/")
    assert page.status_code == 200
    with tenant_context(alpha.tenant):
        types = list(DocumentType.objects.all())
    data = {"settings-validity_days": "180", "settings-reminder_days": "60, 14",
            "types-TOTAL_FORMS": str(len(types) + 1), "types-INITIAL_FORMS": str(len(types)),
            "types-MIN_NUM_FORMS": "0", "types-MAX_NUM_FORMS": "1000"}
    for index, kind in enumerate(types):
        data.update({f"types-{index}-id": kind.pk, f"types-{index}-name": kind.name,
                     f"types-{index}-max_age_days": kind.max_age_days or "", f"types-{index}-position": kind.position,
                     f"types-{index}-is_required": "on"})
    data.update({f"types-{len(types)}-name": "Tax certificate", f"types-{len(types)}-max_age_days": "30",
                 f"types-{len(types)}-position": "50", f"types-{len(types)}-is_required": "on"})
    assert client.post("/manage/verification/", data).status_code == 302
    bad = client.post("/manage/verification/", {**data, "settings-reminder_days": "soon"})
    assert bad.status_code == 400 and "Enter whole numbers" in bad.content.decode() and "soon" in bad.content.decode()
    with tenant_context(alpha.tenant):
        current = services.current_settings()
        assert current.validity_days == 180 and current.reminder_days == [60, 14]
        assert DocumentType.objects.get(name="Tax certificate").code == "tax-certificate"
