"""Personal data in promotion: the campaigns a buyer was sent, the requests a person sent."""

from shared_apps.privacy.registry import erasure_handler, export_section
from tenant_apps.promotion.models import (
    Banner,
    Campaign,
    CampaignRecipient,
    FeaturedCompany,
    FeaturedProduct,
    PromotionRequest,
    SponsoredKeyword,
)


@export_section("promotion_campaigns_received")
def campaigns_received(*, user, tenant):
    return [
        {"campaign": row.campaign.name, "status": row.status,
         "sent_at": row.sent_at.isoformat() if row.sent_at else None,
         "unsubscribed_at": row.unsubscribed_at.isoformat() if row.unsubscribed_at else None}
        for row in CampaignRecipient.objects.filter(user_id=user.pk).select_related("campaign")
    ]


@export_section("promotion_requests_sent")
def requests_sent(*, user, tenant):
    return [
        {"company": request.company.name, "kind": request.kind, "reach": request.reach,
         "starts_on": request.starts_on.isoformat(), "ends_on": request.ends_on.isoformat(),
         "message": request.message, "status": request.status, "created_at": request.created_at.isoformat()}
        for request in PromotionRequest.objects.filter(requested_by_id=user.pk).select_related("company")
    ]


@erasure_handler
def forget_promotion_person(*, user, tenant):
    # Campaign rows are the person's own; requests, quotes and schedules belong to the
    # companies and the programme, which keep them without the link to the person.
    CampaignRecipient.objects.filter(user_id=user.pk).delete()
    PromotionRequest.objects.filter(requested_by_id=user.pk).update(requested_by_id=None)
    PromotionRequest.objects.filter(quoted_by_id=user.pk).update(quoted_by_id=None)
    PromotionRequest.objects.filter(decided_by_id=user.pk).update(decided_by_id=None)
    for model in (Banner, Campaign, FeaturedCompany, FeaturedProduct, SponsoredKeyword):
        model.objects.filter(created_by_id=user.pk).update(created_by_id=None)
