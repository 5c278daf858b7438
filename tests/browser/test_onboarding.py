"""Bulk onboarding in a real browser: the upload page and the preview with row errors, at phone and desktop widths."""

import pytest

from tests.browser.checks import WIDTHS, axe_violations, elements_wider_than_viewport, horizontal_overflow

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

CSV = (
    "Nom de l'entreprise;Raison sociale;RCCM;Pays;Ville;Secteur;Taille;Stade d'export;Site web;Description;"
    "Nom du représentant;Courriel;Fonction;Propriétaire\n"
    "Société Kora;Kora SARL;SN-DKR-2024-B-1;Sénégal;Dakar;;small;growing;kora.example.sn;;Awa Diop;"
    "awa@kora.example.sn;Directrice;oui\n"
    "Atelier Bleu;;FR-77;Atlantide;Lyon;Astronautique;huge;;;;Jean Martin;jean@;;peut-être\n"
).encode("utf-8-sig")


@pytest.fixture(scope="module")
def admin_pages(new_context, make_member, sign_in, sites):
    admin = make_member("francophonie", "tenant_admin", backup_codes=True, full_name="Aminata Import")
    return {width: sign_in(new_context(width).new_page(), sites["francophonie"], admin) for width in WIDTHS}


def _assert_accessible(page, width):
    assert axe_violations(page) == []
    if width == 320:
        assert elements_wider_than_viewport(page) == []
        assert horizontal_overflow(page) == 0


@pytest.mark.parametrize("width", WIDTHS)
def test_upload_then_preview_explains_each_row_and_is_accessible(admin_pages, sites, width):
    page = admin_pages[width]
    response = page.goto(sites["francophonie"].url("/manage/onboarding/"), wait_until="load")
    assert response is not None and response.ok
    _assert_accessible(page, width)

    page.set_input_files("input[type=file]", files=[{"name": "entreprises.csv", "mimeType": "text/csv", "buffer": CSV}])
    page.locator("main button[type=submit]").click()
    page.wait_for_load_state("load")

    assert "/manage/onboarding/" in page.url and page.url.rstrip("/").split("/")[-1] != "onboarding"
    table = page.locator("table").inner_text()
    assert "Société Kora" in table and "Atelier Bleu" in table
    assert "Atlantide" in table and "jean@" in table
    assert page.locator("form[action$='/confirm/']").count() == 0, "no confirmation while a row has errors"
    _assert_accessible(page, width)
