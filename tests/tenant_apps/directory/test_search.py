"""Search correctness: accents, compounds, typos, stemming, weights, filters, facets."""

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone
from django_tenants.utils import tenant_context

from tenant_apps.directory.models import Company, ExpertProfile, Sector, Tag
from tenant_apps.directory.search import selectors
from tenant_apps.directory.search.selectors import Criteria


def _names(criteria, *, is_member=True):
    return [company.name for company in selectors.search(criteria, is_member=is_member)]


def _company(**fields):
    fields.setdefault("country", "FR")
    fields.setdefault("visibility", Company.Visibility.PUBLIC)
    return Company.objects.create(**fields)


def test_unaccented_query_finds_accented_name_and_the_reverse(in_alpha):
    _company(name="Société Ivoirienne de Cacao")
    _company(name="Cafe Zephyr")
    assert _names(Criteria(q="societe")) == ["Société Ivoirienne de Cacao"]
    assert _names(Criteria(q="SOCIÉTÉ ivoirienne")) == ["Société Ivoirienne de Cacao"]
    assert _names(Criteria(q="café zéphyr")) == ["Cafe Zephyr"]


def test_compound_words_match_with_or_without_hyphen(in_alpha):
    _company(name="Groupe Agro-Alimentaire du Sahel")
    _company(name="Agroalimentaire Dakar")
    assert set(_names(Criteria(q="agroalimentaire"))) == {"Groupe Agro-Alimentaire du Sahel", "Agroalimentaire Dakar"}
    assert set(_names(Criteria(q="agro-alimentaire"))) == {"Groupe Agro-Alimentaire du Sahel", "Agroalimentaire Dakar"}


def test_stemming_in_french_and_english(in_alpha):
    _company(name="Alpha", description="Nous exportons des fruits tropicaux.")
    _company(name="Beta", description="We are exporting roasted coffee.")
    assert _names(Criteria(q="exportation fruit")) == []  # different stems: no false friend
    assert _names(Criteria(q="fruits tropical")) == ["Alpha"]
    assert _names(Criteria(q="export coffees")) == ["Beta"]


def test_one_letter_typo_in_a_name_still_finds_it(in_alpha):
    if not selectors.has_trigram():
        pytest.skip("pg_trgm is not installed: typo tolerance is off (documented fallback)")
    _company(name="Tissages Kouassi")
    assert _names(Criteria(q="Tisages Kouassi")) == ["Tissages Kouassi"]
    assert _names(Criteria(q="kouasi")) == ["Tissages Kouassi"]


def test_without_trigram_search_still_finds_exact_words(in_alpha, monkeypatch):
    monkeypatch.setattr(selectors, "has_trigram", lambda: False)
    _company(name="Tissages Kouassi")
    assert _names(Criteria(q="tissages")) == ["Tissages Kouassi"]
    assert _names(Criteria(q="Tisages")) == []


def test_name_outranks_description(in_alpha):
    _company(name="Karité Services", description="Conseil")
    _company(name="Conseil Export", description="Nous travaillons le karité depuis 1990.")
    assert _names(Criteria(q="karite")) == ["Karité Services", "Conseil Export"]


def test_prefix_of_last_word_matches(in_alpha):
    _company(name="Manufacture Textile Baoulé")
    assert _names(Criteria(q="manufacture text")) == ["Manufacture Textile Baoulé"]


def test_sector_and_tags_are_searchable_and_follow_renames(in_alpha):
    sector = Sector.objects.create(name="Énergie solaire", slug="solaire")
    tag = Tag.objects.create(name="Bio", slug="bio")
    company = _company(name="Zeta", sector=sector)
    company.tags.add(tag)
    assert _names(Criteria(q="energie")) == ["Zeta"]
    assert _names(Criteria(q="bio")) == ["Zeta"]
    tag.name = "Équitable"
    tag.save()
    assert _names(Criteria(q="equitable")) == ["Zeta"]
    company.tags.remove(tag)
    assert _names(Criteria(q="equitable")) == []


