import pytest
from django_tenants.utils import schema_context

from shared_apps.accounts.models import Membership, User
from shared_apps.privacy import registry, services
from shared_apps.privacy.models import Consent, ErasureRecord
from tenant_apps.notifications.models import Notification
from tests.factories import PASSWORD, MembershipFactory, UserFactory


@pytest.fixture
def member(alpha):
    user = UserFactory(full_name="Awa Diallo")
    MembershipFactory(user=user, tenant=alpha.tenant, role="company_rep")
    with schema_context(alpha.tenant.schema_name):
        Notification.objects.create(recipient=user, kind="test", title="Hello")
    Consent.objects.create(tenant=alpha.tenant, user=user, policy_version="1", choices={"analytics": True})
    return user


def test_member_erases_their_account_after_giving_their_password(alpha, member):
    client = alpha.client(member)
    assert client.get("/privacy/my-data/erase/").status_code == 200
    response = client.post("/privacy/my-data/erase/", {"password": PASSWORD, "confirm": "on"})
    assert response.status_code == 302
    member.refresh_from_db()
    assert not member.is_active and member.full_name == "" and member.email.endswith("@erased.invalid")
    assert not member.has_usable_password()
    assert not Membership.objects.across_tenants().filter(user=member).exists()
    assert not Consent.objects.for_tenant(alpha.tenant).filter(user=member).exists()
    with schema_context(alpha.tenant.schema_name):
        assert not Notification.objects.filter(recipient=member).exists()
    record = ErasureRecord.objects.for_tenant(alpha.tenant).get(subject_id=member.pk)
    assert record.initiator == "self" and record.account_deactivated
    assert client.get("/dashboard/").status_code == 302


def test_wrong_password_is_refused_next_to_the_field(alpha, member):
    response = alpha.client(member).post("/privacy/my-data/erase/", {"password": "nope", "confirm": "on"})
    assert response.status_code == 400
    assert "password is not correct" in response.content.decode()
    member.refresh_from_db()
    assert member.is_active


def test_account_used_by_another_programme_keeps_working_there(alpha, beta, member):
    MembershipFactory(user=member, tenant=beta.tenant, role="guest")
    services.erase_account(tenant=alpha.tenant, user=member, actor=member, password=PASSWORD)
    member.refresh_from_db()
    assert member.is_active and member.full_name == "Awa Diallo"
    assert Membership.objects.for_tenant(beta.tenant).filter(user=member).exists()
    assert not Membership.objects.for_tenant(alpha.tenant).filter(user=member).exists()


def test_tenant_admin_erases_a_member(alpha, member):
    client = alpha.client(alpha.members["tenant_admin"])
    membership = Membership.objects.for_tenant(alpha.tenant).get(user=member)
    assert client.post(f"/privacy/members/{membership.pk}/erase/", {}).status_code == 400
    response = client.post(f"/privacy/members/{membership.pk}/erase/", {"confirm": "on"})
    assert response.status_code == 302
    record = ErasureRecord.objects.for_tenant(alpha.tenant).get(subject_id=member.pk)
    assert record.initiator == "admin" and record.erased_by_id == alpha.members["tenant_admin"].pk


def test_members_of_another_tenant_cannot_be_erased(alpha, beta):
    target = Membership.objects.for_tenant(beta.tenant).get(user=beta.members["guest"])
    client = alpha.client(alpha.members["tenant_admin"])
    assert client.post(f"/privacy/members/{target.pk}/erase/", {"confirm": "on"}).status_code == 404
    assert User.objects.get(pk=beta.members["guest"].pk).is_active


def test_the_last_administrator_cannot_erase_themselves(alpha):
    admin = alpha.members["tenant_admin"]
    with pytest.raises(services.PrivacyError):
        services.erase_account(tenant=alpha.tenant, user=admin, actor=admin, password=PASSWORD)


def test_registered_handlers_run_in_the_tenant_schema(alpha, member):
    seen = []

    def handler(*, user, tenant):
        from django.db import connection

        seen.append((user.pk, connection.schema_name))

    registry.erasure_handler(handler)
    try:
        services.erase_account(tenant=alpha.tenant, user=member, actor=member, password=PASSWORD)
    finally:
        registry._erasure_handlers.remove(handler)
    assert seen == [(member.pk, alpha.tenant.schema_name)]
