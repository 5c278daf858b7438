"""Personal data the catalogue holds: a buyer's profile and saved items."""

from shared_apps.privacy.registry import erasure_handler, export_section


@export_section("buyer_profile")
def buyer_profile(*, user, tenant):
    from tenant_apps.catalogue.models import BuyerProfile

    return [
        {"company": profile.company_name, "country": str(profile.country), "sector": profile.sector,
         "job_role": profile.job_role, "job_title": profile.job_title,
         "interests": [vertical.name for vertical in profile.interests.all()],
         "opted_in_marketing": profile.opted_in_marketing,
         "marketing_opt_in_at": profile.marketing_opt_in_at.isoformat() if profile.marketing_opt_in_at else None,
         "created_at": profile.created_at.isoformat()}
        for profile in BuyerProfile.objects.filter(user=user).prefetch_related("interests")
    ]


@export_section("saved_items")
def saved_items(*, user, tenant):
    from tenant_apps.catalogue.models import SavedCompany, SavedProduct

    products = [{"product": saved.product.title, "saved_at": saved.created_at.isoformat()}
                for saved in SavedProduct.objects.filter(user=user).select_related("product")]
    companies = [{"company": saved.company.name, "saved_at": saved.created_at.isoformat()}
                 for saved in SavedCompany.objects.filter(user=user).select_related("company")]
    return products + companies


@erasure_handler
def forget_buyer(*, user, tenant):
    from tenant_apps.catalogue.models import BuyerProfile, SavedCompany, SavedProduct

    SavedProduct.objects.filter(user=user).delete()
    SavedCompany.objects.filter(user=user).delete()
    BuyerProfile.objects.filter(user=user).delete()
