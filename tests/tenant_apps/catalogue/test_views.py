"""Sellers' and buyers' catalogue pages over HTTP: editing, isolation, languages, files."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import tenant_context

from tenant_apps.catalogue import services
from tenant_apps.catalogue.models import Product, ProductDocument
from tenant_apps.directory.models import Company
from tests.tenant_apps.catalogue.conftest import make_product, make_vertical, pdf_upload, png_upload, require_english

FORM = {
    "kind": "product", "title": "Tour multibroche", "language": "fr", "description": "Tour 6 broches.",
    "minimum_order": "1 machine", "lead_time": "5 mois", "hs_code": "8458 11", "countries_served": ["DE", "IN"],
    "spec-TOTAL_FORMS": "3", "spec-INITIAL_FORMS": "0", "spec-MIN_NUM_FORMS": "0", "spec-MAX_NUM_FORMS": "40",
    "spec-0-name": "Broches", "spec-0-value": "6", "spec-1-name": "", "spec-1-value": "",
    "spec-2-name": "Diamètre de barre", "spec-2-value": "32 mm",
}


def test_seller_creates_a_product_through_the_form(beta, seller):
    with tenant_context(beta.tenant):
        vertical = make_vertical()
    response = beta.client(seller).post("/catalogue/mine/new/", {**FORM, "verticals": [vertical.pk]})
    assert response.status_code == 302
    with tenant_context(beta.tenant):
        product = Product.objects.get(title="Tour multibroche")
        assert product.company == seller.company and product.hs_code == "845811"
        assert product.specifications == [{"name": "Broches", "value": "6"}, {"name": "Diamètre de barre", "value": "32 mm"}]
        assert list(product.verticals.all()) == [vertical]
    assert response["Location"] == f"/catalogue/mine/{product.pk}/"


def test_bad_input_is_explained_next_to_the_field_and_nothing_typed_is_lost(beta, seller):
    response = beta.client(seller).post("/catalogue/mine/new/", {
        **FORM, "title": "", "hs_code": "12", "spec-1-value": "sans nom", "countries_served": ["ZZ"],
    })
    assert response.status_code == 400
    html = response.content.decode()
    assert "Harmonized System" in html and "Give this specification a name." in html
    assert 'value="Tour 6 broches.' in html or "Tour 6 broches." in html
    assert 'value="Diamètre de barre"' in html and 'value="sans nom"' in html
    with tenant_context(beta.tenant):
        assert not Product.objects.exists()


def test_representative_without_a_company_is_told_to_create_one_first(beta):
    rep = beta.members["company_rep"]
    response = beta.client(rep).get("/catalogue/mine/new/")
    assert response.status_code == 200 and "Your company profile comes first" in response.content.decode()


def test_another_seller_gets_not_found_on_every_editing_page(beta, seller, other_seller):
    with tenant_context(beta.tenant):
        product = make_product(seller.company, published=False)
    client = beta.client(other_seller)
    for path in ("", "edit/", "translations/", "files/", "delete/"):
        assert client.get(f"/catalogue/mine/{product.pk}/{path}").status_code == 404
    for path in ("publish/", "unpublish/", "delete/"):
        assert client.post(f"/catalogue/mine/{product.pk}/{path}").status_code == 404
    assert client.post(f"/catalogue/mine/{product.pk}/edit/", FORM).status_code == 404
    assert client.get(f"/catalogue/products/{product.pk}/").status_code == 404  # a draft, not theirs
    with tenant_context(beta.tenant):
        assert Product.objects.get(pk=product.pk).title == "Fraiseuse CNC 5 axes"


@pytest.mark.parametrize("role", ["buyer", "guest", "expert"])
def test_members_without_editing_rights_are_refused_the_seller_pages(beta, role):
    assert beta.client(beta.members[role]).get("/catalogue/mine/").status_code == 403


def test_visitors_are_sent_to_sign_in(beta, seller):
    with tenant_context(beta.tenant):
        product = make_product(seller.company)
    anonymous = beta.client()
    for path in ("/catalogue/mine/", "/catalogue/", f"/catalogue/products/{product.pk}/", "/catalogue/saved/"):
        response = anonymous.get(path)
        assert response.status_code == 302 and "/accounts/sign-in/" in response["Location"], path


def test_visitors_browse_when_the_programme_opens_its_catalogue(beta, seller):
    beta.tenant.role_matrix["visitor"] = ["home.view", "catalogue.view"]
    beta.tenant.save()
    with tenant_context(beta.tenant):
        product = make_product(seller.company)
    anonymous = beta.client()
    assert anonymous.get("/catalogue/").status_code == 200
    page = anonymous.get(f"/catalogue/products/{product.pk}/").content.decode()
    assert "Fraiseuse CNC 5 axes" in page and "to save this product" in page
    assert anonymous.get("/catalogue/mine/").status_code == 302


def test_another_programmes_products_and_stores_are_not_found(alpha, beta, seller):
    with tenant_context(beta.tenant):
        product = make_product(seller.company)
    for client in (alpha.client(alpha.members["buyer"]), alpha.client(alpha.members["tenant_admin"])):
        assert client.get(f"/catalogue/products/{product.pk}/").status_code == 404
        assert client.get(f"/catalogue/companies/{seller.company.pk}/").status_code == 404
    # A member of alpha is a visitor on beta: signed in, but without beta's catalogue.
    assert beta.client(alpha.members["buyer"]).get(f"/catalogue/products/{product.pk}/").status_code == 403


def test_drafts_are_previews_for_their_sellers_and_moderators_only(beta, seller):
    with tenant_context(beta.tenant):
        product = make_product(seller.company, published=False)
    assert beta.client(beta.members["buyer"]).get(f"/catalogue/products/{product.pk}/").status_code == 404
    assert "Draft" in beta.client(seller).get(f"/catalogue/products/{product.pk}/").content.decode()
    assert beta.client(beta.members["moderator"]).get(f"/catalogue/products/{product.pk}/").status_code == 200


def test_products_of_hidden_companies_are_not_listed(beta, seller):
    with tenant_context(beta.tenant):
        product = make_product(seller.company)
        Company.objects.filter(pk=seller.company.pk).update(visibility=Company.Visibility.HIDDEN)
    buyer = beta.client(beta.members["buyer"])
    assert buyer.get(f"/catalogue/products/{product.pk}/").status_code == 404
    assert buyer.get(f"/catalogue/companies/{seller.company.pk}/").status_code == 404
    assert beta.client(seller).get(f"/catalogue/companies/{seller.company.pk}/").status_code == 200


def test_product_page_follows_the_visitors_language_with_a_fallback(beta, seller):
    with tenant_context(beta.tenant):
        translated = make_product(seller.company, title="Fraiseuse", description="Usinage précis.",
                                  english=("Milling machine", "Precise machining."))
        untranslated = make_product(seller.company, title="Presse plieuse", description="Pliage.")
    buyer = beta.members["buyer"]
    english = beta.client(buyer).get(f"/catalogue/products/{translated.pk}/").content.decode()
    assert "Milling machine" in english and "Precise machining." in english
    french = beta.client(buyer)
    french.cookies["comptoir_language"] = "fr"
    html = french.get(f"/catalogue/products/{translated.pk}/").content.decode()
    assert "<h1>Fraiseuse</h1>" in html and "Usinage précis." in html
    german = beta.client(buyer)
    german.cookies["comptoir_language"] = "de"
    assert "Milling machine" in german.get(f"/catalogue/products/{translated.pk}/").content.decode()
    fallback = beta.client(buyer).get(f"/catalogue/products/{untranslated.pk}/").content.decode()
    assert 'lang="fr">Presse plieuse</h1>' in fallback and "not described in your language yet" in fallback


def test_members_only_data_sheets_need_a_membership(beta, seller):
    with tenant_context(beta.tenant):
        product = make_product(seller.company)
        public = services.add_document(actor=seller, product=product, upload=pdf_upload(), title="Brochure", language="fr")
        private = services.add_document(actor=seller, product=product, upload=pdf_upload(), title="Plan coté",
                                        language="fr", visibility=ProductDocument.Visibility.MEMBERS)
    beta.tenant.role_matrix["visitor"] = ["home.view", "catalogue.view"]
    beta.tenant.save()
    anonymous = beta.client()
    page = anonymous.get(f"/catalogue/products/{product.pk}/").content.decode()
    assert "Brochure" in page and "Plan coté" not in page
    download = anonymous.get(f"/catalogue/products/{product.pk}/documents/{public.pk}/")
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    assert anonymous.get(f"/catalogue/products/{product.pk}/documents/{private.pk}/").status_code == 302
    buyer = beta.client(beta.members["buyer"])
    assert buyer.get(f"/catalogue/products/{product.pk}/documents/{private.pk}/").status_code == 200
    # A document of this product reached through another product's address does not exist.
    with tenant_context(beta.tenant):
        other = make_product(seller.company, title="Autre")
    assert buyer.get(f"/catalogue/products/{other.pk}/documents/{public.pk}/").status_code == 404


def test_a_fake_image_is_refused_with_a_message_on_the_files_page(beta, seller):
    with tenant_context(beta.tenant):
        product = make_product(seller.company, published=False)
    client = beta.client(seller)
    fake = SimpleUploadedFile("machine.png", b"MZ\x90\x00 not an image", content_type="image/png")
    response = client.post(f"/catalogue/mine/{product.pk}/files/", {"form": "image", "image": fake, "alt_text": "Vue"})
    assert response.status_code == 400 and "This kind of file is not accepted" in response.content.decode()
    response = client.post(f"/catalogue/mine/{product.pk}/files/",
                           {"form": "image", "image": png_upload(), "alt_text": "Vue de face"})
    assert response.status_code == 302
    with tenant_context(beta.tenant):
        assert product.images.get().alt_text == "Vue de face"


def test_publish_refusal_lists_what_is_missing_and_translations_fix_it(beta, seller):
    with tenant_context(beta.tenant):
        require_english()
        product = make_product(seller.company, published=False, verticals=[make_vertical()])
    client = beta.client(seller)
    response = client.post(f"/catalogue/mine/{product.pk}/publish/", follow=True)
    assert "Add the title and description in: English." in response.content.decode()
    response = client.post(f"/catalogue/mine/{product.pk}/translations/", {
        "en-title": "CNC milling machine", "en-description": "Five axes.", "en-specifications": "Power: 15 kW",
        "de-title": "", "de-description": "", "de-specifications": "",
    })
    assert response.status_code == 302
    assert client.post(f"/catalogue/mine/{product.pk}/publish/").status_code == 302
    with tenant_context(beta.tenant):
        product.refresh_from_db()
        assert product.is_published
        assert product.translations.get(language="en").specifications == [{"name": "Power", "value": "15 kW"}]


def test_badly_written_translated_specifications_are_explained(beta, seller):
    with tenant_context(beta.tenant):
        product = make_product(seller.company, published=False)
    response = beta.client(seller).post(f"/catalogue/mine/{product.pk}/translations/", {
        "en-title": "Mill", "en-description": "", "en-specifications": "no colon here",
        "de-title": "", "de-description": "", "de-specifications": "",
    })
    assert response.status_code == 400 and "Line 1: write the name, a colon, then the value." in response.content.decode()


def test_the_catalogue_is_not_found_when_the_module_is_off(beta, seller):
    beta.tenant.modules = [module for module in beta.tenant.modules if module != "catalogue"]
    beta.tenant.save()
    with tenant_context(beta.tenant):
        product = make_product(seller.company)
    client = beta.client(beta.members["buyer"])
    assert client.get("/catalogue/").status_code == 404
    assert client.get(f"/catalogue/products/{product.pk}/").status_code == 404
    assert beta.client(seller).get("/catalogue/mine/").status_code in (403, 404)


def _queries(client, path) -> int:
    client.get(path)
    with CaptureQueriesContext(connection) as context:
        assert client.get(path).status_code == 200
    return len(context)


def test_list_pages_queries_do_not_grow_with_rows(beta, seller):
    from tenant_apps.catalogue.models import Certification, SupportedCompany

    with tenant_context(beta.tenant):
        vertical = make_vertical()
        make_product(seller.company, verticals=[vertical], english=("Mill", ""))
        SupportedCompany.objects.create(company=seller.company, since="2026-01-15")
        Certification.objects.create(name="CE", slug="ce")
    moderator = beta.client(beta.members["moderator"])
    pages = {beta.client(seller): ["/catalogue/mine/", f"/catalogue/companies/{seller.company.pk}/"]}
    pages[moderator] = ["/catalogue/manage/verticals/", "/catalogue/manage/certifications/", "/catalogue/manage/supported/"]
    before = {(id(client), path): _queries(client, path) for client, paths in pages.items() for path in paths}
    with tenant_context(beta.tenant):
        for number in range(12):
            extra = make_vertical(f"Filière {number}", f"Vertical {number}")
            make_product(seller.company, title=f"Produit {number}", verticals=[extra], english=(f"Product {number}", ""))
            Certification.objects.create(name=f"Norme {number}", slug=f"norme-{number}")
            company = Company.objects.create(name=f"Entreprise {number}", country="FR", visibility="public")
            SupportedCompany.objects.create(company=company, since="2026-01-15")
    after = {(id(client), path): _queries(client, path) for client, paths in pages.items() for path in paths}
    assert after == before
    assert max(before.values()) <= 17  # the store page asks whether a signed-in viewer represents the company
