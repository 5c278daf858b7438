"""The promotion pages over HTTP: who gets in, what bad input gives back, and query counts."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tenants.utils import tenant_context

from tenant_apps.promotion import services
from tenant_apps.promotion.models import Banner, Campaign, PromotionRequest
from tests.conftest import sign_in
from tests.tenant_apps.promotion.conftest import (
    DAY,
    NOW,
    gif_upload,
    make_buyer,
    make_company,
    make_member,
    make_product,
    make_vertical,
    png_upload,
)

TODAY = timezone.localdate()
LOCAL = "%Y-%m-%dT%H:%M"


@pytest.fixture
def world(alpha):
    """A company of alpha's representative with a request, plus one slot of every promotion tool."""
    with tenant_context(alpha.tenant):
        admin, rep = alpha.members["tenant_admin"], alpha.members["company_rep"]
        company = make_company("Robotique Alsace", owner=rep)
        product = make_product(company, "Cobot palettiseur")
        featured = services.add_featured_product(product=product, starts_at=NOW, actor=admin)
        featured_company = services.add_featured_company(company=company, starts_at=NOW, actor=admin)
        banner = services.save_banner(name="Fair", placement="site_strip", starts_at=NOW, ends_at=None,
                                      link_url="https://fair.example/", texts={"fr": ("Salon", "")},
                                      default_language="fr", actor=admin)
        keyword = services.add_sponsored_keyword(product=product, keyword="cobot", starts_at=NOW, actor=admin)
        campaign = services.save_campaign(name="News", contents={"fr": ("Sujet", "<p>Texte</p>")},
                                          default_language="fr", actor=admin)
        request = services.submit_request(company=company, actor=rep, kind="banner", reach="small",
                                          starts_on=TODAY + timedelta(days=3), ends_on=TODAY + timedelta(days=9))
    return {"company": company, "product": product, "featured": featured, "featured_company": featured_company,
            "banner": banner, "keyword": keyword, "campaign": campaign, "request": request}


def team_pages(world):
    w = world
    return [
        ("get", "/promotion/manage/"),
        ("get", "/promotion/manage/featured/"),
        ("post", "/promotion/manage/featured/"),
        ("post", f"/promotion/manage/featured/product/{w['featured'].pk}/remove/"),
        ("post", f"/promotion/manage/featured/company/{w['featured_company'].pk}/remove/"),
        ("get", "/promotion/manage/banners/"),
        ("get", "/promotion/manage/banners/new/"),
        ("post", "/promotion/manage/banners/new/"),
        ("get", f"/promotion/manage/banners/{w['banner'].pk}/"),
        ("post", f"/promotion/manage/banners/{w['banner'].pk}/remove/"),
        ("get", "/promotion/manage/keywords/"),
        ("post", "/promotion/manage/keywords/"),
        ("post", f"/promotion/manage/keywords/{w['keyword'].pk}/remove/"),
        ("get", "/promotion/manage/campaigns/"),
        ("get", "/promotion/manage/campaigns/new/"),
        ("post", "/promotion/manage/campaigns/new/"),
        ("get", "/promotion/manage/campaigns/audience/"),
        ("get", f"/promotion/manage/campaigns/{w['campaign'].pk}/"),
        ("get", f"/promotion/manage/campaigns/{w['campaign'].pk}/edit/"),
        ("post", f"/promotion/manage/campaigns/{w['campaign'].pk}/test/"),
        ("post", f"/promotion/manage/campaigns/{w['campaign'].pk}/schedule/"),
        ("post", f"/promotion/manage/campaigns/{w['campaign'].pk}/delete/"),
        ("get", "/promotion/manage/requests/"),
    ]


def company_pages(world):
    return [("get", "/promotion/requests/"), ("get", "/promotion/requests/new/"), ("post", "/promotion/requests/new/")]


ACTORS = ["tenant_admin", "moderator", "company_rep", "expert", "buyer", "guest", "anonymous", "admin_of_other_tenant"]


