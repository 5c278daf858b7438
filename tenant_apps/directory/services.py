"""Writes to company and expert profiles: the rules on who may change what live here.

Every function runs inside the tenant's schema (the request's, or a task's
``schema_context``) and takes the acting person as ``actor``/``user``.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from platform_core.uploads import DOCUMENT_KINDS, IMAGE_KINDS, validate_upload
from shared_apps.accounts.permissions import can, role_in
from shared_apps.audit.services import record
from tenant_apps.directory.models import (
    Company,
    CompanyMedia,
    ExpertProfile,
    MissionParticipation,
    Representative,
    RepresentativeInvitation,
    Sector,
    Tag,
)
from tenants import catalog

PHOTO_MAX_BYTES = 5 * 1024 * 1024
BROCHURE_MAX_BYTES = 10 * 1024 * 1024
LOGO_MAX_BYTES = 2 * 1024 * 1024
MAX_MEDIA_PER_KIND = 12

COMPANY_FIELDS = (
    "name", "legal_name", "registration_number", "vat_number", "country", "city", "sector", "size",
    "turnover_band", "export_stage", "description", "products_services", "target_markets", "goals",
    "website", "email", "phone", "languages", "video_links", "visibility",
)
EXPERT_FIELDS = ("headline", "bio", "countries", "languages", "availability", "visibility")


class ProfileError(Exception):
    """A profile change the rules refuse; the message is meant for the person who tried."""


def _tenant():
    from shared_apps.accounts.permissions import current_tenant

    return current_tenant()


def _require(user, permission: str) -> None:
    if not can(user, permission, tenant=_tenant()):
        raise ProfileError(_("You may not do this in this programme."))


def representation(user, company: Company) -> Representative | None:
    if user is None or not user.is_authenticated:
        return None
    return Representative.objects.filter(company=company, user=user).first()


def _require_representative(user, company: Company) -> Representative:
    _require(user, "profiles.edit_own")
    rep = representation(user, company)
    if rep is None:
        raise ProfileError(_("Only this company's representatives may change its profile."))
    return rep


def _require_owner(user, company: Company) -> Representative:
    rep = _require_representative(user, company)
    if not rep.is_owner:
        raise ProfileError(_("Only the owner of this profile may manage its representatives."))
    return rep


def _assign(instance, fields, values: dict) -> list[str]:
    changed = []
    for name in fields:
        if name in values and getattr(instance, name) != values[name]:
            setattr(instance, name, values[name])
            changed.append(name)
    return changed


# Companies


@transaction.atomic
def create_company_profile(*, user, **values) -> Company:
    """Create a company whose owner is ``user``; a person represents one company at most."""
    _require(user, "profiles.edit_own")
    existing = Representative.objects.filter(user=user).select_related("company").first()
    if existing is not None:
        raise ProfileError(_("You already represent %(company)s.") % {"company": existing.company.name})
    company = Company(**{name: values[name] for name in COMPANY_FIELDS if name in values})
    company.full_clean(exclude=["search_vector"])
    company.save()
    Representative.objects.create(company=company, user=user, is_owner=True, job_title=values.get("job_title", ""))
    record(action="company.created", tenant=_tenant(), actor=user, target=company, after={"name": company.name})
    return company


@transaction.atomic
def update_company_profile(*, actor, company: Company, **values) -> Company:
    _require_representative(actor, company)
    changed = _assign(company, COMPANY_FIELDS, values)
    if changed:
        company.full_clean(exclude=["search_vector"])
        company.save()
        record(action="company.changed", tenant=_tenant(), actor=actor, target=company, after={"fields": changed})
    return company


def set_logo(*, actor, company: Company, upload) -> Company:
    _require_representative(actor, company)
    validate_upload(upload, kinds=IMAGE_KINDS, max_bytes=LOGO_MAX_BYTES)
    company.logo.save(upload.name, upload, save=False)
    company.save(update_fields=["logo", "updated_at"])
    return company


def remove_logo(*, actor, company: Company) -> Company:
    _require_representative(actor, company)
    if company.logo:
        company.logo.delete(save=False)
        company.save(update_fields=["logo", "updated_at"])
    return company


def add_media(*, actor, company: Company, kind: str, upload, title: str = "") -> CompanyMedia:
    """Store a photo (an image) or a brochure (a readable PDF), both checked by their bytes."""
    _require_representative(actor, company)
    if kind == CompanyMedia.Kind.PHOTO:
        validate_upload(upload, kinds=IMAGE_KINDS, max_bytes=PHOTO_MAX_BYTES)
    elif kind == CompanyMedia.Kind.BROCHURE:
        validate_upload(upload, kinds=DOCUMENT_KINDS, max_bytes=BROCHURE_MAX_BYTES)
    else:
        raise ValidationError(_("Choose a photo or a brochure."), code="kind")
    if company.media.filter(kind=kind).count() >= MAX_MEDIA_PER_KIND:
        raise ValidationError(
            _("A profile holds at most %(count)s files of this kind; remove one first.") % {"count": MAX_MEDIA_PER_KIND},
            code="too_many",
        )
    media = CompanyMedia(company=company, kind=kind, title=title.strip())
    media.file.save(upload.name, upload, save=False)
    media.save()
    return media


def remove_media(*, actor, company: Company, media: CompanyMedia) -> None:
    _require_representative(actor, company)
    if media.company_id != company.pk:
        raise ProfileError(_("This file belongs to another profile."))
    media.file.delete(save=False)
    media.delete()


def add_mission(*, actor, company: Company, title: str, country: str, year: int, outcome: str = "") -> MissionParticipation:
    _require_representative(actor, company)
    mission = MissionParticipation(company=company, title=title.strip(), country=country, year=year, outcome=outcome.strip())
    mission.full_clean()
    mission.save()
    return mission


def remove_mission(*, actor, company: Company, mission: MissionParticipation) -> None:
    _require_representative(actor, company)
    if mission.company_id != company.pk:
        raise ProfileError(_("This mission belongs to another profile."))
    mission.delete()


# Representatives


def _notify(user, *, kind: str, title: str, url: str) -> None:
    from tenant_apps.notifications.services import notify

    notify(recipient=user, kind=kind, title=title, body="", url=url)


def add_representative(*, actor, company: Company, user, job_title: str = "") -> Representative:
    """The owner adds a member of this programme who holds the company representative role."""
    _require_owner(actor, company)
    if role_in(user, _tenant()) != catalog.COMPANY_REP:
        raise ProfileError(_("Only members with the company representative role can represent a company."))
    other = Representative.objects.filter(user=user).exclude(company=company).select_related("company").first()
    if other is not None:
        raise ProfileError(_("This person already represents %(company)s.") % {"company": other.company.name})
    rep, created = Representative.objects.get_or_create(company=company, user=user, defaults={"job_title": job_title.strip()})
    if not created:
        raise ProfileError(_("This person already represents this company."))
    record(action="company.representative_added", tenant=_tenant(), actor=actor, target=company, after={"user": user.pk})
    _notify(user, kind="directory.representative_added",
            title=_("You now represent %(company)s") % {"company": company.name},
            url=f"/directory/companies/{company.pk}/")
    return rep


def invite_representative(*, actor, company: Company, email: str, job_title: str = ""):
    """Add a member by e-mail, or invite someone new as a company representative.

    Returns the new ``Representative`` for an existing member, else the pending
    ``RepresentativeInvitation``; the person joins the company when they accept.
    """
    from shared_apps.accounts.models import Membership
    from shared_apps.accounts.services import AccountError, invite

    _require_owner(actor, company)
    tenant = _tenant()
    email = email.strip().lower()
    membership = Membership.objects.for_tenant(tenant).filter(user__email__iexact=email).select_related("user").first()
    if membership is not None:
        return add_representative(actor=actor, company=company, user=membership.user, job_title=job_title)
    try:
        invitation = invite(tenant=tenant, inviter=actor, email=email, role=catalog.COMPANY_REP,
                            organisation=company.name, authorised_by_caller=True)
    except AccountError as error:
        raise ProfileError(str(error)) from error
    pending, _created = RepresentativeInvitation.objects.update_or_create(
        company=company, email=email, defaults={"invitation_id": invitation.pk, "job_title": job_title.strip()}
    )
    return pending


def join_invited_company(*, user, email: str) -> Representative | None:
    """Called when an invitation is accepted: the person joins the company that invited them."""
    pending = RepresentativeInvitation.objects.filter(email__iexact=email).select_related("company").order_by("-created_at").first()
    if pending is None:
        return None
    rep = None
    if not Representative.objects.filter(user=user).exists():
        rep = Representative.objects.create(company=pending.company, user=user, job_title=pending.job_title)
    RepresentativeInvitation.objects.filter(email__iexact=email).delete()
    return rep


def remove_representative(*, actor, company: Company, representative: Representative) -> None:
    """The owner removes a co-representative; anyone but the owner may also leave."""
    if representative.company_id != company.pk:
        raise ProfileError(_("This person does not represent this company."))
    if representative.user_id != actor.pk:
        _require_owner(actor, company)
    if representative.is_owner:
        raise ProfileError(_("The owner cannot be removed: hand ownership to someone else first."))
    representative.delete()
    record(action="company.representative_removed", tenant=_tenant(), actor=actor, target=company,
           before={"user": representative.user_id})


@transaction.atomic
def transfer_ownership(*, actor, company: Company, representative: Representative) -> Representative:
    owner = _require_owner(actor, company)
    if representative.company_id != company.pk:
        raise ProfileError(_("This person does not represent this company."))
    if representative.pk == owner.pk:
        return owner
    # One owner per company is a database constraint: step down before handing over.
    Representative.objects.filter(pk=owner.pk).update(is_owner=False)
    Representative.objects.filter(pk=representative.pk).update(is_owner=True)
    representative.is_owner = True
    record(action="company.ownership_transferred", tenant=_tenant(), actor=actor, target=company,
           before={"owner": owner.user_id}, after={"owner": representative.user_id})
    _notify(representative.user, kind="directory.ownership_received",
            title=_("You are now the owner of %(company)s's profile") % {"company": company.name},
            url=f"/directory/companies/{company.pk}/representatives/")
    return representative


def forget_representative(*, user) -> None:
    """Erasure: drop the person's representative rows, handing ownership to the longest-serving colleague."""
    for rep in list(Representative.objects.filter(user=user)):
        if rep.is_owner:
            successor = rep.company.representatives.exclude(pk=rep.pk).order_by("created_at").first()
            rep.delete()
            if successor is not None:
                Representative.objects.filter(pk=successor.pk).update(is_owner=True)
        else:
            rep.delete()


