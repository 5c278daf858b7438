import json
import zipfile

import pytest
from django.db import connection
from django_tenants.utils import schema_context, schema_exists

from shared_apps.accounts.models import Membership
from tenant_apps.notifications.models import Notification
from tenants import services
from tenants.models import Domain, Tenant
from tests.factories import MembershipFactory


def test_delete_exports_then_drops_schema_rows_and_memberships(gamma, export_dir, alpha):
    member = alpha.members["buyer"]
    MembershipFactory(user=member, tenant=gamma, role="buyer")
    with schema_context(gamma.schema_name):
        Notification.objects.create(recipient=member, kind="test", title="Bienvenue")
    # In production that row would be committed; here, check its deferred foreign keys now
    # so the schema can be dropped in the same transaction.
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")

    path = services.delete_tenant(gamma, confirm_slug="gamma")

    assert path.parent == export_dir
    with zipfile.ZipFile(path) as archive:
        config = json.loads(archive.read("tenant.json"))
        memberships = json.loads(archive.read("memberships.json"))
        notifications = json.loads(archive.read("data/notifications.notification.json"))
    assert config["slug"] == "gamma"
    assert memberships == [
        {
            "email": member.email,
            "full_name": member.full_name,
            "role": "buyer",
            "joined_at": memberships[0]["joined_at"],
        }
    ]
    assert notifications[0]["fields"]["title"] == "Bienvenue"
    assert not schema_exists("gamma")
    assert not Tenant.objects.filter(slug="gamma").exists()
    assert not Domain.objects.filter(domain__startswith="gamma.").exists()
    assert not Membership.objects.across_tenants().filter(tenant_id=gamma.pk).exists()


def test_delete_requires_the_exact_slug(gamma, export_dir):
    with pytest.raises(services.ProvisioningError, match="slug"):
        services.delete_tenant(gamma, confirm_slug="Gamma")

    assert schema_exists("gamma")
    assert not export_dir.exists()


def test_delete_without_export_writes_nothing(gamma, export_dir):
    assert services.delete_tenant(gamma, confirm_slug="gamma", export=False) is None

    assert not schema_exists("gamma")
    assert not export_dir.exists()


def test_spares_and_template_cannot_be_deleted_as_programmes(db, export_dir):
    spare = Tenant.objects.spares().first()

    with pytest.raises(services.ProvisioningError):
        services.delete_tenant(spare, confirm_slug=spare.slug)
    assert schema_exists(spare.schema_name)
