"""Banners: schedules, words per language, validated images and links, the tag, clicks and impressions."""

import pytest
from django.core.exceptions import ValidationError
from django.template import Context, Template
from django.test import RequestFactory
from django.utils import translation

from tenant_apps.promotion import counters, selectors, services
from tenant_apps.promotion.models import Banner, Placement
from tests.tenant_apps.promotion.conftest import (
    DAY,
    HOUR,
    NOW,
    animated_webp_upload,
    gif_upload,
    make_company,
    png_upload,
)


@pytest.fixture
def admin(in_alpha):
    return in_alpha.members["tenant_admin"]


def text_banner(admin, *, placement=Placement.SITE_STRIP, starts_at=NOW, ends_at=None, texts=None, **extra):
    return services.save_banner(
        name="Trade fair", placement=placement, starts_at=starts_at, ends_at=ends_at, link_url=extra.pop("link_url", ""),
        texts=texts or {"fr": ("Salon de Lyon", ""), "en": ("Lyon trade fair", "")}, default_language="fr",
        actor=admin, **extra)


@pytest.mark.parametrize(("moment", "shown"), [
    (NOW - HOUR, False), (NOW, True), (NOW + DAY - HOUR, True), (NOW + DAY, False), (NOW + 2 * DAY, False),
])
def test_a_banner_shows_only_during_its_period(admin, moment, shown):
    text_banner(admin, ends_at=NOW + DAY)
    banners = selectors.active_banners(Placement.SITE_STRIP, moment, language="en", fallback_language="fr")
    assert [b.text for b in banners] == (["Lyon trade fair"] if shown else [])


def test_a_banner_speaks_the_readers_language_or_the_programmes(admin):
    text_banner(admin, texts={"fr": ("Salon de Lyon", ""), "en": ("", "")})
    assert selectors.active_banners("site_strip", NOW + HOUR, language="en", fallback_language="fr")[0].text == \
        "Salon de Lyon"
    assert selectors.active_banners("showroom_top", NOW + HOUR, language="en", fallback_language="fr") == []


def test_a_text_banner_needs_its_text_in_the_main_language(admin):
    with pytest.raises(ValidationError) as refused:
        text_banner(admin, texts={"fr": ("", ""), "en": ("Only English", "")})
    assert "text_fr" in refused.value.message_dict


def test_an_image_banner_needs_a_description_of_the_image(admin):
    with pytest.raises(ValidationError) as refused:
        text_banner(admin, image=png_upload(), texts={"fr": ("", ""), "en": ("", "A lathe")})
    assert "image_alt_fr" in refused.value.message_dict

    banner = text_banner(admin, image=png_upload(), texts={"fr": ("", "Un tour"), "en": ("", "A lathe")})
    assert banner.image_width == 40 and banner.image_height == 10
    assert banner.image.name.startswith("promotion/banners/") and "banner.png" not in banner.image.name
    shown = selectors.active_banners("site_strip", NOW + HOUR, language="en", fallback_language="fr")[0]
    assert (shown.image_alt, shown.image_url.startswith("/media/promotion/banners/")) == ("A lathe", True)


@pytest.mark.parametrize("upload", [
    lambda: gif_upload(),
    lambda: animated_webp_upload(),
    lambda: png_upload(size=(9000, 9000)),
    lambda: __import__("django.core.files.uploadedfile", fromlist=["SimpleUploadedFile"]).SimpleUploadedFile(
        "banner.png", b"<svg onload=alert(1)>", content_type="image/png"),
])
def test_moving_large_or_fake_images_are_refused(admin, upload):
    with pytest.raises(ValidationError) as refused:
        text_banner(admin, image=upload(), texts={"fr": ("", "Un tour")})
    assert "image" in refused.value.message_dict
    assert not Banner.objects.exists()


@pytest.mark.parametrize("link", [
    "javascript:alert(1)", "//evil.example/phish", "data:text/html,hi", "ftp://files.example/x",
    "https://ok.example/\r\nSet-Cookie: a=b", "\\\\evil.example", "mailto:someone@example.org",
])
def test_only_web_addresses_and_site_paths_are_accepted_as_links(admin, link):
    with pytest.raises(ValidationError) as refused:
        text_banner(admin, link_url=link)
    assert "link_url" in refused.value.message_dict


@pytest.mark.parametrize("link", ["https://www.salon-lyon.example/2026?x=1", "/directory/", "http://plain.example"])
def test_safe_links_are_kept(admin, link):
    assert text_banner(admin, link_url=link).link_url == link


