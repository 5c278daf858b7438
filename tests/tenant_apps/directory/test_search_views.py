"""The directory pages over HTTP: access modes, filters, HTMX, bad input, query counts."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import tenant_context

from tenant_apps.directory.models import Company, DirectorySettings, Sector, Tag
from tests.tenant_apps.directory.conftest import listed_company


def _make_public(programme, is_public=True):
    with tenant_context(programme.tenant):
        DirectorySettings.objects.update_or_create(pk=1, defaults={"is_public": is_public})


def test_member_searches_and_filters_with_a_shareable_url(alpha):
    listed_company(alpha, name="Société Générale d'Export", country="SN", is_recommended=True)
    listed_company(alpha, name="Autre Maison", country="CI")
    client = alpha.client(alpha.members["buyer"])

    response = client.get("/directory/", {"q": "societe", "country": "SN"})

    content = response.content.decode()
    assert response.status_code == 200
    assert "Société Générale d&#x27;Export" in content and "Autre Maison" not in content
    assert "Recommended by the agency" in content
    assert 'name="country" value="SN"' in content and "checked" in content
    assert "/directory/companies/" in content


def test_htmx_request_gets_only_the_results_fragment(alpha):
    listed_company(alpha, name="Fragment SARL")
    response = alpha.client(alpha.members["buyer"]).get("/directory/", {"q": "fragment"}, HTTP_HX_REQUEST="true")
    content = response.content.decode()
    assert response.status_code == 200
    assert content.lstrip().startswith('<div id="directory-results"') and "<html" not in content
    assert "Fragment SARL" in content


def test_members_only_directory_sends_visitors_to_sign_in(alpha):
    response = alpha.client().get("/directory/")
    assert response.status_code == 302 and "/accounts/sign-in/" in response["Location"]


def test_public_directory_shows_visitors_only_public_profiles(alpha, beta):
    _make_public(alpha)
    listed_company(alpha, name="Vitrine Publique")
    listed_company(alpha, name="Réservée Membres", visibility=Company.Visibility.MEMBERS)
    listed_company(alpha, name="Brouillon", visibility=Company.Visibility.HIDDEN)

    for client in (alpha.client(), alpha.client(beta.members["tenant_admin"]), alpha.client(alpha.members["guest"])):
        content = client.get("/directory/").content.decode()
        assert "Vitrine Publique" in content
        assert "Réservée Membres" not in content and "Brouillon" not in content

    member_page = alpha.client(alpha.members["buyer"]).get("/directory/").content.decode()
    assert "Réservée Membres" in member_page and "Brouillon" not in member_page


def test_another_tenants_companies_never_appear(alpha, beta):
    listed_company(beta, name="Beta Seulement")
    content = alpha.client(alpha.members["tenant_admin"]).get("/directory/", {"q": "beta"}).content.decode()
    assert "Beta Seulement" not in content


def test_directory_is_not_found_when_the_module_is_off(alpha):
    alpha.tenant.modules = [module for module in alpha.tenant.modules if module != "directory"]
    alpha.tenant.save()
    assert alpha.client(alpha.members["tenant_admin"]).get("/directory/").status_code == 404


@pytest.mark.parametrize("parameter", ["q", "sort", "sector", "country", "export_stage", "size", "verified",
                                       "recommended", "languages", "tags", "page"])
def test_sql_injection_strings_in_any_parameter_are_harmless(alpha, parameter):
    listed_company(alpha, name="Intacte")
    client = alpha.client(alpha.members["buyer"])
    for value in ["1' OR '1'='1", "1; DROP TABLE directory_company; --", "') UNION SELECT password FROM accounts_user --"]:
        response = client.get("/directory/", {parameter: value})
        assert response.status_code == 200
    with tenant_context(alpha.tenant):
        assert Company.objects.filter(name="Intacte").exists()


def test_invalid_filter_is_explained_and_the_rest_of_the_search_is_kept(alpha):
    listed_company(alpha, name="Gardée", country="SN")
    response = alpha.client(alpha.members["buyer"]).get("/directory/", {"q": "gardee", "country": "XX"})
    content = response.content.decode()
    assert response.status_code == 200
    assert "Select a valid choice" in content
    assert 'value="gardee"' in content and "Gardée" in content


@pytest.mark.parametrize("path", ["/directory/", "/directory/experts/"])
def test_list_page_queries_do_not_grow_with_rows(alpha, path):
    client = alpha.client(alpha.members["buyer"])
    with tenant_context(alpha.tenant):
        sector = Sector.objects.create(name="Mines", slug="mines")
        tag = Tag.objects.create(name="Or", slug="or")

    def count():
        client.get(path, {"q": "mine"})
        with CaptureQueriesContext(connection) as context:
            response = client.get(path, {"q": "mine", "country": "SN"})
        assert response.status_code == 200
        return len(context)

    listed_company(alpha, name="Mine 0", sector=sector, country="SN")
    before = count()
    with tenant_context(alpha.tenant):
        for number in range(1, 15):
            company = Company.objects.create(name=f"Mine {number}", sector=sector, country="SN", languages=["fr"])
            company.tags.add(tag)
    assert count() == before <= 14


def test_tenant_admin_makes_the_directory_public(alpha):
    client = alpha.client(alpha.members["tenant_admin"])
    response = client.post("/directory/settings/", {"is_public": "on"})
    assert response.status_code == 302
    with tenant_context(alpha.tenant):
        assert DirectorySettings.objects.get(pk=1).is_public
    assert alpha.client().get("/directory/").status_code == 200


def test_directory_settings_of_another_tenant_are_not_changed(alpha, beta):
    alpha.client(beta.members["tenant_admin"]).post("/directory/settings/", {"is_public": "on"})
    with tenant_context(alpha.tenant):
        assert not DirectorySettings.objects.filter(is_public=True).exists()


def test_broad_search_counts_every_match_and_says_how_many_are_listed(alpha, monkeypatch):
    from tenant_apps.directory.search import selectors

    monkeypatch.setattr(selectors, "RESULT_LIMIT", 2)
    for number in range(3):
        listed_company(alpha, name=f"Cacao {number}")
    content = alpha.client(alpha.members["buyer"]).get("/directory/", {"q": "cacao"}).content.decode()
    assert "3 results" in content
    assert "The first 2 are listed" in content


def test_history_restore_gets_the_whole_page_and_caches_keep_page_and_fragment_apart(alpha):
    listed_company(alpha, name="Retour SARL")
    client = alpha.client(alpha.members["buyer"])
    response = client.get("/directory/", {"q": "retour"}, HTTP_HX_REQUEST="true", HTTP_HX_HISTORY_RESTORE_REQUEST="true")
    assert "<html" in response.content.decode() and "Retour SARL" in response.content.decode()
    assert "HX-Request" in response["Vary"]


def test_fragment_announces_the_new_count_and_binds_the_filters(alpha):
    listed_company(alpha, name="Annonce SA", country="SN")
    content = alpha.client(alpha.members["buyer"]).get("/directory/", {"q": "annonce"}, HTTP_HX_REQUEST="true").content.decode()
    assert '<p id="directory-status" hx-swap-oob="innerHTML">1 result</p>' in content
    assert 'class="directory-facets" hx-get="/directory/"' in content


def test_country_filters_are_named_in_the_readers_language(alpha):
    listed_company(alpha, name="Maison Allemande", country="DE")
    client = alpha.client(alpha.members["buyer"])
    client.cookies["django_language"] = "fr"
    content = client.get("/directory/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Allemagne" in content
