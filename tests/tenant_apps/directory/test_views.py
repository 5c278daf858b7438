import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django_tenants.utils import tenant_context

from tenant_apps.directory.models import Company, CompanyMedia, ExpertProfile, Representative, Sector, Tag
from tests.tenant_apps.directory.conftest import make_company, png_upload


def _company(alpha, **fields):
    with tenant_context(alpha.tenant):
        return make_company(**fields)


def test_a_representative_creates_their_company_through_the_form(alpha):
    client = alpha.client(alpha.members["company_rep"])

    response = client.post("/directory/companies/new/", {"name": "Atlas Agro", "country": "MA", "visibility": "members"})

    assert response.status_code == 302
    with tenant_context(alpha.tenant):
        company = Company.objects.get(name="Atlas Agro")
        assert Representative.objects.get(company=company).is_owner
    assert response["Location"] == f"/directory/companies/{company.pk}/"


def test_bad_input_is_explained_next_to_the_field_and_kept(alpha):
    client = alpha.client(alpha.members["company_rep"])

    response = client.post("/directory/companies/new/", {
        "name": "Atlas Agro", "country": "", "website": "not a site", "video_links": "javascript:alert(1)",
        "visibility": "members",
    })

    assert response.status_code == 400
    html = response.content.decode()
    assert 'value="Atlas Agro"' in html
    assert "is not a web address" in html and "javascript:alert(1)" in html
    assert 'id="id_country_error"' in html
    with tenant_context(alpha.tenant):
        assert not Company.objects.exists()


def test_the_company_page_shows_badges_and_completion_to_its_representatives(alpha):
    from django.utils import timezone

    owner = alpha.members["company_rep"]
    company = _company(alpha, owner=owner, is_recommended=True,
                       verification_expires_at=timezone.now() + timezone.timedelta(days=30))

    html = alpha.client(owner).get(f"/directory/companies/{company.pk}/").content.decode()

    assert "Verified profile" in html and "Recommended by the agency" in html
    assert "% complete" in html and "Describe your company" in html


def test_contacts_are_shown_to_members_only(alpha):
    company = _company(alpha, email="contact@karite.example", phone="+226 70 00 00 00")

    anonymous = alpha.client().get(f"/directory/companies/{company.pk}/")
    member = alpha.client(alpha.members["buyer"]).get(f"/directory/companies/{company.pk}/")

    assert anonymous.status_code == 200 and "contact@karite.example" not in anonymous.content.decode()
    assert "contact@karite.example" in member.content.decode()
    assert "% complete" not in member.content.decode()


@pytest.mark.parametrize(("visibility", "anonymous", "member", "moderator"), [
    ("public", 200, 200, 200), ("members", 404, 200, 200), ("hidden", 404, 404, 200),
])
def test_the_company_page_respects_the_profiles_visibility(alpha, visibility, anonymous, member, moderator):
    company = _company(alpha, visibility=visibility)
    path = f"/directory/companies/{company.pk}/"

    assert alpha.client().get(path).status_code == anonymous
    assert alpha.client(alpha.members["buyer"]).get(path).status_code == member
    assert alpha.client(alpha.members["moderator"]).get(path).status_code == moderator


def test_a_hidden_profile_is_visible_to_its_own_representative(alpha):
    owner = alpha.members["company_rep"]
    company = _company(alpha, owner=owner, visibility="hidden")

    assert alpha.client(owner).get(f"/directory/companies/{company.pk}/").status_code == 200


def test_a_representative_cannot_edit_another_company(alpha, make_rep):
    owner = alpha.members["company_rep"]
    _company(alpha, owner=owner)
    other = _company(alpha, owner=make_rep(), name="Other")
    client = alpha.client(owner)

    assert client.get(f"/directory/companies/{other.pk}/edit/").status_code == 404
    assert client.post(f"/directory/companies/{other.pk}/edit/", {"name": "Mine now", "country": "FR", "visibility": "public"}).status_code == 404
    with tenant_context(alpha.tenant):
        assert Company.objects.get(pk=other.pk).name == "Other"


def test_a_refused_upload_is_explained_next_to_the_file_field(alpha):
    owner = alpha.members["company_rep"]
    company = _company(alpha, owner=owner)
    fake = SimpleUploadedFile("brochure.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")

    response = alpha.client(owner).post(f"/directory/companies/{company.pk}/media/",
                                        {"form": "media", "kind": "brochure", "title": "Catalogue 2026", "file": fake})

    assert response.status_code == 400
    html = response.content.decode()
    assert "This kind of file is not accepted" in html and 'id="id_file_error"' in html and 'value="Catalogue 2026"' in html
    with tenant_context(alpha.tenant):
        assert not CompanyMedia.objects.exists()


def test_a_photo_and_a_logo_are_added(alpha):
    owner = alpha.members["company_rep"]
    company = _company(alpha, owner=owner)
    client = alpha.client(owner)

    assert client.post(f"/directory/companies/{company.pk}/media/", {"form": "media", "kind": "photo", "file": png_upload()}).status_code == 302
    assert client.post(f"/directory/companies/{company.pk}/media/", {"form": "logo", "logo": png_upload("logo.png")}).status_code == 302
    with tenant_context(alpha.tenant):
        company.refresh_from_db()
        assert company.logo and company.media.count() == 1


