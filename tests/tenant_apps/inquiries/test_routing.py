"""Routing rules send each new inquiry to one representative; the owner manages them."""

import pytest
from django.core.exceptions import ValidationError

from tenant_apps.catalogue.models import Vertical
from tenant_apps.inquiries import services
from tenant_apps.inquiries.models import RoutingRule
from tenant_apps.notifications.models import Notification

pytestmark = pytest.mark.usefixtures("in_alpha")


def _notified(inquiry):
    return set(Notification.objects.filter(url=f"/inquiries/{inquiry.pk}/").values_list("recipient_id", flat=True))


def test_without_rules_the_owner_is_assigned_and_every_representative_notified(world):
    inquiry = world.inquiry()
    assert inquiry.assignee == world.owner_rep and inquiry.routing_rule is None
    assert _notified(inquiry) == {world.owner.pk, world.colleague.pk}


def test_a_rule_by_country_sends_buyers_of_that_country_to_a_representative(world):
    rule = services.add_routing_rule(actor=world.owner, company=world.company, representative=world.colleague_rep,
                                     country="AE")
    emirati = world.inquiry(buyer_country="AE")
    swede = world.inquiry(buyer_country="SE")
    assert emirati.assignee == world.colleague_rep and emirati.routing_rule == rule
    assert _notified(emirati) == {world.colleague.pk}
    assert swede.assignee == world.owner_rep and _notified(swede) == {world.owner.pk, world.colleague.pk}


def test_a_rule_by_vertical_sends_inquiries_about_its_products(world):
    services.add_routing_rule(actor=world.owner, company=world.company, representative=world.colleague_rep,
                              vertical=world.vertical)
    about_product = world.inquiry(kind="question", product=world.product)
    general = world.inquiry()
    assert about_product.assignee == world.colleague_rep
    assert general.assignee == world.owner_rep


def test_a_product_rule_wins_over_a_vertical_rule_which_wins_over_a_country_rule(world, alpha):
    from tenant_apps.directory.models import Representative
    from tests.tenant_apps.inquiries.conftest import member

    third = Representative.objects.create(company=world.company, user=member(alpha, "company_rep"))
    services.add_routing_rule(actor=world.owner, company=world.company, representative=world.owner_rep, country="AE")
    services.add_routing_rule(actor=world.owner, company=world.company, representative=third, vertical=world.vertical)
    assert world.inquiry(kind="question", product=world.product).assignee == third
    services.add_routing_rule(actor=world.owner, company=world.company, representative=world.colleague_rep,
                              product=world.product)
    assert world.inquiry(kind="question", product=world.product).assignee == world.colleague_rep
    assert world.inquiry(buyer_country="AE").assignee == world.owner_rep


def test_a_rule_pointing_at_an_inactive_account_is_skipped(world):
    services.add_routing_rule(actor=world.owner, company=world.company, representative=world.colleague_rep,
                              country="AE")
    world.colleague.is_active = False
    world.colleague.save(update_fields=["is_active"])
    assert world.inquiry(buyer_country="AE").assignee == world.owner_rep


def test_only_the_owner_manages_rules(world):
    with pytest.raises(services.NotAllowed, match="Only the owner"):
        services.add_routing_rule(actor=world.colleague, company=world.company, representative=world.colleague_rep,
                                  country="AE")
    rule = services.add_routing_rule(actor=world.owner, company=world.company, representative=world.colleague_rep,
                                     country="AE")
    with pytest.raises(services.NotAllowed):
        services.remove_routing_rule(actor=world.colleague, rule=rule)
    with pytest.raises(services.NotAllowed):
        services.remove_routing_rule(actor=world.rival_owner, rule=rule)
    services.remove_routing_rule(actor=world.owner, rule=rule)
    assert not RoutingRule.objects.exists()


def test_a_rule_has_exactly_one_criterion_and_is_not_repeated(world):
    with pytest.raises(ValidationError, match="one criterion"):
        services.add_routing_rule(actor=world.owner, company=world.company, representative=world.colleague_rep)
    with pytest.raises(ValidationError, match="one criterion"):
        services.add_routing_rule(actor=world.owner, company=world.company, representative=world.colleague_rep,
                                  country="AE", vertical=world.vertical)
    with pytest.raises(ValidationError) as refused:
        services.add_routing_rule(actor=world.owner, company=world.company, representative=world.colleague_rep,
                                  product=world.rival_product)
    assert "product" in refused.value.message_dict
    services.add_routing_rule(actor=world.owner, company=world.company, representative=world.colleague_rep,
                              country="AE")
    with pytest.raises(ValidationError, match="already sends these inquiries to Colette"):
        services.add_routing_rule(actor=world.owner, company=world.company, representative=world.owner_rep,
                                  country="AE")


def test_a_rule_cannot_send_inquiries_to_another_companys_representative(world):
    from tenant_apps.directory.models import Representative

    rival_rep = Representative.objects.get(company=world.rival)
    with pytest.raises(ValidationError):
        services.add_routing_rule(actor=world.owner, company=world.company, representative=rival_rep, country="AE")


def test_the_owner_reassigns_and_the_new_assignee_is_told(world):
    inquiry = world.inquiry()
    with pytest.raises(services.NotAllowed):
        services.assign(actor=world.colleague, inquiry=inquiry, representative=world.colleague_rep)
    services.assign(actor=world.owner, inquiry=inquiry, representative=world.colleague_rep)
    inquiry.refresh_from_db()
    assert inquiry.assignee == world.colleague_rep
    told = Notification.objects.get(recipient=world.colleague, kind="inquiries.assigned")
    assert told.title == "An inquiry was assigned to you: Your machines"
    assert inquiry.history.filter(action="assigned", actor_id=world.owner.pk, detail="Colette Collègue").exists()


def test_after_assignment_the_buyers_messages_reach_the_assignee_only(world):
    inquiry = world.inquiry()
    services.assign(actor=world.owner, inquiry=inquiry, representative=world.colleague_rep)
    Notification.objects.all().delete()
    services.post_message(author=world.buyer, inquiry=inquiry, body="Any news?")
    assert _notified(inquiry) == {world.colleague.pk}


def test_removing_a_representative_removes_their_rules_and_unassigns_their_inquiries(world):
    services.add_routing_rule(actor=world.owner, company=world.company, representative=world.colleague_rep,
                              country="AE")
    inquiry = world.inquiry(buyer_country="AE")
    world.colleague_rep.delete()
    inquiry.refresh_from_db()
    assert inquiry.assignee is None and not RoutingRule.objects.exists()


def test_vertical_rules_cover_every_vertical_of_a_product(world):
    other = Vertical.objects.create(name="Industrie du futur", slug="industrie-du-futur")
    world.product.verticals.add(other)
    services.add_routing_rule(actor=world.owner, company=world.company, representative=world.colleague_rep,
                              vertical=other)
    assert world.inquiry(kind="question", product=world.product).assignee == world.colleague_rep
