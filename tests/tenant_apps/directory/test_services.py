import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from shared_apps.accounts.models import Invitation
from shared_apps.accounts.services import accept_invitation
from tenant_apps.directory import services
from tenant_apps.directory.models import (
    Company,
    CompanyMedia,
    ExpertProfile,
    Representative,
    RepresentativeInvitation,
    Sector,
    Tag,
)
from tests.tenant_apps.directory.conftest import make_company, pdf_upload, png_upload


def test_the_representative_who_creates_a_company_becomes_its_owner(in_alpha, owner):
    company = services.create_company_profile(user=owner, name="Atlas Agro", country="MA")

    rep = Representative.objects.get(company=company)
    assert rep.user == owner and rep.is_owner


def test_a_person_represents_one_company_at_most(in_alpha, owner):
    services.create_company_profile(user=owner, name="Atlas Agro", country="MA")

    with pytest.raises(services.ProfileError):
        services.create_company_profile(user=owner, name="Second", country="MA")


def test_a_buyer_cannot_create_a_company_profile(in_alpha):
    with pytest.raises(services.ProfileError):
        services.create_company_profile(user=in_alpha.members["buyer"], name="Nope", country="FR")
    assert not Company.objects.exists()


def test_only_representatives_update_a_company(in_alpha, owner, make_rep):
    company = make_company(owner=owner)
    with pytest.raises(services.ProfileError):
        services.update_company_profile(actor=make_rep(), company=company, name="Hijacked")

    services.update_company_profile(actor=owner, company=company, city="Ouagadougou")
    company.refresh_from_db()
    assert company.name == "Karité d'Or" and company.city == "Ouagadougou"


def test_owner_adds_a_company_representative_of_this_programme(in_alpha, owner, make_rep):
    company = make_company(owner=owner)
    colleague = make_rep()

    rep = services.add_representative(actor=owner, company=company, user=colleague, job_title="Export manager")

    assert not rep.is_owner and rep.job_title == "Export manager"


def test_members_without_the_representative_role_cannot_be_added(in_alpha, owner):
    company = make_company(owner=owner)
    with pytest.raises(services.ProfileError):
        services.add_representative(actor=owner, company=company, user=in_alpha.members["buyer"])


def test_a_member_of_another_programme_cannot_be_added(in_alpha, owner, beta):
    company = make_company(owner=owner)
    with pytest.raises(services.ProfileError):
        services.add_representative(actor=owner, company=company, user=beta.members["company_rep"])


def test_a_co_representative_cannot_add_others(in_alpha, owner, make_rep):
    company = make_company(owner=owner)
    colleague = make_rep()
    services.add_representative(actor=owner, company=company, user=colleague)

    with pytest.raises(services.ProfileError):
        services.add_representative(actor=colleague, company=company, user=make_rep())


def test_owner_invites_a_new_representative_who_joins_on_acceptance(in_alpha, owner):
    company = make_company(owner=owner)

    pending = services.invite_representative(actor=owner, company=company, email="New.Person@example.org", job_title="CEO")

    assert isinstance(pending, RepresentativeInvitation)
    assert mail.outbox and mail.outbox[-1].to == ["new.person@example.org"]
    invitation = Invitation.objects.for_tenant(in_alpha.tenant).get(pk=pending.invitation_id)
    assert invitation.role == "company_rep"
    membership = accept_invitation(invitation=invitation, full_name="New Person", password="a long enough passphrase 42")

    rep = Representative.objects.get(user=membership.user)
    assert rep.company == company and rep.job_title == "CEO" and not rep.is_owner
    assert not RepresentativeInvitation.objects.exists()


def test_inviting_the_address_of_an_existing_representative_adds_them(in_alpha, owner, make_rep):
    company = make_company(owner=owner)
    colleague = make_rep(email="colleague@example.org")

    result = services.invite_representative(actor=owner, company=company, email="colleague@example.org")

    assert isinstance(result, Representative) and result.user == colleague


def test_ownership_moves_to_another_representative(in_alpha, owner, make_rep):
    company = make_company(owner=owner)
    colleague = make_rep()
    rep = services.add_representative(actor=owner, company=company, user=colleague)

    services.transfer_ownership(actor=owner, company=company, representative=rep)

    assert Representative.objects.get(company=company, is_owner=True).user == colleague
    with pytest.raises(services.ProfileError):
        services.add_representative(actor=owner, company=company, user=make_rep())


def test_the_owner_cannot_be_removed_but_others_can_leave(in_alpha, owner, make_rep):
    company = make_company(owner=owner)
    colleague = make_rep()
    rep = services.add_representative(actor=owner, company=company, user=colleague)
    owner_rep = Representative.objects.get(user=owner)

    with pytest.raises(services.ProfileError):
        services.remove_representative(actor=owner, company=company, representative=owner_rep)
    services.remove_representative(actor=colleague, company=company, representative=rep)

    assert list(company.representatives.values_list("user", flat=True)) == [owner.pk]


