import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from platform_core.security import sanitize_html
from platform_core.uploads import IMAGE_KINDS, validate_upload


@pytest.mark.parametrize("payload", [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "<svg onload=alert(1)>",
    '<a href="javascript:alert(1)">x</a>',
    '<iframe src="https://evil.example"></iframe>',
    '<p style="background:url(javascript:alert(1))" onclick="alert(1)">x</p>',
])
def test_sanitize_html_leaves_nothing_executable(payload):
    cleaned = sanitize_html(payload).lower()
    for bad in ("<script", "onerror", "onload", "onclick", "javascript:", "<iframe", "style=", "<img", "<svg"):
        assert bad not in cleaned


def test_sanitize_html_keeps_rich_text_and_makes_links_safe():
    cleaned = sanitize_html('<h2>Titre</h2><p><strong>Gras</strong> <a href="https://example.org">lien</a></p><ul><li>un</li></ul>')
    assert "<h2>Titre</h2>" in cleaned and "<strong>Gras</strong>" in cleaned and "<li>un</li>" in cleaned
    assert 'href="https://example.org"' in cleaned and 'rel="noopener noreferrer nofollow"' in cleaned
    assert sanitize_html(None) == ""


def _png(size=(10, 10)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, "red").save(buffer, "PNG")
    return buffer.getvalue()


def _pdf() -> bytes:
    from pypdf import PdfWriter

    writer, buffer = PdfWriter(), io.BytesIO()
    writer.add_blank_page(width=200, height=200)
    writer.write(buffer)
    return buffer.getvalue()


def test_valid_image_and_pdf_are_accepted_by_content():
    assert validate_upload(SimpleUploadedFile("a.txt", _png(), "text/plain")) == "png"
    assert validate_upload(SimpleUploadedFile("cv.pdf", _pdf(), "application/pdf")) == "pdf"


@pytest.mark.parametrize(("name", "content", "message"), [
    ("photo.png", b"<html><script>alert(1)</script></html>", "not accepted"),
    ("photo.png", b"MZ\x90\x00" + b"\x00" * 100, "not accepted"),
    ("photo.png", _png()[:60], "damaged"),
    ("doc.pdf", b"%PDF-1.4\n garbage without structure", "damaged"),
    ("empty.png", b"", "empty"),
])
def test_disguised_broken_or_empty_files_are_refused_with_a_reason(name, content, message):
    with pytest.raises(ValidationError) as error:
        validate_upload(SimpleUploadedFile(name, content, "image/png"))
    assert message in error.value.messages[0]


def test_size_limit_and_kind_list_are_enforced():
    with pytest.raises(ValidationError, match="larger than"):
        validate_upload(SimpleUploadedFile("a.png", _png(), "image/png"), max_bytes=10)
    with pytest.raises(ValidationError, match="not accepted"):
        validate_upload(SimpleUploadedFile("cv.pdf", _pdf(), "application/pdf"), kinds=IMAGE_KINDS)
