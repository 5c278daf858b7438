"""A representative sends the documents, a moderator reviews them: every page passes axe."""

import re
from datetime import date
from urllib.parse import urlsplit

import pytest

from tests.browser.checks import WIDTHS, axe_violations, horizontal_overflow
from tests.browser.conftest import committed
from tests.tenant_apps.verification.conftest import make_pdf

pytestmark = [pytest.mark.browser, pytest.mark.django_db]


def assert_accessible(page, width):
    assert axe_violations(page) == [], page.url
    if width == 320:
        assert horizontal_overflow(page) == 0, page.url


def _company_for(theme_tenant, user, name):
    from django_tenants.utils import tenant_context

    from tenant_apps.directory.models import Company, Representative

    with tenant_context(theme_tenant):
        company = Company.objects.create(name=name, country="FR", registration_number="732 829 320")
        Representative.objects.create(company=company, user=user, is_owner=True)
        return company.pk


@pytest.mark.parametrize("width", WIDTHS)
def test_representative_uploads_documents_and_a_moderator_approves(
    sites, demo_tenants, new_context, make_member, sign_in, width
):
    site = sites["francophonie"]
    rep = make_member("francophonie", "company_rep")
    name = f"Épices Browser {width}"
    committed(_company_for, demo_tenants["francophonie"], rep, name)

    page = new_context(width).new_page()
    sign_in(page, site, rep)
    page.goto(site.url("/verification/"), wait_until="load")
    assert_accessible(page, width)
    upload_form = page.locator("main form", has=page.get_by_role("button", name="Upload", exact=True))
    options = upload_form.get_by_label(re.compile(r"^Document\W*$")).locator("option").all_inner_texts()
    assert len(options) == 4
    for index, label in enumerate(options):
        upload_form = page.locator("main form", has=page.get_by_role("button", name="Upload", exact=True))
        upload_form.get_by_label(re.compile(r"^Document\W*$")).select_option(label=label)
        upload_form.get_by_label(re.compile(r"^File")).set_input_files(
            {"name": f"document-{index}.pdf", "mimeType": "application/pdf",
             "buffer": make_pdf(f"{name} SIREN 732 829 320 page {index}")})
        upload_form.get_by_label("Date on the document").fill(date.today().isoformat())
        upload_form.get_by_role("button", name="Upload").click()
        page.wait_for_load_state("load")
        assert page.locator(".flash--success, .flash").count() >= 1
    assert_accessible(page, width)
    page.locator("main").get_by_role("button", name="Send my request").click()
    page.wait_for_load_state("load")
    assert "Submitted" in page.locator("main").inner_text()

    moderator = make_member("francophonie", "moderator", backup_codes=True)
    review = new_context(width).new_page()
    sign_in(review, site, moderator)
    review.goto(site.url("/verification/review/"), wait_until="load")
    assert_accessible(review, width)
    review.get_by_role("link", name=name).click()
    review.wait_for_load_state("load")
    assert re.match(r"^/verification/review/\d+/$", urlsplit(review.url).path)
    assert review.locator("iframe.verification-preview__frame").count() == 1
    assert review.locator("main").get_by_text("appears in the document").count() >= 1
    assert_accessible(review, width)
    review.get_by_role("radio", name="Approve").check()
    review.locator("main").get_by_role("button", name="Record my decision").click()
    review.wait_for_load_state("load")
    assert urlsplit(review.url).path == "/verification/review/"
    assert_accessible(review, width)

    page.goto(site.url("/verification/"), wait_until="load")
    assert "Verified profile" in page.locator("main").inner_text()
    assert_accessible(page, width)
