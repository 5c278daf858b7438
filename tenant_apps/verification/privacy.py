"""Personal data in verification: the documents a person uploaded (a director's ID among them)."""

from shared_apps.privacy.registry import erasure_handler, export_section
from tenant_apps.verification.models import Decision, Document


@export_section("verification_documents")
def uploaded_documents(*, user, tenant):
    return [
        {"document_type": document.document_type.label, "file_name": document.original_name,
         "company": document.request.company.name, "uploaded_at": document.uploaded_at.isoformat()}
        for document in Document.objects.filter(uploaded_by_id=user.pk).select_related(
            "document_type", "request__company")
    ]


@erasure_handler
def forget_verification_actor(*, user, tenant):
    # The company keeps its documents and history; only the link to the person goes.
    Document.objects.filter(uploaded_by_id=user.pk).update(uploaded_by_id=None)
    Decision.objects.filter(actor_id=user.pk).update(actor_id=None, actor_label="")
