"""Personal data in inquiries: what a copy of one's data shows, what erasure does.

A buyer's threads are the company's records too (B-MON): erasure unlinks the buyer and
drops their organisation, and the messages stay, with no name attached.
"""

from shared_apps.privacy.registry import erasure_handler, export_section


@export_section("inquiries")
def inquiries_sent(*, user, tenant):
    from tenant_apps.inquiries.models import Inquiry

    return [
        {"company": inquiry.company.name, "product": inquiry.product.title if inquiry.product else "",
         "kind": inquiry.kind, "subject": inquiry.subject, "status": inquiry.status,
         "organisation": inquiry.buyer_organisation, "country": str(inquiry.buyer_country),
         "sent_at": inquiry.created_at.isoformat()}
        for inquiry in Inquiry.objects.filter(buyer=user).select_related("company", "product")
    ]


@export_section("inquiry_messages")
def messages_written(*, user, tenant):
    from tenant_apps.inquiries.models import Message

    return [
        {"inquiry": message.inquiry.subject, "company": message.inquiry.company.name, "side": message.side,
         "message": message.body, "written_at": message.created_at.isoformat(),
         "attachments": [attachment.original_name for attachment in message.attachments.all()]}
        for message in Message.objects.filter(author_id=user.pk).select_related("inquiry__company")
        .prefetch_related("attachments")
    ]


@erasure_handler
def forget_buyer(*, user, tenant):
    from tenant_apps.inquiries.models import Inquiry

    Inquiry.objects.filter(buyer=user).update(buyer=None, buyer_organisation="")
