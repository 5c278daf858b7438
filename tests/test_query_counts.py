"""List pages run a fixed, small number of queries, however many rows they show."""

from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tenants import services
from tests.conftest import sign_in
from tests.factories import MembershipFactory


def _count(client, path) -> int:
    client.get(path)  # warm up: session, caches
    with CaptureQueriesContext(connection) as context:
        response = client.get(path)
    assert response.status_code == 200
    return len(context)


def test_member_list_queries_do_not_grow_with_members(alpha):
    client = alpha.client(alpha.members["tenant_admin"])
    before = _count(client, "/accounts/members/")
    MembershipFactory.create_batch(20, tenant=alpha.tenant)
    # 11: a verified session reloads the device that verified it (removed device, no access).
    assert _count(client, "/accounts/members/") == before <= 11


def test_operators_console_queries_do_not_grow_with_programmes(alpha, beta, operator):
    client = Client(HTTP_HOST=settings.PLATFORM_DOMAIN)
    sign_in(client, operator)
    before = _count(client, "/console/")
    for slug in ("gamma", "delta", "epsilon"):
        services.provision_tenant(services.TenantSpec(slug=slug, name=slug.title(), domains=[]), refill=False)
    assert _count(client, "/console/") == before <= 10


def test_landing_page_queries_do_not_grow_with_programmes(platform_client, programmes):
    before = _count(platform_client, "/")
    services.provision_tenant(services.TenantSpec(slug="zeta", name="Zeta", domains=[]), refill=False)
    assert _count(platform_client, "/") == before <= 5