def test_the_owner_adds_a_colleague_from_the_list_and_hands_over_ownership(alpha, make_rep):
    owner = alpha.members["company_rep"]
    company = _company(alpha, owner=owner)
    colleague = make_rep(full_name="Awa Colleague")
    client = alpha.client(owner)

    page = client.get(f"/directory/companies/{company.pk}/representatives/").content.decode()
    assert "Awa Colleague" in page
    assert client.post(f"/directory/companies/{company.pk}/representatives/", {"member": colleague.pk}).status_code == 302
    with tenant_context(alpha.tenant):
        rep = Representative.objects.get(user=colleague)
    assert client.post(f"/directory/companies/{company.pk}/representatives/owner/", {"representative": rep.pk}).status_code == 302
    with tenant_context(alpha.tenant):
        assert Representative.objects.get(company=company, is_owner=True).user == colleague


def test_a_co_representative_cannot_add_people(alpha, make_rep):
    owner = alpha.members["company_rep"]
    company = _company(alpha, owner=owner)
    colleague = make_rep()
    with tenant_context(alpha.tenant):
        Representative.objects.create(company=company, user=colleague)

    response = alpha.client(colleague).post(f"/directory/companies/{company.pk}/representatives/", {"email": "x@example.org"})

    assert response.status_code == 404


def test_an_expert_saves_their_profile_and_others_see_it(alpha):
    expert = alpha.members["expert"]
    with tenant_context(alpha.tenant):
        sector = Sector.objects.create(name="Cosmétique", slug="cosmetique")
    client = alpha.client(expert)

    response = client.post("/directory/experts/mine/", {"headline": "Export coach", "bio": "Twenty years in West Africa.",
                                                        "sectors": [sector.pk], "countries": ["SN", "CI"], "languages": ["fr"],
                                                        "availability": "available", "visibility": "public"})

    assert response.status_code == 302
    with tenant_context(alpha.tenant):
        profile = ExpertProfile.objects.get(user=expert)
    public = alpha.client().get(f"/directory/experts/{profile.pk}/").content.decode()
    assert "Export coach" in public and "Cosmétique" in public and expert.email not in public


def test_moderators_manage_tags_and_recommend_profiles(alpha):
    company = _company(alpha)
    client = alpha.client(alpha.members["moderator"])

    assert client.post("/directory/tags/", {"name": "Commerce équitable"}).status_code == 302
    duplicate = client.post("/directory/tags/", {"name": "Commerce équitable"})
    assert duplicate.status_code == 400 and "exists already" in duplicate.content.decode()
    with tenant_context(alpha.tenant):
        tag = Tag.objects.get()
    assert client.post(f"/directory/companies/{company.pk}/moderate/", {"is_recommended": "on", "tags": [tag.pk]}).status_code == 302
    with tenant_context(alpha.tenant):
        company.refresh_from_db()
        assert company.is_recommended and list(company.tags.all()) == [tag]


def test_administrators_add_and_reorder_sectors(alpha):
    client = alpha.client(alpha.members["tenant_admin"])

    client.post("/manage/sectors/", {"name": "Textile"})
    client.post("/manage/sectors/", {"name": "Tourisme", "name_en": "Tourism"})
    with tenant_context(alpha.tenant):
        tourism = Sector.objects.get(name="Tourisme")
    client.post(f"/manage/sectors/{tourism.pk}/move/", {"direction": "up"})
    empty = client.post("/manage/sectors/", {"name": ""})

    assert empty.status_code == 400 and 'id="id_name_error"' in empty.content.decode()
    with tenant_context(alpha.tenant):
        assert [s.name for s in Sector.objects.order_by("position")] == ["Tourisme", "Textile"]


def test_the_dashboard_shows_the_profile_completion(alpha):
    owner = alpha.members["company_rep"]
    _company(alpha, owner=owner)

    html = alpha.client(owner).get("/dashboard/").content.decode()

    assert "My profile" in html and "% complete" in html


def test_the_dashboard_invites_a_representative_without_a_company_to_create_one(alpha):
    html = alpha.client(alpha.members["company_rep"]).get("/dashboard/").content.decode()

    assert "/directory/companies/new/" in html


def test_company_page_query_count_does_not_grow_with_media_and_representatives(alpha, make_rep, django_assert_max_num_queries):
    owner = alpha.members["company_rep"]
    company = _company(alpha, owner=owner)
    with tenant_context(alpha.tenant):
        for n in range(5):
            Representative.objects.create(company=company, user=make_rep())
            CompanyMedia.objects.create(company=company, kind="brochure", title=f"B{n}", file="companies/media/b.pdf")
            company.missions.create(title=f"Mission {n}", country="SN", year=2024)
    client = alpha.client(alpha.members["buyer"])
    client.get(f"/directory/companies/{company.pk}/")

    with django_assert_max_num_queries(25):
        assert client.get(f"/directory/companies/{company.pk}/").status_code == 200


@pytest.mark.parametrize("path", ["/directory/tags/", "/manage/sectors/"])
def test_list_pages_query_count_does_not_grow_with_rows(alpha, path):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = alpha.client(alpha.members["tenant_admin"])

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(path).status_code == 200
        return len(queries)

    with tenant_context(alpha.tenant):
        Tag.objects.create(name="Seed", slug="seed")
        Sector.objects.create(name="Seed", slug="seed")
    count()  # the first request of a session does its own bookkeeping
    few = count()
    with tenant_context(alpha.tenant):
        for n in range(10):
            tag = Tag.objects.create(name=f"Tag {n}", slug=f"tag-{n}")
            parent = Sector.objects.create(name=f"Sector {n}", slug=f"sector-{n}", position=n)
            Sector.objects.create(name=f"Sub {n}", slug=f"sub-{n}", parent=parent)
            make_company(name=f"Company {n}").tags.add(tag)
    assert count() == few


def test_the_dashboard_of_an_administrator_without_a_profile_offers_none(alpha):
    html = alpha.client(alpha.members["tenant_admin"]).get("/dashboard/").content.decode()

    assert "/directory/companies/new/" not in html
