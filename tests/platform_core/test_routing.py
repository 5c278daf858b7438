import pytest
from django.test import Client


def test_each_host_serves_its_own_programme(alpha, beta):
    assert "Programme alpha" in alpha.client().get("/").content.decode()
    assert "Programme beta" in beta.client().get("/").content.decode()


def test_themes_differ_by_host(alpha, beta):
    assert "themes/francophonie/theme.css" in alpha.client().get("/").content.decode()
    assert "themes/showroom/theme.css" in beta.client().get("/").content.decode()


def test_platform_host_serves_the_landing_page_listing_programmes(platform_client, alpha, beta):
    html = platform_client.get("/").content.decode()
    assert "Programme alpha" in html and "Programme beta" in html


@pytest.mark.parametrize("host", ["nobody.example.org", "bad_host.comptoir.test", "a..b", "spare.comptoir.test", "-x-.comptoir.test"])
def test_unknown_or_malformed_host_gets_a_branded_404(db, programmes, host):
    response = Client(HTTP_HOST=host).get("/")
    assert response.status_code == 404
    assert "<main" in response.content.decode()


def test_spare_and_template_schemas_are_never_routed(db, programmes):
    from tenants.models import Domain, Tenant

    spare = Tenant.objects.spares().first()
    Domain.objects.create(tenant=spare, domain="leak.comptoir.test", is_primary=True)
    assert Client(HTTP_HOST="leak.comptoir.test").get("/").status_code == 404


def test_theme_tokens_become_css_custom_properties(alpha):
    from tenants.services import update_configuration

    update_configuration(alpha.tenant, branding={"primary_color": "#123456"})
    response = alpha.client().get("/theme/tokens.css")
    assert response["Content-Type"].startswith("text/css")
    assert "--brand-primary: #123456;" in response.content.decode()


def test_language_follows_the_tenant_choices(alpha, beta):
    assert alpha.client().get("/", HTTP_ACCEPT_LANGUAGE="de").headers["Content-Language"] == "fr"
    assert beta.client().get("/", HTTP_ACCEPT_LANGUAGE="de").headers["Content-Language"] == "de"
    assert beta.client().get("/", HTTP_ACCEPT_LANGUAGE="pt").headers["Content-Language"] == "en"


def test_language_switch_keeps_the_visitor_on_the_page(alpha):
    client = alpha.client()
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/sign-in/"})
    assert response.status_code == 302 and response["Location"] == "/accounts/sign-in/"
    assert client.get("/accounts/sign-in/").headers["Content-Language"] == "en"