def test_hidden_profiles_never_shown_and_members_profiles_only_to_members(in_alpha):
    _company(name="Publique", visibility=Company.Visibility.PUBLIC)
    _company(name="Membres", visibility=Company.Visibility.MEMBERS)
    _company(name="Cachée", visibility=Company.Visibility.HIDDEN)
    assert _names(Criteria(), is_member=True) == ["Membres", "Publique"]
    assert _names(Criteria(), is_member=False) == ["Publique"]
    assert _names(Criteria(q="cachee"), is_member=True) == []


def test_sorts(in_alpha):
    first = _company(name="Bravo")
    second = _company(name="Alpha", is_recommended=True)
    Company.objects.filter(pk=first.pk).update(created_at=timezone.now() - timedelta(days=3))
    assert _names(Criteria(sort="name")) == ["Alpha", "Bravo"]
    assert _names(Criteria(sort="newest")) == ["Alpha", "Bravo"]
    assert _names(Criteria(sort="relevance")) == [second.name, first.name]


def test_facet_counts_reflect_other_filters_but_not_their_own(in_alpha):
    food = Sector.objects.create(name="Agroalimentaire", slug="agro")
    textile = Sector.objects.create(name="Textile", slug="textile")
    soon = timezone.now() + timedelta(days=30)
    _company(name="A", sector=food, country="SN", languages=["fr"], verification_expires_at=soon)
    _company(name="B", sector=food, country="CI", languages=["fr", "en"])
    _company(name="C", sector=textile, country="SN", languages=["en"], is_recommended=True)
    _company(name="D", sector=textile, country="SN", visibility=Company.Visibility.HIDDEN)

    counts = selectors.facet_counts(Criteria(filters={"country": ["SN"]}), is_member=True)

    assert counts["country"] == {"SN": 2, "CI": 1}  # own filter ignored
    assert counts["sector"] == {str(food.pk): 1, str(textile.pk): 1}
    assert counts["languages"] == {"fr": 1, "en": 1}
    assert counts["verified"] == {"on": 1}
    assert counts["recommended"] == {"on": 1}
    assert len(selectors.search(Criteria(filters={"country": ["SN"], "verified": True}), is_member=True)) == 1


def test_facet_counts_follow_the_text_query(in_alpha):
    _company(name="Cacao Sud", country="CI")
    _company(name="Cacao Nord", country="GH")
    _company(name="Coton", country="CI")
    counts = selectors.facet_counts(Criteria(q="cacao"), is_member=True)
    assert counts["country"] == {"CI": 1, "GH": 1}


def test_expert_search_and_facets(in_alpha, alpha):
    tag = Tag.objects.create(name="Logistique", slug="logistique")
    expert = ExpertProfile.objects.create(
        user=alpha.members["expert"], headline="Conseillère à l'exportation", countries=["SN", "CI"],
        languages=["fr"], visibility=Company.Visibility.PUBLIC,
    )
    expert.expertise.add(tag)
    criteria = Criteria(kind="experts", q="logistique", filters={"countries": ["CI"]})
    assert list(selectors.search(criteria, is_member=False)) == [expert]
    assert list(selectors.search(Criteria(kind="experts", q="conseillere"), is_member=False)) == [expert]
    counts = selectors.facet_counts(criteria, is_member=False)
    assert counts["countries"] == {"SN": 1, "CI": 1}
    assert counts["expertise"] == {str(tag.pk): 1}
    assert counts["availability"] == {"available": 1}


@pytest.mark.parametrize("q", ["'; DROP TABLE directory_company; --", "a & b | !c", "foo:* <-> bar", "\\x00", "%_%", "((("])
def test_query_syntax_and_injection_strings_are_plain_text(in_alpha, q):
    _company(name="Sûre")
    list(selectors.search(Criteria(q=q), is_member=True))
    selectors.facet_counts(Criteria(q=q), is_member=True)
    assert Company.objects.filter(name="Sûre").exists()


def test_each_form_of_a_word_is_asked_for_once(in_alpha):
    # A lexeme repeated in the query makes the planner expect several times more matches.
    assert selectors.text_query("cacao") == "('cacao':*)"
    assert selectors.text_query("Café export") == "('caf' | 'cafe') & ('export':*)"


