"""Companies ask for quotes; the promotion team answers; the company accepts or declines."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from shared_apps.audit.models import AuditEvent
from tenant_apps.notifications.models import Notification
from tenant_apps.promotion import services
from tenant_apps.promotion.models import PromotionRequest
from tests.tenant_apps.promotion.conftest import make_company, make_member, make_product

TODAY = timezone.localdate()


@pytest.fixture
def rep(in_alpha):
    return in_alpha.members["company_rep"]


@pytest.fixture
def company(in_alpha, rep):
    return make_company("Robotique Alsace", owner=rep)


@pytest.fixture
def manager(in_alpha):
    return in_alpha.members["moderator"]


def submit(company, rep, **changes):
    values = {"kind": "banner", "reach": "large", "starts_on": TODAY + timedelta(days=7),
              "ends_on": TODAY + timedelta(days=37), "budget": Decimal("1500"), "message": "Gulf buyers, please"}
    return services.submit_request(company=company, actor=rep, **{**values, **changes})


def titles_for(user):
    return list(Notification.objects.filter(recipient=user).order_by("pk").values_list("title", flat=True))


def test_a_full_request_accept_workflow_notifies_both_sides_and_is_audited(in_alpha, company, rep, manager):
    request = submit(company, rep)
    assert request.status == PromotionRequest.Status.SUBMITTED
    assert "Robotique Alsace asks for a promotion quote" in titles_for(manager)
    assert titles_for(in_alpha.members["tenant_admin"]) == ["Robotique Alsace asks for a promotion quote"]
    assert titles_for(in_alpha.members["buyer"]) == []

    services.quote_request(promotion_request=request, actor=manager, amount=Decimal("1200.00"),
                           note="Two weeks on the showroom top", valid_until=TODAY + timedelta(days=10))
    assert titles_for(rep) == ["Your promotion quote is ready"]
    assert "1,200.00 €" in Notification.objects.get(recipient=rep).body

    services.accept_quote(promotion_request=request, actor=rep)
    request.refresh_from_db()
    assert (request.status, request.decided_by_id) == (PromotionRequest.Status.ACCEPTED, rep.pk)
    assert titles_for(manager)[-1] == "Robotique Alsace accepted the promotion quote"

    actions = list(AuditEvent.objects.for_tenant(in_alpha.tenant).filter(target_id=str(request.pk))
                   .order_by("pk").values_list("action", "actor_id"))
    assert actions == [("promotion.request_submitted", rep.pk), ("promotion.request_quoted", manager.pk),
                       ("promotion.request_accepted", rep.pk)]


def test_notifications_speak_each_persons_language(in_alpha, company, rep, manager):
    manager.preferred_language = "fr"
    manager.save()
    submit(company, rep)
    assert titles_for(manager) == ["Robotique Alsace demande un devis de promotion"]


def test_a_quote_can_be_revised_until_the_company_decides(in_alpha, company, rep, manager):
    request = submit(company, rep)
    services.quote_request(promotion_request=request, actor=manager, amount=Decimal("1200"))
    services.quote_request(promotion_request=request, actor=manager, amount=Decimal("900"))
    services.decline_quote(promotion_request=request, actor=rep, reason="Over budget")
    request.refresh_from_db()
    assert (request.status, request.quote_amount, request.decision_note) == ("declined", Decimal("900"), "Over budget")
    with pytest.raises(services.PromotionError):
        services.quote_request(promotion_request=request, actor=manager, amount=Decimal("800"))
    with pytest.raises(services.PromotionError):
        services.accept_quote(promotion_request=request, actor=rep)


def test_there_is_nothing_to_accept_before_a_quote(company, rep):
    request = submit(company, rep)
    with pytest.raises(services.PromotionError):
        services.accept_quote(promotion_request=request, actor=rep)
    with pytest.raises(services.PromotionError):
        services.decline_quote(promotion_request=request, actor=rep)


def test_an_expired_quote_cannot_be_accepted(company, rep, manager):
    request = submit(company, rep)
    services.quote_request(promotion_request=request, actor=manager, amount=Decimal("500"),
                           valid_until=TODAY + timedelta(days=2))
    with pytest.raises(services.PromotionError, match="expired"):
        services.accept_quote(promotion_request=request, actor=rep, today=TODAY + timedelta(days=3))
    services.accept_quote(promotion_request=request, actor=rep, today=TODAY + timedelta(days=2))


def test_the_company_may_withdraw_an_open_request_only(company, rep, manager):
    request = submit(company, rep)
    services.withdraw_request(promotion_request=request, actor=rep)
    assert titles_for(manager)[-1] == "Robotique Alsace withdrew its promotion request"
    with pytest.raises(services.PromotionError):
        services.withdraw_request(promotion_request=request, actor=rep)


def test_the_team_may_turn_a_request_down_with_a_reason(company, rep, manager):
    request = submit(company, rep)
    with pytest.raises(ValidationError):
        services.refuse_request(promotion_request=request, actor=manager, reason="  ")
    services.refuse_request(promotion_request=request, actor=manager, reason="No slot left in March")
    assert titles_for(rep) == ["Your promotion request was turned down"]
    assert Notification.objects.get(recipient=rep).body == "No slot left in March"


def test_only_the_companys_representatives_answer_its_quote(in_alpha, company, rep, manager):
    request = submit(company, rep)
    services.quote_request(promotion_request=request, actor=manager, amount=Decimal("100"))
    other_rep = make_member(in_alpha.tenant, "company_rep")
    make_company("Other", owner=other_rep)
    for action in (services.accept_quote, services.decline_quote, services.withdraw_request):
        with pytest.raises(services.PromotionError):
            action(promotion_request=request, actor=other_rep)
        with pytest.raises(services.PromotionError):
            action(promotion_request=request, actor=manager)


def test_a_manager_who_represents_the_company_cannot_quote_it(in_alpha, company, rep):
    from tenant_apps.directory.models import Representative

    moderator = in_alpha.members["moderator"]
    Representative.objects.create(company=company, user=moderator)
    request = submit(company, rep)
    assert titles_for(moderator) == []
    with pytest.raises(services.PromotionError):
        services.quote_request(promotion_request=request, actor=moderator, amount=Decimal("10"))


def test_only_representatives_submit_and_only_for_their_own_company(in_alpha, company, rep):
    with pytest.raises(services.PromotionError):
        submit(company, in_alpha.members["buyer"])
    other = make_company("Other company")
    with pytest.raises(services.PromotionError):
        submit(other, rep)


@pytest.mark.parametrize(("changes", "field"), [
    ({"starts_on": TODAY - timedelta(days=1)}, "starts_on"),
    ({"ends_on": TODAY + timedelta(days=1)}, "ends_on"),
    ({"budget": Decimal("-1")}, "budget"),
    ({"kind": "billboard"}, "kind"),
    ({"reach": "galactic"}, "reach"),
])
def test_bad_requests_are_refused_field_by_field(company, rep, changes, field):
    with pytest.raises(ValidationError) as refused:
        submit(company, rep, **changes)
    assert field in refused.value.message_dict
    assert not PromotionRequest.objects.exists()


def test_a_request_names_only_one_of_the_companys_products(in_alpha, company, rep):
    own = make_product(company, "Cobot")
    foreign = make_product(make_company("Elsewhere"), "Lathe")
    assert submit(company, rep, product=own).product == own
    with pytest.raises(ValidationError) as refused:
        submit(company, rep, product=foreign)
    assert "product" in refused.value.message_dict


def test_a_negative_quote_is_refused(company, rep, manager):
    request = submit(company, rep)
    with pytest.raises(ValidationError):
        services.quote_request(promotion_request=request, actor=manager, amount=Decimal("-5"))
    with pytest.raises(ValidationError):
        services.quote_request(promotion_request=request, actor=manager, amount=Decimal("5"),
                               valid_until=TODAY - timedelta(days=1))


def test_accepting_a_featured_quote_schedules_the_product_for_the_period_asked(in_alpha, company, rep, manager):
    from tenant_apps.promotion.models import FeaturedProduct

    product = make_product(company, title="Cobot de palettisation")
    request = submit(company, rep, kind="featured", product=product)
    services.quote_request(promotion_request=request, actor=manager, amount=Decimal("800"))
    services.accept_quote(promotion_request=request, actor=rep)

    request.refresh_from_db()
    slot = FeaturedProduct.objects.get(product=product)
    assert request.featured_product == slot and request.featured_company is None
    assert timezone.localtime(slot.starts_at).date() == request.starts_on
    assert timezone.localtime(slot.ends_at).date() == request.ends_on + timedelta(days=1)
    assert "The featured slot is scheduled for the period asked." in Notification.objects.filter(
        recipient=manager).latest("pk").body
    html = in_alpha.client(rep).get(f"/promotion/requests/{request.pk}/").content.decode()
    assert "Scheduled from" in html


def test_a_featured_quote_the_rules_refuse_is_accepted_and_left_to_the_team(in_alpha, company, rep, manager):
    from tenant_apps.promotion.models import FeaturedProduct

    product = make_product(company, title="Cobot de palettisation")
    services.add_featured_product(product=product, starts_at=timezone.now(),
                                  ends_at=timezone.now() + timedelta(days=60), actor=manager)
    request = submit(company, rep, kind="featured", product=product)  # overlaps the slot above
    services.quote_request(promotion_request=request, actor=manager, amount=Decimal("800"))
    services.accept_quote(promotion_request=request, actor=rep)

    request.refresh_from_db()
    assert request.status == PromotionRequest.Status.ACCEPTED and request.featured_product is None
    assert FeaturedProduct.objects.filter(product=product).count() == 1
    assert "could not be scheduled" in Notification.objects.filter(recipient=manager).latest("pk").body
    html = in_alpha.client(rep).get(f"/promotion/requests/{request.pk}/").content.decode()
    assert "Not scheduled yet" in html


def test_accepting_a_featured_quote_without_a_product_features_the_supported_company(in_alpha, company, rep, manager):
    request = submit(company, rep, kind="featured")  # the company is supported (make_company)
    services.quote_request(promotion_request=request, actor=manager, amount=Decimal("500"))
    services.accept_quote(promotion_request=request, actor=rep)
    request.refresh_from_db()
    assert request.featured_company is not None and request.featured_company.company == company
