import re

import pytest
from django.core import mail

from shared_apps.accounts import services
from shared_apps.accounts.models import Invitation, Membership, User
from tests.factories import PASSWORD


def _path(message, host):
    link = re.search(r"https?://\S+", message.body).group(0)
    return "/" + link.split("/", 3)[3]


def test_admin_invites_and_the_invitee_creates_an_account(alpha):
    admin = alpha.client(alpha.members["tenant_admin"])
    response = admin.post("/accounts/members/invite/", {"email": "new.rep@example.org", "role": "moderator", "organisation": ""})
    assert response.status_code == 302
    assert mail.outbox[-1].to == ["new.rep@example.org"]

    invitee = alpha.client()
    path = _path(mail.outbox[-1], alpha.host)
    assert invitee.get(path).status_code == 200
    response = invitee.post(path, {"full_name": "Nouvelle Modératrice", "password1": PASSWORD, "password2": PASSWORD})
    assert response.status_code == 302
    user = User.objects.get(email="new.rep@example.org")
    assert user.has_verified_email
    assert Membership.objects.for_tenant(alpha.tenant).get(user=user).role == "moderator"
    # Moderators must use two-factor authentication: the first stop is its enrolment.
    assert invitee.get("/dashboard/")["Location"] == "/accounts/mfa/"
    assert alpha.client().get(path).status_code == 400  # used once only


def test_invitation_link_does_not_work_on_another_tenant(alpha, beta):
    invitation = services.invite(tenant=alpha.tenant, inviter=alpha.members["tenant_admin"], email="x@example.org", role="guest")
    token = services.invitation_token(invitation)
    assert beta.client().get(f"/accounts/invitations/{token}/").status_code == 400
    assert not Membership.objects.for_tenant(beta.tenant).filter(user__email="x@example.org").exists()


@pytest.mark.parametrize("role", ["moderator", "company_rep", "expert", "buyer", "guest"])
def test_only_admins_may_invite(alpha, role):
    with pytest.raises(services.AccountError):
        services.invite(tenant=alpha.tenant, inviter=alpha.members[role], email="y@example.org", role="guest")
    assert not Invitation.objects.for_tenant(alpha.tenant).filter(email="y@example.org").exists()


def test_inviting_an_existing_member_is_refused_with_a_message(alpha):
    response = alpha.client(alpha.members["tenant_admin"]).post(
        "/accounts/members/invite/", {"email": alpha.members["guest"].email, "role": "guest"}
    )
    assert response.status_code == 400
    assert alpha.members["guest"].email in response.content.decode()


def test_admin_changes_a_role_and_cannot_demote_the_last_admin(alpha):
    client = alpha.client(alpha.members["tenant_admin"])
    guest = Membership.objects.for_tenant(alpha.tenant).get(user=alpha.members["guest"])
    assert client.post(f"/accounts/members/{guest.pk}/role/", {"role": "expert"}).status_code == 302
    guest.refresh_from_db()
    assert guest.role == "expert"

    admin = Membership.objects.for_tenant(alpha.tenant).get(user=alpha.members["tenant_admin"])
    with pytest.raises(services.AccountError):
        services.change_role(tenant=alpha.tenant, actor=alpha.members["tenant_admin"], membership=admin, role="guest")


def test_removed_member_loses_access_at_once(alpha):
    client_of_guest = alpha.client(alpha.members["guest"])
    guest = Membership.objects.for_tenant(alpha.tenant).get(user=alpha.members["guest"])
    alpha.client(alpha.members["tenant_admin"]).post(f"/accounts/members/{guest.pk}/remove/")
    assert client_of_guest.get("/notifications/").status_code == 403


def test_invalid_role_in_a_post_gets_a_message_not_a_500(alpha):
    client = alpha.client(alpha.members["tenant_admin"])
    guest = Membership.objects.for_tenant(alpha.tenant).get(user=alpha.members["guest"])
    response = client.post(f"/accounts/members/{guest.pk}/role/", {"role": "emperor"}, follow=True)
    assert response.status_code == 200
    guest.refresh_from_db()
    assert guest.role == "guest"
