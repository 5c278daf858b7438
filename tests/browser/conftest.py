"""A live server, Debian's Chromium driven by Playwright, and two demo-like programmes.

Data is committed once per session (outside any test transaction) so the server thread
sees it; the tests only read, or post forms that the server rejects. Chromium resolves
every ``*.localhost`` name to the loopback address, which gives each programme its own
host without touching DNS; the platform's landing page is served on ``localhost``.
"""

from __future__ import annotations

import os
import re
import shutil
import threading
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.contrib.staticfiles.handlers import StaticFilesHandler
from django.db import connection, connections
from django.test.testcases import LiveServerThread

from tenants import services
from tenants.models import Domain, Tenant


def pytest_collection_modifyitems(config, items):
    browser_items = [item for item in items if item.get_closest_marker("browser")]
    # Playwright's sync API runs an event loop in the main thread, which makes Django
    # refuse ORM calls there (the test's own transaction set-up included); they are not
    # async code. Only a run that selects browser tests relaxes the check.
    if browser_items:
        os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    # pytest-django creates a test database only for the aliases that the selected tests
    # ask for (a django_db mark, or the db fixtures). Every browser test reaches the
    # database through the live server, so each one asks: without that, a run of tests
    # that forgot the mark would provision its programmes in the real database.
    for item in browser_items:
        if not item.get_closest_marker("django_db"):
            item.add_marker(pytest.mark.django_db)

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PLATFORM_HOST = "localhost"

DEMO_PROGRAMMES = {
    "francophonie": {
        "name": "Francophonie Export",
        "branding": {
            "primary_color": "#9a3412",
            "accent_color": "#0f5c63",
            "background_color": "#fffaf3",
            "text_color": "#2b2118",
            "heading_font": "serif",
            "body_font": "humanist",
        },
    },
    "showroom": {
        "name": "Showroom Industrie",
        "branding": {
            "primary_color": "#1e4e8c",
            "accent_color": "#9a4a00",
            "background_color": "#f7f8fa",
            "text_color": "#111827",
            "heading_font": "geometric",
            "body_font": "system-ui",
        },
    },
}


@dataclass(frozen=True)
class Site:
    """A host the browser visits, and the base URL that reaches it on the live server."""

    name: str
    host: str
    base_url: str

    def url(self, path: str = "/") -> str:
        return f"{self.base_url}{path}"


@pytest.fixture(scope="session")
def demo_tenants(django_db_setup, django_db_blocker) -> dict[str, Tenant]:
    """Two programmes provisioned as an operator would, themed and branded."""
    tenants = {}
    with django_db_blocker.unblock():
        for theme, demo in DEMO_PROGRAMMES.items():
            tenant = services.provision_tenant(
                services.TenantSpec(
                    slug=f"demo-{theme}",
                    name=demo["name"],
                    domains=[f"{theme}.localhost"],
                    theme=theme,
                    default_language="fr",
                    languages=("fr", "en"),
                ),
                refill=False,
            )
            tenants[theme] = services.update_configuration(tenant, branding=demo["branding"])
        public = Tenant.objects.get(schema_name="public")
        Domain.objects.get_or_create(
            domain=PLATFORM_HOST, defaults={"tenant": public, "is_primary": False}
        )
        connection.set_schema_to_public()
    return tenants


@pytest.fixture(scope="session")
def live_server_port(demo_tenants, django_db_blocker):
    # The server thread opens its own connections; pytest-django's blocker would refuse
    # them outside a test that asked for the database, so it stays unblocked meanwhile.
    with django_db_blocker.unblock():
        server = LiveServerThread("127.0.0.1", StaticFilesHandler, port=0)
        server.daemon = True
        server.start()
        server.is_ready.wait()
        if server.error:
            raise server.error
        yield server.port
        server.terminate()


@pytest.fixture(scope="session")
def sites(live_server_port, demo_tenants) -> dict[str, Site]:
    found = {
        theme: Site(theme, f"{theme}.localhost", f"http://{theme}.localhost:{live_server_port}")
        for theme in demo_tenants
    }
    found["platform"] = Site(
        "platform", PLATFORM_HOST, f"http://{PLATFORM_HOST}:{live_server_port}"
    )
    return found


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists() or shutil.which(str(CHROMIUM)) is None:
        pytest.skip("Debian's Chromium is not installed: run `make install-browser`")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()
        # Code run while Playwright is active gets its own context, hence its own
        # database connection; close it here, or the test database cannot be dropped.
        connections.close_all()


@pytest.fixture(scope="session")
def browser_contexts(browser):
    """One browser context per viewport width, shared by the tests (cookies are cleared)."""
    contexts = {}

    def _context(width: int):
        if width not in contexts:
            contexts[width] = browser.new_context(
                viewport={"width": width, "height": 900}, locale="en-GB", reduced_motion="reduce"
            )
        return contexts[width]

    yield _context
    for context in contexts.values():
        context.close()


