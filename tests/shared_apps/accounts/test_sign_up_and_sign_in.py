import re

from django.core import mail

from shared_apps.accounts.models import Membership, User
from tests.captcha import solved_captcha
from tests.factories import PASSWORD, UserFactory

GOOD = {"full_name": "Awa Traoré", "email": "awa@example.org", "role": "company_rep",
        "organisation": "Sahel Agro", "password1": PASSWORD, "password2": PASSWORD}


def _link(message) -> str:
    return re.search(r"https?://\S+", message.body).group(0)


def test_sign_up_sends_a_confirmation_link_that_enables_sign_in(alpha):
    client = alpha.client()
    response = client.post("/accounts/sign-up/", {**GOOD, **solved_captcha()})
    assert response.status_code == 302
    user = User.objects.get(email="awa@example.org")
    assert Membership.objects.for_tenant(alpha.tenant).get(user=user).role == "company_rep"
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["awa@example.org"]
    assert "Programme alpha" in mail.outbox[0].subject

    refused = client.post("/accounts/sign-in/", {"username": "awa@example.org", "password": PASSWORD})
    assert refused.status_code == 200
    assert "confirm" in refused.content.decode().lower()

    link = _link(mail.outbox[0])
    assert link.startswith(f"http://{alpha.host}")
    path = link.split(alpha.host, 1)[1].split(":8000", 1)[-1]
    path = path[path.index("/"):]
    assert client.get(path).status_code == 302
    assert client.post("/accounts/sign-in/", {"username": "awa@example.org", "password": PASSWORD}).status_code == 302
    assert client.get("/dashboard/").status_code == 200


def test_bad_sign_up_keeps_what_was_typed_and_explains(alpha):
    response = alpha.client().post("/accounts/sign-up/", {**GOOD, **solved_captcha(), "password2": "something else entirely", "email": "awa@"})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'value="Awa Traoré"' in html and 'value="Sahel Agro"' in html
    assert 'aria-invalid="true"' in html
    assert not User.objects.filter(full_name="Awa Traoré").exists()


def test_weak_password_is_refused_with_a_reason(alpha):
    response = alpha.client().post("/accounts/sign-up/", {**GOOD, **solved_captcha(), "password1": "short", "password2": "short"})
    assert response.status_code == 400
    assert "12" in response.content.decode()


def test_role_not_open_to_self_registration_is_refused(alpha):
    response = alpha.client().post("/accounts/sign-up/", {**GOOD, **solved_captcha(), "role": "tenant_admin"})
    assert response.status_code == 400
    assert not User.objects.filter(email="awa@example.org").exists()


def test_sign_up_with_a_known_address_reveals_nothing_and_mails_the_owner(alpha, beta):
    existing = beta.members["buyer"]
    response = alpha.client().post("/accounts/sign-up/", {**GOOD, **solved_captcha(), "email": existing.email})
    assert response.status_code == 302
    assert not Membership.objects.for_tenant(alpha.tenant).filter(user=existing).exists()
    assert mail.outbox[0].to == [existing.email]
    assert "already" in mail.outbox[0].subject.lower() or "déjà" in mail.outbox[0].subject.lower()


def test_confirmation_link_tampered_is_refused_with_a_clear_page(alpha):
    response = alpha.client().get("/accounts/confirm/not-a-real-token/")
    assert response.status_code == 400
    assert "<form" in response.content.decode()


def test_member_of_another_tenant_can_join_with_one_identity(alpha, outsider):
    client = alpha.client(outsider)
    assert client.get("/dashboard/").status_code == 200  # "not a member yet" page
    response = client.post("/accounts/join/", {"role": "expert", "organisation": ""})
    assert response.status_code == 302
    assert Membership.objects.for_tenant(alpha.tenant).get(user=outsider).role == "expert"


def test_sign_in_with_a_wrong_password_explains_and_keeps_the_address(alpha):
    user = UserFactory()
    response = alpha.client().post("/accounts/sign-in/", {"username": user.email, "password": "wrong password here"})
    assert response.status_code == 200
    assert f'value="{user.email}"' in response.content.decode()


def test_sign_out_ends_the_session(alpha):
    client = alpha.client(alpha.members["guest"])
    assert client.post("/accounts/sign-out/").status_code == 302
    assert client.get("/dashboard/").status_code == 302


def test_confirmed_member_is_welcomed_once_in_their_language(alpha):
    from django_tenants.utils import schema_context

    from shared_apps.accounts.services import confirmation_token
    from tenant_apps.notifications.models import Notification

    client = alpha.client()
    client.post("/accounts/sign-up/", {**GOOD, **solved_captcha(), "email": "welcome@example.org"})
    user = User.objects.get(email="welcome@example.org")
    path = f"/accounts/confirm/{confirmation_token(user)}/"
    client.get(path)
    client.get(path)
    with schema_context(alpha.tenant.schema_name):
        welcomes = list(Notification.objects.filter(recipient=user, kind="account.welcome"))
    assert len(welcomes) == 1
    assert "Programme alpha" in welcomes[0].title


def test_role_change_is_notified_to_the_member(alpha):
    from django_tenants.utils import schema_context

    from shared_apps.accounts.services import change_role
    from tenant_apps.notifications.models import Notification

    membership = Membership.objects.for_tenant(alpha.tenant).get(user=alpha.members["guest"])
    change_role(tenant=alpha.tenant, actor=alpha.members["tenant_admin"], membership=membership, role="expert")
    with schema_context(alpha.tenant.schema_name):
        assert Notification.objects.filter(recipient=alpha.members["guest"], kind="membership.role_changed").count() == 1