def client_for(actor, alpha, beta):
    if actor == "anonymous":
        return alpha.client()
    if actor == "admin_of_other_tenant":
        client = Client(HTTP_HOST=alpha.host, HTTP_ACCEPT_LANGUAGE="en")
        sign_in(client, beta.members["tenant_admin"])
        return client
    return alpha.client(alpha.members[actor])


def assert_refused(response, actor, where):
    if actor == "anonymous":
        assert response.status_code == 302 and "/accounts/sign-in/" in response["Location"], where
    else:
        assert response.status_code in (403, 404), (where, response.status_code)


@pytest.mark.parametrize("actor", ACTORS)
def test_promotion_pages_open_only_to_the_right_roles(alpha, beta, world, actor):
    client = client_for(actor, alpha, beta)
    team = actor in ("tenant_admin", "moderator")
    company = actor in ("company_rep", "tenant_admin")
    for method, path in team_pages(world) + company_pages(world):
        response = getattr(client, method)(path, {})
        allowed = team if path.startswith("/promotion/manage/") else company
        if allowed:
            assert response.status_code in (200, 302, 400), (actor, method, path, response.status_code)
            if response.status_code == 302:
                assert "/accounts/sign-in/" not in response["Location"], (actor, path)
        else:
            assert_refused(response, actor, (actor, method, path))
    with tenant_context(alpha.tenant):
        # Nothing a refused person posted changed anything.
        if not team:
            assert Banner.objects.filter(pk=world["banner"].pk).exists()
            assert Campaign.objects.filter(pk=world["campaign"].pk).exists()


@pytest.mark.parametrize("actor", ACTORS + ["other_company_rep", "rep_of_other_tenant"])
def test_a_request_is_seen_only_by_its_company_and_the_team(alpha, beta, world, actor):
    if actor == "other_company_rep":
        with tenant_context(alpha.tenant):
            user = make_member(alpha.tenant, "company_rep")
            make_company("Competitor", owner=user)
        client = alpha.client(user)
    elif actor == "rep_of_other_tenant":
        client = Client(HTTP_HOST=alpha.host)
        sign_in(client, beta.members["company_rep"])
    else:
        client = client_for(actor, alpha, beta)
    path = f"/promotion/requests/{world['request'].pk}/"
    response = client.get(path)
    if actor in ("tenant_admin", "moderator", "company_rep"):
        assert response.status_code == 200 and b"Robotique Alsace" in response.content
    elif actor == "anonymous":
        assert_refused(response, actor, path)
    else:
        assert response.status_code in (403, 404) and b"Robotique Alsace" not in response.content
    # Nobody outside the company may answer the quote, even by crafting the post.
    if actor not in ("company_rep",):
        response = client.post(path, {"action": "withdraw"})
        assert response.status_code in (302, 403, 404) and (
            response.status_code != 302 or "/accounts/sign-in/" in response["Location"])
    with tenant_context(alpha.tenant):
        assert PromotionRequest.objects.get(pk=world["request"].pk).status == "submitted"


def test_the_beta_programme_never_sees_alphas_promotion(alpha, beta, world):
    client = beta.client(beta.members["tenant_admin"])
    assert client.get(f"/promotion/requests/{world['request'].pk}/").status_code == 404
    assert client.get(f"/promotion/manage/campaigns/{world['campaign'].pk}/").status_code == 404
    assert client.get(f"/promotion/manage/banners/{world['banner'].pk}/").status_code == 404
    assert b"Robotique Alsace" not in client.get("/promotion/manage/requests/").content
    assert b"Salon" not in beta.client().get("/").content
    assert beta.client().get(f"/promotion/b/{world['banner'].pk}/").status_code == 404


