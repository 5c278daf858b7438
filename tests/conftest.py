"""Two programmes with a member of every role, created once per test session.

Tenants are provisioned the way production does it (spare pool, cloned template), so
the whole suite migrates a tenant schema exactly once. Every test runs in a transaction
that is rolled back, schema changes included.
"""

from __future__ import annotations

import itertools
import time
from dataclasses import dataclass, field

import pytest
from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.db.backends.base.creation import TEST_DATABASE_PREFIX
from django.test import Client
from django.utils import translation

from tenants import catalog, services
from tenants.models import Domain, Tenant
from tests.factories import PASSWORD, MembershipFactory, UserFactory

ROLES = list(catalog.ROLES)


@dataclass
class Programme:
    tenant: Tenant
    host: str
    members: dict[str, object] = field(default_factory=dict)

    def client(self, user=None) -> Client:
        client = Client(HTTP_HOST=self.host, HTTP_ACCEPT_LANGUAGE="en")
        if user is not None:
            sign_in(client, user)
        return client


def sign_in(client: Client, user) -> None:
    """Sign in through the real form; a person with a second factor also passes the code step."""
    response = client.post("/accounts/sign-in/", {"username": user.email, "password": PASSWORD})
    assert response.status_code == 302, response.content[:500]
    if response["Location"] == "/accounts/mfa/verify/":
        device, code = fresh_backup_code(user)
        response = client.post("/accounts/mfa/verify/", {"device": device.persistent_id, "token": code})
        assert response.status_code == 302, response.content[:500]


def enrol_backup_codes(user):
    """Give ``user`` a second factor (backup codes) so they meet an MFA policy."""
    from django_otp.plugins.otp_static.models import StaticDevice

    device, _ = StaticDevice.objects.get_or_create(user=user, name="backup", defaults={"confirmed": True})
    return device


def fresh_backup_code(user):
    from django_otp.plugins.otp_static.models import StaticToken

    device = enrol_backup_codes(user)
    return device, device.token_set.create(token=StaticToken.random_token()).token


def _bootstrap_platform() -> dict[str, Programme]:
    public, _ = Tenant.objects.get_or_create(schema_name="public", defaults={"status": Tenant.Status.PUBLIC, "name": "Comptoir"})
    Domain.objects.get_or_create(domain=settings.PLATFORM_DOMAIN, defaults={"tenant": public, "is_primary": True})
    services.refill_spare_pool(2)
    programmes = {}
    for slug, theme, languages in (("alpha", "francophonie", ("fr", "en")), ("beta", "showroom", ("en", "fr", "de"))):
        tenant = services.provision_tenant(
            services.TenantSpec(slug=slug, name=f"Programme {slug}", domains=[f"{slug}.{settings.PLATFORM_DOMAIN}"],
                                theme=theme, default_language=languages[0], languages=languages),
            refill=False,
        )
        programme = Programme(tenant=tenant, host=f"{slug}.{settings.PLATFORM_DOMAIN}")
        for role in ROLES:
            user = UserFactory(email=f"{role}@{slug}.example.org", full_name=f"{role.replace('_', ' ').title()} {slug.title()}")
            MembershipFactory(user=user, tenant=tenant, role=role)
            if role in tenant.mfa_required_roles:
                enrol_backup_codes(user)
            programme.members[role] = user
        programmes[slug] = programme
    services.refill_spare_pool(2)
    connection.set_schema_to_public()
    return programmes


def _assert_test_database() -> None:
    """Refuse to write the fixtures anywhere but a database pytest-django created."""
    name = connection.settings_dict["NAME"]
    if not name.startswith(TEST_DATABASE_PREFIX):
        raise RuntimeError(
            f"No test database was created (the connection still names {name!r}): pytest-django "
            "creates one only when a selected test asks for it with a django_db mark or the db "
            "fixture, and the programmes must not be written into the real database."
        )


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    _assert_test_database()
    with django_db_blocker.unblock():
        yield _bootstrap_platform()


@pytest.fixture(scope="session")
def programmes(django_db_setup) -> dict[str, Programme]:
    return django_db_setup


@pytest.fixture
def alpha(programmes, db) -> Programme:
    programmes["alpha"].tenant.refresh_from_db()
    return programmes["alpha"]


@pytest.fixture
def beta(programmes, db) -> Programme:
    programmes["beta"].tenant.refresh_from_db()
    return programmes["beta"]


@pytest.fixture
def platform_client(db) -> Client:
    return Client(HTTP_HOST=settings.PLATFORM_DOMAIN, HTTP_ACCEPT_LANGUAGE="en")


@pytest.fixture
def operator(db):
    user = UserFactory(email="operator@comptoir.test", is_staff=True)
    enrol_backup_codes(user)
    return user


@pytest.fixture
def outsider(db):
    """Someone with an account but no membership anywhere."""
    return UserFactory(email="outsider@example.org")


@pytest.fixture(scope="session")
def _stripe_server():
    from tests.stripe_server import StripeServer

    server = StripeServer(webhook_secret="whsec_test_comptoir", api_key="sk_test_comptoir").start()
    yield server
    server.stop()


@pytest.fixture
def stripe_server(_stripe_server, settings):
    """The local Stripe-compatible server (tests/stripe_server), emptied, with the
    platform's Stripe settings pointing at it."""
    _stripe_server.reset()
    settings.STRIPE_SECRET_KEY = _stripe_server.api_key
    settings.STRIPE_WEBHOOK_SECRET = _stripe_server.webhook_secret
    settings.STRIPE_API_BASE = _stripe_server.base_url
    return _stripe_server


@pytest.fixture
def deliver(platform_client, django_capture_on_commit_callbacks):
    """Post the local Stripe server's new events to the webhook endpoint, signed, and run
    what they queue (the processing task runs eagerly in tests)."""

    def deliver_events(server, events=None):
        responses = []
        for event in (events if events is not None else server.pending_events()):
            payload, signature = server.signed(event)
            with django_capture_on_commit_callbacks(execute=True):
                responses.append(platform_client.post("/billing/stripe/webhook/", data=payload,
                                                      content_type="application/json",
                                                      HTTP_STRIPE_SIGNATURE=signature))
        return responses

    return deliver_events


@pytest.fixture(autouse=True)
def _public_schema_after_each_test():
    yield
    connection.set_schema_to_public()


_CACHE_GENERATIONS = itertools.count(int(time.time()) * 100_000)


@pytest.fixture(autouse=True)
def _own_cache_keys():
    """Each test reads and writes its own cache keys (a cache version of its own).

    Database changes roll back after a test, cache entries do not: without this, what one
    test cached (a banner list, facet counts) would show in the next one, and query
    counts would depend on which tests ran before and how long ago.
    """
    cache = caches["default"]
    previous = cache.version
    cache.version = next(_CACHE_GENERATIONS)
    yield
    cache.version = previous


@pytest.fixture(autouse=True)
def _english_unless_asked_otherwise():
    """Assertions read English; tests about French ask for it (Accept-Language, cookie)."""
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    """Personal-data exports go to a throwaway directory, never the developer's data dir."""
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    return settings.PRIVATE_MEDIA_ROOT