def test_similar_names_only_when_the_words_find_nothing(in_alpha):
    if not selectors.has_trigram():
        pytest.skip("pg_trgm is not installed: typo tolerance is off (documented fallback)")
    _company(name="Tissages Kouassi")
    _company(name="Atelier Bleu", description="Nous kouasi.")

    exact = selectors.search(Criteria(q="kouasi"), is_member=True)
    assert [company.name for company in exact] == ["Atelier Bleu"] and not exact.is_similar_names

    similar = selectors.search(Criteria(q="tisages"), is_member=True)
    assert [company.name for company in similar] == ["Tissages Kouassi"] and similar.is_similar_names
    assert selectors.facet_counts(Criteria(q="tisages"), is_member=True).total == 1


def test_broad_search_lists_the_best_matches_names_first_and_counts_them_all(in_alpha, monkeypatch):
    monkeypatch.setattr(selectors, "RESULT_LIMIT", 2)
    for number in range(4):
        _company(name=f"Maison {number}", description="Nous vendons du cacao.")
    _company(name="Cacao du Sud", description="Fèves.")

    results = selectors.search(Criteria(q="cacao"), is_member=True)

    assert results.is_truncated and len(results) == 2
    assert results[0].name == "Cacao du Sud"
    assert selectors.facet_counts(Criteria(q="cacao"), is_member=True).total == 5
    assert not selectors.search(Criteria(q="fèves"), is_member=True).is_truncated

    by_name = selectors.search(Criteria(q="cacao", sort="name"), is_member=True)
    assert by_name.is_truncated and [company.name for company in by_name] == ["Cacao du Sud", "Maison 0"]
    assert [company.name for company in by_name[1:2]] == ["Maison 0"]


def test_facet_counts_with_two_filters_leave_out_each_ones_own(in_alpha):
    food = Sector.objects.create(name="Agroalimentaire", slug="agro")
    textile = Sector.objects.create(name="Textile", slug="textile")
    _company(name="A", sector=food, country="SN")
    _company(name="B", sector=food, country="CI")
    _company(name="C", sector=textile, country="SN")
    _company(name="D", sector=textile, country="CI", size="micro")

    counts = selectors.facet_counts(Criteria(filters={"country": ["SN"], "sector": [food.pk]}), is_member=True)

    assert counts["country"] == {"SN": 1, "CI": 1}  # food companies, any country
    assert counts["sector"] == {str(food.pk): 1, str(textile.pk): 1}  # Senegalese companies, any sector
    assert counts["size"] == {}  # D fails both filters
    assert counts.total == 1


def test_facet_counts_are_remembered_until_a_profile_changes(in_alpha, beta, monkeypatch, django_assert_num_queries):
    monkeypatch.setattr(selectors, "_may_cache", lambda: True)
    _company(name="Cacao Sud", country="CI")
    criteria = Criteria(q="cacao")
    first = selectors.facet_counts(criteria, is_member=True)

    with django_assert_num_queries(0):
        assert selectors.facet_counts(criteria, is_member=True) == first

    _company(name="Cacao Nord", country="GH")
    assert selectors.facet_counts(criteria, is_member=True)["country"] == {"CI": 1, "GH": 1}
    with tenant_context(beta.tenant):
        assert selectors.facet_counts(criteria, is_member=True)["country"] == {}


def test_another_schema_migrating_leaves_this_ones_profile_triggers_alone(in_alpha):
    from tenant_apps.directory.search import sql

    with connection.cursor() as cursor:
        # What migration 0002 does to the shared functions while another schema migrates.
        cursor.execute(sql.COMPANY_TRIGGER_FUNCTION_0002)
        cursor.execute(sql.EXPERT_TRIGGER_FUNCTION_0002)
    company = _company(name="Cacao du Sud", description="Fèves.")
    with connection.cursor() as cursor:
        cursor.execute("SELECT search_title IS NOT NULL FROM directory_company WHERE id = %s", [company.pk])
        assert cursor.fetchone()[0]


def test_remembered_counts_tell_apart_searches_whose_typo_fallback_differs():
    # Same words, but only the second is long enough for similar names.
    assert selectors.search_key("ab", {}) != selectors.search_key("ab.", {})
    assert selectors.search_key("Cacao", {"country": ["SN"]}) == selectors.search_key("cacao", {"country": ["SN"]})
