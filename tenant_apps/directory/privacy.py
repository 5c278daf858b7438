"""Personal data held in profiles: what a copy of one's data shows, what erasure does."""

from shared_apps.privacy.registry import erasure_handler, export_section


@export_section("company_representation")
def company_representation(*, user, tenant):
    from tenant_apps.directory.models import Representative

    return [
        {"company": rep.company.name, "job_title": rep.job_title, "is_owner": rep.is_owner,
         "since": rep.created_at.isoformat()}
        for rep in Representative.objects.filter(user=user).select_related("company")
    ]


@export_section("expert_profile")
def expert_profile(*, user, tenant):
    from tenant_apps.directory.models import ExpertProfile

    return [
        {"headline": p.headline, "bio": p.bio, "countries": [str(c) for c in p.countries], "languages": p.languages,
         "availability": p.availability, "visibility": p.visibility, "created_at": p.created_at.isoformat()}
        for p in ExpertProfile.objects.filter(user=user)
    ]


@erasure_handler
def forget_profiles(*, user, tenant):
    from tenant_apps.directory.models import ExpertProfile, RepresentativeInvitation
    from tenant_apps.directory.services import forget_representative

    forget_representative(user=user)
    ExpertProfile.objects.filter(user=user).delete()
    RepresentativeInvitation.objects.filter(email__iexact=user.email).delete()
