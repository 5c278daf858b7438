import pytest
from django.conf import settings
from django.test import Client
from django_tenants.utils import schema_exists

from tenants.models import Tenant
from tests.tenants.conftest import member_client, signed_in

PAGES = [
    "/console/",
    "/console/tenants/new/",
    "/console/tenants/alpha/",
    "/console/tenants/alpha/delete/",
]


@pytest.mark.parametrize("path", PAGES)
def test_operator_sees_every_console_page(operator_client, alpha, path):
    assert operator_client.get(path).status_code == 200


def test_console_lists_programmes_and_the_pool(operator_client, alpha, beta):
    page = operator_client.get("/console/").content.decode()

    assert "Programme alpha" in page and "Programme beta" in page
    assert f"{Tenant.objects.spares().count()} spare schema" in page


@pytest.mark.parametrize("path", PAGES)
def test_anonymous_visitor_is_sent_to_sign_in(platform_client, alpha, path):
    response = platform_client.get(path)

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/sign-in/")


@pytest.mark.parametrize("path", PAGES)
def test_signed_in_non_staff_user_is_refused(outsider, alpha, path):
    client = signed_in(Client(HTTP_HOST=settings.PLATFORM_DOMAIN), outsider, schema_name="public")

    assert client.get(path).status_code == 403


def test_tenant_admin_is_refused_on_the_platform_host(alpha):
    client = signed_in(
        Client(HTTP_HOST=settings.PLATFORM_DOMAIN),
        alpha.members["tenant_admin"],
        schema_name="public",
    )

    assert client.get("/console/").status_code == 403
    assert client.post("/console/tenants/alpha/status/", {"action": "suspend"}).status_code == 403


def test_console_is_not_reachable_on_a_tenant_host(alpha, operator):
    client = member_client(alpha, operator)

    assert client.get("/console/").status_code == 404
    assert client.post("/console/tenants/alpha/status/", {"action": "suspend"}).status_code == 404


def test_operator_creates_a_programme(operator_client):
    data = {
        "slug": "gamma",
        "name": "Programme gamma",
        "domains": "gamma.example.org\n",
        "theme": "showroom",
        "default_language": "fr",
        "languages": ["fr", "en"],
        "modules": ["directory"],
    }

    response = operator_client.post("/console/tenants/new/", data)

    assert response.status_code == 302 and response["Location"] == "/console/tenants/gamma/"
    tenant = Tenant.objects.get(slug="gamma")
    assert (tenant.primary_domain, tenant.modules) == ("gamma.example.org", ["directory"])
    assert schema_exists("gamma")


def test_create_form_keeps_what_was_typed_and_explains_errors(operator_client, alpha):
    data = {
        "slug": "alpha",
        "name": "Programme bis",
        "domains": "bad_host.example.org",
        "theme": "showroom",
        "default_language": "de",
        "languages": ["fr", "en"],
    }

    response = operator_client.post("/console/tenants/new/", data)

    page = response.content.decode()
    assert response.status_code == 400
    assert "A tenant with this slug already exists." in page
    assert "is not a valid host name" in page
    assert "The default language must be one of the enabled languages." in page
    assert 'value="Programme bis"' in page and "bad_host.example.org" in page


def test_operator_suspends_and_resumes(operator_client, alpha):
    response = operator_client.post("/console/tenants/alpha/status/", {"action": "suspend"})
    assert response.status_code == 302
    assert Tenant.objects.get(slug="alpha").is_suspended

    operator_client.post("/console/tenants/alpha/status/", {"action": "resume"})
    assert Tenant.objects.get(slug="alpha").status == Tenant.Status.ACTIVE


def test_status_change_without_an_action_changes_nothing(operator_client, alpha):
    response = operator_client.post("/console/tenants/alpha/status/", {})

    assert response.status_code == 400
    assert Tenant.objects.get(slug="alpha").status == Tenant.Status.ACTIVE


def test_status_change_needs_post(operator_client, alpha):
    assert operator_client.get("/console/tenants/alpha/status/").status_code == 405


def test_delete_with_a_wrong_slug_is_refused_and_explained(operator_client, alpha, export_dir):
    response = operator_client.post("/console/tenants/alpha/delete/", {"confirm_slug": "beta"})

    assert response.status_code == 400
    assert "Type the tenant&#x27;s slug exactly" in response.content.decode()
    assert schema_exists("alpha") and not export_dir.exists()


def test_operator_deletes_a_programme_after_its_export(operator_client, gamma, export_dir):
    response = operator_client.post("/console/tenants/gamma/delete/", {"confirm_slug": " gamma "})

    assert response.status_code == 302 and response["Location"] == "/console/"
    assert len(list(export_dir.glob("gamma-*.zip"))) == 1
    assert not schema_exists("gamma") and not Tenant.objects.filter(slug="gamma").exists()


@pytest.mark.parametrize("path", ["/console/tenants/nowhere/", "/console/tenants/nowhere/delete/"])
def test_unknown_programme_is_a_404(operator_client, path):
    assert operator_client.get(path).status_code == 404


def test_spares_are_not_programmes_in_the_console(operator_client):
    spare = Tenant.objects.spares().first()
    spare.slug = "spare-one"
    spare.save()

    assert operator_client.get("/console/tenants/spare-one/").status_code == 404


def test_empty_create_form_is_answered_with_what_is_missing(operator_client):
    response = operator_client.post("/console/tenants/new/", {})

    assert response.status_code == 400
    assert "field--invalid" in response.content.decode()
