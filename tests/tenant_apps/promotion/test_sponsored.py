"""Sponsored keywords: normalised matching, schedules, and merging sponsored products into any search."""

import pytest
from django.core.exceptions import ValidationError

from tenant_apps.promotion import keywords, selectors, services
from tenant_apps.promotion.sponsored import RankedProduct, merge_sponsored
from tests.tenant_apps.promotion.conftest import DAY, HOUR, NOW, make_company, make_product


@pytest.fixture
def admin(in_alpha):
    return in_alpha.members["tenant_admin"]


@pytest.fixture
def milling(in_alpha):
    return make_product(make_company(), "Fraiseuse 5 axes")


def test_keywords_fold_accents_case_and_hyphens():
    assert keywords.words("  Machine-Outil   ÉLECTRIQUE, électrique!") == ["machine", "outil", "electrique"]
    assert keywords.normalised("Œuvre d'Art") == "oeuvre d art"
    assert keywords.words("<script>") == ["script"]
    assert keywords.query_words(" ".join(f"w{n}" for n in range(30))) == [f"w{n}" for n in range(12)]


@pytest.mark.parametrize(("query", "matches"), [
    ("machine outil", True),
    ("MACHINE-OUTIL", True),
    ("machine outil 5 axes", True),
    ("outil pour machine", True),
    ("machine", False),
    ("machines outils", False),
    ("", False),
    ("   !!! ", False),
])
def test_a_keyword_matches_queries_holding_all_its_words(milling, admin, query, matches):
    services.add_sponsored_keyword(product=milling, keyword="Machine-outil", starts_at=NOW, actor=admin, weight=3)
    assert selectors.sponsored_boosts(query, NOW + HOUR) == ({milling.pk: 3} if matches else {})


def test_accents_in_the_keyword_or_the_query_do_not_matter(milling, admin):
    services.add_sponsored_keyword(product=milling, keyword="fraiseuse numérique", starts_at=NOW, actor=admin)
    assert selectors.sponsored_boosts("Fraiseuse Numerique", NOW + HOUR) == {milling.pk: 1}
    assert selectors.sponsored_boosts("numérique FRAISEUSE", NOW + HOUR) == {milling.pk: 1}


@pytest.mark.parametrize(("moment", "boosted"), [(NOW - HOUR, False), (NOW, True), (NOW + DAY - HOUR, True),
                                                 (NOW + DAY, False)])
def test_a_sponsored_keyword_runs_only_during_its_period(milling, admin, moment, boosted):
    services.add_sponsored_keyword(product=milling, keyword="fraiseuse", starts_at=NOW, ends_at=NOW + DAY, actor=admin)
    assert bool(selectors.sponsored_boosts("fraiseuse", moment)) is boosted


def test_only_published_products_are_boosted(in_alpha, milling, admin):
    services.add_sponsored_keyword(product=milling, keyword="fraiseuse", starts_at=NOW, actor=admin)
    draft = make_product(milling.company, "Prototype", published=False)
    with pytest.raises(ValidationError):
        services.add_sponsored_keyword(product=draft, keyword="fraiseuse", starts_at=NOW, actor=admin)
    milling.status, milling.published_at = "draft", None
    milling.save()
    assert selectors.sponsored_boosts("fraiseuse", NOW + HOUR) == {}


def test_a_product_matched_by_several_keywords_takes_its_heaviest_weight(milling, admin):
    services.add_sponsored_keyword(product=milling, keyword="fraiseuse", weight=2, starts_at=NOW, actor=admin)
    services.add_sponsored_keyword(product=milling, keyword="5 axes", weight=7, starts_at=NOW, actor=admin)
    assert selectors.sponsored_boosts("fraiseuse 5 axes", NOW + HOUR) == {milling.pk: 7}


