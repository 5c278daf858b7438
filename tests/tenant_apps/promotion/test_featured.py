"""Featured products and companies: schedules, overlaps, and what 'featured now' returns."""

import pytest
from django.core.exceptions import ValidationError

from shared_apps.audit.models import AuditEvent
from tenant_apps.directory.models import Company
from tenant_apps.promotion import selectors, services
from tenant_apps.promotion.models import FeaturedProduct, Phase
from tests.tenant_apps.promotion.conftest import DAY, HOUR, NOW, make_company, make_product


@pytest.fixture
def admin(in_alpha):
    return in_alpha.members["tenant_admin"]


@pytest.fixture
def product(in_alpha):
    return make_product(make_company())


@pytest.mark.parametrize(("moment", "featured"), [
    (NOW - HOUR, False),           # before it starts
    (NOW, True),                   # the first moment
    (NOW + DAY, True),             # during
    (NOW + 2 * DAY - HOUR, True),  # just before the end
    (NOW + 2 * DAY, False),        # the end is excluded
    (NOW + 3 * DAY, False),        # after
])
def test_a_featured_product_shows_only_during_its_period(product, admin, moment, featured):
    services.add_featured_product(product=product, starts_at=NOW, ends_at=NOW + 2 * DAY, actor=admin)

    assert [p.pk for p in selectors.featured_products(moment)] == ([product.pk] if featured else [])


def test_a_slot_without_end_runs_until_removed(product, admin):
    slot = services.add_featured_product(product=product, starts_at=NOW, actor=admin)
    assert slot.phase(NOW + 1000 * DAY) == Phase.RUNNING
    assert selectors.featured_products(NOW + 1000 * DAY)[0].pk == product.pk

    services.remove_featured(slot=slot, actor=admin)
    assert selectors.featured_products(NOW + DAY) == []


def test_only_published_products_can_be_featured_and_unpublished_ones_disappear(in_alpha, product, admin):
    draft = make_product(product.company, "Prototype", published=False)
    with pytest.raises(ValidationError) as refused:
        services.add_featured_product(product=draft, starts_at=NOW, actor=admin)
    assert "product" in refused.value.message_dict

    services.add_featured_product(product=product, starts_at=NOW, actor=admin)
    product.status, product.published_at = "draft", None
    product.save()
    assert selectors.featured_products(NOW + HOUR) == []


def test_overlapping_slots_for_the_same_product_are_refused(product, admin):
    services.add_featured_product(product=product, starts_at=NOW, ends_at=NOW + 2 * DAY, actor=admin)

    for starts_at, ends_at in [(NOW + DAY, NOW + 3 * DAY), (NOW - DAY, NOW + HOUR), (NOW - DAY, None),
                               (NOW + HOUR, NOW + 2 * HOUR)]:
        with pytest.raises(ValidationError) as refused:
            services.add_featured_product(product=product, starts_at=starts_at, ends_at=ends_at, actor=admin)
        assert "already featured" in refused.value.message_dict["starts_at"][0]

    # Back to back is fine: the first ends when the second starts.
    services.add_featured_product(product=product, starts_at=NOW + 2 * DAY, ends_at=NOW + 4 * DAY, actor=admin)
    assert FeaturedProduct.objects.filter(product=product).count() == 2


def test_an_open_ended_slot_blocks_every_later_one(product, admin):
    services.add_featured_product(product=product, starts_at=NOW, actor=admin)
    with pytest.raises(ValidationError):
        services.add_featured_product(product=product, starts_at=NOW + 300 * DAY, ends_at=NOW + 301 * DAY, actor=admin)


def test_the_end_must_come_after_the_start(product, admin):
    with pytest.raises(ValidationError) as refused:
        services.add_featured_product(product=product, starts_at=NOW, ends_at=NOW, actor=admin)
    assert "ends_at" in refused.value.message_dict


def test_different_products_share_a_period_in_position_order(in_alpha, admin):
    company = make_company()
    first, second, third = (make_product(company, title) for title in ("A", "B", "C"))
    services.add_featured_product(product=second, starts_at=NOW, position=2, actor=admin)
    services.add_featured_product(product=third, starts_at=NOW, position=1, actor=admin)
    # Same position: the slot that started last comes first.
    services.add_featured_product(product=first, starts_at=NOW + HOUR, position=1, actor=admin)

    assert [p.title for p in selectors.featured_products(NOW + 2 * HOUR)] == ["A", "C", "B"]
    assert [p.title for p in selectors.featured_products(NOW + 2 * HOUR, limit=2)] == ["A", "C"]


def test_featured_products_come_with_their_company_in_a_fixed_number_of_queries(in_alpha, admin,
                                                                               django_assert_num_queries):
    company = make_company()
    for index in range(6):
        services.add_featured_product(product=make_product(company, f"P{index}"), starts_at=NOW, actor=admin)
    with django_assert_num_queries(3):
        products = selectors.featured_products(NOW + HOUR)
        assert [p.company.name for p in products] == ["Usinage Précis"] * 6


def test_only_supported_visible_companies_are_featured(in_alpha, admin):
    supported = make_company("Supported")
    unsupported = make_company("Unsupported", supported=False)
    members_only = make_company("Members only", visibility=Company.Visibility.MEMBERS)
    with pytest.raises(ValidationError) as refused:
        services.add_featured_company(company=unsupported, starts_at=NOW, actor=admin)
    assert "company" in refused.value.message_dict

    services.add_featured_company(company=supported, starts_at=NOW, ends_at=NOW + DAY, position=2, actor=admin)
    services.add_featured_company(company=members_only, starts_at=NOW, position=1, actor=admin)

    assert [c.name for c in selectors.featured_companies(NOW + HOUR)] == ["Supported"]
    assert [c.name for c in selectors.featured_companies(NOW + HOUR, include_members_only=True)] == [
        "Members only", "Supported"]
    assert selectors.featured_companies(NOW - HOUR) == []
    assert [c.name for c in selectors.featured_companies(NOW + 2 * DAY)] == []
    members_only.visibility = Company.Visibility.HIDDEN
    members_only.save()
    assert [c.name for c in selectors.featured_companies(NOW + HOUR, include_members_only=True)] == ["Supported"]


def test_overlapping_company_slots_are_refused(in_alpha, admin):
    company = make_company()
    services.add_featured_company(company=company, starts_at=NOW, ends_at=NOW + DAY, actor=admin)
    with pytest.raises(ValidationError):
        services.add_featured_company(company=company, starts_at=NOW + HOUR, ends_at=NOW + 2 * DAY, actor=admin)


def test_scheduling_and_removing_are_audited(in_alpha, product, admin):
    slot = services.add_featured_product(product=product, starts_at=NOW, actor=admin)
    services.remove_featured(slot=slot, actor=admin)
    actions = list(AuditEvent.objects.for_tenant(in_alpha.tenant).filter(actor=admin, action__startswith="promotion.")
                   .values_list("action", flat=True))
    assert sorted(actions) == ["promotion.featured_added", "promotion.featured_removed"]
