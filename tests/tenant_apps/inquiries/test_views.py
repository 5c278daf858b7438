"""The inquiry pages over HTTP: the buyer's journey, the company's inbox, errors, HTMX, attachments."""

import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tenants.utils import tenant_context

from tenant_apps.analytics.models import Event
from tenant_apps.inquiries.models import Attachment, Inquiry, Message
from tests.tenant_apps.inquiries.conftest import pdf_upload, png_upload

HTMX = {"HTTP_HX_REQUEST": "true"}


def _in(programme, fn, *args, **kwargs):
    with tenant_context(programme.tenant):
        return fn(*args, **kwargs)


def _rfq_form(world, **overrides):
    return {"kind": "rfq", "product": world.product.pk, "subject": "500 sensors for Dubai",
            "body": "Please quote for delivery in March.", "buyer_organisation": "Gulf Trading", "buyer_country": "AE",
            "quantity": "500", "unit": "pieces", "target_price": "40000", "currency": "USD", "incoterm": "FOB",
            "destination_country": "AE", "deadline": (timezone.localdate() + timedelta(days=14)).isoformat(),
            **overrides}


def test_full_journey_rfq_answered_with_a_quote_then_won(alpha, world):
    buyer = alpha.client(world.buyer)
    page = buyer.get(f"/inquiries/new/?company={world.company.pk}&product={world.product.pk}")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Send an inquiry to Usinage Précis" in html and "Vibration sensor" in html
    assert re.search(r'value="question"[^>]*checked', html), "a question about the product is offered first"

    sent = buyer.post(f"/inquiries/new/?company={world.company.pk}&product={world.product.pk}", _rfq_form(world))
    assert sent.status_code == 302
    inquiry = _in(alpha, Inquiry.objects.get)
    assert sent["Location"] == f"/inquiries/{inquiry.pk}/"
    assert (inquiry.kind, inquiry.status, inquiry.incoterm, str(inquiry.destination_country)) == ("rfq", "new", "FOB", "AE")

    seller = alpha.client(world.colleague)
    inbox = seller.get("/inquiries/company/").content.decode()
    assert "500 sensors for Dubai" in inbox and "Waiting for your answer" in inbox
    thread = seller.get(f"/inquiries/{inquiry.pk}/").content.decode()
    assert "Buyer Alpha (Gulf Trading, United Arab Emirates)" in thread and "Send a quotation" in thread

    quoted = seller.post(f"/inquiries/{inquiry.pk}/quote/", {
        "amount": "38500.00", "currency": "USD", "valid_until": (timezone.localdate() + timedelta(days=30)).isoformat(),
        "terms": "Delivery within 6 weeks, FOB Le Havre."})
    assert quoted.status_code == 302
    seller.post(f"/inquiries/{inquiry.pk}/reply/", {"body": "Our quotation is above; the data sheet is attached.",
                                                     "attachments": [pdf_upload()]})

    buyer_thread = buyer.get(f"/inquiries/{inquiry.pk}/").content.decode()
    assert "38500.00 USD" in buyer_thread and "Delivery within 6 weeks" in buyer_thread
    assert "specification.pdf" in buyer_thread
    assert "Quoted" in buyer_thread and "Send a quotation" not in buyer_thread
    assert "Close the inquiry" in buyer_thread
    assert "New answer" in buyer.get("/inquiries/").content.decode()

    won = seller.post(f"/inquiries/{inquiry.pk}/status/", {"status": "won"}, follow=True)
    assert "The inquiry is now “Won”." in won.content.decode()
    assert _in(alpha, lambda: Inquiry.objects.get().status) == "won"
    assert "Won" in buyer.get("/inquiries/").content.decode()
    history = buyer.get(f"/inquiries/{inquiry.pk}/").content.decode()
    assert "changed the status from “Quoted” to “Won”" in history