# Moderation


def moderate_company(*, actor, company: Company, is_recommended: bool, tags) -> Company:
    _require(actor, "directory.moderate")
    company.is_recommended = is_recommended
    company.save(update_fields=["is_recommended", "updated_at"])
    company.tags.set(tags)
    record(action="company.moderated", tenant=_tenant(), actor=actor, target=company,
           after={"is_recommended": is_recommended, "tags": sorted(t.name for t in tags)})
    return company


def moderate_expert(*, actor, profile: ExpertProfile, is_recommended: bool, expertise) -> ExpertProfile:
    _require(actor, "directory.moderate")
    profile.is_recommended = is_recommended
    profile.save(update_fields=["is_recommended", "updated_at"])
    profile.expertise.set(expertise)
    return profile


# Experts


@transaction.atomic
def save_expert_profile(*, user, sectors=None, expertise=None, **values) -> ExpertProfile:
    """Create or update ``user``'s own expert profile."""
    _require(user, "profiles.edit_own")
    profile = ExpertProfile.objects.filter(user=user).first()
    created = profile is None
    if created:
        profile = ExpertProfile(user=user)
    _assign(profile, EXPERT_FIELDS, values)
    profile.full_clean(exclude=["search_vector", "user"])
    profile.save()
    if sectors is not None:
        profile.sectors.set(sectors)
    if expertise is not None:
        profile.expertise.set(expertise)
    if created:
        record(action="expert.created", tenant=_tenant(), actor=user, target=profile)
    return profile


