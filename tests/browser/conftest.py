"""A live server, Debian's Chromium driven by Playwright, and two demo-like programmes.

Data is committed once per session (outside any test transaction) so the server thread
sees it; the tests only read, or post forms that the server rejects. Chromium resolves
every ``*.localhost`` name to the loopback address, which gives each programme its own
host without touching DNS; the platform's landing page is served on ``localhost``.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.contrib.staticfiles.handlers import StaticFilesHandler
from django.db import connection, connections
from django.test.testcases import LiveServerThread

from tenants import services
from tenants.models import Domain, Tenant


def pytest_collection_modifyitems(config, items):
    # Playwright's sync API runs an event loop in the main thread, which makes Django
    # refuse ORM calls there (the test's own transaction set-up included); they are not
    # async code. Only a run that selects browser tests relaxes the check.
    if any(item.get_closest_marker("browser") for item in items):
        os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

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
