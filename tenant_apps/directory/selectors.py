"""Reads for profile pages: who may see which profile, and what a page shows."""

from __future__ import annotations

from django.db.models import Prefetch
from django.http import Http404

from shared_apps.accounts.permissions import can, role_in
from tenant_apps.directory.models import Company, ExpertProfile, Representative, Sector, Tag
from tenants import catalog


def is_member(user, tenant) -> bool:
    return role_in(user, tenant) != catalog.VISITOR


def may_see(*, user, tenant, visibility: str, is_own: bool) -> bool:
    """Public profiles are for everyone, members-only for members, hidden ones for their people and moderators."""
    if not tenant.has_module("directory"):
        return False
    if is_own or can(user, "directory.moderate", tenant=tenant):
        return True
    if visibility == Company.Visibility.PUBLIC:
        return True
    if visibility == Company.Visibility.MEMBERS:
        return is_member(user, tenant)
    return False


def company_for_page(*, pk: int, user, tenant) -> tuple[Company, Representative | None]:
    """The company and the viewer's own representative row; 404 when the viewer may not see it."""
    company = (
        Company.objects.select_related("sector", "sector__parent")
        .prefetch_related("tags", "missions", "media",
                          Prefetch("representatives", queryset=Representative.objects.select_related("user").order_by("-is_owner", "created_at")))
        .filter(pk=pk).first()
    )
    if company is None:
        raise Http404
    own = next((rep for rep in company.representatives.all() if user.is_authenticated and rep.user_id == user.pk), None)
    if not may_see(user=user, tenant=tenant, visibility=company.visibility, is_own=own is not None):
        raise Http404
    return company, own


def company_of(user) -> Company | None:
    rep = Representative.objects.filter(user=user).select_related("company").first() if user.is_authenticated else None
    return rep.company if rep else None


def representative_of(user, company: Company) -> Representative | None:
    if not user.is_authenticated:
        return None
    return Representative.objects.filter(user=user, company=company).first()


def expert_for_page(*, pk: int, user, tenant) -> ExpertProfile:
    profile = ExpertProfile.objects.prefetch_related("expertise", "sectors").filter(pk=pk).first()
    if profile is None:
        raise Http404
    is_own = user.is_authenticated and profile.user_id == user.pk
    if not may_see(user=user, tenant=tenant, visibility=profile.visibility, is_own=is_own):
        raise Http404
    return profile


def expert_profile_of(user) -> ExpertProfile | None:
    return ExpertProfile.objects.filter(user=user).first() if user.is_authenticated else None


def users_by_id(ids) -> dict:
    from shared_apps.accounts.models import User

    return User.objects.in_bulk(list(ids))


def sector_tree() -> list[tuple[Sector, list[Sector]]]:
    """Top-level sectors in order, each with its sub-sectors in order (one query)."""
    sectors = list(Sector.objects.order_by("position", "name"))
    children: dict[int, list[Sector]] = {}
    for sector in sectors:
        if sector.parent_id:
            children.setdefault(sector.parent_id, []).append(sector)
    return [(sector, children.get(sector.pk, [])) for sector in sectors if sector.parent_id is None]


def sector_choices() -> list[tuple]:
    """Choices for a select: sub-sectors grouped under their top-level sector."""
    choices = []
    for top, subs in sector_tree():
        choices.append((top.pk, top.label))
        choices.extend((sub.pk, f"{top.label} › {sub.label}") for sub in subs)
    return choices


def tags_with_counts():
    from django.db.models import Count

    return Tag.objects.annotate(company_count=Count("companies", distinct=True), expert_count=Count("experts", distinct=True))


def profile_for_dashboard(user, tenant) -> dict | None:
    """The signed-in person's own profile and its completion, for the dashboard card."""
    from tenant_apps.directory import services

    if not tenant.has_module("directory") or not can(user, "profiles.edit_own", tenant=tenant):
        return None
    company = company_of(user)
    if company is not None:
        return {"title": company.name, "url": f"/directory/companies/{company.pk}/",
                "completion": services.company_completion(company)}
    expert = expert_profile_of(user)
    if expert is not None:
        return {"title": expert.headline, "url": f"/directory/experts/{expert.pk}/",
                "completion": services.expert_completion(expert)}
    role = role_in(user, tenant)
    if role not in (catalog.COMPANY_REP, catalog.EXPERT):
        return None
    is_expert = role == catalog.EXPERT
    return {"title": None, "url": "/directory/experts/mine/" if is_expert else "/directory/companies/new/",
            "completion": None}