def test_photos_must_be_images_and_brochures_readable_pdfs(in_alpha, owner):
    company = make_company(owner=owner)

    services.add_media(actor=owner, company=company, kind="photo", upload=png_upload())
    services.add_media(actor=owner, company=company, kind="brochure", upload=pdf_upload(), title="Catalogue")
    with pytest.raises(ValidationError):
        services.add_media(actor=owner, company=company, kind="photo", upload=pdf_upload("looks.png"))
    with pytest.raises(ValidationError):
        services.add_media(actor=owner, company=company, kind="brochure",
                           upload=SimpleUploadedFile("fake.pdf", b"%PDF-1.4 broken", content_type="application/pdf"))
    with pytest.raises(ValidationError):
        services.add_media(actor=owner, company=company, kind="brochure", upload=png_upload("brochure.pdf"))

    assert sorted(CompanyMedia.objects.values_list("kind", flat=True)) == ["brochure", "photo"]


def test_oversized_photos_are_refused(in_alpha, owner, monkeypatch):
    company = make_company(owner=owner)
    monkeypatch.setattr(services, "PHOTO_MAX_BYTES", 10)

    with pytest.raises(ValidationError, match="larger than"):
        services.add_media(actor=owner, company=company, kind="photo", upload=png_upload())


def test_completion_rises_as_the_profile_fills_and_names_the_next_step(in_alpha, owner):
    company = make_company(owner=owner)
    empty = services.company_completion(company)

    services.update_company_profile(actor=owner, company=company, description="Shea butter from Burkina Faso.")
    fuller = services.company_completion(company)

    assert empty.percent < fuller.percent < 100
    assert empty.next_step == "Describe your company in a few sentences."
    assert fuller.next_step == "List your products and services."


def test_moderators_recommend_and_tag_but_representatives_cannot(in_alpha, owner):
    company = make_company(owner=owner)
    tag = Tag.objects.create(name="Bio", slug="bio")

    with pytest.raises(services.ProfileError):
        services.moderate_company(actor=owner, company=company, is_recommended=True, tags=[tag])
    services.moderate_company(actor=in_alpha.members["moderator"], company=company, is_recommended=True, tags=[tag])

    company.refresh_from_db()
    assert company.is_recommended and list(company.tags.all()) == [tag]


def test_an_expert_creates_then_updates_their_profile(in_alpha):
    expert = in_alpha.members["expert"]
    profile = services.save_expert_profile(user=expert, headline="Export coach", countries=["SN"])
    services.save_expert_profile(user=expert, headline="Export coach for West Africa", languages=["fr"])

    profile.refresh_from_db()
    assert ExpertProfile.objects.count() == 1
    assert profile.headline == "Export coach for West Africa" and profile.languages == ["fr"]
    assert services.expert_completion(profile).percent > 0


def test_sectors_have_two_levels_and_can_be_reordered(in_alpha):
    admin = in_alpha.members["tenant_admin"]
    food = services.save_sector(actor=admin, name="Agroalimentaire", name_en="Agrifood")
    crafts = services.save_sector(actor=admin, name="Artisanat")
    dairy = services.save_sector(actor=admin, name="Produits laitiers", parent=food)

    with pytest.raises(ValidationError):
        services.save_sector(actor=admin, name="Too deep", parent=dairy)
    with pytest.raises(ValidationError):
        services.save_sector(actor=admin, sector=food, name="Agroalimentaire", parent=crafts)
    services.move_sector(actor=admin, sector=crafts, direction="up")

    assert list(Sector.objects.filter(parent=None).order_by("position").values_list("name", flat=True)) == ["Artisanat", "Agroalimentaire"]
    with pytest.raises(services.ProfileError):
        services.save_sector(actor=in_alpha.members["moderator"], name="Not allowed")


def test_erasure_hands_ownership_to_a_colleague_and_removes_the_expert_profile(in_alpha, owner, make_rep):
    from tenant_apps.directory.privacy import company_representation, forget_profiles

    company = make_company(owner=owner)
    colleague = make_rep()
    services.add_representative(actor=owner, company=company, user=colleague)
    services.save_expert_profile(user=owner, headline="Also an expert")
    assert company_representation(user=owner, tenant=in_alpha.tenant)[0]["is_owner"] is True

    forget_profiles(user=owner, tenant=in_alpha.tenant)

    assert Representative.objects.get(company=company).user == colleague
    assert Representative.objects.get(company=company).is_owner
    assert not ExpertProfile.objects.filter(user=owner).exists()
