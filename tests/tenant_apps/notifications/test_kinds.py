import pytest

from tenant_apps.notifications import kinds
from tenant_apps.notifications.kinds import Delivery


def test_core_kinds_are_registered_with_their_default_delivery():
    assert kinds.get("account.welcome").default_delivery == Delivery.INSTANT
    assert kinds.get("membership.role_changed").default_delivery == Delivery.INSTANT
    assert kinds.get("system.announcement").default_delivery == Delivery.DIGEST


def test_registering_the_same_kind_again_is_harmless_but_a_conflicting_definition_is_refused():
    original = kinds.get("system.announcement")

    assert (
        kinds.register(original.key, original.label, default=original.default_delivery) == original
    )
    with pytest.raises(ValueError):
        kinds.register(original.key, original.label, default=Delivery.OFF)


def test_kind_keys_name_their_module():
    with pytest.raises(ValueError):
        kinds.register("welcome", "Welcome")
    assert not kinds.is_registered("welcome")


def test_a_kind_no_longer_registered_is_labelled_by_its_key_and_never_emailed():
    assert kinds.label_for("retired.module_event") == "retired.module_event"
    assert kinds.default_delivery("retired.module_event") == Delivery.OFF