# Sectors and tags


def _unique_slug(model, text: str, *, exclude_pk=None) -> str:
    base = slugify(text)[:70] or "item"
    slug, n = base, 2
    while model.objects.filter(slug=slug).exclude(pk=exclude_pk).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def _check_parent(sector: Sector, parent: Sector | None) -> None:
    if parent is None:
        return
    if parent.parent_id is not None:
        raise ValidationError({"parent": _("Sectors have two levels: choose a top-level sector as parent.")})
    if sector.pk and (parent.pk == sector.pk or sector.children.exists()):
        raise ValidationError({"parent": _("A sector with sub-sectors stays at the top level.")})


def save_sector(*, actor, sector: Sector | None = None, name: str, name_en: str = "", parent: Sector | None = None) -> Sector:
    _require(actor, "settings.change")
    sector = sector or Sector()
    _check_parent(sector, parent)
    if sector.pk is None:
        siblings = Sector.objects.filter(parent=parent)
        sector.position = (max(siblings.values_list("position", flat=True), default=-1)) + 1
    sector.name, sector.name_en, sector.parent = name.strip(), name_en.strip(), parent
    sector.slug = _unique_slug(Sector, name, exclude_pk=sector.pk)
    sector.save()
    return sector


@transaction.atomic
def move_sector(*, actor, sector: Sector, direction: str) -> None:
    """Swap ``sector`` with its previous (``up``) or next (``down``) sibling."""
    _require(actor, "settings.change")
    siblings = list(Sector.objects.filter(parent=sector.parent_id).order_by("position", "name"))
    for index, item in enumerate(siblings):
        item.position = index
    i = next(i for i, s in enumerate(siblings) if s.pk == sector.pk)
    j = i - 1 if direction == "up" else i + 1
    if 0 <= j < len(siblings):
        siblings[i].position, siblings[j].position = siblings[j].position, siblings[i].position
    Sector.objects.bulk_update(siblings, ["position"])


