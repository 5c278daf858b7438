"""Helpers for the provisioning, console and tenant-settings tests."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY, devices_for_user

from shared_apps.accounts.middleware import BOUND_SCHEMA_KEY
from tenants import services
from tests.conftest import enrol_backup_codes
from tests.factories import UserFactory


def signed_in(client: Client, user, *, schema_name: str) -> Client:
    """Sign ``user`` in without a password, bound to the host's schema as a real sign-in is.

    A person with a second factor gets a session verified by it, as after the code step.
    """
    client.force_login(user)
    session = client.session
    session[BOUND_SCHEMA_KEY] = schema_name
    device = next(devices_for_user(user), None)
    if device is not None:
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def member_client(programme, user) -> Client:
    client = Client(HTTP_HOST=programme.host, HTTP_ACCEPT_LANGUAGE="en")
    return signed_in(client, user, schema_name=programme.tenant.schema_name)


@pytest.fixture
def operator_client(operator) -> Client:
    return signed_in(Client(HTTP_HOST=settings.PLATFORM_DOMAIN, HTTP_ACCEPT_LANGUAGE="en"), operator, schema_name="public")


@pytest.fixture
def export_dir(tmp_path, settings):
    settings.TENANT_EXPORT_DIR = tmp_path / "exports"
    return settings.TENANT_EXPORT_DIR


@pytest.fixture
def gamma(db):
    """A fresh programme taken from the spare pool (rolled back with the test)."""
    spec = services.TenantSpec(slug="gamma", name="Programme gamma", domains=[])
    return services.provision_tenant(spec, refill=False)


@pytest.fixture
def operator(db):
    """The shared fixture's operator, without hashing a password these tests never type."""
    user = UserFactory(email="operator@comptoir.test", is_staff=True, password=None)
    enrol_backup_codes(user)
    return user


@pytest.fixture
def outsider(db):
    return UserFactory(email="outsider@example.org", password=None)