def test_a_refused_form_says_why_and_keeps_what_was_typed(alpha, world):
    buyer = alpha.client(world.buyer)
    response = buyer.post(f"/inquiries/new/?company={world.company.pk}",
                          _rfq_form(world, quantity="", incoterm="", subject="Keep this subject"))
    assert response.status_code == 400
    html = response.content.decode()
    assert "Give the quantity you need." in html
    assert "Choose the Incoterm you want the price quoted in." in html
    assert 'value="Keep this subject"' in html and "Please quote for delivery in March." in html
    assert not _in(alpha, Inquiry.objects.exists)


def test_the_form_speaks_the_buyers_language(alpha, world):
    response = alpha.client(world.buyer).post(f"/inquiries/new/?company={world.company.pk}",
                                              _rfq_form(world, quantity=""), HTTP_ACCEPT_LANGUAGE="fr")
    assert "Indiquez la quantité dont vous avez besoin." in response.content.decode()


@pytest.mark.parametrize("query", ["", "?company=abc", "?company=999999", "?product=999999",
                                   "?company={company}&product={rival_product}", "?product={draft}",
                                   "?company={hidden}"])
def test_the_form_for_an_unknown_or_closed_target_is_not_found(alpha, world, query):
    from tenant_apps.directory.models import Company

    hidden = _in(alpha, Company.objects.create, name="Hidden", country="FR", visibility="hidden")
    query = query.format(company=world.company.pk, rival_product=world.rival_product.pk, draft=world.draft.pk,
                         hidden=hidden.pk)
    assert alpha.client(world.buyer).get(f"/inquiries/new/{query}").status_code == 404


@pytest.mark.parametrize("query", ["?product=²", "?company=²", "?company=١٢", "?product=-1"])
def test_ids_that_are_not_plain_digits_are_not_found_rather_than_a_server_error(alpha, world, query):
    assert alpha.client(world.buyer).get(f"/inquiries/new/{query}").status_code == 404


def test_a_product_alone_opens_the_form_for_its_company(alpha, world):
    response = alpha.client(world.buyer).get(f"/inquiries/new/?product={world.product.pk}&kind=rfq")
    html = response.content.decode()
    assert response.status_code == 200 and "Usinage Précis" in html


def test_attachments_are_checked_like_every_upload(alpha, world):
    buyer = alpha.client(world.buyer)
    fake = SimpleUploadedFile("invoice.pdf", b"MZ\x90\x00 this is a program", content_type="application/pdf")
    response = buyer.post(f"/inquiries/new/?company={world.company.pk}",
                          {**_rfq_form(world), "attachments": [png_upload(), fake]})
    assert response.status_code == 400
    assert "invoice.pdf: This kind of file is not accepted. Send one of: GIF, JPEG, PDF, PNG, WebP." in (
        response.content.decode())
    assert not _in(alpha, Inquiry.objects.exists)
    assert not _in(alpha, Attachment.objects.exists)


def test_attachments_are_private_and_downloaded_only_by_the_two_sides(alpha, beta, world, settings):
    buyer = alpha.client(world.buyer)
    buyer.post(f"/inquiries/new/?company={world.company.pk}", {**_rfq_form(world), "attachments": [pdf_upload()]})
    attachment = _in(alpha, Attachment.objects.get)
    stored = Path(attachment.file.path)
    assert stored.is_relative_to(Path(settings.PRIVATE_MEDIA_ROOT)) and alpha.tenant.schema_name in stored.parts
    assert "specification" not in stored.name
    with pytest.raises(ValueError):
        attachment.file.url  # noqa: B018

    url = f"/inquiries/attachments/{attachment.pk}/"
    for person in (world.buyer, world.owner, world.colleague):
        response = alpha.client(person).get(url)
        assert response.status_code == 200
        assert response["Content-Disposition"].startswith('attachment; filename="specification.pdf"')
        assert response["Cache-Control"] == "private, no-store"
        assert b"".join(response.streaming_content).startswith(b"%PDF")
    for person in (world.other_buyer, world.rival_owner, alpha.members["tenant_admin"], alpha.members["moderator"]):
        assert alpha.client(person).get(url).status_code == 404
    anonymous = alpha.client().get(url)
    assert anonymous.status_code == 302 and "/accounts/sign-in/" in anonymous["Location"]
    assert beta.client(beta.members["buyer"]).get(url).status_code == 404