def save_tag(*, actor, tag: Tag | None = None, name: str) -> Tag:
    _require(actor, "directory.moderate")
    tag = tag or Tag()
    tag.name = name.strip()
    tag.slug = _unique_slug(Tag, tag.name, exclude_pk=tag.pk)
    try:
        with transaction.atomic():
            tag.save()
    except IntegrityError as error:
        raise ValidationError({"name": _("A tag with this name exists already.")}) from error
    return tag


def delete_tag(*, actor, tag: Tag) -> None:
    _require(actor, "directory.moderate")
    tag.delete()


# Completion


@dataclass(frozen=True)
class Completion:
    percent: int
    next_step: str | None
    missing: tuple[str, ...]


# (what is checked, weight, what to tell the person) — most useful first.
_COMPANY_STEPS = (
    ("description", 15, gettext_lazy("Describe your company in a few sentences.")),
    ("products_services", 15, gettext_lazy("List your products and services.")),
    ("sector", 10, gettext_lazy("Choose your sector.")),
    ("target_markets", 10, gettext_lazy("Name the markets you are aiming for.")),
    ("logo", 10, gettext_lazy("Add your logo.")),
    ("export_stage", 5, gettext_lazy("Say where you are in exporting.")),
    ("size", 5, gettext_lazy("Give the size of your company.")),
    ("goals", 5, gettext_lazy("Write down your goals abroad.")),
    ("email", 5, gettext_lazy("Give a contact e-mail or phone number.")),
    ("website", 5, gettext_lazy("Add your website.")),
    ("languages", 5, gettext_lazy("Say which languages you work in.")),
    ("photos", 5, gettext_lazy("Add photos of your products or premises.")),
    ("brochures", 3, gettext_lazy("Add a brochure (PDF).")),
    ("registration_number", 2, gettext_lazy("Give your registration number.")),
)
_EXPERT_STEPS = (
    ("bio", 30, gettext_lazy("Tell members about your experience.")),
    ("expertise", 20, gettext_lazy("Ask a moderator to tag your fields of expertise, or pick sectors.")),
    ("sectors", 20, gettext_lazy("Choose the sectors you know.")),
    ("countries", 20, gettext_lazy("Name the countries you know well.")),
    ("languages", 10, gettext_lazy("Say which languages you work in.")),
)


def _completion(steps, filled: dict) -> Completion:
    total = sum(weight for _key, weight, _hint in steps)
    done = sum(weight for key, weight, _hint in steps if filled[key])
    missing = tuple(str(hint) for key, _weight, hint in steps if not filled[key])
    return Completion(percent=round(100 * done / total), next_step=missing[0] if missing else None, missing=missing)


def company_completion(company: Company) -> Completion:
    """How complete ``company``'s profile is, and the most useful thing to add next."""
    kinds = set(company.media.values_list("kind", flat=True))
    filled = {key: bool(getattr(company, key, None)) for key, _w, _h in _COMPANY_STEPS if hasattr(company, key)}
    filled["sector"] = company.sector_id is not None
    filled["email"] = bool(company.email or company.phone)
    filled["photos"] = CompanyMedia.Kind.PHOTO in kinds
    filled["brochures"] = CompanyMedia.Kind.BROCHURE in kinds
    return _completion(_COMPANY_STEPS, filled)


def expert_completion(profile: ExpertProfile) -> Completion:
    filled = {
        "bio": bool(profile.bio), "countries": bool(profile.countries), "languages": bool(profile.languages),
        "expertise": profile.expertise.exists() or profile.sectors.exists(), "sectors": profile.sectors.exists(),
    }
    return _completion(_EXPERT_STEPS, filled)
