from django_tenants.utils import tenant_context

from tenant_apps.notifications import selectors
from tenant_apps.notifications.models import Notification
from tests.factories import NotificationFactory


def _notifications(programme, recipient, count=1, **fields):
    with tenant_context(programme.tenant):
        return NotificationFactory.create_batch(count, recipient=recipient, **fields)


def _unread(programme, user):
    with tenant_context(programme.tenant):
        return selectors.unread_count(user)


def test_member_sees_their_notifications_newest_first_with_a_mark_read_button(alpha, member):
    _notifications(alpha, member, title="Older")
    _notifications(alpha, member, title="Newer", url="/dashboard/")

    response = alpha.client(member).get("/notifications/")

    content = response.content.decode()
    assert response.status_code == 200
    assert content.index("Newer") < content.index("Older")
    assert '<a href="/dashboard/">Newer</a>' in content
    assert "Mark as read" in content and "Mark all as read" in content
    assert 'aria-live="polite"' in content
    assert '<span class="visually-hidden"> unread</span>' in content


def test_empty_inbox_says_so(alpha, member):
    response = alpha.client(member).get("/notifications/")

    assert "Nothing new." in response.content.decode()
    assert "Mark all as read" not in response.content.decode()


def test_inbox_is_paginated(alpha, member):
    _notifications(alpha, member, count=25)
    client = alpha.client(member)

    first, second = client.get("/notifications/"), client.get("/notifications/?page=2")

    assert first.context["page"].object_list.__len__() == 20
    assert len(second.context["page"].object_list) == 5
    assert "Page 1 of 2" in first.content.decode()


def test_inbox_page_queries_do_not_grow_with_the_number_of_notifications(
    alpha, member, django_assert_max_num_queries
):
    _notifications(alpha, member, count=3, url="/dashboard/")
    client = alpha.client(member)
    client.get("/notifications/")  # what the layout caches (navigation, banners) is warm from here
    # Seven reads (domain, session, user, membership, count, unread, page), each behind
    # the SET search_path django-tenants issues per cursor.
    with django_assert_max_num_queries(14) as few:
        client.get("/notifications/")
    _notifications(alpha, member, count=30, url="/dashboard/")

    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get("/notifications/")

    assert response.status_code == 200


def test_marking_one_as_read_without_javascript_redirects_back_to_the_same_page(alpha, member):
    notification, other = _notifications(alpha, member, count=2)

    response = alpha.client(member).post(f"/notifications/{notification.pk}/read/", {"page": "2"})

    assert response.status_code == 302
    assert response["Location"] == "/notifications/?page=2"
    with tenant_context(alpha.tenant):
        assert Notification.objects.get(pk=notification.pk).is_read
        assert not Notification.objects.get(pk=other.pk).is_read


def test_marking_one_as_read_with_htmx_returns_the_updated_item_status_and_bell(alpha, member):
    notification, _other = _notifications(alpha, member, count=2)

    response = alpha.client(member).post(
        f"/notifications/{notification.pk}/read/", HTTP_HX_REQUEST="true"
    )

    content = response.content.decode()
    assert response.status_code == 200
    assert content.lstrip().startswith(
        f'<li id="notification-{notification.pk}" class="notification">'
    )
    assert "Mark as read" not in content
    assert '<div id="notification-status" hx-swap-oob="innerHTML">' in content
    assert 'id="notification-bell"' in content and 'hx-swap-oob="true"' in content
    assert "<html" not in content
    assert _unread(alpha, member) == 1


def test_marking_all_as_read_without_javascript(alpha, member, colleague):
    _notifications(alpha, member, count=3)
    _notifications(alpha, colleague)

    response = alpha.client(member).post("/notifications/read-all/")

    assert response.status_code == 302
    assert response["Location"] == "/notifications/"
    assert _unread(alpha, member) == 0
    assert _unread(alpha, colleague) == 1


def test_marking_all_as_read_with_htmx_returns_the_refreshed_inbox(alpha, member):
    _notifications(alpha, member, count=3)

    response = alpha.client(member).post(
        "/notifications/read-all/", {"page": "1"}, HTTP_HX_REQUEST="true"
    )

    content = response.content.decode()
    assert content.lstrip().startswith('<div id="notification-inbox">')
    assert "All notifications are marked as read." in content
    assert "Mark as read" not in content
    assert _unread(alpha, member) == 0


def test_marking_needs_post(alpha, member):
    (notification,) = _notifications(alpha, member)
    client = alpha.client(member)

    assert client.get(f"/notifications/{notification.pk}/read/").status_code == 405
    assert client.get("/notifications/read-all/").status_code == 405
    assert _unread(alpha, member) == 1


def test_header_bell_shows_the_unread_count(alpha, member):
    _notifications(alpha, member, count=4)

    response = alpha.client(member).get("/notifications/")

    assert (
        '<span class="badge">4<span class="visually-hidden"> unread</span>'
        in response.content.decode()
    )
