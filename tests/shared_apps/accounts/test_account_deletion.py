from django.core import checks
from django_tenants.utils import schema_context

from shared_apps.accounts.models import Membership, User
from shared_apps.accounts.tenant_data import check_tenant_user_foreign_keys
from tenant_apps.notifications.models import Notification, NotificationPreference
from tests.factories import MembershipFactory, UserFactory


def test_deleting_a_person_removes_their_rows_in_every_programme(alpha, beta):
    person = UserFactory()
    for programme in (alpha, beta):
        MembershipFactory(user=person, tenant=programme.tenant)
        with schema_context(programme.tenant.schema_name):
            Notification.objects.create(recipient=person, kind="system.announcement", title="Hello")
            NotificationPreference.objects.create(user=person, kind="system.announcement", delivery="off")
    other = alpha.members["guest"]
    with schema_context(alpha.tenant.schema_name):
        Notification.objects.create(recipient=other, kind="system.announcement", title="Stays")

    person.delete()

    assert not User.objects.filter(pk=person.pk).exists()
    assert not Membership.objects.across_tenants().filter(user_id=person.pk).exists()
    for programme in (alpha, beta):
        with schema_context(programme.tenant.schema_name):
            assert not Notification.objects.filter(recipient_id=person.pk).exists()
            assert not NotificationPreference.objects.filter(user_id=person.pk).exists()
    with schema_context(alpha.tenant.schema_name):
        assert Notification.objects.filter(recipient=other).exists()


def test_every_tenant_foreign_key_to_users_is_declared_do_nothing():
    assert [e for e in check_tenant_user_foreign_keys() if isinstance(e, checks.Error)] == []
