"""Public pages of both demo programmes and of the platform, in a real Chromium.

Each page must pass axe-core's WCAG 2.1 A and AA rules at phone and desktop widths,
never scroll sideways at 320 px, and start its keyboard order with the skip link.
"""

import re

import pytest

from tests.browser.checks import WIDTHS, axe_violations, horizontal_overflow

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

PROGRAMME_PAGES = ["/", "/accounts/sign-in/", "/accounts/sign-up/"]
PAGES = [
    *[(site, path) for site in ("francophonie", "showroom") for path in PROGRAMME_PAGES],
    ("platform", "/"),
    ("platform", "/accounts/sign-in/"),
]


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize(("site", "path"), PAGES)
def test_page_has_no_wcag_violations(sites, open_page, site, path, width):
    page = open_page(sites[site].url(path), width=width)

    assert axe_violations(page) == []


@pytest.mark.parametrize(("site", "path"), PAGES)
def test_page_does_not_scroll_sideways_at_320px(sites, open_page, site, path):
    page = open_page(sites[site].url(path), width=320)

    assert horizontal_overflow(page) == 0


@pytest.mark.parametrize(("site", "path"), PAGES)
def test_first_tab_reaches_the_skip_link(sites, open_page, site, path):
    from playwright.sync_api import expect

    page = open_page(sites[site].url(path))

    page.keyboard.press("Tab")

    focused = page.evaluate(
        "(el => ({cls: el.className, href: el.getAttribute('href')}))(document.activeElement)"
    )
    assert focused == {"cls": "skip-link", "href": "#main"}
    # Focus slides the link into view; wait for the style to apply rather than read it once.
    expect(page.locator(".skip-link")).to_be_in_viewport(ratio=1)


def test_skip_link_moves_focus_to_the_main_content(sites, open_page):
    page = open_page(sites["francophonie"].url("/"))

    page.keyboard.press("Tab")
    page.keyboard.press("Enter")

    assert page.evaluate("document.activeElement.id") == "main"


@pytest.mark.parametrize("site", ["francophonie", "showroom"])
@pytest.mark.parametrize("width", WIDTHS)
def test_sign_up_with_bad_input_shows_inline_errors_and_keeps_values(sites, open_page, site, width):
    page = open_page(sites[site].url("/accounts/sign-up/"), width=width)

    page.get_by_label("Full name").fill("Amina Diallo")
    page.get_by_label("E-mail address").fill("amina.diallo@")
    page.get_by_label("Organisation").fill("Atelier Diallo")
    page.get_by_label(re.compile(r"^Password\W*$")).fill("short")
    page.get_by_label("Password again").fill("different")
    page.get_by_role("button", name="Create my account").click()
    page.wait_for_load_state("load")

    assert page.locator(".form-errors[role=alert]").is_visible()
    email = page.get_by_label("E-mail address")
    assert email.input_value() == "amina.diallo@"
    assert page.get_by_label("Full name").input_value() == "Amina Diallo"
    assert page.get_by_label("Organisation").input_value() == "Atelier Diallo"
    assert email.get_attribute("aria-invalid") == "true"
    # The error is next to the field and announced with it.
    email_errors = page.locator(".field--invalid", has=email).locator(".field__errors")
    assert email_errors.is_visible()
    assert (
        email_errors.get_attribute("id") in (email.get_attribute("aria-describedby") or "").split()
    )
    assert (
        page.locator(".field--invalid", has=page.get_by_role("radio").first)
        .locator(".field__errors")
        .is_visible()
    )
    assert page.locator(".field--invalid", has=page.get_by_label("Password again")).count() == 1
    assert axe_violations(page) == []
    if width == 320:
        assert horizontal_overflow(page) == 0


@pytest.mark.parametrize(
    ("site", "lead"),
    [
        ("francophonie", "Francophone companies grow abroad together"),
        ("showroom", "Find qualified industrial suppliers"),
    ],
)
def test_each_theme_dresses_the_home_page_its_own_way(sites, open_page, site, lead):
    page = open_page(sites[site].url("/"))

    assert lead in page.locator(".hero .lead").inner_text()
    assert page.locator(f"body.theme-{site}").count() == 1
    stylesheet = page.evaluate(
        "[...document.styleSheets].map(s => s.href || '').filter(h => h.includes('/theme.css'))"
    )
    assert len(stylesheet) == 1 and f"/themes/{site}/theme.css" in stylesheet[0]


def test_axe_reports_a_known_violation(open_page, sites):
    """Guards the suite itself: an axe run that silently checked nothing would pass everything."""
    page = open_page(sites["platform"].url("/"))
    page.evaluate(
        "document.querySelector('main').insertAdjacentHTML('beforeend', '<img src=\"/x.png\">')"
    )

    assert any(violation.startswith("image-alt") for violation in axe_violations(page))