def test_reply_with_htmx_returns_the_thread_and_without_javascript_redirects(alpha, world):
    inquiry = _in(alpha, world.inquiry)
    seller = alpha.client(world.owner)
    fragment = seller.post(f"/inquiries/{inquiry.pk}/reply/", {"body": "Hello from Lyon"}, **HTMX)
    html = fragment.content.decode()
    assert fragment.status_code == 200 and html.lstrip().startswith('<div id="thread"')
    assert "Hello from Lyon" in html and "Message sent." in html and "<html" not in html

    plain = seller.post(f"/inquiries/{inquiry.pk}/reply/", {"body": "Second message"})
    assert plain.status_code == 302 and plain["Location"] == f"/inquiries/{inquiry.pk}/#timeline"

    empty = seller.post(f"/inquiries/{inquiry.pk}/reply/", {"body": ""})
    assert empty.status_code == 400 and "This field is required." in empty.content.decode()
    refused_htmx = seller.post(f"/inquiries/{inquiry.pk}/reply/", {"body": ""}, **HTMX)
    assert refused_htmx.status_code == 200 and "This field is required." in refused_htmx.content.decode()


def test_refused_transitions_show_a_clear_message_on_the_page(alpha, world):
    inquiry = _in(alpha, world.inquiry)
    response = alpha.client(world.owner).post(f"/inquiries/{inquiry.pk}/status/", {"status": "won"})
    assert response.status_code == 400
    assert "Answer the buyer before marking the inquiry as won." in response.content.decode()
    buyer = alpha.client(world.buyer).post(f"/inquiries/{inquiry.pk}/status/", {"status": "won"})
    assert buyer.status_code == 400 and "As the buyer, you can close your inquiry" in buyer.content.decode()
    closed = alpha.client(world.buyer).post(f"/inquiries/{inquiry.pk}/status/", {"status": "closed"}, follow=True)
    assert "The inquiry is now “Closed”." in closed.content.decode()
    late = alpha.client(world.owner).post(f"/inquiries/{inquiry.pk}/reply/", {"body": "Too late"})
    assert late.status_code == 400 and "This inquiry is closed" in late.content.decode()


def test_show_contact_details_reveals_them_and_records_it(alpha, world):
    buyer = alpha.client(world.buyer)
    # Analytics counts no request without a browser's User-Agent (bots, scripts).
    buyer.defaults["HTTP_USER_AGENT"] = "Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0"
    form_page = buyer.get(f"/inquiries/new/?company={world.company.pk}").content.decode()
    assert "contact@usinage.example" not in form_page and "Show contact details" in form_page

    fragment = buyer.post(f"/inquiries/companies/{world.company.pk}/contact/", {"product": world.product.pk}, **HTMX)
    assert fragment.status_code == 200
    assert 'href="mailto:contact@usinage.example"' in fragment.content.decode()
    assert 'href="tel:+334000000' in fragment.content.decode()

    plain = buyer.post(f"/inquiries/companies/{world.company.pk}/contact/")
    assert plain.status_code == 302 and plain["Location"].endswith("#company-contact")
    assert "contact@usinage.example" in buyer.get(plain["Location"]).content.decode()

    events = _in(alpha, lambda: list(Event.objects.filter(kind="contact_reveal").order_by("pk").values_list(
        "company_id", "product_id", "user_id")))
    assert events == [(world.company.pk, world.product.pk, world.buyer.pk), (world.company.pk, None, world.buyer.pk)]
    assert buyer.get(f"/inquiries/companies/{world.company.pk}/contact/").status_code == 405


