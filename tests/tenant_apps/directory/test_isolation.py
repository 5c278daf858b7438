"""Every profile page with an object in its address: who gets in, who sees nothing."""

import pytest
from django.test import Client
from django_tenants.utils import tenant_context

from tenant_apps.directory.models import Company, CompanyMedia, ExpertProfile, Representative, Sector, Tag
from tests.conftest import sign_in
from tests.tenant_apps.directory.conftest import make_company

ACTORS = ["owner", "co_representative", "other_representative", "moderator", "tenant_admin", "buyer", "expert",
          "guest", "anonymous", "admin_of_other_tenant", "representative_of_other_tenant"]


@pytest.fixture
def world(alpha, beta, make_rep):
    owner = alpha.members["company_rep"]
    co = make_rep()
    other = make_rep()
    with tenant_context(alpha.tenant):
        company = make_company(owner=owner, visibility="members", email="secret@karite.example")
        Representative.objects.create(company=company, user=co)
        make_company(owner=other, name="Other company")
        media = CompanyMedia.objects.create(company=company, kind="photo", file="companies/media/p.png")
        mission = company.missions.create(title="Salon", country="SN", year=2024)
        expert = ExpertProfile.objects.create(user=alpha.members["expert"], headline="Coach", visibility="members")
        tag = Tag.objects.create(name="Bio", slug="bio")
        sector = Sector.objects.create(name="Textile", slug="textile")
    return {"owner": owner, "co_representative": co, "other_representative": other, "company": company,
            "media": media, "mission": mission, "expert": expert, "tag": tag, "sector": sector}


def _client(actor, alpha, beta, world):
    if actor == "anonymous":
        return alpha.client()
    if actor in ("admin_of_other_tenant", "representative_of_other_tenant"):
        client = Client(HTTP_HOST=alpha.host)
        sign_in(client, beta.members["tenant_admin" if actor == "admin_of_other_tenant" else "company_rep"])
        return client
    user = world[actor] if actor in ("owner", "co_representative", "other_representative") else alpha.members[actor]
    return alpha.client(user)


def _pages(world):
    c, m = world["company"].pk, world
    return [
        # (method, path, actors who get through)
        ("get", f"/directory/companies/{c}/edit/", {"owner", "co_representative"}),
        ("post", f"/directory/companies/{c}/edit/", {"owner", "co_representative"}),
        ("get", f"/directory/companies/{c}/media/", {"owner", "co_representative"}),
        ("post", f"/directory/companies/{c}/media/{m['media'].pk}/delete/", {"owner", "co_representative"}),
        ("post", f"/directory/companies/{c}/logo/delete/", {"owner", "co_representative"}),
        ("get", f"/directory/companies/{c}/missions/", {"owner", "co_representative"}),
        ("post", f"/directory/companies/{c}/missions/{m['mission'].pk}/delete/", {"owner", "co_representative"}),
        ("get", f"/directory/companies/{c}/representatives/", {"owner", "co_representative"}),
        ("post", f"/directory/companies/{c}/representatives/", {"owner"}),
        ("post", f"/directory/companies/{c}/representatives/owner/", {"owner"}),
        ("get", f"/directory/companies/{c}/moderate/", {"moderator", "tenant_admin"}),
        ("post", f"/directory/companies/{c}/moderate/", {"moderator", "tenant_admin"}),
        ("get", f"/directory/experts/{m['expert'].pk}/moderate/", {"moderator", "tenant_admin"}),
        ("get", f"/directory/tags/{m['tag'].pk}/edit/", {"moderator", "tenant_admin"}),
        ("post", f"/directory/tags/{m['tag'].pk}/delete/", {"moderator", "tenant_admin"}),
        ("get", f"/manage/sectors/{m['sector'].pk}/edit/", {"tenant_admin"}),
        ("post", f"/manage/sectors/{m['sector'].pk}/move/", {"tenant_admin"}),
        ("get", f"/directory/companies/{c}/", {"owner", "co_representative", "other_representative", "moderator",
                                               "tenant_admin", "buyer", "expert", "guest"}),
        ("get", f"/directory/experts/{m['expert'].pk}/", {"owner", "co_representative", "other_representative",
                                                          "moderator", "tenant_admin", "buyer", "expert", "guest"}),
    ]


@pytest.mark.parametrize("actor", ACTORS)
def test_profile_pages_open_only_to_the_right_people(alpha, beta, world, actor):
    client = _client(actor, alpha, beta, world)
    for method, path, allowed in _pages(world):
        response = getattr(client, method)(path, {})
        if actor in allowed:
            assert response.status_code in (200, 302, 400), (actor, method, path, response.status_code)
            if response.status_code == 302:
                assert "/accounts/sign-in/" not in response["Location"], (actor, path)
        else:
            assert response.status_code in (302, 403, 404), (actor, method, path, response.status_code)
            if response.status_code == 302:
                assert "/accounts/sign-in/" in response["Location"], (actor, method, path)


@pytest.mark.parametrize("actor", ["anonymous", "admin_of_other_tenant", "representative_of_other_tenant"])
def test_outsiders_see_no_members_only_profile_and_change_nothing(alpha, beta, world, actor):
    client = _client(actor, alpha, beta, world)
    company = world["company"]

    response = client.get(f"/directory/companies/{company.pk}/")
    client.post(f"/directory/companies/{company.pk}/edit/", {"name": "Taken", "country": "FR", "visibility": "public"})

    assert response.status_code == 404 and b"secret@karite.example" not in response.content
    with tenant_context(alpha.tenant):
        assert Company.objects.get(pk=company.pk).name == "Karité d'Or"


def test_a_company_of_one_programme_does_not_exist_on_another(alpha, beta, world):
    client = beta.client(beta.members["moderator"])

    assert client.get(f"/directory/companies/{world['company'].pk}/").status_code == 404
    assert client.get(f"/directory/experts/{world['expert'].pk}/").status_code == 404


def test_profile_pages_are_gone_when_the_directory_module_is_off(alpha, world):
    alpha.tenant.modules = [m for m in alpha.tenant.modules if m != "directory"]
    alpha.tenant.save(update_fields=["modules"])

    response = alpha.client(alpha.members["buyer"]).get(f"/directory/companies/{world['company'].pk}/")

    assert response.status_code == 404