def test_switching_the_module_off_closes_the_pages(alpha, world):
    from tenants.services import update_configuration

    update_configuration(alpha.tenant, modules=[m for m in alpha.tenant.modules if m != "promotion"])
    assert alpha.client(alpha.members["tenant_admin"]).get("/promotion/manage/").status_code == 403
    assert alpha.client(alpha.members["company_rep"]).get("/promotion/requests/").status_code == 403
    assert b"Salon" not in alpha.client().get("/").content


def test_a_banner_click_counts_and_redirects_to_the_stored_link_only(alpha, world):
    response = alpha.client().get(f"/promotion/b/{world['banner'].pk}/?next=https://evil.example/")
    assert response.status_code == 302 and response["Location"] == "https://fair.example/"
    assert alpha.client().get("/promotion/b/999999/").status_code == 404
    with tenant_context(alpha.tenant):
        assert Banner.objects.get(pk=world["banner"].pk).clicks == 1


def _count(client, path) -> int:
    client.get(path)
    with CaptureQueriesContext(connection) as context:
        response = client.get(path)
    assert response.status_code == 200, path
    return len(context)


def test_team_lists_run_a_fixed_number_of_queries(alpha, world):
    client = alpha.client(alpha.members["tenant_admin"])
    paths = ["/promotion/manage/featured/", "/promotion/manage/banners/", "/promotion/manage/keywords/",
             "/promotion/manage/campaigns/", "/promotion/manage/requests/", "/promotion/manage/"]
    before = {path: _count(client, path) for path in paths}
    with tenant_context(alpha.tenant):
        admin, rep = alpha.members["tenant_admin"], alpha.members["company_rep"]
        for index in range(5):
            company = make_company(f"Company {index}", owner=make_member(alpha.tenant, "company_rep"))
            product = make_product(company, f"Product {index}")
            services.add_featured_product(product=product, starts_at=NOW, actor=admin)
            services.add_featured_company(company=company, starts_at=NOW, actor=admin)
            services.save_banner(name=f"B{index}", placement="showroom_top", starts_at=NOW, ends_at=NOW + DAY,
                                 texts={"fr": ("Texte", ""), "en": ("Text", "")}, default_language="fr", actor=admin,
                                 sponsor=company)
            services.add_sponsored_keyword(product=product, keyword=f"mot {index}", starts_at=NOW, actor=admin)
            services.save_campaign(name=f"C{index}", contents={"fr": ("S", "<p>B</p>")}, default_language="fr",
                                   actor=admin)
            services.submit_request(company=world["company"], actor=rep, kind="email", reach="medium",
                                    starts_on=TODAY + timedelta(days=1), ends_on=TODAY + timedelta(days=2),
                                    product=world["product"])
    after = {path: _count(client, path) for path in paths}
    assert after == before
    assert max(after.values()) <= 16, after


def test_the_companys_request_list_runs_a_fixed_number_of_queries(alpha, world):
    client = alpha.client(alpha.members["company_rep"])
    before = _count(client, "/promotion/requests/")
    with tenant_context(alpha.tenant):
        for _ in range(6):
            services.submit_request(company=world["company"], actor=alpha.members["company_rep"], kind="keywords",
                                    reach="small", starts_on=TODAY, ends_on=TODAY, product=world["product"])
    assert _count(client, "/promotion/requests/") == before <= 12


def test_the_site_strip_costs_no_query_once_cached(alpha, world):
    client = alpha.client()
    with tenant_context(alpha.tenant):
        services.forget_banner_cache("site_strip")
    first = len(_queries(client, "/"))
    second = _queries(client, "/")
    assert not [q for q in second if "promotion_banner" in q["sql"]]
    assert len(second) < first


def _queries(client, path):
    with CaptureQueriesContext(connection) as context:
        assert client.get(path).status_code == 200
    return context.captured_queries


# --- Forms: bad input gets a message, nothing typed is lost -------------------------------------


