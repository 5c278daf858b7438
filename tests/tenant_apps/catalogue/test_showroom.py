"""The showroom page: composed by admins from blocks, sanitised, reachable from every page,
and linked back from the supported companies' pages."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import tenant_context

from tenant_apps.catalogue import services as catalogue_services
from tenant_apps.catalogue.models import ShowroomBlock, SupportedCompany
from tenant_apps.catalogue.showroom import services
from tenant_apps.directory.models import Company
from tests.tenant_apps.catalogue.conftest import make_product, make_vertical, png_upload


@pytest.fixture
def admin(beta):
    return beta.members["tenant_admin"]


def _block(admin, kind, **values):
    block = services.add_block(actor=admin, kind=kind)
    return services.save_block(actor=admin, block=block, is_enabled=True, **values)


def test_admin_composes_orders_and_toggles_blocks(beta, admin, seller):
    with tenant_context(beta.tenant):
        services.update_page(actor=admin, title="Showroom France", title_en="Showroom France")
        hero = _block(admin, ShowroomBlock.Kind.HERO, heading="Le meilleur de l'industrie", heading_en="The best of industry",
                      link_url="/catalogue/", link_label="Voir", link_label_en="Browse")
        text = _block(admin, ShowroomBlock.Kind.RICH_TEXT, heading="Qui sommes-nous", heading_en="About us",
                      body="<p>Texte</p>", body_en="<p>Business France helps companies.</p>")
        hidden = services.add_block(actor=admin, kind=ShowroomBlock.Kind.STORIES)
        services.move_block(actor=admin, block=text, direction="up")
    html = beta.client().get("/showroom/").content.decode()
    assert html.index("About us") < html.index("The best of industry")
    assert 'href="/catalogue/">Browse</a>' in html
    assert "Stories and testimonials" not in html  # a new block stays hidden until it is filled in
    with tenant_context(beta.tenant):
        services.set_block_shown(actor=admin, block=hero, is_enabled=False)
        services.delete_block(actor=admin, block=hidden)
    html = beta.client().get("/showroom/").content.decode()
    assert "The best of industry" not in html and "About us" in html


def test_french_readers_get_the_french_text(beta, admin):
    with tenant_context(beta.tenant):
        _block(admin, ShowroomBlock.Kind.RICH_TEXT, heading="Qui sommes-nous", heading_en="About us", body="<p>Texte</p>")
    client = beta.client()
    client.cookies["comptoir_language"] = "fr"
    assert "Qui sommes-nous" in client.get("/showroom/").content.decode()
    german = beta.client()
    german.cookies["comptoir_language"] = "de"
    assert "About us" in german.get("/showroom/").content.decode()


def test_rich_text_is_sanitised_and_links_are_limited(beta, admin):
    with tenant_context(beta.tenant):
        block = _block(admin, ShowroomBlock.Kind.RICH_TEXT, heading="Texte",
                       body='<p onclick="steal()">Bonjour <script>alert(1)</script><a href="javascript:alert(2)">lien</a>'
                            '<img src=x onerror=alert(3)><strong>gras</strong></p>')
        assert "<script" not in block.body and "onclick" not in block.body and "javascript:" not in block.body
        assert "<img" not in block.body and "<strong>gras</strong>" in block.body
        for url in ("javascript:alert(1)", "//evil.example/", "data:text/html,hi", "ftp://files.example/"):
            with pytest.raises(ValidationError):
                services.save_block(actor=admin, block=block, link_url=url, link_label="Go")
        services.save_block(actor=admin, block=block, link_url="https://www.businessfrance.fr/", link_label="Site")
        with pytest.raises(ValidationError) as error:
            services.save_block(actor=admin, block=block, link_url="/catalogue/", link_label="")
        assert "link_label" in error.value.message_dict
    html = beta.client().get("/showroom/").content.decode()
    assert "alert(" not in html and "<strong>gras</strong>" in html


def test_block_form_over_http_keeps_input_and_refuses_a_fake_image(beta, admin):
    with tenant_context(beta.tenant):
        block = services.add_block(actor=admin, kind=ShowroomBlock.Kind.HERO)
    client = beta.client(admin)
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("hero.png", b"GIF89a but not really", content_type="image/png")
    response = client.post(f"/showroom/compose/blocks/{block.pk}/", {
        "heading": "Titre gardé", "image": fake, "link_url": "javascript:alert(1)", "link_label": "Voir",
    })
    assert response.status_code == 400
    html = response.content.decode()
    assert 'value="Titre gardé"' in html
    response = client.post(f"/showroom/compose/blocks/{block.pk}/", {
        "heading": "Titre", "image": png_upload("hero.png"), "image_alt": "Une usine", "link_url": "/catalogue/",
        "link_label": "Voir", "is_enabled": "on",
    })
    assert response.status_code == 302
    with tenant_context(beta.tenant):
        block.refresh_from_db()
        assert block.is_enabled and block.image.name.startswith("showroom/images/")


def test_stories_are_edited_as_a_formset(beta, admin):
    with tenant_context(beta.tenant):
        block = services.add_block(actor=admin, kind=ShowroomBlock.Kind.STORIES)
    client = beta.client(admin)
    data = {"heading": "Ils en parlent", "is_enabled": "on", "story-TOTAL_FORMS": "2", "story-INITIAL_FORMS": "0",
            "story-MIN_NUM_FORMS": "0", "story-MAX_NUM_FORMS": "12",
            "story-0-quote": "Premier distributeur signé.", "story-0-quote_en": "First distributor signed.",
            "story-0-author": "Marc Lefèvre", "story-0-role": "Dirigeant", "story-0-role_en": "Managing director",
            "story-1-quote": "", "story-1-quote_en": "", "story-1-author": "", "story-1-role": "", "story-1-role_en": ""}
    assert client.post(f"/showroom/compose/blocks/{block.pk}/", data).status_code == 302
    assert "First distributor signed." in beta.client().get("/showroom/").content.decode()
    data["story-1-quote"] = "Sans auteur"
    response = client.post(f"/showroom/compose/blocks/{block.pk}/", data)
    assert response.status_code == 400 and "Each story needs its text and who said it." in response.content.decode()


@pytest.mark.parametrize("role", ["moderator", "company_rep", "buyer", "guest"])
def test_only_admins_compose_the_page(beta, role):
    with tenant_context(beta.tenant):
        block = services.add_block(actor=beta.members["tenant_admin"], kind=ShowroomBlock.Kind.RICH_TEXT)
    client = beta.client(beta.members[role])
    assert client.get("/showroom/compose/").status_code == 403
    assert client.post(f"/showroom/compose/blocks/{block.pk}/delete/").status_code == 403
    with tenant_context(beta.tenant), pytest.raises(services.ShowroomError):
        services.add_block(actor=beta.members[role], kind=ShowroomBlock.Kind.HERO)


def test_another_programmes_admin_cannot_compose_here(alpha, beta):
    assert beta.client(alpha.members["tenant_admin"]).get("/showroom/compose/").status_code == 403


def test_featured_blocks_fall_back_to_supported_companies_and_their_newest_products(beta, admin, seller, other_seller):
    with tenant_context(beta.tenant):
        vertical = make_vertical()
        make_product(seller.company, title="Fraiseuse", english=("Milling machine", ""), verticals=[vertical])
        make_product(other_seller.company, title="Produit non accompagné", verticals=[vertical])
        catalogue_services.support_company(actor=beta.members["moderator"], company=seller.company)
        _block(admin, ShowroomBlock.Kind.FEATURED_COMPANIES, heading="Companies")
        _block(admin, ShowroomBlock.Kind.FEATURED_PRODUCTS, heading="Products")
        _block(admin, ShowroomBlock.Kind.VERTICALS, heading="Industries")
    html = beta.client().get("/showroom/").content.decode()
    assert "Usinage Précis" in html and "Forges Rivales" not in html
    assert "Milling machine" in html and "Produit non accompagné" not in html
    assert "Machine tools" in html and "2 products" in html


def test_chosen_companies_and_products_are_shown_in_place_of_the_fallback(beta, admin, seller, other_seller):
    with tenant_context(beta.tenant):
        chosen = make_product(other_seller.company, title="Produit choisi")
        draft = make_product(other_seller.company, title="Brouillon choisi", published=False)
        _block(admin, ShowroomBlock.Kind.FEATURED_PRODUCTS, heading="Products", products=[chosen.pk, draft.pk])
        _block(admin, ShowroomBlock.Kind.FEATURED_COMPANIES, heading="Companies", companies=[other_seller.company.pk])
    html = beta.client().get("/showroom/").content.decode()
    assert "Produit choisi" in html and "Brouillon choisi" not in html and "Forges Rivales" in html


def test_the_showroom_is_reachable_from_every_page_and_switched_by_its_module(beta, admin):
    with tenant_context(beta.tenant):
        services.update_page(actor=admin, title="Showroom France", title_en="Showroom France")
    for path in ("/", "/accounts/sign-in/", "/legal/privacy/"):
        assert 'href="/showroom/">Showroom France</a>' in beta.client().get(path).content.decode(), path
    beta.tenant.modules = [module for module in beta.tenant.modules if module != "showroom"]
    beta.tenant.save()
    assert beta.client().get("/showroom/").status_code == 404
    assert 'href="/showroom/"' not in beta.client().get("/").content.decode()
    assert beta.client(admin).get("/showroom/compose/").status_code in (403, 404)


def test_supported_companies_pages_carry_the_badge_back_to_the_showroom(beta, admin, seller, other_seller):
    with tenant_context(beta.tenant):
        services.update_page(actor=admin, title="Showroom France")
        supported = make_product(seller.company)
        unsupported = make_product(other_seller.company, title="Autre")
        SupportedCompany.objects.create(company=seller.company, since="2026-01-15")
    client = beta.client(beta.members["buyer"])
    badge = 'class="showroom-badge" href="/showroom/"'
    for path in (f"/catalogue/products/{supported.pk}/", f"/catalogue/companies/{seller.company.pk}/",
                 f"/directory/companies/{seller.company.pk}/"):
        html = client.get(path).content.decode()
        assert badge in html and "Featured in Showroom France" in html, path
    for path in (f"/catalogue/products/{unsupported.pk}/", f"/catalogue/companies/{other_seller.company.pk}/"):
        assert badge not in client.get(path).content.decode(), path


def test_showroom_page_queries_do_not_grow_with_blocks_content(beta, admin, seller):
    with tenant_context(beta.tenant):
        vertical = make_vertical()
        make_product(seller.company, verticals=[vertical], english=("Mill", ""))
        SupportedCompany.objects.create(company=seller.company, since="2026-01-15")
        for kind in (ShowroomBlock.Kind.HERO, ShowroomBlock.Kind.FEATURED_COMPANIES, ShowroomBlock.Kind.FEATURED_PRODUCTS,
                     ShowroomBlock.Kind.VERTICALS, ShowroomBlock.Kind.STORIES, ShowroomBlock.Kind.CALL_TO_ACTION):
            _block(admin, kind, heading=str(kind.label))
    client = beta.client()

    def count():
        client.get("/showroom/")
        with CaptureQueriesContext(connection) as context:
            assert client.get("/showroom/").status_code == 200
        return len(context)

    before = count()
    with tenant_context(beta.tenant):
        for number in range(12):
            company = Company.objects.create(name=f"Entreprise {number}", country="FR", visibility="public")
            SupportedCompany.objects.create(company=company, since="2026-01-15")
            make_product(company, title=f"Produit {number}", verticals=[make_vertical(f"Filière {number}", f"V{number}")],
                         english=(f"Product {number}", ""))
    assert count() == before <= 14
