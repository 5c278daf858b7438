"""Pages behind sign-in: a programme's administration and the operators' console.

The same checks as the public pages: no axe-core violation at phone and desktop widths,
and nothing wider than a 320 px screen except inside the scrollable table wrappers.
"""

import pytest

from tests.browser.checks import WIDTHS, axe_violations, elements_wider_than_viewport, horizontal_overflow
from tests.browser.conftest import committed

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

PROGRAMME_PAGES = [
    "/dashboard/",
    "/accounts/members/",
    "/accounts/members/invite/",
    "/manage/",
    "/manage/branding/",
    "/manage/languages-and-modules/",
    "/manage/roles/",
    "/manage/kpis/",
    "/manage/security/",
    "/manage/privacy/",
    "/manage/api/",
    "/manage/access/temporary-access/",
    "/manage/access/badges/",
    "/manage/audit/",
    "/manage/audit/elevated-privileges/",
    "/notifications/",
    "/notifications/preferences/",
    "/privacy/my-data/",
    "/privacy/cookies/",
    "/accounts/sessions/",
    "/accounts/mfa/",
]
CONSOLE_PAGES = ["/console/", "/console/tenants/new/", "/console/audit/"]


@pytest.fixture(scope="module")
def admin_pages(new_context, make_member, sign_in, sites):
    """One signed-in tab per width for a tenant administrator of the French-speaking programme."""
    admin = make_member("francophonie", "tenant_admin", backup_codes=True, full_name="Awa Ndiaye")
    return {width: sign_in(new_context(width).new_page(), sites["francophonie"], admin) for width in WIDTHS}


@pytest.fixture(scope="module")
def operator_pages(new_context, sign_in, sites):
    from tests.factories import UserFactory

    def _create():
        operator = UserFactory(email="operator@comptoir.example.org", full_name="Olivier Opérateur", is_staff=True)
        operator.staticdevice_set.create(name="backup", confirmed=True)
        return operator

    operator = committed(_create)
    return {width: sign_in(new_context(width).new_page(), sites["platform"], operator) for width in WIDTHS}


def _visit(page, url):
    response = page.goto(url, wait_until="load")
    assert response is not None and response.ok, f"{url} answered {response and response.status}"
    assert page.url == url, f"{url} sent the browser to {page.url}"
    return page


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("path", PROGRAMME_PAGES)
def test_programme_page_for_administrators_is_accessible(admin_pages, sites, path, width):
    page = _visit(admin_pages[width], sites["francophonie"].url(path))

    assert axe_violations(page) == []
    if width == 320:
        assert elements_wider_than_viewport(page) == []
        assert horizontal_overflow(page) == 0


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("path", CONSOLE_PAGES)
def test_operators_console_page_is_accessible(operator_pages, sites, path, width):
    page = _visit(operator_pages[width], sites["platform"].url(path))

    assert axe_violations(page) == []
    if width == 320:
        assert elements_wider_than_viewport(page) == []
        assert horizontal_overflow(page) == 0
