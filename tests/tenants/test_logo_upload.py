import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

BRANDING = {"primary_color": "#1d4ed8", "accent_color": "#b45309", "text_color": "#1f2937",
            "background_color": "#ffffff", "heading_font": "system-ui", "body_font": "system-ui", "theme": "francophonie"}


def _png(size=(80, 80)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, "#1d4ed8").save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def test_admin_uploads_a_logo_that_the_header_then_shows(alpha, media):
    client = alpha.client(alpha.members["tenant_admin"])
    upload = SimpleUploadedFile("logo.png", _png(), content_type="image/png")
    response = client.post("/manage/branding/", {**BRANDING, "logo": upload})
    assert response.status_code == 302
    alpha.tenant.refresh_from_db()
    logo_url = alpha.tenant.branding["logo_url"]
    assert logo_url.startswith("/media/branding/alpha/logo-") and logo_url.endswith(".png")
    assert list(media.rglob("logo-*.png"))
    assert logo_url in client.get("/").content.decode()


def test_a_file_that_is_not_an_image_is_refused_whatever_its_name(alpha, media):
    client = alpha.client(alpha.members["tenant_admin"])
    fake = SimpleUploadedFile("logo.png", b"<svg onload=alert(1)></svg>", content_type="image/png")
    response = client.post("/manage/branding/", {**BRANDING, "logo": fake})
    assert response.status_code == 400
    assert 'aria-invalid="true"' in response.content.decode()
    alpha.tenant.refresh_from_db()
    assert not alpha.tenant.branding.get("logo_url")
    assert not list(media.rglob("*"))


def test_an_oversized_logo_is_refused_with_the_limit(alpha, media):
    client = alpha.client(alpha.members["tenant_admin"])
    noise = Image.frombytes("RGB", (1200, 1200), bytes(range(256)) * (1200 * 1200 * 3 // 256))
    buffer = io.BytesIO()
    noise.save(buffer, format="PNG", compress_level=0)
    response = client.post("/manage/branding/", {**BRANDING, "logo": SimpleUploadedFile("big.png", buffer.getvalue())})
    assert response.status_code == 400
    assert "1 MB" in response.content.decode() or "1 Mo" in response.content.decode()


def test_the_logo_can_be_removed(alpha, media):
    client = alpha.client(alpha.members["tenant_admin"])
    client.post("/manage/branding/", {**BRANDING, "logo": SimpleUploadedFile("logo.png", _png())})
    client.post("/manage/branding/", {**BRANDING, "remove_logo": "on"})
    alpha.tenant.refresh_from_db()
    assert alpha.tenant.branding["logo_url"] == ""
