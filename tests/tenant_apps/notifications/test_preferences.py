import re

import pytest
from django_tenants.utils import tenant_context

from tenant_apps.notifications import selectors, services
from tenant_apps.notifications.kinds import Delivery, UnknownNotificationKind
from tenant_apps.notifications.models import NotificationPreference


def test_without_a_choice_every_kind_uses_its_default(in_alpha, member):
    preferences = selectors.delivery_preferences(member)

    assert preferences["account.welcome"] == Delivery.INSTANT
    assert preferences["system.announcement"] == Delivery.DIGEST


def test_a_choice_replaces_the_default_and_can_be_changed_again(in_alpha, member):
    services.set_delivery_preference(
        user=member, kind="system.announcement", delivery=Delivery.INSTANT
    )
    services.set_delivery_preference(user=member, kind="system.announcement", delivery=Delivery.OFF)

    assert selectors.delivery_for(member, "system.announcement") == Delivery.OFF
    assert NotificationPreference.objects.filter(user=member).count() == 1


def test_choices_are_per_person(in_alpha, member, colleague):
    services.set_delivery_preference(user=member, kind="account.welcome", delivery=Delivery.OFF)

    assert selectors.delivery_for(colleague, "account.welcome") == Delivery.INSTANT


def test_choices_are_per_programme(alpha, beta):
    person = alpha.members["expert"]
    with tenant_context(alpha.tenant):
        services.set_delivery_preference(user=person, kind="account.welcome", delivery=Delivery.OFF)
    with tenant_context(beta.tenant):
        assert selectors.delivery_for(person, "account.welcome") == Delivery.INSTANT


def test_unknown_kinds_and_deliveries_are_refused(in_alpha, member):
    with pytest.raises(UnknownNotificationKind):
        services.set_delivery_preference(
            user=member, kind="nobody.registered_this", delivery=Delivery.OFF
        )
    with pytest.raises(ValueError):
        services.set_delivery_preference(
            user=member, kind="account.welcome", delivery="carrier-pigeon"
        )


def test_several_choices_are_saved_together_or_not_at_all(in_alpha, member):
    with pytest.raises(UnknownNotificationKind):
        services.set_delivery_preferences(
            user=member,
            deliveries={"account.welcome": Delivery.OFF, "nobody.registered_this": Delivery.OFF},
        )

    assert not NotificationPreference.objects.filter(user=member).exists()


def test_preferences_page_offers_every_kind_as_a_group_of_choices(alpha, member):
    response = alpha.client(member).get("/notifications/preferences/")

    content = response.content.decode()
    assert response.status_code == 200
    assert content.count("<fieldset") >= 3
    assert "Your role in the programme changed" in content
    assert 'value="digest"' in content and 'value="off"' in content


def test_saving_the_preferences_page_records_the_choices(alpha, member):
    from tenant_apps.notifications.kinds import all_kinds

    # The page lists every registered kind; a browser posts each one's current choice.
    data = {
        **{"kind__" + kind.key.replace(".", "__"): kind.default_delivery for kind in all_kinds()},
        "kind__account__welcome": "off",
        "kind__membership__role_changed": "digest",
        "kind__system__announcement": "instant",
    }

    response = alpha.client(member).post("/notifications/preferences/", data)

    assert response.status_code == 302
    with tenant_context(alpha.tenant):
        preferences = selectors.delivery_preferences(member)
    assert preferences["account.welcome"] == "off"
    assert preferences["membership.role_changed"] == "digest"
    assert preferences["system.announcement"] == "instant"


def test_an_invalid_choice_is_explained_and_the_other_choices_are_kept(alpha, member):
    data = {
        "kind__account__welcome": "off",
        "kind__membership__role_changed": "sometimes",
        "kind__system__announcement": "instant",
    }

    response = alpha.client(member).post("/notifications/preferences/", data)

    content = response.content.decode()
    assert response.status_code == 400
    assert 'role="alert"' in content
    assert "field--invalid" in content
    assert re.search(r'value="off"[^>]*id="id_kind__account__welcome_\d"[^>]*checked', content)
    with tenant_context(alpha.tenant):
        assert not selectors.deliveries_for_users([member.pk])
