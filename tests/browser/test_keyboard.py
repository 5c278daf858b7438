"""The cookie banner and the idle-timeout warning, used with the keyboard alone."""

import re
import time
from urllib.parse import urlsplit

import pytest
from django.conf import settings

from tests.browser.checks import WIDTHS, axe_violations, horizontal_overflow
from tests.browser.conftest import committed

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

FOCUSED = "(el => el.textContent.trim())(document.activeElement)"


def tab_to(page, name: str, *, presses: int = 8, key: str = "Tab") -> int:
    """Press Tab until the element called ``name`` has focus; how many presses it took."""
    for count in range(1, presses + 1):
        page.keyboard.press(key)
        if page.evaluate(FOCUSED).startswith(name):
            return count
    raise AssertionError(f"{name!r} never received focus; last was {page.evaluate(FOCUSED)!r}")


def press_and_follow(page, key: str = "Enter") -> None:
    with page.expect_navigation(wait_until="load"):
        page.keyboard.press(key)


def has_focus_ring(page) -> bool:
    return page.evaluate(
        "(s => s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2)"
        "(getComputedStyle(document.activeElement))"
    )


@pytest.mark.parametrize("width", WIDTHS)
def test_cookie_banner_is_reached_first_and_refused_with_the_keyboard(sites, new_context, width):
    page = new_context(width).new_page()
    page.goto(sites["showroom"].url("/"), wait_until="load")
    banner = page.get_by_role("region", name="Cookies on this site")
    assert banner.is_visible()
    assert axe_violations(page) == []
    if width == 320:
        assert horizontal_overflow(page) == 0

    # Right after the skip link, before the rest of the page; refusing is as near as accepting.
    assert tab_to(page, "Refuse audience measurement") == 2
    assert has_focus_ring(page)
    assert tab_to(page, "Accept audience measurement") == 1
    page.keyboard.press("Shift+Tab")
    press_and_follow(page)

    assert urlsplit(page.url).path == "/"
    assert banner.count() == 0
    assert "Your cookie choices are saved" in page.locator(".flash-messages").inner_text()
    consent = [cookie for cookie in page.context.cookies() if cookie["name"] == settings.CONSENT_COOKIE_NAME]
    assert len(consent) == 1
    assert axe_violations(page) == []


def test_cookie_choices_page_works_with_the_keyboard(sites, new_context):
    page = new_context().new_page()
    page.goto(sites["francophonie"].url("/"), wait_until="load")
    tab_to(page, "Learn more and choose")
    press_and_follow(page)
    assert urlsplit(page.url).path == "/privacy/cookies/"

    tab_to(page, "", presses=1)  # the skip link
    page.keyboard.press("Enter")
    radios = page.get_by_role("radio")
    tab_to(page, "Save my choices", presses=30)
    page.keyboard.press("Shift+Tab")
    assert page.evaluate("document.activeElement.type") == "radio"
    checked_before = [radio.is_checked() for radio in radios.all()]
    page.keyboard.press("ArrowDown")
    assert [radio.is_checked() for radio in radios.all()] != checked_before
    press_and_follow(page)

    assert "Your cookie choices are saved" in page.locator(".flash-messages").inner_text()
    assert page.get_by_role("region", name="Cookies on this site").count() == 0


def _idle_for(session_key: str, seconds: int) -> None:
    """Pretend the person has done nothing for ``seconds``, as the session records it."""
    from importlib import import_module

    from shared_apps.account_sessions.services import ACTIVITY_KEY

    session = import_module(settings.SESSION_ENGINE).SessionStore(session_key=session_key)
    session[ACTIVITY_KEY] = time.time() - seconds
    session.save()


@pytest.fixture
def idle_page(sites, new_context, make_member, sign_in, demo_tenants):
    """A signed-in page whose session has been idle until the warning is due, clock paused."""

    def _open(width):
        site = sites["francophonie"]
        page = new_context(width).new_page()
        sign_in(page, site, make_member("francophonie", "buyer", full_name="Yao Kouassi"))
        page.clock.install()
        page.goto(site.url("/dashboard/"), wait_until="load")
        idle_seconds = demo_tenants["francophonie"].session_idle_minutes * 60
        warning_seconds = settings.SESSION_IDLE_WARNING_SECONDS
        session_key = next(c["value"] for c in page.context.cookies() if c["name"] == settings.SESSION_COOKIE_NAME)
        committed(_idle_for, session_key, idle_seconds - warning_seconds + 5)
        page.clock.run_for((idle_seconds - warning_seconds + 1) * 1000)
        page.get_by_role("dialog", name="Are you still there?").wait_for()
        return page

    return _open


@pytest.mark.parametrize("width", WIDTHS)
def test_idle_warning_takes_focus_and_keeps_the_session_with_the_keyboard(idle_page, width):
    page = idle_page(width)
    dialog = page.get_by_role("dialog", name="Are you still there?")

    assert page.evaluate(FOCUSED) == "Stay signed in"
    assert has_focus_ring(page)
    assert re.search(r"Time left: \d+ seconds", dialog.inner_text())
    assert axe_violations(page) == []
    if width == 320:
        assert horizontal_overflow(page) == 0
        box = dialog.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 320
    # The page behind is inert: focus stays in the dialog.
    for _ in range(4):
        page.keyboard.press("Tab")
        assert page.evaluate("!!document.activeElement.closest('#idle-warning')") or page.evaluate(
            "document.activeElement === document.body"
        )
    tab_to(page, "Stay signed in")
    with page.expect_response(re.compile(r"/accounts/sessions/keep-alive/$")):
        page.keyboard.press("Enter")
    dialog.wait_for(state="hidden")

    page.reload(wait_until="load")
    assert urlsplit(page.url).path == "/dashboard/"


def test_escape_on_the_idle_warning_also_keeps_the_session(idle_page):
    page = idle_page(1280)
    dialog = page.get_by_role("dialog", name="Are you still there?")

    with page.expect_response(re.compile(r"/accounts/sessions/keep-alive/$")):
        page.keyboard.press("Escape")
    dialog.wait_for(state="hidden")

    page.clock.run_for(10 * 60 * 1000)
    page.reload(wait_until="load")
    assert urlsplit(page.url).path == "/dashboard/"
