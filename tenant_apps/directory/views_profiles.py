"""Company and expert profile pages, their editing, and the taxonomies behind them."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from platform_core.forms import add_service_errors, posted, response_status
from shared_apps.accounts.models import Membership
from shared_apps.accounts.permissions import permission_required
from tenant_apps.analytics.models import Event
from tenant_apps.analytics.services import record_event
from tenant_apps.directory import forms, selectors, services
from tenant_apps.directory.models import CompanyMedia, MissionParticipation, Representative, Sector, Tag
from tenants import catalog


def _own_company(request, pk: int):
    """The company ``pk`` if the signed-in person represents it; 404 otherwise, as if it did not exist."""
    rep = Representative.objects.select_related("company").filter(company_id=pk, user=request.user).first()
    if rep is None:
        raise Http404
    return rep.company, rep


# Companies


@permission_required("profiles.edit_own")
def company_mine(request):
    company = selectors.company_of(request.user)
    if company is None:
        return redirect("directory:company-create")
    return redirect("directory:company-detail", pk=company.pk)


@permission_required("profiles.edit_own")
@require_http_methods(["GET", "POST"])
def company_create(request):
    if selectors.company_of(request.user) is not None:
        return redirect("directory:company-mine")
    form = forms.CompanyProfileForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            company = services.create_company_profile(user=request.user, **form.profile_values())
        except (services.ProfileError, ValidationError) as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Your company profile is created. Complete it so buyers and partners find you."))
            return redirect("directory:company-detail", pk=company.pk)
    return render(request, "directory/company_form.html", {"form": form, "company": None}, status=response_status(form))


def company_detail(request, pk: int):
    company, own = selectors.company_for_page(pk=pk, user=request.user, tenant=request.tenant)
    if own is None:
        # A company's own people looking at their page are not visitors.
        record_event(Event.Kind.COMPANY_VIEW, request=request, company_id=company.pk)
    is_member = selectors.is_member(request.user, request.tenant)
    context = {
        "company": company,
        "own": own,
        "show_contacts": is_member,
        "can_moderate": "directory.moderate" in request.permissions,
        "completion": services.company_completion(company) if own else None,
        "photos": [m for m in company.media.all() if m.kind == CompanyMedia.Kind.PHOTO],
        "brochures": [m for m in company.media.all() if m.kind == CompanyMedia.Kind.BROCHURE],
    }
    return render(request, "directory/company_detail.html", context)


@permission_required("profiles.edit_own")
@require_http_methods(["GET", "POST"])
def company_edit(request, pk: int):
    company, _rep = _own_company(request, pk)
    form = forms.CompanyProfileForm(posted(request), instance=company)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_company_profile(actor=request.user, company=company, **form.profile_values())
        except (services.ProfileError, ValidationError) as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Profile saved."))
            return redirect("directory:company-detail", pk=company.pk)
    if form.is_bound:
        company.refresh_from_db()
    return render(request, "directory/company_form.html", {"form": form, "company": company}, status=response_status(form))


@permission_required("profiles.edit_own")
@require_http_methods(["GET", "POST"])
def company_media(request, pk: int):
    company, _rep = _own_company(request, pk)
    files = request.FILES if request.method == "POST" else None
    is_logo = request.method == "POST" and request.POST.get("form") == "logo"
    logo_form = forms.LogoForm(posted(request) if is_logo else None, files if is_logo else None)
    media_form = forms.MediaForm(posted(request) if request.method == "POST" and not is_logo else None,
                                 files if not is_logo else None)
    form = logo_form if is_logo else media_form
    if request.method == "POST" and form.is_valid():
        try:
            if is_logo:
                services.set_logo(actor=request.user, company=company, upload=form.cleaned_data["logo"])
            else:
                services.add_media(actor=request.user, company=company, kind=form.cleaned_data["kind"],
                                   upload=form.cleaned_data["file"], title=form.cleaned_data["title"])
        except ValidationError as error:
            form.add_error("logo" if is_logo else "file", error)
        except services.ProfileError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("File added."))
            return redirect("directory:company-media", pk=company.pk)
    context = {"company": company, "logo_form": logo_form, "media_form": media_form, "media": company.media.all()}
    return render(request, "directory/company_media.html", context, status=response_status(form))


@permission_required("profiles.edit_own")
@require_POST
def company_media_delete(request, pk: int, media_pk: int):
    company, _rep = _own_company(request, pk)
    media = get_object_or_404(CompanyMedia, pk=media_pk, company=company)
    services.remove_media(actor=request.user, company=company, media=media)
    messages.success(request, _("File removed."))
    return redirect("directory:company-media", pk=company.pk)


@permission_required("profiles.edit_own")
@require_POST
def company_logo_delete(request, pk: int):
    company, _rep = _own_company(request, pk)
    services.remove_logo(actor=request.user, company=company)
    messages.success(request, _("Logo removed."))
    return redirect("directory:company-media", pk=company.pk)


@permission_required("profiles.edit_own")
@require_http_methods(["GET", "POST"])
def company_missions(request, pk: int):
    company, _rep = _own_company(request, pk)
    form = forms.MissionForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.add_mission(actor=request.user, company=company, **form.cleaned_data)
        except (services.ProfileError, ValidationError) as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Mission added."))
            return redirect("directory:company-missions", pk=company.pk)
    context = {"company": company, "form": form, "missions": company.missions.all()}
    return render(request, "directory/company_missions.html", context, status=response_status(form))


@permission_required("profiles.edit_own")
@require_POST
def company_mission_delete(request, pk: int, mission_pk: int):
    company, _rep = _own_company(request, pk)
    mission = get_object_or_404(MissionParticipation, pk=mission_pk, company=company)
    services.remove_mission(actor=request.user, company=company, mission=mission)
    messages.success(request, _("Mission removed."))
    return redirect("directory:company-missions", pk=company.pk)


def _representatives_context(request, company, rep, add_form=None, transfer_form=None):
    representatives = list(company.representatives.select_related("user").order_by("-is_owner", "created_at"))
    taken = set(Representative.objects.values_list("user_id", flat=True))
    candidates = [
        m.user for m in Membership.objects.for_tenant(request.tenant).filter(role=catalog.COMPANY_REP)
        .select_related("user").order_by("user__full_name") if m.user_id not in taken
    ]
    others = [r for r in representatives if not r.is_owner]
    return {
        "company": company, "own": rep, "representatives": representatives,
        "pending": company.representative_invitations.order_by("email"),
        "add_form": add_form or forms.AddRepresentativeForm(candidates=candidates),
        "transfer_form": transfer_form or forms.TransferOwnershipForm(representatives=others),
        "candidates": candidates, "others": others,
    }


@permission_required("profiles.edit_own")
@require_http_methods(["GET", "POST"])
def company_representatives(request, pk: int):
    company, rep = _own_company(request, pk)
    context = _representatives_context(request, company, rep)
    form = None
    if request.method == "POST":
        if not rep.is_owner:
            raise Http404
        form = forms.AddRepresentativeForm(request.POST, candidates=context["candidates"])
        if form.is_valid():
            data = form.cleaned_data
            try:
                if data["member"]:
                    user = next((u for u in context["candidates"] if u.pk == data["member"]), None)
                    if user is None:
                        raise services.ProfileError(_("Choose someone from the list."))
                    services.add_representative(actor=request.user, company=company, user=user, job_title=data["job_title"])
                    messages.success(request, _("Representative added."))
                else:
                    result = services.invite_representative(actor=request.user, company=company, email=data["email"],
                                                            job_title=data["job_title"])
                    messages.success(request, _("Representative added.") if isinstance(result, Representative)
                                     else _("Invitation sent to %(email)s.") % {"email": data["email"]})
            except services.ProfileError as error:
                form.add_error("email" if data.get("email") and not data["member"] else "member", str(error))
            else:
                return redirect("directory:company-representatives", pk=company.pk)
        context["add_form"] = form
    return render(request, "directory/company_representatives.html", context, status=response_status(form) if form else 200)


@permission_required("profiles.edit_own")
@require_POST
def company_representative_remove(request, pk: int, rep_pk: int):
    company, _rep = _own_company(request, pk)
    representative = get_object_or_404(Representative, pk=rep_pk, company=company)
    try:
        services.remove_representative(actor=request.user, company=company, representative=representative)
    except services.ProfileError as error:
        messages.error(request, str(error))
        return redirect("directory:company-representatives", pk=company.pk)
    if representative.user_id == request.user.pk:
        messages.success(request, _("You no longer represent %(company)s.") % {"company": company.name})
        return redirect("home:dashboard")
    messages.success(request, _("Representative removed."))
    return redirect("directory:company-representatives", pk=company.pk)


@permission_required("profiles.edit_own")
@require_POST
def company_ownership_transfer(request, pk: int):
    company, rep = _own_company(request, pk)
    if not rep.is_owner:
        raise Http404
    context = _representatives_context(request, company, rep)
    form = forms.TransferOwnershipForm(request.POST, representatives=context["others"])
    if form.is_valid():
        target = next(r for r in context["others"] if r.pk == form.cleaned_data["representative"])
        try:
            services.transfer_ownership(actor=request.user, company=company, representative=target)
        except services.ProfileError as error:
            form.add_error("representative", str(error))
        else:
            messages.success(request, _("Ownership handed over."))
            return redirect("directory:company-representatives", pk=company.pk)
    context["transfer_form"] = form
    return render(request, "directory/company_representatives.html", context, status=400)


@permission_required("directory.moderate")
@require_http_methods(["GET", "POST"])
def company_moderate(request, pk: int):
    company, _own = selectors.company_for_page(pk=pk, user=request.user, tenant=request.tenant)
    initial = {"is_recommended": company.is_recommended, "tags": list(company.tags.all())}
    form = forms.ModerateForm(posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        services.moderate_company(actor=request.user, company=company, is_recommended=form.cleaned_data["is_recommended"],
                                  tags=list(form.cleaned_data["tags"]))
        messages.success(request, _("Saved."))
        return redirect("directory:company-detail", pk=company.pk)
    context = {"form": form, "profile": company, "back_url": f"/directory/companies/{company.pk}/"}
    return render(request, "directory/moderate_form.html", context, status=response_status(form))


# Experts


def expert_detail(request, pk: int):
    profile = selectors.expert_for_page(pk=pk, user=request.user, tenant=request.tenant)
    is_own = request.user.is_authenticated and profile.user_id == request.user.pk
    context = {
        "profile": profile, "person": selectors.users_by_id([profile.user_id]).get(profile.user_id),
        "is_own": is_own, "show_contacts": selectors.is_member(request.user, request.tenant),
        "can_moderate": "directory.moderate" in request.permissions,
        "completion": services.expert_completion(profile) if is_own else None,
    }
    return render(request, "directory/expert_detail.html", context)


@permission_required("profiles.edit_own")
@require_http_methods(["GET", "POST"])
def expert_mine(request):
    profile = selectors.expert_profile_of(request.user)
    form = forms.ExpertProfileForm(posted(request), instance=profile)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        sectors = data.pop("sectors")
        try:
            profile = services.save_expert_profile(user=request.user, sectors=list(sectors), **data)
        except (services.ProfileError, ValidationError) as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Profile saved."))
            return redirect("directory:expert-detail", pk=profile.pk)
    return render(request, "directory/expert_form.html", {"form": form, "profile": profile}, status=response_status(form))


@permission_required("directory.moderate")
@require_http_methods(["GET", "POST"])
def expert_moderate(request, pk: int):
    profile = selectors.expert_for_page(pk=pk, user=request.user, tenant=request.tenant)
    initial = {"is_recommended": profile.is_recommended, "tags": list(profile.expertise.all())}
    form = forms.ModerateForm(posted(request), initial=initial)
    form.fields["tags"].label = _("Expertise")
    if request.method == "POST" and form.is_valid():
        services.moderate_expert(actor=request.user, profile=profile, is_recommended=form.cleaned_data["is_recommended"],
                                 expertise=list(form.cleaned_data["tags"]))
        messages.success(request, _("Saved."))
        return redirect("directory:expert-detail", pk=profile.pk)
    return render(request, "directory/moderate_form.html",
                  {"form": form, "profile": profile, "back_url": f"/directory/experts/{profile.pk}/"}, status=response_status(form))


# Tags (moderators)


@permission_required("directory.moderate")
@require_http_methods(["GET", "POST"])
def tag_list(request):
    form = forms.TagForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.save_tag(actor=request.user, name=form.cleaned_data["name"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Tag added."))
            return redirect("directory:tag-list")
    return render(request, "directory/tag_list.html", {"form": form, "tags": selectors.tags_with_counts()}, status=response_status(form))


@permission_required("directory.moderate")
@require_http_methods(["GET", "POST"])
def tag_edit(request, pk: int):
    tag = get_object_or_404(Tag, pk=pk)
    form = forms.TagForm(posted(request), initial={"name": tag.name})
    if request.method == "POST" and form.is_valid():
        try:
            services.save_tag(actor=request.user, tag=tag, name=form.cleaned_data["name"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Tag saved."))
            return redirect("directory:tag-list")
    return render(request, "directory/tag_form.html", {"form": form, "tag": tag}, status=response_status(form))


@permission_required("directory.moderate")
@require_POST
def tag_delete(request, pk: int):
    services.delete_tag(actor=request.user, tag=get_object_or_404(Tag, pk=pk))
    messages.success(request, _("Tag deleted."))
    return redirect("directory:tag-list")


# Sectors (tenant administrators)


@permission_required("settings.change")
@require_http_methods(["GET", "POST"])
def sector_list(request):
    form = forms.SectorForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.save_sector(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Sector added."))
            return redirect("directory-sectors:sector-list")
    return render(request, "directory/sector_list.html", {"form": form, "tree": selectors.sector_tree()}, status=response_status(form))


@permission_required("settings.change")
@require_http_methods(["GET", "POST"])
def sector_edit(request, pk: int):
    sector = get_object_or_404(Sector, pk=pk)
    initial = {"name": sector.name, "name_en": sector.name_en, "parent": sector.parent_id}
    form = forms.SectorForm(posted(request), initial=initial, sector=sector)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_sector(actor=request.user, sector=sector, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Sector saved."))
            return redirect("directory-sectors:sector-list")
    return render(request, "directory/sector_form.html", {"form": form, "sector": sector}, status=response_status(form))


@permission_required("settings.change")
@require_POST
def sector_move(request, pk: int):
    sector = get_object_or_404(Sector, pk=pk)
    services.move_sector(actor=request.user, sector=sector, direction="up" if request.POST.get("direction") == "up" else "down")
    return redirect("directory-sectors:sector-list")

