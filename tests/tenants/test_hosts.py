from django.test import Client

from tenants import services


def test_suspended_programme_serves_a_maintenance_page(alpha):
    services.set_status(alpha.tenant, suspended=True)

    response = alpha.client().get("/")

    assert response.status_code == 503
    assert "closed for maintenance" in response.content.decode()
    assert "Programme alpha" in response.content.decode()


def test_suspended_programme_still_answers_health_probes(alpha):
    services.set_status(alpha.tenant, suspended=True)

    response = alpha.client().get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_resumed_programme_opens_again(alpha):
    services.set_status(alpha.tenant, suspended=True)
    services.set_status(alpha.tenant, suspended=False)

    assert alpha.client().get("/").status_code == 200


def test_host_is_matched_whatever_its_case(alpha):
    response = Client(HTTP_HOST=alpha.host.upper(), HTTP_ACCEPT_LANGUAGE="en").get("/")

    assert response.status_code == 200
    assert "Programme alpha" in response.content.decode()


def test_unknown_host_gets_the_branded_404(db):
    response = Client(HTTP_HOST="nowhere.comptoir.test", HTTP_ACCEPT_LANGUAGE="en").get("/")

    assert response.status_code == 404
    assert "No programme at this address" in response.content.decode()
    assert "nowhere.comptoir.test" in response.content.decode()


def test_malformed_hosts_get_the_branded_404_not_an_error(db):
    for host in ("bad_host.comptoir.test", "a..b", "-.comptoir.test", "[::1", "x" * 300):
        response = Client(HTTP_HOST=host, HTTP_ACCEPT_LANGUAGE="en").get("/some/page/")
        assert response.status_code == 404, host
        assert "No programme at this address" in response.content.decode(), host


def test_unknown_host_still_answers_health_probes(db):
    assert Client(HTTP_HOST="nowhere.comptoir.test", HTTP_ACCEPT_LANGUAGE="en").get("/healthz").status_code == 200


def test_spare_schema_host_is_unknown(db):
    spare = services.Tenant.objects.spares().first()
    spare.domains.create(domain="spare.comptoir.test", is_primary=True)

    assert Client(HTTP_HOST="spare.comptoir.test", HTTP_ACCEPT_LANGUAGE="en").get("/").status_code == 404