def test_a_banner_with_a_bad_image_keeps_everything_typed(alpha, world):
    client = alpha.client(alpha.members["tenant_admin"])
    data = {"name": "Spring fair", "placement": "showroom_top", "starts_at": NOW.strftime(LOCAL), "position": 0,
            "link_url": "https://fair.example/spring", "text_fr": "", "image_alt_fr": "Un salon", "text_en": "",
            "image_alt_en": "A fair", "image": gif_upload()}
    response = client.post("/promotion/manage/banners/new/", data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Moving images are not accepted" in page or "not accepted" in page
    assert 'value="Spring fair"' in page and 'value="https://fair.example/spring"' in page and 'value="Un salon"' in page


def test_a_banner_with_an_unsafe_link_is_refused_with_a_message(alpha, world):
    client = alpha.client(alpha.members["tenant_admin"])
    response = client.post("/promotion/manage/banners/new/", {
        "name": "X", "placement": "site_strip", "starts_at": NOW.strftime(LOCAL), "position": 0,
        "link_url": "javascript:alert(1)", "text_fr": "Salon", "text_en": ""})
    assert response.status_code == 400
    assert b"Give a web address starting with https://" in response.content


def test_a_banner_with_an_image_is_created_through_the_form(alpha, world):
    client = alpha.client(alpha.members["tenant_admin"])
    response = client.post("/promotion/manage/banners/new/", {
        "name": "Image", "placement": "product_sidebar", "starts_at": NOW.strftime(LOCAL), "position": 1,
        "link_url": "/directory/", "text_fr": "", "image_alt_fr": "Un tour", "text_en": "", "image_alt_en": "",
        "image": png_upload()})
    assert response.status_code == 302
    with tenant_context(alpha.tenant):
        banner = Banner.objects.get(name="Image")
        assert banner.image and banner.texts.get(language="fr").image_alt == "Un tour"
    edit = client.get(f"/promotion/manage/banners/{banner.pk}/").content.decode()
    assert "Remove the current image" in edit and 'value="Un tour"' in edit


def test_french_readers_get_french_errors(alpha, world):
    client = alpha.client(alpha.members["tenant_admin"])
    response = client.post("/promotion/manage/keywords/", {
        "product": world["product"].pk, "keyword": "!!!", "weight": 1, "starts_at": NOW.strftime(LOCAL)},
        HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 400
    assert "Tapez au moins un mot" in response.content.decode()


def test_an_overlapping_featured_slot_is_refused_next_to_the_field(alpha, world):
    client = alpha.client(alpha.members["moderator"])
    response = client.post("/promotion/manage/featured/", {
        "action": "product", "product-product": world["product"].pk,
        "product-starts_at": (NOW + DAY).strftime(LOCAL), "product-position": 0})
    assert response.status_code == 400 and b"already featured" in response.content


def test_the_campaign_editor_counts_the_audience_without_saving(alpha, world):
    with tenant_context(alpha.tenant):
        tools = make_vertical()
        make_buyer(alpha.tenant, country="DE", verticals=[tools])
        make_buyer(alpha.tenant, country="AE")
    client = alpha.client(alpha.members["tenant_admin"])
    fragment = client.get("/promotion/manage/campaigns/audience/", {"verticals": [tools.pk]}, HTTP_HX_REQUEST="true")
    assert fragment.status_code == 200 and b"1 buyer will receive this campaign." in fragment.content
    everyone = client.get("/promotion/manage/campaigns/audience/")
    assert b"2 buyers will receive this campaign." in everyone.content

    # Without JavaScript, "Count the buyers" posts the form and shows the count; nothing is saved.
    response = client.post("/promotion/manage/campaigns/new/", {
        "action": "preview", "name": "Draft", "countries": ["AE"], "subject_fr": "Sujet", "body_fr": "Texte"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "1 buyer will receive this campaign." in page and 'value="Draft"' in page and "Texte" in page
    with tenant_context(alpha.tenant):
        assert not Campaign.objects.filter(name="Draft").exists()


def test_a_campaign_is_written_tested_and_sent_from_the_pages(alpha, world, settings, mailoutbox,
                                                             django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with tenant_context(alpha.tenant):
        buyer = make_buyer(alpha.tenant, country="DE")
    client = alpha.client(alpha.members["tenant_admin"])
    response = client.post("/promotion/manage/campaigns/new/", {
        "action": "save", "name": "Launch", "subject_fr": "Lancement", "body_fr": "<p>Bonjour</p><script>x</script>",
        "subject_en": "Launch", "body_en": "<p>Hello</p>"})
    assert response.status_code == 302
    detail = response["Location"]
    page = client.get(detail).content.decode()
    assert "1 buyer will receive this campaign." in page and "<script>" not in page

    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(detail + "test/").status_code == 302
    assert [m.to[0] for m in mailoutbox] == [alpha.members["tenant_admin"].email]

    refused = client.post(detail + "send/")
    assert refused.status_code == 400 and b"Tick the box" in refused.content
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(detail + "send/", {"confirm": "yes"}).status_code == 302
    assert [m.to[0] for m in mailoutbox][1:] == [buyer.email]
    page = client.get(detail).content.decode()
    assert "Sent" in page and "Send now" not in page
    assert client.get(detail + "edit/").status_code == 302


def test_scheduling_in_the_past_says_so(alpha, world):
    with tenant_context(alpha.tenant):
        make_buyer(alpha.tenant)
    client = alpha.client(alpha.members["tenant_admin"])
    path = f"/promotion/manage/campaigns/{world['campaign'].pk}/schedule/"
    response = client.post(path, {"send_at": (NOW - DAY).strftime(LOCAL)})
    assert response.status_code == 400 and b"Choose a time in the future" in response.content
    response = client.post(path, {"send_at": "not a date"})
    assert response.status_code == 400 and b"Enter a valid date/time" in response.content
    assert client.post(path, {"send_at": (timezone.localtime() + DAY).strftime(LOCAL)}).status_code == 302


def test_the_request_flow_over_http(alpha, world):
    rep = alpha.client(alpha.members["company_rep"])
    response = rep.post("/promotion/requests/new/", {
        "kind": "email", "reach": "large", "product": world["product"].pk, "starts_on": TODAY.isoformat(),
        "ends_on": (TODAY - timedelta(days=1)).isoformat(), "budget": "2000", "message": "Nordic buyers"})
    assert response.status_code == 400 and b"The end must come after the start." in response.content
    assert b"Nordic buyers" in response.content
    response = rep.post("/promotion/requests/new/", {
        "kind": "email", "reach": "large", "product": world["product"].pk, "starts_on": TODAY.isoformat(),
        "ends_on": (TODAY + timedelta(days=30)).isoformat(), "budget": "2000", "message": "Nordic buyers"})
    assert response.status_code == 302
    path = response["Location"]

    team = alpha.client(alpha.members["moderator"])
    assert b"Send a quote" in team.get(path).content
    assert team.post(path, {"action": "quote", "quote-amount": "-3"}).status_code == 400
    assert team.post(path, {"action": "quote", "quote-amount": "1800", "quote-note": "Two sends"}).status_code == 302
    assert rep.post(path, {"action": "quote", "quote-amount": "1"}).status_code == 403
    page = rep.get(path).content.decode()
    assert "1800.00 €" in page and "Accept the quote" in page
    assert team.post(path, {"action": "accept"}).status_code == 403
    assert rep.post(path, {"action": "accept"}).status_code == 302
    assert b"Quote accepted" in rep.get(path).content
    with tenant_context(alpha.tenant):
        assert PromotionRequest.objects.get(pk=int(path.rstrip("/").rsplit("/", 1)[1])).quote_amount == Decimal("1800")


def test_a_representative_without_company_is_told_what_to_do(alpha):
    client = alpha.client(alpha.members["company_rep"])
    page = client.get("/promotion/requests/")
    assert page.status_code == 200 and b"Your company has no profile yet" in page.content
    response = client.get("/promotion/requests/new/")
    assert response.status_code == 302 and response["Location"] == "/promotion/requests/"
