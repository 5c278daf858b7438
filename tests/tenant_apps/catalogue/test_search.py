"""Catalogue search: French and English full text, facets and their counts, sorting, paging."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import tenant_context

from tenant_apps.catalogue.models import Certification
from tenant_apps.catalogue.search import selectors
from tenant_apps.catalogue.search.selectors import Criteria, facet_counts, search
from tenant_apps.directory.models import Company
from tenant_apps.directory.search import selectors as text_selectors
from tests.tenant_apps.catalogue.conftest import make_product, make_vertical


@pytest.fixture
def catalogue(in_beta, seller, other_seller):
    tools = make_vertical("Machines-outils", "Machine tools")
    medical = make_vertical("Dispositifs médicaux", "Medical devices")
    ce = Certification.objects.create(name="Marquage CE", name_en="CE marking", slug="ce")
    iso = Certification.objects.create(name="ISO 13485", slug="iso-13485")
    products = {
        "mill": make_product(seller.company, title="Fraiseuses à commande numérique", description="Précision élevée.",
                             verticals=[tools], countries_served=["DE", "US"], hs_code="845961",
                             english=("CNC milling machines", "High precision machining.")),
        "lathe": make_product(seller.company, title="Tour multibroche", description="Décolletage de grande série.",
                              verticals=[tools], countries_served=["DE"]),
        "patch": make_product(other_seller.company, title="Patch ECG sans fil", description="Télésurveillance cardiaque.",
                              verticals=[medical], countries_served=["SE", "US"], kind="product"),
        "draft": make_product(other_seller.company, title="Fraiseuse prototype", published=False, verticals=[tools]),
        "service": make_product(other_seller.company, title="Maintenance de machines-outils", kind="service",
                                description="Révision de broches.", verticals=[tools], countries_served=["US"]),
    }
    products["mill"].certifications.set([ce])
    products["patch"].certifications.set([ce, iso])
    return {"products": products, "tools": tools, "medical": medical, "ce": ce, "iso": iso}


def _titles(criteria, languages=("en",)):
    return {product.title for product in search(criteria, languages=list(languages))}


@pytest.mark.parametrize("query", ["precision", "PRÉCISION", "fraiseuse", "fraiseuses", "commande numerique",
                                   "milling", "machine", "machining", "8459", "fraise"])
def test_text_matches_accents_stemming_and_both_languages(catalogue, query):
    assert "Fraiseuses à commande numérique" in _titles(Criteria(q=query))


def test_drafts_and_other_words_do_not_match(catalogue):
    assert _titles(Criteria(q="fraiseuse")) == {"Fraiseuses à commande numérique"}
    assert _titles(Criteria(q="ecg")) == {"Patch ECG sans fil"}
    assert _titles(Criteria(q="turbine")) == set()


def test_filters_combine_and_facets_count_the_other_filters(catalogue):
    tools, ce = catalogue["tools"], catalogue["ce"]
    criteria = Criteria(filters={"vertical": [tools.pk], "country": ["US"]})
    assert _titles(criteria) == {"Fraiseuses à commande numérique", "Maintenance de machines-outils"}
    counts = facet_counts(criteria)
    # Vertical counts ignore the vertical filter (US only): mill, service and the patch.
    assert counts["vertical"] == {str(tools.pk): 2, str(catalogue["medical"].pk): 1}
    # Country counts ignore the country filter (tools only): DE for mill and lathe, US for mill and service.
    assert counts["country"] == {"DE": 2, "US": 2}
    assert counts["certification"] == {str(ce.pk): 1}
    assert counts["kind"] == {"product": 1, "service": 1}
    assert _titles(Criteria(filters={"certification": [catalogue["iso"].pk]})) == {"Patch ECG sans fil"}
    assert _titles(Criteria(filters={"kind": ["service"]})) == {"Maintenance de machines-outils"}


def test_counts_follow_the_text_query(catalogue):
    counts = facet_counts(Criteria(q="machines"))
    # The lathe matches by its vertical, "Machines-outils".
    assert counts["vertical"] == {str(catalogue["tools"].pk): 3}


def test_sorting_by_title_newest_and_relevance(catalogue):
    by_title = [product.title for product in search(Criteria(sort="title"), languages=["en"])]
    assert by_title == sorted(by_title)
    newest = [product.title for product in search(Criteria(sort="newest"), languages=["en"])]
    assert newest[0] == "Maintenance de machines-outils"
    relevant = list(search(Criteria(q="fraiseuses numerique"), languages=["en"]))
    assert relevant[0].title == "Fraiseuses à commande numérique"


def test_search_page_with_shareable_filters_and_counts(beta, catalogue):
    client = beta.client(beta.members["buyer"])
    search = {"q": "machines", "vertical": catalogue["tools"].pk, "country": "US"}
    # With filters, counts read more than the results: the page asks for them after its results...
    deferred = client.get("/catalogue/", search).content.decode()
    assert "Maintenance de machines-outils" in deferred and 'aria-busy="true"' in deferred
    # ... unless it is asked to wait for them, as the form does without JavaScript.
    response = client.get("/catalogue/", {**search, "counts": "1"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "CNC milling machines" in html  # the English title for an English reader
    assert "Maintenance de machines-outils" in html and "Tour multibroche" not in html
    assert f'name="vertical" value="{catalogue["tools"].pk}"' in html and "checked" in html
    assert "Machine tools <span class=\"facet__count\">(2)</span>" in html


def test_htmx_gets_only_the_results(beta, catalogue):
    response = beta.client(beta.members["buyer"]).get("/catalogue/", {"q": "ecg"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="catalogue-results"') and "<html" not in html
    assert "Patch ECG sans fil" in html


@pytest.mark.parametrize("parameter", ["q", "sort", "vertical", "country", "certification", "kind", "page"])
def test_hostile_parameters_are_harmless(beta, catalogue, parameter):
    client = beta.client(beta.members["buyer"])
    for value in ["1' OR '1'='1", "1; DROP TABLE catalogue_product; --", "') UNION SELECT password FROM accounts_user --",
                  "<script>alert(1)</script>", "&&!!:*|"]:
        response = client.get("/catalogue/", {parameter: value})
        assert response.status_code == 200
        assert "<script>alert(1)</script>" not in response.content.decode()


def test_another_programmes_products_never_appear(alpha, beta, catalogue):
    response = alpha.client(alpha.members["buyer"]).get("/catalogue/", {"q": "fraiseuses"})
    assert response.status_code == 200 and "Fraiseuses" not in response.content.decode()


def test_pages_of_results(beta, seller):
    with tenant_context(beta.tenant):
        vertical = make_vertical()
        for number in range(30):
            make_product(seller.company, title=f"Pièce {number:02d}", verticals=[vertical])
    client = beta.client(beta.members["buyer"])
    first = client.get("/catalogue/", {"sort": "title"}).content.decode()
    assert "30 results" in first and "Pièce 00" in first and "Pièce 29" not in first and "Page 1 of 2" in first
    second = client.get("/catalogue/", {"sort": "title", "page": 2}).content.decode()
    assert "Pièce 29" in second and "Pièce 00" not in second


def _queries(client, path, params=None) -> int:
    client.get(path, params)
    with CaptureQueriesContext(connection) as context:
        response = client.get(path, params)
    assert response.status_code == 200
    return len(context)


def test_search_page_queries_do_not_grow_with_products(beta, seller):
    with tenant_context(beta.tenant):
        vertical = make_vertical()
        ce = Certification.objects.create(name="CE", slug="ce")
        make_product(seller.company, title="Premier", verticals=[vertical], english=("First", ""))
    client = beta.client(beta.members["buyer"])
    before = _queries(client, "/catalogue/", {"q": "premier"})
    plain_before = _queries(client, "/catalogue/")
    with tenant_context(beta.tenant):
        for number in range(20):
            product = make_product(seller.company, title=f"Premier modèle {number}", verticals=[vertical],
                                   english=(f"First model {number}", ""), countries_served=["DE", "US"])
            product.certifications.set([ce])
    assert _queries(client, "/catalogue/", {"q": "premier"}) == before
    assert _queries(client, "/catalogue/") == plain_before <= 18


# --- Speed design: the best matches listed, counts remembered, counts after results ------------------

def test_link_copies_follow_the_links(catalogue):
    mill = catalogue["products"]["mill"]
    mill.refresh_from_db()
    assert mill.vertical_ids == [catalogue["tools"].pk] and mill.certification_ids == [catalogue["ce"].pk]
    mill.verticals.add(catalogue["medical"])
    mill.certifications.clear()
    mill.refresh_from_db()
    assert mill.vertical_ids == sorted([catalogue["tools"].pk, catalogue["medical"].pk])
    assert mill.certification_ids == []


def test_words_and_filters_meet_in_the_text_index_yet_typing_a_filter_finds_nothing(catalogue):
    tools = catalogue["tools"]
    with connection.cursor() as cursor:
        cursor.execute("SELECT search_vector::text, search_title::text FROM catalogue_product WHERE id = %s",
                       [catalogue["products"]["mill"].pk])
        vector, title = cursor.fetchone()
    for lexeme in (f"'v:{tools.pk}'", f"'c:{catalogue['ce'].pk}'", "'n:de'", "'n:us'", "'k:product'"):
        assert lexeme in vector and lexeme in title
    criteria = Criteria(q="machines", filters={"vertical": [tools.pk], "country": ["US"], "kind": ["service"]})
    assert _titles(criteria) == {"Maintenance de machines-outils"}
    assert _titles(Criteria(q="n:se")) == set() and _titles(Criteria(q="k:service")) == set()


def test_hidden_companies_products_are_neither_listed_nor_counted(catalogue, other_seller):
    other_seller.company.visibility = Company.Visibility.HIDDEN
    other_seller.company.save()
    assert _titles(Criteria(q="ecg")) == set()
    assert facet_counts(Criteria()).total == 2  # the mill and the lathe


def test_broad_search_lists_the_best_matches_titles_first_and_counts_them_all(in_beta, seller, monkeypatch):
    monkeypatch.setattr(selectors, "RESULT_LIMIT", 2)
    for number in range(4):
        make_product(seller.company, title=f"Modèle {number}", description="Une pompe doseuse robuste.")
    make_product(seller.company, title="Pompe doseuse inox", description="Acier.")

    results = search(Criteria(q="pompe"), languages=["fr"])

    assert results.is_truncated and len(results) == 2
    assert results[0].title == "Pompe doseuse inox"
    assert facet_counts(Criteria(q="pompe")).total == 5
    assert not search(Criteria(q="acier"), languages=["fr"]).is_truncated

    by_title = search(Criteria(q="pompe", sort="title"), languages=["fr"])
    assert by_title.is_truncated and [product.title for product in by_title] == ["Modèle 0", "Modèle 1"]
    assert [product.title for product in by_title.excluding([by_title.ids(1)[0]])] == ["Modèle 1", "Modèle 2"]


def test_similar_titles_when_the_words_find_nothing(in_beta, seller):
    if not text_selectors.has_trigram():
        pytest.skip("typo tolerance needs pg_trgm")
    make_product(seller.company, title="Électrolyseur alcalin")
    similar = search(Criteria(q="electrolyseu alcalin"), languages=["fr"])
    assert [product.title for product in similar] == ["Électrolyseur alcalin"] and similar.is_similar_names
    assert facet_counts(Criteria(q="electrolyseu alcalin")).total == 1


def test_facet_counts_are_remembered_until_a_product_changes(catalogue, alpha, seller, monkeypatch,
                                                             django_assert_num_queries):
    monkeypatch.setattr(text_selectors, "_may_cache", lambda: True)
    criteria = Criteria(q="fraiseuses")
    first = facet_counts(criteria)
    assert selectors.remembered_counts(criteria) == first
    with django_assert_num_queries(0):
        assert facet_counts(criteria) == first

    make_product(seller.company, title="Fraiseuse portique", countries_served=["JP"])
    assert selectors.remembered_counts(criteria) is None
    assert facet_counts(criteria)["country"] == {"DE": 1, "US": 1, "JP": 1}
    catalogue["products"]["mill"].verticals.clear()
    assert selectors.remembered_counts(criteria) is None
    with tenant_context(alpha.tenant):
        assert facet_counts(criteria).total == 0


def test_many_matches_the_page_lists_then_fetches_the_counts(beta, seller, monkeypatch):
    monkeypatch.setattr(selectors, "RESULT_LIMIT", 2)
    with tenant_context(beta.tenant):
        vertical = make_vertical("Pompes", "Pumps")
        for number in range(5):
            make_product(seller.company, title=f"Pompe {number}", verticals=[vertical], countries_served=["SN"])
    client = beta.client(beta.members["buyer"])

    # A full page does not wait for the counts either; without JavaScript, the form and a
    # link ask for them (counts=1), and the page then counts before answering.
    page = client.get("/catalogue/", {"q": "pompe"}).content.decode()
    assert "More than 2 results" in page and "The first 2 are listed" in page and "facet__count" not in page
    assert '<noscript><p><a href="?q=pompe&amp;counts=1">' in page
    assert '<noscript><input type="hidden" name="counts" value="1"></noscript>' in page
    page = client.get("/catalogue/", {"q": "pompe", "counts": "1"}).content.decode()
    assert "5 results" in page and 'Pumps <span class="facet__count">(5)</span>' in page

    # htmx: the results at once, the counts fetched next, with the exact total.
    fragment = client.get("/catalogue/", {"q": "pompe"}, HTTP_HX_REQUEST="true").content.decode()
    assert "More than 2 results" in fragment and 'aria-busy="true"' in fragment
    assert 'hx-get="/catalogue/facets/?q=pompe"' in fragment and "facet__count" not in fragment
    facets = client.get("/catalogue/facets/", {"q": "pompe"}, HTTP_HX_REQUEST="true")
    html = facets.content.decode()
    assert facets.status_code == 200 and facets["Vary"].count("HX-Request") == 1
    assert 'Pumps <span class="facet__count">(5)</span>' in html
    assert '<h2 id="catalogue-count" class="directory-results__count" hx-swap-oob="true">5 results</h2>' in html


def test_remembered_counts_come_with_the_results(beta, seller, monkeypatch):
    monkeypatch.setattr(selectors, "RESULT_LIMIT", 2)
    monkeypatch.setattr(text_selectors, "_may_cache", lambda: True)
    with tenant_context(beta.tenant):
        for number in range(3):
            make_product(seller.company, title=f"Pompe {number}", countries_served=["SN"])
    client = beta.client(beta.members["buyer"])
    client.get("/catalogue/facets/", {"q": "pompe"})
    fragment = client.get("/catalogue/", {"q": "pompe"}, HTTP_HX_REQUEST="true").content.decode()
    assert "3 results" in fragment and "aria-busy" not in fragment and "facet__count" in fragment


def test_facet_counts_page_is_guarded_like_the_search(alpha, beta, catalogue):
    # Whoever may not search may not count: same answer for every member of the programme and a visitor.
    for client in [beta.client(), *(beta.client(user) for user in beta.members.values())]:
        assert client.get("/catalogue/facets/").status_code == client.get("/catalogue/").status_code
    # Another programme counts its own products only.
    html = alpha.client(alpha.members["buyer"]).get("/catalogue/facets/", {"q": "fraiseuses"}).content.decode()
    assert "Machine tools" not in html and "facet__count" not in html


def test_cards_show_the_small_picture(beta, seller):
    from tenant_apps.catalogue import services
    from tests.tenant_apps.directory.conftest import png_upload

    with tenant_context(beta.tenant):
        product = make_product(seller.company, title="Presse plieuse")
        image = services.add_image(actor=seller, product=product, upload=png_upload(size=(1200, 900)), alt_text="La presse")
        thumbnail_url = image.thumbnail.url
    html = beta.client(beta.members["buyer"]).get("/catalogue/", {"q": "plieuse"}).content.decode()
    assert f'src="{thumbnail_url}"' in html and image.image.url not in html


def test_words_found_only_outside_the_filters_are_no_typo(catalogue):
    criteria = Criteria(q="fraiseuses", filters={"vertical": [catalogue["medical"].pk]})
    results = search(criteria, languages=["fr"])
    assert list(results) == [] and not results.is_similar_names
    counts = facet_counts(criteria)
    # The counts still show where the words are: one milling machine among machine tools.
    assert counts.total == 0 and counts["vertical"] == {str(catalogue["tools"].pk): 1}


def test_the_whole_catalogues_counts_stay_at_hand_while_counted_again(in_beta, seller, monkeypatch,
                                                                     django_capture_on_commit_callbacks):
    from tenant_apps.catalogue import tasks

    monkeypatch.setattr(text_selectors, "_may_cache", lambda: True)
    queued = []
    monkeypatch.setattr(tasks.refresh_overview_counts, "apply_async", lambda args, headers: queued.append(args))
    make_product(seller.company, title="Première presse")
    assert selectors.overview_counts().total == 1  # counted on the spot the first time

    make_product(seller.company, title="Seconde presse")
    with django_capture_on_commit_callbacks(execute=True):
        stale = selectors.overview_counts()
        assert selectors.overview_counts().total == 1
    # The last counts are shown, and one count again is queued, however many ask meanwhile.
    assert stale.total == 1 and queued == [[in_beta.tenant.schema_name]]
    assert tasks.refresh_overview_counts(in_beta.tenant.schema_name) == 2
    assert selectors.overview_counts().total == 2


def test_a_large_catalogue_lands_with_its_counts_at_hand(beta, seller, monkeypatch):
    monkeypatch.setattr(selectors, "RESULT_LIMIT", 2)
    with tenant_context(beta.tenant):
        vertical = make_vertical("Pompes", "Pumps")
        for number in range(3):
            make_product(seller.company, title=f"Pompe {number}", verticals=[vertical])
    client = beta.client(beta.members["buyer"])
    for headers in ({}, {"HTTP_HX_REQUEST": "true"}):
        html = client.get("/catalogue/", **headers).content.decode()
        assert "3 results" in html and 'Pumps <span class="facet__count">(3)</span>' in html and "aria-busy" not in html


def test_another_schema_migrating_leaves_this_ones_search_trigger_alone(in_beta, seller):
    from tenant_apps.catalogue.search import sql

    vertical = make_vertical("Pompes", "Pumps")
    with connection.cursor() as cursor:
        # What migration 0002 does to the shared function while another schema migrates.
        cursor.execute(sql.PRODUCT_TRIGGER_FUNCTION_0002)
        cursor.execute("SELECT p.proname FROM pg_trigger t JOIN pg_proc p ON p.oid = t.tgfoid"
                       " WHERE t.tgname = 'product_search_vector' AND t.tgrelid = 'catalogue_product'::regclass")
        assert cursor.fetchone()[0] == "comptoir_product_search_vector_v2"
    product = make_product(seller.company, title="Pompe doseuse", verticals=[vertical], countries_served=["SN"])
    product.refresh_from_db()
    assert product.vertical_ids == [vertical.pk]
    assert [found.pk for found in search(Criteria(q="pompe", filters={"vertical": [vertical.pk], "country": ["SN"]}),
                                         languages=["fr"])] == [product.pk]


def test_a_card_whose_image_file_is_missing_still_shows(beta, seller):
    from tenant_apps.catalogue.models import ProductImage

    with tenant_context(beta.tenant):
        product = make_product(seller.company, title="Presse plieuse")
        # A row whose file is gone (a database restored without its media): pages never read storage.
        ProductImage.objects.bulk_create([ProductImage(product=product, image="catalogue/images/gone.jpg",
                                                       alt_text="La presse", position=1)])
    response = beta.client(beta.members["buyer"]).get("/catalogue/", {"q": "plieuse"})
    assert response.status_code == 200 and "Presse plieuse" in response.content.decode()
