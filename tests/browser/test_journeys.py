"""Whole journeys in a real Chromium: signing up, setting up two-factor authentication,
ending a session from another device.

Every page met on the way must pass axe-core's WCAG 2.1 A and AA rules, at phone and
desktop widths. These tests create their own people (with unique addresses), so they
commit their data where the live server sees it.
"""

import base64
import re
import time
from urllib.parse import urlsplit

import pytest

from tests.browser.checks import WIDTHS, axe_violations, horizontal_overflow
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db]


def assert_accessible(page, width):
    assert axe_violations(page) == [], page.url
    if width == 320:
        assert horizontal_overflow(page) == 0, page.url


def submit(page, button_name):
    page.locator("main").get_by_role("button", name=button_name, exact=True).click()
    page.wait_for_load_state("load")


@pytest.mark.parametrize("width", WIDTHS)
def test_sign_up_solves_the_proof_of_work_then_confirms_the_address_and_signs_in(
    sites, new_context, csp_violations, mailoutbox, width
):
    site = sites["francophonie"]
    page = new_context(width).new_page()
    refused_by_csp = csp_violations(page)
    email = f"ines.{width}.{time.monotonic_ns()}@atelier.example.org"

    page.goto(site.url("/accounts/sign-up/"), wait_until="load")
    page.get_by_label("Full name").fill("Inès Traoré")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_role("radio").first.check()
    page.get_by_label("Organisation").fill("Atelier Traoré")
    page.get_by_label(re.compile(r"^Password\W*$")).fill(PASSWORD)
    page.get_by_label("Password again").fill(PASSWORD)
    page.get_by_label("I am not a robot").click()
    page.locator("altcha-widget [data-state=verified]").wait_for(timeout=20_000)
    assert page.locator("input[name=altcha]").input_value()
    assert_accessible(page, width)
    submit(page, "Create my account")

    assert urlsplit(page.url).path == "/accounts/sign-up/done/"
    assert page.get_by_role("heading", level=1).inner_text() == "Check your e-mail"
    assert_accessible(page, width)
    assert refused_by_csp == []

    (message,) = [message for message in mailoutbox if message.to == [email]]
    link = re.search(r"https?://\S+/accounts/confirm/\S+/", message.body).group(0)
    page.goto(site.url(urlsplit(link).path), wait_until="load")
    assert urlsplit(page.url).path == "/accounts/sign-in/"
    assert "Your e-mail address is confirmed" in page.locator(".flash-messages").inner_text()
    assert_accessible(page, width)

    form = page.locator("main form", has=page.get_by_role("button", name="Sign in", exact=True))
    form.get_by_label("E-mail address").fill(email)
    form.get_by_label(re.compile(r"^Password\W*$")).fill(PASSWORD)
    submit(page, "Sign in")

    assert page.get_by_role("button", name=re.compile(r"^Sign out")).count() >= 1
    assert_accessible(page, width)
    assert refused_by_csp == []


def totp_code(secret_shown: str, *, steps_ahead: int = 0) -> str:
    """What an authenticator app shows for the key printed on the page."""
    from django_otp.oath import totp

    secret = secret_shown.replace(" ", "")
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    return f"{totp(key, drift=steps_ahead):06d}"


@pytest.mark.parametrize("width", WIDTHS)
def test_administrator_sets_up_an_authenticator_app_then_signs_in_with_it(
    sites, new_context, make_member, sign_in, width
):
    site = sites["francophonie"]
    admin = make_member("francophonie", "tenant_admin", full_name="Moussa Keïta")
    page = new_context(width).new_page()

    sign_in(page, site, admin)

    assert urlsplit(page.url).path == "/accounts/mfa/"
    assert page.locator(".notice[role=alert]").is_visible()
    assert_accessible(page, width)
    page.get_by_role("link", name="Authenticator app").click()
    page.wait_for_load_state("load")
    assert urlsplit(page.url).path == "/accounts/mfa/authenticator/"
    assert page.locator(".qr-code [role=img] svg").count() == 1
    assert_accessible(page, width)

    secret = page.locator("code.secret").inner_text()
    page.get_by_label(re.compile(r"^Code\W*$")).fill(totp_code(secret))
    submit(page, "Confirm")

    assert urlsplit(page.url).path == "/accounts/mfa/backup-codes/"
    assert_accessible(page, width)
    submit(page, "Make my backup codes")
    codes = page.locator(".backup-codes code").all_inner_texts()
    assert len(codes) >= 5
    assert_accessible(page, width)
    page.get_by_role("link", name="I have kept them").click()
    page.wait_for_load_state("load")
    assert urlsplit(page.url).path == "/accounts/mfa/"
    assert page.locator(".notice[role=alert]").count() == 0
    assert_accessible(page, width)

    page.locator("header").get_by_role("button", name=re.compile(r"^Sign out")).click()
    page.wait_for_load_state("load")
    page.goto(site.url("/accounts/sign-in/"), wait_until="load")
    form = page.locator("main form", has=page.get_by_role("button", name="Sign in", exact=True))
    form.get_by_label("E-mail address").fill(admin.email)
    form.get_by_label(re.compile(r"^Password\W*$")).fill(PASSWORD)
    submit(page, "Sign in")

    assert urlsplit(page.url).path == "/accounts/mfa/verify/"
    assert_accessible(page, width)
    page.get_by_role("radio", name=re.compile("Authenticator app")).check()
    # The code used to confirm cannot be used twice: the app's next code is accepted too.
    page.get_by_label(re.compile(r"^Code\W*$")).fill(totp_code(secret, steps_ahead=1))
    submit(page, "Continue")

    assert urlsplit(page.url).path not in ("/accounts/mfa/verify/", "/accounts/sign-in/")
    page.goto(site.url("/manage/"), wait_until="load")
    assert urlsplit(page.url).path == "/manage/"
    assert_accessible(page, width)


@pytest.mark.parametrize("width", WIDTHS)
def test_a_session_signed_out_from_another_device_ends_at_its_next_page(
    sites, new_context, make_member, sign_in, width
):
    site = sites["showroom"]
    member = make_member("showroom", "company_rep", full_name="Chloé Martin")
    laptop = sign_in(new_context(width).new_page(), site, member)
    phone = sign_in(new_context(width).new_page(), site, member)

    laptop.goto(site.url("/accounts/sessions/"), wait_until="load")
    rows = laptop.locator("tbody tr")
    assert rows.count() == 2
    assert_accessible(laptop, width)
    rows.filter(has_not=laptop.locator(".badge")).get_by_role("button", name=re.compile("^Sign out")).click()
    laptop.wait_for_load_state("load")

    assert laptop.locator("tbody tr").count() == 1
    assert_accessible(laptop, width)

    phone.goto(site.url("/dashboard/"), wait_until="load")
    assert urlsplit(phone.url).path == "/accounts/sign-in/"
    assert phone.get_by_role("button", name=re.compile("^Sign out")).count() == 0
    assert_accessible(phone, width)
    laptop.goto(site.url("/dashboard/"), wait_until="load")
    assert urlsplit(laptop.url).path == "/dashboard/"


def test_the_csp_watch_reports_a_refused_inline_script(sites, new_context, csp_violations):
    """Guards the sign-up test: a watch that missed refusals would let any script through."""
    page = new_context().new_page()
    refused_by_csp = csp_violations(page)
    page.goto(sites["francophonie"].url("/accounts/sign-in/"), wait_until="load")

    page.evaluate(
        "document.body.appendChild(Object.assign(document.createElement('script'), {textContent: '1'}))"
    )

    assert any("script-src" in refusal for refusal in refused_by_csp)