def test_a_seller_cannot_see_another_companys_threads(alpha, world):
    ours = _in(alpha, world.inquiry)
    theirs = _in(alpha, world.inquiry, company=world.rival, subject="For the rival")
    rival = alpha.client(world.rival_owner)
    inbox = rival.get("/inquiries/company/").content.decode()
    assert "For the rival" in inbox and "Your machines" not in inbox
    for path in (f"/inquiries/{ours.pk}/", ):
        assert rival.get(path).status_code == 404
    for action, data in (("reply", {"body": "x"}), ("quote", {"amount": "1", "currency": "EUR",
                                                                "valid_until": "2099-01-01"}),
                         ("status", {"status": "lost"}), ("assign", {"representative": world.owner_rep.pk})):
        assert rival.post(f"/inquiries/{ours.pk}/{action}/", data).status_code == 404
    assert alpha.client(world.owner).get(f"/inquiries/{theirs.pk}/").status_code == 404
    assert _in(alpha, lambda: Message.objects.filter(inquiry=ours).count()) == 1


def test_a_buyer_sees_only_their_own_inquiries(alpha, world):
    mine = _in(alpha, world.inquiry, subject="Mine")
    _in(alpha, world.inquiry, buyer=world.other_buyer, subject="Someone else's")
    buyer = alpha.client(world.buyer)
    inbox = buyer.get("/inquiries/").content.decode()
    assert "Mine" in inbox and "Someone else" not in inbox
    other = alpha.client(world.other_buyer)
    assert other.get(f"/inquiries/{mine.pk}/").status_code == 404
    assert other.post(f"/inquiries/{mine.pk}/reply/", {"body": "x"}).status_code == 404
    assert other.post(f"/inquiries/{mine.pk}/status/", {"status": "closed"}).status_code == 404
    assert buyer.post(f"/inquiries/{mine.pk}/quote/", {"amount": "1"}).status_code == 403


PAGES = ["/inquiries/", "/inquiries/new/?company={company}", "/inquiries/{inquiry}/", "/inquiries/company/",
         "/inquiries/company/routing/", "/inquiries/company/statistics/"]


@pytest.mark.parametrize("path", PAGES)
def test_anonymous_visitors_are_asked_to_sign_in(alpha, world, path):
    inquiry = _in(alpha, world.inquiry)
    response = alpha.client().get(path.format(company=world.company.pk, inquiry=inquiry.pk))
    assert response.status_code == 302 and "/accounts/sign-in/" in response["Location"]


@pytest.mark.parametrize("role", ["guest", "expert", "moderator"])
@pytest.mark.parametrize("path", PAGES)
def test_roles_without_inquiry_permissions_are_refused(alpha, world, role, path):
    inquiry = _in(alpha, world.inquiry)
    response = alpha.client(alpha.members[role]).get(path.format(company=world.company.pk, inquiry=inquiry.pk))
    assert response.status_code in (403, 404)


@pytest.mark.parametrize("path", PAGES)
def test_nothing_crosses_programmes(alpha, beta, world, path):
    from django.test import Client

    from tests.conftest import sign_in

    inquiry = _in(alpha, world.inquiry)
    path = path.format(company=world.company.pk, inquiry=inquiry.pk)
    # A beta member with the same roles, on alpha's host: not a member here.
    client = Client(HTTP_HOST=alpha.host)
    sign_in(client, beta.members["buyer"])
    assert client.get(path).status_code in (403, 404)
    # The same path on beta's own host shows nothing of alpha.
    for role in ("buyer", "company_rep", "tenant_admin"):
        response = beta.client(beta.members[role]).get(path)
        assert response.status_code in (200, 403, 404)
        assert "Your machines" not in response.content.decode()
        assert "Usinage" not in response.content.decode()


def test_pages_of_a_switched_off_module_do_not_exist(alpha, world):
    inquiry = _in(alpha, world.inquiry)
    alpha.tenant.modules = [m for m in alpha.tenant.modules if m != "inquiries"]
    alpha.tenant.save(update_fields=["modules"])
    for client, path in ((alpha.client(world.buyer), "/inquiries/"), (alpha.client(world.owner), "/inquiries/company/"),
                         (alpha.client(world.buyer), f"/inquiries/{inquiry.pk}/")):
        assert client.get(path).status_code in (403, 404)


def _count(client, path) -> tuple[int, str]:
    client.get(path)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return len(queries), response.content.decode()