def test_the_same_words_cannot_overlap_in_time_for_one_product(milling, admin):
    services.add_sponsored_keyword(product=milling, keyword="Fraiseuse CNC", starts_at=NOW, ends_at=NOW + DAY,
                                   actor=admin)
    with pytest.raises(ValidationError) as refused:
        services.add_sponsored_keyword(product=milling, keyword="cnc fraiseuse", starts_at=NOW + HOUR, actor=admin)
    assert "keyword" in refused.value.message_dict
    services.add_sponsored_keyword(product=milling, keyword="cnc fraiseuse", starts_at=NOW + DAY, actor=admin)


@pytest.mark.parametrize(("keyword", "weight"), [("!!!", 1), ("a b c d e f g", 1), ("fraiseuse", 0),
                                                 ("fraiseuse", 101)])
def test_empty_long_or_unweighted_keywords_are_refused(milling, admin, keyword, weight):
    with pytest.raises(ValidationError):
        services.add_sponsored_keyword(product=milling, keyword=keyword, weight=weight, starts_at=NOW, actor=admin)


def test_sponsored_boosts_is_one_query(milling, admin, django_assert_num_queries):
    services.add_sponsored_keyword(product=milling, keyword="fraiseuse", starts_at=NOW, actor=admin)
    with django_assert_num_queries(1):
        selectors.sponsored_boosts("fraiseuse 5 axes", NOW + HOUR)


# --- merge_sponsored: plain data in, plain data out ----------------------------------------------


def ids(merged):
    return [(item.product_id, item.is_sponsored) for item in merged]


def test_sponsored_products_go_on_top_flagged_heaviest_first():
    organic = [(10, 0.9), (11, 0.8), (12, 0.7)]
    merged = merge_sponsored(organic, {20: 1, 21: 5}, limit=3)
    assert ids(merged) == [(21, True), (20, True), (10, False), (11, False), (12, False)]


def test_a_sponsored_product_found_by_the_search_moves_up_and_appears_once():
    merged = merge_sponsored([(10, 0.9), (11, 0.8), (12, 0.7)], {12: 1})
    assert ids(merged) == [(12, True), (10, False), (11, False)]
    assert merged[0] == RankedProduct(product_id=12, score=0.7, is_sponsored=True)


def test_at_most_limit_sponsored_products_and_the_rest_stay_organic():
    merged = merge_sponsored([(1, 1.0), (2, 0.5)], {1: 1, 2: 2, 3: 3, 4: 4}, limit=2)
    assert ids(merged) == [(4, True), (3, True), (1, False), (2, False)]
    assert ids(merge_sponsored([(1, 1.0)], {2: 9}, limit=0)) == [(1, False)]


def test_equal_weights_follow_the_search_order_then_the_id():
    merged = merge_sponsored([(5, 0.9), (3, 0.8)], {3: 2, 5: 2, 1: 2, 7: 2}, limit=4)
    assert ids(merged) == [(5, True), (3, True), (1, True), (7, True)]


def test_only_allowed_products_are_lifted():
    merged = merge_sponsored([(1, 1.0), (2, 0.5)], {2: 5, 9: 9}, allowed_ids={1, 2})
    assert ids(merged) == [(2, True), (1, False)]


def test_duplicates_in_the_search_results_are_dropped_and_plain_ids_work():
    assert ids(merge_sponsored([1, 2, 1, 3, 2], {})) == [(1, False), (2, False), (3, False)]
    assert ids(merge_sponsored([], {4: 1})) == [(4, True)]


def test_a_zero_weight_is_not_a_boost():
    assert ids(merge_sponsored([(1, 1.0)], {2: 0})) == [(1, False)]


def test_merging_with_real_boosts_from_the_database(in_alpha, milling, admin):
    other = make_product(milling.company, "Tour CN")
    services.add_sponsored_keyword(product=other, keyword="usinage", starts_at=NOW, actor=admin)
    organic = [(milling.pk, 0.8), (other.pk, 0.2)]
    merged = merge_sponsored(organic, selectors.sponsored_boosts("usinage précis", NOW + HOUR))
    assert ids(merged) == [(other.pk, True), (milling.pk, False)]
