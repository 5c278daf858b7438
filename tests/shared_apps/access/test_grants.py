from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from shared_apps.access import services
from shared_apps.access.models import Grant
from shared_apps.accounts.permissions import can
from shared_apps.audit.models import AuditEvent


def _fresh(user):
    # A new request gets a new user object: nothing cached from an earlier check.
    return type(user).objects.get(pk=user.pk)


def _grant(programme, *, user_role="guest", starts=-1, ends=24, **kwargs):
    now = timezone.now()
    kwargs.setdefault("permissions", ["members.view"])
    return services.create_grant(
        tenant=programme.tenant, actor=programme.members["tenant_admin"], user=programme.members[user_role],
        starts_at=now + timedelta(hours=starts), ends_at=now + timedelta(hours=ends),
        reason="Mission commerciale à Dakar", **kwargs,
    )


def test_active_grant_adds_its_permissions(alpha):
    guest = alpha.members["guest"]
    assert not can(_fresh(guest), "members.view", tenant=alpha.tenant)
    _grant(alpha)
    assert can(_fresh(guest), "members.view", tenant=alpha.tenant)
    assert alpha.client(guest).get("/accounts/members/").status_code == 200


def test_grant_of_a_role_gives_what_the_matrix_gives_that_role(alpha):
    _grant(alpha, permissions=[], role="moderator")
    assert can(_fresh(alpha.members["guest"]), "verification.review", tenant=alpha.tenant)


def test_expired_and_future_grants_grant_nothing(alpha):
    grant = _grant(alpha, starts=-1, ends=1)
    Grant.objects.for_tenant(alpha.tenant).filter(pk=grant.pk).update(
        starts_at=timezone.now() - timedelta(days=3), ends_at=timezone.now() - timedelta(seconds=1)
    )
    _grant(alpha, starts=5, ends=10, permissions=["reports.view"])
    guest = _fresh(alpha.members["guest"])
    assert not can(guest, "members.view", tenant=alpha.tenant)
    assert not can(guest, "reports.view", tenant=alpha.tenant)
    assert alpha.client(alpha.members["guest"]).get("/accounts/members/").status_code == 403


def test_revoked_grant_grants_nothing_and_is_audited(alpha):
    grant = _grant(alpha)
    services.revoke_grant(tenant=alpha.tenant, actor=alpha.members["tenant_admin"], grant=grant)
    assert not can(_fresh(alpha.members["guest"]), "members.view", tenant=alpha.tenant)
    actions = list(AuditEvent.objects.for_tenant(alpha.tenant).filter(target_type="access.grant")
                   .values_list("action", flat=True))
    assert sorted(actions) == ["grant.created", "grant.revoked"]


def test_grant_on_one_tenant_gives_nothing_on_another(alpha, beta):
    from tests.factories import MembershipFactory

    guest = alpha.members["guest"]
    MembershipFactory(user=guest, tenant=beta.tenant, role="guest")
    _grant(alpha)
    assert not can(_fresh(guest), "members.view", tenant=beta.tenant)


def test_grant_stops_counting_when_the_membership_ends(alpha):
    from shared_apps.accounts.models import Membership

    _grant(alpha)
    Membership.objects.for_tenant(alpha.tenant).filter(user=alpha.members["guest"]).delete()
    assert not can(_fresh(alpha.members["guest"]), "members.view", tenant=alpha.tenant)


def test_nobody_grants_more_than_they_hold_or_without_managing_members(alpha):
    with pytest.raises(ValidationError):
        services.create_grant(
            tenant=alpha.tenant, actor=alpha.members["moderator"], user=alpha.members["guest"],
            permissions=["members.view"], starts_at=timezone.now(), ends_at=timezone.now() + timedelta(days=1),
            reason="x",
        )


@pytest.mark.parametrize(("kwargs", "field"), [
    ({"starts": 5, "ends": 1}, "ends_at"),
    ({"starts": -5, "ends": -1}, "ends_at"),
    ({"ends": 24 * 400}, "ends_at"),
    ({"permissions": ["nope.nope"]}, "permissions"),
    ({"permissions": []}, "permissions"),
])
def test_invalid_grants_are_refused_with_a_message_per_field(alpha, kwargs, field):
    with pytest.raises(ValidationError) as error:
        _grant(alpha, **kwargs)
    assert field in error.value.message_dict


def test_grant_page_creates_and_revokes_and_keeps_input_on_error(alpha):
    admin = alpha.members["tenant_admin"]
    client = alpha.client(admin)
    from shared_apps.accounts.models import Membership

    guest_membership = Membership.objects.for_tenant(alpha.tenant).get(user=alpha.members["guest"])
    now = timezone.localtime()
    data = {"member": guest_membership.pk, "permissions": ["members.view"], "reason": "Salon Gulfood",
            "starts_at": now.strftime("%Y-%m-%dT%H:%M"), "ends_at": (now - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")}
    response = client.post("/manage/access/temporary-access/", data)
    assert response.status_code == 400 and "Salon Gulfood" in response.content.decode()
    data["ends_at"] = (now + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    assert client.post("/manage/access/temporary-access/", data).status_code == 302
    grant = Grant.objects.for_tenant(alpha.tenant).get()
    assert client.post(f"/manage/access/temporary-access/{grant.pk}/revoke/").status_code == 302
    grant.refresh_from_db()
    assert grant.revoked_at is not None


def test_grant_of_another_tenant_cannot_be_revoked(alpha, beta):
    grant = _grant(beta)
    response = alpha.client(alpha.members["tenant_admin"]).post(f"/manage/access/temporary-access/{grant.pk}/revoke/")
    assert response.status_code == 404
    grant.refresh_from_db()
    assert grant.revoked_at is None


def test_expired_grants_notify_the_granter_once(alpha, mailoutbox):
    grant = _grant(alpha, starts=-1, ends=1)
    later = timezone.now() + timedelta(hours=2)
    assert services.tidy_expired_grants(now=later) == 1
    assert services.tidy_expired_grants(now=later) == 0
    assert len(mailoutbox) == 1 and grant.granted_by.email in mailoutbox[0].to