@pytest.fixture
def busy_buyer(monkeypatch):
    """Tests that fill an inbox send more inquiries an hour than a person would."""
    from tenant_apps.inquiries import services

    monkeypatch.setattr(services, "MAX_INQUIRIES_PER_HOUR", 1000)


@pytest.mark.usefixtures("busy_buyer")
def test_company_inbox_queries_do_not_grow_with_inquiries(alpha, world):
    def add(count):
        for index in range(count):
            inquiry = world.inquiry(subject=f"Inquiry {index}", kind="question", product=world.product)
            world_message(inquiry)

    def world_message(inquiry):
        from tenant_apps.inquiries import services

        services.post_message(author=world.owner, inquiry=inquiry, body="Answer")

    client = alpha.client(world.owner)
    _in(alpha, add, 2)
    before, _html = _count(client, "/inquiries/company/")
    _in(alpha, add, 15)
    after, html = _count(client, "/inquiries/company/")
    # Routing, session, user, role, grants, unread badge; then representation, filter choices (2),
    # status counts, page count and the page's rows.
    assert after == before <= 14, (before, after)
    assert html.count("/inquiries/") >= 17
    filtered, html = _count(client, f"/inquiries/company/?status=answered&product={world.product.pk}&assignee=me")
    assert filtered == before and "Inquiry 14" in html


@pytest.mark.usefixtures("busy_buyer")
def test_buyer_inbox_queries_do_not_grow_with_inquiries(alpha, world):
    client = alpha.client(world.buyer)
    _in(alpha, lambda: [world.inquiry(subject=f"Inquiry {i}") for i in range(2)])
    before, _html = _count(client, "/inquiries/")
    _in(alpha, lambda: [world.inquiry(company=world.rival, subject=f"More {i}") for i in range(15)])
    after, html = _count(client, "/inquiries/")
    assert after == before <= 10, (before, after)
    assert "Rival Industries" in html


@pytest.mark.usefixtures("busy_buyer")
def test_company_inbox_filters_and_pages(alpha, world):
    def seed():
        for index in range(23):
            world.inquiry(subject=f"Contact {index:02d}")
        world.inquiry(kind="question", product=world.product, subject="About the sensor")

    _in(alpha, seed)
    client = alpha.client(world.colleague)
    first = client.get("/inquiries/company/").content.decode()
    assert "24 inquiries" in first and "Page 1 of 2" in first and "?page=2" in first
    product = client.get(f"/inquiries/company/?product={world.product.pk}").content.decode()
    assert "About the sensor" in product and "Contact 00" not in product
    mine = client.get("/inquiries/company/?assignee=me").content.decode()
    assert "No inquiry matches these filters" in mine
    fragment = client.get("/inquiries/company/?status=new", **HTMX)
    assert fragment.content.decode().lstrip().startswith('<div id="inquiry-results">')
    assert client.get("/inquiries/company/?status=bogus&product=x&page=99").status_code == 200


def test_a_representative_without_a_company_is_told_what_to_do(alpha):
    from tests.tenant_apps.inquiries.conftest import member

    lonely = member(alpha, "company_rep")
    html = alpha.client(lonely).get("/inquiries/company/").content.decode()
    assert "You do not represent a company yet" in html


def test_the_owner_manages_routing_rules_and_colleagues_only_read_them(alpha, world):
    owner = alpha.client(world.owner)
    added = owner.post("/inquiries/company/routing/", {"country": "AE", "representative": world.colleague_rep.pk},
                       follow=True)
    assert "Rule added." in added.content.decode() and "From buyers in United Arab Emirates" in added.content.decode()
    refused = owner.post("/inquiries/company/routing/", {"country": "SE", "vertical": world.vertical.pk,
                                                         "representative": world.colleague_rep.pk})
    assert refused.status_code == 400 and "Choose one criterion" in refused.content.decode()

    colleague = alpha.client(world.colleague)
    page = colleague.get("/inquiries/company/routing/").content.decode()
    assert "Only the owner of the company's profile can change these rules." in page
    assert colleague.post("/inquiries/company/routing/", {"country": "SE",
                                                          "representative": world.colleague_rep.pk}).status_code == 403
    from tenant_apps.inquiries.models import RoutingRule

    rule = _in(alpha, RoutingRule.objects.get)
    assert colleague.post(f"/inquiries/company/routing/{rule.pk}/delete/").status_code == 403
    assert alpha.client(world.rival_owner).post(f"/inquiries/company/routing/{rule.pk}/delete/").status_code == 404
    assert owner.post(f"/inquiries/company/routing/{rule.pk}/delete/").status_code == 302
    assert not _in(alpha, RoutingRule.objects.exists)


