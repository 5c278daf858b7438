"""Nobody sees or marks another person's notifications, in this programme or another."""

import pytest
from django_tenants.utils import tenant_context

from tenant_apps.notifications import selectors, services
from tests.factories import MembershipFactory, NotificationFactory, UserFactory

PAGES = ["/notifications/", "/notifications/preferences/"]


@pytest.fixture
def private(alpha, member):
    with tenant_context(alpha.tenant):
        return NotificationFactory(recipient=member, title="Private to the company rep")


def _is_unread(alpha, notification):
    with tenant_context(alpha.tenant):
        notification.refresh_from_db()
    return not notification.is_read


@pytest.mark.parametrize("path", PAGES)
def test_anonymous_visitor_is_sent_to_sign_in(alpha, path):
    response = alpha.client().get(path)

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/sign-in/")


def test_anonymous_visitor_cannot_mark_anything(alpha, private):
    client = alpha.client()

    assert client.post(f"/notifications/{private.pk}/read/").status_code == 302
    assert client.post("/notifications/read-all/").status_code == 302
    assert _is_unread(alpha, private)


@pytest.mark.parametrize("path", PAGES)
def test_member_of_another_programme_is_refused(alpha, beta, path):
    response = alpha.client(beta.members["company_rep"]).get(path)

    assert response.status_code == 403


def test_member_of_another_programme_cannot_mark_anything(alpha, beta, private):
    client = alpha.client(beta.members["tenant_admin"])

    assert client.post(f"/notifications/{private.pk}/read/").status_code == 403
    assert client.post("/notifications/read-all/").status_code == 403
    assert _is_unread(alpha, private)


def test_colleague_never_sees_someone_elses_notifications(alpha, private, colleague):
    response = alpha.client(colleague).get("/notifications/")

    assert response.status_code == 200
    assert "Private to the company rep" not in response.content.decode()


def test_colleague_marking_someone_elses_notification_gets_not_found(alpha, private, colleague):
    client = alpha.client(colleague)

    assert client.post(f"/notifications/{private.pk}/read/").status_code == 404
    assert (
        client.post(f"/notifications/{private.pk}/read/", HTTP_HX_REQUEST="true").status_code == 404
    )
    client.post("/notifications/read-all/")
    assert _is_unread(alpha, private)


def test_administrator_gets_no_view_of_members_notifications(alpha, private):
    response = alpha.client(alpha.members["tenant_admin"]).get("/notifications/")

    assert "Private to the company rep" not in response.content.decode()
    assert (
        alpha.client(alpha.members["tenant_admin"])
        .post(f"/notifications/{private.pk}/read/")
        .status_code
        == 404
    )


def test_a_person_in_two_programmes_sees_each_programmes_notifications_only_there(alpha, beta):
    person = UserFactory()
    MembershipFactory(user=person, tenant=alpha.tenant, role="expert")
    MembershipFactory(user=person, tenant=beta.tenant, role="expert")
    with tenant_context(alpha.tenant):
        services.notify(recipient=person, kind="system.announcement", title="Alpha only news")

    alpha_page = alpha.client(person).get("/notifications/").content.decode()
    beta_page = beta.client(person).get("/notifications/").content.decode()

    assert "Alpha only news" in alpha_page
    assert "Alpha only news" not in beta_page
    with tenant_context(beta.tenant):
        assert selectors.unread_count(person) == 0
        assert services.mark_read(user=person) == 0
    with tenant_context(alpha.tenant):
        assert selectors.unread_count(person) == 1
