"""Themes: each programme's pages use its theme's templates and stylesheet, then the base."""

from django.contrib.staticfiles import finders


def test_theme_overrides_blocks_of_the_base_home_page(alpha, beta):
    francophonie = alpha.client().get("/").content.decode()
    showroom = beta.client().get("/").content.decode()

    assert "Francophone companies grow abroad together" in francophonie
    assert "Find qualified industrial suppliers" in showroom
    for page in (francophonie, showroom):
        assert "A programme for companies that go international." not in page
        assert 'class="hero__actions"' in page


def test_programme_pages_link_the_base_and_their_theme_stylesheets(alpha, beta):
    for programme, theme in ((alpha, "francophonie"), (beta, "showroom")):
        page = programme.client().get("/accounts/sign-in/").content.decode()
        assert "/static/themes/base/base.css" in page
        assert f"/static/themes/{theme}/theme.css" in page


def test_every_linked_stylesheet_exists():
    for path in (
        "themes/base/base.css",
        "themes/francophonie/theme.css",
        "themes/showroom/theme.css",
    ):
        assert finders.find(path), path


def test_platform_pages_use_the_base_theme_only(platform_client):
    page = platform_client.get("/").content.decode()

    assert "/static/themes/base/base.css" in page
    assert "theme.css" not in page


def test_sign_in_page_shows_the_programme_name_not_the_host(alpha):
    page = alpha.client().get("/accounts/sign-in/").content.decode()

    assert "<title>Sign in · Programme alpha</title>" in page or "Programme alpha</title>" in page
    assert f"{alpha.host} runs on" not in page