def test_the_owner_reassigns_from_the_thread(alpha, world):
    inquiry = _in(alpha, world.inquiry)
    assert "Assignment" not in alpha.client(world.colleague).get(f"/inquiries/{inquiry.pk}/").content.decode()
    assert alpha.client(world.colleague).post(f"/inquiries/{inquiry.pk}/assign/",
                                              {"representative": world.colleague_rep.pk}).status_code == 403
    response = alpha.client(world.owner).post(f"/inquiries/{inquiry.pk}/assign/",
                                              {"representative": world.colleague_rep.pk}, follow=True)
    assert "Assigned to Colette Collègue." in response.content.decode()


def test_the_statistics_page_shows_the_companys_table(alpha, world):
    _in(alpha, world.inquiry)
    html = alpha.client(world.colleague).get("/inquiries/company/statistics/?period=30").content.decode()
    assert "Inquiries received in the period" in html and '<th scope="row">Usinage Précis</th>' in html
    assert "Rival Industries" not in html


def test_the_dashboard_offers_each_side_its_inquiries(alpha, world):
    _in(alpha, world.inquiry)
    seller = alpha.client(world.owner).get("/dashboard/").content.decode()
    assert "Inquiries to my company" in seller and "1 waiting for an answer" in seller
    buyer = alpha.client(world.buyer).get("/dashboard/").content.decode()
    assert "My inquiries" in buyer and "0 with a new answer" in buyer


def test_links_for_other_pages(alpha, world):
    from django.template import Context, Template

    from tenant_apps.inquiries.selectors import product_url

    with tenant_context(alpha.tenant):
        rendered = Template("{% load inquiries %}{% inquiry_url company product %}").render(
            Context({"company": world.company, "product": world.product}))
        assert rendered == f"/inquiries/new/?company={world.company.pk}&amp;product={world.product.pk}"
        assert product_url(world.product) == f"/catalogue/products/{world.product.pk}/"
        assert product_url(None) == ""


def test_private_storage_is_outside_media_root(settings):
    from tenant_apps.inquiries.storage import attachment_storage

    assert not Path(attachment_storage.location).is_relative_to(Path(settings.MEDIA_ROOT))
    assert Path(attachment_storage.location).is_relative_to(Path(settings.PRIVATE_MEDIA_ROOT))


def test_the_erased_buyers_threads_stay_with_the_company_without_their_name(alpha, world):
    from shared_apps.privacy.services import erase_account
    from tests.tenant_apps.inquiries.conftest import member

    # A buyer of this test's own: erasure changes the Python object, which outlives the rollback.
    buyer = member(alpha, "buyer")
    inquiry = _in(alpha, world.inquiry, buyer=buyer)
    erase_account(tenant=alpha.tenant, user=buyer, actor=buyer, password="correct horse battery staple")
    with tenant_context(alpha.tenant):
        inquiry.refresh_from_db()
        assert inquiry.buyer is None and inquiry.buyer_organisation == "" and inquiry.messages.count() == 1
    html = alpha.client(world.owner).get(f"/inquiries/{inquiry.pk}/").content.decode()
    assert "Erased account" in html and "A former member" in html


def test_the_company_profile_offers_buyers_to_contact_the_company(alpha, world):
    path = f"/directory/companies/{world.company.pk}/"
    buyer = alpha.client(world.buyer).get(path).content.decode()
    assert f'href="/inquiries/new/?company={world.company.pk}"' in buyer and "Contact this company" in buyer
    for person in (world.owner, alpha.members["guest"]):
        assert "/inquiries/new/" not in alpha.client(person).get(path).content.decode()