@pytest.fixture
def open_page(browser_contexts):
    """``open_page(url, width=…)``: a new tab, without cookies, at that viewport width."""
    pages = []

    def _open(url: str, *, width: int = 1280):
        context = browser_contexts(width)
        context.clear_cookies()
        page = context.new_page()
        pages.append(page)
        response = page.goto(url, wait_until="load")
        assert response is not None and response.ok, (
            f"{url} answered {response and response.status}"
        )
        return page

    yield _open
    for page in pages:
        page.close()


def committed(write, *args, **kwargs):
    """Run ``write`` in a thread of its own, so its changes are committed for the server to see.

    A browser test's own database work happens inside the test's transaction (or, while
    Playwright runs, in a context with a connection of its own); neither is visible to the
    live server thread. What the tests create has unique addresses and is left in place.
    """
    outcome = {}

    def _run():
        try:
            outcome["value"] = write(*args, **kwargs)
        except BaseException as error:  # re-raised in the test's thread
            outcome["error"] = error
        finally:
            connections.close_all()

    thread = threading.Thread(target=_run)
    thread.start()
    thread.join()
    if "error" in outcome:
        raise outcome["error"]
    return outcome.get("value")


@pytest.fixture(scope="session")
def make_member(demo_tenants):
    """``make_member(theme, role, backup_codes=False)``: a confirmed member of that programme."""
    from tests.factories import MembershipFactory, UserFactory

    counter = iter(range(1, 10_000))

    def _create(theme, role, backup_codes, user_fields):
        user = UserFactory(email=f"{role}.{next(counter)}@{theme}.example.org", **user_fields)
        MembershipFactory(user=user, tenant=demo_tenants[theme], role=role)
        if backup_codes:
            user.staticdevice_set.create(name="backup", confirmed=True)
        return user

    def _make(theme: str, role: str, *, backup_codes: bool = False, **user_fields):
        return committed(_create, theme, role, backup_codes, user_fields)

    return _make


@pytest.fixture(scope="session")
def backup_code():
    """``backup_code(user)``: a new single-use code for someone who has backup codes."""
    from django_otp.plugins.otp_static.models import StaticToken

    def _create(user) -> str:
        device = user.staticdevice_set.get()
        return device.token_set.create(token=StaticToken.random_token()).token

    def _code(user) -> str:
        return committed(_create, user)

    return _code


@pytest.fixture(scope="session")
def sign_in(backup_code):
    """``sign_in(page, site, user, code=None)``: through the real form, and the code step if asked.

    Without ``code``, someone asked for a second step gives one of their backup codes.
    """
    from tests.factories import PASSWORD

    def _sign_in(page, site: Site, user, *, code: str | None = None):
        page.goto(site.url("/accounts/sign-in/"), wait_until="load")
        form = page.locator("main form", has=page.get_by_role("button", name="Sign in", exact=True))
        form.get_by_label("E-mail address").fill(user.email)
        form.get_by_label(re.compile(r"^Password\W*$")).fill(PASSWORD)
        form.get_by_role("button", name="Sign in").click()
        page.wait_for_load_state("load")
        if "/accounts/mfa/verify/" in page.url:
            page.get_by_label(re.compile(r"^Code\W*$")).fill(code or backup_code(user))
            page.get_by_role("button", name="Continue").click()
            page.wait_for_load_state("load")
        assert "/accounts/sign-in/" not in page.url and "/mfa/verify/" not in page.url, page.url
        return page

    return _sign_in


@pytest.fixture(scope="session")
def new_context(browser):
    """``new_context(width)``: a browser context of its own (its own cookies), closed at the end."""
    contexts = []

    def _new(width: int = 1280):
        context = browser.new_context(
            viewport={"width": width, "height": 900}, locale="en-GB", reduced_motion="reduce"
        )
        # Short enough that a missing element fails the test quickly, long enough for a slow page.
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context

    yield _new
    for context in contexts:
        context.close()


@pytest.fixture(scope="session")
def csp_violations():
    """``csp_violations(page)``: a list that fills with the page's Content-Security-Policy refusals.

    Both the console messages Chromium logs (workers included) and the
    ``securitypolicyviolation`` events the document fires are caught.
    """

    def _watch(page) -> list[str]:
        found: list[str] = []
        page.on(
            "console",
            lambda message: found.append(message.text)
            if "Content Security Policy" in message.text
            else None,
        )
        page.add_init_script(
            "document.addEventListener('securitypolicyviolation', e => "
            "console.error('Content Security Policy: ' + e.violatedDirective + ' ' + e.blockedURI));"
        )
        return found

    return _watch