def test_changing_a_banner_shows_at_once_despite_the_cache(admin):
    banner = text_banner(admin)
    assert selectors.active_banners("site_strip", NOW + HOUR, language="en")[0].text == "Lyon trade fair"
    services.save_banner(banner=banner, name="Trade fair", placement=Placement.SHOWROOM_TOP, starts_at=NOW,
                         ends_at=None, texts={"fr": ("Salon", ""), "en": ("Fair", "")}, default_language="fr",
                         actor=admin)
    assert selectors.active_banners("site_strip", NOW + HOUR, language="en") == []
    assert [b.text for b in selectors.active_banners("showroom_top", NOW + HOUR, language="en")] == ["Fair"]
    services.remove_banner(banner=banner, actor=admin)
    assert selectors.active_banners("showroom_top", NOW + HOUR, language="en") == []


def test_banners_come_in_position_order_at_most_five(admin):
    for position in range(7, 0, -1):
        services.save_banner(name=f"B{position}", placement="site_strip", starts_at=NOW, ends_at=None,
                             position=position, texts={"fr": (f"Texte {position}", "")}, default_language="fr",
                             actor=admin)
    assert [b.text for b in selectors.active_banners("site_strip", NOW + HOUR, language="fr")] == [
        f"Texte {n}" for n in range(1, 6)]


def test_a_sponsored_banner_names_its_sponsor(admin):
    text_banner(admin, sponsor=make_company("Aéro Composites"))
    assert selectors.active_banners("site_strip", NOW + HOUR, language="en")[0].sponsor_name == "Aéro Composites"


def test_a_click_is_counted_and_goes_only_to_the_stored_link(admin):
    banner = text_banner(admin, link_url="https://www.salon-lyon.example/")
    assert services.record_banner_click(banner.pk) == "https://www.salon-lyon.example/"
    assert services.record_banner_click(banner.pk + 1000) is None
    banner.refresh_from_db()
    assert banner.clicks == 1


def _render_tag(tenant, placement="site_strip", language="en"):
    request = RequestFactory().get("/")
    request.tenant = tenant
    with translation.override(language):
        return Template("{% load promotion %}{% promotion_banners placement %}").render(
            Context({"request": request, "placement": placement}))


def test_the_tag_renders_an_accessible_region_and_counts_impressions(in_alpha, admin):
    banner = text_banner(admin, link_url="https://www.salon-lyon.example/", starts_at=NOW - HOUR,
                         sponsor=make_company("Aéro Composites"))
    html = _render_tag(in_alpha.tenant)
    assert '<aside class="promotion-banners promotion-banners--site_strip" aria-label="Announcements">' in html
    assert f'href="/promotion/b/{banner.pk}/"' in html and "salon-lyon" not in html
    assert "Lyon trade fair" in html and "Sponsored by Aéro Composites" in html
    _render_tag(in_alpha.tenant, language="fr")

    assert counters.flush_impressions() == 2
    banner.refresh_from_db()
    assert banner.impressions == 2
    assert counters.flush_impressions() == 0


def test_an_image_banner_is_an_image_link_named_by_its_description(in_alpha, admin):
    text_banner(admin, image=png_upload(), link_url="/directory/", starts_at=NOW - HOUR,
                texts={"fr": ("", "Un tour"), "en": ("", "A lathe")})
    html = _render_tag(in_alpha.tenant)
    assert 'alt="A lathe" width="40" height="10"' in html


def test_the_tag_shows_nothing_when_the_module_is_off_or_nothing_runs(in_alpha, admin):
    from tenants.services import update_configuration

    assert _render_tag(in_alpha.tenant).strip() == ""
    text_banner(admin, starts_at=NOW - HOUR)
    tenant = update_configuration(in_alpha.tenant, modules=[m for m in in_alpha.tenant.modules if m != "promotion"])
    assert _render_tag(tenant).strip() == ""


def test_an_unknown_placement_is_a_template_error(in_alpha):
    from django.template import TemplateSyntaxError

    with pytest.raises(TemplateSyntaxError):
        _render_tag(in_alpha.tenant, placement="sidebar")


def test_the_site_strip_is_in_every_page_of_the_programme(alpha, in_alpha, admin):
    text_banner(admin, starts_at=NOW - HOUR)
    page = alpha.client().get("/").content.decode()
    assert "Lyon trade fair" in page and 'aria-label="Announcements"' in page
    assert "Lyon trade fair" not in in_alpha.client().get("/", HTTP_HOST="beta.comptoir.test").content.decode()


def test_a_broken_cache_never_breaks_a_page(in_alpha, admin, monkeypatch):
    text_banner(admin, starts_at=NOW - HOUR)

    def broken(*args, **kwargs):
        raise ConnectionError("cache down")

    monkeypatch.setattr("tenant_apps.promotion.selectors.cache.get", broken)
    monkeypatch.setattr("tenant_apps.promotion.selectors.cache.set", broken)
    monkeypatch.setattr("tenant_apps.promotion.counters.cache.add", broken)
    assert "Lyon trade fair" in _render_tag(in_alpha.tenant)
